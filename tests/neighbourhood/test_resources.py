import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.neighbourhood.models import Resource, ResourceCaseLink
from tests.neighbourhood.conftest import make_case, make_resource

pytestmark = pytest.mark.django_db

REGISTER = reverse("neighbourhood:resource_list")
CREATE = reverse("neighbourhood:resource_create")


def _form(team, **overrides: str) -> dict[str, str]:
    return {
        "sozialraum": str(team.sozialraum_id),
        "kind": "person",
        "name": "Trainerin des Basketballvereins",
        "description": "Nimmt Kinder ab 8 Jahren ins Training mit.",
        "contact": "über den Verein, 03643 111111",
        "address": "Sporthalle Weimar-West",
        "opening_hours": "Di und Do 17–19 Uhr",
        "active": "on",
        **overrides,
    }


def test_team_member_adds_a_resource_in_the_own_sozialraum(client, west_member, team_west):
    client.force_login(west_member)

    response = client.post(CREATE, _form(team_west))

    resource = Resource.objects.get()
    assert response["Location"] == resource.get_absolute_url()
    assert resource.sozialraum == team_west.sozialraum
    assert resource.active
    assert resource.created_by == west_member


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Bitte geben Sie einen Namen an."),
        ({"kind": ""}, "ob es eine Person, ein Ort oder ein Angebot ist"),
        ({"sozialraum": ""}, "Bitte wählen Sie den Sozialraum."),
    ],
)
def test_bad_input_shows_a_message_and_writes_nothing(
    client, west_member, team_west, overrides, message
):
    client.force_login(west_member)

    response = client.post(CREATE, _form(team_west, **overrides))

    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_team_member_cannot_add_a_resource_to_another_sozialraum(client, west_member, team_nord):
    client.force_login(west_member)

    response = client.post(CREATE, _form(team_nord))

    assert "nur im Sozialraum Ihres Teams" in response.content.decode()
    assert not Resource.objects.exists()


def test_second_of_two_concurrent_resource_edits_is_refused(
    client, west_member, familienamt_worker, west_resource, team_west
):
    url = reverse("neighbourhood:resource_edit", args=[west_resource.pk])
    client.force_login(familienamt_worker)
    assert (
        client.post(url, _form(team_west, opening_hours="Mo 10–12 Uhr", version="1")).status_code
        == 302
    )
    client.force_login(west_member)

    response = client.post(url, _form(team_west, opening_hours="Fr 9–11 Uhr", version="1"))

    assert response.status_code == 409
    content = response.content.decode()
    assert "Die Ressource wurde inzwischen von jemand anderem geändert" in content
    assert "Mo 10–12 Uhr" in content and "Fr 9–11 Uhr" in content
    west_resource.refresh_from_db()
    assert west_resource.opening_hours == "Mo 10–12 Uhr"
    assert west_resource.version == 2


def test_edit_without_a_version_is_refused_not_overwritten(
    client, west_member, west_resource, team_west
):
    client.force_login(west_member)

    response = client.post(
        reverse("neighbourhood:resource_edit", args=[west_resource.pk]),
        _form(team_west, name="Überschrieben"),
    )

    assert response.status_code == 409
    west_resource.refresh_from_db()
    assert west_resource.name == "Hausaufgabenhilfe im Stadtteilzentrum"


def test_resource_can_be_set_inactive_and_leaves_the_default_register(
    client, west_member, west_resource, team_west
):
    client.force_login(west_member)
    form = _form(team_west, name=west_resource.name, version="1")
    del form["active"]

    client.post(reverse("neighbourhood:resource_edit", args=[west_resource.pk]), form)

    west_resource.refresh_from_db()
    assert not west_resource.active
    assert west_resource.name not in client.get(REGISTER).content.decode()
    assert west_resource.name in client.get(REGISTER, {"inaktive": "true"}).content.decode()


def test_register_is_shared_across_sozialraeume(client, west_member, west_resource, nord_resource):
    client.force_login(west_member)

    content = client.get(REGISTER).content.decode()

    assert west_resource.name in content
    assert nord_resource.name in content
    assert reverse("neighbourhood:resource_edit", args=[west_resource.pk]) in content
    assert reverse("neighbourhood:resource_edit", args=[nord_resource.pk]) not in content


def test_register_searches_name_and_description(client, west_member, team_west):
    make_resource(team_west, west_member, name="Lesepaten", description="Ehrenamtliche lesen vor")
    make_resource(team_west, west_member, name="Jugendclub", description="Billard und Kicker")
    client.force_login(west_member)

    by_description = client.get(REGISTER, {"suche": "KICKER"}, headers={"HX-Request": "true"})
    by_name = client.get(REGISTER, {"suche": "lese"})

    assert "Jugendclub" in by_description.content.decode()
    assert "Lesepaten" not in by_description.content.decode()
    assert "<html" not in by_description.content.decode()
    assert "Lesepaten" in by_name.content.decode()
    assert "Jugendclub" not in by_name.content.decode()


def test_register_filters_by_sozialraum_and_kind(client, west_member, west_resource, nord_resource):
    client.force_login(west_member)

    response = client.get(REGISTER, {"sozialraum": nord_resource.sozialraum_id, "art": "ort"})

    names = [row.resource.name for row in response.context["rows"]]
    assert names == [nord_resource.name]


def test_register_sorts_by_how_many_cases_a_resource_carries(
    client, west_member, team_west, west_resource, nord_resource
):
    for number in range(3):
        case = make_case(team_west, f"F-2026-009{number}")
        ResourceCaseLink.objects.create(resource=nord_resource, case=case, created_by=west_member)
    client.force_login(west_member)

    response = client.get(REGISTER, {"sortierung": "faelle"})

    rows = response.context["rows"]
    assert [(r.resource.name, r.resource.case_count) for r in rows] == [
        (nord_resource.name, 3),
        (west_resource.name, 0),
    ]


def _register_queries(client, count: int, team, author) -> int:
    for number in range(count):
        resource = make_resource(team, author, name=f"Ressource {number:02d}")
        case = make_case(team, f"F-{count:02d}-{number:04d}")
        ResourceCaseLink.objects.create(resource=resource, case=case, created_by=author)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(REGISTER)
    assert len(response.context["rows"]) == count
    return len(queries)


def test_register_queries_do_not_grow_with_rows(client, west_member, team_west):
    client.force_login(west_member)
    one = _register_queries(client, 1, team_west, west_member)
    ResourceCaseLink.objects.all().delete()
    Resource.objects.all().delete()

    twenty_five = _register_queries(client, 25, team_west, west_member)

    assert twenty_five == one
