"""Fallübergreifende Arbeit: resources linked to the cases they helped in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.neighbourhood.models import Resource, ResourceCaseLink
from apps.neighbourhood.sections import case_resources_panel
from tests.neighbourhood.conftest import make_case, make_resource

pytestmark = pytest.mark.django_db


def _link_url(resource: Resource) -> str:
    return reverse("neighbourhood:resource_link_case", args=[resource.pk])


def test_team_member_links_a_resource_to_an_own_case_by_reference(
    client, west_member, west_resource, west_case
):
    client.force_login(west_member)

    response = client.post(
        _link_url(west_resource), {"reference": "f-2026-00101 ", "note": "Hat Lernlust geweckt"}
    )

    assert response.status_code == 302
    link = ResourceCaseLink.objects.get()
    assert (link.resource, link.case, link.created_by) == (west_resource, west_case, west_member)
    assert link.note == "Hat Lernlust geweckt"


def test_linking_to_another_teams_case_answers_like_an_unknown_case(
    client, nord_member, west_resource, west_case
):
    client.force_login(nord_member)

    other_team = client.post(_link_url(west_resource), {"reference": west_case.reference})
    unknown = client.post(_link_url(west_resource), {"reference": "F-1999-99999"})

    assert "gibt es in Ihren Fällen nicht" in other_team.content.decode()
    assert "gibt es in Ihren Fällen nicht" in unknown.content.decode()
    assert not ResourceCaseLink.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reference": ""}, "Bitte geben Sie das Aktenzeichen des Falls an."),
        ({"reference": "F-2026-00101", "note": "x" * 301}, "Bitte fassen Sie sich kürzer"),
    ],
)
def test_link_bad_input_shows_a_message_and_writes_nothing(
    client, west_member, west_resource, west_case, data, message
):
    client.force_login(west_member)

    response = client.post(_link_url(west_resource), data)

    assert message in response.content.decode()
    assert not ResourceCaseLink.objects.exists()


def test_the_same_case_is_not_linked_twice(client, west_member, west_link):
    client.force_login(west_member)

    response = client.post(_link_url(west_link.resource), {"reference": west_link.case.reference})

    assert "schon verknüpft" in response.content.decode()
    assert ResourceCaseLink.objects.count() == 1


def test_other_teams_see_the_count_but_not_which_cases(client, nord_member, west_link):
    client.force_login(nord_member)

    response = client.get(west_link.resource.get_absolute_url())

    content = response.content.decode()
    assert "Mit 1 Fall verknüpft." in content
    assert "Davon 1 bei anderen Teams" in content
    assert west_link.case.reference not in content
    assert west_link.note not in content
    assert response.context["links"] == []


@pytest.mark.parametrize("persona", ["west_member", "familienamt_worker"])
def test_the_cases_team_and_familienamt_see_the_linked_case(client, login_as, west_link, persona):
    login_as(persona)

    content = client.get(west_link.resource.get_absolute_url()).content.decode()

    assert west_link.case.reference in content
    assert west_link.note in content


def test_links_are_visible_only_through_visible_cases(
    west_member, nord_member, familienamt_worker, school_leader, west_link, nord_case
):
    nord_link = ResourceCaseLink.objects.create(
        resource=west_link.resource, case=nord_case, created_by=nord_member
    )

    assert list(ResourceCaseLink.objects.visible_to(west_member)) == [west_link]
    assert list(ResourceCaseLink.objects.visible_to(nord_member)) == [nord_link]
    assert set(ResourceCaseLink.objects.visible_to(familienamt_worker)) == {west_link, nord_link}
    assert not ResourceCaseLink.objects.visible_to(school_leader).exists()


def test_case_page_shows_the_section_with_the_cases_resources(client, west_member, west_link):
    client.force_login(west_member)

    response = client.get(west_link.case.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ressourcen im Sozialraum" in content
    assert west_link.resource.name in content
    assert reverse("neighbourhood:case_link_resource", args=[west_link.case.pk]) in content


def test_case_page_offers_resources_of_the_cases_sozialraum_first(
    west_member, team_west, team_nord, west_case
):
    make_resource(team_nord, west_member, name="Aaa-Angebot in Nord")
    make_resource(team_west, west_member, name="Zzz-Angebot in West")
    make_resource(team_west, west_member, name="Altes Angebot", active=False)

    form = case_resources_panel(west_member, west_case).form

    names = [resource.name for resource in form.fields["resource"].queryset]
    assert names == ["Zzz-Angebot in West", "Aaa-Angebot in Nord"]


def test_linking_from_the_case_page_with_htmx_swaps_the_section(
    client, west_member, west_case, nord_resource
):
    client.force_login(west_member)

    response = client.post(
        reverse("neighbourhood:case_link_resource", args=[west_case.pk]),
        {"resource": nord_resource.pk, "note": "Trainer nimmt ihn mit"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="ressourcen"' in content
    assert nord_resource.name in content
    assert ResourceCaseLink.objects.get().case == west_case


def test_linking_from_the_case_page_without_a_choice_writes_nothing(client, west_member, west_case):
    client.force_login(west_member)

    response = client.post(
        reverse("neighbourhood:case_link_resource", args=[west_case.pk]), {"resource": ""}
    )

    assert "Bitte wählen Sie eine Ressource." in response.content.decode()
    assert not ResourceCaseLink.objects.exists()


def test_linking_to_another_teams_case_from_the_case_url_is_404(
    client, west_member, nord_case, west_resource
):
    client.force_login(west_member)

    response = client.post(
        reverse("neighbourhood:case_link_resource", args=[nord_case.pk]),
        {"resource": west_resource.pk},
    )

    assert response.status_code == 404
    assert not ResourceCaseLink.objects.exists()


def _detail_queries(client, count: int, resource: Resource, team, author) -> int:
    for number in range(count):
        case = make_case(team, f"G-{count:02d}-{number:04d}")
        ResourceCaseLink.objects.create(resource=resource, case=case, created_by=author)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(resource.get_absolute_url())
    assert len(response.context["links"]) == count
    return len(queries)


def test_resource_page_queries_do_not_grow_with_linked_cases(client, west_member, team_west):
    client.force_login(west_member)
    one = _detail_queries(
        client, 1, make_resource(team_west, west_member, name="Eins"), team_west, west_member
    )

    twenty_five = _detail_queries(
        client, 25, make_resource(team_west, west_member, name="Viele"), team_west, west_member
    )

    assert twenty_five == one


def test_case_section_queries_do_not_grow_with_links(west_member, team_west, west_case):
    def panel_queries(count: int) -> int:
        for number in range(count):
            resource = make_resource(team_west, west_member, name=f"R{count}-{number}")
            ResourceCaseLink.objects.create(
                resource=resource, case=west_case, created_by=west_member
            )
        with CaptureQueriesContext(connection) as queries:
            panel = case_resources_panel(west_member, west_case)
            str(panel.form["resource"])  # the choices are a query of their own
            [(link.resource.sozialraum.name, str(link.created_by)) for link in panel.links]
        return len(queries)

    west_member.role_names  # noqa: B018 - the roles are loaded once per request, not per row

    assert panel_queries(1) == panel_queries(25)
