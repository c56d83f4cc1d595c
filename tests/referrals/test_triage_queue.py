"""The Familienamt's triage queue: who may see it, filters, counts, §8a on top, paging."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.organisation.models import Sozialraum
from apps.referrals.models import Referral
from apps.referrals.workflow import Status
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.django_db

QUEUE = reverse("referrals:queue")


def _references(response) -> list[str]:
    return [row.referral.reference for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_queue_is_for_the_familienamt_only(client, login_as, persona, status):
    login_as(persona)

    response = client.get(QUEUE)

    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


def test_queue_shows_open_requests_oldest_first(
    client, familienamt_worker, school_leader, school_west
):
    newer = make_referral(author=school_leader, school=school_west, days_ago=1)
    older = make_referral(author=school_leader, school=school_west, days_ago=9)
    in_triage = make_referral(
        author=school_leader, school=school_west, status=Status.IN_TRIAGE, days_ago=3
    )
    make_referral(author=school_leader, school=school_west, status=Status.REJECTED, days_ago=20)
    make_referral(author=school_leader, school=school_west, status=Status.ACCEPTED, days_ago=20)
    make_referral(author=school_leader, school=school_west, status=Status.DRAFT, days_ago=30)
    client.force_login(familienamt_worker)

    response = client.get(QUEUE)

    assert _references(response) == [older.reference, in_triage.reference, newer.reference]
    assert response.context["total"] == 3
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts[Status.RECEIVED] == 2
    assert counts[Status.IN_TRIAGE] == 1
    assert counts[Status.REJECTED] == 1
    assert Status.DRAFT not in counts
    assert "Lena Schmidt" in response.content.decode()


def test_urgent_requests_stand_before_older_ones(
    client, familienamt_worker, school_leader, school_west
):
    older = make_referral(author=school_leader, school=school_west, days_ago=9)
    urgent = make_referral(author=school_leader, school=school_west, days_ago=1, urgent=True)
    client.force_login(familienamt_worker)

    response = client.get(QUEUE)

    assert _references(response) == [urgent.reference, older.reference]


def test_pseudonymised_requests_show_initials_only(
    client, familienamt_worker, school_leader, school_west
):
    make_referral(author=school_leader, school=school_west, pseudonymised=True)
    client.force_login(familienamt_worker)

    content = client.get(QUEUE).content.decode()

    assert "L. S. (pseudonymisiert)" in content
    assert "Lena" not in content


def test_open_child_protection_reports_always_stand_on_top(
    client, familienamt_worker, school_leader, school_west, school_nord
):
    report = make_referral(
        author=school_leader, school=school_west, kind=Referral.Kind.KINDERSCHUTZ, urgent=True
    )
    ordinary = make_referral(author=school_leader, school=school_nord, days_ago=5)
    client.force_login(familienamt_worker)

    # Filters that would exclude the report (other school, other status) do not hide it.
    response = client.get(QUEUE, {"schule": school_nord.pk, "status": Status.REJECTED})

    assert [row.referral for row in response.context["child_protection"]] == [report]
    assert report.reference not in _references(response)
    content = response.content.decode()
    assert "Kinderschutz – sofort prüfen" in content
    assert content.index(report.reference) < content.index("Filter anwenden")
    response = client.get(QUEUE)
    assert _references(response) == [ordinary.reference]


def test_a_closed_child_protection_report_leaves_the_red_section(
    client, familienamt_worker, school_leader, school_west
):
    make_referral(
        author=school_leader,
        school=school_west,
        kind=Referral.Kind.KINDERSCHUTZ,
        status=Status.ACCEPTED,
    )
    client.force_login(familienamt_worker)

    response = client.get(QUEUE)

    assert response.context["child_protection"] == []
    assert "Kinderschutz – sofort prüfen" not in response.content.decode()


@pytest.fixture
def mixed_queue(school_leader, school_west, school_nord, familienamt_worker, familienamt_lead):
    return {
        "west_new": make_referral(author=school_leader, school=school_west, days_ago=1),
        "west_old_urgent": make_referral(
            author=school_leader, school=school_west, days_ago=12, urgent=True
        ),
        "nord_mine": make_referral(
            author=school_leader,
            school=school_nord,
            status=Status.IN_TRIAGE,
            days_ago=4,
            assignee=familienamt_worker,
        ),
        "nord_lead": make_referral(
            author=school_leader,
            school=school_nord,
            status=Status.QUESTION,
            days_ago=2,
            assignee=familienamt_lead,
            kind=Referral.Kind.OTHER_HELP,
        ),
        "west_rejected": make_referral(
            author=school_leader, school=school_west, status=Status.REJECTED, days_ago=30
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"west_new", "west_old_urgent", "nord_mine", "nord_lead"}),
        ({"status": [Status.QUESTION]}, {"nord_lead"}),
        (
            {"status": [Status.REJECTED, Status.RECEIVED]},
            {"west_new", "west_old_urgent", "west_rejected"},
        ),
        ({"sozialraum": "nord-schoendorf"}, {"nord_mine", "nord_lead"}),
        ({"schule": "west"}, {"west_new", "west_old_urgent"}),
        ({"art": Referral.Kind.OTHER_HELP}, {"nord_lead"}),
        ({"dringend": "ja"}, {"west_old_urgent"}),
        ({"dringend": "nein"}, {"west_new", "nord_mine", "nord_lead"}),
        ({"bearbeitung": "ich"}, {"nord_mine"}),
        ({"bearbeitung": "niemand"}, {"west_new", "west_old_urgent"}),
        ({"bearbeitung": ""}, {"west_new", "west_old_urgent", "nord_mine", "nord_lead"}),
        ({"wartet": "3"}, {"west_old_urgent", "nord_mine"}),
        ({"wartet": "10", "dringend": "ja"}, {"west_old_urgent"}),
    ],
)
def test_each_filter_narrows_the_queue(
    client, familienamt_worker, mixed_queue, school_west, school_nord, params, expected
):
    client.force_login(familienamt_worker)
    if params.get("sozialraum"):
        params = params | {"sozialraum": Sozialraum.objects.get(slug=params["sozialraum"]).pk}
    if params.get("schule"):
        params = params | {
            "schule": {"west": school_west, "nord": school_nord}[params["schule"]].pk
        }

    response = client.get(QUEUE, params)

    assert set(_references(response)) == {mixed_queue[key].reference for key in expected}
    assert response.context["total"] == len(expected)


def test_invalid_filter_values_are_shown_and_ignored(client, familienamt_worker, mixed_queue):
    client.force_login(familienamt_worker)

    response = client.get(QUEUE, {"wartet": "-4", "dringend": "vielleicht"})

    assert response.status_code == 200
    assert len(_references(response)) == 4
    assert response.context["filter"].form.errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_htmx_filter_request_returns_only_the_table(client, familienamt_worker, mixed_queue):
    client.force_login(familienamt_worker)

    response = client.get(QUEUE, {"dringend": "ja"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="queue-table"' in content
    assert mixed_queue["west_old_urgent"].reference in content
    assert mixed_queue["west_new"].reference not in content
    assert 'name="next" value="/eingang/?dringend=ja"' in content
    assert "HX-Request" in response["Vary"]


def test_full_page_carries_the_htmx_filter_form(client, familienamt_worker):
    client.force_login(familienamt_worker)

    content = client.get(QUEUE).content.decode()

    assert 'hx-get="/eingang/"' in content
    assert 'hx-push-url="true"' in content
    assert 'hx-trigger="change, input delay:400ms from:input[type=number]"' in content
    assert "{% partialdef" not in content
    assert "Filter anwenden" in content  # works without JavaScript


def test_keyset_pagination_walks_the_queue_without_gaps(
    client, familienamt_worker, school_leader, school_west, monkeypatch
):
    monkeypatch.setattr("apps.referrals.views.triage.PAGE_SIZE", 2)
    made = [make_referral(author=school_leader, school=school_west, days_ago=d) for d in range(5)]
    client.force_login(familienamt_worker)

    seen: list[str] = []
    params: dict[str, str] = {}
    for _page in range(5):
        response = client.get(QUEUE, params)
        seen += _references(response)
        cursor = response.context["next_cursor"]
        if cursor is None:
            break
        params = {"nach": cursor}

    assert seen == [r.reference for r in reversed(made)]
    assert "nach=" not in QUEUE
    assert client.get(QUEUE, {"nach": "kaputt"}).status_code == 200


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries)


def test_queue_query_count_does_not_grow_with_rows(
    client, familienamt_worker, familienamt_lead, school_leader, school_west, school_nord
):
    client.force_login(familienamt_worker)
    make_referral(author=school_leader, school=school_west, assignee=familienamt_lead)
    make_referral(author=school_leader, school=school_west, kind=Referral.Kind.KINDERSCHUTZ)
    one = _queue_queries(client)

    for n in range(30):
        make_referral(
            author=school_leader,
            school=school_west if n % 2 else school_nord,
            assignee=familienamt_lead if n % 3 else familienamt_worker,
            kind=Referral.Kind.KINDERSCHUTZ if n % 5 == 0 else Referral.Kind.SCHULBEGLEITUNG,
        )
    many = _queue_queries(client)

    assert many == one


def test_finished_requests_are_counted_over_the_last_year_only(
    client, familienamt_worker, school_leader, school_west
):
    make_referral(author=school_leader, school=school_west, status=Status.REJECTED, days_ago=20)
    make_referral(author=school_leader, school=school_west, status=Status.REJECTED, days_ago=400)
    make_referral(author=school_leader, school=school_west, days_ago=400)  # open: always counted
    client.force_login(familienamt_worker)

    response = client.get(QUEUE)

    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts[Status.REJECTED] == 1
    assert counts[Status.RECEIVED] == 1
    assert "Abgelehnt (12 Monate): <strong>1</strong>" in response.content.decode()


def test_a_flood_of_child_protection_reports_shows_the_oldest_and_says_there_are_more(
    client, familienamt_worker, school_leader, school_west, monkeypatch
):
    from apps.referrals.views import triage

    monkeypatch.setattr(triage, "CHILD_PROTECTION_SHOWN", 2)
    reports = [
        make_referral(
            author=school_leader,
            school=school_west,
            kind=Referral.Kind.KINDERSCHUTZ,
            days_ago=days,
        )
        for days in (3, 2, 1)
    ]
    client.force_login(familienamt_worker)

    response = client.get(QUEUE)

    assert [row.referral for row in response.context["child_protection"]] == reports[:2]
    assert "Es warten mehr als 2 Meldungen." in response.content.decode()


def test_every_queue_column_is_headed_and_long_texts_keep_their_full_text(
    client, familienamt_worker, school_leader, school_west
):
    import re

    make_referral(author=school_leader, school=school_west, urgent=True)
    make_referral(author=school_leader, school=school_west, kind=Referral.Kind.KINDERSCHUTZ)
    client.force_login(familienamt_worker)

    html = client.get(QUEUE).content.decode()

    tables = re.findall(r"<table.*?</table>", html, flags=re.DOTALL)
    assert len(tables) == 2  # the § 8a reports above, the queue below
    for table in tables:
        headers = re.findall(r"<th\b", table)
        rows = re.findall(r"<tr[^>]*data-testid=\"queue-row\".*?</tr>", table, flags=re.DOTALL)
        assert rows
        for row in rows:
            assert len(re.findall(r"<td\b", row)) == len(headers)
    queue = tables[1]
    # The urgent mark stands with the file number, not in a column of its own.
    assert re.search(r"</a> <span class=\"kern-badge kern-badge--danger", queue)
    assert f'title="{school_west.name}"' in queue
    assert "Am Zug: Familienamt, seit" in queue
