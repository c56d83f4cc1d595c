import pytest
from django.test import RequestFactory

from apps.cases.apps import cases_to_decide, team_cases_waiting
from apps.core import startpage

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_both_sections_are_registered():
    provided = {p: place for place, p in startpage.SECTIONS.providers()}
    assert provided[team_cases_waiting] == "team_cases"
    assert provided[cases_to_decide] == "decisions"


def test_team_members_see_their_teams_cases_where_they_are_on_the_move(
    west_member, west_case, nord_case
):
    section = team_cases_waiting(_request(west_member))

    assert section.title == "Fälle Ihres Teams, bei denen Sie am Zug sind"
    assert list(section.context["cases"]) == [west_case]
    assert section.context["more"] is False


def test_a_member_who_is_also_familienamt_sees_only_the_teams_cases(
    west_member, west_case, nord_case
):
    from apps.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=west_member, role=Role.FAMILIENAMT)
    west_member.refresh_from_db()  # drop the cached roles

    section = team_cases_waiting(_request(west_member))

    assert list(section.context["cases"]) == [west_case]


def test_the_familienamt_sees_cases_to_decide(familienamt_worker, decision_case, nord_case):
    section = cases_to_decide(_request(familienamt_worker))

    assert section.title == "Fälle zur Entscheidung"
    assert list(section.context["cases"]) == [decision_case]


@pytest.mark.parametrize("persona", ["school_leader", "admin_user", "dpo"])
def test_others_get_no_case_section(request, persona):
    user = request.getfixturevalue(persona)

    assert team_cases_waiting(_request(user)) is None
    assert cases_to_decide(_request(user)) is None


def test_the_section_templates_render(familienamt_worker, west_member, decision_case):
    from django.template.loader import render_to_string

    fa_section = cases_to_decide(_request(familienamt_worker))
    team_section = team_cases_waiting(_request(west_member))

    assert decision_case.reference in render_to_string(fa_section.template, fa_section.context)
    assert "wartet kein Fall" in render_to_string(team_section.template, team_section.context)


def _waiting_titles(client, user) -> list[str]:
    from django.urls import reverse

    client.force_login(user)
    response = client.get(reverse("accounts:start"))
    assert response.status_code == 200
    return [section["title"] for section in response.context["waiting"]]


def test_a_team_member_sees_overdue_tasks_before_the_teams_cases(client, west_member, west_case):
    import datetime

    from django.utils import timezone

    from apps.casework.models import Task

    Task.objects.create(
        case=west_case,
        title="Schule zurückrufen",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
        assignee=west_member,
        created_by=west_member,
    )

    titles = _waiting_titles(client, west_member)

    assert titles.index("Ihre Aufgaben") < titles.index(
        "Fälle Ihres Teams, bei denen Sie am Zug sind"
    )


def test_the_familienamt_sees_waiting_requests_first_then_decisions(
    client, familienamt_worker, decision_case, school_leader_nord, school_nord
):
    from tests.cases.conftest import submit_referral

    submit_referral(school_leader_nord, school_nord, first_name="Lena")

    titles = _waiting_titles(client, familienamt_worker)

    assert titles[0] == "Anfragen im Eingang"
    assert titles.index("Fälle zur Entscheidung") > titles.index("Ihre Aufgaben")


def test_the_leitung_sees_waiting_items_before_the_overview(
    client, familienamt_lead, decision_case
):
    titles = _waiting_titles(client, familienamt_lead)

    assert titles == [
        "Anfragen im Eingang",
        "Ihre Aufgaben",
        "Fälle zur Entscheidung",
        "Überblick: Wartezeiten und Arbeitslast je Team",
    ]
