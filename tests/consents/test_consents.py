import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.casework.models import Task
from apps.casework.services import consent_expiry_tasks
from apps.consents import rules
from apps.consents.models import CaseConsent, Purpose
from apps.consents.services import ConsentInput, consent_record, consent_withdraw
from apps.organisation.models import Traeger

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def _form(school, **extra):
    city = Traeger.objects.get(is_city=True)
    awo = Traeger.objects.get(short_name="AWO")
    return {
        "given_by": "Anna Müller",
        "relation": "Mutter",
        "given_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "form": "written",
        "valid_until": (TODAY + datetime.timedelta(days=200)).isoformat(),
        "purposes": [Purpose.SCHOOL_EXCHANGE, Purpose.CASE_CONFERENCE],
        "organisations": [city.pk, awo.pk],
        "schools": [school.pk],
        **extra,
    }


def _consent(case, actor, *purposes, until=None, **recipients):
    return consent_record(
        case=case,
        actor=actor,
        data=ConsentInput(
            given_by="Anna Müller",
            given_on=TODAY - datetime.timedelta(days=10),
            purposes=list(purposes),
            valid_until=until,
            **recipients,
        ),
    )


def test_the_request_consent_becomes_a_consent_of_the_case(west_case):
    consent = CaseConsent.objects.get(case=west_case)

    assert consent.purposes == [Purpose.REFERRAL]
    assert consent.from_request is not None
    assert {o.short_name for o in consent.recipient_organisations.all()} == {
        Traeger.objects.get(is_city=True).short_name
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("west_member", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
    ],
)
def test_the_consent_page_is_for_the_cases_team_and_the_familienamt(
    client, request, west_case, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("consents:list", args=[west_case.pk]))

    assert response.status_code == status


