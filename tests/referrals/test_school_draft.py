"""Drafts keep what a school leader typed; they are private and never hold files."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.referrals.models import Referral, ReferralDraft
from apps.referrals.views.school import DRAFT_MAX_FIELD_CHARS

pytestmark = pytest.mark.django_db

URL = reverse("referrals:draft_save")


def _draft_post(**overrides):
    data = {
        "kind": Referral.Kind.SCHULBEGLEITUNG,
        "submission_key": str(uuid.uuid4()),
        "first_name": "Jürgen",
        "observations": "Kann dem Unterricht kaum folgen.",
        "has_consent": "ja",
        "csrfmiddlewaretoken": "ignored",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_leader", 200),
        ("familienamt_worker", 400),  # may draft §8a reports, not school requests
        ("west_member", 403),
        ("admin_user", 403),
        ("anonymous", 401),  # an expired session: a notice for the status line, no login page
    ],
)
def test_only_the_form_users_may_save_a_draft(client, login_as, persona, status):
    login_as(persona)

    response = client.post(URL, _draft_post(), headers={"HX-Request": "true"})

    assert response.status_code == status
    assert ReferralDraft.objects.exists() == (status == 200)


def test_a_draft_is_saved_as_text_and_restored_on_the_form(client, school_leader):
    client.force_login(school_leader)

    saved = client.post(URL, _draft_post(), headers={"HX-Request": "true"})
    page = client.get(reverse("referrals:create")).content.decode()

    assert "Entwurf gespeichert um" in saved.content.decode()
    assert "<html" not in saved.content.decode()  # only the status fragment
    draft = ReferralDraft.objects.get(owner=school_leader)
    assert draft.data["first_name"] == "Jürgen"
    assert "submission_key" not in draft.data
    assert "consent_scan" not in draft.data
    assert "csrfmiddlewaretoken" not in draft.data
    assert 'value="Jürgen"' in page
    assert "Kann dem Unterricht kaum folgen." in page


def test_a_draft_is_private_to_its_author(client, school_leader, school_leader_nord):
    client.force_login(school_leader)
    client.post(URL, _draft_post())

    client.force_login(school_leader_nord)
    page = client.get(reverse("referrals:create")).content.decode()

    assert "Jürgen" not in page


def test_an_oversized_draft_is_refused_and_nothing_written(client, school_leader):
    client.force_login(school_leader)

    response = client.post(URL, _draft_post(observations="x" * (DRAFT_MAX_FIELD_CHARS + 1)))

    assert response.status_code == 400
    assert "zu lang" in response.content.decode()
    assert not ReferralDraft.objects.exists()


def test_an_unknown_kind_is_refused(client, school_leader):
    client.force_login(school_leader)

    response = client.post(URL, _draft_post(kind="unbekannt"))

    assert response.status_code == 400
    assert "Unbekannte Art" in response.content.decode()
    assert not ReferralDraft.objects.exists()


def test_sending_the_request_deletes_the_draft_and_a_late_save_does_not_bring_it_back(
    client, school_leader
):
    from tests.referrals.test_school_create import valid_post

    client.force_login(school_leader)
    data = valid_post()
    client.post(URL, _draft_post(submission_key=data["submission_key"]))

    client.post(reverse("referrals:create"), data)
    late = client.post(URL, _draft_post(submission_key=data["submission_key"]))

    assert Referral.objects.count() == 1
    assert not ReferralDraft.objects.exists()
    assert "bereits gesendet" in late.content.decode()


def test_saving_a_draft_needs_the_same_queries_whatever_its_size(client, school_leader):
    client.force_login(school_leader)
    client.post(URL, _draft_post())

    with CaptureQueriesContext(connection) as small:
        client.post(URL, _draft_post(needs="kurz"))
    with CaptureQueriesContext(connection) as large:
        client.post(URL, _draft_post(needs="lang " * 900, measures_tried="viel " * 900))

    assert len(small) == len(large) <= 14
