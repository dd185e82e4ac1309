"""Who is next: the queue's four lanes, next steps and a pupil's story, through Pilot, at a
fixed clock (Thursday 26.11.2026 10:00; Fri 27.11 is the next school day, Mon 30.11 the one
after the weekend)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from test_tui import lane_ids, make_app, notices, screen_text, settle, shell, typed

from triage_tui.caseload import Caseload
from triage_tui.ui.screens.detail import RequestScreen
from triage_tui.ui.screens.forms import Form
from triage_tui.ui.screens.pupil import PupilScreen
from triage_tui.ui.screens.queue import QueueScreen

THURSDAY = datetime(2026, 11, 26, 10, 0)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def day(folder: Path, clock) -> Caseload:
    """#1 seen on Monday, next step today; #2 new today; #3 seen on Monday, no next step;
    #4 new on Monday, class later (due Mon 30.11)."""
    caseload = shell(folder, clock)
    clock.now = datetime(2026, 11, 23, 9, 0)  # Monday
    caseload.add("1A", "seen Monday, again today", urgency="now")
    caseload.add("3C", "seen Monday, nothing planned", urgency="tomorrow")
    caseload.add("4D", "came in Monday", urgency="later")
    clock.now = datetime(2026, 11, 23, 9, 30)
    caseload.log(20, "conversation", request_id=1, next_step=date(2026, 11, 26))
    caseload.log(15, "conversation", request_id=2)
    clock.now = THURSDAY
    caseload.add("2B", "new today", urgency="now", at=THURSDAY - timedelta(hours=1))  # #4
    return caseload


async def test_the_lane_with_focus_stands_out_in_every_theme(folder, clock, day) -> None:
    """Its border and cursor are brighter (drawn by the lane, not with CSS `:focus`: see
    LaneTable.watch_has_focus); both follow the focus, and a theme picked later."""
    from textual.color import Color

    from triage_tui.ui.widgets.lane import LaneTable

    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        now, later = (app.screen.query_one(f"#table-{lane}", LaneTable) for lane in ("now", "later"))

        def border(lane: LaneTable) -> Color:
            return lane.styles.border_top[1]

        def cursor(lane: LaneTable) -> object:  # a Rich colour
            return next(iter(lane.render_line(1 + lane.cursor_row))).style.bgcolor

        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await settle(pilot)
            primary = Color.parse(app.current_theme.primary)
            assert now.has_focus and border(now) == primary and border(later) == primary.multiply_alpha(0.4)
            before = cursor(now), cursor(later)
            assert before[0] != before[1]
            await pilot.press("tab")  # to Later (Tomorrow is empty)
            await settle(pilot)
            assert later.has_focus and border(later) == primary and border(now) == primary.multiply_alpha(0.4)
            assert (cursor(now), cursor(later)) == before[::-1]
            await pilot.press("shift+tab")
            await settle(pilot)


