"""Writes on the case file that touch several records or have rules beyond a form."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.cases.models import Case, CaseEvent
from apps.casework.models import (
    Attainment,
    CaseHandover,
    CaseNote,
    Contact,
    GoalAttainment,
    HelpPlan,
    HelpPlanGoal,
    HelpPlanVersion,
    NoteDraft,
    NoteShare,
    NoteVersion,
    Task,
    goal_lines,
)
from apps.consents.models import CaseConsent
from apps.core.records import lock_version, save_new_version
from apps.core.refusals import StaleRecord
from apps.notifications.services import notify, team_members
from apps.organisation.models import Team
from apps.referrals.workflow import TransitionNotAllowed, with_reason


def case_colleagues(case: Case) -> QuerySet[User]:
    """Who works on ``case``: its team's members and the Familienamt's staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__role=Role.TEAM, role_assignments__team=case.team_id)
            | Q(role_assignments__role__in=FAMILIENAMT_ROLES)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def note_create(*, case: Case, author: User, text: str, confided: bool) -> CaseNote:
    """Write a note as its first version and drop the author's draft for the case."""
    note = CaseNote.objects.create(case=case, author=author, confided=confided)
    NoteVersion.objects.create(note=note, number=1, text=text, created_by=author)
    NoteDraft.objects.filter(user=author, case=case).delete()
    return note


@transaction.atomic
def note_correct(*, note_id: int, actor: User, text: str, reason: str = "") -> NoteVersion:
    """Add the next version; only the author corrects their own note."""
    note = CaseNote.objects.select_for_update().get(pk=note_id)
    if note.author_id != actor.pk:
        raise PermissionDenied("Nur die Verfasserin oder der Verfasser kann korrigieren.")
    last = note.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return NoteVersion.objects.create(
        note=note, number=last + 1, text=text, reason=reason, created_by=actor
    )


@transaction.atomic
def note_share(
    *,
    note_id: int,
    actor: User,
    colleagues: list[User],
    consent_given_by: str,
    consent_given_on: datetime.date,
    consent_basis: str,
) -> list[NoteShare]:
    """Open a confided note's text to named colleagues, recording the consent (§65)."""
    note = CaseNote.objects.select_for_update().select_related("case").get(pk=note_id)
    if note.author_id != actor.pk:
        raise PermissionDenied("Nur die Verfasserin oder der Verfasser kann freigeben.")
    allowed = set(case_colleagues(note.case).values_list("pk", flat=True))
    already = set(
        note.shares.filter(revoked_at__isnull=True).values_list("shared_with_id", flat=True)
    )
    new = [c for c in colleagues if c.pk in allowed and c.pk not in already and c.pk != actor.pk]
    return NoteShare.objects.bulk_create(
        NoteShare(
            note=note,
            shared_with=colleague,
            consent_given_by=consent_given_by,
            consent_given_on=consent_given_on,
            consent_basis=consent_basis,
            created_by=actor,
        )
        for colleague in new
    )


def note_draft_save(*, case: Case, user: User, text: str, confided: bool) -> NoteDraft:
    draft, _ = NoteDraft.objects.update_or_create(
        user=user, case=case, defaults={"text": text, "confided": confided}
    )
    return draft


def _locked_task(task_id: int, expected_version: int) -> Task:
    return lock_version(Task.objects.select_related("case"), task_id, expected_version)


@transaction.atomic
def task_update(
    *,
    task_id: int,
    actor: User,
    expected_version: int,
    title: str,
    due_date: datetime.date,
    assignee: User,
) -> Task:
    task = _locked_task(task_id, expected_version)
    task.title, task.due_date, task.assignee = title, due_date, assignee
    save_new_version(task, ["title", "due_date", "assignee"])
    return task


@transaction.atomic
def task_complete(*, task_id: int, actor: User, expected_version: int) -> Task:
    task = _locked_task(task_id, expected_version)
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = actor
        save_new_version(task, ["done_at", "done_by"])
    return task


def contact_create(
    *,
    case: Case,
    actor: User,
    happened_at: datetime.datetime,
    kind: str,
    with_whom: str,
    result: str,
) -> Contact:
    return Contact.objects.create(
        case=case,
        created_by=actor,
        happened_at=happened_at,
        kind=kind,
        with_whom=with_whom,
        result=result,
    )


# Help plan ---------------------------------------------------------------------


