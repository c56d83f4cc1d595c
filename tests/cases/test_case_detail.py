import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import CaseEvent, ClosingReason, Decision, Provider, Recommendation
from apps.cases.services import case_transition
from apps.referrals.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_case_detail_access(client, login_as, west_case, persona, status):
    login_as(persona)

    assert client.get(west_case.get_absolute_url()).status_code == status


def test_team_west_cannot_open_a_nord_case(client, west_member, nord_case):
    client.force_login(west_member)

    assert client.get(nord_case.get_absolute_url()).status_code == 404


def test_the_page_says_whose_move_it_is_and_shows_the_timeline(client, west_member, west_case):
    client.force_login(west_member)

    response = client.get(west_case.get_absolute_url())

    since = west_case.whose_move_since.astimezone().strftime("%d.%m.%Y")
    assert f"<strong>Sozialraumteam West</strong> seit {since}" in response.text
    assert "Jürgen Müller" in response.text and "04.03.2016" in response.text
    assert "Testschule West" in response.text
    assert f"Fall eröffnet aus Anfrage {west_case.referral.reference}" in response.text
    assert "fa-worker" in response.text  # who opened it
    assert "Antrag der Eltern erbeten" in response.text  # the next step as a button


def test_the_facts_and_the_next_step_come_first_then_contents_and_sections(
    client, west_member, west_case
):
    client.force_login(west_member)

    page = client.get(west_case.get_absolute_url()).text

    facts = page.index('data-testid="case-facts"')
    for fact in ("Kind", "Status", "Am Zug", "Team", "Fallführung", "Laufende Hilfe"):
        assert facts < page.index(f'__key">{fact}</dt>')
    assert facts < page.index('id="aktionen-heading"') < page.index('aria-label="Auf dieser Seite"')
    assert page.index('aria-label="Auf dieser Seite"') < page.index('id="familie-heading"')
    assert page.index('id="familie-heading"') < page.index('id="verlauf-heading"')
    # Named once: the team says which Sozialraum; the status is not repeated under the title.
    assert page.count(west_case.get_status_display()) == 1 + page.count("Status geändert")


def test_the_running_help_is_the_grant_in_force_today(client, west_member, west_case):
    provider, _ = Provider.objects.get_or_create(name="Atze Assistenz", organisation="Atze")
    today = timezone.localdate()
    for reference, start, end, hours in (
        ("B-alt", today - datetime.timedelta(days=400), today - datetime.timedelta(days=30), 10),
        ("B-neu", today - datetime.timedelta(days=29), today + datetime.timedelta(days=300), 20),
    ):
        Decision.objects.create(
            help_kind_id="sb_35a",
            case=west_case,
            reference=reference,
            outcome=Decision.Outcome.GRANTED,
            decided_by=west_member,
            reason="-",
            hours_per_week=hours,
            valid_from=start,
            valid_until=end,
            provider=provider,
        )
    client.force_login(west_member)

    response = client.get(west_case.get_absolute_url())

    running = response.text.split('data-testid="running-help"')[1].split("</div>")[0]
    assert "20 Stunden pro Woche" in running and ">B-neu</a>" in running
    assert "B-alt" not in running


def test_the_familienamt_gets_a_decide_link_not_decision_buttons(
    client, familienamt_worker, decision_case
):
    client.force_login(familienamt_worker)

    response = client.get(decision_case.get_absolute_url())

    assert reverse("cases:decide", args=[decision_case.pk]) in response.text
    assert "Hilfe bewilligt" not in response.text
    assert "Hilfe abgelehnt" not in response.text
    assert "Zurück zur Hilfeplanung" in response.text


def test_the_team_gets_no_decide_link(client, west_member, decision_case):
    client.force_login(west_member)

    response = client.get(decision_case.get_absolute_url())

    assert reverse("cases:decide", args=[decision_case.pk]) not in response.text


