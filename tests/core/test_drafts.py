"""Nothing typed is lost: server-side drafts on every long form (apps/core/drafts.py)."""

import datetime
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.security import LOGIN_AT_KEY
from apps.conferences import services as conferences
from apps.core.models import FormDraft
from apps.referrals.models import RequestSource
from tests.cases.conftest import move_to_decision, open_case, submit_referral

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def west_case(school_leader, school_west, familienamt_worker):
    return open_case(submit_referral(school_leader, school_west), familienamt_worker)


@pytest.fixture
def agenda_item(west_case, west_member):
    conference = conferences.conference_create(
        team=west_case.team,
        actor=west_member,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place="Büro West",
        participants=[west_member],
        moderator=west_member,
    )
    return conferences.agenda_add(conference=conference, case=west_case)


def _forms(case, item):
    """(persona, draft key, object id, field, page url) for each long form."""
    return {
        "helpplan": (
            "west_member",
            "casework.helpplan",
            case.pk,
            "need",
            reverse("casework:helpplan_edit", args=[case.pk]),
        ),
        "case_edit": (
            "west_member",
            "cases.case_edit",
            case.pk,
            "family_goals",
            reverse("cases:edit", args=[case.pk]),
        ),
        "decision": (
            "familienamt_worker",
            "cases.decision",
            case.pk,
            "reason",
            reverse("cases:decide", args=[case.pk]),
        ),
        "minutes": (
            "west_member",
            "conferences.minutes",
            item.pk,
            "case_account",
            reverse("conferences:minutes", args=[item.conference_id, item.pk]),
        ),
        "activity": (
            "west_member",
            "neighbourhood.activity",
            0,
            "outcome",
            reverse("neighbourhood:activity_create"),
        ),
        "intake": (
            "familienamt_worker",
            "referrals.office_intake",
            0,
            "needs",
            reverse("referrals:office_intake"),
        ),
    }


def _autosave(client, key, object_id, field, text):
    return client.post(
        reverse("core:draft_save", args=[object_id]),
        {"draft_form": key, field: text},
        headers=HTMX,
    )


@pytest.mark.parametrize(
    "form", ["helpplan", "case_edit", "decision", "minutes", "activity", "intake"]
)
def test_a_draft_survives_an_expired_session_on_each_long_form(
    client, request, west_case, agenda_item, west_member, form
):
    move_to_decision(west_case, west_member)
    persona, key, object_id, field, page = _forms(west_case, agenda_item)[form]
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page_before = client.get(page).content.decode()
    assert "als Entwurf gesichert" in page_before and 'data-testid="draft-status"' in page_before

    saved = _autosave(client, key, object_id, field, "Was die Mutter heute erzählte")
    assert saved.status_code == 200 and "Entwurf gesichert um" in saved.content.decode()

    client.logout()  # the session expires
    expired = _autosave(client, key, object_id, field, "Was die Mutter heute erzählte, Teil 2")
    body = expired.content.decode()
    assert expired.status_code == 401
    assert "Sitzung abgelaufen" in body and "neuen Tab" in body
    assert "<html" not in body and "Passwort" not in body  # not the login page

    client.force_login(user)
    page_after = client.get(page).content.decode()
    assert "Was die Mutter heute erzählte" in page_after
    assert "ist wiederhergestellt" in page_after


def test_a_saved_form_drops_its_draft(client, west_member, west_case):
    client.force_login(west_member)
    _autosave(client, "cases.case_edit", west_case.pk, "family_goals", "Entwurf")
    assert FormDraft.objects.filter(user=west_member).exists()

    response = client.post(
        reverse("cases:edit", args=[west_case.pk]),
        {
            "version": west_case.version,
            "help_kind": west_case.help_kind_id or "",
            "family_goals": "Allein zur Schule",
            "assessment": "",
        },
    )

    assert response.status_code == 302
    assert not FormDraft.objects.filter(user=west_member).exists()


