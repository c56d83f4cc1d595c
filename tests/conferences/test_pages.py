import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.casework.models import Task
from apps.conferences import services
from apps.conferences.models import AgendaItem, Conference, Participant

from .conftest import give_consent, make_case

pytestmark = pytest.mark.django_db

SCOPED = [
    ("familienamt_worker", 200),
    ("familienamt_lead", 200),
    ("west_member", 200),
    ("nord_member", 404),
    ("school_leader", 403),
    ("admin_user", 403),
    ("dpo", 403),
    ("anonymous", 302),
]


@pytest.mark.parametrize(
    ("persona", "status"),
    [(p, 200 if s == 404 else s) for p, s in SCOPED],
)
def test_conference_list_by_persona(client, login_as, persona, status):
    login_as(persona)

    assert client.get(reverse("conferences:list")).status_code == status


def test_conference_list_shows_only_the_own_teams_conferences(
    client, login_as, conference, team_nord, nord_member
):
    nord = services.conference_create(
        team=team_nord,
        actor=nord_member,
        starts_at=timezone.now(),
        place="Büro Nord",
        participants=[nord_member],
    )
    login_as("west_member")

    html = client.get(reverse("conferences:list")).content.decode()

    assert f'data-conference="{conference.pk}"' in html
    assert f'data-conference="{nord.pk}"' not in html


@pytest.mark.parametrize(("persona", "status"), SCOPED)
def test_conference_create_page_by_persona(client, login_as, team_west, persona, status):
    login_as(persona)

    response = client.get(reverse("conferences:create", args=[team_west.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), SCOPED)
def test_conference_detail_by_persona(client, login_as, agenda_item, persona, status):
    login_as(persona)

    response = client.get(agenda_item.conference.get_absolute_url())

    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), SCOPED)
def test_minutes_page_by_persona(client, login_as, agenda_item, persona, status):
    login_as(persona)

    assert client.get(agenda_item.get_absolute_url()).status_code == status


@pytest.mark.parametrize(("persona", "status"), [(p, 302 if s == 200 else s) for p, s in SCOPED])
def test_agenda_add_by_persona(client, login_as, conference, west_case, persona, status):
    login_as(persona)

    response = client.post(
        reverse("conferences:agenda_add", args=[conference.pk]), {"case": west_case.pk}
    )

    assert response.status_code == status
    assert AgendaItem.objects.filter(conference=conference).exists() == (
        status == 302 and persona != "anonymous"
    )


@pytest.mark.parametrize(("persona", "status"), [(p, 302 if s == 200 else s) for p, s in SCOPED])
def test_roles_by_persona(client, login_as, conference, west_member, persona, status):
    login_as(persona)

    response = client.post(
        reverse("conferences:roles", args=[conference.pk]),
        {"moderator": west_member.pk, "note_taker": "", "version": conference.version},
    )

    assert response.status_code == status
    conference.refresh_from_db()
    assert (conference.note_taker_id is None) == (status == 302 and persona != "anonymous")


@pytest.mark.parametrize(("persona", "status"), [(p, 302 if s == 200 else s) for p, s in SCOPED])
def test_minutes_save_by_persona(client, login_as, agenda_item, persona, status):
    login_as(persona)

    response = client.post(
        agenda_item.get_absolute_url(),
        {"case_account": "Schilderung", "version": agenda_item.version},
    )

    assert response.status_code == status
    agenda_item.refresh_from_db()
    assert (agenda_item.case_account == "Schilderung") == (status == 302 and persona != "anonymous")


@pytest.mark.parametrize(("persona", "status"), [(p, 302 if s == 200 else s) for p, s in SCOPED])
def test_agreed_steps_by_persona(client, login_as, agenda_item, west_member, persona, status):
    login_as(persona)

    response = client.post(
        reverse("conferences:agreed_steps", args=[agenda_item.conference_id, agenda_item.pk]),
        _steps(
            {"title": "Gespräch mit Schule", "assignee": west_member.pk, "due_date": "2026-12-01"}
        ),
    )

    assert response.status_code == status
    created = Task.objects.filter(case=agenda_item.case).exists()
    assert created == (status == 302 and persona != "anonymous")


