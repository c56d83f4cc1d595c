"""Bad input to every form a demo persona reaches: no 500, nothing written.

Each page of the matrix a persona may open (GET, 200) is fetched; every form
on it with a text control is sent back as the browser would send it, once
with a NUL byte and once with 30,000 characters in every text control (more
than any field allows, ``apps.core.forms``). The answer must not be a server
error, and for a POST no table but the access log and session bookkeeping
may change: the form refuses the input with its message.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from tests.authz.matrix import GET, MATRIX, OK, Row
from tests.authz.test_matrix import _url
from tests.authz.world import World

pytestmark = pytest.mark.django_db

PAYLOADS = {"nul": "Anna\x00Müller", "30000": "ä" * 30_000}
TEXT_TYPES = {"text", "search", "email", "tel", "url", ""}
# Bookkeeping that a refused request may write: the access log (refusals are
# logged), sessions and their tracking, drafts (autosave, not these posts).
UNWATCHED = {
    "audit_accesslogentry",
    "audit_accesslogcheckpoint",
    "django_session",
    "accounts_usersession",
    "accounts_user",  # last_login of the persona
    "axes_accessattempt",
    "axes_accesslog",
    "pghistory_events",  # a view over the history tables, which are watched
}


@dataclass
class FormSeen:
    method: str
    targets: list[str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    submit: tuple[str, str] | None = None
    select: str | None = None


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would send as they stand."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[FormSeen] = []
        self.current: FormSeen | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            # Where the browser sends it, and the autosave (htmx) of the same fields.
            targets = [a.get("action", "")] + ([a["hx-post"]] if a.get("hx-post") else [])
            self.current = FormSeen(a.get("method", "get").lower(), targets)
            self.forms.append(self.current)
            return
        form = self.current
        if form is None or not a.get("name") or "disabled" in a:
            return
        if a.get("hx-post") and a["hx-post"] not in form.targets:
            form.targets.append(a["hx-post"])  # an autosave on the field itself
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in TEXT_TYPES:
                form.text.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind == "submit":
                form.submit = form.submit or (name, a.get("value", ""))
            elif kind != "file":
                form.fields.append((name, a.get("value", "")))
        elif tag == "textarea":
            form.text.append(name)
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.submit = form.submit or (name, a.get("value", ""))
        elif tag == "select":
            form.select = name
        elif tag == "option" and form.select and "selected" in a:
            form.fields.append((form.select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select" and self.current:
            self.current.select = None


def _pages() -> Iterator[object]:
    for entry in MATRIX:
        if entry.method != GET:
            continue
        for persona, expected in entry.expect.items():
            first = expected[0] if isinstance(expected, tuple) else expected
            if persona != "anonymous" and first == OK:
                yield pytest.param(entry, persona, id=f"{entry.name}-{persona}")


def _snapshot() -> dict[str, str]:
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed} - UNWATCHED)
    digest = "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {} t)"
    parts = ", ".join(digest.format(connection.ops.quote_name(name)) for name in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.mark.parametrize(("entry", "persona"), list(_pages()))
def test_no_form_takes_a_nul_byte_or_a_huge_text(
    client: Client, world: World, entry: Row, persona: str
):
    client.force_login(world[persona])
    url = _url(entry, world, persona, 0 if entry.kwargs else None)
    page = client.get(url)
    assert page.status_code == 200
    if not page.get("Content-Type", "").startswith("text/html"):
        return  # a download (export, document): no form to fill
    parser = FormParser()
    parser.feed(page.content.decode())
    attempts = [
        (form, target or url, label, payload)
        for form in parser.forms
        if form.text
        for target in form.targets
        for label, payload in PAYLOADS.items()
    ]
    for form, target, label, payload in attempts:
        data: dict[str, list[str]] = {}
        for name, value in form.fields:
            data.setdefault(name, []).append(value)
        for name in form.text:
            data[name] = [payload]
        if form.submit and form.submit[0]:
            data.setdefault(form.submit[0], [form.submit[1]])
        where = f"{form.method.upper()} {target} ({label}) from {url}"
        if form.method != "post":
            assert client.get(target, data).status_code < 500, where
            continue
        before = _snapshot()
        response = client.post(target, data)
        assert response.status_code < 500, where
        after = _snapshot()
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, f"{where} wrote to {changed}"
