"""Documents on a case: the parents' application, § 35a statements, signed Hilfeplan pages.

Files are stored under neutral names in ``MEDIA_ROOT``, which is never
served: a download goes through :func:`apps.documents.views.document_download`,
which checks the case's visibility and is written to the access log. The row
hangs off the case, so retention deletes it and its file with the case.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Case

if TYPE_CHECKING:
    from apps.accounts.models import User

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class CaseDocumentQuerySet(models.QuerySet["CaseDocument"]):
    def visible_to(self, user: "User") -> "CaseDocumentQuerySet":
        return self.filter(case__in=Case.objects.visible_to(user).values("pk"))


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", "Antrag der Eltern"
        STATEMENT = "statement", "Ärztliche oder psychotherapeutische Stellungnahme (§ 35a)"
        HELP_PLAN = "help_plan", "Unterschriebene Seiten des Hilfeplans"
        OTHER = "other", "Sonstiges"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    title = models.CharField("Bezeichnung", max_length=200, blank=True)
    file = models.FileField("Datei", upload_to="dokumente/%Y/")
    content_type = models.CharField(max_length=60, editable=False)
    size = models.PositiveIntegerField("Größe in Bytes", editable=False)
    # Whether a virus scanner saw the file before it was stored.
    scanned = models.BooleanField("auf Viren geprüft", default=False, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("hochgeladen am", default=timezone.now)

    objects = CaseDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "Dokument"
        verbose_name_plural = "Dokumente"
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["case", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"Dokument {self.pk} zu {self.case_id}"

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.case_id, self.pk])

    @property
    def extension(self) -> str:
        return (self.file.name or "").rsplit(".", 1)[-1].lower()

    def download_name(self, case: Any) -> str:
        return (
            f"{self.get_kind_display().split(' (')[0]}-{case.reference}.{self.extension}".replace(
                " ", "-"
            )
        )
