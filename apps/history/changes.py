"""Turning snapshots into field-level changes a person may see.

A record's history can span several snapshot tables (a case with its
decisions, notes and tasks). Each table is a :class:`Stream`; a page reads
every stream once, newest first, merges them and compares each snapshot
with the one before it. The number of queries depends on the streams and on
the kinds of related records named, never on the number of changes shown.

Content of notes follows the casework rule for confided notes (§65 SGB
VIII): whoever may not read a note's text sees that it changed, not how.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from apps.casework.models import CaseNote
from apps.core.paging import KeysetPage, merged_page

if TYPE_CHECKING:
    from apps.accounts.models import User

PAGE_SIZE = 25
BASELINE = "baseline"
# Bookkeeping columns: they change with every write and mean nothing to a reader.
NOT_SHOWN = frozenset({"id", "version", "updated_at", "name_key", "submission_key"})
CONFIDENTIAL = "vertraulich (§ 65 SGB VIII)"
EMPTY = "—"
EMPTY_VALUES: tuple[Any, ...] = (None, "", [], {})
ACTIONS = {"insert": "angelegt", "update": "geändert", "delete": "gelöscht"}
# German names for columns the tracked models left without a verbose_name.
FALLBACK_LABELS = {
    "case": "Fall",
    "person": "Person",
    "referral": "Anfrage",
    "note": "Verlaufsnotiz",
    "plan": "Hilfeplan",
    "school": "Schule",
    "sozialraum": "Sozialraum",
    "team": "Team",
    "author": "verfasst von",
    "created_by": "angelegt von",
    "created_at": "angelegt am",
    "decided_by": "entschieden von",
    "decided_at": "entschieden am",
    "recorded_by": "erfasst von",
    "asked_by": "gefragt von",
    "asked_at": "gefragt am",
    "answered_by": "beantwortet von",
    "answered_at": "beantwortet am",
    "done_by": "erledigt von",
    "reminded_on": "erinnert am",
    "shared_with": "freigegeben für",
    "provider": "Leistungserbringer",
    "recorded_at": "erfasst am",
}
# The sort key of a change, checked by these fields when it comes back as a cursor.
_KEY_FIELDS = (models.DateTimeField(), models.IntegerField(), models.BigIntegerField())


@dataclass(frozen=True)
class Stream:
    """One snapshot table and how its rows are named, linked and protected."""

    snapshot_name: str
    describe: Callable[[Any], str]
    # (kind, attribute holding that kind's pk) of the record's own history page.
    link: tuple[str, str] | None = None
    # Versions are new rows: a new version is compared with the sibling before it.
    sibling_key: str | None = None
    # Fields holding note content, and the attribute naming the note.
    protected: frozenset[str] = frozenset()
    note_key: str | None = None

    @property
    def snapshot(self) -> type[models.Model]:
        return apps.get_model("history", self.snapshot_name)

    @property
    def tracked(self) -> type[models.Model]:
        tracked: type[models.Model] = self.snapshot.pgh_tracked_model  # type: ignore[attr-defined]
        return tracked._meta.concrete_model or tracked


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Change:
    record: str
    action: str
    at: datetime.datetime
    who: str
    fields: list[FieldChange]
    link: str | None = None


@dataclass
class _Row:
    stream: Stream
    rank: int
    event: Any
    before: Any = None

    @property
    def key(self) -> list[Any]:
        return [self.event.pgh_created_at, self.rank, self.event.pgh_id]


@dataclass
class _Lookups:
    """Display names of related records, fetched once per related model and key field.

    A foreign key may point at a unique code instead of the primary key
    (``to_field``), so records are looked up by the field the key refers to.
    """

    wanted: dict[tuple[type[models.Model], str], set[Any]] = field(
        default_factory=lambda: defaultdict(set)
    )
    names: dict[tuple[type[models.Model], str, Any], str] = field(default_factory=dict)

    def want(self, model: type[models.Model], pk: Any, key: str = "pk") -> None:
        if pk is not None:
            self.wanted[(model, key)].add(pk)

    def load(self) -> None:
        for (model, key), pks in self.wanted.items():
            # The required keys are what a __str__ may use (Pool names its school).
            required = [f.name for f in model._meta.concrete_fields if f.is_relation and not f.null]
            records = model._base_manager.all()
            if required:
                records = records.select_related(*required)
            rows = records.in_bulk(list(pks), field_name=key)
            for pk, obj in rows.items():
                self.names[(model, key, pk)] = str(obj)

    def name(self, model: type[models.Model], pk: Any, key: str = "pk") -> str:
        return self.names.get((model, key, pk), f"gelöscht (Nr. {pk})")


def _key(f: Any) -> str:
    """The field of the related model a foreign key stores (``pk`` unless ``to_field``)."""
    target = getattr(f, "target_field", None)
    if target is None or target.primary_key:
        return "pk"
    return str(target.name)


def _older_than(rank: int, cursor: list[Any] | None) -> Q:
    """Rows of stream ``rank`` after ``cursor`` in (time, rank, id) descending order."""
    if cursor is None:
        return Q()
    at, cursor_rank, pgh_id = cursor
    if rank < cursor_rank:
        return Q(pgh_created_at__lte=at)
    if rank > cursor_rank:
        return Q(pgh_created_at__lt=at)
    return Q(pgh_created_at__lt=at) | Q(pgh_created_at=at, pgh_id__lt=pgh_id)


def _page_of_stream(stream: Stream, where: Q, rank: int, cursor: Any, limit: int) -> list[_Row]:
    snapshot = stream.snapshot
    earlier = snapshot.objects.filter(pgh_id__lt=OuterRef("pgh_id")).order_by("-pgh_id")  # type: ignore[attr-defined]
    events = (
        snapshot.objects.filter(where)  # type: ignore[attr-defined]
        .exclude(pgh_label=BASELINE)
        .filter(_older_than(rank, cursor))
        .select_related("pgh_context")
        .annotate(
            prev_same=Subquery(
                earlier.filter(pgh_obj_id=OuterRef("pgh_obj_id")).values("pgh_id")[:1]
            )
        )
    )
    if stream.sibling_key:
        events = events.annotate(
            prev_sibling=Subquery(
                earlier.filter(**{stream.sibling_key: OuterRef(stream.sibling_key)})
                .exclude(pgh_obj_id=OuterRef("pgh_obj_id"))
                .exclude(pgh_label="delete")
                .values("pgh_id")[:1]
            )
        )
    events = events.order_by("-pgh_created_at", "-pgh_id")[: limit + 1]
    return [_Row(stream, rank, event) for event in events]


def _attach_before(rows: Sequence[_Row]) -> None:
    wanted: dict[Stream, dict[int, _Row]] = defaultdict(dict)
    for row in rows:
        event = row.event
        previous = event.prev_same
        if event.pgh_label == "insert" and row.stream.sibling_key:
            previous = event.prev_sibling
        elif event.pgh_label == "insert":
            previous = None
        if previous is not None:
            wanted[row.stream][previous] = row
    for stream, by_prev in wanted.items():
        found = stream.snapshot._base_manager.in_bulk(list(by_prev))
        for prev_id, row in by_prev.items():
            row.before = found.get(prev_id)


def _shown_fields(stream: Stream) -> list[models.Field]:
    return [
        f
        for f in stream.snapshot._meta.concrete_fields
        if not f.name.startswith("pgh_")
        and f.name not in NOT_SHOWN
        and f.attname != stream.sibling_key
    ]


def _label(stream: Stream, snapshot_field: models.Field) -> str:
    try:
        tracked_field = stream.tracked._meta.get_field(snapshot_field.name)
    except FieldDoesNotExist:  # a column the tracked model no longer has
        return snapshot_field.name
    verbose = str(getattr(tracked_field, "verbose_name", snapshot_field.name))
    if verbose == snapshot_field.name.replace("_", " "):
        verbose = FALLBACK_LABELS.get(snapshot_field.name, verbose)
    return capfirst(verbose)


def _display(f: models.Field, value: Any, lookups: _Lookups) -> str:
    if value in EMPTY_VALUES:
        return EMPTY
    if f.is_relation and f.related_model is not None:
        return lookups.name(f.related_model, value, _key(f))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.FileField):
        return "Datei hinterlegt"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d.m.Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "d.m.Y")
    if isinstance(value, list):
        return "; ".join(
            " – ".join(str(v) for v in item.values() if v) if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(formats.localize(value))


def _raw(obj: Any, f: models.Field) -> Any:
    return None if obj is None else getattr(obj, f.attname)


def _who(event: Any, user_model: type[models.Model], lookups: _Lookups) -> str:
    context = event.pgh_context
    user_id = context.metadata.get("user") if context is not None else None
    if user_id is None:
        return "System (ohne Anmeldung)"
    return lookups.name(user_model, user_id)


def changes(
    user: "User",
    streams: Sequence[tuple[Stream, Q]],
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    here: tuple[str, int] | None = None,
) -> KeysetPage[Change]:
    """One page of changes, newest first, of the records ``streams`` select.

    The caller has checked that ``user`` may see the record; this function
    only applies the note text rule. A broken cursor starts at the newest.
    """

    def fetch(position: list[Any] | None) -> list[_Row]:
        rows: list[_Row] = []
        for rank, (stream, where) in enumerate(streams):
            rows.extend(_page_of_stream(stream, where, rank, position, limit))
        return rows

    page = merged_page(fetch, lambda row: row.key, _KEY_FIELDS, cursor, limit)
    rows = page.rows
    _attach_before(rows)

    user_model = apps.get_model("accounts", "User")
    lookups = _Lookups()
    note_ids: set[int] = set()
    for row in rows:
        for f in _shown_fields(row.stream):
            if f.is_relation and f.related_model is not None:
                lookups.want(f.related_model, _raw(row.event, f), _key(f))
                lookups.want(f.related_model, _raw(row.before, f), _key(f))
        context = row.event.pgh_context
        if context is not None:
            lookups.want(user_model, context.metadata.get("user"))
        if row.stream.protected and row.stream.note_key:
            note_ids.add(getattr(row.event, row.stream.note_key))
    lookups.load()
    # The casework rule decides; visible_to() annotates it, so this is one query.
    visible_notes = CaseNote.objects.visible_to(user).filter(pk__in=note_ids)
    readable = (
        {note.pk for note in visible_notes if note.can_read_text(user)} if note_ids else set()
    )

    result = [_change(row, lookups, readable, user_model, here) for row in rows]
    return KeysetPage(
        rows=result,
        next_cursor=page.next_cursor,
        previous_cursor=None,
        is_first=page.is_first,
        bad_cursor=page.bad_cursor,
    )


def _change(
    row: _Row,
    lookups: _Lookups,
    readable: set[int],
    user_model: type[models.Model],
    here: tuple[str, int] | None,
) -> Change:
    event, before, stream = row.event, row.before, row.stream
    label = event.pgh_label
    hidden = bool(stream.protected) and getattr(event, stream.note_key or "", None) not in readable
    fields: list[FieldChange] = []
    for f in _shown_fields(stream):
        if label == "delete":
            old, new = _raw(event, f), None
        else:
            old, new = _raw(before, f), _raw(event, f)
        if old == new or (old in EMPTY_VALUES and new in EMPTY_VALUES):
            continue
        if f.name in stream.protected and hidden:
            fields.append(FieldChange(_label(stream, f), CONFIDENTIAL, CONFIDENTIAL))
            continue
        fields.append(
            FieldChange(_label(stream, f), _display(f, old, lookups), _display(f, new, lookups))
        )
    link = None
    if stream.link is not None:
        kind, attribute = stream.link
        pk = getattr(event, attribute)
        if pk is not None and (kind, pk) != here:
            link = reverse(f"history:{kind}", args=[pk])
    return Change(
        record=stream.describe(event),
        action=ACTIONS.get(label, label),
        at=event.pgh_created_at,
        who=_who(event, user_model, lookups),
        fields=fields,
        link=link,
    )


def flatten(changes: Iterable[Change]) -> list[tuple[Change, FieldChange | None, bool]]:
    """Table rows: each field change with its change, and whether it starts the change."""
    rows: list[tuple[Change, FieldChange | None, bool]] = []
    for change in changes:
        if not change.fields:
            rows.append((change, None, True))
        for index, field_change in enumerate(change.fields):
            rows.append((change, field_change, index == 0))
    return rows
