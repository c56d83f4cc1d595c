"""Neighbourhood work: activities with no case and the register of local resources.

Activities and resources hold no personal data of clients, so every team
and the Familienamt read all of them: a resource found in one Sozialraum may
serve a family in another. Only the owning team (and the Familienamt) edit.
A link between a resource and a case is case data and follows the case's
visibility. All of these rules live in the querysets below and nowhere else.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import CASEWORK_ROLES, FAMILIENAMT_ROLES, Role
from apps.cases.models import Case
from apps.core.records import VersionedRecord
from apps.organisation.models import Sozialraum, Team

if TYPE_CHECKING:
    from apps.accounts.models import User


def _is_active(user: "User") -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_use_neighbourhood(user: "User") -> bool:
    """Team members of any team and Familienamt staff; nobody else."""
    return _is_active(user) and bool(user.role_names & CASEWORK_ROLES)


def editable_sozialraum_ids(user: "User") -> list[int] | None:
    """The Sozialräume whose neighbourhood work ``user`` edits; None means all."""
    if not _is_active(user):
        return []
    if user.role_names & FAMILIENAMT_ROLES:
        return None
    if Role.TEAM in user.role_names:
        return [team.sozialraum_id for team in user.teams]
    return []


def can_edit(user: "User", sozialraum_id: int) -> bool:
    """The same rule as ``editable_by``, for a record already loaded."""
    sozialraum_ids = editable_sozialraum_ids(user)
    return sozialraum_ids is None or sozialraum_id in sozialraum_ids


def may_create(user: "User") -> bool:
    return editable_sozialraum_ids(user) != []


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: "User") -> "ActivityQuerySet":
        return self if may_use_neighbourhood(user) else self.none()

    def editable_by(self, user: "User") -> "ActivityQuerySet":
        sozialraum_ids = editable_sozialraum_ids(user)
        if sozialraum_ids is None:
            return self
        return self.filter(sozialraum_id__in=sozialraum_ids)


class Activity(VersionedRecord):
    """Fallunspezifische Arbeit: contact-building in the neighbourhood, without a case."""

    class Kind(models.TextChoices):
        OPEN_OFFER = "offenes_angebot", "offenes Angebot"
        NETWORK_MEETING = "netzwerktreffen", "Netzwerktreffen"
        NEIGHBOURHOOD_FESTIVAL = "stadtteilfest", "Stadtteilfest"
        LOCAL_CONSULTATION = "sprechstunde", "Sprechstunde vor Ort"
        COOPERATION_TALK = "kooperation", "Kooperationsgespräch"
        OTHER = "sonstiges", "Sonstiges"

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="activities", verbose_name="Team"
    )
    # Kept next to the team so lists filter by Sozialraum on an index; set from the team.
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name="Sozialraum",
        editable=False,
    )
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    title = models.CharField("Titel", max_length=200)
    date = models.DateField("Datum")
    place = models.CharField("Ort", max_length=200, blank=True)
    participants = models.PositiveIntegerField("erreichte Personen (Anzahl)", default=0)
    # Time the team spent, for the planned share of fallunspezifische Arbeit in the budget.
    hours_spent = models.DecimalField(
        "Zeitaufwand (Stunden)",
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("999"))],
    )
    outcome = models.TextField("Was ist daraus entstanden?", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    stale_name = "Die Aktivität"

    class Meta:
        verbose_name = "Aktivität"
        verbose_name_plural = "Aktivitäten"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["-date", "-id"], name="activity_keyset_idx"),
            models.Index(fields=["sozialraum", "-date", "-id"], name="activity_sozialraum_idx"),
            models.Index(fields=["kind", "-date"], name="activity_kind_idx"),
            models.Index(fields=["date", "team"], name="activity_date_team_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.sozialraum_id = self.team.sozialraum_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("neighbourhood:activity_detail", args=[self.pk])

    def is_editable_by(self, user: "User") -> bool:
        return can_edit(user, self.sozialraum_id)


class ResourceQuerySet(models.QuerySet["Resource"]):
    def visible_to(self, user: "User") -> "ResourceQuerySet":
        return self if may_use_neighbourhood(user) else self.none()

    def editable_by(self, user: "User") -> "ResourceQuerySet":
        sozialraum_ids = editable_sozialraum_ids(user)
        if sozialraum_ids is None:
            return self
        return self.filter(sozialraum_id__in=sozialraum_ids)

    def with_case_count(self) -> "ResourceQuerySet":
        """``case_count``: how many cases the resource helped in, across all teams.

        The number names no case, so everyone who sees the register sees it;
        which cases they are only shows through ``ResourceCaseLink.visible_to``.
        """
        return self.annotate(case_count=Count("case_links"))

    def nearest_first(self, sozialraum_id: int) -> "ResourceQuerySet":
        """Resources of ``sozialraum_id`` first, then the rest of the city."""
        return self.annotate(
            elsewhere=models.Case(
                models.When(sozialraum_id=sozialraum_id, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        ).order_by("elsewhere", "sozialraum__sort_order", "name", "pk")


class Resource(VersionedRecord):
    """A person, place or offer in a Sozialraum that helps families (Ressource)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        PLACE = "ort", "Ort"
        OFFER = "angebot", "Angebot"

    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="resources", verbose_name="Sozialraum"
    )
    kind = models.CharField("Art", max_length=10, choices=Kind.choices)
    name = models.CharField("Name", max_length=200)
    description = models.TextField("Beschreibung", blank=True)
    contact = models.CharField("Kontakt", max_length=300, blank=True)
    opening_hours = models.TextField("Öffnungszeiten", blank=True)
    address = models.CharField("Adresse", max_length=200, blank=True)
    active = models.BooleanField("aktiv", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ResourceQuerySet.as_manager()

    stale_name = "Die Ressource"

    class Meta:
        verbose_name = "Ressource"
        verbose_name_plural = "Ressourcen im Sozialraum"
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["sozialraum", "kind", "active"], name="resource_filter_idx"),
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="resource_name_trgm"),
            GinIndex(OpClass(Upper("description"), name="gin_trgm_ops"), name="resource_desc_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("neighbourhood:resource_detail", args=[self.pk])

    def is_editable_by(self, user: "User") -> bool:
        return can_edit(user, self.sozialraum_id)


class ResourceCaseLinkQuerySet(models.QuerySet["ResourceCaseLink"]):
    def visible_to(self, user: "User") -> "ResourceCaseLinkQuerySet":
        """A link names a case, so it is seen exactly where the case is seen."""
        return self.filter(case__in=Case.objects.visible_to(user))


class ResourceCaseLink(models.Model):
    """Fallübergreifende Arbeit: a resource helped in this case."""

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="case_links", verbose_name="Ressource"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="resource_links", verbose_name="Fall"
    )
    note = models.CharField("Wie hat es geholfen?", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ResourceCaseLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "Verknüpfung Ressource–Fall"
        verbose_name_plural = "Verknüpfungen Ressource–Fall"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "case"], name="resource_case_link_unique")
        ]
        indexes = [models.Index(fields=["case", "-created_at"], name="resource_link_case_idx")]

    def __str__(self) -> str:
        return f"Ressource {self.resource_id} – Fall {self.case_id}"
