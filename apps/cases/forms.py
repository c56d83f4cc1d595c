"""Forms of the case pages. They validate input; the services in ``services.py`` write."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.shortcuts import get_object_or_404

from apps.accounts.models import CASEWORK_ROLES, FAMILIENAMT_ROLES, Role, RoleAssignment, User
from apps.cases.grants import EMPTY, GrantDetails, NoSchoolYear, check_grant, period_dates
from apps.cases.models import (
    Case,
    ChildProtectionResult,
    ClosingReason,
    Decision,
    DecisionField,
    Gender,
    HelpKind,
    Person,
    Pool,
    Provider,
)
from apps.core import forms as core_forms
from apps.core.drafts import Scope, draftable
from apps.core.forms import DateInput, FilterForm, required_when
from apps.core.submissions import SubmissionKeyMixin
from apps.organisation.models import Schule

NEW_PERSON = "neu"


def case_scope(*roles: str) -> Scope:
    """A draft scope: the case if ``user`` sees it (else 404) and holds one of ``roles``
    (else 403)."""

    def scope(user: Any, pk: int) -> Case:
        # The role first, as ``roles_required`` does: a school leader gets 403, not 404.
        if not user.role_names & frozenset(roles):
            raise PermissionDenied
        return get_object_or_404(Case.objects.visible_to(user), pk=pk)

    return scope


class VersionForm(core_forms.Form):
    """The version the person saw; the service refuses if someone changed it since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class IdentityForm(core_forms.Form):
    """Name and date of birth for a pseudonymised request, once the parents consented."""

    first_name = forms.CharField(
        label="Vorname des Kindes",
        max_length=100,
        error_messages={"required": "Bitte geben Sie den Vornamen des Kindes ein."},
    )
    last_name = forms.CharField(
        label="Nachname des Kindes",
        max_length=100,
        error_messages={"required": "Bitte geben Sie den Nachnamen des Kindes ein."},
    )
    date_of_birth = forms.DateField(
        label="Geburtsdatum",
        widget=DateInput(),
        error_messages={
            "required": "Bitte geben Sie das Geburtsdatum des Kindes ein.",
            "invalid": "Bitte geben Sie ein gültiges Datum ein, zum Beispiel 04.03.2016.",
        },
    )
    consent_confirmed = forms.BooleanField(
        label="Die Sorgeberechtigten haben eingewilligt, dass das Familienamt Namen und "
        "Geburtsdatum des Kindes erfasst.",
        error_messages={
            "required": "Ohne Einwilligung der Sorgeberechtigten darf kein Fall mit Namen "
            "angelegt werden."
        },
    )

    def clean_date_of_birth(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date_of_birth"]
        if value > datetime.date.today():
            raise forms.ValidationError("Das Geburtsdatum liegt in der Zukunft.")
        return value


class PersonChoiceForm(VersionForm):
    """Link to a known person or create a new one: staff always choose explicitly."""

    person = forms.ChoiceField(
        label="Person",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Bitte wählen Sie: mit einer bekannten Person verknüpfen oder eine "
            "neue Person anlegen. Personen werden nie ohne Ihre Entscheidung zusammengeführt.",
            "invalid_choice": "Diese Auswahl ist nicht (mehr) möglich. Bitte wählen Sie erneut.",
        },
    )

    gender = forms.ChoiceField(
        label="Geschlecht des Kindes",
        help_text="Für die amtliche Kinder- und Jugendhilfestatistik.",
        choices=[("", "bitte wählen"), *Gender.choices],
        error_messages={"required": "Bitte geben Sie das Geschlecht des Kindes an."},
    )

    def __init__(self, *args: Any, duplicates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates = {person.pk: person for person in duplicates}
        choices = [
            (str(person.pk), f"mit bekannter Person verknüpfen: {person}") for person in duplicates
        ]
        choices.append((NEW_PERSON, "neue Person anlegen"))
        field: forms.ChoiceField = self.fields["person"]  # type: ignore[assignment]
        field.choices = choices
        if not duplicates:
            # Nobody to confuse the child with: creating a new person is the only choice.
            field.initial = NEW_PERSON

    @property
    def chosen_person(self) -> Person | None:
        value = self.cleaned_data["person"]
        return None if value == NEW_PERSON else self.duplicates[int(value)]


class CaseMoveForm(VersionForm):
    target = forms.CharField(max_length=20)


class CaseCloseForm(VersionForm):
    """The confirm step of closing: why the case ends (and the § 8a result)."""

    closing_reason = forms.ModelChoiceField(
        label="Warum endet der Fall?",
        queryset=ClosingReason.objects.filter(active=True),
        empty_label="bitte wählen",
        error_messages={
            "required": "Bitte wählen Sie, warum der Fall endet.",
            "invalid_choice": "Diesen Beendigungsgrund gibt es nicht (mehr). Bitte erneut wählen.",
        },
    )
    child_protection_result = forms.ChoiceField(
        label="Ergebnis der Gefährdungseinschätzung (§ 8a SGB VIII)",
        choices=[("", "bitte wählen"), *ChildProtectionResult.choices],
        error_messages={
            "required": "Bitte halten Sie das Ergebnis der Gefährdungseinschätzung fest."
        },
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not case.is_child_protection or case.child_protection_result:
            del self.fields["child_protection_result"]


HOURS_ERRORS = {
    "invalid": "Bitte geben Sie die Stunden als Zahl ein, zum Beispiel 12 oder 12,5.",
    "max_digits": "Bitte höchstens 40 Stunden pro Woche angeben.",
    "max_decimal_places": "Bitte die Stunden auf eine Nachkommastelle angeben.",
    "max_whole_digits": "Bitte höchstens 40 Stunden pro Woche angeben.",
}


class ReopenForm(core_forms.Form):
    """Reopening a closed case: the reason goes into the case's timeline."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Warum wird der Fall wieder geöffnet?",
        help_text="Steht im Verlauf des Falls; bitte ohne Einzelheiten zur Familie.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=250,
        error_messages={
            "required": "Bitte geben Sie an, warum der Fall wieder geöffnet wird.",
            "max_length": "Bitte fassen Sie den Grund in höchstens 250 Zeichen.",
        },
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("Bitte geben Sie an, warum der Fall wieder geöffnet wird.")
        return reason


class RecommendationForm(SubmissionKeyMixin, core_forms.Form):
    text = forms.CharField(
        label="Empfehlung des Teams",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Bitte schreiben Sie Ihre Empfehlung auf."},
    )
    hours_per_week = forms.DecimalField(
        label="Empfohlene Stunden pro Woche",
        required=False,
        max_digits=4,
        decimal_places=1,
        localize=True,
        help_text="Freiwillig; mehr als 0 und höchstens 40.",
        error_messages=HOURS_ERRORS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Own ids: the case page also carries casework's note form with a "text" field.
        kwargs.setdefault("auto_id", "empfehlung_%s")
        super().__init__(*args, **kwargs)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Bitte schreiben Sie Ihre Empfehlung auf.")
        return text

    def clean_hours_per_week(self) -> Decimal | None:
        hours: Decimal | None = self.cleaned_data["hours_per_week"]
        if hours is not None and not (Decimal(0) < hours <= Decimal(40)):
            raise forms.ValidationError("Die Stunden müssen größer als 0 und höchstens 40 sein.")
        return hours


@draftable("cases.decision", scope=case_scope(*FAMILIENAMT_ROLES))
class DecisionForm(VersionForm):
    """A decision on one kind of help: the form asks exactly what that kind needs.

    The kind comes from ``help_kind`` (a GET parameter on the page, a hidden
    field in the POST); :mod:`apps.cases.grants` says what a grant of it needs.
    """

    help_kind = forms.ModelChoiceField(
        label="Hilfeart",
        queryset=HelpKind.objects.filter(active=True),
        to_field_name="code",
        empty_label="– bitte wählen –",
        error_messages={
            "required": "Bitte wählen Sie die Hilfeart.",
            "invalid_choice": "Bitte wählen Sie eine Hilfeart aus der Liste.",
        },
    )
    outcome = forms.ChoiceField(
        label="Entscheidung",
        choices=[
            (Decision.Outcome.GRANTED, "Hilfe bewilligen"),
            (Decision.Outcome.REFUSED, "Hilfe ablehnen"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wählen Sie: bewilligen oder ablehnen."},
    )
    reason = forms.CharField(
        label="Begründung",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text="Steht im Bescheid an die Sorgeberechtigten.",
        error_messages={"required": "Bitte begründen Sie die Entscheidung."},
    )
    hours_per_week = forms.DecimalField(
        label="Stunden pro Woche",
        required=False,
        max_digits=4,
        decimal_places=1,
        localize=True,
        validators=[
            MinValueValidator(Decimal("0.5"), "Bitte mindestens 0,5 Stunden pro Woche angeben."),
            MaxValueValidator(Decimal(40), "Bitte höchstens 40 Stunden pro Woche angeben."),
        ],
        help_text="0,5 bis 40.",
        error_messages=HOURS_ERRORS,
    )
    period = forms.ChoiceField(
        label="Zeitraum",
        required=False,
        choices=[("", "– bitte wählen –"), *Decision.Period.choices],
        help_text="Schulbegleitung wird je Schuljahr oder Schulhalbjahr bewilligt.",
    )
    valid_from = forms.DateField(
        label="gültig ab",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Bitte geben Sie ein gültiges Datum ein."},
    )
    valid_until = forms.DateField(
        label="gültig bis",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Bitte geben Sie ein gültiges Datum ein."},
    )
    provider = forms.ModelChoiceField(
        label="Leistungserbringer",
        queryset=Provider.objects.all(),
        required=False,
        empty_label="– bitte wählen –",
        error_messages={"invalid_choice": "Bitte wählen Sie einen Leistungserbringer der Liste."},
    )
    pool = forms.ModelChoiceField(
        label="Pool an der Schule",
        queryset=Pool.objects.none(),
        required=False,
        empty_label="kein Pool",
        help_text="Im Pool teilen sich mehrere Kinder einer Schule die Begleitung; "
        "jedes Kind behält seine eigene Bewilligung mit eigenen Stunden.",
        error_messages={"invalid_choice": "Bitte wählen Sie einen Pool dieser Schule."},
    )
    help_form = forms.CharField(label="Art der Hilfe", required=False, max_length=120)
    extent = forms.CharField(
        label="Umfang",
        required=False,
        max_length=120,
        help_text="Zum Beispiel „4 Fachleistungsstunden pro Woche“.",
    )
    review_on = forms.DateField(
        label="Überprüfung am",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Bitte geben Sie ein gültiges Datum ein."},
    )
    backdating_reason = forms.CharField(
        label="Begründung für einen Beginn in der Vergangenheit",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    GRANT_FIELDS = tuple(DecisionField.values)

    def __init__(
        self,
        *args: Any,
        school: Schule | None,
        today: datetime.date,
        kind: HelpKind | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.school_id = school.pk if school is not None else None
        self.kind = kind
        self.fields["help_kind"].widget = forms.HiddenInput()
        # Only the details the chosen kind asks for; without a kind, none.
        wanted = kind.decision_fields if kind is not None else []
        for name in self.GRANT_FIELDS:
            if name not in wanted and not (
                name in ("valid_from", "valid_until") and DecisionField.PERIOD in wanted
            ):
                del self.fields[name]
        required = set(kind.required_fields) if kind is not None else set()
        if DecisionField.PERIOD in required:
            required |= {"valid_from", "valid_until"}
        for name in required & set(self.fields):
            required_when(self.fields[name], "wenn Sie bewilligen")
        if kind is not None and "help_form" in self.fields:
            self.fields["help_form"].label = kind.help_form_label or "Art der Hilfe"
            if kind.help_forms:
                self.fields["help_form"] = forms.ChoiceField(
                    label=kind.help_form_label or "Art der Hilfe",
                    required=False,
                    choices=[("", "– bitte wählen –"), *((f, f) for f in kind.help_forms)],
                )
                if "help_form" in required:
                    required_when(self.fields["help_form"], "wenn Sie bewilligen")
        if "pool" in self.fields:
            pool_field: forms.ModelChoiceField = self.fields["pool"]  # type: ignore[assignment]
            pool_field.queryset = (
                Pool.objects.filter(school=school).select_related("school")
                if school is not None
                else Pool.objects.none()
            )
        if "period" in self.fields:
            self._describe_periods(today)
        required_when(self.fields["backdating_reason"], "wenn die Hilfe vor heute beginnt")
        if not self.is_bound and kind is not None:
            self.initial.setdefault("help_kind", kind.code)

    def _describe_periods(self, today: datetime.date) -> None:
        try:
            year_from, year_until = period_dates(Decision.Period.SCHOOL_YEAR, today)
            half_from, half_until = period_dates(Decision.Period.HALF_YEAR, today)
        except NoSchoolYear as error:
            self.fields["period"].help_text = str(error)
            return
        self.fields["valid_from"].help_text = (
            f"Laufendes Schuljahr: {year_from:%d.%m.%Y} bis {year_until:%d.%m.%Y}; "
            f"laufendes Schulhalbjahr: {half_from:%d.%m.%Y} bis {half_until:%d.%m.%Y}. "
            "Leer: ab heute bis zum Ende des gewählten Zeitraums."
        )
        if not self.is_bound:
            self.initial.setdefault("period", Decision.Period.SCHOOL_YEAR)
            self.initial.setdefault("valid_from", max(year_from, today))
            self.initial.setdefault("valid_until", year_until)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") != Decision.Outcome.GRANTED or self.kind is None:
            # A refusal carries no grant details, whatever was typed in.
            for name in self.GRANT_FIELDS:
                data.pop(name, None)
            data["backdating_reason"] = ""
            return data
        if any(name in self.errors for name in self.GRANT_FIELDS):
            return data
        grant, problems = check_grant(
            self.kind,
            GrantDetails(
                **{
                    name: data[name] if data.get(name) is not None else getattr(EMPTY, name)
                    for name in (*self.GRANT_FIELDS, "backdating_reason")
                    if name in data
                }
            ),
            today=self.today,
            school_id=self.school_id,
        )
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        data["grant"] = grant
        return data


@draftable("cases.case_edit", scope=case_scope(*CASEWORK_ROLES))
class CaseEditForm(VersionForm):
    """The editable case data; ``case_update`` saves it against the version shown."""

    worker = forms.ModelChoiceField(
        label="Fallführende Fachkraft",
        queryset=User.objects.none(),
        required=False,
        empty_label="noch nicht festgelegt",
        help_text="Eine Fachkraft aus dem Team des Falls.",
        error_messages={
            "invalid_choice": "Diese Person gehört nicht zum Team des Falls. Bitte wählen Sie "
            "eine Fachkraft aus der Liste."
        },
    )
    help_kind = forms.ModelChoiceField(
        label="Hilfeart",
        queryset=HelpKind.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="noch offen",
        error_messages={"invalid_choice": "Bitte wählen Sie eine Hilfeart aus der Liste."},
    )
    family_goals = forms.CharField(
        label="Ziele der Familie in ihren eigenen Worten",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        help_text="Was die Familie selbst erreichen will, möglichst wörtlich; "
        "ohne fachliche Bewertung.",
        error_messages={"max_length": "Bitte höchstens 10.000 Zeichen."},
    )
    assessment = forms.CharField(
        label="Fachliche Einschätzung",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        help_text="Ihre fachliche Sicht, getrennt von den Worten der Familie.",
        error_messages={"max_length": "Bitte höchstens 10.000 Zeichen."},
    )

    FIELDS = ("worker", "help_kind", "family_goals", "assessment")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "falldaten_%s")
        super().__init__(*args, **kwargs)
        worker_field: forms.ModelChoiceField = self.fields["worker"]  # type: ignore[assignment]
        members = RoleAssignment.objects.filter(role=Role.TEAM, team=case.team).values("user_id")
        # The current worker stays choosable, so saving other fields never drops them silently.
        worker_field.queryset = User.objects.filter(
            Q(is_active=True, pk__in=members) | Q(pk=case.worker_id)
        ).order_by("last_name", "first_name", "username")
        kind_field: forms.ModelChoiceField = self.fields["help_kind"]  # type: ignore[assignment]
        # Retired kinds stay choosable on the cases that have them, like the worker.
        kind_field.queryset = HelpKind.objects.filter(Q(active=True) | Q(code=case.help_kind_id))
        if not self.is_bound:
            for name in self.FIELDS:
                self.initial.setdefault(name, getattr(case, name))
            self.initial.setdefault("version", case.version)

    def clean_family_goals(self) -> str:
        return str(self.cleaned_data["family_goals"]).strip()

    def clean_assessment(self) -> str:
        return str(self.cleaned_data["assessment"]).strip()


class HelpKindChoiceForm(FilterForm):
    """Step 1 of a decision: the kind of help; choosing one swaps in the fields it needs."""

    hilfeart = forms.ModelChoiceField(
        label="Hilfeart",
        queryset=HelpKind.objects.filter(active=True),
        to_field_name="code",
        empty_label="– bitte wählen –",
        help_text="Der Bescheid fragt genau die Angaben ab, die diese Hilfe braucht.",
    )

    def __init__(self, *, swap_url: str, kind: HelpKind | None) -> None:
        super().__init__(initial={"hilfeart": kind.code if kind else None}, auto_id="%s")
        self.fields["hilfeart"].widget.attrs.update(
            {
                "hx-get": swap_url,
                "hx-trigger": "change",
                "hx-target": "#kind-fields",
                "hx-swap": "outerHTML",
            }
        )


class TimelineKindsForm(FilterForm):
    """Which kinds of entries the case timeline shows (read by ``parse_filter``)."""

    art = forms.MultipleChoiceField(label="Einträge zeigen", widget=forms.CheckboxSelectMultiple)

    def __init__(self, kinds: list[tuple[str, str, bool]]) -> None:
        super().__init__(
            initial={"art": [key for key, _, chosen in kinds if chosen]}, auto_id="verlauf-%s"
        )
        field = self.fields["art"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, label) for key, label, _ in kinds]
