"""Every page each demo person reaches passes axe-core (WCAG 2.1 A and AA) and fits
a 390 px phone without sideways scrolling; the error summary works by keyboard.

axe-core comes pinned with the ``axe-playwright-python`` package (requirements/dev.lock);
nothing is fetched while the tests run.
"""

import re
from io import StringIO
from urllib.parse import urljoin, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "weimar-demo"
PAGES_PER_PERSON = 40
# Not pages: downloads, exports and scans; the admin is checked on its account pages only.
NOT_A_PAGE = re.compile(r"/export|/download|/datei|/scan|\.(pdf|json|csv)$|/verwaltung/")
ADMIN_ACCOUNT_PAGES = [
    "/verwaltung/",
    "/verwaltung/accounts/",
    "/verwaltung/accounts/user/",
    "/verwaltung/accounts/user/add/",
]

axe = Axe()


@pytest.fixture
def demo(settings) -> None:
    settings.SECOND_FACTOR_REQUIRED = False
    settings.DEBUG = True  # seed_demo refuses to run outside development
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def _log_in(page: Page, username: str) -> None:
    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _problems_on(page: Page) -> list[str]:
    """axe violations at desktop width, then sideways scrolling at phone width."""
    problems = []
    for violation in _axe_violations(page):
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        problems.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    page.set_viewport_size(PHONE)
    overflow = _sideways_overflow(page)
    if overflow > 0:
        problems.append(f"scrolls sideways by {overflow}px at 390px width")
    page.set_viewport_size(DESKTOP)
    return problems


def _axe_violations(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations; a run that does not finish fails, never hangs.

    Playwright's evaluate has no timeout of its own, so the page bounds the run.
    """
    page.evaluate(axe.axe_script)
    return page.evaluate(
        """options => Promise.race([
            axe.run(document, options),
            new Promise((_, fail) =>
                setTimeout(() => fail(new Error("axe: no result in 60 s")), 60000)),
        ]).then(results => results.violations)""",
        {**WCAG_21_AA, "resultTypes": ["violations"]},
    )


def _sideways_overflow(page: Page) -> int:
    """How far the page scrolls sideways once layout has settled at the new width.

    A busy machine can measure between the resize and the next layout; a real
    overflow is still there two animation frames and a moment later. Frames
    may never come on a page the browser does not paint, so one second is
    the latest measurement (evaluate has no timeout of its own).
    """
    return page.evaluate(
        """() => new Promise(done => {
            const measure = () => done(document.documentElement.scrollWidth
                - document.documentElement.clientWidth);
            requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(measure, 100)));
            setTimeout(measure, 1000);
        })"""
    )


def _crawl(page: Page, start: list[str], limit: int) -> dict[str, list[str]]:
    """Follow the links a person sees; one page per URL shape (/faelle/12/ ~ /faelle/13/)."""
    host = urlparse(page.url).netloc
    queue, shapes, found = list(start), set(), {}
    while queue and len(shapes) < limit:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if shape in shapes:
            continue
        shapes.add(shape)
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status < 400, f"{path} answered {response.status}"
        found[path] = _problems_on(page)
        for href in page.eval_on_selector_all(
            "main a[href]:not([download]), nav a[href]:not([download])",
            "els => els.map(e => e.getAttribute('href'))",
        ):
            url = urlparse(urljoin(page.url, href))
            if url.scheme not in {"http", "https"} or url.netloc != host:
                continue
            if NOT_A_PAGE.search(url.path) or url.path.startswith(("/static/", "/media/")):
                continue
            queue.append(url.path)
    return found


PERSONS = ["familienamt", "leitung", "schule-west", "team-west", "team-nord", "datenschutz"]


def test_every_page_each_person_reaches_passes_axe_and_fits_a_phone(page: Page, demo):
    """One seeded demo for all persons (seeding and flushing take seconds each)."""
    failures = {}
    for username in PERSONS:
        page.context.clear_cookies()
        _log_in(page, username)

        found = _crawl(page, ["/"], PAGES_PER_PERSON)

        assert len(found) > 3, f"{username} reached only {list(found)}"
        failures |= {f"{username} {path}": problems for path, problems in found.items() if problems}
    assert failures == {}, "\n".join(f"{p}: {'; '.join(v)}" for p, v in failures.items())


def test_the_admin_account_pages_pass_axe(page: Page, demo):
    _log_in(page, "admin")

    failures = {}
    for path in ADMIN_ACCOUNT_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if problems := _problems_on(page):
            failures[path] = problems
    page.goto("/verwaltung/accounts/user/")
    page.locator("#result_list tbody th a").first.click()
    expect(page).to_have_url(re.compile(r"/change/$"))
    if problems := _problems_on(page):
        failures[page.url] = problems

    assert failures == {}, "\n".join(f"{p}: {'; '.join(v)}" for p, v in failures.items())


def test_the_error_summary_takes_the_focus_and_leads_to_the_field(page: Page, demo):
    _log_in(page, "schule-west")
    page.goto("/anfragen/neu/")

    page.get_by_role("button", name="Anfrage senden").focus()
    page.keyboard.press("Enter")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Angaben")
    page.keyboard.press("Tab")
    first_link = summary.get_by_role("link").first
    expect(first_link).to_be_focused()
    target = (first_link.get_attribute("href") or "").lstrip("#")
    page.keyboard.press("Enter")
    field = page.locator(f"[id='{target}']")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert f"{target}_error" in (
        field.get_attribute("aria-describedby")
        or page.locator(f"fieldset:has([id='{target}'])").get_attribute("aria-describedby")
        or ""
    )
