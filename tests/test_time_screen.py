"""The day's time in the app (T): the entries of a day and its total, stepping days,
correcting and deleting an entry; the timer's form; and correcting time in the caseload."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from test_tui import SIZE, make_app, notices, screen_text, seen_within, settle, shell, typed
from textual.widgets import Input

from triage_tui.caseload import Caseload
from triage_tui.core.errors import TriageError
from triage_tui.i18n import Messages
from triage_tui.present import undo_line
from triage_tui.ui.screens.confirm import Confirm
from triage_tui.ui.screens.day_time import DayTimeScreen
from triage_tui.ui.screens.forms import Form
from triage_tui.ui.screens.help import HelpScreen
from triage_tui.ui.screens.queue import QueueScreen

THURSDAY = datetime(2026, 11, 26, 10, 0)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def logged(folder: Path, clock) -> Caseload:
    """Wed 25.11: #1 1A came in at 09:00, 45 min on it from 10:00 (entry 1).
    Thu 26.11: #2 2B came in at 08:00, 30 min on it from 08:15 with a note (entry 2), and an
    unlinked hour's meeting from 08:45 (entry 3). Now is Thursday 10:00."""
    caseload = shell(folder, clock)
    clock.now = datetime(2026, 11, 25, 9, 0)
    caseload.add("1A", "Wednesday's", urgency="now")
    clock.now = datetime(2026, 11, 25, 12, 0)
    caseload.log(45, "conversation", request_id=1, start=datetime(2026, 11, 25, 10, 0))
    clock.now = datetime(2026, 11, 26, 8, 0)
    caseload.add("2B", "Thursday's", urgency="now")
    clock.now = THURSDAY
    caseload.log(
        30, "conversation", request_id=2, start=datetime(2026, 11, 26, 8, 15), note="talked in the break"
    )
    caseload.log(60, "meeting", start=datetime(2026, 11, 26, 8, 45))
    return caseload


async def open_day_time(pilot) -> None:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DayTimeScreen)


def said(app) -> str:
    """The screen's text with its lines joined, as a wrapped question reads."""
    return " ".join(screen_text(app).replace("█", " ").split())


def rows(app) -> list[str]:
    """The entries' lines on screen, each squeezed to single spaces."""
    lines = [" ".join(line.split()) for line in screen_text(app).splitlines()]
    return [line for line in lines if line[:1].isdigit() and "–" in line]


# -- the day's entries and its total ---------------------------------------------------------


async def test_t_lists_the_days_entries_with_the_days_total(folder, clock, logged) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        shot = screen_text(app)
        assert "Time logged Thu 26.11.2026: 1 h 30, 2 entries" in shot  # 30 min + 1 h
        assert rows(app) == [
            "2 08:15–08:45 30 min conversation #2 2B talked in the break",
            "3 08:45–09:45 1 h 00 meeting",
        ]
        assert "10:00–10:45" not in shot  # Wednesday's
        assert "e Edit" in shot and "d Delete" in shot and "[ Previous day" in shot
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_brackets_step_through_the_days_but_not_past_today(folder, clock, logged) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "Time logged Wed 25.11.2026: 45 min, 1 entry" in screen_text(app)
        assert rows(app) == ["1 10:00–10:45 45 min conversation #1 1A"]
        await pilot.press("left_square_bracket")  # any day, not only school days
        await settle(pilot)
        assert "No time logged Tue 24.11.2026." in screen_text(app)
        assert rows(app) == []
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert "Time logged Thu 26.11.2026: 1 h 30, 2 entries" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "You cannot step past today." in notices(app)
        assert "Time logged Thu 26.11.2026" in screen_text(app)
        # Opened again, it shows today, wherever it was left.
        await pilot.press("left_square_bracket", "escape")
        await open_day_time(pilot)
        assert "Time logged Thu 26.11.2026" in screen_text(app)


async def test_the_days_time_in_norwegian(folder, clock, logged) -> None:
    app = make_app(folder, clock, "nb")
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        shot = screen_text(app)
        assert "Timeliste tor 26.11.2026: 1 t 30 min, 2 tidsføringer" in shot
        assert "1 t" in rows(app)[1] and "møte" in rows(app)[1]
        assert "[ Forrige dag" in shot and "] Neste dag" in shot and "d Slett" in shot


