"""The spine's preconditions and the reopening of a closed case."""

import datetime

import pytest
from django.core import checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Case, CaseEvent, ClosingReason, HelpKind
from apps.cases.services import case_reopen, case_transition
from apps.casework.services import helpplan_add_version
from apps.core.refusals import PreconditionMissing
from apps.referrals.workflow import (
    TRANSITIONS,
    Party,
    Status,
    TransitionNotAllowed,
    unregistered_preconditions,
)
from tests.cases.conftest import recommend

pytestmark = pytest.mark.django_db

BEFORE_DECISION = (Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN)


def _to(case: Case, actor, *targets: str) -> Case:
    for target in targets:
        case = case_transition(
            case_id=case.pk, actor=actor, target=target, expected_version=case.version
        )
    return case


def _plan(case: Case, actor) -> None:
    today = timezone.localdate()
    helpplan_add_version(
        case=case,
        actor=actor,
        based_on=0,
        meeting_date=today,
        need="Bedarf",
        help_kind="Schulbegleitung",
        family_goals="",
        assessment="",
        goals="Ziele",
        steps=[],
        participants="Mutter",
        next_review=today + datetime.timedelta(days=180),
    )


@pytest.fixture
def planning_case(west_case, west_member) -> Case:
    return _to(west_case, west_member, *BEFORE_DECISION)


# Preconditions -------------------------------------------------------------------


def test_every_precondition_the_spine_names_has_a_registered_check():
    named = {name for step in TRANSITIONS for name in step.preconditions}

    assert named == {"team_recommendation", "current_helpplan"}
    assert unregistered_preconditions() == set()
    assert not [m for m in checks.run_checks() if m.id == "referrals.E001"]


def test_submitting_for_decision_without_a_recommendation_is_refused(planning_case, west_member):
    with pytest.raises(PreconditionMissing) as refusal:
        _to(planning_case, west_member, Status.DECISION)

    assert "Empfehlung des Sozialraumteams" in refusal.value.message
    assert len(refusal.value.missing) == 1
    planning_case.refresh_from_db()
    assert planning_case.status == Status.HELP_PLAN


def test_help_that_needs_a_plan_needs_one_written_in_this_phase(planning_case, west_member):
    Case.objects.filter(pk=planning_case.pk).update(help_kind=HelpKind.SCHULBEGLEITUNG_35A)
    recommend(planning_case, west_member)

    with pytest.raises(PreconditionMissing) as refusal:
        _to(planning_case, west_member, Status.DECISION)
    assert refusal.value.missing == (
        "Es fehlt ein aktueller Hilfeplan: bitte den Hilfeplan in dieser Phase aufstellen "
        "oder fortschreiben.",
    )

    _plan(planning_case, west_member)
    case = _to(Case.objects.get(pk=planning_case.pk), west_member, Status.DECISION)
    assert case.status == Status.DECISION


def test_open_help_needs_only_the_recommendation(planning_case, west_member):
    recommend(planning_case, west_member)

    case = _to(planning_case, west_member, Status.DECISION)

    assert case.status == Status.DECISION and case.whose_move == Party.FAMILIENAMT


def test_the_case_page_says_what_is_missing_instead_of_offering_the_step(
    client, planning_case, west_member
):
    client.force_login(west_member)

    page = client.get(planning_case.get_absolute_url()).content.decode()

    assert 'data-testid="missing"' in page
    assert "„Zur Entscheidung vorlegen“ geht noch nicht:" in page
    assert "Es fehlt die Empfehlung des Sozialraumteams" in page
    assert 'value="decision"' not in page  # no form that would only be refused
    # The step is shown, but disabled, and points to what is missing.
    button = page.split('aria-describedby="fehlt-decision"')[0].rsplit("<button", 1)[1]
    assert "disabled" in button
    assert 'id="fehlt-decision"' in page


def test_the_step_is_offered_once_nothing_is_missing(client, planning_case, west_member):
    recommend(planning_case, west_member)
    client.force_login(west_member)

    page = client.get(planning_case.get_absolute_url()).text

    assert 'value="decision"' in page
    assert 'data-testid="missing"' not in page


