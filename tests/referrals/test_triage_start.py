"""What waits for Familienamt staff on their start page."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.referrals.models import Referral
from apps.referrals.services import referral_answer_question, referral_ask_question
from apps.referrals.start import familienamt_start_section
from apps.referrals.workflow import Status
from tests.referrals.factories import make_referral, submit_referral

pytestmark = pytest.mark.django_db


def _section(user):
    request = RequestFactory().get("/")
    request.user = user
    return request, familienamt_start_section(request)


@pytest.mark.parametrize("persona", ["west_member", "school_leader", "admin_user", "dpo"])
def test_others_get_no_familienamt_section(request, persona):
    _request, section = _section(request.getfixturevalue(persona))

    assert section is None


def test_child_protection_first_then_mine_unassigned_and_answers(
    familienamt_worker, familienamt_lead, school_leader, school_west
):
    report = make_referral(
        author=school_leader,
        school=school_west,
        kind=Referral.Kind.KINDERSCHUTZ,
        assignee=familienamt_lead,
    )
    mine = make_referral(
        author=school_leader,
        school=school_west,
        status=Status.IN_TRIAGE,
        assignee=familienamt_worker,
    )
    new = make_referral(author=school_leader, school=school_west)
    make_referral(author=school_leader, school=school_west, assignee=familienamt_lead)
    make_referral(author=school_leader, school=school_west, status=Status.REJECTED)
    answered = submit_referral(school_leader, school_west)
    question = referral_ask_question(
        referral_id=answered.pk,
        actor=familienamt_worker,
        text="Frage",
        expected_version=answered.version,
    )
    referral_answer_question(question_id=question.pk, actor=school_leader, answer="Antwort")

    request, section = _section(familienamt_worker)

    assert section is not None
    assert section.title == "Anfragen im Eingang"
    assert section.context["child_protection"] == [report]
    assert section.context["assigned_to_me"] == [mine]
    assert section.context["unassigned"] == [new]
    assert [q.referral for q in section.context["answered"]] == [answered]
    html = render_to_string(section.template, section.context, request=request)
    assert "Kinderschutz – sofort prüfen (1)" in html
    assert html.index(report.reference) < html.index(mine.reference) < html.index(new.reference)
    assert html.index(new.reference) < html.index(answered.reference)


def test_urgent_new_requests_come_first(familienamt_worker, school_leader, school_west):
    older = make_referral(author=school_leader, school=school_west, days_ago=9)
    urgent = make_referral(author=school_leader, school=school_west, days_ago=1, urgent=True)

    _request, section = _section(familienamt_worker)

    assert section.context["unassigned"] == [urgent, older]


def test_start_section_queries_do_not_grow(familienamt_worker, school_leader, school_west):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            request, section = _section(familienamt_worker)
            render_to_string(section.template, section.context, request=request)
        return len(captured)

    make_referral(author=school_leader, school=school_west, assignee=familienamt_worker)
    make_referral(author=school_leader, school=school_west, kind=Referral.Kind.KINDERSCHUTZ)
    familienamt_worker.__dict__.pop("active_roles", None)
    one = queries()
    for _ in range(8):
        make_referral(author=school_leader, school=school_west, assignee=familienamt_worker)
        make_referral(author=school_leader, school=school_west)
        make_referral(author=school_leader, school=school_west, kind=Referral.Kind.KINDERSCHUTZ)
    familienamt_worker.__dict__.pop("active_roles", None)

    assert queries() == one