async def test_help_and_the_key_bar_name_the_key_of_the_days_time(folder, clock, logged) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "T Time log" not in said(app)  # 120 columns: no room for it, nor for o Ongoing
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert re.search(r" T +Time log ", screen_text(app))
        await pilot.press("escape")
        await pilot.resize_terminal(160, 36)
        await settle(pilot)
        assert "T Time log" in screen_text(app).splitlines()[-1]


# -- correcting and deleting -------------------------------------------------------------


async def test_e_corrects_the_duration_and_the_note_and_warns_of_an_overlap(folder, clock, logged) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        await pilot.press("e")  # on entry 2, the first of the day
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert "Correct entry 2 (Thu 26.11)" in screen_text(app)
        await pilot.press("tab")  # the duration: typing replaces it
        await typed(pilot, "40")
        await pilot.press("tab", "tab", "tab")  # past the activity and the request, to the note
        await typed(pilot, "and again after lunch")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DayTimeScreen)
        assert "Time logged Thu 26.11.2026: 1 h 40, 2 entries" in screen_text(app)
        assert rows(app)[0] == "2 08:15–08:55 40 min conversation #2 2B and again after lunch"
        # 08:15–08:55 runs into the meeting from 08:45: saved, and said.
        assert "it overlaps other time: entry 3 (Thu 26.11 08:45)" in notices(app)
    entry = {e.id: e for e in shell(folder, clock).recent_entries()}[2]
    assert (entry.start, entry.minutes, entry.activity, entry.request_id, entry.note) == (
        datetime(2026, 11, 26, 8, 15), 40, "conversation", 2, "and again after lunch",
    )  # fmt: skip


async def test_a_start_before_the_request_came_in_is_refused_and_the_form_keeps_it(
    folder, clock, logged
) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        await pilot.press("e")
        await settle(pilot)
        await typed(pilot, "07:30")  # #2 came in at 08:00
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert app.screen.query_one("#start", Input).value == "07:30"
        assert "Not saved: request 2 came in at 2026-11-26 08:00" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DayTimeScreen)
    entry = {e.id: e for e in shell(folder, clock).recent_entries()}[2]
    assert entry.start == datetime(2026, 11, 26, 8, 15)


async def test_an_entry_moved_to_another_day_is_followed_there(folder, clock, logged) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        await pilot.press("down", "e")  # the meeting, unlinked
        await settle(pilot)
        await typed(pilot, "i går 14:00")
        await pilot.press("enter")
        await settle(pilot)
        assert "Time logged Wed 25.11.2026: 1 h 45, 2 entries" in screen_text(app)
        assert rows(app)[1] == "3 14:00–15:00 1 h 00 meeting"
    entry = {e.id: e for e in shell(folder, clock).recent_entries()}[3]
    assert entry.start == datetime(2026, 11, 25, 14, 0)


async def test_d_deletes_an_entry_after_y_and_n_keeps_it(folder, clock, logged) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "Delete 1 h 00 meeting (unlinked), from Thu 26.11 08:45 (entry 3)?" in said(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, DayTimeScreen)
        assert {e.id for e in shell(folder, clock).recent_entries()} == {1, 2, 3}
        await pilot.press("d", "y")
        await settle(pilot)
        assert "Time logged Thu 26.11.2026: 30 min, 1 entry" in screen_text(app)
        assert "Deleted: 1 h 00 meeting (unlinked), from Thu 26.11 08:45 (entry 3)" in notices(app)
    assert {e.id for e in shell(folder, clock).recent_entries()} == {1, 2}


async def test_time_logged_elsewhere_shows_on_the_screen(folder, clock, logged) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_time(pilot)
        shell(folder, clock).log(15, "documentation", note="from the shell")  # 09:45–10:00
        assert await seen_within(pilot, 1.0, lambda: "from the shell" in screen_text(app))
        assert "Time logged Thu 26.11.2026: 1 h 45, 3 entries" in screen_text(app)
        assert rows(app)[2] == "4 09:45–10:00 15 min documentation from the shell"


# -- the timer asks what it is for -------------------------------------------------------------