class GoalsNotAssessed(ValueError):
    """A review without an attainment for every goal of the previous version."""


class StaleHelpPlan(StaleRecord):
    """Someone saved a newer version of the help plan since this person opened it."""

    def __init__(self, message: str, current: HelpPlanVersion) -> None:
        super().__init__(message)
        self.current = current


@transaction.atomic
def helpplan_add_version(
    *,
    case: Case,
    actor: User,
    based_on: int,
    meeting_date: datetime.date,
    need: str,
    help_kind: str,
    family_goals: str,
    assessment: str,
    goals: str,
    steps: list[dict[str, str]],
    participants: str,
    next_review: datetime.date,
    attainments: dict[int, str] | None = None,
) -> HelpPlanVersion:
    """Write the help plan's next version, if ``based_on`` is still the latest.

    ``based_on`` is the number of the version the person started from (0 for
    the first plan). When someone saved in between, nothing is written and
    :class:`StaleHelpPlan` carries the version that is current now.

    A review (every version after the first) records for each goal of the
    previous version how far it was reached: ``attainments`` maps the goal's
    id to an :class:`Attainment`; a missing one refuses the save.
    """
    plan, _ = HelpPlan.objects.get_or_create(case=case)
    plan = HelpPlan.objects.select_for_update().get(pk=plan.pk)
    current = plan.versions.select_related("created_by").order_by("-number").first()
    current_number = current.number if current is not None else 0
    if current_number != based_on:
        assert current is not None
        raise StaleHelpPlan(
            f"Inzwischen hat {current.created_by} den Hilfeplan gespeichert (Fassung "
            f"{current.number}). Ihre Fassung wurde nicht gespeichert; Ihr Text steht unten.",
            current,
        )
    previous_goals = list(current.goal_items.all()) if current is not None else []
    attainments = attainments or {}
    missing = [goal for goal in previous_goals if attainments.get(goal.pk) not in Attainment.values]
    if missing:
        raise GoalsNotAssessed(
            "Bitte geben Sie für jedes bisherige Ziel an, wie weit es erreicht ist: "
            + "; ".join(goal.text for goal in missing)
        )
    version = HelpPlanVersion.objects.create(
        plan=plan,
        number=current_number + 1,
        created_by=actor,
        meeting_date=meeting_date,
        need=need,
        help_kind=help_kind,
        family_goals=family_goals,
        assessment=assessment,
        goals=goals,
        steps=steps,
        participants=participants,
        next_review=next_review,
    )
    HelpPlanGoal.objects.bulk_create(
        HelpPlanGoal(version=version, position=position, text=text)
        for position, text in enumerate(goal_lines(goals), start=1)
    )
    GoalAttainment.objects.bulk_create(
        GoalAttainment(goal=goal, review=version, attainment=attainments[goal.pk])
        for goal in previous_goals
    )
    summary = "Hilfeplan aufgestellt" if version.number == 1 else "Hilfeplan fortgeschrieben"
    CaseEvent.objects.create(
        case=case, actor=actor, summary=f"{summary} (Fassung {version.number})"
    )
    return version


# Handing a case over -------------------------------------------------------------


def may_propose_handover(user: User, case: Case) -> bool:
    """The case's own team or the Familienamt may hand a case on."""
    return user.is_familienamt or any(team.pk == case.team_id for team in user.teams)


def may_decide_handover(user: User, handover: CaseHandover) -> bool:
    """Only the receiving team answers a handover."""
    return handover.is_pending and any(team.pk == handover.to_team_id for team in user.teams)


@transaction.atomic
def case_handover_propose(*, case_id: int, actor: User, to_team: Team, reason: str) -> CaseHandover:
    case = Case.objects.select_for_update().select_related("team").get(pk=case_id)
    if not may_propose_handover(actor, case):
        raise PermissionDenied("Nur das zuständige Team oder das Familienamt gibt einen Fall ab.")
    if to_team.pk == case.team_id:
        raise TransitionNotAllowed("Der Fall liegt schon bei diesem Team.")
    if not reason.strip():
        raise TransitionNotAllowed("Bitte begründen Sie die Übergabe.")
    if CaseHandover.objects.filter(case=case).pending().exists():
        raise TransitionNotAllowed(
            f"Für den Fall {case.reference} ist schon eine Übergabe vorgeschlagen; "
            "erst muss das aufnehmende Team darüber entscheiden."
        )
    handover = CaseHandover.objects.create(
        case=case, from_team=case.team, to_team=to_team, reason=reason, proposed_by=actor
    )
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        summary=with_reason(f"Übergabe an {to_team.name} vorgeschlagen", reason),
    )
    notify(
        recipients=team_members(to_team),
        text=f"Übergabe des Falls {case.reference} an Ihr Team vorgeschlagen",
        url=handover.get_absolute_url(),
    )
    return handover


