"""Right of access (Art. 15 GDPR): everything about one person, nothing about another."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit import export
from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action
from apps.cases.models import Case
from apps.referrals.workflow import Status
from tests.audit.test_retention_data import build_case, build_referral

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REQUEST_URL = "/protokoll/auskunft/"
EXPORT_URL = "/protokoll/auskunft/export/"
BIRTHDAY = datetime.date(2015, 5, 1)

# Texts the builder writes with the child's marker, one per table it fills.
CONTENT = [
    "Straße",
    "Beobachtung der Schule",
    "Sorgeberechtigte",
    "Rückfrage",
    "Fall eröffnet",
    "Empfehlung",
    "Begründung",
    "Notiz",
    "Entwurf",
    "Wiedervorlage",
    "Vater",
    "Bedarf",
    "Ziele der Familie",
    "Umzug",
    "Fallschilderung",
    "vereinbarter Schritt",
    "hat geholfen",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def anna(team_west, school_west, west_member) -> Case:
    return build_case(
        team=team_west,
        author=west_member,
        marker="ANNA",
        first_name="Anna",
        last_name="Albrecht",
        school=school_west,
    )


@pytest.fixture
def ben(team_west, school_west, west_member) -> Case:
    """Same school, same team, same birthday: only the name tells them apart."""
    return build_case(
        team=team_west,
        author=west_member,
        marker="BENNO",
        first_name="Benno",
        last_name="Brandt",
        school=school_west,
    )


def _export(client, person_id, fmt="html", purpose="Auskunftsantrag vom 03.11.2026"):
    return client.post(EXPORT_URL, {"person": person_id, "purpose": purpose, "format": fmt})


# --- who may ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 403),
        ("school_leader", 403),
        ("dpo", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_familienamt_may_open_the_access_request_page(login_as, client, persona, status):
    login_as(persona)

    assert client.get(REQUEST_URL).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("west_member", 403),
        ("school_leader", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_familienamt_may_export(login_as, client, anna, persona, status):
    login_as(persona)

    response = _export(client, anna.person_id)

    assert response.status_code == status
    exported = AccessLogEntry.objects.filter(action=Action.EXPORT).exists()
    assert exported is (status == 200)


def test_an_unknown_person_is_404_and_not_logged(login_as, client):
    login_as("familienamt_worker")

    assert _export(client, 999999).status_code == 404
    assert not AccessLogEntry.objects.filter(action=Action.EXPORT).exists()


# --- finding the person ----------------------------------------------------------------------


def test_search_by_name_and_birthday_lists_the_person_with_number_and_logs_the_read(
    login_as, client, anna, ben
):
    login_as("familienamt_worker")

    response = client.post(
        REQUEST_URL, {"last_name": "albrecht", "first_name": "", "date_of_birth": "2015-05-01"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="person-result"') == 1
    assert f"Personen-Nr. {anna.person_id}" in page
    assert "Brandt" not in page
    read = AccessLogEntry.objects.get(action=Action.READ, object_type="person")
    assert read.object_id == str(anna.person_id)
    assert "Albrecht" not in read.purpose


def test_search_without_a_birthday_says_so_and_lists_nobody(login_as, client, anna):
    login_as("familienamt_worker")

    response = client.post(REQUEST_URL, {"last_name": "Albrecht", "date_of_birth": ""})

    assert response.status_code == 400
    assert "Bitte geben Sie das Geburtsdatum an." in response.content.decode()
    assert 'data-testid="person-result"' not in response.content.decode()
    assert not AccessLogEntry.objects.filter(object_type="person").exists()


def test_names_never_travel_in_the_url(login_as, client, anna):
    login_as("familienamt_worker")

    page = client.get(REQUEST_URL).content.decode()

    assert 'method="post"' in page
    assert 'method="get"' not in page


# --- what the export holds ------------------------------------------------------------------


def test_the_readable_export_has_everything_about_the_person_and_nothing_of_another(
    login_as, client, anna, ben
):
    login_as("familienamt_worker")

    response = _export(client, anna.person_id)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Anna" in page and "Albrecht" in page and anna.reference in page
    assert anna.referral.reference in page
    for text in CONTENT:
        assert f"ANNA {text}" in page, text
    assert "BENNO" not in page
    assert "Benno" not in page and "Brandt" not in page
    assert ben.reference not in page and ben.referral.reference not in page


def test_the_json_export_has_everything_about_the_person_and_nothing_of_another(
    login_as, client, anna, ben
):
    login_as("familienamt_worker")

    response = _export(client, anna.person_id, fmt="json")

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "Albrecht" not in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)
    assert data["person"]["last_name"] == "Albrecht"
    (case,) = data["person"]["cases"]["eintraege"]
    assert case["reference"] == anna.reference
    (referral,) = data["anfragen"]["eintraege"]
    assert referral["reference"] == anna.referral.reference
    assert referral["consents"]["eintraege"][0]["scan"].endswith(".pdf")
    for content in CONTENT:
        assert f"ANNA {content}" in text, content
    assert "BENNO" not in text and "Benno" not in text and ben.reference not in text


def test_confided_notes_are_listed_without_their_text(login_as, client, anna):
    login_as("familienamt_worker")

    html = _export(client, anna.person_id).content.decode()
    data = _export(client, anna.person_id, fmt="json").json()

    for text in (html, json.dumps(data, ensure_ascii=False)):
        assert "ANNA anvertrauter Text" not in text
        assert "ANNA mündlich" not in text  # the consent basis of its sharing
        assert "§ 65 SGB VIII" in text
    notes = data["person"]["cases"]["eintraege"][0]["notes"]["eintraege"]
    withheld = [note for note in notes if note.get("confided")]
    assert len(withheld) == 1 and "zurueckgehalten" in withheld[0]
    assert "versions" not in withheld[0]
    assert any("versions" in note for note in notes if not note.get("confided"))


def test_every_table_pointing_at_a_case_is_in_the_export(anna, familienamt_worker):
    """Found from the models, not listed by hand: a new table shows up here by itself."""
    data = export.build(anna.person, user=familienamt_worker, purpose="Test").as_json()
    (case,) = data["person"]["cases"]["eintraege"]

    for relation in Case._meta.related_objects:
        if relation.many_to_many:
            continue
        has_rows = relation.related_model._base_manager.filter(
            **{relation.field.attname: anna.pk}
        ).exists()
        if has_rows:
            assert relation.get_accessor_name() in case, relation.related_model._meta.label


def test_the_export_holds_the_access_log_of_the_persons_cases_only(
    login_as, client, anna, ben, familienamt_worker
):
    log_event(
        familienamt_worker, Action.READ, object_type="case", object_id=anna.pk, case_id=anna.pk
    )
    log_event(familienamt_worker, Action.READ, object_type="case", object_id=ben.pk, case_id=ben.pk)
    login_as("familienamt_worker")

    data = _export(client, anna.person_id, fmt="json").json()

    assert [e["fall_nr"] for e in data["zugriffsprotokoll"]] == [anna.pk]


def test_unlinked_requests_with_the_same_name_and_birthday_are_named_for_checking(
    login_as, client, anna, team_west, west_member
):
    rejected = build_referral(
        team=team_west,
        author=west_member,
        marker="ABGELEHNT",
        first_name="Anna",
        last_name="Albrecht",
        date_of_birth=BIRTHDAY,
        status=Status.REJECTED,
    )
    login_as("familienamt_worker")

    data = _export(client, anna.person_id, fmt="json").json()

    assert data["weitere_moegliche_anfragen"]["aktenzeichen"] == [rejected.reference]
    assert "ABGELEHNT" not in json.dumps(data, ensure_ascii=False)


# --- the log, and bad input ------------------------------------------------------------------


def test_the_export_is_logged_with_its_purpose(login_as, client, anna):
    login_as("familienamt_worker")

    _export(client, anna.person_id, fmt="json", purpose="Antrag der Mutter vom 01.11.2026")

    entry = AccessLogEntry.objects.get(action=Action.EXPORT)
    assert (entry.object_type, entry.object_id) == ("person", str(anna.person_id))
    assert entry.purpose.startswith("Antrag der Mutter vom 01.11.2026")
    assert entry.path_name == "audit:access_export"


def test_an_export_without_a_purpose_says_so_and_exports_and_logs_nothing(login_as, client, anna):
    login_as("familienamt_worker")

    response = _export(client, anna.person_id, fmt="json", purpose="  ")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Bitte geben Sie den Anlass der Auskunft an." in page
    assert "Es wurde nichts exportiert" in page
    assert "ANNA Notiz" not in page
    assert not AccessLogEntry.objects.filter(action=Action.EXPORT).exists()


def test_export_queries_do_not_grow_with_the_number_of_cases(
    team_west, west_member, familienamt_worker
):
    one = build_case(team=team_west, author=west_member, marker="EINS")
    three = build_case(team=team_west, author=west_member, marker="DREI", first_name="Tom")
    for marker in ("DREI-B", "DREI-C"):
        build_case(team=team_west, author=west_member, marker=marker, person=three.person)

    with CaptureQueriesContext(connection) as small:
        export.build(one.person, user=familienamt_worker, purpose="x")
    with CaptureQueriesContext(connection) as large:
        data = export.build(three.person, user=familienamt_worker, purpose="x").as_json()

    assert len(data["person"]["cases"]["eintraege"]) == 3
    assert len(large.captured_queries) == len(small.captured_queries)
