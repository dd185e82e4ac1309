"""The forecast (core/forecast.py) on a small history worked out by hand.

This week is 2026-W48, Mon 23.11 – Sun 29.11, five school days (no breaks configured). The
history is the eight weeks before it: Mon 28.09 00:00 up to Mon 23.11 00:00. October is
recorded first, on Mon 26.10 (so the requests closed then are in the archives once November
is written), the week under way on Thu 26.11.

#1 A1 `now` Mon 05.10: 30 min Mon 05.10 (first contact), 20 min Wed 07.10, closed Wed 07.10.
#2 B2 `tomorrow` Tue 06.10 09:00, made `now` 10:00, 50 min 11:00 (first contact, while `now`),
   closed 13:00.
#3 C3 `later` Mon 12.10: 25 min Thu 15.10 (first contact), 40 min Fri 16.10, 10 min Mon 19.10;
   30 min Mon 23.11 (this week) with its next step Thu 26.11.
#4 D4 `later` Mon 12.10, closed (no action) Tue 13.10 with no time: adds nothing.
#5 E5 `later` Mon 21.09: 60 min Mon 21.09 (first contact, before the history), 30 min Mon
   28.09 (in it), closed Mon 28.09 12:00 (in it).
#6 F6 `now` Wed 25.11 (due Wed 25.11: overdue), #7 G7 `tomorrow` Thu 26.11 08:00 (due Fri
   27.11), #8 H8 `later` Thu 26.11 08:30 (due Thu 03.12: next week), #9 I9 `later` Mon 16.11
   (due Mon 23.11: overdue), #10 J10 `now` Tue 24.11, 20 min then, next step Tue 01.12.

Medians, in minutes:
  first contact  now [30 (#1), 50 (#2)] → 40; tomorrow none; later [25 (#3)] → 25;
                 all [25, 30, 50] → 30
  to a close     now [50 (#1: 30 + 20), 50 (#2)] → 50; tomorrow none; later [90 (#5: 60 + 30)]
                 → 90; all [50, 50, 90] → 50 (#4 had no time: left out)
  follow-up      [20 (#1), 40, 10 (#3), 30 (#5)] → (20 + 30) / 2 = 25 (#3's 30 min this week:
  contact        not in the history)

This week's work on Thu 26.11 10:00, in queue order: Now lane #6 (new, now) 40, #9 (new,
later) 25, #3 (follow-up, next step today) 25; Tomorrow lane #7 (new, tomorrow: no history,
so the median of all, 30). #8 and #10 are due next week. Demand 40 + 25 + 25 + 30 = 120.
Time left: of today's 7 h 30 (08:00–15:30), 5 h 30 = 330 min; Friday 450: 780. All fits.

On Fri 27.11 14:00 the Now lane is #6 (now), #7 (tomorrow, due today), #9 (later), then #3:
running sums 40, 70, 95, 120 against 1 h 30 of today = 90 min: #9 and #3 may slip.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from test_tui import make_app, notices, screen_text, settle
from textual.widgets import DataTable, Static

from triage_tui.caseload import Caseload
from triage_tui.core.calendar import Break, SchoolCalendar
from triage_tui.core.forecast import time_left
from triage_tui.core.review import Week, anonymise
from triage_tui.i18n import Messages
from triage_tui.present import forecast_basis, forecast_lines, forecast_status, forecast_verdict
from triage_tui.report import letter

THURSDAY = datetime(2026, 11, 26, 10, 0)
FRIDAY = datetime(2026, 11, 27, 14, 0)


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-{text}")


def record_history(caseload: Caseload, clock) -> None:
    clock.now = datetime(2026, 10, 26, 12, 0)
    caseload.add("A1", "one", urgency="now", at=at("10-05T09:00"))
    caseload.log(30, "conversation", request_id=1, start=at("10-05T10:00"))
    caseload.log(20, "conversation", request_id=1, start=at("10-07T10:00"))
    caseload.close(1, at=at("10-07T12:00"))
    caseload.add("B2", "two", urgency="tomorrow", at=at("10-06T09:00"))
    caseload.classify(2, "now", at=at("10-06T10:00"))
    caseload.log(50, "conversation", request_id=2, start=at("10-06T11:00"))
    caseload.close(2, at=at("10-06T13:00"))
    caseload.add("C3", "three", urgency="later", at=at("10-12T09:00"))
    caseload.log(25, "conversation", request_id=3, start=at("10-15T09:00"))
    caseload.log(40, "conversation", request_id=3, start=at("10-16T09:00"))
    caseload.log(10, "conversation", request_id=3, start=at("10-19T09:00"))
    caseload.add("D4", "four", urgency="later", at=at("10-12T09:30"))
    caseload.close(4, "no-action", at=at("10-13T09:00"))
    caseload.add("E5", "five", urgency="later", at=at("09-21T09:00"))
    caseload.log(60, "conversation", request_id=5, start=at("09-21T10:00"))
    caseload.log(30, "conversation", request_id=5, start=at("09-28T09:00"))
    caseload.close(5, at=at("09-28T12:00"))


def record_this_week(caseload: Caseload, clock) -> None:
    clock.now = THURSDAY
    caseload.log(30, "conversation", request_id=3, start=at("11-23T09:00"), next_step=date(2026, 11, 26))
    caseload.add("F6", "six", urgency="now", at=at("11-25T09:00"))
    caseload.add("G7", "seven", urgency="tomorrow", at=at("11-26T08:00"))
    caseload.add("H8", "eight", urgency="later", at=at("11-26T08:30"))
    caseload.add("I9", "nine", urgency="later", at=at("11-16T09:00"))
    caseload.add("J10", "ten", urgency="now", at=at("11-24T09:00"))
    caseload.log(20, "conversation", request_id=10, start=at("11-24T10:00"), next_step=date(2026, 12, 1))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def caseload(folder: Path, clock) -> Caseload:
    caseload = Caseload.open(folder, clock)
    record_history(caseload, clock)
    record_this_week(caseload, clock)
    return caseload


def test_the_closed_october_requests_are_read_from_the_archives(caseload: Caseload) -> None:
    """The first write of November moved what closed in October out of the hot data: the
    forecast below reads them from the archives."""
    hot = caseload.store.snapshot()[0]
    assert {1, 2, 4, 5}.isdisjoint(hot) and caseload.store.archive_months()


def test_the_medians_of_the_eight_weeks_before_this_one(caseload: Caseload) -> None:
    basis = caseload.review(Week(2026, 48)).as_json()["forecast"]["basis"]
    assert basis == {
        "from": "2026-09-28",
        "to": "2026-11-22",
        "weeks": 8,
        "first_contact": {
            "now": {"count": 2, "median_minutes": 40},
            "tomorrow": {"count": 0, "median_minutes": None},
            "later": {"count": 1, "median_minutes": 25},
            "all": {"count": 3, "median_minutes": 30},
        },
        "close": {
            "now": {"count": 2, "median_minutes": 50},
            "tomorrow": {"count": 0, "median_minutes": None},
            "later": {"count": 1, "median_minutes": 90},
            "all": {"count": 3, "median_minutes": 50},
        },
        "follow_up_contact": {"count": 4, "median_minutes": 25},
    }


def test_this_week_s_work_in_queue_order_against_the_time_left(caseload: Caseload) -> None:
    forecast = caseload.review(Week(2026, 48)).as_json()["forecast"]
    assert forecast["demand_minutes"] == 120
    assert forecast["minutes_left"] == 780
    assert forecast["at_risk"] == []
    assert forecast["last_day"] == "2026-11-27"
    assert [(need["id"], need["kind"], need["minutes"]) for need in forecast["queue"]] == [
        (6, "now", 40),
        (9, "later", 25),
        (3, "follow_up", 25),
        (7, "tomorrow", 30),
    ]
    assert forecast["demand"] == [
        {"kind": "now", "requests": 1, "minutes_each": 40, "minutes": 40, "fallback": False},
        {"kind": "tomorrow", "requests": 1, "minutes_each": 30, "minutes": 30, "fallback": True},
        {"kind": "later", "requests": 1, "minutes_each": 25, "minutes": 25, "fallback": False},
        {"kind": "follow_up", "requests": 1, "minutes_each": 25, "minutes": 25, "fallback": False},
    ]
    assert forecast["time_left"] == {
        "minutes": 780,
        "day_minutes": 450,
        "working_days_after_today": 1,
        "today_minutes": 330,
    }


def test_what_goes_over_the_time_left_may_slip_in_queue_order(caseload: Caseload, clock) -> None:
    clock.now = FRIDAY
    forecast = caseload.day_queue(forecast=True).forecast
    assert forecast is not None
    assert [need.id for need in forecast.queue] == [6, 7, 9, 3]
    assert (forecast.demand_minutes, forecast.minutes_left) == (120, 90)
    assert forecast.at_risk == (9, 3)
    # The same work seen at 15:30 on Friday: no time left, all of it may slip.
    later = forecast.with_time_left(time_left(datetime(2026, 11, 27, 15, 30), caseload.calendar))
    assert (later.minutes_left, later.at_risk) == (0, (6, 7, 9, 3))


def test_a_past_week_has_no_forecast(caseload: Caseload) -> None:
    assert caseload.review(Week(2026, 47)).as_json()["forecast"] is None


def test_with_no_history_there_is_no_forecast(folder: Path, clock) -> None:
    caseload = Caseload.open(folder, clock)
    record_this_week_without_history(caseload, clock)
    assert caseload.day_queue(forecast=True).forecast is None
    review = caseload.review(Week(2026, 48))
    assert review.as_json()["forecast"] is None
    text = letter(review, Messages("en"))
    assert "WILL I GET THROUGH THIS WEEK'S WORK?" in text
    assert "No forecast yet: no request had a first contact in the last 8 weeks" in text


def record_this_week_without_history(caseload: Caseload, clock) -> None:
    clock.now = THURSDAY
    caseload.add("F6", "six", urgency="now", at=at("11-25T09:00"))
    caseload.log(20, "conversation", request_id=1, start=at("11-25T10:00"))


def test_time_logged_afterwards_in_the_history_changes_the_medians(caseload: Caseload, clock) -> None:
    """The medians are cached, and worked out again when the data changes: one more
    follow-up contact of 60 min makes them [10, 20, 30, 40, 60], median 30."""
    assert caseload.day_queue(forecast=True).forecast.basis.follow_up_contact.median_minutes == 25
    caseload.log(60, "conversation", request_id=3, start=at("10-20T09:00"))
    basis = caseload.day_queue(forecast=True).forecast.basis
    assert (basis.follow_up_contact.count, basis.follow_up_contact.median_minutes) == (5, 30)


def test_the_time_left_counts_working_days_and_what_is_left_of_today() -> None:
    """Week 48 with Friday off (a break marked off), at 80 %: a day is 37.5 h × 0.8 / 5 = 6 h
    = 360 min. Wednesday 12:00: 3 h 30 of 08:00–15:30 left = 360 × 3.5 / 7.5 = 168; Thursday
    360. Before 08:00 today counts whole, after 15:30 not at all."""
    calendar = SchoolCalendar([Break(date(2026, 11, 27), date(2026, 11, 27), "off", off=True)])
    left = time_left(datetime(2026, 11, 25, 12, 0), calendar, position_percent=80)
    assert (left.minutes, left.day_minutes, left.working_days_after_today, left.today_minutes) == (
        528,
        360,
        1,
        168,
    )
    assert time_left(datetime(2026, 11, 25, 7, 0), calendar, position_percent=80).minutes == 720
    assert time_left(datetime(2026, 11, 26, 16, 0), calendar, position_percent=80).minutes == 0
    # Given the week's contract minutes (four working days here), a day is an even share.
    assert time_left(datetime(2026, 11, 26, 16, 0), calendar, week_minutes=1200).day_minutes == 300


@pytest.mark.parametrize(
    ("language", "thursday", "friday"),
    [
        ("en", "this week ~2 h 00 of 13 h 00 left", "this week ~2 h 00 of 1 h 30 left; 2 may slip"),
        ("nb", "denne uka ~2 t av 13 t igjen", "denne uka ~2 t av 1 t 30 min igjen; 2 kan bli liggende"),
    ],
)
def test_the_status_line_s_words(
    caseload: Caseload, clock, language: str, thursday: str, friday: str
) -> None:
    t = Messages(language)
    assert forecast_status(t, caseload.day_queue(forecast=True).forecast) == thursday
    clock.now = FRIDAY
    assert forecast_status(t, caseload.day_queue(forecast=True).forecast) == friday


def test_how_it_was_worked_out_in_both_languages(caseload: Caseload, clock) -> None:
    clock.now = FRIDAY
    forecast = caseload.day_queue(forecast=True).forecast
    en, nb = Messages("en"), Messages("nb")
    assert forecast_lines(en, forecast) == [
        "Due by Fri 27.11: ~2 h 00 of work on 4 requests, and 1 h 30 of contract time left.",
        "The work: 1 new (now) × 40 min, 1 new (tomorrow) × 30 min (the median of all urgencies), "
        "1 new (later) × 25 min, 1 follow-up × 25 min.",
        "The time: 1 h 30 left of today, the week's last working day.",
    ]
    assert forecast_verdict(en, forecast) == "At this pace 2 requests may slip:"
    assert forecast_basis(nb, forecast.basis) == [
        "Medianene (av hvor mange), fra de 8 ukene man 28.09 – søn 22.11:",
        "første kontakt: nå 40 min (2), i morgen – (0), senere 25 min (1), alle 30 min (3)",
        "en henvendelse til den er lukket: nå 50 min (2), i morgen – (0), senere 1 t 30 min (1), "
        "alle 50 min (3)",
        "en oppfølgingskontakt: 25 min (4)",
    ]
    assert forecast_lines(nb, forecast)[0] == (
        "Med frist innen fre 27.11: ~2 t arbeid på 4 henvendelser, og 1 t 30 min avtalt arbeidstid igjen."
    )
    assert forecast_verdict(nb, forecast) == "I dette tempoet kan 2 henvendelser bli liggende:"


def test_the_letter_names_what_may_slip(caseload: Caseload, clock) -> None:
    clock.now = FRIDAY
    text = letter(caseload.review(Week(2026, 48)), Messages("en"))
    part = text[text.index("WILL I GET THROUGH THIS WEEK'S WORK?") :]
    assert "At this pace 2 requests may slip:\n  • #9 I9 (later)\n  • #3 C3 (later)\n" in part
    assert "  • a follow-up contact: 25 min (4)" in part


def test_an_anonymised_letter_names_what_may_slip_by_alias(caseload: Caseload, clock) -> None:
    clock.now = FRIDAY
    text = letter(anonymise(caseload.review(Week(2026, 48))), Messages("en"))
    part = text[text.index("WILL I GET THROUGH THIS WEEK'S WORK?") :]
    assert "\n  • #9 P" in part and "\n  • #3 P" in part
    assert "I9" not in part and "C3" not in part


@pytest.mark.parametrize(
    ("size", "forecast", "counts"),
    [
        ((200, 50), "this week ~2 h 00 of 1 h 30 left; 2 may slip", True),
        ((80, 24), "week ~2 h 00/1 h 30; 2 may slip", False),
    ],
)
async def test_the_status_line_gives_way_to_fit(
    folder: Path, clock, caseload, size, forecast, counts
) -> None:
    """Too long for the screen, the lane counts give way first (the lanes' titles say them),
    then the forecast's long form for its short one, and more (widgets/status.py)."""
    clock.now = FRIDAY
    app = make_app(folder, clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        shown = next(row for row in screen_text(app).splitlines() if "may slip" in row).rstrip()
        assert len(shown) <= size[0] - 1  # the bar's padding
        assert f"  ·  {forecast}" in shown
        assert ("now 4 · tomorrow 0 · later 2 · ongoing 0" in shown) is counts


async def test_the_status_line_s_forecast_follows_an_action(folder: Path, clock, caseload) -> None:
    """Closing #6 (new, in Now: ~40 min) leaves 30 + 25 + 25 = 80 min of work for the 90 min
    left on Friday at 14:00, so nothing may slip any more. The status bar works the forecast
    out after the frame that shows the queue (widgets/status.py)."""
    clock.now = FRIDAY
    app = make_app(folder, clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert app.screen.selected_id == 6
        assert "  ·  this week ~2 h 00 of 1 h 30 left; 2 may slip  ·  " in screen_text(app)
        await pilot.press("d", "enter")
        await settle(pilot)
        assert "now 3 · tomorrow 0 · later 2" in screen_text(app)
        assert "  ·  this week ~1 h 20 of 1 h 30 left  ·  " in screen_text(app)


async def test_a_forecast_that_cannot_be_read_is_taken_away_and_said(folder: Path, clock, caseload) -> None:
    """The queue was read, but not the archives the forecast needs (changed while being read,
    say): the forecast read for the queue before does not stay beside the new one unsaid."""
    from triage_tui.store import StoreError

    clock.now = FRIDAY
    app = make_app(folder, clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert "this week ~2 h 00 of 1 h 30 left; 2 may slip" in screen_text(app)

        def cannot(queue: object) -> None:
            raise StoreError("history-2026-10.json kept changing while being read")

        app.caseload.forecast_for = cannot
        for _ in range(2):
            await pilot.press("d", "enter")
            await settle(pilot)
        shot = screen_text(app)
        assert "now 2 · tomorrow 0 · later 2" in shot
        assert "this week ~" not in shot and "balance" not in shot
        said = "The data cannot be read: history-2026-10.json kept changing while being read"
        assert notices(app).count(said) == 1  # two actions, said once


async def test_the_review_shows_the_forecast_and_lists_what_may_slip(folder: Path, clock, caseload) -> None:
    clock.now = FRIDAY
    app = make_app(folder, clock, "nb")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        shot = screen_text(app)
        assert "Rekker jeg det som står igjen denne uka? Med frist innen fre 27.11" in shot
        assert "I dette tempoet kan 2 henvendelser bli liggende: #9, #3" in shot
        assert "Medianene (av hvor mange), fra de 8 ukene man 28.09 – søn 22.11: første kontakt" in shot
        table = app.screen.query_one("#review-requests", DataTable)
        rows = [table.get_row_at(n) for n in range(table.row_count)]
        slipping = [
            (str(row[1]), str(row[2]), str(row[5])) for row in rows if str(row[0]) == "kan bli liggende"
        ]
        assert slipping == [("9", "I9", "trenger ~25 min"), ("3", "C3", "trenger ~25 min")]


async def test_below_30_rows_the_review_gives_the_forecast_in_one_line(folder: Path, clock, caseload) -> None:
    clock.now = FRIDAY
    app = make_app(folder, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        brief = app.screen.query_one("#review-forecast-brief", Static)
        assert brief.display and not app.screen.query_one("#review-forecast", Static).display
        assert str(brief.render()) == "this week ~2 h 00 of 1 h 30 left; 2 may slip"
        assert "Will I get through" not in screen_text(app)


async def test_a_past_week_s_review_shows_no_forecast(folder: Path, clock, caseload) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "Will I get through" in screen_text(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "Will I get through" not in screen_text(app)
