"""Forms of the school side: the request, the §8a report, answers, the list filter."""

import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, User
from apps.core import forms as core_forms
from apps.core.drafts import draftable
from apps.core.forms import DateInput, required_when
from apps.core.submissions import SubmissionKeyMixin
from apps.core.uploads import ACCEPT, checked_upload
from apps.organisation.models import Schule, Team
from apps.referrals.models import (
    CONSENT_SCAN_MAX_BYTES,
    Consent,
    CounsellingContact,
    Referral,
    RequestSource,
)
from apps.referrals.services import ConsentData
from apps.referrals.workflow import REQUEST_STATUSES, Status

CONSENT_YES = "ja"
CONSENT_NO = "nein"

# Nobody in school is older than this; a date before it is a typing error.
OLDEST_PUPIL_YEARS = 27


def _text(label: str, *, max_length: int, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "max_length": f"{label}: höchstens %(limit_value)d Zeichen.",
            "required": f"Bitte füllen Sie „{label}“ aus.",
        },
        **kwargs,
    )


def _long_text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return _text(
        label,
        max_length=5000,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={
            "invalid": f"{label}: Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).",
            "required": f"Bitte geben Sie „{label}“ an.",
        },
    )


def _school_field(schools: list[Schule], *, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Schule",
        queryset=Schule.objects.filter(pk__in=[s.pk for s in schools]),
        required=required,
        empty_label="Bitte wählen",
        error_messages={
            "required": "Bitte wählen Sie die Schule aus.",
            "invalid_choice": "Bitte wählen Sie eine Ihrer Schulen aus.",
        },
    )


