"""Reporting periods: a month, a quarter, a half-year, a school year or a calendar year.

A period is written in URLs as a short key (``2026``, ``2026-Q1``, ``2026-H2``,
``2026-03``, ``SJ2025``) so a filtered page can be shared as a plain link.
Thuringia's school year runs from 1 August to 31 July (assumed; the exact
first day differs by a few days each year and does not matter for counts).
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

SCHOOL_YEAR_START_MONTH = 8

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    SCHOOL_YEAR = "school_year"
    YEAR = "year"


KIND_LABELS = {
    PeriodKind.MONTH: "Monat",
    PeriodKind.QUARTER: "Quartal",
    PeriodKind.HALF_YEAR: "Halbjahr",
    PeriodKind.SCHOOL_YEAR: "Schuljahr",
    PeriodKind.YEAR: "Kalenderjahr",
}


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date  # first day, inclusive
    end: datetime.date  # first day after the period (exclusive)

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        year = self.start.year
        match self.kind:
            case PeriodKind.MONTH:
                return f"{year}-{self.start.month:02d}"
            case PeriodKind.QUARTER:
                return f"{year}-Q{(self.start.month - 1) // 3 + 1}"
            case PeriodKind.HALF_YEAR:
                return f"{year}-H{1 if self.start.month == 1 else 2}"
            case PeriodKind.SCHOOL_YEAR:
                return f"SJ{year}"
        return str(year)

    @property
    def label(self) -> str:
        year = self.start.year
        match self.kind:
            case PeriodKind.MONTH:
                return f"{MONTHS[self.start.month - 1]} {year}"
            case PeriodKind.QUARTER:
                return f"{(self.start.month - 1) // 3 + 1}. Quartal {year}"
            case PeriodKind.HALF_YEAR:
                return f"{1 if self.start.month == 1 else 2}. Halbjahr {year}"
            case PeriodKind.SCHOOL_YEAR:
                return f"Schuljahr {year}/{(year + 1) % 100:02d}"
        return f"Jahr {year}"

    def year_before(self) -> "Period":
        """The same period one year earlier (for the comparison column)."""
        return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes in local time, end exclusive."""
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(self.end, datetime.time.min, tzinfo=tz),
        )


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    # Periods start on the first of a month, so the 29 February never occurs.
    return day.replace(year=day.year + years)


def _month_start(year: int, month: int) -> datetime.date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, 1)


_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-H([12])$"), PeriodKind.HALF_YEAR),
    (re.compile(r"^SJ(\d{4})$"), PeriodKind.SCHOOL_YEAR),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


def parse_period(key: str) -> Period | None:
    """The period for ``key``, or None when the key is not a period we know."""
    for pattern, kind in _PATTERNS:
        match = pattern.match(key.strip())
        if not match:
            continue
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            return None
        part = int(match.group(2)) if kind not in (PeriodKind.SCHOOL_YEAR, PeriodKind.YEAR) else 0
        if kind == PeriodKind.MONTH:
            if not 1 <= part <= 12:
                return None
            start, months = _month_start(year, part), 1
        elif kind == PeriodKind.QUARTER:
            start, months = _month_start(year, 3 * (part - 1) + 1), 3
        elif kind == PeriodKind.HALF_YEAR:
            start, months = _month_start(year, 6 * (part - 1) + 1), 6
        elif kind == PeriodKind.SCHOOL_YEAR:
            start, months = _month_start(year, SCHOOL_YEAR_START_MONTH), 12
        else:
            start, months = _month_start(year, 1), 12
        return Period(kind, start, _month_start(start.year, start.month + months))
    return None


def current_period(kind: str, today: datetime.date | None = None) -> Period:
    """The period of ``kind`` that contains ``today``."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    key = {
        PeriodKind.MONTH: f"{year}-{month:02d}",
        PeriodKind.QUARTER: f"{year}-Q{(month - 1) // 3 + 1}",
        PeriodKind.HALF_YEAR: f"{year}-H{1 if month <= 6 else 2}",
        PeriodKind.SCHOOL_YEAR: f"SJ{year if month >= SCHOOL_YEAR_START_MONTH else year - 1}",
    }.get(kind, str(year))
    period = parse_period(key)
    assert period is not None
    return period


def period_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Recent periods for a select, newest first: enough to go back two years."""
    today = today or timezone.localdate()
    choices: list[tuple[str, str]] = []
    for kind in (
        PeriodKind.YEAR,
        PeriodKind.SCHOOL_YEAR,
        PeriodKind.HALF_YEAR,
        PeriodKind.QUARTER,
        PeriodKind.MONTH,
    ):
        period = current_period(kind, today)
        count = {PeriodKind.MONTH: 24, PeriodKind.QUARTER: 8, PeriodKind.HALF_YEAR: 4}.get(kind, 3)
        for _ in range(count):
            choices.append((period.key, period.label))
            previous = parse_period(_previous_key(period))
            if previous is None:
                break
            period = previous
    return choices


def _previous_key(period: Period) -> str:
    day = period.start - datetime.timedelta(days=1)
    return current_period(period.kind, day).key
