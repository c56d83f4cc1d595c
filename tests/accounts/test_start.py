import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.organisation.models import Standort, Traeger

pytestmark = pytest.mark.django_db

START_URL = reverse("accounts:start")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("school_leader", 200),
        ("west_member", 200),
        ("nord_member", 200),
        ("admin_user", 200),
        ("dpo", 200),
    ],
)
def test_start_page_status_per_persona(client, login_as, persona, status):
    login_as(persona)

    response = client.get(START_URL)

    assert response.status_code == status
    if persona == "anonymous":
        assert response.url == f"{reverse('accounts:login')}?next=/"


def test_start_page_refuses_post(client, west_member):
    client.force_login(west_member)

    assert client.post(START_URL).status_code == 405


def test_person_without_role_is_told_to_ask_the_administration(client, db):
    client.force_login(User.objects.create_user("neu", password="x" * 12))

    response = client.get(START_URL)

    assert "noch keine Rolle zugewiesen" in response.content.decode()


def test_school_leader_sees_the_responsible_team_office_and_hours(
    client, school_leader, standort_west
):
    client.force_login(school_leader)

    content = client.get(START_URL).content.decode()

    assert "Schulleitung: Testschule West" in content
    assert "Für Ihre Schule zuständig: Sozialraumteam West" in content
    assert "Musterweg 1, 99423 Weimar" in content
    assert "Sprechzeiten: Di 9–12 Uhr" in content


def test_school_leader_is_told_when_the_team_has_no_office_yet(client, school_leader):
    client.force_login(school_leader)

    content = client.get(START_URL).content.decode()

    assert "Für dieses Team ist noch kein Büro eingetragen." in content


def test_team_member_sees_team_sozialraum_employer_and_office(client, west_member, standort_west):
    client.force_login(west_member)

    content = client.get(START_URL).content.decode()

    assert "Sozialraumteam West" in content
    assert "AWO Mitte-West-Thüringen" in content
    assert "Büro West" in content
    assert "Nord und Schöndorf" not in content.split("<main", 1)[1]


def test_admin_role_without_staff_flag_gets_no_admin_link(client, db):
    user = User.objects.create_user("admin-ohne-staff", password="x" * 12)
    RoleAssignment.objects.create(user=user, role=Role.ADMIN)
    client.force_login(user)

    content = client.get(START_URL).content.decode()

    assert 'href="/verwaltung/"' not in content
    assert "noch nicht freigeschaltet" in content


def test_role_change_shows_on_the_next_request(client, west_member):
    client.force_login(west_member)
    client.get(START_URL)

    RoleAssignment.objects.create(user=west_member, role=Role.DATENSCHUTZ)
    content = client.get(START_URL).content.decode()

    assert "Zugriffsprotokoll" in content


def _many_roles(user, school, team_west, team_nord) -> None:
    awo = Traeger.objects.get(short_name="AWO")
    for role in (Role.FAMILIENAMT, Role.FAMILIENAMT_LEITUNG, Role.ADMIN, Role.DATENSCHUTZ):
        RoleAssignment.objects.create(user=user, role=role)
    RoleAssignment.objects.create(user=user, role=Role.TEAM, team=team_nord, employer=awo)
    RoleAssignment.objects.create(user=user, role=Role.SCHULLEITUNG, school=school)


def test_a_person_with_several_roles_sees_a_section_per_role(
    client, west_member, school_west, team_west, team_nord
):
    _many_roles(west_member, school_west, team_west, team_nord)
    client.force_login(west_member)

    content = client.get(START_URL).content.decode()

    assert content.count('<section class="kern-card" data-role=') == 7
    assert "Sie haben mehrere Rollen." in content


def _count_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(START_URL).status_code == 200
    return len(queries)


def test_start_page_queries_do_not_grow_with_the_teams_held(
    client, west_member, school_west, team_west, team_nord, team_mitte
):
    for team in (team_west, team_nord, team_mitte):
        Standort.objects.create(team=team, name="Büro", street="Weg 1")
    _many_roles(west_member, school_west, team_west, team_nord)
    every_kind_of_role = _count_queries(client, west_member)
    awo = Traeger.objects.get(short_name="AWO")
    RoleAssignment.objects.create(user=west_member, role=Role.TEAM, team=team_mitte, employer=awo)

    one_more_team = _count_queries(client, west_member)

    # Each kind of role adds a fixed section; team offices and what waits for
    # the teams are loaded in bulk, so one more team adds nothing.
    assert one_more_team == every_kind_of_role