def test_the_team_records_a_consent_with_purposes_recipients_and_a_scan(
    client, west_member, west_case, school_west
):
    client.force_login(west_member)
    scan = SimpleUploadedFile("Einwilligung Müller.png", PNG, content_type="image/png")

    response = client.post(
        reverse("consents:create", args=[west_case.pk]), _form(school_west, scan=scan)
    )

    assert response.status_code == 302
    consent = CaseConsent.objects.filter(case=west_case).latest("pk")
    assert set(consent.purposes) == {Purpose.SCHOOL_EXCHANGE, Purpose.CASE_CONFERENCE}
    assert list(consent.recipient_schools.all()) == [school_west]
    assert "Müller" not in consent.scan.name and consent.scan.name.endswith(".png")
    page = client.get(reverse("consents:list", args=[west_case.pk])).content.decode()
    assert "Austausch mit der Schule" in page and "gültig" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"purposes": []}, "mindestens einen Zweck"),
        ({"organisations": [], "schools": []}, "mindestens einen Empfänger"),
        ({"schools": [], "purposes": [Purpose.SCHOOL_EXCHANGE]}, "bitte die Schule auswählen"),
        ({"valid_until": "2020-01-01"}, "liegt vor dem Tag der Einwilligung"),
        ({"given_on": "morgen"}, "gültiges Datum"),
    ],
)
def test_an_incomplete_consent_is_refused_with_a_message_and_nothing_is_written(
    client, west_member, west_case, school_west, change, message
):
    client.force_login(west_member)
    before = CaseConsent.objects.count()

    response = client.post(
        reverse("consents:create", args=[west_case.pk]), _form(school_west, **change)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert CaseConsent.objects.count() == before


def test_a_disguised_executable_is_refused_as_scan(client, west_member, west_case, school_west):
    client.force_login(west_member)
    exe = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 program", content_type="application/pdf")

    response = client.post(
        reverse("consents:create", args=[west_case.pk]), _form(school_west, scan=exe)
    )

    assert response.status_code == 400
    assert "keine echte PDF-, PNG- oder JPEG-Datei" in response.content.decode()


def test_renewal_is_a_new_record_pointing_at_the_old_one(client, west_member, west_case):
    old = _consent(west_case, west_member, Purpose.CASE_CONFERENCE, until=TODAY)
    client.force_login(west_member)

    response = client.post(
        reverse("consents:renew", args=[west_case.pk, old.pk]),
        {"given_on": TODAY.isoformat(), "valid_until": "", "form": "oral"},
    )

    assert response.status_code == 302
    new = CaseConsent.objects.get(renews=old)
    assert new.purposes == old.purposes and new.valid_until is None and new.form == "oral"


def test_withdrawal_needs_how_and_when(client, west_member, west_case):
    consent = _consent(west_case, west_member, Purpose.CASE_CONFERENCE)
    client.force_login(west_member)

    response = client.post(reverse("consents:withdraw", args=[west_case.pk, consent.pk]), {})

    assert response.status_code == 400
    assert "wie widerrufen wurde" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_withdrawal_takes_effect_at_once(client, west_member, west_case):
    awo = Traeger.objects.get(short_name="AWO")
    consent = _consent(west_case, west_member, Purpose.CASE_CONFERENCE, organisations=[awo])
    assert rules.covers_organisations(west_case, [awo])
    client.force_login(west_member)

    response = client.post(
        reverse("consents:withdraw", args=[west_case.pk, consent.pk]),
        {"withdrawn_on": TODAY.isoformat(), "note": "schriftlich per Brief"},
    )

    assert response.status_code == 302
    assert not rules.covers_organisations(west_case, [awo])
    assert (
        "widerrufen" in client.get(reverse("consents:list", args=[west_case.pk])).content.decode()
    )


def test_school_exchange_needs_the_school_named(west_case, west_member, school_west, school_nord):
    _consent(west_case, west_member, Purpose.SCHOOL_EXCHANGE, schools=[school_west])

    assert rules.school_may_know(west_case, school_west)
    assert not rules.school_may_know(west_case, school_nord)


def test_consents_about_to_expire_become_one_task_each(west_case, west_member):
    _consent(
        west_case, west_member, Purpose.CASE_CONFERENCE, until=TODAY + datetime.timedelta(days=10)
    )
    _consent(
        west_case, west_member, Purpose.CASE_CONFERENCE, until=TODAY + datetime.timedelta(days=90)
    )

    assert consent_expiry_tasks(TODAY) == 1
    assert consent_expiry_tasks(TODAY) == 0
    task = Task.objects.get(case=west_case, origin="Einwilligung")
    assert task.due_date == TODAY + datetime.timedelta(days=10)


def test_a_renewed_or_withdrawn_consent_makes_no_task(west_case, west_member):
    soon = TODAY + datetime.timedelta(days=10)
    withdrawn = _consent(west_case, west_member, Purpose.CASE_CONFERENCE, until=soon)
    consent_withdraw(
        consent_id=withdrawn.pk, actor=west_member, withdrawn_on=TODAY, note="mündlich"
    )

    assert consent_expiry_tasks(TODAY) == 0


def test_the_consent_page_query_count_does_not_grow_with_consents(
    client, west_member, west_case, school_west
):
    awo = Traeger.objects.get(short_name="AWO")
    client.force_login(west_member)
    url = reverse("consents:list", args=[west_case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(15):
        _consent(
            west_case,
            west_member,
            Purpose.CASE_CONFERENCE,
            organisations=[awo],
            schools=[school_west],
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.content.decode().count("Nennung des Namens") >= 15
    assert len(many) == len(one)


def test_the_case_page_shows_running_consents(client, west_member, west_case, school_west):
    _consent(west_case, west_member, Purpose.SCHOOL_EXCHANGE, schools=[school_west])
    client.force_login(west_member)

    page = client.get(west_case.get_absolute_url()).content.decode()

    assert "Austausch mit der Schule – an" in page and school_west.name in page
