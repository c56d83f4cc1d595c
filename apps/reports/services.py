"""Writes of the steering layer: publishing a council report (a frozen, suppressed snapshot)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import User
from apps.reports.figures import FIGURES, Scope
from apps.reports.models import CouncilReport, PublishedReport
from apps.reports.periods import Period, parse_period
from apps.reports.suppression import suppress
from apps.reports.tables import Figure


class ReportNotPublishable(ValueError):
    """A publish that would be wrong (no period, a correction without a note)."""


def council_figures(period: Period) -> list[Figure]:
    """The figures of a council report for ``period``, suppressed, city-wide."""
    scope = Scope(period=period)
    figures = [compute(scope) for compute in FIGURES]
    return [suppress(figure) for figure in figures if not figure.internal]


@transaction.atomic
def report_publish(*, report_id: int, actor: User, change_note: str = "") -> PublishedReport:
    """Freeze the report's text and figures as its next published version.

    A first publication needs no note; every later one is a correction and
    must say what changed, because the council may already have read the
    earlier one.
    """
    report = CouncilReport.objects.select_for_update().get(pk=report_id)
    period = parse_period(report.period_key)
    if period is None:
        raise ReportNotPublishable("Der Zeitraum des Berichts ist ungültig.")
    last = report.versions.aggregate(number=Max("number"))["number"] or 0
    if last and not change_note.strip():
        raise ReportNotPublishable(
            "Bitte beschreiben Sie, was sich gegenüber der veröffentlichten Fassung ändert."
        )
    return PublishedReport.objects.create(
        report=report,
        number=last + 1,
        title=report.title,
        period_key=period.key,
        period_label=period.label,
        text=report.text,
        change_note=change_note.strip(),
        figures=[figure.as_json() for figure in council_figures(period)],
        published_at=timezone.now(),
        published_by=actor,
    )
