"""Entries of the case timeline contributed by apps above ``cases``.

``cases`` renders the timeline but must not import ``casework``; casework
registers providers here in ``AppConfig.ready``. A provider gets the request,
the (already visibility-checked) case, the kinds asked for, a page size and
a cursor, and returns at most ``limit + 1`` entries of those kinds older than
``before``, newest first, with a constant number of queries.
"""

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

STATUS = "status"
NOTES = "notizen"
CONTACTS = "kontakte"
TASKS = "aufgaben"
DOCUMENTS = "dokumente"
HELP_PLAN = "hilfeplan"
DECISIONS = "bescheide"

# Filter order on the page; the keys travel in the URL (?art=notizen).
KINDS: dict[str, str] = {
    STATUS: "Status",
    NOTES: "Notizen",
    CONTACTS: "Kontakte",
    TASKS: "Aufgaben",
    DOCUMENTS: "Dokumente",
    HELP_PLAN: "Hilfeplan",
    DECISIONS: "Bescheide",
}


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
_providers: list[TimelineProvider] = []


def newest(rows: Any, field: str, before: datetime.datetime | None, limit: int) -> Any:
    """The page of ``rows`` older than ``before``, newest first: one query, ``limit + 1`` rows.

    The extra row tells the caller that there is an older page.
    """
    if before is not None:
        rows = rows.filter(**{f"{field}__lt": before})
    return rows.order_by(f"-{field}", "-pk")[: limit + 1]


def register(provider: TimelineProvider) -> TimelineProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def registered_entries(
    request: HttpRequest,
    case: Any,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    """Every registered provider's entries, unsorted (the caller merges and pages)."""
    return [
        entry for provider in _providers for entry in provider(request, case, kinds, limit, before)
    ]
