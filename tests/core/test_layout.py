"""The page frame of base.html: landmarks, skip link, who is logged in, strict CSP markup."""

import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["accounts:login", "organisation:overview"]
# A page everyone may open, logged in or not; the frame around it is what is tested.
FRAME_PAGE = "organisation:overview"


class _Page(HTMLParser):
    """Start tags in document order, with their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def body_tags(self) -> list[tuple[str, dict[str, str | None]]]:
        names = [name for name, _ in self.tags]
        return self.tags[names.index("body") + 1 :]


def _page(client, url_name: str) -> _Page:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return _Page(response.content.decode())


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_skip_link_is_the_first_link_and_targets_main(client, url_name):
    page = _page(client, url_name)

    first_focusable = next(
        attrs for name, attrs in page.body_tags() if name in {"a", "button", "input"}
    )
    assert first_focusable["href"] == "#inhalt"
    assert [m.get("id") for m in page.all("main")] == ["inhalt"]


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_page_has_one_of_each_landmark_and_is_german(client, url_name):
    page = _page(client, url_name)

    assert page.all("html")[0]["lang"] == "de"
    assert len(page.all("header")) == 1
    assert len(page.all("main")) == 1
    assert len(page.all("footer")) == 1
    assert [n.get("aria-label") for n in page.all("nav")] == ["Hauptnavigation"]


@pytest.mark.parametrize("persona", ["anonymous", "west_member", "school_leader"])
@pytest.mark.parametrize("url_name", [*PUBLIC_PAGES, "accounts:start"])
def test_pages_have_no_inline_scripts_styles_or_handlers(client, login_as, persona, url_name):
    login_as(persona)
    response = client.get(reverse(url_name), follow=True)
    page = _Page(response.content.decode())

    offending = [
        (name, attribute)
        for name, attrs in page.tags
        for attribute in attrs
        if attribute == "style" or attribute.startswith("on") or attribute.startswith("hx-on")
    ]
    assert offending == []
    assert page.all("style") == []
    assert all(script.get("src") for script in page.all("script"))


def test_htmx_keeps_no_page_copies_and_injects_no_styles(client):
    page = _page(client, "accounts:login")

    meta = next(m for m in page.all("meta") if m.get("name") == "htmx-config")
    config = json.loads(meta["content"] or "")
    # An injected <style> would be a CSP violation; cached pages would keep case
    # data in localStorage after logout.
    assert config["includeIndicatorStyles"] is False
    assert config["historyCacheSize"] == 0
    assert config["allowEval"] is False


def test_header_shows_the_logged_in_person_and_their_roles(client, west_member):
    west_member.first_name, west_member.last_name = "Kim", "Beispiel"
    west_member.save()
    client.force_login(west_member)

    html = client.get(reverse(FRAME_PAGE)).content.decode()

    assert "Angemeldet als <strong>Kim Beispiel</strong>" in html
    assert "Rolle:" in html
    assert "Sozialraumteam (Sozialraumteam West)" in html


def test_header_lists_every_role_of_a_person_with_several(client, west_member):
    from apps.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=west_member, role=Role.DATENSCHUTZ)
    client.force_login(west_member)

    html = client.get(reverse(FRAME_PAGE)).content.decode()

    assert "Rollen:" in html
    assert "Datenschutz" in html
    assert "Sozialraumteam" in html


def test_logout_is_a_post_form_with_csrf_token(client, west_member):
    client.force_login(west_member)

    page = _page(client, FRAME_PAGE)

    logout_forms = [f for f in page.all("form") if f.get("action") == reverse("accounts:logout")]
    assert [f.get("method") for f in logout_forms] == ["post"]
    assert any(i.get("name") == "csrfmiddlewaretoken" for i in page.all("input"))
    assert not [a for a in page.all("a") if a.get("href") == reverse("accounts:logout")]


def test_anonymous_visitors_see_a_login_link_instead(client):
    page = _page(client, "organisation:overview")

    assert any(a.get("href") == reverse("accounts:login") for a in page.all("a"))
    assert not [f for f in page.all("form") if f.get("action") == reverse("accounts:logout")]


def test_current_page_is_marked_in_the_navigation(client, west_member):
    client.force_login(west_member)

    page = _page(client, FRAME_PAGE)

    current = [a.get("href") for a in page.all("a") if a.get("aria-current") == "page"]
    assert current == [reverse(FRAME_PAGE)]


def test_header_queries_do_not_grow_with_the_number_of_roles(
    client, west_member, django_assert_max_num_queries
):
    from apps.accounts.models import Role, RoleAssignment

    client.force_login(west_member)
    with CaptureQueriesContext(connection) as one_role:
        client.get(reverse(FRAME_PAGE))
    for role in (Role.DATENSCHUTZ, Role.ADMIN, Role.FAMILIENAMT):
        RoleAssignment.objects.create(user=west_member, role=role)

    with django_assert_max_num_queries(len(one_role.captured_queries)):
        response = client.get(reverse(FRAME_PAGE))

    assert "Administration" in response.content.decode()
