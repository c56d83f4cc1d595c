"""Persona -> status for every neighbourhood view."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NO_ACCESS = [("school_leader", 403), ("admin_user", 403), ("dpo", 403), ("anonymous", 302)]
READERS = [
    ("familienamt_worker", 200),
    ("familienamt_lead", 200),
    ("west_member", 200),
    ("nord_member", 200),
]


@pytest.mark.parametrize(("persona", "status"), [*READERS, *NO_ACCESS])
@pytest.mark.parametrize(
    "url_name", ["overview", "resource_list", "activity_create", "resource_create"]
)
def test_pages_without_object_are_for_teams_and_familienamt(
    client, login_as, persona, status, url_name
):
    login_as(persona)

    response = client.get(reverse(f"neighbourhood:{url_name}"))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("persona", "status"), [*READERS, *NO_ACCESS])
def test_every_team_reads_another_teams_activity(client, login_as, west_activity, persona, status):
    login_as(persona)

    response = client.get(reverse("neighbourhood:activity_detail", args=[west_activity.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), [*READERS, *NO_ACCESS])
def test_every_team_reads_another_teams_resource(client, login_as, west_resource, persona, status):
    login_as(persona)

    response = client.get(reverse("neighbourhood:resource_detail", args=[west_resource.pk]))

    assert response.status_code == status


EDITORS = [
    ("familienamt_worker", 200),
    ("familienamt_lead", 200),
    ("west_member", 200),
    ("nord_member", 403),
    *NO_ACCESS,
]


@pytest.mark.parametrize(("persona", "status"), EDITORS)
def test_only_the_owning_team_and_familienamt_edit_an_activity(
    client, login_as, west_activity, persona, status
):
    login_as(persona)

    response = client.get(reverse("neighbourhood:activity_edit", args=[west_activity.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), EDITORS)
def test_only_the_sozialraums_team_and_familienamt_edit_a_resource(
    client, login_as, west_resource, persona, status
):
    login_as(persona)

    response = client.get(reverse("neighbourhood:resource_edit", args=[west_resource.pk]))

    assert response.status_code == status


def test_nord_member_cannot_post_an_edit_of_a_west_activity(client, nord_member, west_activity):
    client.force_login(nord_member)

    response = client.post(
        reverse("neighbourhood:activity_edit", args=[west_activity.pk]),
        {
            "team": west_activity.team_id,
            "kind": "sonstiges",
            "title": "Übernommen",
            "date": "2026-03-10",
            "participants": "1",
            "version": "1",
        },
    )

    assert response.status_code == 403
    west_activity.refresh_from_db()
    assert west_activity.title == "Offenes Basketballtraining"


@pytest.mark.parametrize("url_name", ["activity_detail", "activity_edit"])
def test_unknown_activity_is_404(client, west_member, url_name):
    client.force_login(west_member)

    assert client.get(reverse(f"neighbourhood:{url_name}", args=[999999])).status_code == 404


@pytest.mark.parametrize("url_name", ["resource_detail", "resource_edit"])
def test_unknown_resource_is_404(client, west_member, url_name):
    client.force_login(west_member)

    assert client.get(reverse(f"neighbourhood:{url_name}", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_worker", 302),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_linking_a_resource_on_the_case_page_is_scoped_to_the_case(
    client, login_as, west_case, nord_resource, persona, status
):
    login_as(persona)

    response = client.post(
        reverse("neighbourhood:case_link_resource", args=[west_case.pk]),
        {"resource": nord_resource.pk, "note": "Trainer nimmt ihn mit"},
    )

    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_lead", 302),
        ("nord_member", 200),  # the form answers "no such case of yours"; see test_links
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_linking_a_case_on_the_resource_page(
    client, login_as, west_case, west_resource, persona, status
):
    login_as(persona)

    response = client.post(
        reverse("neighbourhood:resource_link_case", args=[west_resource.pk]),
        {"reference": west_case.reference},
    )

    assert response.status_code == status
