"""The Familienamt's triage page and its actions: start, ask, reroute, reject."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.referrals.models import Question, Referral, ReferralEvent
from apps.referrals.services import (
    referral_answer_question,
    referral_ask_question,
    referral_reject,
)
from apps.referrals.workflow import Status, TransitionNotAllowed
from tests.referrals.factories import make_referral, submit_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(school_leader, school_west) -> Referral:
    return submit_referral(school_leader, school_west)


def _post(client, name: str, referral: Referral, **data):
    return client.post(
        reverse(f"referrals:{name}", args=[referral.pk]),
        {"version": referral.version} | data,
    )


VALID = {
    "start_triage": {},
    "ask": {"text": "Seit wann besteht der Bedarf?"},
    "reject": {"reason": "Kein Bedarf nach § 35a erkennbar."},
    "reroute": {"reason": "Wohnt in Nord."},
}


def _valid_data(name: str, team_nord) -> dict:
    return VALID[name] | ({"team": team_nord.pk} if name == "reroute" else {})


# --- who may -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("anonymous", 302),
    ],
)
def test_familienamt_sees_the_triage_page(client, login_as, referral, persona, status):
    login_as(persona)

    response = client.get(referral.get_absolute_url())

    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "Jürgen Müller" in content
        assert "Prüfung beginnen" in content
        assert "Anna Müller" in content  # the consent record
        assert "Anfrage eingegangen" in content  # the timeline


def test_a_draft_is_not_visible_to_the_familienamt(
    client, familienamt_worker, school_leader, school_west
):
    draft = make_referral(author=school_leader, school=school_west, status=Status.DRAFT)
    client.force_login(familienamt_worker)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert _post(client, "start_triage", draft).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize("action", list(VALID))
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 302),
        ("familienamt_lead", 302),
        ("west_member", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_familienamt_may_act_on_a_request(
    client, login_as, referral, team_nord, action, persona, status
):
    login_as(persona)

    response = _post(client, action, referral, **_valid_data(action, team_nord))

    assert response.status_code == status
    referral_after = Referral.objects.get(pk=referral.pk)
    if persona.startswith("familienamt"):
        assert response["Location"] == referral.get_absolute_url()
        assert referral_after.version == referral.version + 1
    else:
        assert referral_after.version == referral.version
        assert referral_after.status == Status.RECEIVED
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("action", list(VALID))
def test_actions_refuse_get(client, familienamt_worker, referral, action):
    client.force_login(familienamt_worker)

    response = client.get(reverse(f"referrals:{action}", args=[referral.pk]))

    assert response.status_code == 405


def test_an_unknown_request_is_404(client, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.post(reverse("referrals:start_triage", args=[999999]), {"version": 1})

    assert response.status_code == 404


# --- what each action does ------------------------------------------------------


def test_start_moves_the_request_into_triage_and_assigns_me(client, familienamt_worker, referral):
    client.force_login(familienamt_worker)

    response = _post(client, "start_triage", referral)

    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE
    assert referral.assignee == familienamt_worker
    page = client.get(response["Location"]).content.decode()
    assert "Sie prüfen jetzt die Anfrage" in page
    assert "Prüfung begonnen" in page


def test_ask_sends_a_question_to_the_school(client, familienamt_worker, referral):
    client.force_login(familienamt_worker)

    _post(client, "ask", referral, text="Seit wann besteht der Bedarf?")

    referral.refresh_from_db()
    assert referral.status == Status.QUESTION
    assert referral.whose_move == "school"
    assert referral.questions.get().text == "Seit wann besteht der Bedarf?"


def test_reroute_changes_team_and_keeps_the_reason(client, familienamt_worker, referral, team_nord):
    client.force_login(familienamt_worker)

    response = _post(client, "reroute", referral, team=team_nord.pk, reason="Wohnt in Nord.")

    referral.refresh_from_db()
    assert referral.team == team_nord
    assert referral.sozialraum == team_nord.sozialraum
    assert referral.override_reason == "Wohnt in Nord."
    page = client.get(response["Location"]).content.decode()
    assert "vom Familienamt festgelegt" in page
    assert "Wohnt in Nord." in page


def test_reject_keeps_the_reason_for_the_school(client, familienamt_worker, referral):
    client.force_login(familienamt_worker)

    response = _post(client, "reject", referral, reason="Kein Bedarf erkennbar.")

    referral.refresh_from_db()
    assert referral.status == Status.REJECTED
    assert referral.rejection_reason == "Kein Bedarf erkennbar."
    page = client.get(response["Location"]).content.decode()
    # A rejected request offers no further triage actions.
    assert 'data-testid="triage-actions"' not in page


def test_rejecting_is_asked_first_in_a_closed_disclosure(client, familienamt_worker, referral):
    client.force_login(familienamt_worker)

    page = client.get(referral.get_absolute_url()).text

    disclosure = page.split('data-testid="reject-confirm"')[1].split("</details>")[0]
    assert page.count('data-testid="reject-confirm"') == 1
    assert not disclosure.lstrip().startswith("open")
    assert "Anfrage ablehnen …" in disclosure
    assert 'name="reason"' in disclosure and "Ablehnung bestätigen" in disclosure


def test_a_refused_rejection_opens_the_disclosure_with_the_message(
    client, familienamt_worker, referral
):
    client.force_login(familienamt_worker)

    page = _post(client, "reject", referral, reason="  ").text

    assert 'data-testid="reject-confirm" open' in page
    assert "Bitte begründen Sie die Ablehnung." in page


def test_the_reason_of_a_rejection_stands_on_the_requests_timeline(
    client, familienamt_worker, referral
):
    client.force_login(familienamt_worker)

    _post(client, "reject", referral, reason="Kein Bedarf\nerkennbar.")

    event = ReferralEvent.objects.filter(referral=referral).latest("at", "pk")
    assert event.to_status == Status.REJECTED
    assert event.summary == "Anfrage abgelehnt: Kein Bedarf erkennbar."


def test_the_spine_never_rejects_without_a_reason(familienamt_worker, referral):
    with pytest.raises(TransitionNotAllowed, match="Begründung"):
        referral_reject(
            referral_id=referral.pk,
            actor=familienamt_worker,
            reason="   ",
            expected_version=referral.version,
        )

    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert not ReferralEvent.objects.filter(referral=referral, to_status=Status.REJECTED).exists()


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("ask", {"text": "   "}, "Bitte schreiben Sie Ihre Frage an die Schule."),
        ("reject", {"reason": ""}, "Bitte begründen Sie die Ablehnung."),
        ("reroute", {"reason": "Wohnt in Nord."}, "Bitte wählen Sie das zuständige Team."),
        ("reroute", {"team": "TEAM_NORD", "reason": ""}, "Bitte begründen Sie, warum Sie"),
        ("reroute", {"team": "999999", "reason": "x"}, "Bitte wählen Sie eines der angebotenen"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    client, familienamt_worker, referral, team_nord, action, data, message
):
    client.force_login(familienamt_worker)
    data = {k: (team_nord.pk if v == "TEAM_NORD" else v) for k, v in data.items()}
    events_before = ReferralEvent.objects.count()

    response = _post(client, action, referral, **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    after = Referral.objects.get(pk=referral.pk)
    assert (after.status, after.version, after.team_id) == (
        Status.RECEIVED,
        referral.version,
        referral.team_id,
    )
    assert ReferralEvent.objects.count() == events_before
    assert not Question.objects.exists()


def test_what_was_typed_is_kept_when_another_field_is_missing(client, familienamt_worker, referral):
    client.force_login(familienamt_worker)

    response = _post(client, "reroute", referral, reason="Die Familie ist umgezogen.")

    assert "Die Familie ist umgezogen." in response.content.decode()


@pytest.mark.parametrize("action", list(VALID))
def test_a_missing_version_is_refused(client, familienamt_worker, referral, team_nord, action):
    client.force_login(familienamt_worker)

    response = client.post(
        reverse(f"referrals:{action}", args=[referral.pk]), _valid_data(action, team_nord)
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Das Formular ist unvollständig" in page
    assert Referral.objects.get(pk=referral.pk).version == referral.version


# --- concurrency ----------------------------------------------------------------


@pytest.mark.parametrize("second", list(VALID))
def test_two_staff_on_the_same_request_one_wins(
    client, familienamt_worker, familienamt_lead, referral, team_nord, second
):
    """Both loaded version N; the first action wins, the second is told and changes nothing."""
    stale_version = referral.version
    client.force_login(familienamt_lead)
    _post(client, "ask", referral, text="Erste Frage")
    won = Referral.objects.get(pk=referral.pk)
    client.force_login(familienamt_worker)

    response = client.post(
        reverse(f"referrals:{second}", args=[referral.pk]),
        {"version": stale_version} | _valid_data(second, team_nord),
    )

    after = Referral.objects.get(pk=referral.pk)
    assert (after.status, after.version, after.team_id, after.rejection_reason) == (
        won.status,
        won.version,
        won.team_id,
        won.rejection_reason,
    )
    assert Question.objects.filter(referral=referral).count() == 1
    if second == "start_triage":  # nothing typed: back to the request with the reason
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    else:  # what was typed comes back, set against what is saved now
        assert response.status_code == 409
        page = response.content.decode()
        typed = VALID[second]["reason" if "reason" in VALID[second] else "text"]
        assert typed in page
        assert 'data-testid="stale"' in page
    assert f"wurde inzwischen von {familienamt_lead} geändert" in page


def test_a_stale_question_keeps_the_typed_text_in_the_form_and_shows_the_saved_one(
    client, familienamt_worker, familienamt_lead, referral
):
    stale_version = referral.version
    client.force_login(familienamt_lead)
    _post(client, "reject", referral, reason="Kein Bedarf.")
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("referrals:reject", args=[referral.pk]),
        {"version": stale_version, "reason": "Meine lange Begründung, mühsam getippt."},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Meine lange Begründung, mühsam getippt." in page
    assert "Kein Bedarf." in page  # what the colleague saved
    assert "jetzt: Abgelehnt" in page
    assert Referral.objects.get(pk=referral.pk).rejection_reason == "Kein Bedarf."


def test_a_step_the_spine_refuses_is_explained(client, familienamt_worker, referral):
    client.force_login(familienamt_worker)
    _post(client, "reject", referral, reason="Kein Bedarf.")
    referral.refresh_from_db()

    response = _post(client, "start_triage", referral)

    page = client.get(response["Location"]).content.decode()
    assert "geht es nicht nach" in page
    assert Referral.objects.get(pk=referral.pk).status == Status.REJECTED


# --- what the page offers --------------------------------------------------------


def test_a_question_and_its_answer_are_shown(client, familienamt_worker, school_leader, referral):
    question = referral_ask_question(
        referral_id=referral.pk,
        actor=familienamt_worker,
        text="Gibt es ein ärztliches Attest?",
        expected_version=referral.version,
    )
    referral_answer_question(question_id=question.pk, actor=school_leader, answer="Ja, seit März.")
    client.force_login(familienamt_worker)

    content = client.get(referral.get_absolute_url()).content.decode()

    assert "Gibt es ein ärztliches Attest?" in content
    assert "Ja, seit März." in content
    assert "Rückfrage beantwortet" in content


def test_the_page_offers_only_the_steps_the_spine_allows(client, familienamt_worker, referral):
    client.force_login(familienamt_worker)
    content = client.get(referral.get_absolute_url()).content.decode()
    assert reverse("cases:open", args=[referral.pk]) in content
    assert reverse("referrals:ask", args=[referral.pk]) in content
    assert f'name="version" value="{referral.version}"' in content
    assert "Die Schule sieht diese Begründung" in content

    _post(client, "ask", referral, text="Frage")
    content = client.get(referral.get_absolute_url()).content.decode()

    # During a Rückfrage the case cannot be opened and no second question is asked.
    assert reverse("cases:open", args=[referral.pk]) not in content
    assert reverse("referrals:ask", args=[referral.pk]) not in content
    assert reverse("referrals:reject", args=[referral.pk]) in content


def test_the_triage_page_query_count_does_not_grow_with_history(
    client, familienamt_worker, school_leader, referral
):
    client.force_login(familienamt_worker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(referral.get_absolute_url()).status_code == 200
        return len(captured)

    before = queries()
    for n in range(4):
        referral.refresh_from_db()
        question = referral_ask_question(
            referral_id=referral.pk,
            actor=familienamt_worker,
            text=f"Frage {n}",
            expected_version=referral.version,
        )
        referral_answer_question(question_id=question.pk, actor=school_leader, answer="Antwort")
    after = queries()

    assert after == before
