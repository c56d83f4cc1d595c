import datetime
import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.models import CaseEvent, Decision
from apps.cases.timeline import parse_filter
from apps.casework.models import (
    CaseNote,
    Contact,
    HelpPlan,
    HelpPlanVersion,
    NoteShare,
    NoteVersion,
    Task,
)
from apps.consents.models import CaseConsent, Purpose
from apps.core.paging import decode_cursor, encode_cursor
from apps.core.timeline import kinds as provided_kinds
from apps.organisation.models import Traeger

pytestmark = pytest.mark.django_db

SECRET = "Die Mutter erzählte vom Streit mit dem Vater."
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def west_colleague(team_west) -> User:
    user = User.objects.create_user(
        username="tm-west-2", password="x", first_name="Ute", last_name="Kollegin"
    )
    RoleAssignment.objects.create(
        user=user, role=Role.TEAM, team=team_west, employer=Traeger.objects.get(short_name="AWO")
    )
    return user


@pytest.fixture
def confided_note(west_case, west_member) -> CaseNote:
    note = CaseNote.objects.create(case=west_case, author=west_member, confided=True)
    NoteVersion.objects.create(note=note, number=1, text=SECRET, created_by=west_member)
    return note


def _timeline(response) -> str:
    """The timeline partial of a page (or the whole htmx answer)."""
    text = response.text
    start = text.index('id="case-timeline"')
    return text[start:]


