"""People and their roles.

A person may hold several roles, each tied to its context: a school leader
leads one school; a team member belongs to one team and is employed by one
Träger (or the city). The roles are read on every request (no cached
grants), so a change takes effect at once.
"""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from apps.organisation.models import Schule, Team, Traeger


class Role(models.TextChoices):
    FAMILIENAMT = "familienamt", "Familienamt"
    FAMILIENAMT_LEITUNG = "familienamt_leitung", "Leitung Familienamt"
    SCHULLEITUNG = "schulleitung", "Schulleitung"
    TEAM = "team", "Sozialraumteam"
    ADMIN = "admin", "Administration"
    DATENSCHUTZ = "datenschutz", "Datenschutz"
    STADTRAT = "stadtrat", "Stadtrat / Jugendhilfeausschuss"
    TRAEGER_LEITUNG = "traeger_leitung", "Trägerleitung"


# Role groups, defined here once: the views' access rules and the navigation use them.
FAMILIENAMT_ROLES = frozenset({Role.FAMILIENAMT, Role.FAMILIENAMT_LEITUNG})
# Roles that read published figures only: never a case, a request, a child or a name.
FIGURES_ONLY_ROLES = frozenset({Role.STADTRAT, Role.TRAEGER_LEITUNG})
#: Those who work on cases: the Familienamt and the Sozialraumteams.
CASEWORK_ROLES = FAMILIENAMT_ROLES | {Role.TEAM}


class User(AbstractUser):
    is_demo = models.BooleanField("Demokonto", default=False)

    class Meta:
        verbose_name = "Person"
        verbose_name_plural = "Personen"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def active_roles(self) -> list["RoleAssignment"]:
        if not self.is_authenticated or not self.is_active:
            return []
        return list(self.role_assignments.select_related("school", "team__sozialraum", "employer"))

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(assignment.role for assignment in self.active_roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names & set(roles))

    @property
    def is_familienamt(self) -> bool:
        return self.has_role(*FAMILIENAMT_ROLES)

    @property
    def is_figures_only(self) -> bool:
        """Holds only figure-reading roles (council, Träger management)."""
        roles = self.role_names
        return bool(roles) and roles <= FIGURES_ONLY_ROLES

    @property
    def managed_traeger(self) -> list[Traeger]:
        return [
            a.employer
            for a in self.active_roles
            if a.role == Role.TRAEGER_LEITUNG and a.employer is not None
        ]

    @property
    def schools(self) -> list[Schule]:
        return [a.school for a in self.active_roles if a.role == Role.SCHULLEITUNG and a.school]

    @property
    def teams(self) -> list[Team]:
        return [a.team for a in self.active_roles if a.role == Role.TEAM and a.team]


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="Person"
    )
    role = models.CharField("Rolle", max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        Schule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leaders",
        verbose_name="Schule",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="Team",
    )
    employer = models.ForeignKey(
        Traeger,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="Anstellungsträger",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Rolle"
        verbose_name_plural = "Rollen"
        constraints = [
            models.CheckConstraint(
                name="role_school_only_for_school_leaders",
                condition=(
                    models.Q(role=Role.SCHULLEITUNG, school__isnull=False)
                    | (~models.Q(role=Role.SCHULLEITUNG) & models.Q(school__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="role_team_and_employer_only_for_team_members",
                condition=(
                    models.Q(role=Role.TEAM, team__isnull=False, employer__isnull=False)
                    | (~models.Q(role=Role.TEAM) & models.Q(team__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="role_traeger_lead_has_employer",
                condition=~models.Q(role=Role.TRAEGER_LEITUNG) | models.Q(employer__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school", "team"],
                nulls_distinct=False,
                name="role_assignment_unique",
            ),
        ]
        indexes = [models.Index(fields=["role", "team"]), models.Index(fields=["role", "school"])]

    def __str__(self) -> str:
        context = self.school or self.team
        return f"{self.get_role_display()} ({context})" if context else self.get_role_display()


class UserSession(models.Model):
    """A login of a person, so they can see and end their own sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "Sitzung"
        verbose_name_plural = "Sitzungen"
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "last_seen_at"])]

    def __str__(self) -> str:
        return f"Sitzung seit {self.created_at:%d.%m.%Y %H:%M}"


# Roles that open case content (those who work on cases): granting one needs the
# Leitung's approval (four eyes).
CASE_CONTENT_ROLES = CASEWORK_ROLES


class ApprovalRequest(models.Model):
    """A change to an account that a second person (the Familienamt's Leitung) must approve.

    A role that opens case content is not a :class:`RoleAssignment` until the
    request is approved, so no query anywhere can see it before; a second-factor
    reset removes the person's devices only on approval.
    """

    class Kind(models.TextChoices):
        ROLE = "role", "Rolle mit Zugang zu Fallinhalten"
        SECOND_FACTOR_RESET = "second_factor_reset", "Zweiten Faktor zurücksetzen"

    class Status(models.TextChoices):
        PENDING = "pending", "wartet auf Freigabe"
        APPROVED = "approved", "freigegeben"
        DECLINED = "declined", "abgelehnt"

    kind = models.CharField("Art", max_length=30, choices=Kind.choices)
    subject = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="approval_requests", verbose_name="Person"
    )
    role = models.CharField("Rolle", max_length=30, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="Team"
    )
    employer = models.ForeignKey(
        Traeger,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Anstellungsträger",
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="Beantragt von"
    )
    requested_at = models.DateTimeField("Beantragt am", auto_now_add=True)
    status = models.CharField(
        "Stand", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Entschieden von",
    )
    decided_at = models.DateTimeField("Entschieden am", null=True, blank=True)
    reason = models.TextField("Begründung", max_length=2000, blank=True)

    class Meta:
        verbose_name = "Freigabe"
        verbose_name_plural = "Freigaben"
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="approval_role_only_for_role_requests",
                condition=(models.Q(kind="role") & ~models.Q(role=""))
                | (~models.Q(kind="role") & models.Q(role="", team__isnull=True)),
            ),
            models.CheckConstraint(
                name="approval_decided_has_decider",
                condition=models.Q(status="pending", decided_by__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="approval_not_by_requester",
                condition=~models.Q(decided_by=models.F("requested_by")),
            ),
            models.UniqueConstraint(
                fields=["subject", "kind", "role", "team"],
                condition=models.Q(status="pending"),
                nulls_distinct=False,
                name="approval_one_pending_per_change",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def what(self) -> str:
        """The requested change as the Leitung reads it."""
        if self.kind != self.Kind.ROLE:
            return self.get_kind_display()
        context = f" ({self.team})" if self.team_id else ""
        return f"Rolle {self.get_role_display()}{context}"


def team_scope(user: User, via: str = "") -> models.Q:
    """The team rule as a condition on rows with a team (reached through ``via``).

    Familienamt: all (an empty ``Q``); team members: their teams' rows; nobody
    else any. Cases, Fallberatungen and counselling contacts all follow it.
    """
    if not user.is_authenticated or not user.is_active:
        return models.Q(pk__in=[])
    roles = user.role_names
    if roles & FAMILIENAMT_ROLES:
        return models.Q()
    if Role.TEAM in roles:
        return models.Q(**{f"{via}team__in": user.teams})
    return models.Q(pk__in=[])
