"""Consents (Einwilligung / Schweigepflichtentbindung) as records of their own on the case.

Each consent names its purposes and its recipients, picked from the
organisations the project knows (Träger incl. the city's Familienamt,
schools, providers), who gave it, when, in what form and until when. A
renewal is a new record that points at the one it renews; a withdrawal is
stamped on the record and takes effect at once, because every rule that
relies on a consent (:mod:`apps.consents.rules`) asks at the moment of use.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.cases.models import Case, Provider
from apps.organisation.models import Schule, Traeger
from apps.referrals.models import Consent as RequestConsent

if TYPE_CHECKING:
    from apps.accounts.models import User

CONSENT_SCAN_MAX_BYTES = 5 * 1024 * 1024
# A consent ending within this many days becomes a task for the team.
EXPIRY_WARNING_DAYS = 28


class Purpose(models.TextChoices):
    REFERRAL = "referral", "Weitergabe der Anfrage an Familienamt und Sozialraumteam"
    SCHOOL_EXCHANGE = "school_exchange", "Austausch mit der Schule"
    CASE_CONFERENCE = "case_conference", "Nennung des Namens in der Fallberatung"
    PROVIDER_INFO = "provider_info", "Information an den Leistungserbringer"


class Form(models.TextChoices):
    WRITTEN = "written", "schriftlich"
    ORAL = "oral", "mündlich (im Gespräch dokumentiert)"
    ELECTRONIC = "electronic", "elektronisch (E-Mail)"


def _visible_cases(user: "User") -> Any:
    return Case.objects.visible_to(user).values("pk")


class CaseConsentQuerySet(models.QuerySet["CaseConsent"]):
    def visible_to(self, user: "User") -> "CaseConsentQuerySet":
        return self.filter(case__in=_visible_cases(user))

    def valid(self, day: datetime.date | None = None) -> "CaseConsentQuerySet":
        """Given by ``day``, not withdrawn, not expired."""
        day = day or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, given_on__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def expiring(self, day: datetime.date) -> "CaseConsentQuerySet":
        """Valid consents ending within the warning period and not renewed."""
        return (
            self.valid(day)
            .filter(valid_until__lte=day + datetime.timedelta(days=EXPIRY_WARNING_DAYS))
            .filter(renewals__isnull=True)
        )

    def for_purpose(self, purpose: str) -> "CaseConsentQuerySet":
        return self.filter(purposes__contains=[purpose])


class CaseConsent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purposes = ArrayField(
        models.CharField(max_length=30, choices=Purpose.choices), verbose_name="Zwecke"
    )
    recipient_organisations = models.ManyToManyField(
        Traeger, blank=True, related_name="+", verbose_name="Träger und Familienamt"
    )
    recipient_schools = models.ManyToManyField(
        Schule, blank=True, related_name="+", verbose_name="Schulen"
    )
    recipient_providers = models.ManyToManyField(
        Provider, blank=True, related_name="+", verbose_name="Leistungserbringer"
    )
    given_by = models.CharField("Einwilligung erteilt von", max_length=120)
    relation = models.CharField("Beziehung zum Kind", max_length=60, default="Sorgeberechtigte")
    given_on = models.DateField("erteilt am")
    form = models.CharField("Form", max_length=12, choices=Form.choices, default=Form.WRITTEN)
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    scan = models.FileField("Scan der Erklärung", upload_to="einwilligungen/%Y/", blank=True)
    renews = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name="erneuert die Einwilligung",
    )
    # The consent the school recorded with its request, when this one was carried over.
    from_request = models.OneToOneField(
        RequestConsent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("erfasst am", default=timezone.now)
    withdrawn_at = models.DateTimeField("widerrufen am", null=True, blank=True)
    withdrawn_on = models.DateField("Widerruf erklärt am", null=True, blank=True)
    withdrawal_note = models.CharField("Wie wurde widerrufen?", max_length=300, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Set when the coming expiry became a task for the team (once per consent).
    expiry_task_on = models.DateField(null=True, blank=True, editable=False)

    objects = CaseConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "Einwilligung"
        verbose_name_plural = "Einwilligungen"
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["case", "withdrawn_at"]),
            models.Index(
                fields=["valid_until"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_running_until",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(purposes=[]), name="case_consent_has_a_purpose"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="case_consent_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Einwilligung vom {self.given_on:%d.%m.%Y}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.withdrawn_at is None
            and self.given_on <= day
            and (self.valid_until is None or self.valid_until >= day)
        )

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())

    @property
    def state(self) -> str:
        today = timezone.localdate()
        if self.withdrawn_at is not None:
            return "widerrufen"
        if self.given_on > today:
            return "noch nicht wirksam"
        if self.valid_until is not None and self.valid_until < today:
            return "abgelaufen"
        return "gültig"

    @property
    def purpose_labels(self) -> list[str]:
        return [Purpose(purpose).label for purpose in self.purposes if purpose in Purpose.values]

    @property
    def recipient_labels(self) -> list[str]:
        """Names of the recipients; needs the three relations prefetched for a list."""
        return [
            *(organisation.short_name for organisation in self.recipient_organisations.all()),
            *(school.name for school in self.recipient_schools.all()),
            *(provider.name for provider in self.recipient_providers.all()),
        ]
