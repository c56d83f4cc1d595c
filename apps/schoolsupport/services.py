import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent
from apps.cases.services import case_transition
from apps.core.records import StaleRecord
from apps.notifications.services import familienamt_staff, notify, team_members
from apps.organisation.models import Schule
from apps.referrals.workflow import Status, TransitionNotAllowed
from apps.schoolsupport.models import ContinuationRequest, SchoolFeedback


def _event(case: Case, actor: User, summary: str) -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, from_status=case.status, to_status=case.status, summary=summary
    )


def _school_of(case: Case) -> Schule:
    """The school that filed the request (the one the consent names), else the case's."""
    school = case.referral.school if case.referral and case.referral.school else case.school
    if school is None:
        raise ValueError(f"Fall {case.reference} hat keine Schule")
    return school


@transaction.atomic
def school_feedback_send(
    *, case: Case, actor: User, overall: str, participation: str, note: str, talk_wanted: bool
) -> SchoolFeedback:
    """The school's short feedback; the case's team is told (by file number only)."""
    school = _school_of(case)
    feedback = SchoolFeedback.objects.create(
        case=case,
        school=school,
        author=actor,
        overall=overall,
        participation=participation,
        note=note,
        talk_wanted=talk_wanted,
    )
    text = f"Fall {case.reference}: Rückmeldung der Schule"
    if talk_wanted:
        text += " – Gesprächswunsch"
    notify(recipients=team_members(case.team), text=text, url=case.get_absolute_url())
    return feedback


@transaction.atomic
def continuation_request(
    *, case: Case, actor: User, grant_until: datetime.date
) -> tuple[ContinuationRequest, bool]:
    """The school asks for the help to continue; once per grant. Returns (request, created)."""
    school = _school_of(case)
    try:
        with transaction.atomic():
            request = ContinuationRequest.objects.create(
                case=case, school=school, requested_by=actor, grant_until=grant_until
            )
    except IntegrityError:
        return ContinuationRequest.objects.get(case=case, grant_until=grant_until), False
    _event(case, actor, "Die Schule bittet um Fortsetzung der Schulbegleitung")
    text = f"Fall {case.reference}: Schule bittet um Fortsetzung der Schulbegleitung"
    notify(
        recipients=[*team_members(case.team), *familienamt_staff()],
        text=text,
        url=case.get_absolute_url(),
    )
    return request, True


def reviews_start(*, cases: list[Case], actor: User) -> tuple[list[Case], list[Case]]:
    """Start the review (Fortschreibung) of each running case; (started, skipped).

    Each case is its own transaction: one that moved meanwhile is skipped, not
    the whole batch.
    """
    started, skipped = [], []
    for case in cases:
        if case.status != Status.RUNNING:
            skipped.append(case)
            continue
        try:
            started.append(
                case_transition(
                    case_id=case.pk,
                    actor=actor,
                    target=Status.REVIEW,
                    expected_version=case.version,
                )
            )
        except (StaleRecord, TransitionNotAllowed):
            skipped.append(case)
    return started, skipped


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])
