"""The steering figures of one view, computed at most every few minutes.

Twelve grouped queries over years of requests and cases, and their charts, cost
about a quarter of a second at a city's size; the figures describe months and
quarters, so a view may show figures a few minutes old. The page says when they
were computed ("Stand"), and the CSV of a figure carries the numbers the page
showed. ``STEERING_CACHE_SECONDS`` (0: no cache) sets how old they may be.

The cache key holds every filter and the viewer's scope (which teams; whether
small counts are suppressed), so a Träger's management never receives the
Familienamt's exact figures or another Träger's. No key or value holds a person.

A published council report's figures are frozen: they are rendered once per
version and kept (:func:`published_figures_html`); a correction is a new
version with a key of its own.
"""

import datetime
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from apps.reports.charts import Chart, bar_chart
from apps.reports.figures import FIGURE_KEYS, FIGURES, Scope
from apps.reports.forms import SteeringFilterForm
from apps.reports.suppression import suppress
from apps.reports.tables import Figure

if TYPE_CHECKING:
    from apps.reports.models import PublishedReport

# Part of every key: a change to what a figure computes changes this, so a
# deployment never shows figures cached by the previous version.
VERSION = 1
# A published version never changes; a day bounds what a shared cache keeps
# of markup an update may have changed.
PUBLISHED_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Shown:
    figure: Figure
    chart: Chart | None


@dataclass(frozen=True)
class Snapshot:
    figures: list[Shown]
    computed_at: datetime.datetime
    # The figures as the page shows them: rendering a dozen tables and charts
    # costs more than counting them.
    html: str

    @property
    def figures_html(self) -> SafeString:
        return mark_safe(self.html)  # rendered by our template, escaped there

    def figure(self, key: str) -> Figure | None:
        return next((shown.figure for shown in self.figures if shown.figure.key == key), None)


def with_charts(figures: list[Figure]) -> list[Shown]:
    """Each figure with its bar chart, as pages and reports show them."""
    return [Shown(figure, bar_chart(figure)) for figure in figures]


def figures_html(figures: list[Shown], csv_query: str | None = None) -> SafeString:
    """``figures`` as pages and reports show them; each with a link to its CSV for the
    filters ``csv_query`` (the steering page), none when it is None (a council report)."""
    html = render_to_string(
        "reports/figure_list.html", {"figures": figures, "csv_query": csv_query}
    )
    return mark_safe(html)  # rendered by our template, escaped there


def published_figures_html(version: "PublishedReport") -> SafeString:
    """A published version's frozen figures, rendered once and kept.

    Their tables and charts are most of the page's cost (25 of 32 ms); the key
    names the version and the moment it was published, so no other version
    (a correction, or a test database's version with a reused number) is shown.
    """
    key = f"published:{VERSION}:{version.pk}:{version.published_at.isoformat()}"

    def draw() -> str:
        return str(figures_html(with_charts([Figure.from_json(d) for d in version.figures])))

    return mark_safe(cast(str, cache.get_or_set(key, draw, PUBLISHED_CACHE_SECONDS)))


def cache_key(scope: Scope) -> str:
    """Every filter and the scope of the viewer; never the moment of the view."""
    parts = (
        VERSION,
        scope.period.key,
        scope.sozialraum_id,
        scope.team_id,
        scope.traeger_id,
        scope.school_id,
        scope.help_kind,  # its group follows from it
        scope.team_ids,
        # Some figures count from today ("open", "ending in the next 8 weeks").
        timezone.localdate(scope.now),
    )
    return "steering:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _as_seen(figure: Figure, scope: Scope) -> Figure:
    # Träger management is not the Familienamt: small counts are suppressed.
    return suppress(figure) if scope.team_ids is not None else figure


def compute(scope: Scope) -> Snapshot:
    """The figures and charts for ``scope``; small counts suppressed outside the Familienamt."""
    shown = with_charts([_as_seen(compute_figure(scope), scope) for compute_figure in FIGURES])
    html = figures_html(shown, csv_query=SteeringFilterForm.query_for(scope))
    return Snapshot(figures=shown, computed_at=scope.now, html=str(html))


def steering_snapshot(scope: Scope) -> Snapshot:
    """The figures for ``scope`` as computed at most ``STEERING_CACHE_SECONDS`` ago."""
    seconds = settings.STEERING_CACHE_SECONDS
    if not seconds:
        return compute(scope)
    return cast(Snapshot, cache.get_or_set(cache_key(scope), lambda: compute(scope), seconds))


def steering_figure(scope: Scope, key: str) -> Figure:
    """One figure (its CSV): the numbers the page showed, or counted alone without a cache."""
    if not settings.STEERING_CACHE_SECONDS:
        return _as_seen(FIGURE_KEYS[key](scope), scope)
    figure = steering_snapshot(scope).figure(key)
    assert figure is not None, key  # FIGURE_KEYS names the figures of FIGURES
    return figure
