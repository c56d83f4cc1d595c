"""Every demo person's menu: exactly the pages their role may open, and each one opens.

The menu is derived from the views' access rules (``apps/core/navigation.py``);
these tests pin what each demo person actually sees, so a changed access rule
or a new menu entry shows up here as a visible change of someone's menu.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.demo import seed

pytestmark = pytest.mark.django_db

BASE_STEPS = seed.STEPS[: seed.STEPS.index(seed.seed_school_leaders) + 1]

FAMILIENAMT = [
    "Eingang",
    "Kinderschutz melden",
    "Anfrage aufnehmen",
    "Fälle",
    "Suche",
    "Aufgaben",
    "Fallberatung",
    "Schulbegleitung",
    "Sozialraumarbeit",
    "Auskunft (Art. 15)",
    "Steuerung",
    "Berichte",
    "Budget",
]
SCHOOL = ["Anfragen", "Schulbegleitung anfragen", "Kinderschutz melden"]
TEAM = [
    "Anfrage aufnehmen",
    "Fälle",
    "Suche",
    "Aufgaben",
    "Beratungskontakte",
    "Fallberatung",
    "Sozialraumarbeit",
]
TRAEGER = ["Steuerung", "Berichte", "Budget"]

MENUS = {
    "familienamt": FAMILIENAMT,
    "leitung": [*FAMILIENAMT[:10], "Aufbewahrung", "Freigaben", *FAMILIENAMT[10:]],
    "schule-west": SCHOOL,
    "schule-nord": SCHOOL,
    "team-west": TEAM,
    "team-nord": TEAM,
    "team-mitte": TEAM,
    "admin": [],
    "datenschutz": ["Zugriffsprotokoll", "Aufbewahrung"],
    "stadtrat": ["Berichte"],
    "traeger-awo": TRAEGER,
    "traeger-htg": TRAEGER,
    "traeger-caritas": TRAEGER,
    "traeger-diakonie": TRAEGER,
}


@pytest.fixture
def demo_accounts(settings, monkeypatch):
    settings.DEBUG = True
    # Accounts, teams and schools are enough for the menu; cases take seconds.
    monkeypatch.setattr(seed, "STEPS", BASE_STEPS)
    call_command("seed_demo", stdout=None)


def _menu(client) -> list[dict[str, str]]:
    response = client.get(reverse("accounts:start"), follow=True)
    assert response.status_code == 200
    return response.context["navigation"]


def test_every_demo_account_has_a_pinned_menu(demo_accounts):
    assert set(MENUS) == set(seed.DEMO_USERNAMES)


@pytest.mark.parametrize("username", sorted(MENUS))
def test_each_demo_person_sees_exactly_the_entries_they_may_open(client, demo_accounts, username):
    client.force_login(User.objects.get(username=username))

    menu = _menu(client)

    assert [item["label"] for item in menu] == MENUS[username]


@pytest.mark.parametrize("username", sorted(MENUS))
def test_no_menu_entry_answers_403_or_404_for_the_person_who_sees_it(
    client, demo_accounts, username
):
    client.force_login(User.objects.get(username=username))

    opened = {item["label"]: client.get(item["url"]).status_code for item in _menu(client)}

    assert opened == dict.fromkeys(opened, 200)


@pytest.mark.parametrize("username", ["familienamt", "team-west", "schule-west"])
def test_the_menu_is_in_the_page_the_person_reads(client, demo_accounts, username):
    client.force_login(User.objects.get(username=username))

    page = client.get(reverse("accounts:start"), follow=True).text

    for item in _menu(client):
        assert f'href="{item["url"]}"' in page, item["label"]
