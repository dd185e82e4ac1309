"""School years, their terms, and contract time (DESIGN.md: contract time, school year).

A school year runs from 1 August to 31 July and is written `2025-26`; its autumn term is
August to December, its spring term January to July. A week's contract time is the full-time
hours (`contract_hours`) times `position_percent` / 100, less a fifth for each public holiday
on a weekday and each weekday of a break marked `off`; a span of days gets a fifth of it for
each such working day in it, so a year is the sum of its weeks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .calendar import SchoolCalendar
from .errors import TriageError

TERMS = ("autumn", "spring")
_YEAR = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class SchoolYear:
    """1 August of `start` to 31 July of the year after: `2025-26`."""

    start: int

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        m = _YEAR.fullmatch(text.strip())
        if m and 2000 <= int(m[1]) <= 2099 and int(m[2]) == (int(m[1]) + 1) % 100:
            return cls(int(m[1]))
        # Only what looks like a year is repeated: anything else may be pupil text.
        shown = f"'{text.strip()}'" if re.fullmatch(r"[0-9 /-]{1,12}", text.strip()) else "that"
        message = f"{shown} is not a school year I understand; write it as 2025-26"
        raise TriageError(message, "bad_school_year", text=text)

    @classmethod
    def of(cls, day: date) -> SchoolYear:
        return cls(day.year if day.month >= 8 else day.year - 1)

    @property
    def first(self) -> date:
        return date(self.start, 8, 1)

    @property
    def last(self) -> date:
        return date(self.start + 1, 7, 31)

    def step(self, years: int) -> SchoolYear:
        return SchoolYear(self.start + years)

    def __str__(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"


@dataclass(frozen=True, order=True)
class Period:
    """What a review longer than a week covers: a school year, or one of its terms."""

    year: SchoolYear
    term: str | None = None  # None: the whole school year; else one of TERMS

    @classmethod
    def of(cls, day: date, term: bool = False) -> Period:
        """The school year of `day`, or (`term`) the term of it that `day` is in."""
        return cls(SchoolYear.of(day), ("autumn" if day.month >= 8 else "spring") if term else None)

    @property
    def first(self) -> date:
        return date(self.year.start + 1, 1, 1) if self.term == "spring" else self.year.first

    @property
    def last(self) -> date:
        return date(self.year.start, 12, 31) if self.term == "autumn" else self.year.last

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time())

    @property
    def end(self) -> datetime:
        """The moment it is over: midnight after its last day."""
        return datetime.combine(self.last + timedelta(days=1), time())

    def step(self, count: int) -> Period:
        """The term (or school year) `count` terms (years) later; earlier when negative."""
        if self.term is None:
            return Period(self.year.step(count))
        index = self.year.start * 2 + TERMS.index(self.term) + count
        return Period(SchoolYear(index // 2), TERMS[index % 2])

    def months(self, until: date | None = None) -> list[date]:
        """The first day of each of its months, up to the month of `until`."""
        months, day = [], self.first
        while day <= min(self.last, until or self.last):
            months.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return months

    def __str__(self) -> str:
        return f"{self.year}-{self.term}" if self.term else str(self.year)


def contract_minutes(
    first: date, last: date, calendar: SchoolCalendar, contract_hours: float, position_percent: float,
    since: date | None = None,
) -> int:  # fmt: skip
    """The contract time of the days `first` to `last` (inclusive), in minutes; with `since`
    (the day recording began), none before it: time not recorded is not time missing."""
    if since is not None:
        first = max(first, since)
    if first > last:
        return 0
    week = contract_hours * 60 * position_percent / 100
    return round(week * calendar.working_days(first, last) / 5)
