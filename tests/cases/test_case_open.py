import datetime

import pytest
from django.urls import reverse

from apps.cases.models import Case, Person
from apps.referrals.services import referral_start_triage
from apps.referrals.workflow import Status
from tests.cases.conftest import submit_referral

pytestmark = pytest.mark.django_db


def _url(referral):
    return reverse("cases:open", args=[referral.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_case_open_is_for_the_familienamt_only(client, login_as, west_referral, persona, status):
    login_as(persona)

    response = client.get(_url(west_referral))

    assert response.status_code == status


def test_an_unknown_request_is_404(client, familienamt_worker):
    client.force_login(familienamt_worker)

    assert client.get(reverse("cases:open", args=[99999])).status_code == 404


def test_the_page_shows_the_pupil_and_no_duplicates(client, familienamt_worker, west_referral):
    client.force_login(familienamt_worker)

    response = client.get(_url(west_referral))

    assert "Jürgen Müller" in response.text
    assert "04.03.2016" in response.text
    assert "noch niemand bekannt" in response.text


def test_opening_without_duplicates_creates_a_person_and_the_case(
    client, familienamt_worker, west_referral, team_west
):
    client.force_login(familienamt_worker)

    response = client.post(_url(west_referral), {"version": west_referral.version, "gender": "w"})

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.team == team_west
    assert str(case.person) == "Jürgen Müller"
    west_referral.refresh_from_db()
    assert west_referral.status == Status.ACCEPTED


@pytest.mark.parametrize(("first", "last"), [("Juergen", "Mueller"), ("Jurgen", "Muller")])
def test_known_spellings_are_shown_with_their_cases(
    client, familienamt_worker, school_leader, school_west, first, last
):
    earlier = submit_referral(school_leader, school_west)
    client.force_login(familienamt_worker)
    client.post(_url(earlier), {"version": earlier.version, "gender": "w"})
    earlier_case = Case.objects.get()
    referral = submit_referral(school_leader, school_west, first_name=first, last_name=last)

    response = client.get(_url(referral))

    assert "mit bekannter Person verknüpfen: Jürgen Müller" in response.text
    assert earlier_case.reference in response.text
    assert "checked" not in response.text.split('name="person"')[1][:200]


def test_with_duplicates_nothing_is_merged_without_an_explicit_choice(
    client, familienamt_worker, school_leader, school_west, known_mueller
):
    referral = submit_referral(
        school_leader, school_west, first_name="Juergen", last_name="Mueller"
    )
    client.force_login(familienamt_worker)

    response = client.post(_url(referral), {"version": referral.version, "gender": "w"})

    assert response.status_code == 200
    assert "Personen werden nie ohne Ihre Entscheidung zusammengeführt" in response.text
    assert not Case.objects.exists()
    assert Person.objects.count() == 1
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_linking_to_the_known_person_reuses_it(
    client, familienamt_worker, school_leader, school_west, known_mueller
):
    referral = submit_referral(school_leader, school_west, first_name="Jurgen", last_name="Muller")
    client.force_login(familienamt_worker)

    client.post(
        _url(referral), {"version": referral.version, "gender": "w", "person": known_mueller.pk}
    )

    assert Case.objects.get().person == known_mueller
    assert Person.objects.count() == 1


def test_choosing_a_new_person_creates_one_despite_the_duplicate(
    client, familienamt_worker, school_leader, school_west, known_mueller
):
    referral = submit_referral(school_leader, school_west)
    client.force_login(familienamt_worker)

    client.post(_url(referral), {"version": referral.version, "gender": "w", "person": "neu"})

    assert Person.objects.count() == 2
    assert Case.objects.get().person != known_mueller


def test_a_person_who_is_no_duplicate_cannot_be_linked(
    client, familienamt_worker, west_referral, known_mueller
):
    stranger = Person.objects.create(
        first_name="Lena", last_name="Schulz", date_of_birth=datetime.date(2015, 1, 1)
    )
    client.force_login(familienamt_worker)

    response = client.post(
        _url(west_referral),
        {"version": west_referral.version, "gender": "w", "person": stranger.pk},
    )

    assert "nicht (mehr) möglich" in response.text
    assert not Case.objects.exists()


def test_a_stale_version_shows_a_message_and_writes_nothing(
    client, familienamt_worker, west_referral
):
    stale = west_referral.version
    referral_start_triage(
        referral_id=west_referral.pk, actor=familienamt_worker, expected_version=stale
    )
    client.force_login(familienamt_worker)

    response = client.post(
        _url(west_referral), {"version": stale, "person": "neu", "gender": "w"}, follow=True
    )

    assert "wurde inzwischen" in response.text
    assert not Case.objects.exists()


def test_a_closed_request_is_not_opened_twice(client, familienamt_worker, west_case):
    client.force_login(familienamt_worker)

    response = client.post(
        _url(west_case.referral),
        {"version": west_case.referral.version, "gender": "w", "person": "neu"},
    )

    assert response.status_code == 302
    assert response.url == west_case.get_absolute_url()
    assert Case.objects.count() == 1


def test_a_pseudonymised_request_asks_for_name_and_birthday(
    client, familienamt_worker, school_leader, school_west
):
    referral = submit_referral(school_leader, school_west, consent=False)
    client.force_login(familienamt_worker)

    response = client.get(_url(referral))

    assert "Pseudonymisierte Anfrage" in response.text
    assert "Ein Fall braucht Vorname, Nachname und Geburtsdatum" in response.text
    assert 'name="first_name"' in response.text


def test_a_pseudonymised_request_without_identity_writes_nothing(
    client, familienamt_worker, school_leader, school_west
):
    referral = submit_referral(school_leader, school_west, consent=False)
    client.force_login(familienamt_worker)

    response = client.post(
        _url(referral), {"version": referral.version, "gender": "w", "first_name": "Jürgen"}
    )

    assert "Bitte geben Sie den Nachnamen des Kindes ein." in response.text
    assert "Bitte geben Sie das Geburtsdatum des Kindes ein." in response.text
    assert "Ohne Einwilligung der Sorgeberechtigten" in response.text
    assert not Case.objects.exists() and not Person.objects.exists()


def test_a_pseudonymised_request_becomes_a_case_once_the_parents_consented(
    client, familienamt_worker, school_leader, school_west, known_mueller
):
    referral = submit_referral(school_leader, school_west, consent=False)
    client.force_login(familienamt_worker)
    identity = {
        "version": referral.version,
        "first_name": "Jürgen",
        "last_name": "Mueller",
        "date_of_birth": "2016-03-04",
        "consent_confirmed": "on",
        "gender": "w",
    }

    first = client.post(_url(referral), identity)
    assert "mit bekannter Person verknüpfen: Jürgen Müller" in first.text
    assert not Case.objects.exists()

    client.post(_url(referral), identity | {"person": known_mueller.pk})
    assert Case.objects.get().person == known_mueller
