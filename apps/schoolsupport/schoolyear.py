"""School years as the grants use them: 1 August to 31 July (Thuringia, § 1 ThürSchulO)."""

import datetime

# Schools see their pupils whose Schulbegleitung ends this many days before the year ends.
CONTINUATION_WINDOW_DAYS = 16 * 7


def school_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the school year ``day`` falls in."""
    start_year = day.year if day.month >= 8 else day.year - 1
    return datetime.date(start_year, 8, 1), datetime.date(start_year + 1, 7, 31)


def next_school_year_start(day: datetime.date) -> datetime.date:
    return school_year_of(day)[1] + datetime.timedelta(days=1)


def label(start: datetime.date) -> str:
    return f"{start.year}/{str(start.year + 1)[-2:]}"
