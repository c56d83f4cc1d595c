import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGOUT_URL = reverse("accounts:logout")
LOGIN_URL = reverse("accounts:login")


def test_logout_ends_the_session_and_clears_site_data(client, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?abgemeldet=1"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "_auth_user_id" not in client.session
    assert not Session.objects.exists()
    assert client.get(reverse("accounts:start")).status_code == 302


def test_login_page_confirms_the_logout(client, db):
    response = client.get(f"{LOGIN_URL}?abgemeldet=1")

    assert "Sie sind abgemeldet." in response.content.decode()


def test_get_only_asks_for_confirmation_and_keeps_the_session(client, west_member):
    client.force_login(west_member)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 200
    assert "Jetzt abmelden" in response.content.decode()
    assert "Clear-Site-Data" not in response
    assert client.session["_auth_user_id"] == str(west_member.pk)


def test_logout_without_csrf_token_is_refused_and_keeps_the_session(west_member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(west_member)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 403
    assert client.session["_auth_user_id"] == str(west_member.pk)


@pytest.mark.parametrize(
    ("persona", "get_status", "post_status"),
    [
        ("anonymous", 302, 302),
        ("familienamt_worker", 200, 302),
        ("familienamt_lead", 200, 302),
        ("school_leader", 200, 302),
        ("west_member", 200, 302),
        ("admin_user", 200, 302),
        ("dpo", 200, 302),
    ],
)
def test_logout_status_per_persona(client, login_as, persona, get_status, post_status):
    login_as(persona)

    assert client.get(LOGOUT_URL).status_code == get_status
    response = client.post(LOGOUT_URL)

    assert response.status_code == post_status
    if persona == "anonymous":
        assert response.url.startswith(f"{LOGIN_URL}?next=")


def test_logout_refuses_other_methods(client, west_member):
    client.force_login(west_member)

    assert client.put(LOGOUT_URL).status_code == 405
    assert client.session["_auth_user_id"] == str(west_member.pk)


def test_logout_confirmation_query_count_is_constant(
    client, west_member, django_assert_max_num_queries
):
    client.force_login(west_member)

    # session, user, roles, unread messages, session save (and its savepoint pair)
    with django_assert_max_num_queries(7):
        client.get(LOGOUT_URL)
