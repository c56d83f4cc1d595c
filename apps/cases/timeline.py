"""The case timeline: status changes, decisions, documents and what casework adds.

Each source returns its newest ``limit + 1`` entries older than the cursor in
one query; merging them and cutting at ``limit`` gives the page. The number
of queries therefore depends on the kinds asked for, never on the rows.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest, QueryDict

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent, Decision
from apps.core import timeline
from apps.core.paging import KeysetPage, merged_page
from apps.core.timeline import TimelineEntry

PAGE_SIZE = 50


def _actor(user: User | None) -> str:
    return str(user) if user is not None else "System"


def _status(event: CaseEvent, user: object) -> timeline.EntryText:
    return timeline.EntryText(title=event.summary, actor=_actor(event.actor))


def _decision(decision: Decision, user: object) -> timeline.EntryText:
    return timeline.EntryText(
        title=f"Bescheid {decision.reference}: Hilfe {decision.get_outcome_display()}",
        url=decision.get_absolute_url(),
        actor=_actor(decision.decided_by),
    )


def provide_kinds() -> None:
    """The kinds ``cases`` owns (called from ``CasesConfig.ready``)."""
    timeline.provide_rows(
        timeline.STATUS,
        "Status",
        lambda request, case: CaseEvent.objects.filter(case=case).select_related("actor"),
        "at",
        _status,
    )
    timeline.provide_rows(
        timeline.DECISIONS,
        "Bescheide",
        lambda request, case: Decision.objects.filter(case=case).select_related("decided_by"),
        "decided_at",
        _decision,
    )


# The cursor is the shared one (core.paging): the timestamp of the last entry shown.
_KEY_FIELDS = (models.DateTimeField(),)


@dataclass(frozen=True)
class TimelineFilter:
    """The kinds asked for, and what of the request had to be ignored."""

    kinds: frozenset[str]
    unknown_kinds: list[str] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return self.kinds != frozenset(timeline.kinds())


def parse_filter(params: QueryDict) -> TimelineFilter:
    """Unknown kinds are ignored (and reported), never an error page."""
    asked = [value for value in params.getlist("art") if value]
    provided = timeline.kinds()
    known = frozenset(value for value in asked if value in provided)
    unknown = [value[:40] for value in asked if value not in provided]
    return TimelineFilter(kinds=known or frozenset(provided), unknown_kinds=unknown)


@dataclass(frozen=True)
class TimelinePage:
    page: KeysetPage[TimelineEntry]
    filter: TimelineFilter

    @property
    def entries(self) -> list[TimelineEntry]:
        return self.page.rows

    @property
    def kind_choices(self) -> list[tuple[str, str, bool]]:
        return [(key, label, key in self.filter.kinds) for key, label in timeline.kinds().items()]


def timeline_page(
    request: HttpRequest,
    case: Case,
    selection: TimelineFilter,
    cursor: str | None = None,
    *,
    size: int = PAGE_SIZE,
) -> TimelinePage:
    """One page, newest first; entries sharing the boundary's time go to the next page whole
    (only a whole page of one timestamp cannot be split; it stays as it is)."""

    def fetch(after: list[Any] | None) -> list[TimelineEntry]:
        before = after[0] if after else None
        return timeline.entries(request, case, selection.kinds, size, before)

    page = merged_page(fetch, lambda e: [e.at], _KEY_FIELDS, cursor, size, ties_whole=True)
    return TimelinePage(page=page, filter=selection)
