"""A school leader files a Schulbegleitung request: consent, pseudonymised enquiry, upload."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.referrals.models import CONSENT_SCAN_MAX_BYTES, Consent, Referral

pytestmark = pytest.mark.django_db

URL = reverse("referrals:create")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def valid_post(**overrides):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "submission_key": str(uuid.uuid4()),
        "kind": "schulbegleitung",
        "has_consent": "ja",
        "first_name": "Jürgen",
        "last_name": "Müller",
        "date_of_birth": "2016-03-04",
        "initials": "",
        "birth_year": "",
        "school_class": "3b",
        "street": "",
        "house_number": "",
        "observations": "Jürgen kann dem Unterricht nur kurz folgen.",
        "needs": "Begleitung im Unterricht",
        "measures_tried": "Sitzplatzwechsel",
        "contact_name": "Frau Schulz",
        "contact_phone": "03643 123456",
        "contact_email": "",
        "consent_given_by": "Anna Müller",
        "consent_relation": "Mutter",
        "consent_given_on": yesterday.isoformat(),
        "consent_purpose": Consent.Purpose.REFERRAL,
        "consent_recipients": "Familienamt und Sozialraumteam",
        "consent_valid_until": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_leader", 200),
        ("school_leader_nord", 200),
        ("west_member", 403),
        ("familienamt_worker", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_only_school_leaders_open_the_request_form(client, login_as, persona, status):
    login_as(persona)

    response = client.get(URL)

    assert response.status_code == status
    if status == 302:
        assert reverse("accounts:login") in response["Location"]


def test_the_form_carries_a_fresh_submission_key_and_the_leaders_school(client, school_leader):
    client.force_login(school_leader)

    response = client.get(URL)

    content = response.content.decode()
    assert 'name="submission_key"' in content
    assert "Testschule West" in content
    assert 'enctype="multipart/form-data"' in content
    assert "pseudonymisierte Anfrage" in content
    assert 'name="school"' not in content  # one school: nothing to choose


def test_a_request_with_consent_is_filed_for_the_leaders_school(
    client, school_leader, school_west, team_west
):
    client.force_login(school_leader)

    response = client.post(URL, valid_post(), follow=True)

    referral = Referral.objects.get()
    assert response.redirect_chain[-1][0] == referral.get_absolute_url()
    assert referral.school == school_west
    assert referral.team == team_west
    assert referral.kind == Referral.Kind.SCHULBEGLEITUNG
    assert (referral.first_name, referral.last_name) == ("Jürgen", "Müller")
    assert referral.date_of_birth == datetime.date(2016, 3, 4)
    assert not referral.pseudonymised
    consent = referral.consents.get()
    assert (consent.given_by, consent.relation) == ("Anna Müller", "Mutter")
    assert consent.purpose == Consent.Purpose.REFERRAL
    content = response.content.decode()
    assert f"Ihre Anfrage {referral.reference} ist beim Familienamt eingegangen" in content
    assert "Das Familienamt prüft Ihre Anfrage" in content


def test_without_consent_only_a_pseudonymised_enquiry_is_stored(client, school_leader):
    client.force_login(school_leader)
    data = valid_post(
        has_consent="nein",
        initials="J. M.",
        birth_year="2016",
        street="Soproner Straße",
        house_number="1",
        consent_given_by="",
        consent_relation="",
        consent_given_on="",
    )

    response = client.post(URL, data, follow=True)

    referral = Referral.objects.get()
    assert referral.pseudonymised
    assert (referral.first_name, referral.last_name, referral.date_of_birth) == ("", "", None)
    assert (referral.street, referral.house_number) == ("", "")
    assert (referral.initials, referral.birth_year) == ("J. M.", 2016)
    assert not Consent.objects.exists()
    assert "Müller" not in response.content.decode()
    assert "ohne Namen" in response.content.decode()


def test_a_double_submit_creates_one_request_and_says_so(client, school_leader):
    client.force_login(school_leader)
    data = valid_post()

    first = client.post(URL, data)
    second = client.post(URL, data, follow=True)

    referral = Referral.objects.get()
    assert first["Location"] == referral.get_absolute_url()
    assert second.redirect_chain[-1][0] == referral.get_absolute_url()
    assert "wurde bereits gesendet" in second.content.decode()
    assert Consent.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "Bitte geben Sie den Vornamen an."),
        ({"last_name": ""}, "Bitte geben Sie den Nachnamen an."),
        ({"date_of_birth": ""}, "Bitte geben Sie das Geburtsdatum an."),
        ({"consent_given_by": ""}, "Bitte geben Sie an, wer eingewilligt hat."),
        ({"consent_given_on": ""}, "Bitte geben Sie an, wann eingewilligt wurde."),
        ({"consent_recipients": ""}, "Bitte geben Sie an, an wen die Angaben gehen dürfen."),
        ({"has_consent": ""}, "ob eine Einwilligung der Sorgeberechtigten vorliegt"),
        ({"observations": ""}, "Was beobachtet die Schule?"),
        ({"date_of_birth": "2999-01-01"}, "Das Geburtsdatum liegt in der Zukunft."),
        ({"consent_valid_until": "2001-01-01"}, "Die Einwilligung ist abgelaufen."),
        ({"contact_phone": "", "contact_email": ""}, "Telefonnummer oder eine E-Mail-Adresse"),
        ({"contact_email": "keine-adresse"}, "gültige E-Mail-Adresse"),
    ],
)
def test_bad_input_shows_a_german_message_and_writes_nothing(
    client, school_leader, overrides, message
):
    client.force_login(school_leader)

    response = client.post(URL, valid_post(**overrides))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Die Anfrage wurde nicht gesendet" in content
    assert not Referral.objects.exists()
    assert not Consent.objects.exists()


def test_a_scan_is_stored_under_a_neutral_name(client, school_leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(school_leader)
    scan = SimpleUploadedFile("Einwilligung Jürgen Müller.pdf", PDF, "application/pdf")

    client.post(URL, valid_post(consent_scan=scan))

    consent = Consent.objects.get()
    assert consent.scan.name.endswith(".pdf")
    assert "Müller" not in consent.scan.name
    assert consent.scan.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"%PDF-" + b"0" * CONSENT_SCAN_MAX_BYTES, "Die Datei ist zu groß"),
        ("scan.pdf", b"MZ\x90\x00 this is an executable", "keine echte PDF-, PNG- oder JPEG"),
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "keine echte PDF-, PNG- oder JPEG"),
        ("scan.txt", PDF, "keine echte PDF-, PNG- oder JPEG"),
    ],
)
def test_a_bad_scan_is_refused_and_nothing_is_written(
    client, school_leader, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(school_leader)
    scan = SimpleUploadedFile(name, content, "application/pdf")

    response = client.post(URL, valid_post(consent_scan=scan))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_leader_of_two_schools_chooses_among_their_own(
    client, school_leader, school_west, school_nord
):
    from apps.organisation.models import Schule, Stadtteil

    third = Schule.objects.create(
        school_number="T-M-1",
        name="Testschule Mitte",
        kind=Schule.Kind.GYMNASIUM,
        street="Testweg 3",
        stadtteil=Stadtteil.objects.get(name="Altstadt"),
    )
    RoleAssignment.objects.create(user=school_leader, role=Role.SCHULLEITUNG, school=third)
    client.force_login(school_leader)

    page = client.get(URL).content.decode()
    refused = client.post(URL, valid_post(school=school_nord.pk))
    accepted = client.post(URL, valid_post(school=third.pk))

    assert "Testschule Mitte" in page and "Testschule Nord" not in page
    assert "Bitte wählen Sie eine Ihrer Schulen aus." in refused.content.decode()
    assert accepted.status_code == 302
    assert Referral.objects.get().school == third


def test_the_form_page_needs_a_constant_number_of_queries(
    client, school_leader, django_assert_max_num_queries
):
    client.force_login(school_leader)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