class DraftableForm(SubmissionKeyMixin, core_forms.Form):
    """A form whose typed text may be kept as a draft (never files, never the key)."""

    NOT_DRAFTED = frozenset({"consent_scan"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phone, email = self.fields["contact_phone"], self.fields["contact_email"]
        if not phone.required:  # _check_contact: one way to reach the school is enough
            required_when(phone, "wenn Sie keine E-Mail-Adresse angeben")
            required_when(email, "wenn Sie keine Telefonnummer angeben")

    @classmethod
    def draft_fields(cls) -> list[str]:
        return [name for name in cls.base_fields if name not in cls.NOT_DRAFTED]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._refuse_forged_school()
        return data

    def _refuse_forged_school(self) -> None:
        """A school sent with the form must be one the person may choose; never replaced.

        With a school field its choices refuse any other school. A leader of
        one school has no field: a school id in the POST all the same (a
        forged or stale form) is refused with a message, not swapped for
        their own school.
        """
        if "school" in self.fields:
            return
        sent = self.data.get("school")
        if sent in (None, ""):
            return
        schools: list[Schule] = getattr(self, "schools", [])
        if not schools or str(sent) != str(schools[0].pk):
            own = f" ({schools[0].name})" if schools else ""
            self.add_error(
                None,
                f"Die übermittelte Schule ist nicht Ihre Schule{own}. Anfragen stellen Sie nur "
                "für Ihre eigene Schule; es wurde nichts gespeichert. Bitte laden Sie das "
                "Formular neu.",
            )

    def _check_date_of_birth(self) -> None:
        born = self.cleaned_data.get("date_of_birth")
        if born is None:
            return
        today = timezone.localdate()
        if born > today:
            self.add_error("date_of_birth", "Das Geburtsdatum liegt in der Zukunft.")
        elif born.year < today.year - OLDEST_PUPIL_YEARS:
            self.add_error("date_of_birth", "Bitte prüfen Sie das Geburtsdatum.")

    def _check_contact(self) -> None:
        data = self.cleaned_data
        if not data.get("contact_phone") and not data.get("contact_email"):
            self.add_error(
                "contact_phone",
                "Bitte geben Sie eine Telefonnummer oder eine E-Mail-Adresse für Rückfragen an.",
            )


class ReferralForm(DraftableForm):
    """A request for Schulbegleitung; without consent only a pseudonymised enquiry."""

    first_name = _text("Vorname", max_length=100)
    last_name = _text("Nachname", max_length=100)
    date_of_birth = _date("Geburtsdatum")
    initials = _text(
        "Initialen",
        max_length=6,
        help_text="Nur ohne Einwilligung. Zum Beispiel „J. M.“",
    )
    birth_year = forms.IntegerField(
        label="Geburtsjahr",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="Nur ohne Einwilligung.",
        error_messages={
            "invalid": "Geburtsjahr: Bitte geben Sie eine Jahreszahl ein, zum Beispiel 2016.",
            "min_value": "Bitte prüfen Sie das Geburtsjahr.",
            "max_value": "Bitte prüfen Sie das Geburtsjahr.",
        },
    )
    school_class = _text("Klasse", max_length=20)
    street = _text(
        "Straße",
        max_length=120,
        help_text="Mit der Wohnadresse findet das Familienamt das zuständige Team.",
    )
    house_number = required_when(_text("Hausnummer", max_length=10), "wenn Sie die Straße angeben")
    observations = _long_text(
        "Was beobachtet die Schule?",
        required=True,
        help_text="Beschreiben Sie Verhalten und Situationen, keine Diagnosen.",
    )
    needs = _long_text("Welche Unterstützung braucht das Kind aus Sicht der Schule?")
    measures_tried = _long_text("Was hat die Schule schon versucht?")
    contact_name = _text("Ansprechperson in der Schule", max_length=120, required=True)
    contact_phone = _text("Telefon", max_length=40)
    contact_email = forms.EmailField(
        label="E-Mail",
        required=False,
        max_length=254,
        error_messages={"invalid": "Bitte geben Sie eine gültige E-Mail-Adresse ein."},
    )
    urgent = forms.BooleanField(label="Die Anfrage ist dringend", required=False)
    has_consent = forms.ChoiceField(
        label="Liegt eine Einwilligung der Sorgeberechtigten vor?",
        choices=[
            (CONSENT_YES, "Ja, die Sorgeberechtigten haben schriftlich eingewilligt."),
            (CONSENT_NO, "Nein: nur eine Anfrage ohne Namen (pseudonymisiert) senden."),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Bitte geben Sie an, ob eine Einwilligung der Sorgeberechtigten vorliegt."
        },
    )
    consent_given_by = _text("Wer hat eingewilligt?", max_length=120)
    consent_relation = _text(
        "Beziehung zum Kind", max_length=60, help_text="Zum Beispiel Mutter, Vater, Vormund."
    )
    consent_given_on = _date("Eingewilligt am")
    consent_purpose = forms.ChoiceField(
        label="Zweck der Einwilligung",
        choices=Consent.Purpose.choices,
        initial=Consent.Purpose.REFERRAL,
        required=False,
    )
    consent_recipients = _text(
        "An wen darf die Schule die Angaben weitergeben?",
        max_length=300,
        initial=Consent._meta.get_field("recipients").get_default(),
    )
    consent_valid_until = _date("Gültig bis", help_text="Nur falls befristet.")
    consent_scan = forms.FileField(
        label="Scan der unterschriebenen Einwilligung",
        required=False,
        help_text="PDF, PNG oder JPEG, höchstens 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    REQUIRED_WITH_CONSENT = {
        "first_name": "Bitte geben Sie den Vornamen an.",
        "last_name": "Bitte geben Sie den Nachnamen an.",
        "date_of_birth": "Bitte geben Sie das Geburtsdatum an.",
        "consent_given_by": "Bitte geben Sie an, wer eingewilligt hat.",
        "consent_relation": "Bitte geben Sie an, in welcher Beziehung die Person zum Kind steht.",
        "consent_given_on": "Bitte geben Sie an, wann eingewilligt wurde.",
        "consent_purpose": "Bitte wählen Sie den Zweck der Einwilligung.",
        "consent_recipients": "Bitte geben Sie an, an wen die Angaben gehen dürfen.",
    }

    def __init__(self, *args: Any, schools: list[Schule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(schools) > 1:
            self.fields["school"] = _school_field(schools, required=True)
            self.order_fields(["school"])
        self.schools = schools
        for name in self.REQUIRED_WITH_CONSENT:
            required_when(self.fields[name], "wenn eine Einwilligung vorliegt")

    @property
    def with_consent(self) -> bool:
        return self.cleaned_data.get("has_consent") == CONSENT_YES

    def clean_consent_scan(self) -> UploadedFile | None:
        scan: UploadedFile | None = self.cleaned_data.get("consent_scan")
        if not scan:
            return None
        # The original file name may carry the child's name: store a neutral one.
        return checked_upload(scan, max_bytes=CONSENT_SCAN_MAX_BYTES, prefix="einwilligung")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.with_consent:
            for name, message in self.REQUIRED_WITH_CONSENT.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            self._check_date_of_birth()
            given_on: datetime.date | None = data.get("consent_given_on")
            valid_until: datetime.date | None = data.get("consent_valid_until")
            today = timezone.localdate()
            if given_on and given_on > today:
                self.add_error(
                    "consent_given_on", "Das Datum der Einwilligung liegt in der Zukunft."
                )
            if valid_until and valid_until < today:
                self.add_error(
                    "consent_valid_until",
                    "Die Einwilligung ist abgelaufen. Ohne gültige Einwilligung können Sie nur "
                    "ohne Namen anfragen.",
                )
        if data.get("street") and not data.get("house_number"):
            self.add_error("house_number", "Bitte geben Sie zur Straße auch die Hausnummer an.")
        self._check_contact()
        return data

    def selected_school(self) -> Schule:
        if "school" in self.fields:
            school: Schule = self.cleaned_data["school"]
            return school
        return self.schools[0]

    def referral_fields(self) -> dict[str, Any]:
        """The request's fields; a pseudonymised enquiry gets no identity at all."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            name: data[name]
            for name in (
                "school_class",
                "observations",
                "needs",
                "measures_tried",
                "contact_name",
                "contact_phone",
                "contact_email",
                "urgent",
            )
        }
        if self.with_consent:
            fields |= {
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "date_of_birth": data["date_of_birth"],
                "initials": f"{data['first_name'][:1]}. {data['last_name'][:1]}.",
                "street": data["street"],
                "house_number": data["house_number"],
            }
        else:
            fields |= {"initials": data["initials"], "birth_year": data["birth_year"]}
        return fields

    def consent_data(self) -> ConsentData | None:
        if not self.with_consent:
            return None
        data = self.cleaned_data
        return ConsentData(
            given_by=data["consent_given_by"],
            relation=data["consent_relation"],
            given_on=data["consent_given_on"],
            purpose=data["consent_purpose"],
            recipients=data["consent_recipients"],
            valid_until=data["consent_valid_until"],
            scan=data["consent_scan"],
        )


class ChildProtectionForm(DraftableForm):
    """A report of a possible danger to a child's welfare (§ 8a SGB VIII).

    No consent is asked: the law allows the report without it.
    """

    first_name = _text("Vorname des Kindes", max_length=100, required=True)
    last_name = _text("Nachname des Kindes", max_length=100, required=True)
    date_of_birth = _date("Geburtsdatum", help_text="Falls bekannt.")
    school_class = _text("Klasse", max_length=20)
    observed = _long_text(
        "Was haben Sie beobachtet oder erfahren?",
        required=True,
        help_text="Möglichst genau und in eigenen Worten: Was, wer hat es gesagt oder gesehen?",
    )
    observed_when = _text(
        "Wann?", max_length=200, required=True, help_text="Datum, Uhrzeit oder Zeitraum."
    )
    at_risk = _long_text(
        "Wer ist gefährdet?", help_text="Zum Beispiel das Kind selbst, Geschwister."
    )
    measures_tried = _long_text("Was hat die Schule bereits unternommen?")
    contact_name = _text("Wer meldet? (Name)", max_length=120, required=True)
    contact_phone = _text(
        "Telefon für den Rückruf",
        max_length=40,
        required=True,
        help_text="Das Familienamt ruft Sie zurück.",
    )
    contact_email = forms.EmailField(
        label="E-Mail",
        required=False,
        max_length=254,
        error_messages={"invalid": "Bitte geben Sie eine gültige E-Mail-Adresse ein."},
    )

    def __init__(
        self, *args: Any, schools: list[Schule], any_school: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schools = schools
        # Familienamt staff taking a phone report may name a school, or none.
        if any_school:
            self.fields["school"] = forms.ModelChoiceField(
                label="Schule",
                queryset=Schule.objects.order_by("name"),
                required=False,
                empty_label="keine Schule / unbekannt",
                error_messages={"invalid_choice": "Bitte wählen Sie eine Schule aus der Liste."},
            )
        elif len(schools) > 1:
            self.fields["school"] = _school_field(schools, required=True)
        if "school" in self.fields:
            self.order_fields(["school"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_date_of_birth()
        return data

    def selected_school(self) -> Schule | None:
        if "school" in self.fields:
            school: Schule | None = self.cleaned_data.get("school")
            return school
        return self.schools[0] if self.schools else None

    def referral_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        # The request has one text field for what was seen; when and who is at
        # risk go into it under their own headings so triage reads them first.
        parts = [data["observed"], f"Wann: {data['observed_when']}"]
        if data["at_risk"]:
            parts.append(f"Wer ist gefährdet: {data['at_risk']}")
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "initials": f"{data['first_name'][:1]}. {data['last_name'][:1]}.",
            "date_of_birth": data["date_of_birth"],
            "school_class": data["school_class"],
            "observations": "\n\n".join(parts),
            "measures_tried": data["measures_tried"],
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
            "contact_email": data["contact_email"],
        }


class AnswerForm(core_forms.Form):
    answer = _long_text("Ihre Antwort", required=True)
    answer.error_messages["required"] = "Bitte schreiben Sie eine Antwort, bevor Sie sie senden."


class SchoolReferralFilter(core_forms.Form):
    """The status select of the school's list; 'offen' covers all open requests."""

    OPEN = "offen"

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Alle"),
            (OPEN, "Offen"),
            *[(s.value, s.label) for s in Status if s in REQUEST_STATUSES],
        ],
        widget=forms.Select,
    )


class SavedFilterForm(core_forms.Form):
    """A saved filter's name and values; form fields refuse NUL bytes (no raw POST reads)."""

    name = forms.CharField(
        label="Diesen Filter speichern als",
        max_length=60,
        error_messages={
            "required": "Bitte geben Sie dem Filter einen Namen.",
            "max_length": "Der Name ist zu lang (höchstens 60 Zeichen).",
            "null_characters_not_allowed": "Der Name enthält ein unzulässiges Zeichen.",
        },
    )
    query = forms.CharField(
        required=False,
        strip=False,
        max_length=500,  # SavedFilter.query
        error_messages={
            "max_length": "Der Filter ist zu umfangreich zum Speichern (höchstens 500 Zeichen).",
            "null_characters_not_allowed": "Der Filter enthält ein unzulässiges Zeichen.",
        },
    )


# Drafts of a request not yet recorded are kept under this object id.
NEW_INTAKE = 0


def _intake_scope(user: Any, object_id: int) -> None:
    """Only a new request has a draft; only who may take requests may keep one."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from apps.accounts.models import FAMILIENAMT_ROLES, Role

    if object_id != NEW_INTAKE:
        raise Http404
    if not user.role_names & (FAMILIENAMT_ROLES | {Role.TEAM}):
        raise PermissionDenied


@draftable("referrals.office_intake", scope=_intake_scope)
class OfficeIntakeForm(SubmissionKeyMixin, core_forms.Form):
    """A request taken at an office or on the phone: anyone may suggest help.

    Name and birthday are optional (an anonymous caller may not know them);
    without them the request is kept like a pseudonymised enquiry.
    """

    source = forms.ModelChoiceField(
        label="Anregung durch",
        queryset=RequestSource.objects.filter(office_intake=True),
        to_field_name="code",
        empty_label="Bitte wählen",
        help_text="Wer hat die Hilfe angeregt? (Für die Jugendhilfestatistik.)",
        error_messages={
            "required": "Bitte wählen Sie, wer die Hilfe angeregt hat.",
            "invalid_choice": "Bitte wählen Sie aus der Liste, wer die Hilfe angeregt hat.",
        },
    )
    channel = forms.ChoiceField(
        label="Eingangsweg",
        choices=[
            (Referral.Channel.OFFICE, Referral.Channel.OFFICE.label),
            (Referral.Channel.PHONE, Referral.Channel.PHONE.label),
            (Referral.Channel.WRITING, Referral.Channel.WRITING.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wählen Sie den Eingangsweg."},
    )
    kind = forms.ChoiceField(
        label="Worum geht es?",
        choices=Referral.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wählen Sie, worum es geht."},
    )
    first_name = _text("Vorname des Kindes", max_length=100)
    last_name = _text("Nachname des Kindes", max_length=100)
    date_of_birth = _date("Geburtsdatum")
    street = _text(
        "Straße",
        max_length=120,
        help_text="Mit der Wohnadresse findet sich das zuständige Team.",
    )
    house_number = required_when(_text("Hausnummer", max_length=10), "wenn Sie die Straße angeben")
    needs = forms.CharField(
        label="Anliegen",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Was braucht das Kind oder die Familie? Möglichst in ihren Worten.",
        error_messages={"required": "Bitte beschreiben Sie das Anliegen."},
    )
    contact_name = _text(
        "Wer hat sich gemeldet?", max_length=120, help_text="Leer bei anonymer Meldung."
    )
    contact_phone = _text("Telefon für Rückfragen", max_length=40)
    urgent = forms.BooleanField(label="dringend", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [data.get("first_name"), data.get("last_name"), data.get("date_of_birth")]
        if any(names) and not all(names):
            self.add_error(
                "last_name" if data.get("first_name") else "first_name",
                "Bitte geben Sie Vorname, Nachname und Geburtsdatum an – oder keins davon.",
            )
        if data.get("street") and not data.get("house_number"):
            self.add_error("house_number", "Bitte geben Sie die Hausnummer an.")
        source = data.get("source")
        if source is not None and source.code == RequestSource.ANONYMOUS:
            # An anonymous caller leaves no trace of themself.
            data["contact_name"] = data["contact_phone"] = ""
        born = data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            self.add_error("date_of_birth", "Das Geburtsdatum liegt in der Zukunft.")
        return data

    REFERRAL_FIELDS = (
        "first_name",
        "last_name",
        "date_of_birth",
        "street",
        "house_number",
        "needs",
        "contact_name",
        "contact_phone",
        "urgent",
    )


class CounsellingContactForm(SubmissionKeyMixin, core_forms.ModelForm):
    """A short counselling contact without a case: counted, never named."""

    class Meta:
        model = CounsellingContact
        fields = ["team", "date", "source", "channel", "topic", "outcome", "referred_to"]
        widgets = {"date": DateInput()}
        error_messages = {
            "topic": {"required": "Bitte wählen Sie das Thema."},
            "outcome": {"required": "Bitte wählen Sie das Ergebnis."},
            "source": {"required": "Bitte wählen Sie, wer kam."},
            "date": {
                "required": "Bitte geben Sie das Datum an.",
                "invalid": "Bitte geben Sie ein gültiges Datum ein.",
            },
        }

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field: forms.ModelChoiceField = self.fields["team"]  # type: ignore[assignment]
        team_field.queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        team_field.error_messages["invalid_choice"] = "Bitte wählen Sie Ihr Team."
        source_field: forms.ModelChoiceField = self.fields["source"]  # type: ignore[assignment]
        source_field.queryset = RequestSource.objects.filter(office_intake=True)
        if len(teams) == 1:
            self.initial.setdefault("team", teams[0].pk)

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("Das Datum liegt in der Zukunft.")
        return day


class StaffField(forms.ModelChoiceField):
    def __init__(self, *, me: User, **kwargs: Any) -> None:
        self.me = me
        super().__init__(**kwargs)

    def label_from_instance(self, obj: User) -> str:
        return f"{obj} (ich)" if obj.pk == self.me.pk else str(obj)


class AssignForm(core_forms.Form):
    """Whom in the Familienamt a request goes to (posted to ``referrals:bulk_assign``)."""

    def __init__(
        self, *, me: User, label: str, chosen: int | None, choose_first: bool, auto_id: str
    ) -> None:
        super().__init__(initial={"assignee": chosen or me.pk}, auto_id=auto_id)
        self.fields["assignee"] = StaffField(
            me=me,
            label=label,
            queryset=User.objects.filter(
                is_active=True, role_assignments__role__in=FAMILIENAMT_ROLES
            )
            .distinct()
            .order_by("last_name", "first_name", "username"),
            empty_label="Bitte wählen" if choose_first else None,
        )
