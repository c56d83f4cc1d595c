"""The data protection officer's log, a case's access list, and a person's own entries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action
from apps.audit.selectors import case_access_summary

pytestmark = [
    pytest.mark.django_db,
    # Whitenoise warns when the middleware chain is rebuilt for the added AccessLogMiddleware.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# Where weimar_sozialraum/urls.py mounts the app (tests/audit/urls.py until then).
LIST_URL = "/protokoll/"
EXPORT_URL = "/protokoll/export/"
MINE_URL = "/protokoll/meine/"


def _read(user, case, *, at=None, count=1) -> None:
    for _ in range(count):
        log_event(
            user,
            Action.READ,
            object_type="case",
            object_id=case.pk,
            case_id=case.pk,
            path_name="cases:detail",
        )
    if at is not None:
        # Entries cannot be back-dated after the fact; write one with its time given instead.
        AccessLogEntry.objects.create(
            user=user,
            action=Action.READ,
            object_type="case",
            object_id=case.pk,
            case_id=case.pk,
            at=at,
        )


def _rows(response) -> int:
    return response.content.decode().count('data-testid="log-row"')


def _export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# --- who may open what ------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dpo", 200),
        ("familienamt_worker", 403),
        ("familienamt_lead", 403),
        ("west_member", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("url", [LIST_URL, EXPORT_URL])
def test_only_the_data_protection_officer_sees_and_exports_the_log(
    client, login_as, persona, status, url
):
    login_as(persona)

    response = client.get(url)

    assert response.status_code == status
    assert reverse("audit:list") == LIST_URL
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("dpo", 200),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_who_opened_a_case_is_shown_to_the_familienamt_the_case_team_and_the_dpo(
    client, login_as, west_case, persona, status
):
    login_as(persona)

    response = client.get(reverse("audit:case", args=[west_case.pk]))

    assert response.status_code == status


def test_who_opened_a_case_pages_its_entries_at_a_constant_cost(
    client, dpo, west_member, familienamt_worker, west_case
):
    url = reverse("audit:case", args=[west_case.pk])
    _read(west_member, west_case, count=1)
    client.force_login(dpo)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _read(familienamt_worker, west_case, count=60)

    with CaptureQueriesContext(connection) as many:
        first = client.get(url)
    second = client.get(url, {"nach": first.context["page"].next_cursor})

    assert len(many) == len(one)
    assert first.content.decode().count('data-testid="access-recent-row"') == 50
    assert second.content.decode().count('data-testid="access-recent-row"') == 11
    assert "Fallakte" in first.content.decode()  # the page's name, not "cases:detail"
    assert "Ältere Zugriffe" in first.content.decode()


def test_an_unknown_case_number_is_not_found(client, familienamt_worker):
    client.force_login(familienamt_worker)

    assert client.get(reverse("audit:case", args=[999_999])).status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("school_leader", 200), ("anonymous", 302)])
def test_everyone_logged_in_sees_their_own_entries(client, login_as, persona, status):
    login_as(persona)

    assert client.get(MINE_URL).status_code == status


# --- the DPO's list -------------------------------------------------------------------


def test_the_log_lists_entries_newest_first_with_user_and_case(client, dpo, west_member, west_case):
    _read(west_member, west_case)
    client.force_login(dpo)

    response = client.get(LIST_URL)

    content = response.content.decode()
    # The page and the case in the words people use (apps/audit/wording.py).
    assert "tm-west" in content and "Fallakte" in content and "F-2026-0001" in content
    assert [e.action for e in response.context["entries"]] == [Action.LOGIN, Action.READ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"aktion": Action.READ}, 5),
        ({"objektart": "case"}, 5),
        ({"fall": "F-2026-0001"}, 3),
        ({"fall": "f-2026-0002"}, 2),
        ({"aktion": Action.LOGIN}, 1),
        ({"von": "2020-01-01", "bis": "2020-01-31"}, 1),
    ],
)
def test_filters_narrow_the_log(
    client, dpo, west_member, familienamt_worker, west_case, nord_case, params, expected
):
    _read(west_member, west_case, count=2)
    _read(familienamt_worker, nord_case, count=2)
    _read(
        west_member, west_case, count=0, at=datetime.datetime(2020, 1, 15, 9, tzinfo=datetime.UTC)
    )
    client.force_login(dpo)

    response = client.get(LIST_URL, params)

    assert _rows(response) == expected


def test_filter_by_person_and_case_number(client, dpo, west_member, familienamt_worker, west_case):
    _read(west_member, west_case, count=2)
    _read(familienamt_worker, west_case, count=1)
    client.force_login(dpo)

    response = client.get(LIST_URL, {"person": west_member.pk, "fall": str(west_case.pk)})

    assert _rows(response) == 2


def test_the_period_filter_counts_whole_days_in_german_time(client, dpo, west_member, west_case):
    # 23:30 in Weimar on 14 January is still 14 January, though it is 22:30 UTC.
    late = timezone.make_aware(datetime.datetime(2026, 1, 14, 23, 30))
    _read(west_member, west_case, count=0, at=late)
    client.force_login(dpo)

    assert _rows(client.get(LIST_URL, {"von": "2026-01-14", "bis": "2026-01-14"})) == 1
    assert _rows(client.get(LIST_URL, {"von": "2026-01-15", "bis": "2026-01-15"})) == 0
    assert _rows(client.get(LIST_URL, {"von": "2026-01-13", "bis": "2026-01-13"})) == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"von": "2026-02-01", "bis": "2026-01-01"},
            "Das Ende des Zeitraums liegt vor seinem Anfang.",
        ),
        ({"von": "gestern"}, "Bitte ein gültiges Datum eingeben."),
        ({"aktion": "erase"}, "Bitte eine gültige Auswahl treffen."),
    ],
)
def test_bad_filters_show_a_german_message_and_no_entries(client, dpo, params, message):
    client.force_login(dpo)

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _rows(response) == 0


def test_an_export_with_bad_filters_shows_the_message_and_exports_and_logs_nothing(client, dpo):
    client.force_login(dpo)

    response = client.get(EXPORT_URL, {"von": "2026-02-01", "bis": "2026-01-01"})

    assert response.status_code == 400
    assert "Export nicht möglich" in response.content.decode()
    assert not AccessLogEntry.objects.filter(action=Action.EXPORT).exists()


def test_the_log_pages_by_keyset_without_gaps_or_repeats(client, dpo, west_member, west_case):
    _read(west_member, west_case, count=55)  # plus the dpo's login: 56
    client.force_login(dpo)

    first = client.get(LIST_URL)
    next_cursor = first.context["next_cursor"]
    second = client.get(LIST_URL, {"nach": next_cursor})

    assert _rows(first) == 50 and _rows(second) == 6
    assert second.context["next_cursor"] is None
    seen = [e.pk for e in first.context["entries"]] + [e.pk for e in second.context["entries"]]
    assert seen == list(AccessLogEntry.objects.order_by("-at", "-pk").values_list("pk", flat=True))


def test_a_broken_cursor_starts_at_the_top(client, dpo):
    client.force_login(dpo)

    assert _rows(client.get(LIST_URL, {"nach": "kaputt"})) == 1


def test_the_list_is_swapped_in_place_for_htmx_filters(client, dpo):
    client.force_login(dpo)

    response = client.get(LIST_URL, {"aktion": Action.LOGIN}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert 'id="log-table"' in content and "<html" not in content


def _list_queries(client, dpo) -> int:
    client.force_login(dpo)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST_URL).status_code == 200
    return len(queries)


def test_the_list_needs_the_same_queries_for_few_and_many_rows(
    client, dpo, west_member, familienamt_worker, nord_member, west_case, nord_case
):
    _read(west_member, west_case, count=1)
    few = _list_queries(client, dpo)
    for user, case in [(familienamt_worker, nord_case), (nord_member, nord_case)]:
        _read(user, case, count=15)

    assert _list_queries(client, dpo) == few


# --- export -----------------------------------------------------------------------------


def test_the_export_is_a_csv_of_the_filtered_entries_and_is_logged(
    client, dpo, west_member, familienamt_worker, west_case
):
    _read(west_member, west_case, count=2)
    _read(familienamt_worker, west_case, count=1)
    client.force_login(dpo)

    response = client.get(EXPORT_URL, {"person": west_member.pk})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _export_rows(response)
    assert header == [
        "Laufnummer",
        "Zeitpunkt",
        "Benutzerkonto",
        "Aktion",
        "Objekt",
        "Fall",
        "Seite",
        "IP-Adresse",
        "Zweck",
        "Prüfsumme",
    ]
    # The words of the page: the person, the action in German, the Aktenzeichen, no ids.
    assert [row[2] for row in rows] == [f"{west_member} (tm-west)"] * 2
    assert {row[3] for row in rows} == {"gelesen"}
    assert {(row[4], row[5]) for row in rows} == {("Fall", west_case.reference)}
    assert str(west_case.pk) not in {row[5] for row in rows}
    export = AccessLogEntry.objects.get(action=Action.EXPORT)
    assert (export.user, export.object_type) == (dpo, "accesslog")
    assert export.purpose == f"person={west_member.pk}"


def test_the_export_keeps_a_typed_in_formula_as_text(client, dpo):
    log_event(None, Action.LOGIN_FAILED, username_attempted='=HYPERLINK("http://x")')
    client.force_login(dpo)

    rows = _export_rows(client.get(EXPORT_URL, {"aktion": Action.LOGIN_FAILED}))

    assert rows[1][2] == 'versucht: =HYPERLINK("http://x")'


def test_the_export_needs_the_same_queries_for_few_and_many_rows(
    client, dpo, west_member, west_case
):
    client.force_login(dpo)

    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            _export_rows(client.get(EXPORT_URL))
        return len(queries)

    _read(west_member, west_case, count=1)
    few = export_queries()
    _read(west_member, west_case, count=40)

    assert export_queries() == few


# --- who opened a case ------------------------------------------------------------------------


def test_the_case_team_sees_who_opened_the_case_and_when(
    client, west_member, familienamt_worker, nord_member, west_case, nord_case
):
    _read(familienamt_worker, west_case, count=3)
    _read(west_member, west_case, count=1)
    _read(nord_member, nord_case, count=2)  # another case: not listed
    log_event(
        nord_member, Action.DENIED, object_type="case", object_id=west_case.pk, case_id=west_case.pk
    )
    client.force_login(west_member)

    response = client.get(reverse("audit:case", args=[west_case.pk]))

    summary = response.context["summary"]
    assert [(a.user, a.count) for a in summary] == [(west_member, 1), (familienamt_worker, 3)]
    content = response.content.decode()
    assert "F-2026-0001" in content
    assert "tm-nord" not in content


def test_case_access_summary_counts_per_person(familienamt_worker, west_member, west_case):
    _read(familienamt_worker, west_case, count=2)
    _read(west_member, west_case, count=1)

    summary = case_access_summary(west_case.pk)

    assert {a.user: a.count for a in summary} == {familienamt_worker: 2, west_member: 1}
    assert summary[0].last_at >= summary[1].last_at


def test_the_case_access_page_needs_the_same_queries_for_few_and_many_readers(
    client, familienamt_worker, west_member, familienamt_lead, west_case
):
    client.force_login(familienamt_worker)
    url = reverse("audit:case", args=[west_case.pk])
    _read(west_member, west_case)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = page_queries()
    _read(familienamt_lead, west_case, count=5)
    _read(familienamt_worker, west_case, count=5)

    assert page_queries() == few


# --- one's own entries ------------------------------------------------------------------------


def test_own_entries_show_nobody_elses(
    client, west_member, familienamt_worker, west_case, nord_case
):
    _read(familienamt_worker, nord_case, count=3)
    _read(west_member, west_case, count=2)
    client.force_login(west_member)

    response = client.get(MINE_URL)

    assert {e.user for e in response.context["entries"]} == {west_member}
    assert _rows(response) == 3  # two reads and the login


def test_own_entries_need_the_same_queries_for_few_and_many_rows(client, west_member, west_case):
    client.force_login(west_member)
    _read(west_member, west_case)  # one entry names a case: its Aktenzeichen is looked up

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(MINE_URL)
        return len(queries)

    few = page_queries()
    _read(west_member, west_case, count=20)

    assert page_queries() == few
