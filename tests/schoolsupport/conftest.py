import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.cases.models import Case, Decision, Provider
from apps.cases.services import case_decide
from apps.casework import services as casework
from apps.consents.models import Purpose
from apps.consents.services import ConsentInput, consent_record
from apps.schoolsupport.schoolyear import year_of
from tests.cases.conftest import move_to_decision, open_case, submit_referral

TODAY = timezone.localdate()


def running_case(school_leader, school, fa, member, *, first_name="Jürgen", until=None) -> Case:
    """A Schulbegleitung granted until ``until`` (the school year's end), running."""
    school_year = year_of(TODAY)
    case = open_case(submit_referral(school_leader, school, first_name=first_name), fa)
    case = move_to_decision(case, member)
    case_decide(
        case_id=case.pk,
        actor=fa,
        expected_version=case.version,
        outcome=Decision.Outcome.GRANTED,
        reason="Bedarf festgestellt.",
        hours_per_week=Decimal("12"),
        period=Decision.Period.SCHOOL_YEAR,
        valid_from=school_year.start,
        valid_until=until or school_year.end,
        provider=Provider.objects.order_by("pk").first(),
        backdating_reason="Das Schuljahr hat bereits begonnen.",
    )
    casework.helpplan_add_version(
        case=case,
        actor=member,
        based_on=0,
        meeting_date=TODAY - datetime.timedelta(days=30),
        need="Begleitung im Unterricht",
        help_kind="Schulbegleitung",
        family_goals="",
        assessment="",
        goals="Teilhabe",
        steps=[],
        participants="Mutter, Team, Schule",
        next_review=TODAY + datetime.timedelta(days=60),
    )
    return Case.objects.get(pk=case.pk)


def school_consent(case, actor, school):
    return consent_record(
        case=case,
        actor=actor,
        data=ConsentInput(
            given_by="Anna Müller",
            given_on=TODAY - datetime.timedelta(days=5),
            purposes=[Purpose.SCHOOL_EXCHANGE],
            schools=[school],
        ),
    )


@pytest.fixture
def sb_case(school_leader, school_west, familienamt_worker, west_member) -> Case:
    return running_case(school_leader, school_west, familienamt_worker, west_member)