def _steps(*rows: dict) -> dict:
    data = {
        "schritte-TOTAL_FORMS": "3",
        "schritte-INITIAL_FORMS": "0",
        "schritte-MIN_NUM_FORMS": "0",
        "schritte-MAX_NUM_FORMS": "10",
    }
    for index, row in enumerate(rows):
        data |= {f"schritte-{index}-{key}": value for key, value in row.items()}
    return data


# Pseudonymisation ------------------------------------------------------------


def test_case_is_pseudonymised_without_consent(client, login_as, agenda_item):
    login_as("west_member")

    html = client.get(agenda_item.conference.get_absolute_url()).content.decode()

    assert agenda_item.case.reference in html
    assert "J. W." in html
    assert "Jakob" not in html
    assert "Wunderlich" not in html


def test_case_is_named_when_consent_covers_every_participants_organisation(
    client, login_as, agenda_item, familienamt_worker
):
    give_consent(agenda_item.case, "Stadt Weimar und AWO", familienamt_worker)
    login_as("west_member")

    html = client.get(agenda_item.conference.get_absolute_url()).content.decode()
    minutes_html = client.get(agenda_item.get_absolute_url()).content.decode()

    assert "Jakob Wunderlich" in html
    assert "Jakob Wunderlich" in minutes_html


