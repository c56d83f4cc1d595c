import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.selectors import unread_count

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def _note(user, text, *, read=False, minutes_ago=0, url="/faelle/1/"):
    return Notification.objects.create(
        recipient=user,
        text=text,
        url=url,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("west_member", 200),
        ("school_leader", 200),
        ("admin_user", 200),
        ("dpo", 200),
        ("anonymous", 302),
    ],
)
def test_inbox_access(client, login_as, persona, status):
    login_as(persona)

    assert client.get(INBOX).status_code == status


def test_the_inbox_shows_only_ones_own_unread_first(client, west_member, nord_member):
    _note(west_member, "alt gelesen", read=True, minutes_ago=1)
    _note(west_member, "älter ungelesen", minutes_ago=10)
    _note(west_member, "neu gelesen", read=True)
    _note(nord_member, "fremd")
    client.force_login(west_member)

    texts = [n.text for n in client.get(INBOX).context["notifications"]]

    assert texts == ["älter ungelesen", "neu gelesen", "alt gelesen"]


def test_older_notifications_are_paged_by_cursor(client, west_member):
    for number in range(105):
        _note(west_member, f"N{number}", read=number % 2 == 0, minutes_ago=number)
    client.force_login(west_member)

    first = client.get(INBOX)
    second = client.get(INBOX, {"nach": first.context["next_cursor"]})

    shown = [n.pk for n in first.context["notifications"]] + [
        n.pk for n in second.context["notifications"]
    ]
    assert len(shown) == len(set(shown)) == 105
    assert "Ältere anzeigen" in first.text
    assert second.context["next_cursor"] is None


def test_a_broken_cursor_shows_the_first_page(client, west_member):
    _note(west_member, "da")
    client.force_login(west_member)

    response = client.get(INBOX, {"nach": "x-y"})

    assert response.status_code == 200 and "da" in response.text


def test_inbox_query_count_does_not_grow(client, west_member):
    _note(west_member, "eins")
    client.force_login(west_member)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    for number in range(20):
        _note(west_member, f"mehr {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(INBOX)

    assert len(many) == len(one)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("west_member", 302), ("nord_member", 404), ("familienamt_worker", 404), ("anonymous", 302)],
)
def test_mark_read_only_own(client, login_as, west_member, persona, status):
    note = _note(west_member, "für West")
    login_as(persona)

    response = client.post(reverse("notifications:mark_read", args=[note.pk]))

    assert response.status_code == status
    note.refresh_from_db()
    assert (note.read_at is not None) == (persona == "west_member")


def test_mark_read_is_post_only(client, west_member):
    note = _note(west_member, "x")
    client.force_login(west_member)

    assert client.get(reverse("notifications:mark_read", args=[note.pk])).status_code == 405


def test_mark_read_goes_to_the_notifications_page(client, west_member):
    note = _note(west_member, "x", url="/faelle/7/")
    client.force_login(west_member)

    response = client.post(reverse("notifications:mark_read", args=[note.pk]))

    assert response.url == "/faelle/7/"


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_mark_read_never_redirects_off_site(client, west_member, url):
    note = _note(west_member, "x", url=url)
    client.force_login(west_member)

    response = client.post(reverse("notifications:mark_read", args=[note.pk]))

    assert response.url == INBOX


def test_unread_count_counts_only_own_unread(west_member, nord_member, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    _note(west_member, "a")
    _note(west_member, "b", read=True)
    _note(nord_member, "c")

    assert unread_count(west_member) == 1
    assert unread_count(AnonymousUser()) == 0
