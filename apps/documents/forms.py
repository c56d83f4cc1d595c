from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from apps.core import forms as core_forms
from apps.core.submissions import SubmissionKeyMixin
from apps.core.uploads import ACCEPT, checked_upload
from apps.documents.models import DOCUMENT_MAX_BYTES, CaseDocument


class DocumentForm(SubmissionKeyMixin, core_forms.Form):
    kind = forms.ChoiceField(
        label="Art des Dokuments",
        choices=[("", "Bitte wählen"), *CaseDocument.Kind.choices],
        error_messages={"required": "Bitte wählen Sie die Art des Dokuments."},
    )
    title = forms.CharField(
        label="Bezeichnung",
        max_length=200,
        required=False,
        help_text="Freiwillig, z. B. „Stellungnahme der Kinder- und Jugendpsychiatrie“.",
    )
    file = forms.FileField(
        label="Datei",
        help_text="PDF, PNG oder JPEG, höchstens 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Bitte wählen Sie eine Datei aus."},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        return checked_upload(upload, max_bytes=DOCUMENT_MAX_BYTES, prefix="dokument")

    def clean(self) -> dict[str, Any]:
        return super().clean() or {}
