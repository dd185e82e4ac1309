"""Dates, moments and durations as people type them, in English and Norwegian.

WHEN:     2026-11-16, 2026-11-16T09:00, today / i dag, tomorrow / i morgen,
          yesterday / i går, a weekday (fri, friday, fredag, fre), +N school days,
          dd.mm, dd.mm.yyyy; a moment may add a time (`fri 09:00`) or be a bare `09:00`.
DURATION: 45, 45m, 1h, 1h30, 1.5h, 1,5t, 1:30.
"""

from __future__ import annotations

import math
import re
from contextlib import suppress
from datetime import date, datetime, time, timedelta

from .calendar import SchoolCalendar
from .errors import TriageError

WHEN_FORMS = (
    "2026-11-16, 2026-11-16T09:00, today, tomorrow, yesterday, a weekday (fri, fredag), "
    "+N school days, dd.mm, dd.mm.yyyy (Norwegian: i dag, i morgen, i går, mandag … søndag)"
)
DURATION_FORMS = "45, 45m, 1h, 1h30, 1.5h, 1,5t, 1:30"
MAX_MINUTES = 24 * 60
FIRST_YEAR, LAST_YEAR = 2000, 2100

_WEEKDAYS = {
    0: ("monday", "mon", "mandag", "man"),
    1: ("tuesday", "tue", "tues", "tirsdag", "tir"),
    2: ("wednesday", "wed", "onsdag", "ons"),
    3: ("thursday", "thu", "thur", "thurs", "torsdag", "tor"),
    4: ("friday", "fri", "fredag", "fre"),
    5: ("saturday", "sat", "lørdag", "lør", "lordag", "lor"),
    6: ("sunday", "sun", "søndag", "søn", "sondag", "son"),
}
WEEKDAY_NAMES = {name: day for day, names in _WEEKDAYS.items() for name in names}
_RELATIVE = {
    "today": 0, "i dag": 0, "idag": 0,
    "tomorrow": 1, "i morgen": 1, "imorgen": 1,
    "yesterday": -1, "i går": -1, "igår": -1, "i gar": -1,
}  # fmt: skip
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\.?")
_ISO_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[t ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")
_SCHOOL_DAYS = re.compile(r"([+-])(\d{1,3})")
# What a refusal may repeat: digits and date punctuation, never letters. Text that does not
# parse may be a pupil code or a summary typed in the wrong place, so it is described instead.
_QUOTABLE = re.compile(r"[0-9 .,:/+-]{1,20}")


def quoted(text: str, instead: str = "that") -> str:
    """`'31.02'` for what may be repeated in a message, else `instead`."""
    return f"'{text.strip()}'" if _QUOTABLE.fullmatch(text.strip()) else instead


def _bad_when(text: str) -> TriageError:
    return TriageError(f"{quoted(text)} is not a date I understand; use {WHEN_FORMS}", "bad_when", text=text)


def _in_window(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise TriageError(
            f"{day.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}",
            "outside_years",
            day=day.isoformat(),
        )


def parse_date(text: str, today: date, calendar: SchoolCalendar, *, past: bool = False) -> date:
    """A date. Weekday names look ahead (the next such day), or back if `past`.

    The caller bounds it: a due date or next step by `check_ahead`, `--at` by `parse_moment`."""
    word = " ".join(text.strip().lower().split())
    if word in _RELATIVE:
        return today + timedelta(days=_RELATIVE[word])
    if word in WEEKDAY_NAMES:
        delta = (WEEKDAY_NAMES[word] - today.weekday()) % 7
        if past:
            return today - timedelta(days=(7 - delta) % 7)
        return today + timedelta(days=delta or 7)
    if m := _SCHOOL_DAYS.fullmatch(word):
        n = int(m[2]) * (1 if m[1] == "+" else -1)
        return calendar.add_school_days(today, n)
    if m := _DAY_MONTH.fullmatch(word):
        # Without a year: the nearest such date (29.02 may be four years away). Never a
        # silent jump of a year: the command then refuses a due date that has passed, or
        # an --at in the future.
        years = [int(m[3])] if m[3] else range(today.year - 4, today.year + 5)
        found = []
        for year in years:
            with suppress(ValueError):
                found.append(date(year, int(m[2]), int(m[1])))
        if not found:
            raise _bad_when(text)
        return min(found, key=lambda day: (abs((day - today).days), (day < today) != past))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            raise _bad_when(text) from None
    raise _bad_when(text)


def parse_moment(text: str, now: datetime, calendar: SchoolCalendar) -> datetime:
    """A moment in the past for `--at`: a WHEN, optionally with a time, or a bare time today.

    A date without a time means now when it is today, and noon on any other day.
    Weekday names mean the most recent such day. A moment in the future is refused.
    """
    word = " ".join(text.strip().lower().split())
    moment: datetime | None = None
    if m := _ISO_MOMENT.fullmatch(word):
        try:
            day = date.fromisoformat(m[1])
            moment = datetime.combine(day, time(int(m[2]), int(m[3]), int(m[4] or 0)))
        except ValueError:
            raise _bad_when(text) from None
    else:
        head, _, tail = word.rpartition(" ")
        clock = _CLOCK.fullmatch(tail)
        if clock and not head and ":" not in tail:
            clock = None  # a lone `16.11` is a date, not a time
        day = parse_date(head, now.date(), calendar, past=True) if clock and head else None
        if clock:
            hour, minute = int(clock[1]), int(clock[2])
            if hour > 23 or minute > 59:
                raise _bad_when(text)
            moment = datetime.combine(day or now.date(), time(hour, minute))
        else:
            day = parse_date(word, now.date(), calendar, past=True)
            moment = now if day == now.date() else datetime.combine(day, time(12))
    _in_window(moment.date())
    if moment > now + timedelta(minutes=1):
        raise TriageError(
            f"'{text}' is in the future; --at records something that already happened", "future", text=text
        )
    return moment.replace(microsecond=0)


def parse_duration(text: str) -> int:
    """Minutes, from 45 / 45m / 1h / 1h30 / 1.5h / 1:30 (t and min work too)."""
    word = text.strip().lower().replace(" ", "").replace(",", ".")
    minutes: float | None = None
    try:
        if m := re.fullmatch(r"(\d+)(?:m|min)?", word):
            minutes = int(m[1])
        elif m := re.fullmatch(r"(\d+(?:\.\d+)?)[ht]", word):
            minutes = float(m[1]) * 60
        elif m := re.fullmatch(r"(\d+)[ht](\d{1,2})(?:m|min)?|(\d+):(\d{2})", word):
            hours, mins = int(m[1] or m[3]), int(m[2] or m[4])
            minutes = hours * 60 + mins if mins < 60 else None
    except ValueError:  # more digits than int() converts: far out of range
        minutes = math.inf
    if minutes is None:
        raise TriageError(
            f"{quoted(text)} is not a duration I understand; use {DURATION_FORMS}", "bad_duration", text=text
        )
    if not (0 < minutes < MAX_MINUTES + 1 and 1 <= round(minutes) <= MAX_MINUTES):  # round(inf) raises
        raise TriageError(
            f"{quoted(text, 'the duration')} is out of range; a duration is 1 minute to 24 hours",
            "duration_range",
        )
    return round(minutes)
