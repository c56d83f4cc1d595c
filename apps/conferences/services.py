"""Writes of the Fallberatung: scheduling, agenda, minutes, agreed steps."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, Role, RoleAssignment, User
from apps.cases.models import Case
from apps.casework.models import Task
from apps.conferences.models import MINUTES_PHASES, AgendaItem, AgreedStep, Conference, Participant
from apps.core.records import lock_version, save_new_version
from apps.organisation.models import Team, Traeger


def team_colleagues(team: Team) -> QuerySet[User]:
    """Who may take part in a conference of ``team``: its members and Familienamt staff.

    Each user comes with ``role_assignments`` (and their employers) prefetched,
    which :func:`participant_organisation` reads without further queries.
    """
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__role=Role.TEAM, role_assignments__team=team)
            | Q(role_assignments__role__in=FAMILIENAMT_ROLES)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("employer"))
        )
    )


def participant_organisation(user: User, team: Team, city: Traeger | None) -> Traeger | None:
    """The body a person speaks for in ``team``'s conference: their Träger, else the city."""
    assignments = list(user.role_assignments.all())
    for assignment in assignments:
        if assignment.role == Role.TEAM and assignment.team_id == team.pk:
            return assignment.employer
    if any(assignment.role in FAMILIENAMT_ROLES for assignment in assignments):
        return city
    return None


def city_organisation() -> Traeger | None:
    return Traeger.objects.filter(is_city=True).order_by("pk").first()


@transaction.atomic
def conference_create(
    *,
    team: Team,
    actor: User,
    starts_at: datetime.datetime,
    place: str,
    participants: list[User],
    moderator: User | None = None,
    note_taker: User | None = None,
) -> Conference:
    conference = Conference.objects.create(
        team=team,
        starts_at=starts_at,
        place=place,
        moderator=moderator,
        note_taker=note_taker,
        created_by=actor,
    )
    city = city_organisation()
    Participant.objects.bulk_create(
        Participant(
            conference=conference,
            user=user,
            organisation=participant_organisation(user, team, city),
        )
        for user in participants
    )
    return conference


def _locked_conference(conference_id: int, expected_version: int) -> Conference:
    return lock_version(Conference.objects.all(), conference_id, expected_version)


@transaction.atomic
def conference_set_roles(
    *,
    conference_id: int,
    actor: User,
    expected_version: int,
    moderator: User | None,
    note_taker: User | None,
) -> Conference:
    conference = _locked_conference(conference_id, expected_version)
    conference.moderator, conference.note_taker = moderator, note_taker
    save_new_version(conference, ["moderator", "note_taker"])
    return conference


@transaction.atomic
def agenda_add(*, conference: Conference, case: Case, order: int | None = None) -> AgendaItem:
    """Put a case of the conference's team on its agenda (at the end unless ``order``)."""
    if case.team_id != conference.team_id:
        raise ValueError("Auf die Tagesordnung kommen nur Fälle des Teams.")
    if order is None:
        last = conference.agenda_items.aggregate(last=Max("order"))["last"] or 0
        order = last + 1
    return AgendaItem.objects.create(conference=conference, case=case, order=order)


@dataclass(frozen=True)
class Minutes:
    case_giver: User | None
    case_account: str = ""
    questions: str = ""
    key_question: str = ""
    hypotheses: str = ""
    ideas: str = ""
    choice: str = ""


@transaction.atomic
def minutes_save(
    *, item_id: int, actor: User, expected_version: int, minutes: Minutes
) -> AgendaItem:
    """Save the minutes of one agenda item; a stale version is refused, nothing changes.

    Saving minutes marks the conference as held.
    """
    item = lock_version(AgendaItem.objects.all(), item_id, expected_version)
    item.case_giver = minutes.case_giver
    for phase in MINUTES_PHASES:
        setattr(item, phase, getattr(minutes, phase))
    item.updated_at = timezone.now()
    item.updated_by = actor
    save_new_version(item)
    Conference.objects.filter(pk=item.conference_id, status=Conference.Status.PLANNED).update(
        status=Conference.Status.HELD
    )
    return item


@dataclass(frozen=True)
class Step:
    title: str
    assignee: User
    due_date: datetime.date


@transaction.atomic
def agreed_steps_create(*, item: AgendaItem, actor: User, steps: list[Step]) -> list[Task]:
    """Turn agreed next steps into tasks (Wiedervorlagen) on the item's case."""
    origin = f"Fallberatung am {item.conference.local_date_label}"
    tasks = Task.objects.bulk_create(
        Task(
            case_id=item.case_id,
            title=step.title,
            assignee=step.assignee,
            due_date=step.due_date,
            origin=origin,
            created_by=actor,
        )
        for step in steps
    )
    AgreedStep.objects.bulk_create(AgreedStep(agenda_item=item, task=task) for task in tasks)
    return tasks
