import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from apps.accounts.models import User
from apps.organisation.models import Schule

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
START_URL = reverse("accounts:start")

# What each demo account's start page says about the person's work and context.
EXPECTED_TEXT = {
    "familienamt": ["Anfragen den Sozialraumteams zuweisen", "Fallakte wird protokolliert"],
    "leitung": ["Auslastung der Sozialraumteams", "Fallakte wird protokolliert"],
    "schule-west": ["Für Ihre Schule zuständig: Sozialraumteam West", "Soproner Straße 1b"],
    "schule-nord": [
        "Für Ihre Schule zuständig: Sozialraumteam Nord und Schöndorf",
        "Ettersburger Straße 52",
        "Sprechzeiten:",
    ],
    "team-west": ["Sozialraumteam West", "AWO Mitte-West-Thüringen", "Soproner Straße 1b"],
    "team-nord": ["Nord und Schöndorf", "Caritasverband", "Ettersburger Straße 52"],
    "team-mitte": ["Mitte-Süd", "Diakonie", "Berkaer Straße 14"],
    "admin": ['href="/verwaltung/"', "Inhalte von Fällen sehen Sie nicht"],
    "datenschutz": ["Zugriffsprotokoll", "Inhalte von Fällen sehen Sie nicht"],
}


@pytest.mark.parametrize("username", sorted(EXPECTED_TEXT))
def test_each_demo_account_logs_in_and_lands_on_its_start_page(client, demo_data, username):
    response = client.post(
        LOGIN_URL, {"username": username, "password": settings.DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain == [(START_URL, 302)]
    assert response.status_code == 200
    for text in EXPECTED_TEXT[username]:
        assert text in response.content.decode(), text


def test_school_leader_start_page_names_the_own_school(client, demo_data):
    school = User.objects.get(username="schule-west").schools[0]

    response = client.post(
        LOGIN_URL, {"username": "schule-west", "password": settings.DEMO_PASSWORD}, follow=True
    )

    assert f"Schulleitung: {school.name}" in response.content.decode()
    assert Schule.objects.filter(pk=school.pk, stadtteil__name="Weimar-West").exists()


def test_wrong_password_shows_a_german_message_and_starts_no_session(client, demo_data):
    response = client.post(LOGIN_URL, {"username": "familienamt", "password": "falsch-falsch"})

    assert response.status_code == 200
    assert "Benutzername oder Passwort stimmen nicht" in response.content.decode()
    assert not Session.objects.exists()
    assert User.objects.get(username="familienamt").last_login is None
    assert "_auth_user_id" not in client.session


def test_empty_form_names_the_missing_fields(client, db):
    response = client.post(LOGIN_URL, {"username": "", "password": ""})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie Ihren Benutzernamen ein." in content
    assert "Bitte geben Sie Ihr Passwort ein." in content
    assert "_auth_user_id" not in client.session


def test_login_ignores_a_redirect_to_another_site(client, demo_data):
    response = client.post(
        LOGIN_URL,
        {
            "username": "familienamt",
            "password": settings.DEMO_PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response.status_code == 302
    assert response.url == START_URL


def test_login_follows_a_local_next_page(client, demo_data):
    response = client.post(
        LOGIN_URL,
        {"username": "familienamt", "password": settings.DEMO_PASSWORD, "next": "/sozialraeume/"},
    )

    assert response.url == "/sozialraeume/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 200),
        ("familienamt_worker", 302),
        ("school_leader", 302),
        ("west_member", 302),
        ("admin_user", 302),
        ("dpo", 302),
    ],
)
def test_login_page_is_for_people_not_yet_logged_in(client, login_as, persona, status):
    login_as(persona)

    response = client.get(LOGIN_URL)

    assert response.status_code == status
    if status == 302:
        assert response.url == START_URL


def test_login_page_queries_nothing_for_anonymous_visitors(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LOGIN_URL)

    assert response.status_code == 200
