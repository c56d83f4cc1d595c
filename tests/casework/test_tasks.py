"""Wiedervorlagen, derived deadlines, "Meine Aufgaben", the team view and reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Decision, Provider
from apps.casework.deadlines import derived_deadlines
from apps.casework.models import Task
from apps.casework.sections import start_tasks_section
from apps.casework.tasks import send_due_task_reminders
from apps.consents.models import CaseConsent, Purpose
from apps.core import startpage
from apps.notifications.models import Notification
from tests.casework.conftest import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

HTMX = {"HX-Request": "true"}
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _task(case, assignee, due, title="Schule anrufen", **extra):
    return Task.objects.create(
        case=case, assignee=assignee, due_date=due, title=title, created_by=assignee, **extra
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_worker", 302),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_task_create_is_scoped_to_the_case(
    client, login_as, west_case, west_member, persona, status
):
    login_as(persona)

    response = client.post(
        reverse("casework:task_create", args=[west_case.pk]),
        {"title": "Hilfeplan vorbereiten", "due_date": "2027-01-15", "assignee": west_member.pk},
    )

    assert response.status_code == status
    assert Task.objects.exists() == (status == 302 and persona != "anonymous")


def test_a_task_added_with_htmx_swaps_the_tasks_panel(client, west_member, west_case):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:task_create", args=[west_case.pk]),
        {"title": "Hilfeplan vorbereiten", "due_date": "2027-01-15", "assignee": west_member.pk},
        headers=HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="wiedervorlagen"' in body and "Hilfeplan vorbereiten" in body and "<html" not in body
    task = Task.objects.get()
    assert (task.case, task.created_by, task.version) == (west_case, west_member, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Bitte beschreiben Sie, was zu tun ist."),
        ({"due_date": ""}, "Bitte geben Sie ein Datum an, bis wann."),
        ({"due_date": "morgen"}, "Bitte geben Sie ein gültiges Datum an, z. B. 14.03.2026."),
        ({"assignee": ""}, "Bitte wählen Sie, wer zuständig ist."),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_bad_task_input_is_refused_with_a_message(
    client, west_member, west_case, data, message, headers
):
    client.force_login(west_member)
    form = {"title": "Anrufen", "due_date": "2027-01-15", "assignee": west_member.pk, **data}

    response = client.post(
        reverse("casework:task_create", args=[west_case.pk]), form, headers=headers
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Task.objects.exists()


def test_a_task_cannot_go_to_someone_outside_the_case_team(
    client, west_member, nord_member, west_case
):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:task_create", args=[west_case.pk]),
        {"title": "Anrufen", "due_date": "2027-01-15", "assignee": nord_member.pk},
    )

    assert response.status_code == 200
    assert "Bitte wählen Sie jemanden aus dem Team des Falls" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("west_colleague", 302), ("nord_member", 404), ("school_leader", 403), ("anonymous", 302)],
)
def test_marking_done_is_scoped_to_the_case(
    client, login_as, west_case, west_member, persona, status
):
    task = _task(west_case, west_member, TODAY)
    login_as(persona)

    response = client.post(
        reverse("casework:task_done", args=[west_case.pk, task.pk]), {"version": task.version}
    )

    assert response.status_code == status
    task.refresh_from_db()
    assert task.is_done == (persona == "west_colleague")


def test_marking_a_stale_task_done_is_refused(client, west_member, west_colleague, west_case):
    task = _task(west_case, west_member, TODAY)
    stale_version = task.version
    Task.objects.filter(pk=task.pk).update(version=stale_version + 1, title="Schule mailen")
    client.force_login(west_colleague)

    response = client.post(
        reverse("casework:task_done", args=[west_case.pk, task.pk]),
        {"version": stale_version},
        headers=HTMX,
    )

    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    task.refresh_from_db()
    assert not task.is_done


def test_a_stale_task_edit_is_refused_and_shows_what_is_saved_now(
    client, west_member, west_colleague, west_case
):
    task = _task(west_case, west_member, TODAY + 3 * DAY)
    client.force_login(west_member)
    form = client.get(reverse("casework:task_edit", args=[west_case.pk, task.pk]))
    assert form.status_code == 200
    # Meanwhile a colleague changes the due date.
    client.force_login(west_colleague)
    client.post(
        reverse("casework:task_edit", args=[west_case.pk, task.pk]),
        {
            "title": task.title,
            "due_date": "2027-02-01",
            "assignee": west_member.pk,
            "version": 1,
        },
    )
    client.force_login(west_member)

    response = client.post(
        reverse("casework:task_edit", args=[west_case.pk, task.pk]),
        {
            "title": "Schule und Eltern anrufen",
            "due_date": "2027-03-01",
            "assignee": west_member.pk,
            "version": 1,
        },
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert "inzwischen von jemand anderem geändert" in body
    assert "01.02.2027" in body  # what is saved now
    assert 'value="Schule und Eltern anrufen"' in body  # what the person typed
    task.refresh_from_db()
    assert (task.title, task.due_date, task.version) == (
        "Schule anrufen",
        datetime.date(2027, 2, 1),
        2,
    )


def test_a_bad_task_edit_changes_nothing(client, west_member, west_case):
    task = _task(west_case, west_member, TODAY)
    client.force_login(west_member)

    response = client.post(
        reverse("casework:task_edit", args=[west_case.pk, task.pk]),
        {"title": "", "due_date": "2027-02-01", "assignee": west_member.pk, "version": 1},
    )

    assert response.status_code == 200
    assert "Bitte beschreiben Sie, was zu tun ist." in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.version) == ("Schule anrufen", 1)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("west_colleague", 200), ("nord_member", 404), ("school_leader", 403), ("anonymous", 302)],
)
def test_task_edit_is_scoped_to_the_case(client, login_as, west_case, west_member, persona, status):
    task = _task(west_case, west_member, TODAY)
    login_as(persona)

    assert client.get(reverse("casework:task_edit", args=[west_case.pk, task.pk])).status_code == (
        status
    )


# Meine Aufgaben and the team view ------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("familienamt_worker", 200),
        ("nord_member", 200),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("url_name", ["casework:my_tasks", "casework:team_tasks"])
def test_task_pages_are_for_casework_roles(client, login_as, persona, status, url_name):
    login_as(persona)

    assert client.get(reverse(url_name)).status_code == status


def test_my_tasks_lists_overdue_first_then_this_week(
    client, west_member, west_colleague, west_case
):
    _task(west_case, west_member, TODAY + 60 * DAY, title="später")
    _task(west_case, west_member, TODAY, title="heute")
    _task(west_case, west_member, TODAY - 5 * DAY, title="überfällig")
    _task(west_case, west_colleague, TODAY, title="nicht meine")
    _task(west_case, west_member, TODAY, title="erledigt", done_at=timezone.now())
    client.force_login(west_member)

    body = client.get(reverse("casework:my_tasks")).content.decode()

    assert body.index("überfällig</td>") < body.index("heute</td>") < body.index("später</td>")
    assert "nicht meine" not in body and "erledigt</td>" not in body


def test_my_tasks_hides_tasks_of_cases_no_longer_visible(client, west_member, nord_case, west_case):
    # A task assigned before the case moved to another team stays out of sight.
    _task(nord_case, west_member, TODAY, title="Nord-Aufgabe")
    client.force_login(west_member)

    assert "Nord-Aufgabe" not in client.get(reverse("casework:my_tasks")).content.decode()


def test_team_view_shows_the_teams_overdue_and_this_weeks_tasks(
    client, west_member, west_colleague, nord_member, familienamt_worker, west_case, nord_case
):
    _task(west_case, west_colleague, TODAY - DAY, title="West überfällig")
    _task(west_case, west_colleague, TODAY + 60 * DAY, title="West später")
    _task(nord_case, nord_member, TODAY, title="Nord heute")

    client.force_login(west_member)
    west = client.get(reverse("casework:team_tasks")).content.decode()
    client.force_login(familienamt_worker)
    city = client.get(reverse("casework:team_tasks")).content.decode()

    assert "West überfällig" in west and "West später" not in west and "Nord heute" not in west
    assert "West überfällig" in city and "Nord heute" in city


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["casework:my_tasks", "casework:team_tasks"])
def test_task_page_queries_do_not_grow_with_the_number_of_tasks(
    client, west_member, west_case, url_name
):
    client.force_login(west_member)
    _task(west_case, west_member, TODAY)
    with_one = _count(client, reverse(url_name))

    for offset in range(20):
        _task(west_case, west_member, TODAY + (offset % 8 - 4) * DAY)
    with_many = _count(client, reverse(url_name))

    assert with_many == with_one


@pytest.mark.parametrize("url_name", ["casework:my_tasks", "casework:team_tasks"])
def test_long_task_lists_are_paged_overdue_first_and_show_each_task_once(
    client, west_member, west_case, url_name
):
    # 60 tasks, all due by the end of this week (the team view shows no later ones).
    made = [
        _task(west_case, west_member, TODAY - (60 - number) * DAY, title=f"Aufgabe {number}")
        for number in range(60)
    ]
    client.force_login(west_member)
    url = reverse(url_name)

    first = client.get(url)
    second = client.get(url, {"nach": first.context["page"].next_cursor})

    shown = [task.pk for task in first.context["page"].rows + second.context["page"].rows]
    assert shown == [task.pk for task in made]  # earliest due (most overdue) first
    assert len(first.context["page"].rows) == 50 and second.context["page"].next_cursor is None
    assert "Später fällige Wiedervorlagen" in first.text
    # 50 rows cost what 10 rows cost.
    assert _count(client, url) == _count(client, f"{url}?nach={first.context['page'].next_cursor}")


def test_a_broken_task_cursor_starts_the_list_at_the_top(client, west_member, west_case):
    _task(west_case, west_member, TODAY - DAY, title="überfällig")
    client.force_login(west_member)

    response = client.get(reverse("casework:my_tasks"), {"nach": "kaputt"})

    assert response.status_code == 200
    assert "überfällig</td>" in response.text
    assert 'data-testid="pager-reset"' in response.text


def test_the_team_column_shows_the_short_team_name_only_to_the_familienamt(
    client, west_member, familienamt_worker, west_case
):
    _task(west_case, west_member, TODAY, title="heute")

    client.force_login(west_member)
    team = client.get(reverse("casework:team_tasks")).text
    client.force_login(familienamt_worker)
    city = client.get(reverse("casework:team_tasks")).text

    assert ">Team</th>" not in team
    assert ">Team</th>" in city and f">{west_case.team.sozialraum.name}</td>" in city


def test_the_case_page_tasks_section_queries_do_not_grow(client, west_member, west_case):
    client.force_login(west_member)
    url = reverse("test_case_page", args=[west_case.pk])
    _task(west_case, west_member, TODAY)
    with_one = _count(client, url)

    for offset in range(20):
        _task(
            west_case,
            west_member,
            TODAY + offset * DAY,
            done_at=timezone.now() if offset % 2 else None,
        )
    with_many = _count(client, url)

    assert with_many == with_one


# Start page ----------------------------------------------------------------------------


def test_the_start_page_section_lists_my_due_tasks(rf, west_member, west_case):
    _task(west_case, west_member, TODAY - DAY, title="überfällig")
    _task(west_case, west_member, TODAY + 60 * DAY, title="später")
    request = rf.get("/")
    request.user = west_member

    section = start_tasks_section(request)

    assert section is not None and section.title == "Ihre Aufgaben"
    assert [t.title for t in section.context["panel"].tasks] == ["überfällig"]
    assert ("tasks", start_tasks_section) in startpage.SECTIONS.providers()


@pytest.mark.parametrize("persona", ["school_leader", "admin_user", "dpo"])
def test_the_start_page_section_is_only_for_casework_roles(rf, request, persona):
    http_request = rf.get("/")
    http_request.user = request.getfixturevalue(persona)

    assert start_tasks_section(http_request) is None


# Derived deadlines ---------------------------------------------------------------------


def _referral_with_consents(case, recorder):
    for until, withdrawn in [
        (datetime.date(2027, 3, 31), None),
        (datetime.date(2026, 12, 31), timezone.now()),
        (None, None),
    ]:
        CaseConsent.objects.create(
            case=case,
            given_by="Anna Beispiel",
            given_on=datetime.date(2026, 1, 5),
            purposes=[Purpose.CASE_CONFERENCE],
            valid_until=until,
            withdrawn_at=withdrawn,
            recorded_by=recorder,
        )


def _decision(case, actor, outcome, until, reference):
    provider, _ = Provider.objects.get_or_create(name="Atze Assistenz", organisation="Atze")
    granted = outcome == Decision.Outcome.GRANTED
    return Decision.objects.create(
        help_kind_id="sb_35a",
        case=case,
        reference=reference,
        outcome=outcome,
        decided_by=actor,
        reason="-",
        hours_per_week=Decimal("20") if granted else None,
        valid_from=datetime.date(2026, 8, 1) if granted else None,
        valid_until=until,
        provider=provider if granted else None,
    )


def test_derived_deadlines_come_from_the_grant_and_the_running_consents(
    west_case, familienamt_worker
):
    _referral_with_consents(west_case, familienamt_worker)
    _decision(
        west_case, familienamt_worker, Decision.Outcome.GRANTED, datetime.date(2027, 7, 31), "B-1"
    )
    _decision(west_case, familienamt_worker, Decision.Outcome.REFUSED, None, "B-2")

    deadlines = derived_deadlines(west_case)

    assert [(d.label, d.due, d.source) for d in deadlines] == [
        (
            "Einwilligung läuft ab",
            datetime.date(2027, 3, 31),
            "Nennung des Namens in der Fallberatung",
        ),
        ("Bewilligung endet", datetime.date(2027, 7, 31), "Bescheid B-1"),
    ]


def test_a_case_without_grant_or_consent_has_no_derived_deadlines(west_case):
    assert derived_deadlines(west_case) == []


def test_derived_deadlines_show_next_to_the_tasks(
    client, west_member, west_case, familienamt_worker
):
    _decision(
        west_case, familienamt_worker, Decision.Outcome.GRANTED, datetime.date(2027, 7, 31), "B-1"
    )
    client.force_login(west_member)

    body = client.get(reverse("test_case_page", args=[west_case.pk])).content.decode()

    assert "Bewilligung endet: <strong>31.07.2027</strong>" in body


# Reminders -----------------------------------------------------------------------------


def test_reminders_notify_assignees_of_due_and_overdue_tasks_without_personal_data(
    west_member, west_colleague, west_case
):
    west_member.email = "tm@weimar.invalid"
    west_member.save()
    _task(west_case, west_member, TODAY - 3 * DAY, title="Mila Beispiel: Arzt anrufen")
    _task(west_case, west_colleague, TODAY, title="Heute")
    _task(west_case, west_member, TODAY + DAY, title="Morgen")
    _task(west_case, west_member, TODAY - DAY, title="Erledigt", done_at=timezone.now())

    send_due_task_reminders.call()

    texts = sorted(Notification.objects.values_list("recipient__username", "text"))
    assert texts == [
        ("tm-west", "Wiedervorlage überfällig: Fall F-2026-00001"),
        ("tm-west-2", "Wiedervorlage heute fällig: Fall F-2026-00001"),
    ]
    assert all("Mila" not in text for _, text in texts)


def test_reminders_are_sent_once_a_day(west_member, west_case):
    task = _task(west_case, west_member, TODAY)

    send_due_task_reminders.call()
    send_due_task_reminders.call()

    assert Notification.objects.count() == 1
    task.refresh_from_db()
    assert task.version == 1  # a reminder is not an edit: open forms stay valid


def test_the_send_reminders_command_enqueues_the_task(west_member, west_case):
    _task(west_case, west_member, TODAY)

    call_command("send_reminders")

    assert Notification.objects.filter(recipient=west_member).count() == 1
