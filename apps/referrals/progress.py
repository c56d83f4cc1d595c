"""The next step of a request in plain German, the same wording on every page.

Schools complained that nobody tells them what happens after they asked for
help. Each page (status page, the school's list, the start page) calls
:func:`next_step` and :func:`whose_move_text` so the promise is worded once.
The deadlines are promises made to schools and parents; they are kept here as
module constants so the Familienamt can confirm or change them in one place.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from apps.referrals.workflow import (
    NEXT_STEP,
    NEXT_STEP_CHILD_PROTECTION,
    Party,
    Status,
    party_name,
)

if TYPE_CHECKING:
    from apps.referrals.models import Referral

# Assumptions, to be confirmed by the Familienamt: working days until the
# Familienamt answers a new request, until it reacts to an answered Rückfrage,
# and until the Sozialraumteam contacts the parents once a case is open.
TRIAGE_RESPONSE_WORKING_DAYS = 5
AFTER_ANSWER_WORKING_DAYS = 3
TEAM_FIRST_CONTACT_WORKING_DAYS = 10


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """``start`` plus ``days`` working days (Mon–Fri).

    Public holidays are not counted out: the promise errs on the early side.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def _date(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localdate(moment)
    return f"{moment:%d.%m.%Y}"


def case_of(referral: "Referral") -> Any | None:
    """The case opened from this request, or None (no query when select_related)."""
    try:
        return referral.case
    except ObjectDoesNotExist:
        return None


def _team_name(referral: "Referral", case: Any | None) -> str:
    team = case.team if case is not None else referral.team
    return team.name if team is not None else "Das zuständige Sozialraumteam"


def triage_deadline(referral: "Referral") -> datetime.date:
    return add_working_days(timezone.localdate(referral.received_at), TRIAGE_RESPONSE_WORKING_DAYS)


def next_step(referral: "Referral") -> str:
    """What happens next, and by when, in words a school leader understands."""
    from apps.referrals.models import Referral

    status = referral.status
    if referral.kind == Referral.Kind.KINDERSCHUTZ and status in {
        Status.RECEIVED,
        Status.IN_TRIAGE,
    }:
        return NEXT_STEP_CHILD_PROTECTION
    if status in {Status.RECEIVED, Status.DRAFT, Status.IN_TRIAGE}:
        deadline = triage_deadline(referral)
        if status == Status.IN_TRIAGE:
            deadline = max(
                deadline,
                add_working_days(
                    timezone.localdate(referral.whose_move_since), AFTER_ANSWER_WORKING_DAYS
                ),
            )
        return NEXT_STEP[Status.RECEIVED].format(deadline=_date(deadline))
    if status in {Status.QUESTION, Status.REJECTED}:
        return NEXT_STEP[Status(status)]
    case = case_of(referral)
    team = _team_name(referral, case)
    case_status = Status(case.status if case is not None else Status.WITH_TEAM)
    since = case.whose_move_since if case is not None else referral.whose_move_since
    deadline = add_working_days(timezone.localdate(since), TEAM_FIRST_CONTACT_WORKING_DAYS)
    if case_status not in NEXT_STEP:
        return "Das Familienamt meldet sich bei Ihnen."
    return NEXT_STEP[case_status].format(team=team, deadline=_date(deadline))


def whose_move(referral: "Referral") -> tuple[str, datetime.datetime]:
    """``(who, since)``: the case's once a case is open, else the request's."""
    case = case_of(referral)
    record = case if case is not None else referral
    school = referral.school.name if referral.school is not None else ""
    name = party_name(record.whose_move, team=_team_name(referral, case), school=school)
    return name, record.whose_move_since


def whose_move_text(referral: "Referral") -> str:
    case = case_of(referral)
    party = case.whose_move if case is not None else referral.whose_move
    if party == Party.NOBODY:
        return "Niemand – die Anfrage ist erledigt."
    name, since = whose_move(referral)
    return f"Am Zug: {name} (seit {_date(since)})"


def status_label(referral: "Referral") -> str:
    """The case's status once a case is open (never its content), else the request's."""
    case = case_of(referral)
    if case is not None:
        return str(case.get_status_display())
    return str(referral.get_status_display())


# Without the parents' consent to an exchange with the school, a school sees no
# more of an accepted request than that it was taken up (no case progress).
TAKEN_UP_LABEL = "aufgenommen"
TAKEN_UP_TEXT = (
    "Die Anfrage wurde aufgenommen; das Sozialraumteam arbeitet mit der Familie. Mehr erfährt "
    "die Schule nur, wenn die Eltern dem Austausch mit der Schule zugestimmt haben."
)


def school_row(referral: "Referral", followed: set[int]) -> dict[str, Any]:
    """Status, whose move and next step as a school leader may see them.

    ``followed``: ids of requests whose school may follow the case (see
    ``apps.core.requestpage.school_may_follow``).
    """
    if referral.status == Status.ACCEPTED and referral.pk not in followed:
        return {
            "status": TAKEN_UP_LABEL,
            "whose_move": ("Sozialraumteam", referral.whose_move_since),
            "whose_move_text": "Sozialraumteam",
            "next_step": TAKEN_UP_TEXT,
            "taken_up_only": True,
        }
    party, since = whose_move(referral)
    return {
        "status": status_label(referral),
        "whose_move": (party, since),
        "whose_move_text": whose_move_text(referral),
        "next_step": next_step(referral),
        "taken_up_only": False,
    }
