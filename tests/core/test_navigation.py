"""The menu follows the views' access rules: nothing offered that answers 403, nothing missing."""

import pytest
from django.urls import resolve, reverse

from apps.core.access import access_rule_of
from apps.core.navigation import NAVIGATION, allows

pytestmark = pytest.mark.django_db

PERSONAS = [
    "familienamt_worker",
    "familienamt_lead",
    "school_leader",
    "west_member",
    "admin_user",
    "dpo",
]


def _menu(client) -> list[dict[str, str]]:
    return client.get(reverse("accounts:start")).context["navigation"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_in_a_personas_menu_opens(client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    menu = _menu(client)

    assert {item["url"]: client.get(item["url"]).status_code for item in menu} == {
        item["url"]: 200 for item in menu
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_page_a_persona_may_open_is_in_the_menu(client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    shown = {item["url"] for item in _menu(client)}

    for entry in NAVIGATION:
        url = reverse(entry.url_name)
        may_open = allows(access_rule_of(resolve(url).func), user.role_names)
        assert (url in shown) == may_open, entry.label


def test_the_familienamt_finds_the_fallberatung_it_may_open(client, familienamt_worker):
    client.force_login(familienamt_worker)

    labels = [item["label"] for item in _menu(client)]

    assert "Fallberatung" in labels
    assert client.get(reverse("conferences:list")).status_code == 200
