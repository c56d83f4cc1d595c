from typing import Any

from django import forms

from apps.accounts.models import User
from apps.cases.models import Case
from apps.core import forms as core_forms
from apps.core.drafts import draftable
from apps.core.forms import DateInput
from apps.core.submissions import SubmissionKeyMixin
from apps.neighbourhood.models import (
    Activity,
    Resource,
    ResourceCaseLink,
    editable_sozialraum_ids,
)
from apps.organisation.models import Sozialraum, Team

NO_CLIENT_DATA = (
    "Keine personenbezogenen Daten von Familien: keine Namen von Kindern, Eltern oder "
    "anderen Klientinnen und Klienten."
)
INVALID_DATE = "Bitte geben Sie ein gültiges Datum an, z. B. 14.03.2026."


class VersionedForm(SubmissionKeyMixin, core_forms.ModelForm):
    """An edit form that carries the version the person loaded (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


def _limit_choices(form: forms.BaseForm, name: str, queryset: Any, empty_label: str) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    field.empty_label = empty_label


def _activity_scope(user: Any, pk: int) -> object:
    """0: a new activity (the user may create one); else the activity the user may edit."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from apps.neighbourhood.models import may_create

    if pk == 0:
        if not may_create(user):
            raise PermissionDenied
        return None
    activity = get_object_or_404(Activity.objects.visible_to(user), pk=pk)
    if not activity.is_editable_by(user):
        raise PermissionDenied
    return activity


@draftable("neighbourhood.activity", scope=_activity_scope)
class ActivityForm(VersionedForm):
    class Meta:
        model = Activity
        fields = [
            "team",
            "kind",
            "title",
            "date",
            "place",
            "hours_spent",
            "participants",
            "outcome",
        ]
        widgets = {
            "kind": forms.Select,
            "title": forms.TextInput,
            "date": DateInput(),
            "place": forms.TextInput,
            "participants": forms.NumberInput(attrs={"min": "0"}),
            "hours_spent": forms.NumberInput(attrs={"min": "0.5", "step": "0.5"}),
            "outcome": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "title": "Zum Beispiel: Offenes Basketballtraining am Jugendclub.",
            "participants": "Ungefähre Zahl reicht; keine Namen.",
            "hours_spent": "Zeit des Teams einschließlich Vor- und Nachbereitung, z. B. 2,5.",
            "outcome": "Was ist entstanden, was wurde vereinbart? " + NO_CLIENT_DATA,
        }
        error_messages = {
            "team": {
                "required": "Bitte wählen Sie das Team.",
                "invalid_choice": "Aktivitäten können Sie nur für Ihr eigenes Team erfassen.",
            },
            "kind": {
                "required": "Bitte wählen Sie die Art der Aktivität.",
                "invalid_choice": "Bitte wählen Sie eine der angebotenen Arten.",
            },
            "title": {"required": "Bitte geben Sie einen Titel an."},
            "date": {"required": "Bitte geben Sie das Datum an.", "invalid": INVALID_DATE},
            "hours_spent": {
                "required": "Bitte geben Sie an, wie viele Stunden das Team aufgewendet hat.",
                "invalid": "Bitte geben Sie die Stunden als Zahl an, zum Beispiel 2,5.",
                "min_value": "Bitte mindestens eine halbe Stunde angeben.",
                "max_value": "Bitte höchstens 999 Stunden angeben.",
                "max_digits": "Bitte höchstens 999 Stunden angeben.",
                "max_decimal_places": "Bitte die Stunden auf eine Nachkommastelle angeben.",
            },
            "participants": {
                "required": "Bitte geben Sie an, wie viele teilgenommen haben (0, wenn unbekannt).",
                "invalid": "Bitte geben Sie die Zahl der Teilnehmenden als ganze Zahl an.",
                "min_value": "Die Zahl der Teilnehmenden kann nicht negativ sein.",
            },
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = editable_sozialraum_ids(user)
        teams = Team.objects.select_related("sozialraum")
        if ids is not None:
            teams = teams.filter(sozialraum_id__in=ids)
        _limit_choices(self, "team", teams, "Bitte wählen")
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "Bitte wählen"), *Activity.Kind.choices]


