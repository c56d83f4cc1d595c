"""Team case conferences (Fallberatung, kollegiale Beratung).

A conference belongs to one Sozialraumteam; its agenda lists cases of that
team. Each participant is stored with the organisation that employs them at
the time (their Träger, or the city for Familienamt staff): whether a case
may be discussed with names depends on whether the family's consent covers
all those organisations (see :func:`apps.conferences.rules.consent_covers`).

The minutes of an agenda item are case content: they are shown only to
people who may see the case, and they carry a version so that a second,
concurrent save is refused instead of overwriting the first.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import team_scope
from apps.cases.models import Case
from apps.casework.models import Task
from apps.core.records import VersionedRecord
from apps.organisation.models import Team, Traeger

if TYPE_CHECKING:
    from apps.accounts.models import User


class ConferenceQuerySet(models.QuerySet["Conference"]):
    def visible_to(self, user: "User") -> "ConferenceQuerySet":
        """Familienamt: all; team members: their team's; nobody else."""
        return self.filter(team_scope(user))


class Conference(VersionedRecord):
    class Status(models.TextChoices):
        PLANNED = "planned", "geplant"
        HELD = "held", "durchgeführt"

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="conferences", verbose_name="Team"
    )
    starts_at = models.DateTimeField("Datum und Uhrzeit")
    place = models.CharField("Ort", max_length=200)
    status = models.CharField(
        "Status", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Participant",
        related_name="conferences",
        verbose_name="Teilnehmende",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Moderation",
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Protokoll",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConferenceQuerySet.as_manager()

    stale_name = "Die Fallberatung"

    class Meta:
        verbose_name = "Fallberatung"
        verbose_name_plural = "Fallberatungen"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["team", "starts_at"])]

    def __str__(self) -> str:
        return f"Fallberatung am {timezone.localtime(self.starts_at):%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("conferences:detail", args=[self.pk])

    @property
    def local_date_label(self) -> str:
        return f"{timezone.localtime(self.starts_at):%d.%m.%Y}"


class Participant(models.Model):
    """A person at a conference, with the organisation that employed them then."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="participant_entries"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # None when the person has no known employer: consent can then never cover them.
    organisation = models.ForeignKey(
        Traeger, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Teilnahme"
        verbose_name_plural = "Teilnahmen"
        ordering = ["user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"], name="conference_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation or 'ohne Träger'})"


class AgendaItem(VersionedRecord):
    """One case on the agenda, with the minutes along the phases of kollegiale Beratung."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="agenda_items"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conference_items")
    order = models.PositiveSmallIntegerField("Reihenfolge", default=1)
    case_giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Fallgeber:in",
    )
    case_account = models.TextField("Fallschilderung", blank=True)
    questions = models.TextField("Verständnisfragen", blank=True)
    key_question = models.TextField("Schlüsselfrage", blank=True)
    hypotheses = models.TextField("Hypothesen", blank=True)
    ideas = models.TextField("Lösungsideen", blank=True)
    choice = models.TextField("Auswahl durch Fallgeber:in", blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    stale_name = "Das Protokoll"

    class Meta:
        verbose_name = "Tagesordnungspunkt"
        verbose_name_plural = "Tagesordnungspunkte"
        ordering = ["conference", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "case"], name="agenda_case_once")
        ]

    def __str__(self) -> str:
        return f"TOP {self.order} der Fallberatung {self.conference_id}"

    def get_absolute_url(self) -> str:
        return reverse("conferences:minutes", args=[self.conference_id, self.pk])

    @property
    def has_minutes(self) -> bool:
        return any(getattr(self, name) for name in MINUTES_PHASES)


# The phases of kollegiale Beratung, in the order the minutes follow them.
MINUTES_PHASES = ("case_account", "questions", "key_question", "hypotheses", "ideas", "choice")


class AgreedStep(models.Model):
    """An agreed next step of an agenda item; it lives on as a task on the case."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="agreed_steps"
    )
    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="agreed_in")

    class Meta:
        verbose_name = "vereinbarter Schritt"
        verbose_name_plural = "vereinbarte Schritte"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Schritt {self.pk} aus TOP {self.agenda_item_id}"