def _entries(html: str) -> list[str]:
    """Each timeline entry's text, whitespace folded."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r'<li data-kind="[^"]+">(.*?)</li>', html, flags=re.DOTALL)
    ]


def _older_cursor(html: str) -> str | None:
    found = re.search(r'href="\?(?:[^"#]*&amp;)?nach=([^"#&]+)', html)
    return unquote(found.group(1)) if found else None


def fill_timeline(case, author, count: int) -> None:
    """``count`` entries spread over every kind, one minute apart, oldest first."""
    start = timezone.now() - datetime.timedelta(days=30)
    kinds = list(provided_kinds())
    plan = HelpPlan.objects.create(case=case)
    for n in range(count):
        at = start + datetime.timedelta(minutes=n)
        match kinds[n % len(kinds)]:
            case "status":
                CaseEvent.objects.create(case=case, actor=author, at=at, summary=f"Eintrag {n}")
            case "notizen":
                note = CaseNote.objects.create(case=case, author=author, created_at=at)
                NoteVersion.objects.create(
                    note=note, number=1, text=f"Notiz {n}", created_by=author
                )
            case "kontakte":
                Contact.objects.create(
                    case=case,
                    happened_at=at,
                    kind=Contact.Kind.PHONE,
                    with_whom=f"Mutter {n}",
                    result="erreicht",
                    created_by=author,
                )
            case "aufgaben":
                Task.objects.create(
                    case=case,
                    title=f"Aufgabe {n}",
                    due_date=at.date(),
                    assignee=author,
                    created_by=author,
                    created_at=at,
                )
            case "dokumente":
                CaseConsent.objects.create(
                    case=case,
                    given_by=f"Mutter {n}",
                    given_on=at.date(),
                    purposes=[Purpose.SCHOOL_EXCHANGE],
                    recorded_by=author,
                    recorded_at=at,
                )
            case "hilfeplan":
                HelpPlanVersion.objects.create(
                    plan=plan,
                    number=n,
                    created_at=at,
                    created_by=author,
                    meeting_date=at.date(),
                    need="Bedarf",
                    help_kind="Schulbegleitung",
                    goals="Ziele",
                    participants="Familie",
                    next_review=at.date() + datetime.timedelta(days=180),
                )
            case "bescheide":
                Decision.objects.create(
                    help_kind_id="sb_35a",
                    case=case,
                    reference=f"B-TEST-{n}",
                    outcome=Decision.Outcome.REFUSED,
                    decided_by=author,
                    decided_at=at,
                    reason="Kein Bedarf",
                )


# access -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("familienamt_worker", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_the_timeline_partial_is_scoped_like_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    response = client.get(west_case.get_absolute_url(), {"art": "status"}, **HX)

    assert response.status_code == status
    if status == 302:
        assert "/login" in response["Location"] or "anmelden" in response["Location"]


# content and filters ------------------------------------------------------------


def test_the_timeline_merges_every_kind_newest_first(client, familienamt_worker, west_case):
    fill_timeline(west_case, familienamt_worker, 14)
    client.force_login(familienamt_worker)

    timeline = _timeline(client.get(west_case.get_absolute_url()))

    for title in (
        "Eintrag 7",
        "Verlaufsnotiz",
        "Notiz 8",
        "Kontakt (Telefon) mit Mutter 9",
        "Wiedervorlage angelegt: Aufgabe 10",
        "Einwilligung: Austausch mit der Schule",
        "Hilfeplan, Fassung 12",
        "Bescheid B-TEST-13",
        f"Fall eröffnet aus Anfrage {west_case.referral.reference}",
    ):
        assert title in timeline
    # Newest first: the filled entries lie 30 days back, the case was opened just now.
    assert timeline.index("Fall eröffnet") < timeline.index("Bescheid B-TEST-13")
    assert timeline.index("Bescheid B-TEST-13") < timeline.index("Eintrag 7")


def test_a_done_task_shows_when_it_was_set_and_when_it_was_done(client, west_member, west_case):
    Task.objects.create(
        case=west_case,
        title="Schule anrufen",
        due_date=timezone.localdate(),
        assignee=west_member,
        created_by=west_member,
        done_at=timezone.now(),
        done_by=west_member,
    )
    client.force_login(west_member)

    timeline = _timeline(client.get(west_case.get_absolute_url(), {"art": "aufgaben"}))

    assert "Wiedervorlage angelegt: Schule anrufen" in timeline
    assert "Wiedervorlage erledigt: Schule anrufen" in timeline


def test_a_decision_links_to_its_letter(client, familienamt_worker, west_case):
    fill_timeline(west_case, familienamt_worker, 7)
    decision = Decision.objects.get(case=west_case)
    client.force_login(familienamt_worker)

    timeline = _timeline(client.get(west_case.get_absolute_url(), {"art": "bescheide"}))

    assert f'href="{decision.get_absolute_url()}"' in timeline


@pytest.mark.parametrize(
    ("kinds", "shown", "hidden"),
    [
        (["kontakte"], "Kontakt (Telefon) mit Mutter 2", "Eintrag 0"),
        (["status"], "Eintrag 0", "Kontakt (Telefon)"),
        (["notizen", "aufgaben"], "Aufgabe 3", "Hilfeplan, Fassung"),
        (["dokumente"], "Einwilligung: Austausch", "Bescheid B-TEST"),
        (["hilfeplan", "bescheide"], "Bescheid B-TEST-6", "Notiz 1"),
    ],
)
def test_the_kind_filter_shows_only_the_chosen_kinds(
    client, familienamt_worker, west_case, kinds, shown, hidden
):
    fill_timeline(west_case, familienamt_worker, 7)
    client.force_login(familienamt_worker)

    timeline = _timeline(client.get(west_case.get_absolute_url(), {"art": kinds}))

    assert shown in timeline
    assert hidden not in timeline


def test_the_filter_works_without_javascript_as_a_plain_get_form(client, west_member, west_case):
    client.force_login(west_member)

    response = client.get(west_case.get_absolute_url())

    assert 'method="get"' in response.text
    assert 'name="art" value="kontakte"' in response.text
    assert 'hx-target="#case-timeline"' in response.text


def test_htmx_gets_only_the_timeline_partial(client, west_member, west_case):
    client.force_login(west_member)

    response = client.get(west_case.get_absolute_url(), {"art": "status"}, **HX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="case-timeline"')
    assert "Fall eröffnet aus Anfrage" in response.text
    assert "<html" not in response.text
    assert "Überblick" not in response.text
    assert "HX-Request" in response["Vary"]


def test_an_unknown_kind_is_ignored_with_a_message_and_nothing_is_written(
    client, west_member, west_case
):
    client.force_login(west_member)
    before = (CaseEvent.objects.count(), CaseNote.objects.count(), west_case.version)

    response = client.get(west_case.get_absolute_url(), {"art": ["unsinn", "<b>x</b>"]})

    assert response.status_code == 200
    assert "Unbekannte Eintragsart „unsinn“" in response.text
    assert "<b>x</b>" not in response.text  # escaped, never markup
    assert "Fall eröffnet aus Anfrage" in _timeline(response)  # all kinds, as without a filter
    west_case.refresh_from_db()
    assert (CaseEvent.objects.count(), CaseNote.objects.count(), west_case.version) == before


def test_a_broken_cursor_shows_the_newest_entries_with_a_message(client, west_member, west_case):
    client.force_login(west_member)

    response = client.get(west_case.get_absolute_url(), {"nach": "gestern"})

    assert response.status_code == 200
    assert "Der Link zur nächsten Seite war nicht mehr gültig" in response.text
    assert "Fall eröffnet aus Anfrage" in _timeline(response)


def test_parse_filter_keeps_known_kinds_and_reports_unknown_ones():
    from django.http import QueryDict

    selection = parse_filter(QueryDict("art=notizen&art=bogus&art="))

    assert selection.kinds == {"notizen"}
    assert selection.unknown_kinds == ["bogus"]
    assert parse_filter(QueryDict("art=bogus")).kinds == set(provided_kinds())


# pagination ---------------------------------------------------------------------


def test_older_entries_are_paged_by_a_timestamp_cursor_without_gaps(
    client, familienamt_worker, west_case
):
    fill_timeline(west_case, familienamt_worker, 120)
    client.force_login(familienamt_worker)
    url = west_case.get_absolute_url()

    seen: list[str] = []
    query: dict = {}
    for _ in range(10):
        page = client.get(url, query, **HX).text
        seen += _entries(page)
        cursor = _older_cursor(page)
        if cursor is None:
            break
        assert "Müller" not in cursor and "Jürgen" not in cursor
        query = {"nach": cursor}

    # 120 filled entries, plus the opening event and the consent filed with the request.
    assert len(seen) == 122
    assert len(set(seen)) == 122


def test_the_first_page_holds_fifty_entries_and_a_link_to_older_ones(
    client, familienamt_worker, west_case
):
    fill_timeline(west_case, familienamt_worker, 80)
    client.force_login(familienamt_worker)

    timeline = _timeline(client.get(west_case.get_absolute_url()))

    assert len(_entries(timeline)) == 50
    assert "Ältere Einträge" in timeline
    assert _older_cursor(timeline) is not None


def test_the_older_link_keeps_the_kind_filter(client, familienamt_worker, west_case):
    fill_timeline(west_case, familienamt_worker, 400)
    client.force_login(familienamt_worker)

    page = client.get(west_case.get_absolute_url(), {"art": "kontakte"}, **HX).text

    assert "?art=kontakte&amp;nach=" in page
    assert all("Kontakt" in entry for entry in _entries(page))


def test_entries_sharing_a_timestamp_are_not_split_across_pages(
    client, familienamt_worker, west_case
):
    at = timezone.now() - datetime.timedelta(days=1)
    CaseEvent.objects.bulk_create(
        CaseEvent(case=west_case, actor=familienamt_worker, at=at, summary=f"Gleichzeitig {n}")
        for n in range(3)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=west_case,
            actor=familienamt_worker,
            at=at + datetime.timedelta(seconds=n + 1),
            summary=f"Später {n}",
        )
        for n in range(48)
    )
    client.force_login(familienamt_worker)
    url = west_case.get_absolute_url()

    first = client.get(url, {"art": "status"}, **HX).text
    cursor = _older_cursor(first)
    assert cursor is not None
    second = client.get(url, {"art": "status", "nach": cursor}, **HX).text

    entries = _entries(first) + _entries(second)
    assert len(entries) == 52 and len(set(entries)) == 52
    assert not any("Gleichzeitig" in entry for entry in _entries(first))


def test_a_cursor_carries_only_the_time_of_the_last_entry_shown():
    from django.db import models

    at = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)

    assert decode_cursor(encode_cursor([at]), [models.DateTimeField()]) == ([at], False)


# §65: confided notes ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["west_colleague", "familienamt_worker", "familienamt_lead"])
def test_a_confided_note_shows_in_the_timeline_without_its_text_for_others(
    client, request, west_case, confided_note, persona
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(west_case.get_absolute_url())
    partial = client.get(west_case.get_absolute_url(), {"art": "notizen"}, **HX)

    for response in (page, partial):
        assert SECRET not in response.text
        assert "Anvertraute Notiz von tm-west" in response.text


def test_the_author_reads_their_confided_note_in_the_timeline(
    client, west_member, west_case, confided_note
):
    client.force_login(west_member)

    partial = client.get(west_case.get_absolute_url(), {"art": "notizen"}, **HX)

    assert SECRET in partial.text
    assert "Anvertraute Notiz (§ 65 SGB VIII)" in partial.text


def test_a_colleague_the_note_was_shared_with_reads_it(
    client, west_member, west_colleague, west_case, confided_note
):
    NoteShare.objects.create(
        note=confided_note,
        shared_with=west_colleague,
        consent_given_by="Anna Müller",
        consent_given_on=datetime.date(2026, 11, 1),
        consent_basis="mündlich",
        created_by=west_member,
    )
    client.force_login(west_colleague)

    partial = client.get(west_case.get_absolute_url(), {"art": "notizen"}, **HX)

    assert SECRET in partial.text


def test_a_corrected_note_shows_its_current_wording(client, west_member, west_case):
    note = CaseNote.objects.create(case=west_case, author=west_member)
    NoteVersion.objects.create(note=note, number=1, text="Erste Fassung", created_by=west_member)
    NoteVersion.objects.create(note=note, number=2, text="Zweite Fassung", created_by=west_member)
    client.force_login(west_member)

    partial = client.get(west_case.get_absolute_url(), {"art": "notizen"}, **HX)

    assert "Zweite Fassung" in partial.text and "Erste Fassung" not in partial.text


# queries ------------------------------------------------------------------------------


def _one_entry_case(case, author):
    """The case with a single timeline entry: one note.

    A note, because the notes section further up the page prefetches versions
    and shares only when there is a note at all (a fixed two queries more).
    """
    CaseConsent.objects.filter(case=case).delete()
    CaseEvent.objects.filter(case=case).delete()
    note = CaseNote.objects.create(case=case, author=author)
    NoteVersion.objects.create(note=note, number=1, text="Erste Notiz", created_by=author)
    return case


@pytest.mark.parametrize("persona", ["familienamt_worker", "west_member"])
def test_the_case_page_query_count_is_the_same_with_1_and_200_entries(
    client, request, west_case, persona
):
    user = request.getfixturevalue(persona)
    case = _one_entry_case(west_case, user)
    client.force_login(user)
    url = case.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert len(_entries(_timeline(response))) == 1

    fill_timeline(case, user, 200)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(_entries(_timeline(response))) == 50
    assert len(many) == len(one)


def test_the_timeline_partial_query_count_is_the_same_with_1_and_200_entries(
    client, familienamt_worker, west_case
):
    case = _one_entry_case(west_case, familienamt_worker)
    client.force_login(familienamt_worker)
    url = case.get_absolute_url()
    client.get(url, **HX)
    with CaptureQueriesContext(connection) as one:
        client.get(url, **HX)

    fill_timeline(case, familienamt_worker, 200)
    with CaptureQueriesContext(connection) as many:
        client.get(url, **HX)
        older = client.get(url, {"nach": encode_cursor([timezone.now()])}, **HX)

    assert older.status_code == 200
    assert len(many) == 2 * len(one)
