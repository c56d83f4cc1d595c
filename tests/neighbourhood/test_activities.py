import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.neighbourhood.models import Activity
from tests.neighbourhood.conftest import make_activity

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("neighbourhood:overview")
CREATE = reverse("neighbourhood:activity_create")


def _form(team, **overrides: str) -> dict[str, str]:
    return {
        "team": str(team.pk),
        "kind": "stadtteilfest",
        "title": "Stadtteilfest Weimar-West",
        "date": "2026-06-13",
        "place": "Platz vor dem Einkaufszentrum",
        "participants": "150",
        "hours_spent": "4.5",
        "outcome": "Drei Vereine wollen beim nächsten Mal mitmachen.",
        **overrides,
    }


def test_team_member_records_an_activity_and_its_sozialraum_follows_the_team(
    client, west_member, team_west
):
    client.force_login(west_member)

    response = client.post(CREATE, _form(team_west))

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.sozialraum == team_west.sozialraum
    assert activity.created_by == west_member
    assert activity.version == 1


def test_create_form_says_no_names_of_children(client, west_member):
    client.force_login(west_member)

    response = client.get(CREATE)

    assert "keine Namen von Kindern" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Bitte geben Sie einen Titel an."),
        ({"participants": "-3"}, "Die Zahl der Teilnehmenden kann nicht negativ sein."),
        (
            {"participants": "viele"},
            "Bitte geben Sie die Zahl der Teilnehmenden als ganze Zahl an.",
        ),
        ({"date": "32.13.2026"}, "Bitte geben Sie ein gültiges Datum an"),
        ({"kind": "party"}, "Bitte wählen Sie eine der angebotenen Arten."),
    ],
)
def test_bad_input_shows_a_message_and_writes_nothing(
    client, west_member, team_west, overrides, message
):
    client.force_login(west_member)

    response = client.post(CREATE, _form(team_west, **overrides))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Es wurde nichts gespeichert." in content
    assert not Activity.objects.exists()


def test_team_member_cannot_record_an_activity_for_another_team(client, west_member, team_nord):
    client.force_login(west_member)

    response = client.post(CREATE, _form(team_nord))

    assert "nur für Ihr eigenes Team" in response.content.decode()
    assert not Activity.objects.exists()


def test_familienamt_records_an_activity_for_any_team(client, familienamt_worker, team_nord):
    client.force_login(familienamt_worker)

    client.post(CREATE, _form(team_nord))

    assert Activity.objects.get().sozialraum == team_nord.sozialraum


def test_edit_saves_and_counts_the_version_up(client, west_member, west_activity, team_west):
    client.force_login(west_member)

    response = client.post(
        reverse("neighbourhood:activity_edit", args=[west_activity.pk]),
        _form(team_west, title="Basketball, jetzt wöchentlich", version="1"),
    )

    assert response.status_code == 302
    west_activity.refresh_from_db()
    assert west_activity.title == "Basketball, jetzt wöchentlich"
    assert west_activity.version == 2


def test_second_of_two_concurrent_edits_is_refused_with_what_changed(
    client, west_member, familienamt_worker, west_activity, team_west
):
    url = reverse("neighbourhood:activity_edit", args=[west_activity.pk])
    # Both loaded version 1; the Familienamt saves first.
    client.force_login(familienamt_worker)
    assert client.post(url, _form(team_west, participants="20", version="1")).status_code == 302
    client.force_login(west_member)

    response = client.post(url, _form(team_west, participants="35", version="1"))

    assert response.status_code == 409
    content = response.content.decode()
    assert "inzwischen von jemand anderem geändert" in content
    assert "jetzt gespeichert" in content
    assert "20" in content and "35" in content
    west_activity.refresh_from_db()
    assert west_activity.participants == 20
    assert west_activity.version == 2
    # The form now carries the current version: saving again is a deliberate choice.
    assert 'name="version" value="2"' in content


def test_edit_with_bad_input_writes_nothing(client, west_member, west_activity, team_west):
    client.force_login(west_member)

    response = client.post(
        reverse("neighbourhood:activity_edit", args=[west_activity.pk]),
        _form(team_west, participants="-1", version="1"),
    )

    assert "kann nicht negativ sein" in response.content.decode()
    west_activity.refresh_from_db()
    assert west_activity.participants == 12
    assert west_activity.version == 1


def test_overview_starts_with_the_own_sozialraum(client, west_member, west_activity, nord_activity):
    client.force_login(west_member)

    content = client.get(OVERVIEW).content.decode()

    assert west_activity.title in content
    assert nord_activity.title not in content


def test_overview_shows_all_sozialraeume_when_asked(
    client, west_member, west_activity, nord_activity
):
    client.force_login(west_member)

    content = client.get(OVERVIEW, {"sozialraum": ""}).content.decode()

    assert west_activity.title in content
    assert nord_activity.title in content


def test_overview_offers_editing_only_of_own_activities(
    client, west_member, west_activity, nord_activity
):
    client.force_login(west_member)

    content = client.get(OVERVIEW, {"sozialraum": ""}).content.decode()

    assert reverse("neighbourhood:activity_edit", args=[west_activity.pk]) in content
    assert reverse("neighbourhood:activity_edit", args=[nord_activity.pk]) not in content


def test_htmx_filter_by_kind_and_period_swaps_only_the_table(client, west_member, team_west):
    make_activity(team_west, west_member, title="Netzwerk Schulen", kind="netzwerktreffen")
    make_activity(
        team_west,
        west_member,
        title="Altes Netzwerk",
        kind="netzwerktreffen",
        date=datetime.date(2025, 1, 5),
    )
    make_activity(team_west, west_member, title="Fest im März", kind="stadtteilfest")
    client.force_login(west_member)

    response = client.get(
        OVERVIEW, {"art": "netzwerktreffen", "von": "2026-01-01"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert "<html" not in content
    assert 'id="activity-table"' in content
    assert "Netzwerk Schulen" in content
    assert "Altes Netzwerk" not in content
    assert "Fest im März" not in content


def test_overview_pages_by_keyset_newest_first(client, west_member, team_west):
    start = datetime.date(2026, 1, 1)
    for day in range(30):
        make_activity(
            team_west,
            west_member,
            title=f"Aktivität {day:02d}",
            date=start + datetime.timedelta(days=day),
        )
    client.force_login(west_member)

    first = client.get(OVERVIEW)
    cursor = first.context["next_cursor"]
    second = client.get(OVERVIEW, {"nach": cursor})

    first_titles = [row.activity.title for row in first.context["rows"]]
    second_titles = [row.activity.title for row in second.context["rows"]]
    assert first_titles[0] == "Aktivität 29"
    assert len(first_titles) == 25
    assert second_titles == [f"Aktivität {day:02d}" for day in range(4, -1, -1)]
    assert second.context["next_cursor"] is None


def test_overview_ignores_a_broken_cursor(client, west_member, west_activity):
    client.force_login(west_member)

    response = client.get(OVERVIEW, {"nach": "gestern-x"})

    assert response.status_code == 200
    assert west_activity.title in response.content.decode()


def _overview_queries(client, count: int, team, author) -> int:
    for number in range(count):
        make_activity(team, author, title=f"Treffen {number}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    return len(queries)


def test_overview_queries_do_not_grow_with_rows(client, west_member, nord_member, team_west):
    client.force_login(west_member)
    one = _overview_queries(client, 1, team_west, west_member)
    Activity.objects.all().delete()

    # Another author per row: the authors come in the same query.
    twenty_five = _overview_queries(client, 25, team_west, nord_member)

    assert twenty_five == one
