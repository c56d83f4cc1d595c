import datetime

from django import forms
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case
from apps.casework.models import Contact, Task
from apps.casework.services import case_colleagues
from apps.core import forms as core_forms
from apps.core.forms import DateInput, DateTimeInput
from apps.core.submissions import SubmissionKeyMixin

INVALID_DATE = "Bitte geben Sie ein gültiges Datum an, z. B. 14.03.2026."


class ColleagueField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class ColleaguesField(forms.ModelMultipleChoiceField):
    # Shown by the KERN field template when there are no checkboxes.
    empty_text = "Im Team und im Familienamt gibt es niemanden, für den Sie freigeben könnten."

    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class NoteForm(SubmissionKeyMixin, core_forms.Form):
    text = forms.CharField(
        label="Neue Notiz",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Was Sie tippen, wird alle paar Sekunden als Entwurf gesichert – "
        "auch wenn die Sitzung abläuft.",
        error_messages={"required": "Bitte schreiben Sie einen Text für die Notiz."},
    )
    confided = forms.BooleanField(
        label="anvertraut (§ 65 SGB VIII): nur ich sehe den Text",
        required=False,
        widget=forms.CheckboxInput,
    )


class NoteCorrectionForm(SubmissionKeyMixin, core_forms.Form):
    text = forms.CharField(
        label="Korrigierter Text",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Bitte schreiben Sie den korrigierten Text."},
    )
    reason = forms.CharField(
        label="Grund der Korrektur",
        max_length=300,
        required=False,
        widget=forms.TextInput,
    )

    def __init__(self, *args: object, current_text: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.current_text = current_text

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if text.strip() == self.current_text.strip():
            raise forms.ValidationError("Der Text ist unverändert; es gibt nichts zu korrigieren.")
        return text


class NoteShareForm(core_forms.Form):
    colleagues = ColleaguesField(
        label="Für wen freigeben?",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Bitte wählen Sie mindestens eine Kollegin oder einen Kollegen.",
            "invalid_choice": (
                "Freigeben können Sie nur für das Team des Falls und das Familienamt."
            ),
        },
    )
    consent_given_by = forms.CharField(
        label="Einwilligung erteilt von",
        max_length=120,
        widget=forms.TextInput,
        error_messages={"required": "Bitte geben Sie an, wer eingewilligt hat."},
    )
    consent_given_on = forms.DateField(
        label="Einwilligung erteilt am",
        widget=DateInput(),
        error_messages={
            "required": "Bitte geben Sie an, wann eingewilligt wurde.",
            "invalid": INVALID_DATE,
        },
    )
    consent_basis = forms.CharField(
        label="Worauf beruht die Einwilligung?",
        help_text="Zum Beispiel: mündlich im Gespräch am …, Umfang und Zweck der Weitergabe.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Ohne Einwilligung darf die Notiz nicht weitergegeben werden."},
    )

    def __init__(self, *args: object, case: Case, author: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["colleagues"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = case_colleagues(case).exclude(pk=author.pk)

    def clean_consent_given_on(self) -> datetime.date:
        given_on: datetime.date = self.cleaned_data["consent_given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("Eine Einwilligung kann nicht in der Zukunft liegen.")
        return given_on


class TaskForm(SubmissionKeyMixin, core_forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "due_date", "assignee"]
        widgets = {
            "title": forms.TextInput,
            "due_date": DateInput(),
        }
        field_classes = {"assignee": ColleagueField}
        error_messages = {
            "title": {"required": "Bitte beschreiben Sie, was zu tun ist."},
            "due_date": {
                "required": "Bitte geben Sie ein Datum an, bis wann.",
                "invalid": INVALID_DATE,
            },
            "assignee": {
                "required": "Bitte wählen Sie, wer zuständig ist.",
                "invalid_choice": "Bitte wählen Sie jemanden aus dem Team des Falls "
                "oder aus dem Familienamt.",
            },
        }

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = case_colleagues(case)
        field.empty_label = "Bitte wählen"


class TaskEditForm(TaskForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContactForm(SubmissionKeyMixin, core_forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["happened_at", "kind", "with_whom", "result"]
        widgets = {
            "happened_at": DateTimeInput(),
            "kind": forms.Select,
            "with_whom": forms.TextInput,
            "result": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "happened_at": {
                "required": "Bitte geben Sie an, wann der Kontakt war.",
                "invalid": "Bitte geben Sie Datum und Uhrzeit an, z. B. 14.03.2026 10:30.",
            },
            "kind": {
                "required": "Bitte wählen Sie die Art des Kontakts.",
                "invalid_choice": "Bitte wählen Sie eine der angebotenen Arten.",
            },
            "with_whom": {"required": "Bitte geben Sie an, mit wem."},
            "result": {"required": "Bitte halten Sie kurz das Ergebnis fest."},
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Bitte wählen"), *Contact.Kind.choices]

    def clean_happened_at(self) -> datetime.datetime:
        happened_at: datetime.datetime = self.cleaned_data["happened_at"]
        if happened_at > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError("Ein Kontakt kann nicht in der Zukunft liegen.")
        return happened_at
