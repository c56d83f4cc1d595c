"""The school in the loop: what it sees of a running help, its feedback, continuation."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.conferences.models import Participant
from apps.conferences.rules import case_label
from apps.consents.models import Purpose
from apps.consents.services import ConsentInput, consent_record, consent_withdraw
from apps.organisation.models import Traeger
from apps.schoolsupport.models import ContinuationRequest, SchoolFeedback
from tests.schoolsupport.conftest import TODAY, school_consent

pytestmark = pytest.mark.django_db
FEEDBACK = {"overall": "mixed", "participation": "better", "note": "Pausen sind schwierig."}


def _request_page(client, case):
    return client.get(case.referral.get_absolute_url()).content.decode()


def test_without_consent_the_school_sees_only_that_the_request_was_taken_up(
    client, school_leader, sb_case
):
    client.force_login(school_leader)

    page = _request_page(client, sb_case)

    assert "Die Anfrage wurde aufgenommen" in page
    assert "Stunden pro Woche" not in page and "Die Hilfe läuft" not in page
    assert "Rückmeldung senden" not in page


def test_with_consent_the_school_sees_the_grant_the_review_and_may_send_feedback(
    client, school_leader, familienamt_worker, school_west, sb_case
):
    school_consent(sb_case, familienamt_worker, school_west)
    client.force_login(school_leader)

    page = _request_page(client, sb_case)

    assert "12,0 Stunden pro Woche" in page or "12.0 Stunden pro Woche" in page
    assert "Atze" in page or "Lebenshilfe" in page
    assert "Nächste Überprüfung des Hilfeplans" in page and "eingeladen" in page
    assert "Rückmeldung senden" in page


def test_feedback_reaches_the_team_on_the_case_timeline_and_never_the_notes_back(
    client, school_leader, familienamt_worker, west_member, school_west, sb_case
):
    school_consent(sb_case, familienamt_worker, school_west)
    client.force_login(west_member)
    client.post(
        reverse("casework:note_create", args=[sb_case.pk]),
        {"text": "Interne Einschätzung des Teams"},
    )
    client.force_login(school_leader)

    response = client.post(reverse("schoolsupport:feedback", args=[sb_case.referral.pk]), FEEDBACK)

    assert response.status_code == 302
    assert SchoolFeedback.objects.filter(case=sb_case, overall="mixed").exists()
    assert "Interne Einschätzung" not in _request_page(client, sb_case)
    client.force_login(west_member)
    case_page = client.get(sb_case.get_absolute_url()).content.decode()
    assert "Rückmeldung der Schule: teils, teils" in case_page
    assert "Pausen sind schwierig." in case_page


def test_a_double_submit_sends_one_feedback(
    client, school_leader, familienamt_worker, school_west, sb_case
):
    school_consent(sb_case, familienamt_worker, school_west)
    client.force_login(school_leader)
    url = reverse("schoolsupport:feedback", args=[sb_case.referral.pk])
    key = re.search(
        r'name="submission_key" value="([0-9a-f-]{36})"', _request_page(client, sb_case)
    )
    assert key is not None

    client.post(url, {**FEEDBACK, "submission_key": key[1]})
    client.post(url, {**FEEDBACK, "submission_key": key[1]})

    assert SchoolFeedback.objects.filter(case=sb_case).count() == 1


def test_incomplete_feedback_is_refused_with_a_message_and_nothing_written(
    client, school_leader, familienamt_worker, school_west, sb_case
):
    school_consent(sb_case, familienamt_worker, school_west)
    client.force_login(school_leader)

    response = client.post(
        reverse("schoolsupport:feedback", args=[sb_case.referral.pk]), {"note": "x"}, follow=True
    )

    assert "Bitte wählen Sie, wie die Schulbegleitung läuft." in response.content.decode()
    assert not SchoolFeedback.objects.exists()


def test_feedback_without_consent_is_forbidden(client, school_leader, sb_case):
    client.force_login(school_leader)

    response = client.post(reverse("schoolsupport:feedback", args=[sb_case.referral.pk]), FEEDBACK)

    assert response.status_code == 403
    assert not SchoolFeedback.objects.exists()


def test_a_withdrawn_consent_pseudonymises_the_fallberatung_and_ends_the_school_view(
    client, school_leader, familienamt_worker, west_member, school_west, sb_case
):
    awo = Traeger.objects.get(short_name="AWO")
    consent = consent_record(
        case=sb_case,
        actor=familienamt_worker,
        data=ConsentInput(
            given_by="Anna Müller",
            given_on=TODAY,
            purposes=[Purpose.SCHOOL_EXCHANGE, Purpose.CASE_CONFERENCE],
            organisations=[awo],
            schools=[school_west],
        ),
    )
    present = [Participant(organisation=awo)]
    assert case_label(sb_case, present, TODAY).named
    client.force_login(school_leader)
    assert "Rückmeldung senden" in _request_page(client, sb_case)

    consent_withdraw(consent_id=consent.pk, actor=west_member, withdrawn_on=TODAY, note="per Brief")

    assert not case_label(sb_case, present, TODAY).named
    page = _request_page(client, sb_case)
    assert "Die Anfrage wurde aufgenommen" in page and "Rückmeldung senden" not in page
    response = client.post(reverse("schoolsupport:feedback", args=[sb_case.referral.pk]), FEEDBACK)
    assert response.status_code == 403


def test_the_school_asks_for_continuation_in_one_step(
    client, school_leader, familienamt_worker, school_west, sb_case
):
    school_consent(sb_case, familienamt_worker, school_west)
    client.force_login(school_leader)
    listing = client.get(reverse("schoolsupport:continuations")).content.decode()
    assert sb_case.referral.reference in listing and "Fortsetzung erbitten" in listing

    url = reverse("schoolsupport:continuation", args=[sb_case.referral.pk])
    first = client.post(url)
    again = client.post(url, follow=True)

    assert first.status_code == 302
    assert ContinuationRequest.objects.filter(case=sb_case).count() == 1
    assert "bereits gebeten" in again.content.decode()
    client.force_login(familienamt_worker)
    worklist = client.get(reverse("schoolsupport:renewals")).content.decode()
    assert sb_case.reference in worklist and "Schule bittet um Fortsetzung" in worklist


def test_the_continuation_list_leaves_out_pupils_without_consent(client, school_leader, sb_case):
    client.force_login(school_leader)

    listing = client.get(reverse("schoolsupport:continuations")).content.decode()

    assert sb_case.referral.reference not in listing
    assert (
        client.post(reverse("schoolsupport:continuation", args=[sb_case.referral.pk])).status_code
        == 403
    )


def test_timestamps_stay_in_the_school_year(sb_case):
    assert sb_case.decisions.get().valid_until >= timezone.localdate()
