"""The school in the loop while a Schulbegleitung runs: feedback and continuation requests.

A school leader writes here only about a request of their own school whose
case a valid consent for exchange with the school covers
(:func:`apps.consents.rules.school_may_know`). What the school writes
reaches the team as an entry on the case timeline; nothing flows back from
the team's notes.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.cases.models import Case
from apps.organisation.models import Schule

if TYPE_CHECKING:
    from apps.accounts.models import User


def _visible_cases(user: "User") -> Any:
    return Case.objects.visible_to(user).values("pk")


class SchoolFeedbackQuerySet(models.QuerySet["SchoolFeedback"]):
    def visible_to(self, user: "User") -> "SchoolFeedbackQuerySet":
        """Casework staff: of the cases they see; a school leader: their school's own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(case__in=_visible_cases(user)) | models.Q(school__in=user.schools)
        )


class SchoolFeedback(models.Model):
    class Overall(models.TextChoices):
        GOOD = "good", "läuft gut"
        MIXED = "mixed", "teils, teils"
        HARD = "hard", "läuft schwierig"

    class Trend(models.TextChoices):
        BETTER = "better", "besser als vorher"
        SAME = "same", "wie vorher"
        WORSE = "worse", "schlechter als vorher"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="school_feedback")
    school = models.ForeignKey(Schule, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("gesendet am", default=timezone.now)
    overall = models.CharField(
        "Wie läuft die Schulbegleitung?", max_length=10, choices=Overall.choices
    )
    participation = models.CharField(
        "Teilnahme am Unterricht", max_length=10, choices=Trend.choices
    )
    note = models.CharField("Was sollte das Team wissen?", max_length=500, blank=True)
    talk_wanted = models.BooleanField("Die Schule wünscht ein Gespräch", default=False)

    objects = SchoolFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "Rückmeldung der Schule"
        verbose_name_plural = "Rückmeldungen der Schule"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"Rückmeldung {self.pk} zu {self.case_id}"


class ContinuationRequest(models.Model):
    """The school asks that a Schulbegleitung ending with the school year continues."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="continuation_requests")
    school = models.ForeignKey(Schule, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("erbeten am", default=timezone.now)
    grant_until = models.DateField("Bewilligung endet am")

    class Meta:
        verbose_name = "Bitte um Fortsetzung"
        verbose_name_plural = "Bitten um Fortsetzung"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "grant_until"], name="one_continuation_request_per_grant"
            )
        ]

    def __str__(self) -> str:
        return f"Fortsetzung zu {self.case_id}"
