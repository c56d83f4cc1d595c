"""Intake from anyone: requests taken at an office or by phone; counselling without a case."""

import datetime
import uuid

import pytest
from django.urls import reverse

from apps.cases.models import Case, Person
from apps.referrals.models import CounsellingContact, Referral, RequestSource
from apps.referrals.workflow import Status

pytestmark = pytest.mark.django_db

URL = reverse("referrals:office_intake")
COUNSELLING = reverse("referrals:counselling")


def _intake(**extra):
    return {
        "submission_key": str(uuid.uuid4()),
        "source": RequestSource.KITA,
        "channel": "phone",
        "kind": Referral.Kind.OTHER_HELP,
        "first_name": "Mia",
        "last_name": "Beispiel",
        "date_of_birth": "2019-05-04",
        "needs": "Die Kita sorgt sich um die Sprachentwicklung.",
        "contact_name": "Kita Sonnenschein",
        "contact_phone": "03643 1234",
        **extra,
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 200),
        ("nord_member", 200),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_office_intake_access(client, login_as, persona, status):
    login_as(persona)

    assert client.get(URL).status_code == status


def test_the_familienamt_records_a_call_from_a_kita(client, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.post(URL, _intake())

    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == referral.get_absolute_url()
    assert referral.source_id == RequestSource.KITA and referral.channel == "phone"
    assert referral.recorded_by_team is None and referral.status == Status.RECEIVED
    assert referral.events.get().summary.startswith("Anfrage aufgenommen")


def test_a_repeated_submit_records_one_request(client, familienamt_worker):
    client.force_login(familienamt_worker)
    data = _intake()

    client.post(URL, data)
    client.post(URL, data)

    assert Referral.objects.count() == 1


def test_an_anonymous_caller_leaves_no_trace(client, familienamt_worker):
    client.force_login(familienamt_worker)

    client.post(
        URL,
        _intake(
            source=RequestSource.ANONYMOUS,
            first_name="",
            last_name="",
            date_of_birth="",
            contact_name="Frau X",
            contact_phone="0170 1",
        ),
    )

    referral = Referral.objects.get()
    assert referral.pseudonymised and referral.contact_name == "" and referral.contact_phone == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": ""}, "Bitte wählen Sie, wer die Hilfe angeregt hat."),
        ({"source": "school"}, "Bitte wählen Sie aus der Liste, wer die Hilfe angeregt hat."),
        ({"needs": ""}, "Bitte beschreiben Sie das Anliegen."),
        ({"date_of_birth": ""}, "Vorname, Nachname und Geburtsdatum"),
        ({"street": "Musterweg"}, "Bitte geben Sie die Hausnummer an."),
        ({"date_of_birth": "2099-01-01"}, "Das Geburtsdatum liegt in der Zukunft."),
    ],
)
def test_bad_intake_input_is_refused_and_writes_nothing(
    client, familienamt_worker, change, message
):
    client.force_login(familienamt_worker)

    response = client.post(URL, _intake() | change)

    assert response.status_code == 200
    assert message in response.text
    assert "Es wurde nichts gespeichert" in response.text
    assert not Referral.objects.exists()


def test_a_team_records_at_its_office_and_opens_the_case_itself(
    client, west_member, team_west, familienamt_worker
):
    client.force_login(west_member)
    client.post(URL, _intake(source=RequestSource.FAMILY, channel="office"))
    referral = Referral.objects.get()
    assert referral.recorded_by_team == team_west and referral.team == team_west

    page = client.get(referral.get_absolute_url())
    assert "Fall eröffnen" in page.text
    response = client.post(
        reverse("cases:open", args=[referral.pk]),
        {"version": referral.version, "person": "neu", "gender": "w"},
        follow=True,
    )

    assert "Fall F-" in response.text
    case = Case.objects.get()
    assert case.team == team_west
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert "vom Team eröffnet (Erstberatung)" in referral.events.last().summary
    # The Familienamt sees it, and still alone decides help.
    client.force_login(familienamt_worker)
    assert client.get(referral.get_absolute_url()).status_code == 200


def test_another_team_cannot_open_the_case(client, west_member, nord_member):
    client.force_login(west_member)
    client.post(URL, _intake(source=RequestSource.FAMILY, channel="office"))
    referral = Referral.objects.get()
    client.force_login(nord_member)

    assert client.get(reverse("cases:open", args=[referral.pk])).status_code == 404