def test_name_never_shown_when_one_participants_organisation_is_not_covered(
    client, login_as, agenda_item, familienamt_worker, nord_member
):
    # Consent names only the AWO, but a city employee takes part: no names anywhere.
    give_consent(agenda_item.case, "AWO Mitte-West-Thüringen", familienamt_worker)
    login_as("west_member")

    for url in (agenda_item.conference.get_absolute_url(), agenda_item.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Jakob" not in html
        assert "Wunderlich" not in html
        assert "pseudonymisiert" in html


def test_withdrawn_consent_pseudonymises_again(client, login_as, agenda_item, familienamt_worker):
    give_consent(
        agenda_item.case, "Stadt Weimar und AWO", familienamt_worker, withdrawn_at=timezone.now()
    )
    login_as("familienamt_worker")

    html = client.get(agenda_item.conference.get_absolute_url()).content.decode()

    assert "Wunderlich" not in html


def test_case_choice_list_shows_no_names(client, login_as, conference, west_case):
    login_as("west_member")

    html = client.get(conference.get_absolute_url()).content.decode()

    assert west_case.reference in html
    assert "Wunderlich" not in html


def test_case_handed_to_another_team_shows_neither_name_nor_minutes(
    client, login_as, agenda_item, team_nord, familienamt_worker
):
    give_consent(agenda_item.case, "Stadt Weimar und AWO", familienamt_worker)
    AgendaItem.objects.filter(pk=agenda_item.pk).update(case_account="Geheime Schilderung")
    type(agenda_item.case).objects.filter(pk=agenda_item.case_id).update(team=team_nord)
    login_as("west_member")

    html = client.get(agenda_item.conference.get_absolute_url()).content.decode()

    assert "Wunderlich" not in html
    assert agenda_item.get_absolute_url() not in html
    assert client.get(agenda_item.get_absolute_url()).status_code == 404


# Creating a conference -------------------------------------------------------


def test_conference_is_created_with_participants_and_their_organisations(
    client, login_as, team_west, west_member, west_city_member, familienamt_worker
):
    login_as("west_member")

    response = client.post(
        reverse("conferences:create", args=[team_west.pk]),
        {
            "starts_at": "2026-12-01T10:00",
            "place": "Büro West",
            "participants": [west_member.pk, west_city_member.pk, familienamt_worker.pk],
            "moderator": west_member.pk,
            "note_taker": west_city_member.pk,
        },
    )

    conference = Conference.objects.get()
    assert response.status_code == 302
    assert conference.team == team_west
    organisations = dict(
        Participant.objects.filter(conference=conference).values_list(
            "user__username", "organisation__short_name"
        )
    )
    assert organisations == {
        "tm-west": "AWO",
        "tm-west-stadt": "Stadt Weimar",
        "fa-worker": "Stadt Weimar",
    }


def test_a_double_submit_plans_one_conference(
    client, login_as, team_west, west_member, west_city_member
):
    login_as("west_member")
    url = reverse("conferences:create", args=[team_west.pk])
    page = client.get(url).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert key is not None
    body = {
        "submission_key": key.group(1),
        "starts_at": "2026-12-01T10:00",
        "place": "Büro West",
        "participants": [west_member.pk, west_city_member.pk],
        "moderator": west_member.pk,
        "note_taker": west_city_member.pk,
    }

    first = client.post(url, body)
    second = client.post(url, body)

    assert Conference.objects.count() == 1
    assert first.url == second.url == Conference.objects.get().get_absolute_url()


def test_conference_without_date_is_refused_and_nothing_written(
    client, login_as, team_west, west_member
):
    login_as("west_member")

    response = client.post(
        reverse("conferences:create", args=[team_west.pk]),
        {"starts_at": "", "place": "Büro West", "participants": [west_member.pk]},
    )

    assert response.status_code == 200
    assert "Bitte geben Sie Datum und Uhrzeit der Fallberatung an." in response.content.decode()
    assert not Conference.objects.exists()


def test_member_of_another_team_cannot_be_a_participant(
    client, login_as, team_west, west_member, nord_member
):
    login_as("west_member")

    response = client.post(
        reverse("conferences:create", args=[team_west.pk]),
        {
            "starts_at": "2026-12-01T10:00",
            "place": "Büro West",
            "participants": [west_member.pk, nord_member.pk],
        },
    )

    assert "Teilnehmen können nur Mitglieder des Teams und das Familienamt." in (
        response.content.decode()
    )
    assert not Conference.objects.exists()


def test_moderator_must_take_part(client, login_as, team_west, west_member, west_city_member):
    login_as("west_member")

    response = client.post(
        reverse("conferences:create", args=[team_west.pk]),
        {
            "starts_at": "2026-12-01T10:00",
            "place": "Büro West",
            "participants": [west_member.pk],
            "moderator": west_city_member.pk,
        },
    )

    assert "Bitte wählen Sie jemanden, der an der Fallberatung teilnimmt." in (
        response.content.decode()
    )
    assert not Conference.objects.exists()


# Agenda ----------------------------------------------------------------------


def test_case_of_another_team_is_refused_on_the_agenda(client, login_as, conference, nord_case):
    login_as("familienamt_worker")

    response = client.post(
        reverse("conferences:agenda_add", args=[conference.pk]), {"case": nord_case.pk}
    )

    assert response.status_code == 200
    assert "Auf die Tagesordnung kommen nur Fälle des Teams" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_agenda_keeps_the_given_order(client, login_as, conference, team_west, familienamt_worker):
    first = make_case(team_west, "Aaron", "Erster", familienamt_worker)
    second = make_case(team_west, "Berta", "Zweite", familienamt_worker)
    login_as("west_member")
    url = reverse("conferences:agenda_add", args=[conference.pk])

    client.post(url, {"case": first.pk, "order": "2"})
    client.post(url, {"case": second.pk, "order": "1"})

    html = client.get(conference.get_absolute_url()).content.decode()
    assert html.index(second.reference) < html.index(first.reference)


# Minutes ---------------------------------------------------------------------

PHASES = {
    "case_account": "Jakob meidet den Sportunterricht.",
    "questions": "Seit wann? Seit dem Umzug.",
    "key_question": "Wie gewinnen wir die Mutter für ein Gespräch?",
    "hypotheses": "Der Umzug hat Freundschaften getrennt.",
    "ideas": "Sportverein im Stadtteil ansprechen.",
    "choice": "Gespräch mit dem Sportverein.",
}


def test_minutes_phases_and_case_giver_are_saved(client, login_as, agenda_item, west_member):
    login_as("west_member")

    response = client.post(
        agenda_item.get_absolute_url(),
        {**PHASES, "case_giver": west_member.pk, "version": agenda_item.version},
    )

    assert response.status_code == 302
    agenda_item.refresh_from_db()
    assert {name: getattr(agenda_item, name) for name in PHASES} == PHASES
    assert agenda_item.case_giver == west_member
    assert agenda_item.version == 2
    assert agenda_item.conference.status == Conference.Status.HELD
    assert PHASES["key_question"] in client.get(agenda_item.get_absolute_url()).content.decode()


def test_stale_minutes_save_is_refused_and_the_typed_text_kept(client, login_as, agenda_item):
    services.minutes_save(
        item_id=agenda_item.pk,
        actor=agenda_item.conference.created_by,
        expected_version=1,
        minutes=services.Minutes(case_giver=None, case_account="Die Fassung der Kollegin."),
    )
    login_as("west_member")

    response = client.post(
        agenda_item.get_absolute_url(), {"case_account": "Mein getippter Text.", "version": 1}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Mein getippter Text." in html
    assert "Die Fassung der Kollegin." in html
    assert f"inzwischen von {agenda_item.conference.created_by} geändert" in html
    assert 'name="version" value="2"' in html  # saving again builds on the saved state
    agenda_item.refresh_from_db()
    assert agenda_item.case_account == "Die Fassung der Kollegin."
    assert agenda_item.version == 2


def test_case_giver_must_be_a_participant(client, login_as, agenda_item, familienamt_worker):
    login_as("west_member")

    response = client.post(
        agenda_item.get_absolute_url(),
        {"case_account": "Text", "case_giver": familienamt_worker.pk, "version": 1},
    )

    assert "Bitte wählen Sie jemanden, der an der Fallberatung teilnimmt." in (
        response.content.decode()
    )
    agenda_item.refresh_from_db()
    assert agenda_item.case_account == ""


# Agreed next steps -----------------------------------------------------------


def test_agreed_steps_become_tasks_on_the_case(client, login_as, agenda_item, west_member):
    login_as("west_member")

    response = client.post(
        reverse("conferences:agreed_steps", args=[agenda_item.conference_id, agenda_item.pk]),
        _steps(
            {"title": "Sportverein anrufen", "assignee": west_member.pk, "due_date": "2026-12-01"},
            {"title": "Mutter einladen", "assignee": west_member.pk, "due_date": "2026-12-08"},
        ),
    )

    assert response.status_code == 302
    tasks = list(Task.objects.filter(case=agenda_item.case).order_by("due_date"))
    date = timezone.localtime(agenda_item.conference.starts_at).strftime("%d.%m.%Y")
    assert [t.title for t in tasks] == ["Sportverein anrufen", "Mutter einladen"]
    assert {t.origin for t in tasks} == {f"Fallberatung am {date}"}
    assert all(t.assignee == west_member and t.created_by == west_member for t in tasks)
    html = client.get(agenda_item.get_absolute_url()).content.decode()
    assert "Sportverein anrufen" in html
    assert "Mutter einladen" in html


def test_bad_step_writes_no_task(client, login_as, agenda_item, west_member, nord_member):
    login_as("west_member")
    url = reverse("conferences:agreed_steps", args=[agenda_item.conference_id, agenda_item.pk])

    missing_date = client.post(
        url,
        _steps(
            {"title": "Gut", "assignee": west_member.pk, "due_date": "2026-12-01"},
            {"title": "Ohne Datum", "assignee": west_member.pk, "due_date": ""},
        ),
    )
    wrong_assignee = client.post(
        url, _steps({"title": "X", "assignee": nord_member.pk, "due_date": "2026-12-01"})
    )
    empty = client.post(url, _steps())

    assert "Bitte geben Sie ein Datum an, bis wann." in missing_date.content.decode()
    assert "Bitte wählen Sie jemanden aus dem Team des Falls" in wrong_assignee.content.decode()
    assert "Bitte tragen Sie mindestens einen Schritt ein." in empty.content.decode()
    assert not Task.objects.exists()


# Query counts ----------------------------------------------------------------


def _fill_agenda(conference, team, author, count: int, *, consent: bool) -> None:
    for index in range(count):
        case = make_case(team, f"Kind{index}", f"Familie{index}", author)
        if consent:
            give_consent(case, "Stadt Weimar und AWO", author)
        item = services.agenda_add(conference=conference, case=case)
        item.case_giver = author
        item.save()


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("consent", [False, True])
def test_conference_view_queries_do_not_grow_with_the_agenda(
    client, login_as, team_west, west_member, west_city_member, familienamt_worker, consent
):
    def conference_with(count: int) -> Conference:
        conference = services.conference_create(
            team=team_west,
            actor=west_member,
            starts_at=timezone.now(),
            place="Büro",
            participants=list(services.team_colleagues(team_west)),
        )
        _fill_agenda(conference, team_west, familienamt_worker, count, consent=consent)
        return conference

    small, large = conference_with(1), conference_with(10)
    login_as("west_member")
    _count(client, small.get_absolute_url())  # warm up session and caches

    assert _count(client, small.get_absolute_url()) == _count(client, large.get_absolute_url())


def test_conference_list_queries_do_not_grow(client, login_as, team_west, west_member):
    login_as("west_member")
    url = reverse("conferences:list")
    services.conference_create(
        team=team_west,
        actor=west_member,
        starts_at=timezone.now(),
        place="Büro",
        participants=[west_member],
    )
    _count(client, url)
    one = _count(client, url)
    for days in range(10):
        services.conference_create(
            team=team_west,
            actor=west_member,
            starts_at=timezone.now() + datetime.timedelta(days=days - 5),
            place="Büro",
            participants=[west_member],
        )

    assert _count(client, url) == one


def test_minutes_page_queries_do_not_grow_with_agreed_steps(
    client, login_as, agenda_item, west_member
):
    login_as("west_member")
    url = agenda_item.get_absolute_url()
    step = services.Step(title="Anrufen", assignee=west_member, due_date=datetime.date(2026, 12, 1))
    services.agreed_steps_create(item=agenda_item, actor=west_member, steps=[step])
    _count(client, url)
    one = _count(client, url)
    services.agreed_steps_create(item=agenda_item, actor=west_member, steps=[step] * 9)

    assert _count(client, url) == one


def test_past_conferences_page_with_the_shared_pager(
    client, login_as, team_west, west_member, monkeypatch
):
    from apps.conferences import views

    monkeypatch.setattr(views, "PAST_SHOWN", 3)
    made = [
        services.conference_create(
            team=team_west,
            actor=west_member,
            starts_at=timezone.now() - datetime.timedelta(days=7 * (week + 1)),
            place="Büro",
            participants=[west_member],
        )
        for week in range(5)
    ]
    login_as("west_member")
    url = reverse("conferences:list")

    first = client.get(url)
    second = client.get(url, {"nach": first.context["past"].next_cursor})

    shown = [c.pk for c in first.context["past"].rows + second.context["past"].rows]
    assert shown == [c.pk for c in made]  # the latest first, each once
    assert "Ältere Fallberatungen" in first.content.decode()
    assert _count(client, url) == _count(client, f"{url}?nach={first.context['past'].next_cursor}")
