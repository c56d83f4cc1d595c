"""The case timeline's kinds of entries, each provided by the app that owns it.

``cases`` renders the timeline (and provides status changes and decisions);
casework, consents and others provide their entries in the :data:`ENTRIES`
slot, one place per kind. A kind's key travels in the URL (``?art=notizen``);
its label is given by the providing app with :func:`provide`.
"""

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from apps.core.slots import Slot

STATUS = "status"
NOTES = "notizen"
CONTACTS = "kontakte"
TASKS = "aufgaben"
DOCUMENTS = "dokumente"
HELP_PLAN = "hilfeplan"
DECISIONS = "bescheide"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str
    kind_label: str
    title: str
    text: str = ""
    url: str = ""
    actor: str = ""
    # The link fetches a file (the browser saves it) rather than opening a page.
    download: bool = False


TimelineProvider = Callable[
    [HttpRequest, Any, Collection[str], int, datetime.datetime | None], list[TimelineEntry]
]

ENTRIES: Slot[TimelineProvider] = Slot(
    "case_timeline",
    # Also the order of the kind filter on the page.
    places=(STATUS, NOTES, CONTACTS, TASKS, DOCUMENTS, HELP_PLAN, DECISIONS),
    contract=(
        "A provider gets the request, the case (already checked with visible_to), "
        "the kinds asked for, a page size ``limit`` and a cursor ``before``; it "
        "returns at most ``limit + 1`` entries of its kind older than ``before``, "
        "newest first (see :func:`newest`), with a constant number of queries, and "
        "nothing when its kind is not asked for."
    ),
)
_labels: dict[str, str] = {}


def provide(kind: str, label: str, provider: TimelineProvider) -> TimelineProvider:
    """Register ``provider`` for ``kind``, named ``label`` in the filter and on entries."""
    _labels[kind] = label
    return ENTRIES.provide(kind, provider)


def kinds() -> dict[str, str]:
    """The kinds some app provides, key → label, in the page's order."""
    return {kind: _labels[kind] for kind in ENTRIES.places if kind in _labels}


def label(kind: str) -> str:
    return _labels[kind]


def newest(rows: Any, field: str, before: datetime.datetime | None, limit: int) -> Any:
    """The page of ``rows`` older than ``before``, newest first: one query, ``limit + 1`` rows.

    The extra row tells the caller that there is an older page.
    """
    if before is not None:
        rows = rows.filter(**{f"{field}__lt": before})
    return rows.order_by(f"-{field}", "-pk")[: limit + 1]


@dataclass(frozen=True)
class EntryText:
    """What one row says on the timeline (its time and kind come from :func:`provide_rows`)."""

    title: str
    text: str = ""
    url: str = ""
    actor: str = ""
    download: bool = False


def provide_rows(
    kind: str,
    kind_label: str,
    rows: Callable[[HttpRequest, Any], Any],
    at: str,
    describe: Callable[[Any, Any], EntryText],
) -> TimelineProvider:
    """Register the usual provider: one query's rows of the case, newest first.

    ``rows(request, case)`` gives the case's rows (a queryset scoped to the
    reader, or None when the reader may see none), ``at`` names their time
    field, ``describe(row, user)`` what each says. Nothing is read when
    ``kind`` is not asked for. A kind may have several sources (tasks: set
    and done); each is registered with its own call.
    """

    def provider(
        request: HttpRequest,
        case: Any,
        kinds: Collection[str],
        limit: int,
        before: datetime.datetime | None,
    ) -> list[TimelineEntry]:
        found = rows(request, case) if kind in kinds else None
        if found is None:
            return []
        entries = []
        for row in newest(found, at, before, limit):
            told = describe(row, request.user)
            entries.append(
                TimelineEntry(
                    at=getattr(row, at),
                    kind=kind,
                    kind_label=kind_label,
                    title=told.title,
                    text=told.text,
                    url=told.url,
                    actor=told.actor,
                    download=told.download,
                )
            )
        return entries

    return provide(kind, kind_label, provider)


def entries(
    request: HttpRequest,
    case: Any,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    """Every provider's entries, unsorted (the caller merges and pages)."""
    return [
        entry
        for _, provider in ENTRIES.providers()
        for entry in provider(request, case, kinds, limit, before)
    ]
