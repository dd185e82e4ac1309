"""Contract time, school years and terms, and the review of a school year or a term (issue 12),
each worked out by hand at a fixed clock.

A full position is 37.5 h a week: 2250 minutes, 450 for each working day (a weekday that is
neither a public holiday nor in a break marked `off = true`).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import report_at
from test_review import REVIEWED, W20, record

from triage_tui.caseload import Caseload
from triage_tui.core.calendar import Break, SchoolCalendar
from triage_tui.core.errors import TriageError
from triage_tui.core.review import Week
from triage_tui.core.year import Period, SchoolYear, contract_minutes
from triage_tui.store.config import load_settings


def week_contract(week: Week, calendar: SchoolCalendar | None = None, percent: float = 100) -> int:
    return contract_minutes(week.monday, week.sunday, calendar or SchoolCalendar(), 37.5, percent)


# -- contract time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week", "minutes"),
    [
        # Easter 2026: Mon 30.03 - Sun 05.04; Maundy Thursday 02.04 and Good Friday 03.04 are
        # holidays: 3 working days, 3 × 450.
        (Week(2026, 14), 1350),
        # The week after: Easter Monday 06.04: 4 × 450.
        (Week(2026, 15), 1800),
        # Ascension Day, Thu 14.05.2026: 4 × 450 (17 May is a Sunday that year).
        (Week(2026, 20), 1800),
        # Christmas 2025: Mon 22.12 - Sun 28.12, Christmas Day Thu 25 and Boxing Day Fri 26: 3 × 450.
        (Week(2025, 52), 1350),
        # Christmas 2026: Christmas Day Fri 25.12, Boxing Day on the Saturday: 4 × 450.
        (Week(2026, 52), 1800),
        # New Year 2026 on a Thursday (Mon 29.12.2025 - Sun 04.01.2026): 4 × 450.
        (Week(2026, 1), 1800),
        # 1 May 2026 on a Friday: 4 × 450.
        (Week(2026, 18), 1800),
        # An ordinary week: 5 × 450.
        (Week(2026, 47), 2250),
    ],
)
def test_a_weeks_contract_is_a_fifth_less_for_each_holiday_on_a_weekday(week: Week, minutes: int) -> None:
    assert week_contract(week) == minutes


def test_a_part_time_position_scales_the_week() -> None:
    # 50 %: 18.75 h a week, 225 minutes a working day; Ascension week has 4 of them.
    assert week_contract(Week(2026, 20), percent=50) == 900
    # 80 % of an ordinary week: 30 h.
    assert week_contract(Week(2026, 47), percent=80) == 1800


def test_a_break_marked_off_counts_no_contract_time_and_one_not_off_is_worked() -> None:
    autumn = (date(2026, 10, 5), date(2026, 10, 9))  # Mon - Fri of week 41
    worked = SchoolCalendar([Break(*autumn, "Høstferie")])
    off = SchoolCalendar([Break(*autumn, "Høstferie", off=True)])
    assert week_contract(Week(2026, 41), worked) == 2250  # no pupils, but she works
    assert week_contract(Week(2026, 41), off) == 0
    # A break off from Wednesday 07.10: Monday and Tuesday are worked, 2 × 450.
    partly = SchoolCalendar([Break(date(2026, 10, 7), date(2026, 10, 16), off=True)])
    assert week_contract(Week(2026, 41), partly) == 900
    # A school day either way: the break is no school day, off or not.
    assert not worked.is_school_day(date(2026, 10, 5)) and not off.is_school_day(date(2026, 10, 5))


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder


def test_position_percent_and_off_breaks_are_read_from_the_config(tmp_path: Path, clock) -> None:
    folder = write_config(tmp_path / "data", 'position_percent = 50\n\n[[breaks]]\nname = "Høstferie"\n'
                          "from = 2026-10-05\nto = 2026-10-09\noff = true\n")  # fmt: skip
    settings = load_settings(folder)
    assert settings.position_percent == 50.0 and settings.breaks[0].off is True
    clock.now = datetime(2026, 11, 26, 10, 0)
    caseload = Caseload.open(folder, clock)
    caseload.log(30, "admin", start=datetime(2026, 1, 5, 9, 0))  # recording began in January
    assert caseload.review(Week(2026, 20)).time.contract_minutes == 900  # 4 × 225
    assert caseload.review(Week(2026, 41)).time.contract_minutes == 0
    assert load_settings(write_config(tmp_path / "default", "later_days = 5\n")).position_percent == 100.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("position_percent = 0", "position_percent must be a number above 0 and at most 100"),
        ("position_percent = 101", "position_percent must be a number above 0 and at most 100"),
        ('position_percent = "50"', "position_percent must be a number above 0 and at most 100"),
        ("position_percent = true", "position_percent must be a number above 0 and at most 100"),
        ('[[breaks]]\nfrom = 2026-10-05\nto = 2026-10-09\noff = "yes"', "`off` must be true or false"),
    ],
)
def test_a_wrong_position_or_off_is_a_clear_config_error(tmp_path: Path, text: str, message: str) -> None:
    folder = write_config(tmp_path / "data", text + "\n")
    with pytest.raises(TriageError, match=message) as caught:
        load_settings(folder)
    assert str(folder / "config.toml") in str(caught.value)


def test_a_week_under_way_counts_its_contract_up_to_today(tmp_path: Path, clock) -> None:
    # Wed 20.05.2026 in week 21: Monday to Wednesday, 3 × 450 so far.
    clock.now = datetime(2026, 5, 20, 10, 0)
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.log(90, "meeting", start=datetime(2026, 5, 18, 9, 0))
    spent = caseload.review(Week(2026, 21)).time
    assert (spent.contract_minutes, spent.balance_minutes) == (1350, 90 - 1350)


def test_no_contract_time_counts_before_recording_began(tmp_path: Path, clock) -> None:
    """She starts using the app on Wednesday 20.05.2026: the week owes Wednesday alone (450),
    and so does the school year; nothing before it is time missing."""
    clock.now = datetime(2026, 5, 20, 14, 0)
    caseload = Caseload.open(tmp_path / "data", clock)
    assert [(b.contract_minutes, b.balance_minutes) for b in caseload.balances()] == [(450, -450)] * 2
    caseload.add("7B", "the first request", at=datetime(2026, 5, 20, 9, 0))
    caseload.log(60, "conversation", request_id=1)
    week, year = caseload.balances()
    assert (week.logged_minutes, week.contract_minutes, year.contract_minutes) == (60, 450, 450)
    review = caseload.review(Week(2026, 21)).as_json()
    assert (review["time"]["contract_minutes"], review["year_to_date"]["contract_minutes"]) == (450, 450)
    assert caseload.review(Week(2026, 20)).as_json()["time"]["contract_minutes"] == 0  # before it


# -- school years and terms -----------------------------------------------------------------------


def test_a_school_year_runs_from_august_to_july() -> None:
    year = SchoolYear.parse("2025-26")
    assert (year.first, year.last, str(year)) == (date(2025, 8, 1), date(2026, 7, 31), "2025-26")
    assert SchoolYear.of(date(2026, 7, 31)) == year and SchoolYear.of(date(2026, 8, 1)) == year.step(1)
    assert str(SchoolYear.parse(" 2099-00 ")) == "2099-00"


@pytest.mark.parametrize("text", ["2025-27", "2025", "25-26", "2025/26", "2025-2026", "next", "1999-00", ""])
def test_a_malformed_school_year_is_refused(text: str) -> None:
    with pytest.raises(TriageError, match="write it as 2025-26"):
        SchoolYear.parse(text)


def test_terms_are_august_to_december_and_january_to_july() -> None:
    autumn, spring = Period(SchoolYear(2025), "autumn"), Period(SchoolYear(2025), "spring")
    assert (autumn.first, autumn.last) == (date(2025, 8, 1), date(2025, 12, 31))
    assert (spring.first, spring.last) == (date(2026, 1, 1), date(2026, 7, 31))
    assert autumn.step(1) == spring and spring.step(1) == Period(SchoolYear(2026), "autumn")
    assert autumn.step(-1) == Period(SchoolYear(2024), "spring")
    assert Period.of(date(2026, 3, 2), term=True) == spring and Period.of(date(2026, 3, 2)).term is None
    assert [f"{m:%Y-%m}" for m in autumn.months()] == ["2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]
    assert len(Period(SchoolYear(2025)).months()) == 12
    assert [f"{m:%m}" for m in spring.months(until=date(2026, 3, 2))] == ["01", "02", "03"]


# -- the year so far, over a few scripted weeks ---------------------------------------------------
#
# The school year 2025-26 began on Friday 01.08.2025. Working days up to Friday 22.08: Fri 1,
# Mon 4 - Fri 8, Mon 11 - Fri 15, Mon 18 - Fri 22: 16, so 16 × 450 = 7200 minutes of contract.
# Logged: 60 min on Thu 31.07 (the school year before: not counted), 120 on Fri 01.08, 450 a
# day in week 32 (2250), 600 in week 33, 1500 in week 34: 4470 in the school year.

SUMMER_NOW = datetime(2025, 8, 22, 16, 0)


def scripted_weeks(folder: Path, clock) -> Caseload:
    clock.now = SUMMER_NOW
    caseload = Caseload.open(folder, clock)
    caseload.log(60, "admin", start=datetime(2025, 7, 31, 9, 0))
    caseload.log(120, "documentation", start=datetime(2025, 8, 1, 9, 0))
    for day in range(4, 9):
        caseload.log(450, "conversation", start=datetime(2025, 8, day, 8, 0))
    caseload.log(600, "meeting", start=datetime(2025, 8, 12, 8, 0))
    for day, minutes in ((18, 500), (19, 500), (22, 500)):
        caseload.log(minutes, "group", start=datetime(2025, 8, day, 7, 0))
    return caseload


def test_the_year_so_far_is_logged_against_contract_from_august(tmp_path: Path, clock) -> None:
    caseload = scripted_weeks(tmp_path / "data", clock)
    year = caseload.review(Week(2025, 34)).as_json()["year_to_date"]
    assert year == {"from": "2025-08-01", "to": "2025-08-22", "logged_minutes": 4470,
                    "contract_minutes": 7200, "balance_minutes": 4470 - 7200}  # fmt: skip


def test_the_year_s_balance_is_the_sum_of_its_weeks(tmp_path: Path, clock) -> None:
    caseload = scripted_weeks(tmp_path / "data", clock)
    # Week 31 (Mon 28.07 - Sun 03.08): the school year's part of it is Friday, 120 - 450.
    w31 = caseload.review(Week(2025, 31))
    assert (w31.year_to_date.logged_minutes, w31.year_to_date.balance_minutes) == (120, -330)
    assert w31.time.balance_minutes == 180 - 900  # recording began on Thursday: Thu and Fri owed
    balances = [caseload.review(Week(2025, n)).time.balance_minutes for n in (32, 33, 34)]
    assert balances == [0, 600 - 2250, 1500 - 2250]  # week 34 up to Friday, 5 days
    assert w31.year_to_date.balance_minutes + sum(balances) == 4470 - 7200
    assert caseload.balances()[1].balance_minutes == 4470 - 7200  # the status line's
    assert caseload.balances()[0].balance_minutes == 1500 - 2250


def test_a_summer_break_marked_off_owes_nothing(tmp_path: Path, clock) -> None:
    # The summer break to Fri 15.08, off: only Mon 18 - Fri 22 are worked, 5 × 450.
    write_config(tmp_path / "data", "[[breaks]]\nfrom = 2025-06-20\nto = 2025-08-15\noff = true\n")
    caseload = scripted_weeks(tmp_path / "data", clock)
    year = caseload.review(Week(2025, 34)).year_to_date
    assert (year.contract_minutes, year.balance_minutes) == (2250, 4470 - 2250)


def test_the_store_sums_the_archived_time_as_all_the_data_does(tmp_path: Path) -> None:
    """The status line and the reviews sum a school year's time from the archives' minutes by
    day in the index, or from the archives themselves where the index cannot say: a span
    that cuts a day, an archive rewritten since (a request brought back out of it)."""
    from benchmarks.generate import generate

    now = datetime(2026, 11, 26, 10, 0)
    generate(tmp_path / "data", years=2, seed=3, end=now)
    caseload = Caseload.open(tmp_path / "data", lambda: now)
    _, entries = caseload.store.everything()

    def expected(first: datetime, last: datetime) -> int:
        return sum(e.minutes for e in entries.values() if first <= e.start < last)

    spans = (
        (datetime(2026, 8, 1), now),
        (datetime(2025, 8, 1), datetime(2026, 8, 1)),
        (datetime(2026, 3, 2), datetime(2026, 3, 9)),
        (datetime(2026, 3, 2, 12), datetime(2026, 3, 4)),
    )
    for first, last in spans:
        assert caseload.store.logged_minutes(first, last) == expected(first, last) > 0
    # Whole days came from the index; the span cut at noon read the archives with time that day.
    index = caseload.store.hot.load()["archive_minutes"]
    cut = {month for month, known in index.items() if "2026-03-02" in known["days"]}
    assert set(caseload.store._archived_time) == cut and "2026-03" in cut and len(cut) < len(index) / 4
    # Time logged now lands in the hot data, and is counted once; so does the time of a
    # request brought back out of its archive (to log more on it), which rewrites the archive.
    caseload.log(45, "meeting", start=datetime(2026, 11, 26, 8, 0))
    old = next(r for r in entries.values() if r.request_id and r.start < datetime(2026, 1, 1))
    caseload.log(30, "documentation", request_id=old.request_id, start=datetime(2026, 11, 26, 9, 0))
    year = datetime(2025, 8, 1)
    assert caseload.store.logged_minutes(year, now) == expected(year, now) + 45 + 30
    assert caseload.store.logged_minutes(year, datetime(2026, 1, 1)) == expected(year, datetime(2026, 1, 1))


# -- the review of a school year ------------------------------------------------------------------
#
# A small school year, reviewed on Mon 10.08.2026 (the next school year has begun). In the
# order typed:
# #1 Z0: came in Thu 31.07.2025, the school year before: `later`, due Thu 07.08 (Fri 1, Mon 4 -
#    Thu 7), in this year, missed and slipped; never reached.
# #2 A1: `now`, Fri 01.08.2025 09:00 (due the same day), 30 min group Mon 04.08: target
#    missed by 1 school day; waited 1 school day.
# #3 B2: `tomorrow`, Wed 15.10.2025 (due Thu 16.10), closed (resolved) Thu 16.10 with no time.
# #4 C3: `later`, Mon 05.01.2026 (due Mon 12.01), postponed Fri 09.01 to Fri 16.01 ("sick"),
#    45 min conversation Tue 20.01: slipped on Fri 16.01; waited 11 school days (06.01-20.01).
# #5 D4: `now`, Fri 31.07.2026 23:00: due the same day, not passed by the year's end (pending).
# #6 E5: `now`, Sat 01.08.2026 09:00: the next school year.
# Four requests came in during 2025-26 (#2 - #5): two `now`, one `tomorrow`, one `later`.

YEAR_NOW = datetime(2026, 8, 10, 12, 0)


@pytest.fixture
def small_year(tmp_path: Path, clock) -> Path:
    clock.now = YEAR_NOW
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("Z0", "secret summary zero", at=datetime(2025, 7, 31, 9, 0))
    caseload.add("A1", "secret summary one", urgency="now", at=datetime(2025, 8, 1, 9, 0))
    caseload.log(30, "group", request_id=2, start=datetime(2025, 8, 4, 10, 0))
    caseload.add(
        "B2", "secret summary two", source="teacher", urgency="tomorrow", at=datetime(2025, 10, 15, 9, 0)
    )
    caseload.close(3, "resolved", at=datetime(2025, 10, 16, 12, 0))
    caseload.add("C3", "secret summary three", urgency="later", at=datetime(2026, 1, 5, 9, 0))
    caseload.postpone(4, date(2026, 1, 16), why="sick", at=datetime(2026, 1, 9, 9, 0))
    caseload.log(45, "conversation", request_id=4, start=datetime(2026, 1, 20, 10, 0))
    caseload.add("D4", "secret summary four", urgency="now", at=datetime(2026, 7, 31, 23, 0))
    caseload.add("E5", "secret summary five", urgency="now", at=datetime(2026, 8, 1, 9, 0))
    return tmp_path / "data"


def run_report(folder: Path, capsys, *args: str, now: datetime = YEAR_NOW) -> tuple[int, str, str]:
    return report_at(now, folder, capsys, *args)


def test_a_yearly_report_receives_the_requests_created_in_the_year(small_year: Path, capsys) -> None:
    code, out, _ = run_report(small_year, capsys, "--school-year", "2025-26", "--format", "json")
    assert code == 0
    review = json.loads(out)
    assert (review["school_year"], review["term"], review["from"], review["to"]) == (
        "2025-26", None, "2025-08-01", "2026-07-31"
    )  # fmt: skip
    assert review["as_of"] == "2026-07-31T23:59"  # the year is over
    assert review["received"] == {"now": 2, "tomorrow": 1, "later": 1, "total": 4}
    received = {m["month"]: m["received"] for m in review["months"] if m["received"]}
    assert received == {"2025-08": 1, "2025-10": 1, "2026-01": 1, "2026-07": 1}
    assert len(review["months"]) == 12 and sum(m["received"] for m in review["months"]) == 4
    # A1's target was missed by a day and D4's not passed yet; B2's met by its close; Z0's and
    # C3's (reached 20.01) missed.
    assert review["targets"] == {"now": {"due": 2, "met": 0, "pending": 1},
                                 "tomorrow": {"due": 1, "met": 1, "pending": 0},
                                 "later": {"due": 2, "met": 0, "pending": 0}}  # fmt: skip
    assert [(s["id"], s["due"]) for s in review["slips"]] == [
        (2, "2025-08-01"), (1, "2025-08-07"), (4, "2026-01-16")
    ]  # fmt: skip
    assert review["postponements"][0]["why"] == "sick"
    assert review["closed_without_contact"] == [{"id": 3, "pupil": "B2", "outcome": "resolved"}]
    # Longest first: C3 11 school days (Tue 06.01 - Tue 20.01, no holiday), A1 1, B2 1 (to its
    # close), D4 none (it came in on the year's last day, a Friday night).
    waits = [(w["id"], w["waiting_school_days"], w["contact"], w["outcome"]) for w in review["longest_waits"]]
    assert waits == [
        (4, 11, "2026-01-20", None), (2, 1, "2025-08-04", None), (3, 1, None, "resolved"), (5, 0, None, None)
    ]  # fmt: skip
    assert review["time"]["total_minutes"] == 75
    assert review["year_to_date"]["logged_minutes"] == 75


def test_the_terms_split_the_year(small_year: Path, capsys) -> None:
    counts = {}
    for term in ("autumn", "spring"):
        code, out, _ = run_report(
            small_year, capsys, "--school-year", "2025-26", "--term", term, "--format", "json"
        )
        review = json.loads(out)
        counts[term] = (review["received"]["total"], len(review["months"]), review["time"]["total_minutes"])
    assert counts == {"autumn": (2, 5, 30), "spring": (2, 7, 45)}


def test_the_year_s_contract_and_balance(small_year: Path, capsys) -> None:
    """2025-26 with no breaks: 365 days from Fri 01.08.2025 to Fri 31.07.2026, 52 whole weeks
    (260 weekdays) and Fri 31.07: 261 weekdays, less the public holidays on weekdays (Thu 25.12,
    Fri 26.12, Thu 01.01, Thu 02.04, Fri 03.04, Mon 06.04, Fri 01.05, Thu 14.05, Mon 25.05; 17
    May is a Sunday): 9. 252 × 450 = 113 400 minutes."""
    code, out, _ = run_report(small_year, capsys, "--school-year", "2025-26", "--format", "json")
    time = json.loads(out)["time"]
    assert (time["contract_minutes"], time["balance_minutes"]) == (113400, 75 - 113400)


def test_a_year_under_way_is_measured_so_far_and_term_alone_means_this_year(small_year: Path, capsys) -> None:
    now = datetime(2026, 1, 21, 12, 0)  # Wednesday, in the spring term of 2025-26
    code, out, _ = run_report(small_year, capsys, "--term", "spring", "--format", "json", now=now)
    review = json.loads(out)
    assert (code, review["school_year"], review["as_of"]) == (0, "2025-26", "2026-01-21T12:00")
    # Thu 01.01 is New Year's Day: Fri 2, Mon 5 - Fri 9, 12 - 16, 19 - 21: 14 days, 6300 minutes.
    assert review["time"]["contract_minutes"] == 14 * 450
    assert [m["month"] for m in review["months"]] == ["2026-01"]
    assert review["time"]["total_minutes"] == 45  # C3's, on Tue 20.01


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--school-year", "2025-27"], "write it as 2025-26"),
        (["--school-year", "2025"], "write it as 2025-26"),
        (["--school-year", "twenty"], "that is not a school year"),
        (["--school-year", "2027-28"], "has not begun yet"),
        (["--term", "winter"], "choose from autumn, spring"),
        (["--term", "autumn", "--week", "2026-W10"], "--week cannot go with"),
        (["--school-year", "2025-26", "--week", "2026-W10"], "--week cannot go with"),
    ],
)
def test_bad_periods_are_refused_with_one_line(small_year: Path, capsys, args: list[str], said: str) -> None:
    before = sorted((p.name, p.stat().st_mtime_ns) for p in small_year.iterdir())
    code, out, err = run_report(small_year, capsys, *args)
    assert (code, out) == (2, "")
    assert said in err and len(err.splitlines()) == 1
    assert sorted((p.name, p.stat().st_mtime_ns) for p in small_year.iterdir()) == before


def test_a_spring_term_not_begun_is_refused(small_year: Path, capsys) -> None:
    code, out, err = run_report(small_year, capsys, "--term", "spring", now=datetime(2025, 10, 1, 12, 0))
    assert (code, out) == (2, "") and "spring term of 2025-26 has not begun" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--term", "spring"], "vårhalvåret 2025-26 har ikke begynt ennå"),
        (["--school-year", "2026-27"], "skoleåret 2026-27 har ikke begynt ennå; dette skoleåret er 2025-26"),
        (["--school-year", "2025-27"], "«2025-27» er ikke et skoleår jeg forstår; skriv det som 2025-26"),
        (
            ["--term", "autumn", "--week", "2025-W40"],
            "--week kan ikke brukes sammen med --school-year eller --term: velg én uke eller én periode",
        ),
    ],
)
def test_bad_periods_are_refused_in_norwegian(small_year: Path, capsys, args: list[str], said: str) -> None:
    code, out, err = run_report(small_year, capsys, *args, "--lang", "nb", now=datetime(2025, 10, 1, 12, 0))
    assert (code, out, err) == (2, "", f"triage: {said}\n")


def test_the_yearly_letter_in_both_languages(small_year: Path, capsys) -> None:
    code, out, _ = run_report(small_year, capsys, "--school-year", "2025-26")
    for line in (
        "School year 2025-26 (Fri 01.08.2025 – Fri 31.07.2026)",
        "  • conversation: 45 min (60 %)",  # the activities, the most time first
        "Balance: 1888 h 45 under.",  # 113 400 - 75 minutes
        "  • January 2026: 1 request came in; 0 of 1 targets reached in time; 2 pushed aside; "
        "I logged 45 min of 157 h 30 (156 h 45 under)",  # C3's postponement and slip; 21 × 450
        "4 requests came in: 2 now, 1 tomorrow, 1 later.",
        "0 downgraded, 1 postponed, 3 due dates passed with no contact yet.",
        "  • #4 C3 (later, came in Mon 05.01): reached after 11 school days",
        "  • #3 B2 (tomorrow, came in Wed 15.10): closed without contact after 1 school day (resolved)",
    ):
        assert line in out, line
    code, out, _ = run_report(
        small_year, capsys, "--school-year", "2025-26", "--lang", "nb", "--format", "md"
    )
    for line in (
        "# Skoleåret 2025-26 (fre 01.08.2025 – fre 31.07.2026)",
        "\n## Måned for måned\n",
        "Saldo: minus 1888 t 45 min.",
        "- januar 2026: 1 henvendelse kom inn; 0 av 1 mål nådd i tide; 2 skjøvet til side; "
        "jeg førte 45 min av 157 t 30 min (minus 156 t 45 min)",
        "- #4 C3 (senere, kom inn man 05.01): nådd etter 11 skoledager",
    ):
        assert line in out, line


def test_the_yearly_csv_has_the_weekly_tables_and_its_months(small_year: Path, capsys) -> None:
    code, out, _ = run_report(
        small_year, capsys, "--school-year", "2025-26", "--term", "autumn", "--format", "csv"
    )
    blocks = {block.splitlines()[0]: block.splitlines()[1:] for block in out.strip().split("\n\n")}
    assert "# 2025-26-autumn received" in blocks and "# 2025-26-autumn year_to_date" in blocks
    months = list(csv.DictReader(io.StringIO("\n".join(blocks["# 2025-26-autumn months"]))))
    assert [(m["month"], m["received"], m["logged_minutes"]) for m in months] == [
        ("2025-08", "1", "30"), ("2025-09", "0", "0"), ("2025-10", "1", "0"), ("2025-11", "0", "0"),
        ("2025-12", "0", "0"),
    ]  # fmt: skip


@pytest.mark.parametrize("form", ["text", "md", "json", "csv"])
@pytest.mark.parametrize("lang", ["en", "nb"])
def test_an_anonymised_yearly_report_names_no_pupil(small_year: Path, capsys, form: str, lang: str) -> None:
    args = ("--school-year", "2025-26", "--format", form, "--lang", lang, "--anonymise")
    code, out, _ = run_report(small_year, capsys, *args)
    assert code == 0
    for secret in ("A1", "B2", "C3", "D4", "sick", "secret"):
        assert secret not in out, secret
    assert "P1" in out


# -- the work plan ----------------------------------------------------------------------------------


def test_the_weekly_review_sets_the_plan_beside_the_time(tmp_path: Path, clock) -> None:
    """Week 20 of test_review: 30 min conversation (direct), 45 parent guidance and 60 meeting
    (indirect), 135 in all: direct 22.2 %, indirect 77.8 %, administrative 0 %."""
    write_config(tmp_path / "data", "[plan]\ndirect = 60\nindirect = 25\nadministrative = 15\n")
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    record(caseload, clock, live=False)
    assert caseload.review(W20).as_json()["plan"] == {
        "direct": {"planned_pct": 60.0, "actual_pct": 22.2, "gap_pct": -37.8},
        "indirect": {"planned_pct": 25.0, "actual_pct": 77.8, "gap_pct": 52.8},
        "administrative": {"planned_pct": 15.0, "actual_pct": 0.0, "gap_pct": -15.0},
    }


def test_a_plan_of_single_activities_and_its_letter(tmp_path: Path, clock, capsys) -> None:
    write_config(tmp_path / "data", '[plan]\nconversation = 50\ndocumentation = 30\n"parent-guidance" = 20\n')
    clock.now = REVIEWED
    record(Caseload.open(tmp_path / "data", clock), clock, live=False)
    code, out, _ = run_report(tmp_path / "data", capsys, "--week", "2026-W20", now=REVIEWED)
    assert "\nDID MY TIME FOLLOW THE WORK PLAN?\n" in out
    # conversation 30 of 135 = 22.2 %, parent guidance 45 of 135 = 33.3 %.
    assert "  • conversation: 50 % planned, 22.2 % logged — 27.8 points under the plan" in out
    assert "  • documentation: 30 % planned, 0 % logged — 30 points under the plan" in out
    assert "  • parent guidance: 20 % planned, 33.3 % logged — 13.3 points over the plan" in out
    code, out, _ = run_report(tmp_path / "data", capsys, "--week", "2026-W20", "--lang", "nb", now=REVIEWED)
    assert "  • samtale: 50 % planlagt, 22,2 % ført — 27,8 prosentpoeng under planen" in out


def test_without_a_plan_the_json_plan_is_empty(tmp_path: Path, clock) -> None:
    clock.now = REVIEWED
    assert Caseload.open(tmp_path / "data", clock).review(W20).as_json()["plan"] == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plan]\ndirect = 60\nindirect = 30", "shares add up to 90 %; they must add up to 100"),
        ("[plan]\ndirect = 60\nmeeting = 40", "either direct, indirect, administrative or single activities"),
        ("[plan]\npupils = 100", "[plan] has no pupils"),
        ("[plan]\ndirect = -10\nindirect = 110", "[plan] direct must be a share in percent from 0 to 100"),
        ('[plan]\ndirect = "all"', "[plan] direct must be a share in percent from 0 to 100"),
        ("plan = 100", "plan must be a table of shares in percent"),
    ],
)
def test_a_plan_that_does_not_add_up_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    folder = write_config(tmp_path / "data", text + "\n")
    with pytest.raises(TriageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(folder)


def test_reading_only_what_a_period_needs_gives_the_full_answer(tmp_path: Path) -> None:
    """The store reads the archives a school year or term can touch; check it against all data."""
    from benchmarks.generate import generate
    from triage_tui.core.review import period_review

    now = datetime(2026, 11, 26, 10, 0)
    generate(tmp_path / "data", years=2, seed=3, end=now)
    caseload = Caseload.open(tmp_path / "data", lambda: now)
    requests, entries = caseload.store.everything()
    for period in (Period(SchoolYear(2025)), Period(SchoolYear(2025), "spring"), Period(SchoolYear(2026))):
        full = period_review(period, requests.values(), entries.values(), now, caseload.calendar, 37.5)
        assert caseload.period_review(period).as_json() == full.as_json(), str(period)


def test_a_period_s_review_works_with_automatic_garbage_collection_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It builds tens of thousands of objects that form no cycles; the collector walking them
    again and again was a tenth of a school year's report. Paused only while it works, and a
    pause begun elsewhere (another thread's review) is not ended by it."""
    import gc

    from triage_tui.core import review

    now = datetime(2026, 11, 26, 10, 0)
    caseload = Caseload.open(tmp_path / "data", lambda: now)
    caseload.add("AB", "Sover i timen")
    during: list[bool] = []

    def worked_out(*args, **kwargs):
        during.append(gc.isenabled())
        return real(*args, **kwargs)

    real = review.period_review
    monkeypatch.setattr(review, "period_review", worked_out)
    assert gc.isenabled()
    assert caseload.period_review(Period(SchoolYear(2026))).received == {"now": 0, "tomorrow": 0, "later": 1}
    assert (during, gc.isenabled()) == ([False], True)
    monkeypatch.setattr(review, "period_review", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        caseload.period_review(Period(SchoolYear(2026)))
    assert gc.isenabled()  # even when the review fails
    gc.disable()
    try:
        monkeypatch.setattr(review, "period_review", worked_out)
        caseload.period_review(Period(SchoolYear(2026)))
        assert (during[-1], gc.isenabled()) == (False, False)  # left for whoever paused it
    finally:
        gc.enable()


# -- the review screen: week, term, school year ---------------------------------------------------


async def test_the_review_steps_from_the_week_to_its_term_and_school_year(small_year: Path, clock) -> None:
    from test_tui import SIZE, make_app, open_review, screen_text, settle

    from triage_tui.ui.keys import key_of

    clock.now = datetime(2026, 1, 21, 12, 0)  # a Wednesday of the spring term of 2025-26
    app = make_app(small_year, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_review(pilot)
        assert "Week 4, 2026" in screen_text(app)
        assert key_of(app.screen, "period") == "p"
        await pilot.press("p")
        await settle(pilot)
        shot = screen_text(app)
        assert "Spring term 2025-26 — Thu 01.01.2026 to Fri 31.07.2026" in shot
        assert "Month by month" in shot and "[ Previous term" in shot and "] Next term" in shot
        assert "School year to date: 1 h 15 of" in shot  # the autumn's 30 min and C3's 45
        await pilot.press("right_square_bracket")  # the autumn term of 2026 has not begun
        await settle(pilot)
        assert "Spring term 2025-26" in screen_text(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "Autumn term 2025-26 — Fri 01.08.2025 to Wed 31.12.2025" in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        shot = screen_text(app)
        assert "School year 2025-26 — Fri 01.08.2025 to Fri 31.07.2026" in shot
        assert "[ Previous year" in shot and "waited long" in shot  # C3, among those who waited longest
        await pilot.press("question_mark")
        await settle(pilot)
        assert "p steps from the week to its term" in screen_text(app)
        await pilot.press("escape", "p")
        await settle(pilot)
        shot = screen_text(app)
        assert "Week 4, 2026" in shot and "[ Previous week" in shot


async def test_the_status_line_keeps_the_week_s_and_the_year_s_balance_in_sight(
    tmp_path: Path, clock
) -> None:
    from test_tui import SIZE, make_app, screen_text, settle

    scripted_weeks(tmp_path / "data", clock)  # week 34: 1500 - 2250; the year: 4470 - 7200
    app = make_app(tmp_path / "data", clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "balance −12 h 30 · year −45 h 30" in screen_text(app)
    app = make_app(tmp_path / "data", clock, "nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "saldo −12 t 30 min · år −45 t 30 min" in screen_text(app)


def test_a_damaged_archive_is_said_when_the_year_is_summed(tmp_path: Path) -> None:
    from benchmarks.generate import generate
    from triage_tui.store import StoreError

    now = datetime(2026, 11, 26, 10, 0)
    generate(tmp_path / "data", years=1, seed=3, end=now)
    caseload = Caseload.open(tmp_path / "data", lambda: now)
    month = next(m for m in caseload.store.archive_months() if m >= "2026-08")
    path = caseload.store.archive_file(month).path
    path.write_bytes(path.read_bytes()[:-40])  # cut short
    with pytest.raises(StoreError, match=path.name):
        caseload.balances()


async def test_the_review_screen_sets_the_plan_beside_the_time(tmp_path: Path, clock) -> None:
    from test_tui import SIZE, make_app, open_review, screen_text, settle

    write_config(tmp_path / "data", "[plan]\ndirect = 60\nindirect = 25\nadministrative = 15\n")
    clock.now = REVIEWED
    record(Caseload.open(tmp_path / "data", clock), clock, live=False)
    app = make_app(tmp_path / "data", clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_review(pilot)
        await pilot.press("left_square_bracket")  # week 20: 22.2 % direct, 77.8 % indirect
        await settle(pilot)
        shot = screen_text(app)
        assert "direct work with pupils: 22.2 % (planned 60 %, −37.8)" in shot
        assert "indirect work: 77.8 % (planned 25 %, +52.8)" in shot
        assert "Balance 27 h 45 under" in shot