def test_a_team_cannot_open_a_request_it_did_not_record(
    client, west_member, familienamt_worker, team_west
):
    client.force_login(familienamt_worker)
    client.post(URL, _intake())
    referral = Referral.objects.get()
    Referral.objects.filter(pk=referral.pk).update(team=team_west, sozialraum=team_west.sozialraum)
    client.force_login(west_member)

    assert client.get(reverse("cases:open", args=[referral.pk])).status_code == 403


def test_a_known_child_stops_the_team_and_goes_to_the_familienamt(client, west_member):
    Person.objects.create(
        first_name="Mia", last_name="Beispiel", date_of_birth=datetime.date(2019, 5, 4)
    )
    client.force_login(west_member)
    client.post(URL, _intake(source=RequestSource.FAMILY, channel="office"))
    referral = Referral.objects.get()

    response = client.post(
        reverse("cases:open", args=[referral.pk]),
        {"version": referral.version, "person": "neu", "gender": "w"},
        follow=True,
    )

    assert "bereits bekannt" in response.text
    assert not Case.objects.exists()


@pytest.mark.parametrize("rows", [1, 15])
def test_the_intake_page_queries_do_not_grow(
    client, familienamt_worker, django_assert_max_num_queries, rows
):
    for n in range(rows):
        RequestSource.objects.create(
            code=f"x{n}", name=f"Quelle {n}", statistics_category="other", sort_order=200 + n
        )
    client.force_login(familienamt_worker)

    with django_assert_max_num_queries(12):
        client.get(URL)


# Counselling contacts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("nord_member", 200),
        ("familienamt_worker", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_counselling_access(client, login_as, persona, status):
    login_as(persona)

    assert client.get(COUNSELLING).status_code == status


def _contact(team, **extra):
    return {
        "team": team.pk,
        "date": datetime.date.today().isoformat(),
        "source": RequestSource.FAMILY,
        "channel": "office",
        "topic": CounsellingContact.Topic.UPBRINGING,
        "outcome": CounsellingContact.Outcome.REFERRED,
        "referred_to": "Erziehungsberatungsstelle",
        **extra,
    }


def test_a_double_submit_counts_one_counselling_contact(client, west_member, team_west):
    client.force_login(west_member)
    body = _contact(team_west, submission_key=str(uuid.uuid4()))

    first = client.post(COUNSELLING, body)
    second = client.post(COUNSELLING, body)

    assert first.status_code == second.status_code == 302
    assert CounsellingContact.objects.count() == 1
    page = client.get(COUNSELLING).content.decode()
    assert 'name="submission_key"' in page


def test_a_counselling_contact_is_counted_without_a_name(client, west_member, team_west):
    client.force_login(west_member)

    response = client.post(COUNSELLING, _contact(team_west))

    assert response.status_code == 302
    contact = CounsellingContact.objects.get()
    assert contact.team == team_west and contact.recorded_by == west_member
    assert CounsellingContact.objects.visible_to(west_member).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"topic": ""}, "Bitte wählen Sie das Thema."),
        ({"date": "2099-01-01"}, "Das Datum liegt in der Zukunft."),
        ({"outcome": ""}, "Bitte wählen Sie das Ergebnis."),
    ],
)
def test_bad_counselling_input_writes_nothing(client, west_member, team_west, change, message):
    client.force_login(west_member)

    response = client.post(COUNSELLING, _contact(team_west) | change)

    assert response.status_code == 200 and message in response.text
    assert not CounsellingContact.objects.exists()


def test_a_team_counts_only_for_its_own_team(client, west_member, team_nord):
    client.force_login(west_member)

    response = client.post(COUNSELLING, _contact(team_nord))

    assert "Bitte wählen Sie Ihr Team." in response.text
    assert not CounsellingContact.objects.exists()


def test_other_teams_contacts_are_not_listed(client, west_member, nord_member, team_nord):
    CounsellingContact.objects.create(
        team=team_nord,
        source_id=RequestSource.FAMILY,
        topic="school",
        outcome="information",
        recorded_by=nord_member,
    )
    client.force_login(west_member)

    assert "Noch keine Beratungskontakte." in client.get(COUNSELLING).text


@pytest.mark.parametrize("rows", [1, 12])
def test_the_counselling_page_queries_do_not_grow(
    client, west_member, team_west, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        CounsellingContact.objects.create(
            team=team_west,
            source_id=RequestSource.FAMILY,
            topic="school",
            outcome="information",
            recorded_by=west_member,
        )
    client.force_login(west_member)

    with django_assert_max_num_queries(14):
        client.get(COUNSELLING)
