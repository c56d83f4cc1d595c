"""The history pages: who may open them, what they show, and what they never show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.cases.models import Case
from apps.casework.models import NoteVersion, Task
from apps.history.models import CaseSnapshot  # type: ignore[attr-defined]
from apps.referrals.workflow import Status
from tests.history.conftest import make_case, write_note

pytestmark = pytest.mark.django_db

SECRET = "Die Mutter erzählte vom Streit mit dem Vater."
CORRECTED_SECRET = "Die Mutter erzählte vom Streit mit dem Onkel."

PERSONAS = [
    ("familienamt_worker", 200),
    ("familienamt_lead", 200),
    ("west_member", 200),
    ("nord_member", 404),
    ("school_leader", 403),
    ("admin_user", 403),
    ("dpo", 403),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_case_history_is_scoped_like_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    response = client.get(reverse("history:case", args=[west_case.pk]))

    assert response.status_code == status


@pytest.mark.parametrize("kind", ["task", "decision", "helpplan", "note"])
@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_sub_record_history_is_scoped_like_the_case(
    client, login_as, west_case, west_member, task, decision, help_plan, kind, persona, status
):
    note = write_note(west_case, west_member, "Erstes Gespräch mit der Mutter.")
    record = {"task": task, "decision": decision, "helpplan": help_plan, "note": note}[kind]
    login_as(persona)

    response = client.get(reverse(f"history:{kind}", args=[record.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("west_member", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("school_leader_nord", 403),
        ("anonymous", 302),
    ],
)
def test_request_history_is_for_case_workers_only(
    client, login_as, school_leader, school_west, west_member, team_west, persona, status
):
    from tests.history.test_referral import submit_referral

    referral = submit_referral(school_leader, school_west)
    login_as(persona)

    response = client.get(reverse("history:referral", args=[referral.pk]))

    assert response.status_code == status


def test_history_shows_field_before_and_after(client, west_case, familienamt_worker):
    Case.objects.filter(pk=west_case.pk).update(status=Status.CLOSED)
    client.force_login(familienamt_worker)

    response = client.get(reverse("history:case", args=[west_case.pk]))

    content = response.content.decode()
    assert "Status" in content
    assert Status.WITH_TEAM.label in content and Status.CLOSED.label in content


def test_confided_note_text_is_never_shown_to_a_colleague(
    client, west_case, west_member, west_colleague, familienamt_worker
):
    note = write_note(west_case, west_member, SECRET, confided=True)
    NoteVersion.objects.create(note=note, number=2, text=CORRECTED_SECRET, created_by=west_member)

    for reader in (west_colleague, familienamt_worker):
        client.force_login(reader)
        for url in (
            reverse("history:note", args=[note.pk]),
            reverse("history:case", args=[west_case.pk]),
            reverse("history:case", args=[west_case.pk]) + "?vorschau=1",
        ):
            response = client.get(url, headers={"HX-Request": "true"})
            assert response.status_code == 200
            content = response.content.decode()
            assert "Streit" not in content, url
            assert "vertraulich (§ 65 SGB VIII)" in content, url


def test_the_author_sees_how_the_confided_text_changed(client, west_case, west_member):
    note = write_note(west_case, west_member, SECRET, confided=True)
    NoteVersion.objects.create(note=note, number=2, text=CORRECTED_SECRET, created_by=west_member)
    client.force_login(west_member)

    response = client.get(reverse("history:note", args=[note.pk]))

    content = response.content.decode()
    assert SECRET in content and CORRECTED_SECRET in content


def test_the_case_page_loads_the_latest_changes_and_links_the_history(
    client, west_case, familienamt_worker
):
    client.force_login(familienamt_worker)
    history_url = reverse("history:case", args=[west_case.pk])

    page = client.get(reverse("cases:detail", args=[west_case.pk])).content.decode()

    assert "Änderungen" in page
    assert f'href="{history_url}"' in page
    assert f'hx-get="{history_url}?vorschau=1"' in page


def test_the_case_page_preview_shows_the_last_five_changes(client, west_case, familienamt_worker):
    statuses = [Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN, Status.DECISION]
    for status in statuses * 2:
        Case.objects.filter(pk=west_case.pk).update(status=status)
    client.force_login(familienamt_worker)

    response = client.get(
        reverse("history:case", args=[west_case.pk]),
        {"vorschau": "1"},
        headers={"HX-Request": "true"},
    )

    assert len(response.context["page"].rows) == 5
    content = response.content.decode()
    assert "<html" not in content
    assert "Alle Änderungen am Fall" in content


def test_pages_go_back_in_time_without_gaps(client, task, familienamt_worker):
    for number in range(30):
        Task.objects.filter(pk=task.pk).update(title=f"Schritt {number:02d}")
    client.force_login(familienamt_worker)
    url = reverse("history:task", args=[task.pk])

    first = client.get(url)
    cursor = first.context["page"].next_cursor
    second = client.get(url, {"nach": cursor}, headers={"HX-Request": "true"})

    shown = first.context["page"].rows + second.context["page"].rows
    titles = [c.fields[0].after for c in shown if c.action == "geändert"]
    assert titles == [f"Schritt {number:02d}" for number in reversed(range(30))]
    assert [c.action for c in shown][-1] == "angelegt" and len(shown) == 31
    assert second.context["page"].next_cursor is None
    assert "<html" not in second.content.decode()


@pytest.mark.parametrize(
    "cursor", ["kaputt", "1-2", "99999999999999999999-0-1", "1-2-3-4", "WyJuIiwieCIsIjEiLCIyIl0"]
)
def test_a_bad_page_cursor_starts_at_the_newest_and_writes_nothing(
    client, west_case, familienamt_worker, cursor
):
    client.force_login(familienamt_worker)
    before = CaseSnapshot.objects.count()
    url = reverse("history:case", args=[west_case.pk])
    newest = client.get(url).context["page"].rows

    response = client.get(url, {"nach": cursor})

    assert response.status_code == 200
    assert 'data-testid="pager-reset"' in response.content.decode()
    assert response.context["page"].rows == newest
    assert CaseSnapshot.objects.count() == before


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_changes_shown(
    client, team_west, west_member, familienamt_worker
):
    few = make_case(team_west, "F-2026-00011", "Lea")
    many = make_case(team_west, "F-2026-00012", "Tom")
    for case, count in ((few, 10), (many, 50)):
        for number in range(count):
            Case.objects.filter(pk=case.pk).update(
                worker=west_member if number % 2 == 0 else None,
                status=Status.APPLICATION if number % 2 == 0 else Status.WITH_TEAM,
            )
    client.force_login(familienamt_worker)

    few_queries = _queries_for(client, reverse("history:case", args=[few.pk]))
    many_queries = _queries_for(client, reverse("history:case", args=[many.pk]))

    assert few_queries == many_queries


def test_following_the_pager_shows_every_change_exactly_once(client, task, familienamt_worker):
    import html
    import re

    for number in range(60):
        Task.objects.filter(pk=task.pk).update(title=f"Schritt {number:02d}")
    client.force_login(familienamt_worker)
    url: str | None = reverse("history:task", args=[task.pk])
    shown = []
    while url:
        response = client.get(url)
        shown += response.context["page"].rows
        found = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
        url = reverse("history:task", args=[task.pk]) + html.unescape(found[1]) if found else None

    titles = [c.fields[0].after for c in shown if c.action == "geändert"]
    assert titles == [f"Schritt {number:02d}" for number in reversed(range(60))]
    assert len(shown) == 61