class ResourceForm(VersionedForm):
    class Meta:
        model = Resource
        fields = [
            "sozialraum",
            "kind",
            "name",
            "description",
            "contact",
            "address",
            "opening_hours",
            "active",
        ]
        widgets = {
            "kind": forms.Select,
            "name": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 5}),
            "contact": forms.TextInput,
            "address": forms.TextInput,
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "active": forms.CheckboxInput,
        }
        help_texts = {
            "name": "Eine Person nur mit ihrem Einverständnis und in ihrer Rolle, "
            "z. B. „Trainer des Sportvereins“.",
            "description": "Was bietet die Ressource, für wen ist sie gut? " + NO_CLIENT_DATA,
            "contact": "Telefon, E-Mail oder Ansprechperson.",
            "active": "Nicht mehr aktive Ressourcen bleiben im Verzeichnis sichtbar, "
            "werden aber nicht mehr vorgeschlagen.",
        }
        error_messages = {
            "sozialraum": {
                "required": "Bitte wählen Sie den Sozialraum.",
                "invalid_choice": "Ressourcen können Sie nur im Sozialraum Ihres Teams erfassen.",
            },
            "kind": {
                "required": "Bitte wählen Sie, ob es eine Person, ein Ort oder ein Angebot ist.",
                "invalid_choice": "Bitte wählen Sie eine der angebotenen Arten.",
            },
            "name": {"required": "Bitte geben Sie einen Namen an."},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = editable_sozialraum_ids(user)
        sozialraeume = Sozialraum.objects.all()
        if ids is not None:
            sozialraeume = sozialraeume.filter(pk__in=ids)
        _limit_choices(self, "sozialraum", sozialraeume, "Bitte wählen")
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "Bitte wählen"), *Resource.Kind.choices]


NOTE_FIELD = forms.CharField(
    label="Wie hat es geholfen?",
    max_length=300,
    required=False,
    help_text="Kurz und ohne Anvertrautes, z. B. „Platz in der Hausaufgabenhilfe gefunden“.",
    widget=forms.TextInput,
    error_messages={"max_length": "Bitte fassen Sie sich kürzer (höchstens 300 Zeichen)."},
)


class LinkCaseForm(SubmissionKeyMixin, core_forms.Form):
    """On a resource's page: which case did it help in (by Aktenzeichen)?"""

    reference = forms.CharField(
        label="Aktenzeichen des Falls",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "faelle-zur-auswahl"}),
        error_messages={"required": "Bitte geben Sie das Aktenzeichen des Falls an."},
    )
    note = NOTE_FIELD

    def __init__(self, *args: Any, user: User, resource: Resource, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.resource = resource

    def clean_reference(self) -> Case:
        reference = self.cleaned_data["reference"].strip()
        # Unknown and other teams' cases get the same answer: no hint that a case exists.
        case = Case.objects.visible_to(self.user).filter(reference__iexact=reference).first()
        if case is None:
            raise forms.ValidationError(
                f"Einen Fall mit dem Aktenzeichen „{reference}“ gibt es in Ihren Fällen nicht."
            )
        if ResourceCaseLink.objects.filter(resource=self.resource, case=case).exists():
            raise forms.ValidationError(
                f"Die Ressource ist mit dem Fall {case.reference} schon verknüpft."
            )
        return case


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        return f"{obj.name} ({obj.get_kind_display()}, {obj.sozialraum.name})"


class LinkResourceForm(SubmissionKeyMixin, core_forms.Form):
    """On a case's page: which resource helped here? The case's Sozialraum comes first."""

    resource = ResourceChoiceField(
        label="Ressource",
        queryset=Resource.objects.none(),
        empty_label="Bitte wählen",
        widget=forms.Select,
        error_messages={
            "required": "Bitte wählen Sie eine Ressource.",
            "invalid_choice": "Diese Ressource steht nicht (mehr) zur Auswahl.",
        },
    )
    note = NOTE_FIELD

    def __init__(self, *args: Any, user: User, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resource"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Resource.objects.visible_to(user)
            .filter(active=True)
            .exclude(case_links__case=case)
            .select_related("sozialraum")
            .nearest_first(case.sozialraum_id)
        )