async def test_new_requests_come_first_and_the_preview_says_why(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert [lane_ids(app, lane) for lane in ("now", "tomorrow", "later", "ongoing")] == [
            [4, 1],
            [],
            [3],
            [],
        ]
        shot = screen_text(app)
        assert "New, no contact yet · due Thu 26.11 (now) · waited 0 school days" in shot
        assert "Ongoing (1) — follow-ups with no next step; o shows them" in shot
        assert "ongoing 1" in shot  # the status line counts the fourth lane too
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.selected().id == 1
        shot = screen_text(app)
        assert "Follow-up · next step Thu 26.11 · last contact Mon 23.11, 3 school days ago" in shot
        row = next(line for line in shot.splitlines() if line.startswith("│ 1 "))
        assert "23.11" in row  # the contact column: the day of the last contact
        new_row = next(line for line in shot.splitlines() if line.startswith("│ 4 "))
        assert " new " in new_row


async def test_o_opens_and_folds_the_ongoing_lane(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert lane_ids(app, "ongoing") == [2]
        assert app.screen.selected().id == 2
        assert "Follow-up with no next step · last contact Mon 23.11, 3 school days ago" in screen_text(app)
        await pilot.press("o")
        await settle(pilot)
        assert lane_ids(app, "ongoing") == []
        assert app.screen.selected().id in (4, 1, 3)  # back in a lane in sight


async def test_n_plans_the_next_step_and_the_request_moves_lane(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert "Next step for #2 3C" in screen_text(app)
        await typed(pilot, "fri")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert lane_ids(app, "tomorrow") == [2]  # Fri 27.11
        assert app.screen.selected().id == 2  # the cursor follows it
        assert day.describe(day.find(2)[0])["next_step"] == "2026-11-27"
        # none clears it: back to Ongoing
        await pilot.press("n")
        await settle(pilot)
        await typed(pilot, "none")
        await pilot.press("enter")
        await settle(pilot)
        assert day.describe(day.find(2)[0])["next_step"] is None


async def test_n_on_a_new_request_says_it_has_a_due_date_instead(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.selected().id == 4
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)  # no form
        assert "#4 has had no contact yet" in notices(app)


async def test_stopping_the_timer_on_a_request_asks_for_its_next_step(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # on #4, new
        await settle(pilot)
        await pilot.press("enter")  # what for: conversation, on #4
        await settle(pilot)
        clock.now = datetime(2026, 11, 26, 10, 25)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert "Logged 25 min on #4: when is the next step?" in screen_text(app)
        await typed(pilot, "+2")
        await pilot.press("enter")
        await settle(pilot)
        info = day.describe(day.find(4)[0])
        assert (info["phase"], info["next_step"], info["lane"]) == ("ongoing", "2026-11-30", "later")
        assert lane_ids(app, "later") == [3, 4]  # new ones first, then follow-ups


async def test_escape_after_the_timer_leaves_the_case_without_a_next_step(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        clock.now = datetime(2026, 11, 26, 10, 25)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        info = day.describe(day.find(4)[0])
        assert (info["minutes"], info["next_step"], info["lane"]) == (25, None, "ongoing")
        assert "ongoing 2" in screen_text(app)


async def test_the_log_form_takes_a_next_step(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, Form)
        form.query_one("#duration").value = "30"
        form.query_one("#next").value = "04.12"
        form.query_one("#duration").focus()
        await pilot.press("enter")
        await settle(pilot)
        info = day.describe(day.find(4)[0])
        assert (info["minutes"], info["next_step"], info["lane"]) == (30, "2026-12-04", "later")


async def test_a_request_that_goes_to_the_folded_ongoing_lane_says_so(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("l")  # on #4, new: its first contact, with no next step
        await settle(pilot)
        app.screen.query_one("#duration").value = "15"
        await pilot.press("enter")
        await settle(pilot)
        assert lane_ids(app, "now") == [1]
        assert "#4 is a follow-up now, with no next step: it waits in Ongoing" in notices(app)
        assert app.screen.selected().id == 1


async def test_s_lists_every_request_of_the_pupil_open_and_closed(folder, clock, day) -> None:
    older = day.add("2b", "an older one, closed")  # the same pupil, typed in lower case
    day.close(older.id)
    day.add("9Z", "someone else")
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.selected().id == 4
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        shot = screen_text(app)
        assert "Every request of 2B · 1 open, 1 closed" in shot
        assert "new today" in shot and "an older one, closed" in shot and "someone else" not in shot
        assert "closed Thu 26.11 (resolved)" in shot
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen) and app.screen.request_id == older.id
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_the_filter_can_take_in_closed_requests(folder, clock, day) -> None:
    older = day.add("2B", "closed long ago")
    day.close(older.id)
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "Closed too" not in screen_text(app)  # only while filtering
        await pilot.press("slash")
        await typed(pilot, "2b")
        await settle(pilot)
        assert lane_ids(app, "now") == [4]
        assert "^o Closed too" in screen_text(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        shot = screen_text(app)
        assert "Every request that matches “2b” · 1 open, 1 closed" in shot
        assert "closed long ago" in shot


async def test_g_and_shift_g_go_to_the_first_and_last_row(folder, clock, day) -> None:
    for n in range(5):
        day.add(f"X{n}", "more now", urgency="now")
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        ids = lane_ids(app, "now")
        await pilot.press("G")
        await settle(pilot)
        assert app.screen.selected().id == ids[-1]
        await pilot.press("g")
        await settle(pilot)
        assert app.screen.selected().id == ids[0]


async def test_after_a_close_the_cursor_goes_to_the_next_row(folder, clock, day) -> None:
    day.add("5E", "also now", urgency="now")  # #5: now lane [4, 5, 1]
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert lane_ids(app, "now") == [4, 5, 1]
        await pilot.press("down", "d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert lane_ids(app, "now") == [4, 1]
        assert app.screen.selected().id == 1


async def test_the_request_screen_takes_the_action_keys(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # #1, a follow-up
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen)
        assert "next step Thu 26.11" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        await typed(pilot, "mon")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen)
        assert "next step Mon 30.11" in screen_text(app)
        await pilot.press("2")  # now → tomorrow: a downgrade asks why
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert day.find(1)[0].urgency == "tomorrow"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not day.find(1)[0].is_open
        assert "closed (resolved)" in screen_text(app)


async def test_the_add_form_says_when_the_pupil_has_open_requests(folder, clock, day) -> None:
    app = make_app(folder, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await typed(pilot, "1a")
        await settle(pilot)
        assert "Already open for this pupil (1): #1." in screen_text(app)
        await pilot.press("backspace")
        await settle(pilot)
        assert "Already open" not in screen_text(app)


async def test_the_norwegian_preview_says_why_in_plain_words(folder, clock, day) -> None:
    app = make_app(folder, clock, "nb")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shot = screen_text(app)
        assert "Ny, ingen kontakt ennå · frist tor 26.11 (nå) · ventet 0 skoledager" in shot
        assert "Pågår (1) — oppfølginger uten neste steg; o viser dem" in shot
        await pilot.press("down")
        await settle(pilot)
        assert (
            "Oppfølging · neste steg tor 26.11 · siste kontakt man 23.11, for 3 skoledager siden"
            in screen_text(app)
        )


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_every_column_stays_in_sight_and_only_the_summary_is_cut(folder, clock, day, size) -> None:
    day.add("8B-LONGCODE", "x" * 160, source="principal", urgency="now")
    app = make_app(folder, clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if line.startswith("│ #"))
        for column in ("Pupil", "Contact", "Summary", "Due", "Urgency", "Waited", "Marks", "From"):
            assert column in header
        row = next(line for line in lines if line.startswith("│ 5 "))
        assert "8B-LONGCO…" in row and "principal" in row and "Thu 26.11" in row
        # The lane's content is the width less its border and scrollbar (3); the other
        # columns take # 1, Pupil 10 (cut), Contact 7, Due 9, Urgency 7, Waited 6, Marks 5,
        # From 9 = 54, and a space before each of the nine: 63. The summary has the rest,
        # with its last cell for the ellipsis.
        assert "x…" in row
        assert row.count("x") == size[0] - 3 - 63 - 1