async def test_the_timer_asks_for_its_activity_and_request_and_may_be_unlinked(folder, clock) -> None:
    caseload = shell(folder, clock)
    caseload.add("1A", "first, now", urgency="now")
    caseload.add("2B", "second, tomorrow", urgency="tomorrow")
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")  # on #1
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert "Start the timer" in screen_text(app)
        assert app.screen.values() == {"activity": "conversation", "request": "1"}
        await pilot.press("g", "tab")  # group
        await typed(pilot, "2")
        await pilot.press("enter")
        await settle(pilot)
        timer = caseload.timer
        assert (timer.request_id, timer.activity, timer.start) == (2, "group", THURSDAY)

        clock.now = datetime(2026, 11, 26, 10, 30)
        await pilot.press("t")  # stopped with one key, then: the next step?
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert caseload.timer is None

        await pilot.press("t")
        await settle(pilot)
        assert app.screen.values() == {"activity": "group", "request": "1"}  # the activity chosen last
        await pilot.press("tab", "backspace", "enter")  # no request
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        timer = caseload.timer
        assert (timer.request_id, timer.activity) == (None, "group")
    (entry,) = caseload.recent_entries()
    assert (entry.request_id, entry.activity, entry.minutes) == (2, "group", 30)


async def test_with_no_request_selected_the_timer_is_for_other_unlinked_time(folder, clock) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.values() == {"activity": "other", "request": ""}
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
    timer = shell(folder, clock).timer
    assert (timer.request_id, timer.activity) == (None, "other")


async def test_the_timer_form_refuses_a_request_that_is_no_number(folder, clock) -> None:
    shell(folder, clock).add("1A", "first, now", urgency="now")
    app = make_app(folder, clock, "nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.values() == {"activity": "conversation", "request": "1"}
        await pilot.press("tab")
        await typed(pilot, "1A")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert "«1A» er ikke et nummer på en henvendelse" in screen_text(app)
    assert shell(folder, clock).timer is None


# -- correcting time, in the caseload ---------------------------------------------------------


def test_a_correction_is_undone_and_the_entry_is_as_it_was(logged) -> None:
    (before,) = [e for e in logged.recent_entries() if e.id == 2]
    edited = logged.edit_time(2, minutes=20, activity="group", request_id=None)
    assert (edited.minutes, edited.activity, edited.request_id) == (20, "group", None)
    what = logged.undoable()
    assert {k: v for k, v in what.items() if k != "record"} == {
        "action": "edit_time", "entry": 2, "minutes": 20, "id": None,
    }  # fmt: skip
    assert undo_line(Messages("en"), what) == "correcting entry 2 to 20 min"
    assert undo_line(Messages("nb"), what) == "rettingen av tidsføring 2 til 20 min"
    assert logged.undo()["action"] == "edit_time"
    (after,) = [e for e in logged.recent_entries() if e.id == 2]
    assert after == before and after.note == "talked in the break"


def test_a_new_note_takes_the_old_one_out_of_every_file_and_cannot_be_undone(logged) -> None:
    folder = logged.store.dir
    logged.store.backup()
    assert any(b"talked in the break" in p.read_bytes() for p in folder.rglob("*") if p.is_file())
    logged.edit_time(2, note="spoke in the break")
    assert not any(b"talked in the break" in p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert [e.note for e in logged.recent_entries() if e.id == 2] == ["spoke in the break"]
    # The records that held the old note are gone: undo goes on with the meeting, logged last.
    assert logged.undoable() == {"action": "log", "entry": 3, "minutes": 60, "id": None, "record": 5}


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({}, "nothing_to_change"),
        ({"minutes": 30, "note": "talked in the break"}, "nothing_to_change"),  # the same again
        ({"minutes": 0}, "duration_range"),
        ({"minutes": 200}, "ends_after_now"),  # 08:15 + 3 h 20 is after 10:00
        ({"activity": "chat"}, None),  # an unknown activity (no key: never from a form)
        ({"request_id": 9}, "no_request"),
        ({"request_id": 1, "start": datetime(2026, 11, 25, 8, 0)}, "time_before_request"),
        ({"note": "x" * 5000}, "too_long_note"),
        ({"start": datetime(2026, 11, 26, 8, 45), "minutes": 60, "activity": "meeting", "request_id": None,
          "note": None}, "double"),  # entry 3 once more
    ],
)  # fmt: skip
def test_a_correction_is_checked_as_logging_is(logged, change: dict, key: str) -> None:
    before = logged.recent_entries()
    with pytest.raises(TriageError) as refused:
        logged.edit_time(2, **change)
    assert refused.value.key == key
    assert logged.recent_entries() == before


def test_only_recent_time_can_be_corrected(logged) -> None:
    with pytest.raises(TriageError, match="there is no recent time entry 9") as refused:
        logged.edit_time(9, minutes=10)
    assert refused.value.key == "no_time_entry"
