import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Case, Person
from apps.referrals.workflow import Party, Status

pytestmark = pytest.mark.django_db

URL = reverse("cases:list")


def _cases(count, team, *, status=Status.WITH_TEAM, whose_move=Party.TEAM, worker=None):
    start = timezone.now()
    made = []
    for number in range(count):
        person = Person.objects.create(
            first_name=f"Kind{number}",
            last_name=team.name[-4:],
            date_of_birth=datetime.date(2015, 1, 1),
        )
        made.append(
            Case.objects.create(
                reference=f"F-{team.pk}-{status}-{number}",
                person=person,
                sozialraum=team.sozialraum,
                team=team,
                status=status,
                whose_move=whose_move,
                worker=worker,
                opened_at=start - datetime.timedelta(minutes=number),
            )
        )
    return made


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 200),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_case_list_access(client, login_as, persona, status):
    login_as(persona)

    assert client.get(URL).status_code == status


def test_team_members_see_only_their_teams_cases(client, west_member, west_case, nord_case):
    client.force_login(west_member)

    response = client.get(URL)

    assert west_case.reference in response.text
    assert nord_case.reference not in response.text


def test_the_familienamt_sees_all_cases(client, familienamt_worker, west_case, nord_case):
    client.force_login(familienamt_worker)

    response = client.get(URL)

    assert west_case.reference in response.text and nord_case.reference in response.text
    assert "Am Zug" in response.text and ">Team</th>" in response.text


def test_rows_name_the_team_once_and_short(client, familienamt_worker, team_west):
    (case,) = _cases(1, team_west, status=Status.WITH_TEAM, whose_move=Party.TEAM)
    client.force_login(familienamt_worker)

    response = client.get(URL)

    row = response.text.split('data-testid="case-row"')[1].split("</tr>")[0]
    cells = [cell.split(">", 1)[1].split("</td")[0] for cell in row.split("<td")[1:]]
    assert team_west.sozialraum.name in cells  # "West", not "Sozialraumteam West"
    assert "Erstberatung" in cells  # not "Beim Sozialraumteam (Erstberatung)"
    assert not any("Sozialraumteam West" in cell for cell in cells)


def test_a_team_member_sees_no_team_column(client, west_member, west_case):
    client.force_login(west_member)

    response = client.get(URL)

    assert west_case.reference in response.text
    assert ">Team</th>" not in response.text
    assert 'name="team"' not in response.text


def test_filters_by_status_team_whose_move_and_mine(
    client, familienamt_worker, team_west, team_nord
):
    (running,) = _cases(1, team_west, status=Status.RUNNING)
    (deciding,) = _cases(1, team_nord, status=Status.DECISION, whose_move=Party.FAMILIENAMT)
    (mine,) = _cases(1, team_nord, worker=familienamt_worker)
    client.force_login(familienamt_worker)

    by_status = client.get(URL, {"status": Status.RUNNING}).text
    by_team = client.get(URL, {"team": team_nord.pk}).text
    by_move = client.get(URL, {"am_zug": Party.FAMILIENAMT}).text
    by_mine = client.get(URL, {"meine": "1"}).text

    assert running.reference in by_status and deciding.reference not in by_status
    assert deciding.reference in by_team and running.reference not in by_team
    assert deciding.reference in by_move and mine.reference not in by_move
    assert mine.reference in by_mine and running.reference not in by_mine


def test_an_invalid_filter_value_is_reported_not_crashing(client, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.get(URL, {"status": "kaputt"})

    assert response.status_code == 200
    assert "ungültigen Wert" in response.text


def test_keyset_pages_show_every_case_once(client, familienamt_worker, team_west):
    made = _cases(30, team_west)
    client.force_login(familienamt_worker)

    first = client.get(URL)
    cursor = first.context["next_cursor"]
    second = client.get(URL, {"nach": cursor})

    shown = [case.pk for case in first.context["rows"]] + [
        case.pk for case in second.context["rows"]
    ]
    assert shown == [case.pk for case in made]
    assert second.context["next_cursor"] is None
    assert "Weitere Fälle" in first.text


def test_htmx_filter_gets_only_the_table(client, familienamt_worker, west_case):
    client.force_login(familienamt_worker)

    response = client.get(URL, headers={"HX-Request": "true"})

    assert west_case.reference in response.text
    assert "<html" not in response.text


def test_query_count_does_not_grow_with_cases(client, familienamt_worker, team_west, team_nord):
    client.force_login(familienamt_worker)
    _cases(1, team_west, worker=familienamt_worker)
    client.get(URL)  # warm up session and content types
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    _cases(20, team_nord, worker=familienamt_worker)
    with CaptureQueriesContext(connection) as twenty_one:
        response = client.get(URL)

    assert len(response.context["rows"]) == 21
    assert len(twenty_one) == len(one)
