"""Kontakte: who, when, how, with whom, short result."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.casework.models import Contact
from tests.casework.conftest import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

HTMX = {"HX-Request": "true"}
VALID = {
    "happened_at": "2026-01-12T10:30",
    "kind": "home_visit",
    "with_whom": "Mutter und Mila",
    "result": "Familie wünscht Unterstützung am Vormittag.",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_worker", 302),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_contact_create_is_scoped_to_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    response = client.post(reverse("casework:contact_create", args=[west_case.pk]), VALID)

    assert response.status_code == status
    assert Contact.objects.exists() == (status == 302 and persona != "anonymous")


def test_a_contact_is_recorded_and_shown_in_the_panel(client, west_member, west_case):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:contact_create", args=[west_case.pk]), VALID, headers=HTMX
    )

    body = response.content.decode()
    assert 'id="kontakte"' in body and "Hausbesuch" in body and "12.01.2026, 10:30" in body
    contact = Contact.objects.get()
    assert (contact.kind, contact.created_by) == ("home_visit", west_member)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"result": ""}, "Bitte halten Sie kurz das Ergebnis fest."),
        ({"with_whom": ""}, "Bitte geben Sie an, mit wem."),
        ({"kind": "brieftaube"}, "Bitte wählen Sie eine der angebotenen Arten."),
        ({"happened_at": "gestern"}, "Bitte geben Sie Datum und Uhrzeit an"),
        ({"happened_at": "2999-01-01T10:00"}, "Ein Kontakt kann nicht in der Zukunft liegen."),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_bad_contact_input_is_refused_with_a_message(
    client, west_member, west_case, data, message, headers
):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:contact_create", args=[west_case.pk]), {**VALID, **data}, headers=headers
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_the_contacts_section_queries_do_not_grow(client, west_member, west_case):
    client.force_login(west_member)
    url = reverse("test_case_page", args=[west_case.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            Contact.objects.create(
                case=west_case,
                happened_at=timezone.now(),
                kind="phone",
                with_whom="Schule",
                result="ok",
                created_by=west_member,
            )

    add(1)
    with_one = count()
    add(25)

    assert count() == with_one
