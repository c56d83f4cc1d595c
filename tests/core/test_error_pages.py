"""Error pages as production shows them (DEBUG off): German, no details, no personal data."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from apps.core import views

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]

SECRET_DETAILS = ("Erika Mustermann", "4711", "db.weimar.internal", "Traceback", "gibt-es-nicht")


@pytest.fixture(autouse=True)
def _production_error_handling(settings):
    settings.DEBUG = False


def test_missing_page_shows_the_german_404_page(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert '<html lang="de"' in html
    assert "Page not found" not in html
    assert not [detail for detail in SECRET_DETAILS if detail in html]


def test_a_bad_request_shows_the_german_400_page_without_details(client):
    response = client.get("/test/verdaechtig/")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Anfrage nicht verständlich" in html
    assert not [detail for detail in SECRET_DETAILS if detail in html]


def test_http404_message_is_not_shown(client):
    response = client.get("/test/versteckt/")

    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    assert "Erika Mustermann" not in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "west_member"])
def test_permission_denied_shows_the_german_403_page(client, login_as, persona):
    login_as(persona)

    response = client.get("/test/verboten/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Kein Zugriff" in html
    assert "403 Forbidden" not in html
    assert not [detail for detail in SECRET_DETAILS if detail in html]


def test_403_page_keeps_the_header_with_the_logged_in_person(client, west_member):
    client.force_login(west_member)

    response = client.get("/test/verboten/")

    assert 'data-testid="current-user"' in response.content.decode()
    assert "Sozialraumteam" in response.content.decode()


def test_unexpected_error_shows_the_german_500_page_without_details(db):
    client = Client(raise_request_exception=False)

    response = client.get("/test/kaputt/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Technischer Fehler" in html
    assert "Server Error" not in html
    assert not [detail for detail in SECRET_DETAILS if detail in html]


def test_expired_form_shows_a_german_csrf_page(west_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(west_member)

    response = client.post("/abmelden/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Formular abgelaufen" in html
    assert "CSRF verification failed" not in html
    assert "cookie not set" not in html


@pytest.mark.parametrize(
    ("handler", "status", "title"),
    [
        (views.page_not_found, 404, "Seite nicht gefunden"),
        (views.permission_denied, 403, "Kein Zugriff"),
    ],
)
def test_error_handlers_render_for_anonymous_requests(handler, status, title):
    request = RequestFactory().get("/irgendwo/")
    request.user = AnonymousUser()

    response = handler(request, Exception("Erika Mustermann"))

    assert response.status_code == status
    assert title in response.content.decode()
    assert "Erika Mustermann" not in response.content.decode()
