"""The school calendar and the due dates of the urgency classes (DESIGN.md: School days, Urgency classes).

Every expected date below was worked out by hand from a real calendar. Anchors used:
26 Nov 2026 is a Thursday; Easter Sunday is 5 Apr 2026, 28 Mar 2027 and 23 Mar 2008.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage_tui.core.calendar import Break, SchoolCalendar, public_holidays
from triage_tui.core.errors import TriageError
from triage_tui.core.model import due_for

PLAIN = SchoolCalendar()
# The breaks of a typical Norwegian school, spring 2026 to Easter 2027 (all Monday to Friday
# except summer, which runs Saturday to Sunday).
SCHOOL = SchoolCalendar(
    [
        Break(date(2026, 2, 16), date(2026, 2, 20), "winter"),
        Break(date(2026, 3, 30), date(2026, 4, 1), "Easter"),
        Break(date(2026, 6, 20), date(2026, 8, 16), "summer"),
        Break(date(2026, 9, 28), date(2026, 10, 2), "autumn"),
        Break(date(2026, 12, 21), date(2027, 1, 1), "Christmas"),
        Break(date(2027, 2, 22), date(2027, 2, 26), "winter"),
        Break(date(2027, 3, 22), date(2027, 3, 24), "Easter"),
    ]
)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- public holidays -----------------------------------------------------------------------------


def test_public_holidays_2026() -> None:
    assert public_holidays(2026) == {
        d("2026-01-01"),  # New Year (Thursday)
        d("2026-04-02"),  # Maundy Thursday
        d("2026-04-03"),  # Good Friday
        d("2026-04-06"),  # Easter Monday
        d("2026-05-01"),  # Friday
        d("2026-05-14"),  # Ascension Day (Thursday)
        d("2026-05-17"),  # Constitution Day (a Sunday this year)
        d("2026-05-25"),  # Whit Monday
        d("2026-12-25"),  # Friday
        d("2026-12-26"),  # Saturday
    }


def test_public_holidays_2027_whit_monday_is_constitution_day() -> None:
    # Easter 28 March, so Whit Monday (Easter + 50) falls on 17 May: nine distinct days.
    assert public_holidays(2027) == {
        d("2027-01-01"),
        d("2027-03-25"),  # Maundy Thursday
        d("2027-03-26"),  # Good Friday
        d("2027-03-29"),  # Easter Monday
        d("2027-05-01"),
        d("2027-05-06"),  # Ascension Day
        d("2027-05-17"),  # Constitution Day and Whit Monday
        d("2027-12-25"),
        d("2027-12-26"),
    }


def test_public_holidays_2008_ascension_is_may_day() -> None:
    # Easter 23 March 2008: Ascension Day (Easter + 39) fell on 1 May.
    assert public_holidays(2008) == {
        d("2008-01-01"),
        d("2008-03-20"),
        d("2008-03-21"),
        d("2008-03-24"),
        d("2008-05-01"),
        d("2008-05-12"),  # Whit Monday
        d("2008-05-17"),
        d("2008-12-25"),
        d("2008-12-26"),
    }


def test_easter_sunday_and_christmas_eve_are_not_public_holidays() -> None:
    holidays = public_holidays(2026)
    assert d("2026-04-05") not in holidays
    assert d("2026-05-24") not in holidays  # Whit Sunday
    assert d("2026-12-24") not in holidays


# --- is_school_day -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-11-26", True),  # Thursday
        ("2026-11-27", True),  # Friday
        ("2026-11-28", False),  # Saturday
        ("2026-11-29", False),  # Sunday
        ("2026-11-30", True),  # Monday
        ("2026-01-01", False),
        ("2026-01-02", True),  # Friday after New Year
        ("2026-04-01", True),  # Wednesday before Easter
        ("2026-04-02", False),
        ("2026-04-03", False),
        ("2026-04-06", False),
        ("2026-04-07", True),  # Tuesday after Easter Monday
        ("2026-05-01", False),
        ("2026-05-14", False),
        ("2026-05-15", True),  # Friday after Ascension
        ("2026-05-25", False),
        ("2026-05-26", True),
        ("2027-05-17", False),  # a Monday
        ("2027-05-18", True),
        ("2026-12-24", True),  # Christmas Eve is a Thursday, not a public holiday
        ("2026-12-25", False),
    ],
)
def test_is_school_day_without_breaks(day: str, expected: bool) -> None:
    assert PLAIN.is_school_day(d(day)) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-09-25", True),  # Friday before the autumn break
        ("2026-09-28", False),  # first day of the break
        ("2026-09-30", False),
        ("2026-10-02", False),  # last day of the break: the end is inclusive
        ("2026-10-05", True),
        ("2026-03-27", True),  # Friday before the Easter break
        ("2026-03-30", False),
        ("2026-04-01", False),
        ("2026-12-18", True),
        ("2026-12-21", False),
        ("2026-12-24", False),
        ("2026-12-31", False),
        ("2027-01-04", True),
        ("2026-06-19", True),  # last day before summer
        ("2026-07-01", False),
        ("2026-08-17", True),  # first day after summer
        ("2026-11-26", True),  # an ordinary Thursday is untouched by breaks
        ("2026-05-14", False),  # public holidays still count
    ],
)
def test_is_school_day_with_breaks(day: str, expected: bool) -> None:
    assert SCHOOL.is_school_day(d(day)) is expected


# --- next / previous / on_or_after ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (PLAIN, "2026-11-26", "2026-11-27"),  # Thursday -> Friday
        (PLAIN, "2026-11-27", "2026-11-30"),  # Friday -> Monday
        (PLAIN, "2026-11-28", "2026-11-30"),  # Saturday -> Monday
        (PLAIN, "2026-11-29", "2026-11-30"),  # Sunday -> Monday
        (PLAIN, "2026-04-01", "2026-04-07"),  # over Easter
        (PLAIN, "2026-05-13", "2026-05-15"),  # over Ascension Day
        (PLAIN, "2026-05-22", "2026-05-26"),  # over the weekend and Whit Monday
        (PLAIN, "2026-12-24", "2026-12-28"),  # over Christmas
        (SCHOOL, "2026-03-27", "2026-04-07"),  # over the Easter break and Easter
        (SCHOOL, "2026-09-25", "2026-10-05"),  # over the autumn break
        (SCHOOL, "2026-09-30", "2026-10-05"),  # from inside the autumn break
        (SCHOOL, "2026-12-18", "2027-01-04"),  # over Christmas
        (SCHOOL, "2026-06-19", "2026-08-17"),  # over summer
    ],
)
def test_next_school_day(calendar: SchoolCalendar, day: str, expected: str) -> None:
    assert calendar.next_school_day(d(day)) == d(expected)


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (PLAIN, "2026-11-27", "2026-11-26"),
        (PLAIN, "2026-11-30", "2026-11-27"),  # Monday -> Friday
        (PLAIN, "2026-11-29", "2026-11-27"),  # Sunday -> Friday
        (PLAIN, "2026-04-07", "2026-04-01"),  # back over Easter
        (PLAIN, "2026-05-26", "2026-05-22"),
        (SCHOOL, "2026-04-07", "2026-03-27"),  # back over Easter and the Easter break
        (SCHOOL, "2026-10-05", "2026-09-25"),
        (SCHOOL, "2027-01-04", "2026-12-18"),
        (SCHOOL, "2026-08-17", "2026-06-19"),
    ],
)
def test_previous_school_day(calendar: SchoolCalendar, day: str, expected: str) -> None:
    assert calendar.previous_school_day(d(day)) == d(expected)


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (PLAIN, "2026-11-26", "2026-11-26"),  # a school day is its own answer
        (PLAIN, "2026-11-28", "2026-11-30"),
        (PLAIN, "2026-04-02", "2026-04-07"),  # Maundy Thursday
        (PLAIN, "2026-12-24", "2026-12-24"),
        (PLAIN, "2026-12-25", "2026-12-28"),
        (SCHOOL, "2026-09-28", "2026-10-05"),
        (SCHOOL, "2026-12-24", "2027-01-04"),
        (SCHOOL, "2026-10-05", "2026-10-05"),
    ],
)
def test_on_or_after(calendar: SchoolCalendar, day: str, expected: str) -> None:
    assert calendar.on_or_after(d(day)) == d(expected)


def test_a_break_longer_than_a_year_is_a_clear_error() -> None:
    endless = SchoolCalendar([Break(date(2026, 1, 1), date(2027, 12, 31), "wrong")])
    with pytest.raises(TriageError, match="holiday ranges"):
        endless.on_or_after(date(2026, 6, 1))
    with pytest.raises(TriageError, match="holiday ranges"):
        endless.previous_school_day(date(2027, 6, 1))


# --- add_school_days / school_days_between -------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "day", "n", "expected"),
    [
        (PLAIN, "2026-11-26", 0, "2026-11-26"),
        (PLAIN, "2026-11-28", 0, "2026-11-28"),  # 0 is the day itself, even a Saturday
        (PLAIN, "2026-11-26", 1, "2026-11-27"),
        (PLAIN, "2026-11-26", 2, "2026-11-30"),  # over the weekend
        (PLAIN, "2026-11-26", 5, "2026-12-03"),
        (PLAIN, "2026-11-28", 1, "2026-11-30"),
        (PLAIN, "2026-04-01", 1, "2026-04-07"),  # over Easter
        (PLAIN, "2026-04-01", 3, "2026-04-09"),
        (PLAIN, "2026-11-30", -1, "2026-11-27"),
        (PLAIN, "2026-11-30", -5, "2026-11-23"),
        (PLAIN, "2026-11-28", -1, "2026-11-27"),  # Saturday back to Friday
        (PLAIN, "2026-04-07", -1, "2026-04-01"),
        (PLAIN, "2026-04-07", -2, "2026-03-31"),
        (SCHOOL, "2026-04-07", -1, "2026-03-27"),
        (SCHOOL, "2026-04-07", -2, "2026-03-26"),
        (SCHOOL, "2026-09-25", 1, "2026-10-05"),
        (SCHOOL, "2026-09-24", 3, "2026-10-06"),
        (SCHOOL, "2026-10-05", -1, "2026-09-25"),
        (SCHOOL, "2026-12-17", 3, "2027-01-05"),
        (SCHOOL, "2027-01-05", -3, "2026-12-17"),
    ],
)
def test_add_school_days(calendar: SchoolCalendar, day: str, n: int, expected: str) -> None:
    assert calendar.add_school_days(d(day), n) == d(expected)


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        (PLAIN, "2026-11-26", "2026-11-26", 0),
        (PLAIN, "2026-11-27", "2026-11-26", 0),  # end before start
        (PLAIN, "2026-11-26", "2026-11-27", 1),  # the end counts, the start does not
        (PLAIN, "2026-11-26", "2026-11-30", 2),
        (PLAIN, "2026-11-27", "2026-11-30", 1),
        (PLAIN, "2026-11-28", "2026-11-29", 0),
        (PLAIN, "2026-04-01", "2026-04-07", 1),
        (PLAIN, "2026-03-27", "2026-04-10", 7),
        (SCHOOL, "2026-03-27", "2026-04-10", 4),
        (PLAIN, "2026-10-31", "2026-11-30", 21),  # all of November 2026
        (SCHOOL, "2026-08-16", "2026-12-20", 85),  # autumn term: 18 weeks minus the autumn break
        (PLAIN, "2026-12-31", "2027-01-04", 1),  # over New Year (a Friday, a holiday): Monday only
        # All of 2026 (261 weekdays less 8 holidays on weekdays: 1 January, Maundy Thursday,
        # Good Friday, Easter Monday, 1 May, Ascension Day, Whit Monday, 25 December), and
        # Monday 4 January 2027.
        (PLAIN, "2025-12-31", "2027-01-04", 254),
    ],
)
def test_school_days_between(calendar: SchoolCalendar, start: str, end: str, expected: int) -> None:
    assert calendar.school_days_between(d(start), d(end)) == expected


# --- due dates of the urgency classes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "at", "urgency", "later_days", "expected"),
    [
        # Friday morning
        (PLAIN, "2026-11-27T10:00", "now", 5, "2026-11-27"),
        (PLAIN, "2026-11-27T10:00", "tomorrow", 5, "2026-11-30"),
        (PLAIN, "2026-11-27T10:00", "later", 5, "2026-12-04"),
        (PLAIN, "2026-11-27T10:00", "later", 3, "2026-12-02"),
        (PLAIN, "2026-11-27T10:00", "later", 10, "2026-12-11"),
        # Friday 23:59 is still Friday
        (PLAIN, "2026-11-27T23:59", "now", 5, "2026-11-27"),
        (PLAIN, "2026-11-27T23:59", "tomorrow", 5, "2026-11-30"),
        (PLAIN, "2026-11-27T23:59", "later", 5, "2026-12-04"),
        # Thursday 23:59
        (PLAIN, "2026-11-26T23:59", "now", 5, "2026-11-26"),
        (PLAIN, "2026-11-26T23:59", "tomorrow", 5, "2026-11-27"),
        (PLAIN, "2026-11-26T23:59", "later", 5, "2026-12-03"),
        # Saturday: now and tomorrow both mean Monday
        (PLAIN, "2026-11-28T10:00", "now", 5, "2026-11-30"),
        (PLAIN, "2026-11-28T10:00", "tomorrow", 5, "2026-11-30"),
        (PLAIN, "2026-11-28T10:00", "later", 5, "2026-12-04"),
        (PLAIN, "2026-11-28T10:00", "later", 3, "2026-12-02"),
        # Sunday 23:59
        (PLAIN, "2026-11-29T23:59", "now", 5, "2026-11-30"),
        (PLAIN, "2026-11-29T23:59", "tomorrow", 5, "2026-11-30"),
        # Wednesday before Easter, no break configured
        (PLAIN, "2026-04-01T14:00", "now", 5, "2026-04-01"),
        (PLAIN, "2026-04-01T14:00", "tomorrow", 5, "2026-04-07"),
        (PLAIN, "2026-04-01T14:00", "later", 5, "2026-04-13"),
        (PLAIN, "2026-04-01T14:00", "later", 2, "2026-04-08"),
        # Friday before the configured Easter break
        (SCHOOL, "2026-03-27T15:00", "now", 5, "2026-03-27"),
        (SCHOOL, "2026-03-27T15:00", "tomorrow", 5, "2026-04-07"),
        (SCHOOL, "2026-03-27T15:00", "later", 5, "2026-04-13"),
        (SCHOOL, "2026-03-27T15:00", "later", 3, "2026-04-09"),
        # Inside the autumn break
        (SCHOOL, "2026-09-29T10:00", "now", 5, "2026-10-05"),
        (SCHOOL, "2026-09-29T10:00", "tomorrow", 5, "2026-10-05"),
        (SCHOOL, "2026-09-29T10:00", "later", 5, "2026-10-09"),
        (SCHOOL, "2026-09-29T10:00", "later", 1, "2026-10-05"),
        # Christmas Eve, inside the Christmas break, at 23:59
        (SCHOOL, "2026-12-24T23:59", "now", 5, "2027-01-04"),
        (SCHOOL, "2026-12-24T23:59", "tomorrow", 5, "2027-01-04"),
        (SCHOOL, "2026-12-24T23:59", "later", 5, "2027-01-08"),
        # Last school day before Christmas
        (SCHOOL, "2026-12-18T23:59", "now", 5, "2026-12-18"),
        (SCHOOL, "2026-12-18T23:59", "tomorrow", 5, "2027-01-04"),
        (SCHOOL, "2026-12-18T23:59", "later", 5, "2027-01-08"),
    ],
)
def test_due_for(calendar: SchoolCalendar, at: str, urgency: str, later_days: int, expected: str) -> None:
    assert due_for(urgency, datetime.fromisoformat(at), calendar, later_days) == d(expected)


# --- properties ----------------------------------------------------------------------------------

dates = st.dates(date(2000, 1, 1), date(2100, 12, 31))


@st.composite
def calendars(draw: st.DrawFn) -> SchoolCalendar:
    """No breaks, or a few breaks of up to ten weeks anywhere in the century."""
    breaks = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(dates)
        breaks.append(Break(start, start + timedelta(days=draw(st.integers(0, 70)))))
    return SchoolCalendar(breaks)


@given(calendars(), dates, st.integers(1, 60))
def test_add_school_days_lands_on_a_school_day_n_school_days_later(
    calendar: SchoolCalendar, day: date, n: int
) -> None:
    result = calendar.add_school_days(day, n)
    assert calendar.is_school_day(result)
    assert calendar.school_days_between(day, result) == n


@given(calendars(), dates, st.integers(1, 60))
def test_going_back_n_school_days_and_forward_again_gives_on_or_after(
    calendar: SchoolCalendar, day: date, n: int
) -> None:
    back = calendar.add_school_days(day, -n)
    assert back < day
    assert calendar.is_school_day(back)
    assert calendar.add_school_days(back, n) == calendar.on_or_after(day)


@given(calendars(), dates)
def test_next_school_day_skips_only_non_school_days(calendar: SchoolCalendar, day: date) -> None:
    result = calendar.next_school_day(day)
    assert result > day
    assert calendar.is_school_day(result)
    between = (day + timedelta(days=i) for i in range(1, (result - day).days))
    assert not any(calendar.is_school_day(x) for x in between)


@given(calendars(), dates)
def test_previous_school_day_skips_only_non_school_days(calendar: SchoolCalendar, day: date) -> None:
    result = calendar.previous_school_day(day)
    assert result < day
    assert calendar.is_school_day(result)
    between = (result + timedelta(days=i) for i in range(1, (day - result).days))
    assert not any(calendar.is_school_day(x) for x in between)


@given(calendars(), dates)
def test_on_or_after_is_the_first_school_day_from_the_day(calendar: SchoolCalendar, day: date) -> None:
    result = calendar.on_or_after(day)
    assert result >= day
    assert calendar.is_school_day(result)
    assert not any(calendar.is_school_day(day + timedelta(days=i)) for i in range((result - day).days))
    if calendar.is_school_day(day):
        assert result == day


@given(dates)
def test_weekends_and_public_holidays_are_never_school_days(day: date) -> None:
    if day.weekday() >= 5 or day in public_holidays(day.year):
        assert not PLAIN.is_school_day(day)


@given(st.integers(2000, 2100))
def test_public_holidays_follow_easter(year: int) -> None:
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 17), date(year, 12, 25), date(year, 12, 26)}
    holidays = public_holidays(year)
    # Easter Sunday falls between 22 March and 25 April, so Maundy Thursday is 3 days before it.
    (maundy,) = [h for h in holidays if h.weekday() == 3 and date(year, 3, 19) <= h <= date(year, 4, 22)]
    offsets = (0, 1, 4, 42, 53)  # Maundy Thu, Good Fri, Easter Mon, Ascension, Whit Monday
    assert holidays == fixed | {maundy + timedelta(days=k) for k in offsets}
