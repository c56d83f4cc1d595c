"""The whole path through the services: flag → triage → case → grant."""

import datetime
import uuid
from decimal import Decimal

import pytest

from apps.cases.models import Case, Decision, Provider
from apps.cases.services import case_decide, case_open_from_referral, case_transition
from apps.core import submissions
from apps.core.refusals import StaleRecord
from apps.notifications.models import Notification
from apps.referrals.models import Referral
from apps.referrals.services import ConsentData, referral_start_triage, referral_submit
from apps.referrals.workflow import Party, Status, TransitionNotAllowed
from tests.cases.conftest import recommend

pytestmark = pytest.mark.django_db


def _submit(school_leader, school, key=None):
    return submissions.once(
        school_leader,
        key or uuid.uuid4(),
        lambda: referral_submit(
            author=school_leader,
            school=school,
            kind=Referral.Kind.SCHULBEGLEITUNG,
            fields={
                "first_name": "Jürgen",
                "last_name": "Müller",
                "date_of_birth": datetime.date(2016, 3, 4),
                "school_class": "3b",
                "observations": "Braucht Unterstützung im Unterricht.",
            },
            consent=ConsentData(
                given_by="Anna Müller",
                relation="Mutter",
                given_on=datetime.date(2026, 11, 1),
                purpose="referral",
                recipients="Familienamt und Sozialraumteam",
            ),
        ),
    )


def test_a_school_request_becomes_a_granted_case(
    school_leader, school_west, familienamt_worker, west_member, team_west
):
    referral, created = _submit(school_leader, school_west)
    assert created
    assert referral.team == team_west
    assert referral.whose_move == Party.FAMILIENAMT
    assert referral.reference.startswith("A-")
    assert Notification.objects.filter(recipient=familienamt_worker).exists()

    referral = referral_start_triage(
        referral_id=referral.pk, actor=familienamt_worker, expected_version=referral.version
    )
    case = case_open_from_referral(
        referral_id=referral.pk, actor=familienamt_worker, expected_version=referral.version
    )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert case.team == team_west and case.whose_move == Party.TEAM
    assert Notification.objects.filter(recipient=west_member, url=case.get_absolute_url()).exists()

    for target in (Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN, Status.DECISION):
        if target == Status.DECISION:
            recommend(case, west_member)
        case = case_transition(
            case_id=case.pk, actor=west_member, target=target, expected_version=case.version
        )
    assert case.whose_move == Party.FAMILIENAMT

    provider = Provider.objects.create(name="Atze Assistenz – Team Weimar", organisation="Atze")
    with pytest.raises(TransitionNotAllowed):
        case_decide(
            case_id=case.pk,
            actor=west_member,
            expected_version=case.version,
            outcome=Decision.Outcome.GRANTED,
            reason="-",
        )
    decision = case_decide(
        case_id=case.pk,
        actor=familienamt_worker,
        expected_version=case.version,
        outcome=Decision.Outcome.GRANTED,
        reason="Bedarf festgestellt.",
        hours_per_week=Decimal("20"),
        period=Decision.Period.SCHOOL_YEAR,
        valid_from=datetime.date(2026, 8, 1),
        backdating_reason="Die Hilfe lief seit Beginn des Schuljahres.",
        valid_until=datetime.date(2027, 7, 31),
        provider=provider,
    )
    case.refresh_from_db()
    assert case.status == Status.RUNNING
    assert decision.reference.startswith("B-")
    assert list(case.events.values_list("to_status", flat=True))[-1] == Status.RUNNING


def test_a_repeated_submit_creates_one_request(school_leader, school_west):
    key = uuid.uuid4()
    first, created_first = _submit(school_leader, school_west, key)
    second, created_second = _submit(school_leader, school_west, key)

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Referral.objects.count() == 1


def test_a_stale_version_is_refused_and_changes_nothing(
    school_leader, school_west, familienamt_worker
):
    referral, _ = _submit(school_leader, school_west)
    stale_version = referral.version
    referral_start_triage(
        referral_id=referral.pk, actor=familienamt_worker, expected_version=stale_version
    )

    with pytest.raises(StaleRecord):
        case_open_from_referral(
            referral_id=referral.pk, actor=familienamt_worker, expected_version=stale_version
        )
    assert not Case.objects.exists()


def test_a_transition_off_the_spine_is_refused(school_leader, school_west, familienamt_worker):
    referral, _ = _submit(school_leader, school_west)
    case = case_open_from_referral(
        referral_id=referral.pk, actor=familienamt_worker, expected_version=referral.version
    )

    with pytest.raises(TransitionNotAllowed, match="geht es nicht"):
        case_transition(
            case_id=case.pk,
            actor=familienamt_worker,
            target=Status.RUNNING,
            expected_version=case.version,
        )
    case.refresh_from_db()
    assert case.status == Status.WITH_TEAM


def test_a_child_protection_report_is_urgent_even_when_the_form_says_not(
    school_leader, school_west
):
    referral = referral_submit(
        author=school_leader,
        school=school_west,
        kind=Referral.Kind.KINDERSCHUTZ,
        fields={"first_name": "Lena", "last_name": "Roth", "urgent": False},
        consent=None,
    )

    assert referral.urgent
    assert not referral.pseudonymised
