"""Keyset paging: one way for every long list to show "weitere" without OFFSET.

``keyset_page(queryset, order, cursor, size)`` returns one page and the
cursors of the pages after and before it. ``order`` names the sort fields,
``-`` for descending, and must end in a unique field (``pk``) so no row is
skipped or shown twice; each field needs an index and must not be NULL.

A cursor is opaque (URL-safe base64 of the sort key of a boundary row and
the direction) and carries no names: only timestamps and numbers. A cursor
that this code did not make starts the list at the top (``page.bad_cursor``
lets the page say so); it never leads to an error page. Templates show the
links with ``{% include "core/pager.html#pager" %}``.

A list merged from several sources (the case timeline, the change history)
pages with ``merged_page``: the same cursor, the same pager, forward only.
"""

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

CURSOR_PARAM = "nach"


class BadCursor(ValueError):
    """The cursor is not one this list produced."""


@dataclass(frozen=True)
class KeysetPage[T]:
    rows: list[T]
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool
    bad_cursor: bool = False

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _fields(queryset: QuerySet[Any], order: tuple[str, ...]) -> list[tuple[str, bool, Any]]:
    """(attribute path, descending, model field) for each sort field."""
    fields = []
    for item in order:
        name = item.lstrip("-")
        model = queryset.model
        field: Any = None
        if name in queryset.query.annotations:  # e.g. "is_unread" on the inbox
            field = queryset.query.annotations[name].output_field
        else:
            for part in name.split("__"):
                field = model._meta.pk if part == "pk" else model._meta.get_field(part)
                model = field.related_model or model
        fields.append((name, item.startswith("-"), field))
    return fields


def _key(row: Any, fields: list[tuple[str, bool, Any]]) -> list[Any]:
    values = []
    for name, _, _ in fields:
        value: Any = row
        for part in name.split("__"):
            value = getattr(value, part)
        values.append(value)
    return values


def encode_cursor(values: list[Any], *, backwards: bool = False) -> str:
    """The opaque cursor for a sort key (``backwards``: the page before it)."""
    texts = [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values]
    raw = json.dumps(["p" if backwards else "n", *texts], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(raw: str, fields: list[Any]) -> tuple[list[Any], bool]:
    """The sort key and direction in ``raw``, each value checked by its model field."""
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        direction, *texts = data
        if direction not in ("n", "p") or len(texts) != len(fields):
            raise BadCursor(raw)
        values = [field.to_python(text) for field, text in zip(fields, texts, strict=True)]
    except (ValueError, TypeError, ValidationError, binascii.Error, UnicodeDecodeError) as error:
        raise BadCursor(raw) from error
    if any(value is None for value in values):
        raise BadCursor(raw)
    return values, direction == "p"


def _beyond(fields: list[tuple[str, bool, Any]], values: list[Any], backwards: bool) -> Q:
    """Rows after the key in the list's order (before it when ``backwards``)."""
    condition = Q(pk__in=[])
    for index, (name, descending, _) in enumerate(fields):
        later = descending != backwards
        step = Q(**{f"{name}__{'lt' if later else 'gt'}": values[index]})
        for earlier in range(index):
            step &= Q(**{fields[earlier][0]: values[earlier]})
        condition |= step
    return condition


def keyset_page[T: Model](
    queryset: QuerySet[T], order: tuple[str, ...], cursor: str | None, size: int
) -> KeysetPage[T]:
    """One page of ``queryset`` in ``order``, starting after (or before) ``cursor``."""
    fields = _fields(queryset, order)
    ordered = queryset.order_by(*order)
    bad = False
    values: list[Any] | None = None
    backwards = False
    if cursor:
        try:
            values, backwards = decode_cursor(cursor, [f[2] for f in fields])
        except BadCursor:
            bad = True
    if values is None:
        rows = list(ordered[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        return KeysetPage(
            rows=rows,
            next_cursor=encode_cursor(_key(rows[-1], fields)) if has_more else None,
            previous_cursor=None,
            is_first=True,
            bad_cursor=bad,
        )
    if not backwards:
        rows = list(ordered.filter(_beyond(fields, values, False))[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        return KeysetPage(
            rows=rows,
            next_cursor=encode_cursor(_key(rows[-1], fields)) if has_more else None,
            previous_cursor=encode_cursor(_key(rows[0], fields), backwards=True) if rows else None,
            is_first=False,
        )
    reverse = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in order)
    rows = list(queryset.order_by(*reverse).filter(_beyond(fields, values, True))[: size + 1])
    if len(rows) <= size:
        # Back at the start: show the first page as it is now.
        return keyset_page(queryset, order, None, size)
    rows = rows[:size][::-1]
    return KeysetPage(
        rows=rows,
        next_cursor=encode_cursor(_key(rows[-1], fields)),
        previous_cursor=encode_cursor(_key(rows[0], fields), backwards=True),
        is_first=False,
    )


def merged_page[T](
    fetch: Callable[[list[Any] | None], Iterable[T]],
    key: Callable[[T], list[Any]],
    fields: Sequence[Any],
    cursor: str | None,
    size: int,
    *,
    ties_whole: bool = False,
) -> KeysetPage[T]:
    """One page, largest key first, of rows merged from several sources.

    ``fetch(after)`` returns, from each source, its first ``size + 1`` rows
    whose key comes after ``after`` in descending order (all rows when
    ``None``); ``key`` gives a row's sort key, ``fields`` a model field per
    key value to check a cursor with. The key should be unique; when it is
    not (``ties_whole``), rows sharing the boundary's key go to the next
    page together, so none is skipped. A broken cursor starts at the top.
    """
    values: list[Any] | None = None
    bad = False
    if cursor:
        try:
            values, backwards = decode_cursor(cursor, list(fields))
            if backwards:
                raise BadCursor(cursor)
        except BadCursor:
            values, bad = None, True
    found = sorted(fetch(values), key=key, reverse=True)
    rows = found[:size]
    next_cursor = None
    if len(found) > size and rows:
        if ties_whole:
            boundary = key(found[size])
            rows = [row for row in rows if key(row) != boundary] or rows
        next_cursor = encode_cursor(key(rows[-1]))
    return KeysetPage(
        rows=rows,
        next_cursor=next_cursor,
        previous_cursor=None,
        is_first=values is None,
        bad_cursor=bad,
    )
