import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from apps.cases.models import Provider
from apps.consents.models import CONSENT_SCAN_MAX_BYTES, Form, Purpose
from apps.consents.services import ConsentInput
from apps.core import forms as core_forms
from apps.core.forms import DateInput
from apps.core.submissions import SubmissionKeyMixin
from apps.core.uploads import ACCEPT, checked_upload
from apps.organisation.models import Schule, Traeger

INVALID_DATE = "Bitte geben Sie ein gültiges Datum an, z. B. 14.03.2026."


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": INVALID_DATE, "required": f"Bitte geben Sie „{label}“ an."},
    )


def _scan_field() -> forms.FileField:
    return forms.FileField(
        label="Scan der unterschriebenen Erklärung",
        required=False,
        help_text="PDF, PNG oder JPEG, höchstens 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


def _clean_scan(form: forms.Form) -> UploadedFile | None:
    scan: UploadedFile | None = form.cleaned_data.get("scan")
    if not scan:
        return None
    return checked_upload(scan, max_bytes=CONSENT_SCAN_MAX_BYTES, prefix="einwilligung")


class NamedChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if isinstance(obj, (Schule, Provider)) else f"{obj.short_name} ({obj.name})"


class ConsentForm(SubmissionKeyMixin, core_forms.Form):
    given_by = forms.CharField(
        label="Einwilligung erteilt von",
        max_length=120,
        error_messages={"required": "Bitte geben Sie an, wer eingewilligt hat."},
    )
    relation = forms.CharField(
        label="Beziehung zum Kind", max_length=60, initial="Sorgeberechtigte"
    )
    given_on = _date("erteilt am")
    form = forms.ChoiceField(label="Form", choices=Form.choices, initial=Form.WRITTEN)
    valid_until = _date("gültig bis", required=False, help_text="Leer lassen, wenn unbefristet.")
    purposes = forms.MultipleChoiceField(
        label="Wofür gilt die Einwilligung?",
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Bitte wählen Sie mindestens einen Zweck."},
    )
    organisations = NamedChoice(
        label="Träger und Familienamt",
        queryset=Traeger.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schools = NamedChoice(
        label="Schulen",
        queryset=Schule.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    providers = NamedChoice(
        label="Leistungserbringer",
        queryset=Provider.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scan = _scan_field()

    def clean_scan(self) -> UploadedFile | None:
        return _clean_scan(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given_on, until = data.get("given_on"), data.get("valid_until")
        if given_on and given_on > timezone.localdate():
            self.add_error("given_on", "Das Datum liegt in der Zukunft.")
        if given_on and until and until < given_on:
            self.add_error("valid_until", "„gültig bis“ liegt vor dem Tag der Einwilligung.")
        if not (data.get("organisations") or data.get("schools") or data.get("providers")):
            self.add_error(
                None,
                "Bitte wählen Sie mindestens einen Empfänger: einen Träger, "
                "eine Schule oder einen Leistungserbringer.",
            )
        purposes = set(data.get("purposes") or [])
        if Purpose.SCHOOL_EXCHANGE in purposes and not data.get("schools"):
            self.add_error(
                "schools", "Für den Austausch mit der Schule bitte die Schule auswählen."
            )
        if Purpose.PROVIDER_INFO in purposes and not data.get("providers"):
            self.add_error(
                "providers", "Für die Information an den Leistungserbringer bitte ihn auswählen."
            )
        return data

    def to_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            given_by=data["given_by"],
            relation=data["relation"],
            given_on=data["given_on"],
            purposes=list(data["purposes"]),
            form=data["form"],
            valid_until=data["valid_until"],
            organisations=data["organisations"],
            schools=data["schools"],
            providers=data["providers"],
            scan=data.get("scan"),
        )


class RenewForm(SubmissionKeyMixin, core_forms.Form):
    given_on = _date("erneut erteilt am")
    valid_until = _date("gültig bis", required=False, help_text="Leer lassen, wenn unbefristet.")
    form = forms.ChoiceField(label="Form", choices=Form.choices, initial=Form.WRITTEN)
    scan = _scan_field()

    def clean_scan(self) -> UploadedFile | None:
        return _clean_scan(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given_on, until = data.get("given_on"), data.get("valid_until")
        if given_on and given_on > timezone.localdate():
            self.add_error("given_on", "Das Datum liegt in der Zukunft.")
        if given_on and until and until < given_on:
            self.add_error("valid_until", "„gültig bis“ liegt vor dem Tag der Erneuerung.")
        return data


class WithdrawForm(core_forms.Form):
    withdrawn_on = _date("Widerruf erklärt am")
    note = forms.CharField(
        label="Wie wurde widerrufen?",
        max_length=300,
        help_text="Zum Beispiel: schriftlich per Brief, mündlich im Gespräch.",
        error_messages={"required": "Bitte geben Sie an, wie widerrufen wurde."},
    )

    def clean_withdrawn_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["withdrawn_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Das Datum liegt in der Zukunft.")
        return day
