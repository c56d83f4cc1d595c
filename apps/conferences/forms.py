import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import CASEWORK_ROLES, User
from apps.cases.models import Case
from apps.casework.services import case_colleagues
from apps.conferences.models import AgendaItem, Conference
from apps.conferences.rules import initials
from apps.conferences.services import participant_organisation
from apps.core import forms as core_forms
from apps.core.drafts import draftable
from apps.core.forms import DateInput, DateTimeInput
from apps.core.submissions import SubmissionKeyMixin
from apps.organisation.models import Team, Traeger

INVALID_DATE = "Bitte geben Sie ein gültiges Datum an, z. B. 14.03.2026."
NOT_A_PARTICIPANT = "Bitte wählen Sie jemanden, der an der Fallberatung teilnimmt."


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class ParticipantsField(forms.ModelMultipleChoiceField):
    """Checkboxes labelled with the organisation each person would speak for."""

    empty_text = "Im Team und im Familienamt gibt es niemanden zur Auswahl."

    def __init__(
        self, *args: Any, team: Team | None = None, city: Traeger | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.team, self.city = team, city

    def label_from_instance(self, obj: User) -> str:
        if self.team is None:
            return str(obj)
        organisation = participant_organisation(obj, self.team, self.city)
        return f"{obj} ({organisation or 'ohne Träger'})"


def _role_field(label: str) -> PersonField:
    return PersonField(
        label=label,
        queryset=User.objects.none(),
        required=False,
        empty_label="noch offen",
        widget=forms.Select,
        error_messages={"invalid_choice": NOT_A_PARTICIPANT},
    )


class ConferenceForm(SubmissionKeyMixin, core_forms.Form):
    starts_at = forms.DateTimeField(
        label="Datum und Uhrzeit",
        widget=DateTimeInput(),
        error_messages={
            "required": "Bitte geben Sie Datum und Uhrzeit der Fallberatung an.",
            "invalid": "Bitte geben Sie Datum und Uhrzeit an, z. B. 14.03.2026 10:30.",
        },
    )
    place = forms.CharField(
        label="Ort",
        max_length=200,
        widget=forms.TextInput,
        error_messages={"required": "Bitte geben Sie an, wo die Fallberatung stattfindet."},
    )
    participants = ParticipantsField(
        label="Teilnehmende",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Bitte wählen Sie, wer teilnimmt.",
            "invalid_choice": "Teilnehmen können nur Mitglieder des Teams und das Familienamt.",
        },
    )
    moderator = _role_field("Moderation")
    note_taker = _role_field("Protokoll")

    def __init__(
        self,
        *args: Any,
        team: Team,
        colleagues: QuerySet[User],
        city: Traeger | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        participants = self.fields["participants"]
        assert isinstance(participants, ParticipantsField)
        participants.queryset = colleagues
        participants.team, participants.city = team, city
        for name in ("moderator", "note_taker"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = colleagues

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        chosen = {user.pk for user in cleaned.get("participants") or []}
        for name in ("moderator", "note_taker"):
            person = cleaned.get(name)
            if person is not None and chosen and person.pk not in chosen:
                self.add_error(name, NOT_A_PARTICIPANT)
        return cleaned


class RolesForm(core_forms.Form):
    moderator = _role_field("Moderation")
    note_taker = _role_field("Protokoll")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, participants: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("moderator", "note_taker"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = participants


class CaseChoiceField(forms.ModelChoiceField):
    # Only code and initials: the choice list is seen in the conference context.
    def label_from_instance(self, obj: Case) -> str:
        return f"{obj.reference} ({initials(obj.person.first_name, obj.person.last_name)})"


class AgendaForm(SubmissionKeyMixin, core_forms.Form):
    case = CaseChoiceField(
        label="Fall",
        queryset=Case.objects.none(),
        empty_label="Bitte wählen",
        widget=forms.Select,
        error_messages={"required": "Bitte wählen Sie einen Fall."},
    )
    order = forms.IntegerField(
        label="Position auf der Tagesordnung",
        min_value=1,
        max_value=99,
        required=False,
        help_text="Leer lassen: ans Ende.",
        widget=forms.NumberInput,
        error_messages={
            "invalid": "Bitte geben Sie eine Zahl an.",
            "min_value": "Bitte geben Sie eine Zahl ab 1 an.",
            "max_value": "Bitte geben Sie eine Zahl bis 99 an.",
        },
    )

    def __init__(self, *args: Any, conference: Conference, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Case.objects.visible_to(user)
            .filter(team=conference.team_id)
            .exclude(conference_items__conference=conference)
            .select_related("person")
            .order_by("reference")
        )
        field.error_messages["invalid_choice"] = (
            f"Auf die Tagesordnung kommen nur Fälle des Teams {conference.team}, "
            "die dort noch nicht stehen."
        )


def _minutes_scope(user: Any, item_pk: int) -> AgendaItem:
    """The agenda item whose minutes ``user`` may write: conference and case visible."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    if not user.role_names & CASEWORK_ROLES:
        raise PermissionDenied
    return get_object_or_404(
        AgendaItem.objects.filter(
            conference__in=Conference.objects.visible_to(user).values("pk"),
            case__in=Case.objects.visible_to(user).values("pk"),
        ),
        pk=item_pk,
    )


@draftable("conferences.minutes", scope=_minutes_scope)
class MinutesForm(core_forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AgendaItem
        fields = [
            "case_giver",
            "case_account",
            "questions",
            "key_question",
            "hypotheses",
            "ideas",
            "choice",
        ]
        field_classes = {"case_giver": PersonField}
        widgets = {
            "case_account": forms.Textarea(attrs={"rows": 5}),
            "questions": forms.Textarea(attrs={"rows": 5}),
            "key_question": forms.Textarea(attrs={"rows": 2}),
            "hypotheses": forms.Textarea(attrs={"rows": 5}),
            "ideas": forms.Textarea(attrs={"rows": 5}),
            "choice": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "case_account": "Die Fallgeberin oder der Fallgeber schildert den Fall.",
            "questions": "Die Beratenden fragen nach, um den Fall zu verstehen – noch ohne Rat.",
            "key_question": "Was soll die Beratung klären? In den Worten der Fallgeber:in.",
            "hypotheses": "Vermutungen der Beratenden, was hinter der Lage stecken könnte.",
            "ideas": "Ideen der Beratenden; die Fallgeber:in hört zu.",
            "choice": "Was die Fallgeber:in aufgreift und wie es weitergeht.",
        }
        error_messages = {"case_giver": {"invalid_choice": NOT_A_PARTICIPANT}}

    def __init__(self, *args: Any, participants: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case_giver"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = participants
        field.empty_label = "noch offen"
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class StepForm(core_forms.Form):
    title = forms.CharField(
        label="Was ist zu tun?",
        max_length=200,
        widget=forms.TextInput,
        error_messages={"required": "Bitte beschreiben Sie, was zu tun ist."},
    )
    assignee = PersonField(
        label="zuständig",
        queryset=User.objects.none(),
        empty_label="Bitte wählen",
        widget=forms.Select,
        error_messages={
            "required": "Bitte wählen Sie, wer zuständig ist.",
            "invalid_choice": "Bitte wählen Sie jemanden aus dem Team des Falls "
            "oder aus dem Familienamt.",
        },
    )
    due_date = forms.DateField(
        label="fällig am",
        widget=DateInput(),
        error_messages={
            "required": "Bitte geben Sie ein Datum an, bis wann.",
            "invalid": INVALID_DATE,
        },
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = case_colleagues(case)

    def clean_due_date(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due_date"]
        if due < timezone.localdate() - datetime.timedelta(days=365):
            raise forms.ValidationError("Das Datum liegt mehr als ein Jahr zurück.")
        return due


class BaseStepFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError("Bitte tragen Sie mindestens einen Schritt ein.")


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=3, max_num=10)
