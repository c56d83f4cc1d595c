"""The app in a real browser: keyboard use, login, and a clean console under the strict CSP.

The live server needs committed data, hence transactional tests; serialized
rollback restores Weimar's master data (loaded by a migration) after each flush.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.organisation.models import Stadtteil, Standort, StreetSegment, Team

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"  # the personas' password in tests/conftest.py


@pytest.fixture
def soproner_strasse_in_west(team_west: Team) -> None:
    StreetSegment.objects.create(
        street="Soproner Straße",
        stadtteil=Stadtteil.objects.get(name="Weimar-West"),
        number_from=1,
        number_to=99,
        parity=StreetSegment.Parity.ALL,
    )
    Standort.objects.create(
        team=team_west, name="Büro West", street="Musterweg 1", opening_hours="Di 9–12 Uhr"
    )


def _tab_to(page: Page, label: str, max_presses: int = 30) -> None:
    """Press Tab until the field labelled ``label`` has the focus."""
    field = page.get_by_label(label, exact=True)
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"„{label}“ is not reachable with the Tab key")


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(page: Page):
    page.goto("/sozialraeume/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert skip_link.evaluate("a => getComputedStyle(a).outlineStyle") != "none"

    page.keyboard.press("Enter")

    expect(page.locator("main#inhalt")).to_be_focused()


def test_finder_works_with_the_keyboard_only(page: Page, soproner_strasse_in_west):
    page.goto("/sozialraeume/")

    _tab_to(page, "Straße")
    page.keyboard.type("Soproner Straße")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Hausnummer", exact=True)).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Enter")

    result = page.locator("#finder-result")
    expect(result).to_contain_text("Sozialraumteam West")
    expect(result).to_contain_text("Büro West")
    expect(result).to_have_attribute("aria-live", "polite")
    # htmx swapped the answer in; no page load took the focus away.
    assert page.url.endswith("/sozialraeume/")


@pytest.mark.parametrize(
    ("persona", "role_text"),
    [
        ("school_leader", "Schulleitung (Testschule West)"),
        ("west_member", "Sozialraumteam (Sozialraumteam West)"),
    ],
)
def test_login_lands_on_the_start_page_showing_the_role(
    page: Page, live_server, request, settings, persona, role_text
):
    # The second factor has its own tests (tests/accounts); this one is about the frame.
    settings.SECOND_FACTOR_REQUIRED = False
    user = request.getfixturevalue(persona)
    page.goto("/anmelden/")

    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_test_id("current-user")).to_contain_text(f"Angemeldet als {user}")
    expect(page.get_by_test_id("current-roles")).to_contain_text(role_text)
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()

    page.get_by_role("button", name="Abmelden").click()

    expect(page).to_have_url(re.compile(r"/anmelden/"))
    expect(page.get_by_test_id("current-user")).to_have_count(0)


def test_wrong_password_shows_a_german_message(page: Page, west_member):
    page.goto("/anmelden/")

    page.get_by_label("Benutzername").fill(west_member.username)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("alert")).to_contain_text("Anmeldung fehlgeschlagen")
    expect(page.get_by_test_id("current-user")).to_have_count(0)


def test_every_page_of_the_frame_loads_without_console_errors(
    page: Page, west_member, live_server, settings
):
    """The fixture fails the test on any console error, page error or CSP violation."""
    settings.SECOND_FACTOR_REQUIRED = False
    page.goto("/sozialraeume/")
    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(west_member.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/")
    page.goto("/sozialraeume/")

    response = page.goto("/gibt-es-nicht/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    # htmx loaded (with the nonce) and is running.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False


def test_a_csp_violation_would_be_caught(page: Page, browser_problems):
    """Guards the fixture: an inline style injected into a page must be reported."""
    page.goto("/sozialraeume/")

    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red; }'; document.head.append(s); }"
    )
    page.wait_for_timeout(300)

    assert any("CSP violation: style-src" in problem for problem in browser_problems)
    assert any("Content Security Policy" in problem for problem in browser_problems)
    browser_problems.clear()  # the violation was deliberate
