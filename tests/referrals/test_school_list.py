"""The school's list of its own requests: scoped, filtered, paged by key, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.referrals.models import Referral
from apps.referrals.services import ConsentData, referral_reject, referral_submit
from apps.referrals.workflow import Status

pytestmark = pytest.mark.django_db

URL = reverse("referrals:list")


def file_request(leader, school, *, first_name="Jürgen", consent=True, kind=None):
    referral = referral_submit(
        author=leader,
        school=school,
        kind=kind or Referral.Kind.SCHULBEGLEITUNG,
        fields={
            "first_name": first_name,
            "last_name": "Müller",
            "date_of_birth": datetime.date(2016, 3, 4),
            "initials": f"{first_name[:1]}. M.",
            "school_class": "3b",
            "observations": "Braucht Unterstützung.",
        },
        consent=(
            ConsentData(
                given_by="Anna Müller",
                relation="Mutter",
                given_on=timezone.localdate(),
                purpose="referral",
                recipients="Familienamt",
            )
            if consent
            else None
        ),
    )
    return referral


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_leader", 200),
        ("school_leader_nord", 200),
        ("west_member", 403),
        ("familienamt_worker", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_only_school_leaders_have_the_list(client, login_as, persona, status):
    login_as(persona)

    assert client.get(URL).status_code == status


def test_a_leader_sees_only_their_own_schools_requests(
    client, school_leader, school_west, school_leader_nord, school_nord
):
    own = file_request(school_leader, school_west, first_name="Jürgen")
    other = file_request(school_leader_nord, school_nord, first_name="Zoë")
    client.force_login(school_leader)

    content = client.get(URL).content.decode()

    assert own.reference in content and "Jürgen Müller" in content
    assert other.reference not in content and "Zoë" not in content
    assert "Familienamt" in content  # whose move
    assert "Das Familienamt prüft Ihre Anfrage" in content


def test_a_pseudonymised_enquiry_shows_only_initials(client, school_leader, school_west):
    file_request(school_leader, school_west, first_name="Jürgen", consent=False)
    client.force_login(school_leader)

    content = client.get(URL).content.decode()

    assert "J. M. (pseudonymisiert)" in content
    assert "Müller" not in content


def test_the_status_filter_narrows_the_list(client, school_leader, school_west, familienamt_worker):
    open_one = file_request(school_leader, school_west)
    rejected = file_request(school_leader, school_west)
    referral_reject(
        referral_id=rejected.pk,
        actor=familienamt_worker,
        reason="Keine Zuständigkeit",
        expected_version=rejected.version,
    )
    client.force_login(school_leader)

    only_open = client.get(URL, {"status": "offen"}).content.decode()
    only_rejected = client.get(
        URL, {"status": Status.REJECTED}, headers={"HX-Request": "true"}
    ).content.decode()
    bad = client.get(URL, {"status": "<script>"})

    assert open_one.reference in only_open and rejected.reference not in only_open
    assert rejected.reference in only_rejected and open_one.reference not in only_rejected
    assert "<html" not in only_rejected  # htmx gets only the table
    assert bad.status_code == 200


def test_the_list_pages_by_key_newest_first(client, school_leader, school_west, monkeypatch):
    monkeypatch.setattr("apps.referrals.views.school.PAGE_SIZE", 2)
    referrals = [file_request(school_leader, school_west) for _ in range(3)]
    client.force_login(school_leader)

    first = client.get(URL)
    cursor = first.context["page"].next_cursor
    second = client.get(URL, {"nach": cursor})

    assert [r["referral"] for r in first.context["rows"]] == referrals[:0:-1]
    assert [r["referral"] for r in second.context["rows"]] == referrals[:1]
    assert second.context["page"].next_cursor is None
    assert f"nach={cursor}" in first.content.decode()
    assert "Müller" not in cursor
    assert client.get(URL, {"nach": "kaputt"}).status_code == 200


def test_the_list_needs_the_same_queries_for_one_or_twenty_requests(
    client, school_leader, school_west, familienamt_worker
):
    from apps.cases.services import case_open_from_referral

    first = file_request(school_leader, school_west)
    case_open_from_referral(
        referral_id=first.pk, actor=familienamt_worker, expected_version=first.version
    )
    client.force_login(school_leader)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)

    for index in range(19):
        referral = file_request(school_leader, school_west, consent=index % 2 == 0)
        if index % 6 == 0:  # cases only for named requests
            case_open_from_referral(
                referral_id=referral.pk,
                actor=familienamt_worker,
                expected_version=referral.version,
            )
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(URL)

    assert len(response.context["rows"]) == 20
    assert len(one) == len(twenty)
