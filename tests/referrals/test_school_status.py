"""The status page of a request for schools and teams, answers to Rückfragen, the scan."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Decision
from apps.cases.services import case_decide, case_open_from_referral, case_transition
from apps.consents.models import Purpose
from apps.consents.services import ConsentInput, consent_record
from apps.core.startpage import sections_for
from apps.referrals import progress
from apps.referrals.models import Consent, Question, Referral
from apps.referrals.services import referral_ask_question, referral_reject
from apps.referrals.workflow import Party, Status
from tests.cases.conftest import recommend
from tests.referrals.test_school_list import file_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(school_leader, school_west):
    return file_request(school_leader, school_west)


@pytest.fixture
def question(referral, familienamt_worker):
    return referral_ask_question(
        referral_id=referral.pk,
        actor=familienamt_worker,
        text="Seit wann besucht das Kind die Schule?",
        expected_version=referral.version,
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_leader", 200),
        ("school_leader_nord", 404),
        ("west_member", 200),
        ("nord_member", 404),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_the_status_page_is_for_the_school_and_the_routed_team(
    client, login_as, referral, persona, status
):
    login_as(persona)

    assert client.get(referral.get_absolute_url()).status_code == status


def test_the_status_page_says_status_whose_move_next_step_and_team_office(
    client, school_leader, referral, standort_west
):
    client.force_login(school_leader)

    content = client.get(referral.get_absolute_url()).content.decode()

    deadline = progress.add_working_days(
        timezone.localdate(referral.received_at), progress.TRIAGE_RESPONSE_WORKING_DAYS
    )
    assert f"Sie erhalten spätestens bis {deadline:%d.%m.%Y} eine Rückmeldung." in content
    assert "Eingegangen" in content
    assert "Familienamt, seit" in content
    assert "Sozialraumteam West" in content
    assert "Musterweg 1" in content and "Di 9–12 Uhr" in content
    assert "Anfrage eingegangen" in content  # timeline


def test_an_open_case_shows_its_status_and_the_teams_promise_but_no_content(
    client, school_leader, referral, familienamt_worker, west_member
):
    case = case_open_from_referral(
        referral_id=referral.pk, actor=familienamt_worker, expected_version=referral.version
    )
    # The school follows the case only with the parents' consent to an exchange with it.
    consent_record(
        case=case,
        actor=familienamt_worker,
        data=ConsentInput(
            given_by="Anna Müller",
            given_on=timezone.localdate(),
            purposes=[Purpose.SCHOOL_EXCHANGE],
            schools=[referral.school],
        ),
    )
    client.force_login(school_leader)

    content = client.get(referral.get_absolute_url()).content.decode()

    deadline = progress.add_working_days(
        timezone.localdate(case.whose_move_since), progress.TEAM_FIRST_CONTACT_WORKING_DAYS
    )
    assert f"Das Sozialraumteam West meldet sich bis {deadline:%d.%m.%Y} bei den Eltern." in content
    assert Status.WITH_TEAM.label in content

    for target in (Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN, Status.DECISION):
        if target == Status.DECISION:
            recommend(case, west_member)
        case = case_transition(
            case_id=case.pk, actor=west_member, target=target, expected_version=case.version
        )
    case_decide(
        case_id=case.pk,
        actor=familienamt_worker,
        expected_version=case.version,
        outcome=Decision.Outcome.REFUSED,
        reason="Diagnose F90.0 begründet keinen Anspruch",
    )
    content = client.get(referral.get_absolute_url()).content.decode()

    assert Status.CLOSED.label in content
    assert "F90.0" not in content
    assert "Diagnose" not in content


def test_a_rejected_request_shows_the_reason_meant_for_the_school(
    client, school_leader, referral, familienamt_worker
):
    referral_reject(
        referral_id=referral.pk,
        actor=familienamt_worker,
        reason="Bitte wenden Sie sich an das Schulamt.",
        expected_version=referral.version,
    )
    client.force_login(school_leader)

    content = client.get(referral.get_absolute_url()).content.decode()

    assert "Bitte wenden Sie sich an das Schulamt." in content
    assert "abgelehnt" in content


def test_the_status_page_needs_a_constant_number_of_queries(
    client, school_leader, referral, familienamt_worker
):
    client.force_login(school_leader)
    with CaptureQueriesContext(connection) as before:
        client.get(referral.get_absolute_url())
    for number in range(3):
        referral.refresh_from_db()
        referral_ask_question(
            referral_id=referral.pk,
            actor=familienamt_worker,
            text=f"Frage {number}",
            expected_version=referral.version,
        )
        Question.objects.filter(referral=referral).update(answer="ok", answered_at=timezone.now())
        Referral.objects.filter(pk=referral.pk).update(status=Status.IN_TRIAGE)
    with CaptureQueriesContext(connection) as after:
        client.get(referral.get_absolute_url())

    assert len(before) == len(after)


# --- Answering a Rückfrage -------------------------------------------------------


def _answer_url(question):
    return reverse("referrals:question_answer", args=[question.referral_id, question.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_leader", 302),
        ("school_leader_nord", 404),
        ("west_member", 403),
        ("familienamt_worker", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_schools_leader_answers_a_question(client, login_as, question, persona, status):
    login_as(persona)

    response = client.post(_answer_url(question), {"answer": "Seit August."})

    assert response.status_code == status
    question.refresh_from_db()
    assert (question.answer == "Seit August.") == (persona == "school_leader")


def test_the_page_offers_the_answer_form_and_an_answer_moves_the_request_on(
    client, school_leader, question, familienamt_worker
):
    client.force_login(school_leader)
    page = client.get(question.referral.get_absolute_url()).content.decode()

    response = client.post(_answer_url(question), {"answer": "Seit August."}, follow=True)

    assert "Seit wann besucht das Kind die Schule?" in page
    assert _answer_url(question) in page
    assert "Ihre Antwort ist beim Familienamt" in response.content.decode()
    referral = Referral.objects.get(pk=question.referral_id)
    assert referral.status == Status.IN_TRIAGE
    assert referral.whose_move == Party.FAMILIENAMT
    assert "Seit August." in response.content.decode()


def test_an_empty_answer_is_refused_and_nothing_written(client, school_leader, question):
    client.force_login(school_leader)

    response = client.post(_answer_url(question), {"answer": "   "}, follow=True)

    assert "Bitte schreiben Sie eine Antwort" in response.content.decode()
    question.refresh_from_db()
    assert question.answer == "" and question.answered_at is None
    assert Referral.objects.get(pk=question.referral_id).status == Status.QUESTION


def test_a_second_answer_is_refused_with_a_message(client, school_leader, question):
    client.force_login(school_leader)
    client.post(_answer_url(question), {"answer": "Seit August."})

    response = client.post(_answer_url(question), {"answer": "Doch erst seit Mai."}, follow=True)

    assert "bereits beantwortet" in response.content.decode()
    question.refresh_from_db()
    assert question.answer == "Seit August."


def test_the_team_sees_the_question_but_no_answer_form(client, west_member, question):
    client.force_login(west_member)

    content = client.get(question.referral.get_absolute_url()).content.decode()

    assert "Seit wann besucht das Kind die Schule?" in content
    assert _answer_url(question) not in content


# --- The scanned consent ------------------------------------------------------------


@pytest.fixture
def scanned_consent(referral, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    consent = referral.consents.get()
    consent.scan.save("einwilligung-test.png", ContentFile(b"\x89PNG\r\n\x1a\nxx"))
    return consent


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_leader", 200),
        ("familienamt_worker", 200),
        ("school_leader_nord", 404),
        ("west_member", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_the_scan_goes_only_to_the_school_and_the_familienamt(
    client, login_as, referral, scanned_consent, persona, status
):
    login_as(persona)
    url = reverse("referrals:consent_scan", args=[referral.pk, scanned_consent.pk])

    response = client.get(url)

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert "attachment" in response["Content-Disposition"]
        assert referral.reference in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_consent_without_scan_or_of_another_request_is_not_found(
    client, school_leader, school_west, referral
):
    other = file_request(school_leader, school_west)
    consent = referral.consents.get()
    client.force_login(school_leader)

    without_scan = client.get(reverse("referrals:consent_scan", args=[referral.pk, consent.pk]))
    crossed = client.get(reverse("referrals:consent_scan", args=[other.pk, consent.pk]))

    assert without_scan.status_code == 404
    assert crossed.status_code == 404
    assert Consent.objects.count() == 2


# --- The start page -------------------------------------------------------------------


def test_the_start_section_lists_open_requests_waiting_for_the_school_first(
    rf, school_leader, school_west, question
):
    newer = file_request(school_leader, school_west)
    request = rf.get("/")
    request.user = school_leader

    section = next(s for s in sections_for(request) if s.title == "Ihre Anfragen")

    rows = section.context["rows"]
    assert [row["referral"] for row in rows] == [question.referral, newer]
    assert rows[0]["waits_for_school"]
    assert "Am Zug: Testschule West" in rows[0]["whose_move"]


def test_the_start_section_is_not_shown_to_other_roles(rf, west_member):
    request = rf.get("/")
    request.user = west_member

    assert not [s for s in sections_for(request) if s.title == "Ihre Anfragen"]


def test_next_step_texts_cover_every_request_status(school_leader, school_west):
    referral = file_request(school_leader, school_west)
    for status in (Status.RECEIVED, Status.IN_TRIAGE, Status.QUESTION, Status.REJECTED):
        referral.status = status
        assert progress.next_step(referral)
    referral.kind = Referral.Kind.KINDERSCHUTZ
    referral.status = Status.RECEIVED
    assert "sofort" in progress.next_step(referral)


def test_working_days_skip_the_weekend():
    friday = datetime.date(2026, 3, 6)

    assert progress.add_working_days(friday, 1) == datetime.date(2026, 3, 9)
    assert progress.add_working_days(friday, 5) == datetime.date(2026, 3, 13)
