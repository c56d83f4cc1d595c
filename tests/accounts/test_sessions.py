import time

import pytest
from django.contrib.sessions.models import Session

from apps.accounts.models import UserSession
from apps.accounts.security import LAST_SEEN_KEY, LOGIN_AT_KEY

pytestmark = pytest.mark.django_db


def test_a_login_is_listed_in_my_sessions(client, west_member):
    client.force_login(west_member)

    response = client.get("/sitzungen/")

    assert response.status_code == 200
    assert "diese Sitzung" in response.content.decode()
    assert UserSession.objects.filter(user=west_member).count() == 1


def test_i_can_end_another_session_of_mine(client, west_member):
    from django.test import Client

    other = Client()
    other.force_login(west_member)
    client.force_login(west_member)
    theirs = UserSession.objects.exclude(session_key=client.session.session_key).get()

    response = client.post(f"/sitzungen/{theirs.pk}/beenden/")

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=theirs.session_key).exists()
    assert other.get("/").status_code == 302  # back to the login


def test_i_cannot_end_someone_elses_session(client, west_member, nord_member):
    from django.test import Client

    Client().force_login(nord_member)
    theirs = UserSession.objects.get(user=nord_member)
    client.force_login(west_member)

    response = client.post(f"/sitzungen/{theirs.pk}/beenden/")

    assert response.status_code == 404
    assert Session.objects.filter(session_key=theirs.session_key).exists()


def test_deactivating_an_account_ends_its_sessions_at_once(client, west_member):
    client.force_login(west_member)
    assert client.get("/").status_code == 200

    west_member.is_active = False
    west_member.save()

    assert client.get("/").status_code == 302
    assert not UserSession.objects.filter(user=west_member).exists()


def test_a_session_ends_after_twelve_hours_whatever_the_activity(client, west_member):
    client.force_login(west_member)
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 12 * 3600 - 1
    session.save()

    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith("/anmelden/")


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _last_seen_before(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds
    session.save()


def test_the_idle_timeout_is_thirty_minutes_and_renewed_by_activity(client, west_member, settings):
    from datetime import timedelta

    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(west_member)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    _last_seen_before(client, 61)

    assert client.get("/sitzungen/").status_code == 200

    assert _expiry(client) > timezone.now() + timedelta(minutes=29)


def test_a_page_within_the_minute_writes_no_session(client, west_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(west_member)
    client.get("/sitzungen/")
    expiry = _expiry(client)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitzungen/").status_code == 200

    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]
    assert _expiry(client) == expiry


def test_staying_logged_in_renews_the_idle_timeout_at_once(client, west_member):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(west_member)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )

    assert client.post("/sitzungen/verlaengern/").status_code == 204

    assert _expiry(client) > timezone.now() + timedelta(minutes=29)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("west_member", 200), ("school_leader", 200), ("dpo", 200)],
)
def test_session_list_is_for_every_logged_in_person(client, login_as, persona, status):
    login_as(persona)

    assert client.get("/sitzungen/").status_code == status


def test_authenticated_pages_are_never_cached(client, west_member):
    client.force_login(west_member)

    response = client.get("/sitzungen/")

    assert "no-store" in response["Cache-Control"]


def test_after_thirty_idle_minutes_the_next_request_goes_to_the_login(client, west_member):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(west_member)
    # The server-side session expires SESSION_COOKIE_AGE after the last request.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get("/sitzungen/")

    assert response.status_code == 302
    assert response.url.startswith("/anmelden/")