def test_the_helpplan_draft_keeps_the_step_rows(client, west_member, west_case):
    client.force_login(west_member)
    client.post(
        reverse("core:draft_save", args=[west_case.pk]),
        {
            "draft_form": "casework.helpplan",
            "need": "Begleitung",
            "steps-TOTAL_FORMS": "1",
            "steps-0-step": "Schulweg üben",
        },
        headers=HTMX,
    )

    page = client.get(reverse("casework:helpplan_edit", args=[west_case.pk])).content.decode()

    assert "Schulweg üben" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("west_member", 200), ("nord_member", 404), ("school_leader", 403), ("admin_user", 403)],
)
def test_a_draft_is_saved_only_for_a_case_in_scope(client, request, west_case, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = _autosave(client, "cases.case_edit", west_case.pk, "family_goals", "x")

    assert response.status_code == status
    assert FormDraft.objects.exists() == (status == 200)


def test_an_unknown_form_or_a_huge_text_is_refused_and_nothing_is_kept(
    client, west_member, west_case
):
    client.force_login(west_member)

    unknown = _autosave(client, "gibt.es.nicht", west_case.pk, "text", "x")
    huge = _autosave(client, "cases.case_edit", west_case.pk, "family_goals", "x" * 60_000)

    assert unknown.status_code == 400 and "Unbekanntes Formular" in unknown.content.decode()
    assert huge.status_code == 400 and "zu lang" in huge.content.decode()
    assert not FormDraft.objects.exists()


def test_a_draft_belongs_to_the_person_who_typed_it(
    client, west_member, familienamt_worker, west_case
):
    client.force_login(west_member)
    _autosave(client, "cases.case_edit", west_case.pk, "family_goals", "nur meins")
    client.force_login(familienamt_worker)

    page = client.get(reverse("cases:edit", args=[west_case.pk])).content.decode()

    assert "nur meins" not in page


def test_the_school_request_autosave_keeps_the_page_after_expiry(client):
    response = client.post(
        reverse("referrals:draft_save"), {"kind": "schulbegleitung"}, headers=HTMX
    )

    body = response.content.decode()
    assert response.status_code == 401
    assert 'id="entwurf-status"' in body and "Sitzung abgelaufen" in body
    assert "<html" not in body


def test_an_autosave_after_the_absolute_time_out_gets_the_notice_not_the_login_page(
    client, west_member, west_case
):
    client.force_login(west_member)
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 13 * 60 * 60
    session.save()

    response = _autosave(client, "cases.case_edit", west_case.pk, "family_goals", "spät")

    assert response.status_code == 401
    assert "Sitzung abgelaufen" in response.content.decode()
    assert not FormDraft.objects.exists()


def test_the_decision_draft_keeps_the_fields_of_its_kind_of_help(
    client, familienamt_worker, west_member, west_case
):
    move_to_decision(west_case, west_member)
    client.force_login(familienamt_worker)
    client.post(
        reverse("core:draft_save", args=[west_case.pk]),
        {
            "draft_form": "cases.decision",
            "help_kind": "hze",
            "outcome": "granted",
            "reason": "Die Familie braucht Unterstützung zu Hause.",
            "help_form": "Sozialpädagogische Familienhilfe (§ 31)",
            "extent": "6 Fachleistungsstunden pro Woche",
            "review_on": "2027-03-01",
        },
        headers=HTMX,
    )

    page = client.get(reverse("cases:decide", args=[west_case.pk])).content.decode()

    assert "Nur bei Bewilligung: Hilfe zur Erziehung" in page
    assert 'value="6 Fachleistungsstunden pro Woche"' in page
    assert '<option value="Sozialpädagogische Familienhilfe (§ 31)" selected>' in page
    assert 'value="2027-03-01"' in page


def test_the_intake_draft_is_dropped_once_the_request_is_recorded(client, familienamt_worker):
    client.force_login(familienamt_worker)
    _autosave(client, "referrals.office_intake", 0, "needs", "Mutter rief an")
    page = client.get(reverse("referrals:office_intake")).content.decode()
    assert "Mutter rief an" in page

    response = client.post(
        reverse("referrals:office_intake"),
        {
            "submission_key": str(uuid.uuid4()),
            "source": RequestSource.FAMILY,
            "channel": "phone",
            "kind": "other_help",
            "needs": "Mutter rief an",
        },
    )

    assert response.status_code == 302
    assert not FormDraft.objects.exists()


@pytest.mark.parametrize(
    ("persona", "object_id", "status"),
    [
        ("familienamt_worker", 0, 200),
        ("west_member", 0, 200),
        ("school_leader", 0, 403),
        ("familienamt_worker", 7, 404),
    ],
)
def test_an_intake_draft_only_for_a_new_request_by_who_takes_requests(
    client, request, persona, object_id, status
):
    client.force_login(request.getfixturevalue(persona))

    response = _autosave(client, "referrals.office_intake", object_id, "needs", "x")

    assert response.status_code == status
    assert FormDraft.objects.exists() == (status == 200)
