import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.cases.services import case_open_from_referral
from apps.referrals.models import Referral
from apps.referrals.services import referral_submit

pytestmark = pytest.mark.django_db


def _request(author, school, first_name="Mia"):
    referral = referral_submit(
        author=author,
        school=school,
        kind=Referral.Kind.SCHULBEGLEITUNG,
        fields={
            "first_name": first_name,
            "last_name": "Roth",
            "date_of_birth": datetime.date(2016, 1, 2),
        },
        consent=None,
    )
    return referral


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("familienamt_lead", True),
        ("familienamt_worker", False),
        ("west_member", False),
        ("school_leader", False),
    ],
)
def test_only_the_leitung_gets_the_figures(client, login_as, persona, shown):
    login_as(persona)

    html = client.get("/").content.decode()

    assert ('data-testid="oversight"' in html) is shown


def test_figures_count_open_requests_and_cases_per_team(
    client, familienamt_lead, familienamt_worker, school_leader, school_west
):
    waiting = _request(school_leader, school_west)
    Referral.objects.filter(pk=waiting.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=9)
    )
    opened = _request(school_leader, school_west, "Ben")
    case_open_from_referral(
        referral_id=opened.pk,
        actor=familienamt_worker,
        expected_version=opened.version,
        first_name="Ben",
        last_name="Roth",
        date_of_birth=datetime.date(2015, 3, 4),
    )
    from apps.cases.oversight import team_figures

    west = next(f for f in team_figures() if f.team.sozialraum.slug == "west")

    assert (west.open_requests, west.oldest_request_days) == (1, 9)
    assert (west.open_cases, west.team_to_move) == (1, 1)


def test_the_figures_cost_the_same_queries_for_one_or_many_requests(
    client, familienamt_lead, school_leader, school_west
):
    client.force_login(familienamt_lead)
    _request(school_leader, school_west)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    one = count()
    for index in range(15):
        _request(school_leader, school_west, f"Kind{index}")

    assert count() == one
