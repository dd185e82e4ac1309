"""The school calendar: Monday to Friday, minus Norwegian public holidays and breaks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

from dateutil.easter import easter

from .errors import TriageError

# More than a school year of consecutive non-school days means the configured breaks are wrong.
_MAX_GAP_DAYS = 400


def school_year_start(day: date, back: int = 0) -> date:
    """1 August of the school year `day` is in (August to July), or of the one `back` years
    before it."""
    return date(day.year - (day.month < 8) - back, 8, 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Norwegian public holidays that can fall on a weekday."""
    e = easter(year)
    return frozenset(
        {
            date(year, 1, 1),
            e - timedelta(days=3),  # Maundy Thursday
            e - timedelta(days=2),  # Good Friday
            e + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            date(year, 5, 17),
            e + timedelta(days=39),  # Ascension Day
            e + timedelta(days=50),  # Whit Monday
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


@dataclass(frozen=True)
class Break:
    """A holiday range the user configured (autumn, Christmas, winter, Easter, summer)."""

    start: date
    end: date
    name: str = ""
    off: bool = False  # she does not work in it either: its weekdays count no contract time


class SchoolCalendar:
    def __init__(self, breaks: Iterable[Break] = ()) -> None:
        self.breaks = tuple(breaks)
        self._known: dict[date, bool] = {}  # counting school days asks about the same days often
        # by year: its 1 January as an ordinal, and the school days from then through each day
        self._totals: dict[int, tuple[int, list[int]]] = {}

    def is_school_day(self, d: date) -> bool:
        known = self._known.get(d)
        if known is None:
            known = self._known[d] = (
                d.weekday() < 5
                and d not in public_holidays(d.year)
                and not any(b.start <= d <= b.end for b in self.breaks)
            )
        return known

    def working_days(self, first: date, last: date) -> int:
        """Weekdays from `first` to `last` (inclusive) that count toward contract time: not a
        public holiday, nor in a break marked off (a break that is not off is worked)."""
        off = [b for b in self.breaks if b.off and b.start <= last and b.end >= first]
        holidays = {d for year in range(first.year, last.year + 1) for d in public_holidays(year)}
        days = 0
        for n in range((last - first).days + 1):
            d = first + timedelta(days=n)
            days += d.weekday() < 5 and d not in holidays and not any(b.start <= d <= b.end for b in off)
        return days

    def on_or_after(self, d: date) -> date:
        """The first school day on or after `d`."""
        for _ in range(_MAX_GAP_DAYS):
            if self.is_school_day(d):
                return d
            d += timedelta(days=1)
        raise TriageError(
            "no school day found within a year: check the holiday ranges in the config", "no_school_day"
        )

    def next_school_day(self, d: date) -> date:
        """The first school day strictly after `d`."""
        return self.on_or_after(d + timedelta(days=1))

    def previous_school_day(self, d: date) -> date:
        """The last school day strictly before `d`."""
        for _ in range(_MAX_GAP_DAYS):
            d -= timedelta(days=1)
            if self.is_school_day(d):
                return d
        raise TriageError(
            "no school day found within a year: check the holiday ranges in the config", "no_school_day"
        )

    def add_school_days(self, d: date, n: int) -> date:
        """The n-th school day after `d` (n > 0), or before it (n < 0); `d` itself for 0."""
        step = self.next_school_day if n > 0 else self.previous_school_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def school_days_between(self, start: date, end: date) -> int:
        """School days d with start < d <= end (0 when end <= start). Counted from running
        totals per year, not day by day: the queue and `list --all` ask this of every
        request, over years."""
        if end <= start:
            return 0
        through = self._through(end) - self._through(start)
        if start.year == end.year:
            return through
        return through + sum(self._through(date(year, 12, 31)) for year in range(start.year, end.year))

    def _through(self, d: date) -> int:
        """School days from 1 January of `d`'s year through `d`."""
        known = self._totals.get(d.year)
        if known is None:
            first = date(d.year, 1, 1)
            days = (date(d.year + 1, 1, 1) - first).days
            known = self._totals[d.year] = (
                first.toordinal(),
                list(accumulate(self.is_school_day(first + timedelta(days=n)) for n in range(days))),
            )
        first_day, totals = known
        return totals[d.toordinal() - first_day]
