"""What the steering layer owns: budgets, provider rates and the council's reports.

Nothing here holds personal data. A published report keeps its figures as a
frozen JSON snapshot, already suppressed (no cell can single out a child), so
later changes to cases never change what the council was shown.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Provider
from apps.organisation.models import Sozialraum, Traeger
from apps.reports.periods import parse_period


class Budget(models.Model):
    """The yearly Sozialraumbudget of one Träger in one Sozialraum (flat payment)."""

    year = models.PositiveSmallIntegerField(
        "Jahr", validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="budgets", verbose_name="Sozialraum"
    )
    traeger = models.ForeignKey(
        Traeger, on_delete=models.PROTECT, related_name="budgets", verbose_name="Träger"
    )
    flat_payment = models.DecimalField(
        "Pauschale (Euro im Jahr)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    schulbegleitung_planned = models.DecimalField(
        "davon geplant für Schulbegleitung (Euro)",
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=12,
        decimal_places=2,
    )
    staff_hours = models.DecimalField(
        "Fachkraftstunden im Jahr (geplant)",
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    unspecific_share = models.DecimalField(
        "geplanter Anteil fallunspezifischer Arbeit (%)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    note = models.CharField("Bemerkung", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Sozialraumbudget"
        verbose_name_plural = "Sozialraumbudgets"
        ordering = ["-year", "sozialraum__sort_order", "traeger__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sozialraum", "traeger"], name="budget_unique_per_year"
            ),
            models.CheckConstraint(
                name="budget_schulbegleitung_within_payment",
                condition=models.Q(schulbegleitung_planned__lte=models.F("flat_payment")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.sozialraum} / {self.traeger}"

    @property
    def unspecific_hours_planned(self) -> Decimal:
        return (self.staff_hours * self.unspecific_share / 100).quantize(Decimal("0.1"))


class ProviderRate(models.Model):
    """The hourly rate (Fachleistungsstunde) a Schulbegleitung provider bills in a year.

    Assumed the same in every Sozialraum; kept per year so old budgets keep
    the rate they were planned with.
    """

    year = models.PositiveSmallIntegerField(
        "Jahr", validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="rates", verbose_name="Leistungserbringer"
    )
    hourly_rate = models.DecimalField(
        "Stundensatz (Euro)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = "Stundensatz Schulbegleitung"
        verbose_name_plural = "Stundensätze Schulbegleitung"
        ordering = ["-year", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "provider"], name="provider_rate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.year}: {self.hourly_rate} €"


class CouncilReport(models.Model):
    """A report to the city council for a half-year or a year, as the Leitung drafts it."""

    title = models.CharField("Titel", max_length=200)
    period_key = models.CharField("Zeitraum", max_length=10)
    text = models.TextField("Einleitung und Einordnung", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "Bericht an den Stadtrat"
        verbose_name_plural = "Berichte an den Stadtrat"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report_edit", args=[self.pk])

    @property
    def period_label(self) -> str:
        period = parse_period(self.period_key)
        return period.label if period is not None else self.period_key


class PublishedReportQuerySet(models.QuerySet["PublishedReport"]):
    def latest_versions(self) -> "PublishedReportQuerySet":
        """One row per report: its newest published version."""
        return self.order_by("report_id", "-number").distinct("report_id")


class PublishedReport(models.Model):
    """One published version of a council report: frozen text and figures.

    ``figures`` holds the tables exactly as shown, after suppression. A
    correction is a new number with ``change_note`` saying what changed.
    """

    report = models.ForeignKey(CouncilReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("Fassung")
    title = models.CharField("Titel", max_length=200)
    period_key = models.CharField("Zeitraum", max_length=10)
    period_label = models.CharField("Zeitraum", max_length=60)
    text = models.TextField("Einleitung und Einordnung", blank=True)
    change_note = models.TextField(
        "Was sich gegenüber der vorigen Fassung geändert hat", blank=True
    )
    figures = models.JSONField("Zahlen (eingefroren)")
    published_at = models.DateTimeField("veröffentlicht am", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        verbose_name = "veröffentlichte Fassung"
        verbose_name_plural = "veröffentlichte Fassungen"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="published_report_unique")
        ]
        indexes = [models.Index(fields=["report", "-number"])]

    def __str__(self) -> str:
        return f"{self.title} (Fassung {self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Eine veröffentlichte Fassung wird nie geändert; eine neue entsteht.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:published", args=[self.pk])
