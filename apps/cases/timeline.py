"""The case timeline: status changes, decisions, documents and what casework adds.

Each source returns its newest ``limit + 1`` entries older than the cursor in
one query; merging them and cutting at ``limit`` gives the page. The number
of queries therefore depends on the kinds asked for, never on the rows.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent, Decision
from apps.core import timeline
from apps.core.timeline import TimelineEntry

PAGE_SIZE = 50


def _actor(user: User | None) -> str:
    return str(user) if user is not None else "System"


def _status_entries(
    request: HttpRequest,
    case: Case,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    if timeline.STATUS not in kinds:
        return []
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    return [
        TimelineEntry(
            at=event.at,
            kind=timeline.STATUS,
            kind_label=timeline.label(timeline.STATUS),
            title=event.summary,
            actor=_actor(event.actor),
        )
        for event in timeline.newest(events, "at", before, limit)
    ]


def _decision_entries(
    request: HttpRequest,
    case: Case,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    if timeline.DECISIONS not in kinds:
        return []
    decisions = Decision.objects.filter(case=case).select_related("decided_by")
    return [
        TimelineEntry(
            at=decision.decided_at,
            kind=timeline.DECISIONS,
            kind_label=timeline.label(timeline.DECISIONS),
            title=f"Bescheid {decision.reference}: Hilfe {decision.get_outcome_display()}",
            url=decision.get_absolute_url(),
            actor=_actor(decision.decided_by),
        )
        for decision in timeline.newest(decisions, "decided_at", before, limit)
    ]


def provide_kinds() -> None:
    """The kinds ``cases`` owns (called from ``CasesConfig.ready``)."""
    timeline.provide(timeline.STATUS, "Status", _status_entries)
    timeline.provide(timeline.DECISIONS, "Bescheide", _decision_entries)


# Cursors are UTC timestamps only: no names, no ids of other records in URLs.
def format_cursor(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def parse_cursor(raw: str) -> datetime.datetime | None:
    try:
        at = datetime.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class TimelineFilter:
    """The kinds and cursor asked for, and what of the request had to be ignored."""

    kinds: frozenset[str]
    before: datetime.datetime | None
    unknown_kinds: list[str] = field(default_factory=list)
    bad_cursor: bool = False

    @property
    def is_filtered(self) -> bool:
        return self.kinds != frozenset(timeline.kinds())

    def query(self, **extra: str) -> str:
        """The query string of this filter (the selected kinds) plus ``extra``."""
        params = QueryDict(mutable=True)
        if self.is_filtered:
            params.setlist("art", [kind for kind in timeline.kinds() if kind in self.kinds])
        for name, value in extra.items():
            params[name] = value
        return params.urlencode()


def parse_filter(params: QueryDict) -> TimelineFilter:
    """Unknown kinds and a broken cursor are ignored (and reported), never an error page."""
    asked = [value for value in params.getlist("art") if value]
    provided = timeline.kinds()
    known = frozenset(value for value in asked if value in provided)
    unknown = [value[:40] for value in asked if value not in provided]
    raw_cursor = params.get("vor", "")
    before = parse_cursor(raw_cursor) if raw_cursor else None
    return TimelineFilter(
        kinds=known or frozenset(provided),
        before=before,
        unknown_kinds=unknown,
        bad_cursor=bool(raw_cursor) and before is None,
    )


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    filter: TimelineFilter
    next_cursor: str | None

    @property
    def older_query(self) -> str:
        return self.filter.query(vor=self.next_cursor) if self.next_cursor else ""

    @property
    def kind_choices(self) -> list[tuple[str, str, bool]]:
        return [(key, label, key in self.filter.kinds) for key, label in timeline.kinds().items()]


def timeline_page(
    request: HttpRequest, case: Case, selection: TimelineFilter, *, size: int = PAGE_SIZE
) -> TimelinePage:
    found = timeline.entries(request, case, selection.kinds, size, selection.before)
    found.sort(key=lambda entry: entry.at, reverse=True)
    entries = found[:size]
    next_cursor = None
    if len(found) > size:
        # Entries sharing the boundary's timestamp move to the next page whole,
        # so the "older than" cursor cannot skip any of them.
        # (Only a whole page of one timestamp cannot be split; it stays as it is.)
        boundary = found[size].at
        earlier = [entry for entry in entries if entry.at != boundary]
        entries = earlier or entries
        next_cursor = format_cursor(entries[-1].at)
    return TimelinePage(entries=entries, filter=selection, next_cursor=next_cursor)
