"""The §8a report: emergency numbers first, no consent, the Familienamt alerted at once."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from apps.notifications.models import Notification
from apps.referrals.models import Consent, EmergencyContact, Referral, RequestSource

pytestmark = pytest.mark.django_db

URL = reverse("referrals:child_protection")


def _post(**overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "kind": Referral.Kind.KINDERSCHUTZ,
        "first_name": "Lena",
        "last_name": "Schröder",
        "date_of_birth": "",
        "school_class": "2a",
        "observed": "Blaue Flecken an beiden Armen, sagt, sie habe Angst nach Hause zu gehen.",
        "observed_when": "heute, 8:15 Uhr",
        "at_risk": "Lena und ihr jüngerer Bruder",
        "measures_tried": "Gespräch mit der Klassenlehrerin",
        "contact_name": "Herr Becker",
        "contact_phone": "03643 555",
        "contact_email": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_leader", 200),
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_school_leaders_and_familienamt_open_the_report_form(client, login_as, persona, status):
    login_as(persona)

    assert client.get(URL).status_code == status


def test_the_form_starts_with_the_emergency_numbers(client, school_leader):
    EmergencyContact.objects.create(label="Schulpsychologischer Dienst", phone="03643 999")
    client.force_login(school_leader)

    content = client.get(URL).content.decode()

    danger = content.index("kern-alert--danger")
    assert danger < content.index(f'action="{URL}"')
    assert "Akute Gefahr? Rufen Sie sofort an:" in content
    for number in ("110", "112", "116 111", "(Demo-Nummer)", "03643 999"):
        assert number in content
    assert "nicht nötig" in content  # consent is not required, and the page says why


def test_a_report_alerts_the_familienamt_at_once(
    client, school_leader, familienamt_worker, familienamt_lead, django_capture_on_commit_callbacks
):
    familienamt_worker.email = "fa@weimar.invalid"
    familienamt_worker.save(update_fields=["email"])
    client.force_login(school_leader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _post())

    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    assert referral.kind == Referral.Kind.KINDERSCHUTZ
    assert referral.urgent
    assert not referral.pseudonymised
    assert (referral.first_name, referral.last_name) == ("Lena", "Schröder")
    assert "Wann: heute, 8:15 Uhr" in referral.observations
    assert "Wer ist gefährdet: Lena und ihr jüngerer Bruder" in referral.observations
    assert not Consent.objects.exists()
    alerts = Notification.objects.filter(urgent=True, text__startswith="KINDERSCHUTZ")
    assert {n.recipient for n in alerts} == {familienamt_worker, familienamt_lead}
    assert [m.to for m in mail.outbox] == [["fa@weimar.invalid"]]
    assert "Schröder" not in mail.outbox[0].body


def test_the_school_sees_that_the_familienamt_calls_back(client, school_leader):
    client.force_login(school_leader)

    response = client.post(URL, _post(), follow=True)

    content = response.content.decode()
    assert "Das Familienamt wurde sofort benachrichtigt" in content
    assert "meldet sich noch heute" in content


def test_familienamt_staff_record_a_phone_report_without_a_school(client, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.post(URL, _post(school=""))

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.school is None
    assert referral.source_id == RequestSource.OTHER
    assert referral.created_by == familienamt_worker


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "Vorname des Kindes"),
        ({"observed": ""}, "Was haben Sie beobachtet oder erfahren?"),
        ({"observed_when": ""}, "Wann?"),
        ({"contact_phone": ""}, "Telefon für den Rückruf"),
    ],
)
def test_an_incomplete_report_is_not_sent_and_says_what_is_missing(
    client, school_leader, overrides, message
):
    client.force_login(school_leader)

    response = client.post(URL, _post(**overrides))

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Bitte füllen Sie „{message}“ aus." in content
    assert "Die Meldung wurde nicht gesendet" in content
    assert not Referral.objects.exists()
    assert not Notification.objects.exists()
