"""The status spine: one table of statuses and allowed transitions.

Requests (Anfragen) and cases (Fälle) walk the same spine. A request starts
at RECEIVED and ends either REJECTED or ACCEPTED (a case was opened, which
then carries on from WITH_TEAM). Every transition names the roles that may
take it, whose move it is afterwards, whether it is a decision (only with a
Bescheid), whether it needs a reason, and which preconditions it has. What
happens next for the school (``NEXT_STEP``) and who is named as "am Zug"
(:func:`party_name`) are written here too, next to the table.

The services in ``apps.referrals.services`` and ``apps.cases.services`` are
the only code that changes a status, and they do it with :func:`move`.

Preconditions are named in the table and checked by functions that the app
owning the data registers (:func:`register_precondition`): casework, above
cases, knows whether a Hilfeplan is current. A step whose preconditions are
not met is refused with :class:`~apps.core.refusals.PreconditionMissing`,
and the page says what is missing (:func:`missing_for`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.accounts.models import CASEWORK_ROLES, FAMILIENAMT_ROLES, Role
from apps.core.records import VersionedRecord
from apps.core.refusals import NotAllowed, PreconditionMissing


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

FA = FAMILIENAMT_ROLES
TEAM_OR_FA = CASEWORK_ROLES


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    roles: frozenset[str]
    next_party: Party
    label: str
    #: A decision on help: taken only with a Bescheid (``case_decide``), never a bare button.
    deciding: bool = False
    #: The person must say why; the reason goes into the timeline.
    needs_reason: bool = False
    #: Names of registered preconditions (see :func:`register_precondition`).
    preconditions: tuple[str, ...] = ()


TO_DECISION = ("team_recommendation", "current_helpplan")

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
    # Rejecting ends the request for the school: the reason is shown to it.
    *(
        Transition(source, Status.REJECTED, FA, Party.NOBODY, "Ablehnen", needs_reason=True)
        for source in (Status.RECEIVED, Status.IN_TRIAGE, Status.QUESTION)
    ),
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
        preconditions=TO_DECISION,
    ),
    Transition(Status.DECISION, Status.RUNNING, FA, Party.TEAM, "Hilfe bewilligt", deciding=True),
    Transition(Status.DECISION, Status.CLOSED, FA, Party.NOBODY, "Hilfe abgelehnt", deciding=True),
    Transition(Status.DECISION, Status.HELP_PLAN, FA, Party.TEAM, "Zurück zur Hilfeplanung"),
    Transition(Status.RUNNING, Status.REVIEW, TEAM_OR_FA, Party.TEAM, "Fortschreibung beginnen"),
    Transition(
        Status.REVIEW,
        Status.DECISION,
        TEAM_OR_FA,
        Party.FAMILIENAMT,
        "Zur Entscheidung vorlegen",
        preconditions=TO_DECISION,
    ),
    Transition(Status.REVIEW, Status.RUNNING, TEAM_OR_FA, Party.TEAM, "Hilfe läuft weiter"),
    Transition(Status.RUNNING, Status.CLOSED, TEAM_OR_FA, Party.NOBODY, "Hilfe beenden"),
    Transition(Status.WITH_TEAM, Status.CLOSED, TEAM_OR_FA, Party.NOBODY, "Fall schließen"),
    Transition(Status.APPLICATION, Status.CLOSED, TEAM_OR_FA, Party.NOBODY, "Fall schließen"),
    # A case closed by mistake: the Familienamt reopens it, saying why.
    Transition(
        Status.CLOSED, Status.WITH_TEAM, FA, Party.TEAM, "Wiedereröffnen", needs_reason=True
    ),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


# What happens next, in words a school leader understands ({team}: the team's name,
# {deadline}: the promised date). ``apps.referrals.progress`` fills them in.
NEXT_STEP: dict[Status, str] = {
    Status.RECEIVED: (
        "Das Familienamt prüft Ihre Anfrage. Sie erhalten spätestens bis {deadline} "
        "eine Rückmeldung."
    ),
    Status.IN_TRIAGE: (
        "Das Familienamt prüft Ihre Anfrage. Sie erhalten spätestens bis {deadline} "
        "eine Rückmeldung."
    ),
    Status.QUESTION: (
        "Das Familienamt hat eine Rückfrage an die Schule. Bitte beantworten Sie sie auf "
        "der Seite der Anfrage; danach geht die Prüfung weiter."
    ),
    Status.REJECTED: (
        "Das Familienamt hat die Anfrage abgelehnt. Den Grund finden Sie auf der Seite "
        "der Anfrage. Sie können sich mit Fragen an das Familienamt wenden."
    ),
    Status.WITH_TEAM: "Das {team} meldet sich bis {deadline} bei den Eltern.",
    Status.APPLICATION: (
        "Die Eltern stellen jetzt den Antrag beim Familienamt; das {team} hilft dabei."
    ),
    Status.ASSESSMENT: "Das {team} klärt mit den Eltern, welche Hilfe das Kind braucht.",
    Status.HELP_PLAN: (
        "Das {team} erstellt mit den Eltern den Hilfeplan. "
        "Die Schule wird dazu eingeladen, wenn die Eltern zustimmen."
    ),
    Status.DECISION: "Das Familienamt entscheidet über die Hilfe. Die Eltern erhalten einen "
    "Bescheid.",
    Status.RUNNING: (
        "Die Hilfe läuft. Sie wird etwa alle sechs Monate gemeinsam mit den Eltern überprüft."
    ),
    Status.REVIEW: "Das {team} überprüft die Hilfe gemeinsam mit den Eltern.",
    Status.CLOSED: "Der Fall ist abgeschlossen. Es ist nichts weiter zu tun.",
}
NEXT_STEP_CHILD_PROTECTION = (
    "Das Familienamt prüft die Meldung sofort und meldet sich noch heute bei Ihnen. "
    "Bei akuter Gefahr rufen Sie bitte die Polizei unter 110 an."
)


def party_name(party: str, *, team: str = "", school: str = "") -> str:
    """Who must act next, as every page names them: the team and the school by name."""
    match party:
        case Party.TEAM:
            return team or "das zuständige Sozialraumteam"
        case Party.SCHOOL:
            return school or "die Schule"
        case Party.PARENTS:
            return "die Eltern (Sorgeberechtigte)"
        case Party.FAMILIENAMT:
            return "das Familienamt"
    return "niemand"


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


# Preconditions -------------------------------------------------------------------


@dataclass(frozen=True)
class Precondition:
    """A check a transition names: ``holds(record)``, else ``missing`` tells what to do."""

    name: str
    missing: str
    holds: Callable[[Any], bool]


_PRECONDITIONS: dict[str, Precondition] = {}


def register_precondition(
    name: str, missing: str
) -> Callable[[Callable[[Any], bool]], Callable[[Any], bool]]:
    """Register the check for the precondition ``name`` (once, in ``AppConfig.ready``).

    The check gets the locked record (a ``Case`` for case steps) and returns
    whether the precondition holds; ``missing`` is the German sentence shown
    when it does not ("Es fehlt die Empfehlung des Teams.").
    """

    def register(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
        _PRECONDITIONS[name] = Precondition(name, missing, check)
        return check

    return register


def unregistered_preconditions() -> set[str]:
    """Precondition names in the table that no app registered (a system check reports them)."""
    named = {name for t in TRANSITIONS for name in t.preconditions}
    return named - set(_PRECONDITIONS)


def missing_for(record: Any, step: Transition) -> list[str]:
    """What is missing before ``record`` may take ``step``, in German; empty when nothing."""
    return [
        _PRECONDITIONS[name].missing
        for name in step.preconditions
        if name in _PRECONDITIONS and not _PRECONDITIONS[name].holds(record)
    ]


def move(
    record: "SpineRecord",
    roles: frozenset[str] | set[str],
    target: str,
    *,
    reason: str = "",
    deciding: bool = False,
) -> str:
    """Move ``record`` to ``target`` (not yet saved) and return the status it came from.

    The one way a request or a case changes status: the spine allows the
    step for these roles, a decision only when ``deciding`` (the Bescheid),
    a reason where the step needs one, and every precondition holds.
    """
    pair = _BY_PAIR.get((Status(record.status), Status(target)))
    if pair is not None and pair.deciding and not deciding:
        raise TransitionNotAllowed(
            "Über eine Hilfe entscheidet das Familienamt mit einem Bescheid."
        )
    step = transition(record.status, target, roles)
    if step.needs_reason and not reason.strip():
        raise TransitionNotAllowed(f"Für „{step.label}“ braucht es eine Begründung.")
    missing = missing_for(record, step)
    if missing:
        raise PreconditionMissing(
            f"„{step.label}“ geht noch nicht: " + " ".join(missing), missing=tuple(missing)
        )
    source = record.status
    record.status = step.target
    record.whose_move = step.next_party
    record.whose_move_since = timezone.now()
    record.version += 1
    record.moved(step)
    return source


EVENT_SUMMARY_MAX = 300


def with_reason(summary: str, reason: str) -> str:
    """The timeline entry of a step taken with a reason: the reason stands in it (shortened)."""
    text = f"{summary}: {' '.join(reason.split())}"
    return text if len(text) <= EVENT_SUMMARY_MAX else text[: EVENT_SUMMARY_MAX - 1] + "…"


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
    whose_move: str
    whose_move_since: datetime.datetime
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

    def moved(self, step: Transition) -> None:
        """Called by :func:`move` after the status changed (a case stamps its closing)."""


class SpineEvent(models.Model):
    """One entry of a request's or case's timeline: a move or a decision, no content."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    summary = models.CharField(max_length=EVENT_SUMMARY_MAX)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.summary
