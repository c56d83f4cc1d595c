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
