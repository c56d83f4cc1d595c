"""The steering figures counted at most every few minutes (apps.reports.snapshot).

What a person notices: a second look within the minutes shows the same numbers
at a fraction of the cost and says when they were counted; the CSV carries the
numbers the page showed; another filter or another viewer's scope is counted on
its own, so a Träger's management never sees the Familienamt's exact figures.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.organisation.models import Traeger
from apps.reports.figures import Scope
from apps.reports.periods import parse_period
from apps.reports.snapshot import cache_key
from tests.reports.conftest import at, make_referral

pytestmark = pytest.mark.django_db

STEERING = reverse("reports:steering")


@pytest.fixture
def cached(settings):
    settings.STEERING_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _requests(author, team, count):
    for index in range(count):
        make_referral(author, received=at(datetime.date(2025, 1 + index, 3)), team=team)


def _requests_figure(text: str) -> str:
    return text.split('data-figure="anfragen"')[1].split("</section>")[0]


def _total(text: str) -> str:
    """The "Insgesamt" row of the requests figure."""
    return _requests_figure(text).split("Insgesamt")[1].split("</tr>")[0]


def test_a_second_look_within_minutes_shows_the_same_numbers_cheaply(
    client, cached, familienamt_lead, team_west
):
    _requests(familienamt_lead, team_west, 3)
    client.force_login(familienamt_lead)
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(STEERING, {"zeitraum": "2025"})
    _requests(familienamt_lead, team_west, 1)  # arrives a moment later

    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(STEERING, {"zeitraum": "2025"})

    assert ">3<" in _total(first.text)
    assert _total(second.text) == _total(first.text)
    assert len(second_queries) <= len(first_queries) - 12  # no figure counted again
    stand = second.text.split('data-testid="computed-at">')[1].split("</p>")[0]
    assert "Stand:" in stand and "höchstens alle 5 Minuten" in stand


def test_without_the_cache_every_look_counts_anew(client, settings, familienamt_lead, team_west):
    settings.STEERING_CACHE_SECONDS = 0
    _requests(familienamt_lead, team_west, 3)
    client.force_login(familienamt_lead)
    client.get(STEERING, {"zeitraum": "2025"})
    _requests(familienamt_lead, team_west, 1)

    response = client.get(STEERING, {"zeitraum": "2025"})

    assert ">4<" in _total(response.text)
    assert "höchstens alle" not in response.text


def test_another_filter_is_counted_on_its_own(client, cached, familienamt_lead, team_west):
    _requests(familienamt_lead, team_west, 3)
    client.force_login(familienamt_lead)
    client.get(STEERING, {"zeitraum": "2025"})

    response = client.get(STEERING, {"zeitraum": "2025", "team": team_west.pk})

    assert ">3<" in _total(response.text)
    assert client.get(STEERING, {"zeitraum": "2024"}).status_code == 200
    assert ">3<" not in _total(client.get(STEERING, {"zeitraum": "2024"}).text)


def test_the_csv_carries_the_numbers_the_page_showed(client, cached, familienamt_lead, team_west):
    _requests(familienamt_lead, team_west, 3)
    client.force_login(familienamt_lead)
    client.get(STEERING, {"zeitraum": "2025"})
    _requests(familienamt_lead, team_west, 1)

    response = client.get(reverse("reports:steering_csv", args=["anfragen"]), {"zeitraum": "2025"})

    assert "Insgesamt;3;0" in response.content.decode("utf-8")


def test_traeger_management_never_gets_the_familienamts_or_another_traegers_figures(
    client, cached, familienamt_lead, traeger_awo, team_west, team_nord
):
    _requests(familienamt_lead, team_west, 3)
    _requests(familienamt_lead, team_nord, 7)
    caritas = User.objects.create_user(username="traeger-caritas", password="x-y-z-w")
    RoleAssignment.objects.create(
        user=caritas,
        role=Role.TRAEGER_LEITUNG,
        employer=Traeger.objects.get(short_name="Caritas"),
    )
    client.force_login(familienamt_lead)
    assert ">10<" in _total(client.get(STEERING, {"zeitraum": "2025"}).text)  # warms the cache

    client.force_login(traeger_awo)
    awo = client.get(STEERING, {"zeitraum": "2025"})
    client.force_login(caritas)
    nord = client.get(STEERING, {"zeitraum": "2025"})

    assert "&lt; 5" in _total(awo.text) and ">10<" not in awo.text.split('id="figures"')[1]
    assert ">7<" in _total(nord.text) and team_west.name not in nord.text.split('id="figures"')[1]


def test_the_key_holds_every_filter_and_the_viewers_teams_but_not_the_moment():
    period = parse_period("2025")
    assert period is not None
    morning = timezone.make_aware(datetime.datetime(2025, 6, 2, 8, 0))
    evening = timezone.make_aware(datetime.datetime(2025, 6, 2, 18, 0))
    next_day = timezone.make_aware(datetime.datetime(2025, 6, 3, 8, 0))
    base = Scope(period=period, now=morning)

    assert cache_key(base) == cache_key(Scope(period=period, now=evening))
    others = [
        Scope(period=period, now=next_day),  # "open today" moves on
        Scope(period=period, now=morning, team_ids=(1,)),
        Scope(period=period, now=morning, team_ids=(2,)),
        Scope(period=period, now=morning, team_id=1),
        Scope(period=period, now=morning, sozialraum_id=1),
        Scope(period=period, now=morning, traeger_id=1),
        Scope(period=period, now=morning, school_id=1),
        Scope(period=period, now=morning, help_kind="sb", help_kind_group="sb"),
        Scope(period=parse_period("2025-Q1") or period, now=morning),
    ]
    keys = {cache_key(scope) for scope in others}
    assert len(keys) == len(others) and cache_key(base) not in keys


def test_each_csv_link_carries_the_filters_of_the_view_and_nothing_else(
    client, cached, familienamt_lead, team_west
):
    client.force_login(familienamt_lead)

    response = client.get(STEERING, {"zeitraum": "2025-Q1", "team": team_west.pk, "x": "<b>"})

    csv = reverse("reports:steering_csv", args=["anfragen"])
    assert f'href="{csv}?zeitraum=2025-Q1&amp;team={team_west.pk}"' in response.text
    figures = response.text.split('id="figures"')[1]
    assert "&amp;x=" not in figures and "?x=" not in figures and "&lt;b&gt;" not in figures


@pytest.mark.parametrize("seconds", [0, 300])
def test_traeger_managements_csv_is_suppressed_with_or_without_the_cache(
    client, settings, seconds, familienamt_lead, traeger_awo, team_west
):
    settings.STEERING_CACHE_SECONDS = seconds
    cache.clear()
    _requests(familienamt_lead, team_west, 3)
    client.force_login(traeger_awo)

    response = client.get(reverse("reports:steering_csv", args=["anfragen"]), {"zeitraum": "2025"})

    body = response.content.decode("utf-8")
    assert "Insgesamt;< 5;" in body and "Insgesamt;3;" not in body
    cache.clear()


def test_without_the_cache_a_csv_counts_only_its_own_figure(
    client, settings, familienamt_lead, team_west
):
    settings.STEERING_CACHE_SECONDS = 0
    client.force_login(familienamt_lead)
    with CaptureQueriesContext(connection) as page_queries:
        client.get(STEERING, {"zeitraum": "2025"})

    with CaptureQueriesContext(connection) as csv_queries:
        client.get(reverse("reports:steering_csv", args=["anfragen"]), {"zeitraum": "2025"})

    assert len(csv_queries) <= len(page_queries) - 10