def test_query_count_does_not_grow_with_events(client, familienamt_worker, west_member, west_case):
    client.force_login(familienamt_worker)
    url = west_case.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    CaseEvent.objects.bulk_create(
        CaseEvent(case=west_case, actor=west_member, summary=f"Eintrag {n}") for n in range(20)
    )
    Recommendation.objects.bulk_create(
        Recommendation(case=west_case, author=west_member, text=f"Empfehlung {n}")
        for n in range(20)
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert "Eintrag 19" in response.text and "Empfehlung 19" in response.text
    assert len(many) == len(few)


# case_move


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_worker", 302),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_case_move_access(client, login_as, west_case, persona, status):
    login_as(persona)

    response = client.post(
        reverse("cases:move", args=[west_case.pk]),
        {"target": Status.APPLICATION, "version": west_case.version},
    )

    assert response.status_code == status
    west_case.refresh_from_db()
    moved = west_case.status == Status.APPLICATION
    assert moved == (persona in {"west_member", "familienamt_worker"})


def test_case_move_is_post_only(client, west_member, west_case):
    client.force_login(west_member)

    assert client.get(reverse("cases:move", args=[west_case.pk])).status_code == 405


def test_the_team_moves_the_case_along_the_spine(client, west_member, west_case):
    client.force_login(west_member)

    response = client.post(
        reverse("cases:move", args=[west_case.pk]),
        {"target": Status.APPLICATION, "version": west_case.version},
        follow=True,
    )

    west_case.refresh_from_db()
    assert west_case.status == Status.APPLICATION
    assert "<strong>die Eltern (Sorgeberechtigte)</strong> seit" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target": Status.RUNNING, "version": 1}, "geht es nicht"),
        ({"target": "unsinn", "version": 1}, "Diesen Status gibt es nicht"),
        ({"target": Status.APPLICATION}, "unvollständig"),
        ({"target": Status.APPLICATION, "version": 99}, "wurde inzwischen"),
    ],
)
def test_a_refused_move_shows_why_and_changes_nothing(
    client, west_member, west_case, data, message
):
    client.force_login(west_member)

    response = client.post(reverse("cases:move", args=[west_case.pk]), data, follow=True)

    assert message in response.text
    west_case.refresh_from_db()
    assert west_case.status == Status.WITH_TEAM and west_case.version == 1


def test_a_decision_cannot_be_made_with_a_move(client, familienamt_worker, decision_case):
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("cases:move", args=[decision_case.pk]),
        {"target": Status.RUNNING, "version": decision_case.version},
        follow=True,
    )

    assert "Bescheid" in response.text
    decision_case.refresh_from_db()
    assert decision_case.status == Status.DECISION


# recommendation_create


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("nord_member", 404),
        ("familienamt_worker", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_recommendation_access(client, login_as, west_case, persona, status):
    login_as(persona)

    assert client.get(reverse("cases:recommend", args=[west_case.pk])).status_code == status


def test_the_team_records_a_recommendation(client, west_member, familienamt_worker, west_case):
    client.force_login(west_member)

    response = client.post(
        reverse("cases:recommend", args=[west_case.pk]),
        {"text": "12 Stunden Schulbegleitung empfohlen.", "hours_per_week": "12,5"},
        follow=True,
    )

    recommendation = Recommendation.objects.get()
    assert str(recommendation.hours_per_week) == "12.5"
    assert "12 Stunden Schulbegleitung empfohlen." in response.text
    assert familienamt_worker.notifications.filter(text__contains="Empfehlung").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "hours_per_week": ""}, "Bitte schreiben Sie Ihre Empfehlung auf."),
        ({"text": "   ", "hours_per_week": ""}, "Bitte schreiben Sie Ihre Empfehlung auf."),
        ({"text": "ok", "hours_per_week": "0"}, "größer als 0 und höchstens 40"),
        ({"text": "ok", "hours_per_week": "41"}, "größer als 0 und höchstens 40"),
        ({"text": "ok", "hours_per_week": "viel"}, "als Zahl"),
    ],
)
def test_a_bad_recommendation_is_refused(client, west_member, west_case, data, message):
    client.force_login(west_member)

    response = client.post(reverse("cases:recommend", args=[west_case.pk]), data)

    assert response.status_code == 200
    assert message in response.text
    assert "Es wurde nichts gespeichert" in response.text
    assert not Recommendation.objects.exists()


def test_no_recommendation_on_a_closed_case(client, west_member, west_case):
    case_transition(
        case_id=west_case.pk,
        actor=west_member,
        target=Status.CLOSED,
        expected_version=1,
        closing_reason=ClosingReason.objects.get(key="kein-bedarf"),
    )
    client.force_login(west_member)

    response = client.post(
        reverse("cases:recommend", args=[west_case.pk]), {"text": "zu spät"}, follow=True
    )

    assert "abgeschlossen" in response.text
    assert not Recommendation.objects.exists()


def test_the_case_page_counts_unread_messages_once_for_all_its_sections(
    client, west_member, west_case
):
    client.force_login(west_member)
    url = west_case.get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    inbox_counts = [q for q in queries if 'FROM "notifications_notification"' in q["sql"]]
    assert len(inbox_counts) == 1
    # The sections' forms still carry the CSRF token without the request's context.
    assert response.text.count('name="csrfmiddlewaretoken"') >= 3
