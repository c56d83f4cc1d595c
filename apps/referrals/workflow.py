"""The status spine: one table of statuses and allowed transitions.

Requests (Anfragen) and cases (Fälle) walk the same spine. A request starts
at RECEIVED and ends either REJECTED or ACCEPTED (a case was opened, which
then carries on from WITH_TEAM). Every transition names the roles that may
take it and whose move it is afterwards; the services in
``apps.referrals.services`` and ``apps.cases.services`` are the only code
that changes a status, and they ask :func:`transition` whether they may.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, Role
from apps.core.records import VersionedRecord
from apps.core.refusals import NotAllowed


class Status(models.TextChoices):
    # The request
    DRAFT = "draft", "Entwurf"
    RECEIVED = "received", "Eingegangen"
    IN_TRIAGE = "in_triage", "In Prüfung beim Familienamt"
    QUESTION = "question", "Rückfrage an die Schule"
    REJECTED = "rejected", "Abgelehnt"
    ACCEPTED = "accepted", "Fall eröffnet"
    # The case
    WITH_TEAM = "with_team", "Beim Sozialraumteam (Erstberatung)"
    APPLICATION = "application", "Antrag der Eltern"
    ASSESSMENT = "assessment", "Bedarfsfeststellung"
    HELP_PLAN = "help_plan", "Hilfeplanung"
    DECISION = "decision", "Entscheidung im Familienamt"
    RUNNING = "running", "Hilfe läuft"
    REVIEW = "review", "Fortschreibung"
    CLOSED = "closed", "Abgeschlossen"


class Party(models.TextChoices):
    """Whose move it is."""

    SCHOOL = "school", "Schule"
    FAMILIENAMT = "familienamt", "Familienamt"
    TEAM = "team", "Sozialraumteam"
    PARENTS = "parents", "Eltern"
    NOBODY = "nobody", "niemand"


# In lists that people scan, where the column already says what kind of status it is.
SHORT_LABELS = {
    Status.IN_TRIAGE: "In Prüfung",
    Status.QUESTION: "Rückfrage",
    Status.WITH_TEAM: "Erstberatung",
    Status.DECISION: "Zur Entscheidung",
}


def short_label(status: str) -> str:
    """The status as a list row shows it (the full label where it is already short)."""
    return str(SHORT_LABELS.get(Status(status), Status(status).label))


def short_party(party: str) -> str:
    """Whose move in a list row, beside the columns that name the team and school."""
    return "Team" if party == Party.TEAM else str(Party(party).label)


REQUEST_STATUSES = frozenset(
    {Status.RECEIVED, Status.IN_TRIAGE, Status.QUESTION, Status.REJECTED, Status.ACCEPTED}
)
CASE_STATUSES = frozenset(
    {
        Status.WITH_TEAM,
        Status.APPLICATION,
        Status.ASSESSMENT,
        Status.HELP_PLAN,
        Status.DECISION,
        Status.RUNNING,
        Status.REVIEW,
        Status.CLOSED,
    }
)
OPEN_REQUEST_STATUSES = frozenset({Status.RECEIVED, Status.IN_TRIAGE, Status.QUESTION})

FA = frozenset(FAMILIENAMT_ROLES)
TEAM_OR_FA = FA | {Role.TEAM}


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    roles: frozenset[str]
    next_party: Party
    label: str


TRANSITIONS: tuple[Transition, ...] = (
    # The request, at the Familienamt
    Transition(Status.RECEIVED, Status.IN_TRIAGE, FA, Party.FAMILIENAMT, "Prüfung beginnen"),
    Transition(Status.RECEIVED, Status.QUESTION, FA, Party.SCHOOL, "Rückfrage stellen"),
    Transition(Status.IN_TRIAGE, Status.QUESTION, FA, Party.SCHOOL, "Rückfrage stellen"),
    Transition(
        Status.QUESTION,
        Status.IN_TRIAGE,
        FA | {Role.SCHULLEITUNG},
        Party.FAMILIENAMT,
        "Rückfrage beantwortet",
    ),
    Transition(Status.RECEIVED, Status.ACCEPTED, FA, Party.TEAM, "Fall eröffnen"),
    Transition(Status.IN_TRIAGE, Status.ACCEPTED, FA, Party.TEAM, "Fall eröffnen"),
    Transition(Status.RECEIVED, Status.REJECTED, FA, Party.NOBODY, "Ablehnen"),
    Transition(Status.IN_TRIAGE, Status.REJECTED, FA, Party.NOBODY, "Ablehnen"),
    Transition(Status.QUESTION, Status.REJECTED, FA, Party.NOBODY, "Ablehnen"),
    # The case
    Transition(
        Status.WITH_TEAM, Status.APPLICATION, TEAM_OR_FA, Party.PARENTS, "Antrag der Eltern erbeten"
    ),
    Transition(Status.APPLICATION, Status.ASSESSMENT, TEAM_OR_FA, Party.TEAM, "Antrag liegt vor"),
    Transition(Status.ASSESSMENT, Status.HELP_PLAN, TEAM_OR_FA, Party.TEAM, "Bedarf festgestellt"),
    Transition(
        Status.HELP_PLAN,
        Status.DECISION,
        TEAM_OR_FA,
        Party.FAMILIENAMT,
        "Zur Entscheidung vorlegen",
    ),
    Transition(Status.DECISION, Status.RUNNING, FA, Party.TEAM, "Hilfe bewilligt"),
    Transition(Status.DECISION, Status.CLOSED, FA, Party.NOBODY, "Hilfe abgelehnt"),
    Transition(Status.DECISION, Status.HELP_PLAN, FA, Party.TEAM, "Zurück zur Hilfeplanung"),
    Transition(Status.RUNNING, Status.REVIEW, TEAM_OR_FA, Party.TEAM, "Fortschreibung beginnen"),
    Transition(
        Status.REVIEW, Status.DECISION, TEAM_OR_FA, Party.FAMILIENAMT, "Zur Entscheidung vorlegen"
    ),
    Transition(Status.REVIEW, Status.RUNNING, TEAM_OR_FA, Party.TEAM, "Hilfe läuft weiter"),
    Transition(Status.RUNNING, Status.CLOSED, TEAM_OR_FA, Party.NOBODY, "Hilfe beenden"),
    Transition(Status.WITH_TEAM, Status.CLOSED, TEAM_OR_FA, Party.NOBODY, "Fall schließen"),
    Transition(Status.APPLICATION, Status.CLOSED, TEAM_OR_FA, Party.NOBODY, "Fall schließen"),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}

# Statuses where a decision (grant or refusal) is made; only the Familienamt decides.
DECIDING_TRANSITIONS = frozenset(
    {(Status.DECISION, Status.RUNNING), (Status.DECISION, Status.CLOSED)}
)


class TransitionNotAllowed(NotAllowed):
    """A status change that the spine does not allow, with a message for people."""


def transition(source: str, target: str, roles: frozenset[str] | set[str]) -> Transition:
    """The transition from ``source`` to ``target`` if ``roles`` may take it."""
    step = _BY_PAIR.get((Status(source), Status(target)))
    if step is None:
        raise TransitionNotAllowed(
            f"Von „{Status(source).label}“ geht es nicht nach „{Status(target).label}“."
        )
    if not step.roles & set(roles):
        raise TransitionNotAllowed(f"„{step.label}“ darf nur {_who(step.roles)}.")
    return step


def next_steps(source: str, roles: frozenset[str] | set[str]) -> list[Transition]:
    """The transitions these roles may take from ``source`` (for buttons)."""
    return [t for t in TRANSITIONS if t.source == source and t.roles & set(roles)]


def _who(roles: frozenset[str]) -> str:
    if roles <= FA:
        return "das Familienamt"
    return " oder ".join(sorted({Role(r).label for r in roles}))


# What requests and cases share ------------------------------------------------


class SpineRecord(VersionedRecord):
    """A request or a case: it walks the spine, and its ``events`` say who moved it when.

    Subclasses declare ``status``, ``whose_move`` and ``whose_move_since``
    (their defaults differ) and an event model with ``related_name="events"``.
    """

    status: str
    reference: str

    class Meta:
        abstract = True

    def last_change(self) -> tuple[str, datetime.datetime | None]:
        last = self.events.select_related("actor").order_by("-at", "-pk").first()  # type: ignore[attr-defined]
        if last is None:
            return "", None
        return (str(last.actor) if last.actor else "", last.at)

    def stale_subject(self) -> str:
        return f"{self.stale_name} {self.reference}"

    def stale_state(self) -> str:
        return f"jetzt: {Status(self.status).label}"


class SpineEvent(models.Model):
    """One entry of a request's or case's timeline: a move or a decision, no content."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    summary = models.CharField(max_length=300)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.summary
