import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.core.paging import BadCursor, decode_cursor, encode_cursor, keyset_page

pytestmark = pytest.mark.django_db

ORDER = ("-date_joined", "pk")


@pytest.fixture
def users() -> list[User]:
    """Seven accounts; two share a timestamp, so the tie-breaker matters."""
    start = timezone.now()
    moments = [start - datetime.timedelta(minutes=m) for m in (0, 1, 1, 2, 3, 4, 5)]
    return [
        User.objects.create(username=f"p{index}", date_joined=moment)
        for index, moment in enumerate(moments)
    ]


def _walk(cursor: str | None = None, size: int = 3) -> list[list[str]]:
    pages = []
    while True:
        page = keyset_page(User.objects.all(), ORDER, cursor, size)
        pages.append([u.username for u in page.rows])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_pages_follow_the_order_without_gaps_or_repeats(users):
    pages = _walk()

    assert pages == [["p0", "p1", "p2"], ["p3", "p4", "p5"], ["p6"]]


def test_the_previous_cursor_leads_back_to_the_page_before(users):
    first = keyset_page(User.objects.all(), ORDER, None, 2)
    second = keyset_page(User.objects.all(), ORDER, first.next_cursor, 2)
    third = keyset_page(User.objects.all(), ORDER, second.next_cursor, 2)

    back = keyset_page(User.objects.all(), ORDER, third.previous_cursor, 2)

    assert [u.username for u in back.rows] == ["p2", "p3"]
    assert first.is_first and first.previous_cursor is None
    assert not back.is_first and back.next_cursor == second.next_cursor
    assert keyset_page(User.objects.all(), ORDER, second.previous_cursor, 2).is_first


@pytest.mark.parametrize(
    "cursor", ["kaputt", "eyJ4Ijox", encode_cursor(["gestern", "1"]), encode_cursor(["1"]), "=="]
)
def test_a_cursor_this_list_did_not_make_starts_at_the_top(users, cursor):
    page = keyset_page(User.objects.all(), ORDER, cursor, 3)

    assert [u.username for u in page.rows] == ["p0", "p1", "p2"]
    assert page.bad_cursor and page.is_first


def test_a_cursor_carries_no_names_and_is_checked_field_by_field(users):
    cursor = keyset_page(User.objects.all(), ORDER, None, 3).next_cursor
    assert cursor is not None and "p2" not in cursor

    fields = [User._meta.get_field("date_joined"), User._meta.pk]
    values, backwards = decode_cursor(cursor, fields)
    assert values == [users[2].date_joined, users[2].pk] and not backwards
    with pytest.raises(BadCursor):
        decode_cursor(cursor, fields[:1])


def test_a_page_costs_one_query_however_many_rows(users):
    with CaptureQueriesContext(connection) as few:
        keyset_page(User.objects.all(), ORDER, None, 2)
    User.objects.bulk_create(User(username=f"q{n}") for n in range(30))
    cursor = keyset_page(User.objects.all(), ORDER, None, 20).next_cursor
    with CaptureQueriesContext(connection) as many:
        keyset_page(User.objects.all(), ORDER, cursor, 20)

    assert len(few) == len(many) == 1


def test_merged_page_walks_several_sources_once_and_restarts_on_a_foreign_cursor():
    from django.db import models

    from apps.core.paging import merged_page

    sources = [[10, 7, 4, 1], [9, 8, 3], [6, 5, 2]]

    def fetch(after):
        return [n for src in sources for n in [v for v in src if after is None or v < after[0]][:4]]

    def page(cursor):
        return merged_page(fetch, lambda n: [n], [models.IntegerField()], cursor, 3)

    seen, cursor = [], None
    while True:
        current = page(cursor)
        seen += current.rows
        if current.next_cursor is None:
            break
        cursor = current.next_cursor

    assert seen == list(range(10, 0, -1))
    broken = page("kaputt")
    assert broken.bad_cursor and broken.is_first and broken.rows == [10, 9, 8]