def test_a_posted_step_with_something_missing_is_refused_with_the_reason(
    client, planning_case, west_member
):
    client.force_login(west_member)

    response = client.post(
        reverse("cases:move", args=[planning_case.pk]),
        {"target": Status.DECISION, "version": planning_case.version},
        follow=True,
    )

    assert "Es fehlt die Empfehlung des Sozialraumteams" in response.text
    assert Case.objects.get(pk=planning_case.pk).status == Status.HELP_PLAN


# Reopening -------------------------------------------------------------------------


@pytest.fixture
def closed_case(west_case, west_member) -> Case:
    return case_transition(
        case_id=west_case.pk,
        actor=west_member,
        target=Status.CLOSED,
        expected_version=west_case.version,
        closing_reason=ClosingReason.objects.filter(active=True).first(),
    )


def _reopen_url(case: Case) -> str:
    return reverse("cases:reopen", args=[case.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 403),
        ("nord_member", 403),
        ("school_leader", 403),
        ("admin_user", 403),
    ],
)
def test_only_the_familienamt_may_reopen(client, closed_case, persona, status, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_reopen_url(closed_case)).status_code == status


def test_reopening_asks_for_a_reason_and_writes_nothing_without_one(
    client, closed_case, familienamt_worker
):
    client.force_login(familienamt_worker)

    response = client.post(
        _reopen_url(closed_case), {"version": closed_case.version, "reason": " "}
    )

    assert response.status_code == 400
    assert "Bitte geben Sie an, warum der Fall wieder geöffnet wird." in response.text
    closed_case.refresh_from_db()
    assert closed_case.status == Status.CLOSED and closed_case.closed_at is not None


def test_a_reopened_case_goes_back_to_the_team_with_the_reason_in_the_timeline(
    client, closed_case, familienamt_worker
):
    client.force_login(familienamt_worker)
    page = client.get(closed_case.get_absolute_url()).text
    assert _reopen_url(closed_case) in page  # the step asks first, on its own page

    response = client.post(
        _reopen_url(closed_case),
        {"version": closed_case.version, "reason": "Versehentlich geschlossen."},
        follow=True,
    )

    case = Case.objects.get(pk=closed_case.pk)
    assert (case.status, case.whose_move, case.closed_at) == (Status.WITH_TEAM, Party.TEAM, None)
    assert "Fall wiedereröffnet: Versehentlich geschlossen." in response.text
    assert "ist wieder geöffnet" in response.text


def test_reopening_a_case_that_is_not_closed_is_refused(client, west_case, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.get(_reopen_url(west_case), follow=True)

    assert "ist nicht abgeschlossen" in response.text


def test_the_step_never_goes_without_a_reason(closed_case, familienamt_worker):
    with pytest.raises(TransitionNotAllowed):
        _to(closed_case, familienamt_worker, Status.WITH_TEAM)
    with pytest.raises(TransitionNotAllowed):
        case_reopen(
            case_id=closed_case.pk,
            actor=familienamt_worker,
            reason="",
            expected_version=closed_case.version,
        )


def test_a_stale_reopen_keeps_the_reason(client, closed_case, familienamt_worker, familienamt_lead):
    case_reopen(
        case_id=closed_case.pk,
        actor=familienamt_lead,
        reason="Zuerst.",
        expected_version=closed_case.version,
    )
    Case.objects.filter(pk=closed_case.pk).update(status=Status.CLOSED)
    client.force_login(familienamt_worker)

    response = client.post(
        _reopen_url(closed_case), {"version": closed_case.version, "reason": "Mein Grund."}
    )

    assert response.status_code == 409
    assert f"von {familienamt_lead} geändert" in response.text
    assert "Mein Grund." in response.text


def test_the_reopen_page_costs_the_same_queries_with_a_long_history(
    client, closed_case, familienamt_worker
):
    client.force_login(familienamt_worker)
    client.get(_reopen_url(closed_case))
    with CaptureQueriesContext(connection) as short:
        client.get(_reopen_url(closed_case))
    CaseEvent.objects.bulk_create(
        CaseEvent(case=closed_case, summary=f"Eintrag {n}") for n in range(20)
    )
    with CaptureQueriesContext(connection) as long:
        client.get(_reopen_url(closed_case))

    assert len(short) == len(long)
