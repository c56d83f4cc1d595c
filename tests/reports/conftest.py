"""Rows for the figures, written straight to the tables at chosen moments.

The figures only count, so the tests build the rows they count directly
(fast, and at any date); what the services write is tested in their apps.
"""

import datetime
import itertools
import uuid
from decimal import Decimal

from django.utils import timezone

from apps.cases.models import Case, Decision, HelpKind, Person, Provider
from apps.referrals.models import Referral, ReferralEvent
from apps.referrals.workflow import Status

_numbers = itertools.count(1)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def make_referral(
    author,
    *,
    received: datetime.datetime,
    team=None,
    source: str = "school",
    kind: str = Referral.Kind.SCHULBEGLEITUNG,
    status: str = Status.RECEIVED,
    school=None,
    handled_after: datetime.timedelta | None = None,
) -> Referral:
    number = next(_numbers)
    referral = Referral.objects.create(
        reference=f"A-T-{number:05d}",
        kind=kind,
        source_id=source,
        school=school,
        created_by=author,
        submission_key=uuid.uuid4(),
        first_name="Kind",
        last_name=f"Nr{number}",
        date_of_birth=datetime.date(2015, 1, 1),
        status=status,
        team=team,
        sozialraum=team.sozialraum if team else None,
        received_at=received,
    )
    if handled_after is not None:
        ReferralEvent.objects.create(
            referral=referral,
            actor=author,
            at=received + handled_after,
            from_status=Status.RECEIVED,
            to_status=Status.IN_TRIAGE,
            summary="Prüfung begonnen",
        )
    return referral


def make_case(
    referral: Referral,
    *,
    opened: datetime.datetime,
    status: str = Status.WITH_TEAM,
    closed: datetime.datetime | None = None,
    closing_reason=None,
    help_kind: str | None = HelpKind.SCHULBEGLEITUNG_35A,
) -> Case:
    person = Person.objects.create(
        first_name="Kind", last_name=referral.last_name, date_of_birth=datetime.date(2015, 1, 1)
    )
    return Case.objects.create(
        reference=f"F-T-{referral.pk:05d}",
        person=person,
        referral=referral,
        school=referral.school,
        sozialraum=referral.team.sozialraum,
        team=referral.team,
        status=status,
        opened_at=opened,
        closed_at=closed,
        closing_reason=closing_reason,
        help_kind_id=help_kind,
    )


def make_grant(
    case: Case,
    actor,
    *,
    hours: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    decided: datetime.datetime | None = None,
    pool=None,
    help_kind: str = HelpKind.SCHULBEGLEITUNG_35A,
) -> Decision:
    return Decision.objects.create(
        case=case,
        help_kind_id=help_kind,
        reference=f"B-T-{next(_numbers):05d}",
        outcome=Decision.Outcome.GRANTED,
        decided_by=actor,
        decided_at=decided or at(valid_from),
        reason="Bedarf festgestellt.",
        hours_per_week=Decimal(hours),
        period=Decision.Period.SCHOOL_YEAR,
        valid_from=valid_from,
        valid_until=valid_until,
        provider=Provider.objects.order_by("pk").first()
        or Provider.objects.create(name="Testdienst", organisation="Test gGmbH"),
        pool=pool,
    )
