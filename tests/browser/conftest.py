"""Playwright on the system Chromium against pytest-django's live server.

Never downloads a browser: without /usr/bin/chromium (or $CHROMIUM) every
browser test is skipped with the reason. Each page records console errors,
uncaught exceptions and CSP violations; a test that produced any fails.
Set BROWSER_SCREENSHOTS=/some/dir to keep a full-page screenshot of each test.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in
# fixtures would otherwise refuse to run next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's init scripts run outside the page's CSP, so this listener reports
# every violation on every page, also where Chromium words its console message
# differently or logs none.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"Browser-Tests übersprungen: {CHROMIUM} fehlt (apt-get install chromium)"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium_browser(django_db_setup) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} fehlt")
    from django.db import DEFAULT_DB_ALIAS, connections
    from playwright.sync_api import sync_playwright

    args = [*CHROMIUM_ARGS]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to sandbox as root
    before = connections[DEFAULT_DB_ALIAS]
    with sync_playwright() as playwright:
        # Playwright marks its event loop as running in this thread, and from then
        # on Django hands out other connection objects (asgiref keeps them per
        # context in "async" threads). The copy made for serialized rollback lives
        # on the old one; without it, the first flush would lose the master data.
        after = connections[DEFAULT_DB_ALIAS]
        if after is not before and hasattr(before, "_test_serialized_contents"):
            after._test_serialized_contents = before._test_serialized_contents
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=args
        )
        yield browser
        browser.close()
    # The test database can only be dropped when no connection is left open.
    after.close()


@pytest.fixture
def browser_problems() -> list[str]:
    """What went wrong in the browser during the test; must be empty at the end."""
    return []


@pytest.fixture
def page(chromium_browser, live_server, browser_problems, request) -> Iterator[object]:
    context = chromium_browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(5_000)
    problems = browser_problems
    context.expose_function(
        "reportCspViolation", lambda violation: problems.append(f"CSP violation: {violation}")
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text} ({page.url})")
            if message.type in {"error", "warning"} and not _expected(message.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error} ({page.url})"))
    # Pages a test navigates to may answer 4xx on purpose; what they load may not.
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    visited: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: visited.append(frame.url) if frame == page.main_frame else None,
    )

    yield page

    shots = os.environ.get("BROWSER_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
    context.close()
    assert visited, "the test visited no page"
    assert problems == [], "\n".join(problems)


def _expected(text: str) -> bool:
    # Chromium logs every 4xx response as a console error; tests that expect one
    # check the status themselves.
    return text.startswith("Failed to load resource: the server responded with a status of 4")
