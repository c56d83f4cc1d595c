"""The school year the Schulbegleitung lists work in, from the calendar data (SchoolYear).

The dates are data (``organisation.SchoolYear``, editable in the admin), as
the decisions use them. Where no school year is entered for a day, the lists
still work with the legal frame of Thuringia (1 August to 31 July, § 1
ThürSchulO) and say so.
"""

import datetime
from dataclasses import dataclass

from apps.organisation.models import SchoolYear

# Schools see their pupils whose Schulbegleitung ends this many days before the year ends.
CONTINUATION_WINDOW_DAYS = 16 * 7


@dataclass(frozen=True)
class Year:
    start: datetime.date
    end: datetime.date
    name: str
    # Half-year change: the last day of the first half (None when not entered).
    first_half_ends_on: datetime.date | None
    # False: no school year entered for the day, the legal frame stands in.
    from_calendar: bool

    @property
    def next_name(self) -> str:
        return _name(self.end.year)

    @property
    def half_year_ends(self) -> list[datetime.date]:
        return [d for d in (self.first_half_ends_on, self.end) if d is not None]


def _name(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def year_of(day: datetime.date) -> Year:
    """The school year ``day`` falls in (one query)."""
    school_year = SchoolYear.objects.containing(day)
    if school_year is not None:
        return Year(
            start=school_year.starts_on,
            end=school_year.ends_on,
            name=school_year.name,
            first_half_ends_on=school_year.first_half_ends_on,
            from_calendar=True,
        )
    start_year = day.year if day.month >= 8 else day.year - 1
    return Year(
        start=datetime.date(start_year, 8, 1),
        end=datetime.date(start_year + 1, 7, 31),
        name=_name(start_year),
        first_half_ends_on=None,
        from_calendar=False,
    )