def _locked_pending_handover(handover_id: int, actor: User) -> CaseHandover:
    handover = (
        CaseHandover.objects.select_for_update()
        .select_related("case", "from_team", "to_team")
        .get(pk=handover_id)
    )
    if not handover.is_pending:
        raise StaleRecord(
            f"Über diese Übergabe wurde schon entschieden ({handover.get_status_display()})."
        )
    if not may_decide_handover(actor, handover):
        raise PermissionDenied("Über eine Übergabe entscheidet das aufnehmende Team.")
    return handover


@transaction.atomic
def case_handover_accept(*, handover_id: int, actor: User) -> CaseHandover:
    """The receiving team takes the case: team and Sozialraum change, both teams hear of it.

    Confided notes keep their author (see ``CaseNoteQuerySet.visible_to``):
    the new team sees that they exist, never their text.
    """
    handover = _locked_pending_handover(handover_id, actor)
    case = Case.objects.select_for_update().get(pk=handover.case_id)
    if case.team_id != handover.from_team_id:
        raise StaleRecord(
            f"Der Fall {case.reference} liegt inzwischen bei einem anderen Team; "
            "die Übergabe kann so nicht mehr angenommen werden."
        )
    case.team = handover.to_team
    case.sozialraum_id = handover.to_team.sozialraum_id
    # The lead worker belonged to the sending team; the new team names its own.
    case.worker = None
    save_new_version(case, ["team", "sozialraum", "worker"])
    handover.status = CaseHandover.Status.ACCEPTED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decided_by", "decided_at"])
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        summary=f"Übergabe angenommen: von {handover.from_team.name} an {handover.to_team.name}",
    )
    text = f"Fall {case.reference}: Übergabe an {handover.to_team.name} angenommen"
    notify(recipients=team_members(handover.to_team), text=text, url=case.get_absolute_url())
    notify(recipients=team_members(handover.from_team), text=text, url=handover.get_absolute_url())
    return handover


@transaction.atomic
def case_handover_decline(*, handover_id: int, actor: User, reason: str) -> CaseHandover:
    """The receiving team declines; the case stays where it is."""
    if not reason.strip():
        raise TransitionNotAllowed("Bitte begründen Sie die Ablehnung.")
    handover = _locked_pending_handover(handover_id, actor)
    handover.status = CaseHandover.Status.DECLINED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.decline_reason = reason
    handover.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    CaseEvent.objects.create(
        case=handover.case,
        actor=actor,
        summary=with_reason(f"Übergabe an {handover.to_team.name} abgelehnt", reason),
    )
    notify(
        recipients=team_members(handover.from_team),
        text=f"Fall {handover.case.reference}: Übergabe an {handover.to_team.name} abgelehnt",
        url=handover.get_absolute_url(),
    )
    return handover


@transaction.atomic
def consent_expiry_tasks(today: datetime.date) -> int:
    """Each consent about to expire becomes one task for the case worker.

    The title names no purpose or person: the task list and reminders are
    read by more people than the consent. Returns how many tasks were made.
    """
    expiring = list(
        CaseConsent.objects.expiring(today)
        .filter(expiry_task_on__isnull=True, case__closed_at__isnull=True)
        .select_related("case__worker", "recorded_by")
        .select_for_update(of=("self",))
    )
    for consent in expiring:
        assert consent.valid_until is not None  # expiring() finds only consents with an end
        assignee = consent.case.worker or consent.recorded_by
        Task.objects.create(
            case=consent.case,
            title=f"Einwilligung läuft am {consent.valid_until:%d.%m.%Y} ab: erneuern oder klären",
            due_date=consent.valid_until,
            assignee=assignee,
            origin="Einwilligung",
            created_by=assignee,
        )
    CaseConsent.objects.filter(pk__in=[c.pk for c in expiring]).update(expiry_task_on=today)
    return len(expiring)
