"""The queue: three lanes, Now / Tomorrow / Later, where requests stand today."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from ...caseload import Caseload
from ...core.errors import TriageError
from ...core.model import SOURCES, URGENCIES, Request
from ...core.operations import looks_like_a_name
from ...core.queue import LANES, DayQueue, QueueRow
from ...core.text import printable
from ...i18n import Messages
from ...present import ago, event_line, undo_line
from ...store import StoreError
from ..keys import key_of
from ..text import literal
from ..watcher import DataChanged
from ..widgets.keybar import KeyBar
from ..widgets.lane import LaneTable
from ..widgets.status import StatusBar
from .actions import ACTION_BINDINGS, RequestActions
from .confirm import Confirm
from .forms import Done, Field, Values


def why(t: Messages, row: QueueRow, today: date) -> str:
    """Why a request stands where it does, in words: new or a follow-up, its date, its marks."""
    request, standing = row.request, row.standing
    marks = [t(f"mark.{name}") for name, on in
             (("downgraded", row.downgraded), ("postponed", row.postponed)) if on]  # fmt: skip
    if standing.phase == "waiting":
        key = "preview.waiting_overdue" if row.overdue else "preview.waiting"
        days = t.n("n.school_days", row.waited)
        text = t(key, due=t.day(request.due), urgency=t(f"urgency.{request.urgency}"), days=days)
    else:
        last = standing.last_contact
        assert last is not None
        seen = t("preview.seen", day=t.day(last.date()), ago=ago(t, last.date(), today, row.since_contact))
        if standing.next_step is None:
            text = t("preview.no_step", seen=seen)
        else:
            key = "preview.step_overdue" if row.overdue else "preview.step"
            text = t(key, day=t.day(standing.next_step), seen=seen)
    return " · ".join([text, *marks])


@dataclass(frozen=True)
class QueueRead:
    """The day's queue as one read found it. Reads are numbered in the order they began, so
    a later one is at least as new; `version` is the data's, taken just before."""

    number: int
    version: Hashable
    queue: DayQueue


class QueueScreen(RequestActions, Screen):
    BINDINGS = [
        Binding("a", "add", "Add", id="add"),
        *ACTION_BINDINGS,
        Binding("o", "fold", "Ongoing", id="ongoing"),
        Binding("s", "pupil", "Pupil's requests", show=False, id="pupil"),
        Binding("r", "reopen", "Reopen last closed", show=False, id="reopen"),
        Binding("u", "undo", "Undo", show=False, id="undo"),
        Binding("enter", "open", "Open", show=False, id="open"),
        Binding("w", "review", "Week", id="review"),
        Binding("T", "day_time", "Time log", id="time"),
        Binding("slash", "filter", "Filter", key_display="/", id="filter"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("tab", "lane(1)", "Next lane", show=False, id="next_lane"),
        Binding("shift+tab", "lane(-1)", "Previous lane", show=False, id="previous_lane"),
        Binding("escape", "clear_filter", "Cancel", show=False, id="cancel"),
        Binding("ctrl+o", "closed_too", "Closed too", id="closed_too"),
    ]

    @dataclass
    class Loaded(Message):
        """The day's queue, read off the event loop."""

        read: QueueRead

    @dataclass
    class Slipped(Message):
        """What slipped on the school days from `since` up to today."""

        since: date
        slipped: list[tuple[Request, date]]

    @dataclass
    class LoadFailed(Message):
        error: Exception
        reading: bool = True  # the queue's own read, not the slips

    def __init__(self, caseload: Caseload, t: Messages) -> None:
        super().__init__()
        self.caseload = caseload
        self.t = t
        self.queue: DayQueue | None = None
        self.reading = self.read_again = False  # not `loading`: that is Textual's spinner
        self.filter_text = ""
        self.selected_id: int | None = None  # kept across refreshes, even when its lane changes
        self.reads = itertools.count(1)
        self.shown: QueueRead | None = None
        self.stale = False  # the data changed while another screen covered this one

    def compose(self) -> ComposeResult:
        for lane in LANES:
            table = LaneTable(lane, self.t, self.cursor_moved)
            table.folded = lane == "ongoing"  # cases under way: one key away, out of the way
            yield table
        yield Static("", id="preview")
        yield StatusBar(self.caseload, self.t)

    def on_mount(self) -> None:
        self.load()
        self.set_interval(20, self.check_new_day)

    async def add_footer(self) -> None:
        await self.mount(KeyBar(self.t))

    # -- reading, off the event loop ---------------------------------------------------
    def load(self) -> None:
        """Read the queue off the event loop. Asked again while a read is under way, it reads
        once more after it: a read that finished is never thrown away, so a stream of
        changes from outside cannot keep the screen waiting."""
        if self.reading:
            self.read_again = True
            return
        self.reading = True
        self.read_queue()

    @work(thread=True, group="queue")
    def read_queue(self) -> None:
        try:
            self.post_message(self.Loaded(self.read_now()))
        except (TriageError, StoreError) as e:
            self.post_message(self.LoadFailed(e))

    def read_now(self) -> QueueRead:
        """Read the queue, off the event loop."""
        number, version = next(self.reads), self.app.watcher.read()  # type: ignore[attr-defined]
        return QueueRead(number, version, self.caseload.day_queue())

    def read_done(self) -> None:
        self.reading = False
        if self.read_again:
            self.read_again = False
            self.load()

    @work(thread=True, exclusive=True, group="slips")
    def announce_slips(self) -> None:
        """On a school day, list what slipped since the school day before."""
        calendar = self.caseload.calendar
        today = self.caseload.now().date()
        if not calendar.is_school_day(today):
            return
        since = calendar.previous_school_day(today)
        try:
            slipped = self.caseload.slipped_since(since)
        except (TriageError, StoreError) as e:
            self.post_message(self.LoadFailed(e, reading=False))
            return
        if slipped:
            self.post_message(self.Slipped(since, slipped))

    @work(thread=True, exclusive=True, group="purge")
    def remind_of_purge(self) -> None:
        """Once a school year: closed requests past the school years kept still hold text."""
        try:
            before = self.caseload.purge_reminder()
        except (TriageError, StoreError):
            return  # a reminder only; the next start reminds again
        if before is not None:
            years = self.caseload.settings.keep_school_years
            text = self.t("msg.purge_due", before=self.t.date(before), years=years)
            self.app.call_from_thread(self.notify, text, severity="warning", timeout=30, markup=False)

    @on(DataChanged)
    def data_changed(self, message: DataChanged) -> None:
        if self.app.screen is not self:  # under a form or another screen: read once it is back
            self.stale = True
        elif not self.shows(message.version):
            self.load()

    def on_screen_resume(self) -> None:
        """Back in sight: read what changed while it was covered, unless a save read it."""
        if self.stale:
            self.stale = False
            if not self.shows(self.app.watcher.read()):  # type: ignore[attr-defined]
                self.load()

    def shows(self, version: Hashable) -> bool:
        """Whether what is on screen was read at `version` of the data."""
        return self.shown is not None and self.shown.version == version

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        self.read_done()
        first = self.queue is None
        self.show_read(message.read)
        if first:  # the footer is slow to build, and the slips take a moment: both come after
            self.call_after_refresh(self.add_footer)
            self.call_after_refresh(self.announce_slips)
            self.call_after_refresh(self.remind_of_purge)
            # What start-up made lives as long as the app: the garbage collector need not
            # walk it again and again, which would show as a pause now and then.
            self.call_after_refresh(gc.freeze)

    @on(Slipped)
    def slipped(self, message: Slipped) -> None:
        items = ", ".join(f"#{r.id} {printable(r.pupil)} ({self.t.day(d)})" for r, d in message.slipped)
        text = self.t("msg.slipped", day=self.t.day(message.since), items=items)
        self.notify(text, severity="warning", timeout=20, markup=False)

    @on(LoadFailed)
    def load_failed(self, message: LoadFailed) -> None:
        if message.reading:
            self.read_done()
        error = self.t("msg.store_error", error=self.t.error(message.error))
        self.notify(printable(error), severity="error", markup=False)

    def check_new_day(self) -> None:
        """Open into a new day: the lanes re-sort, and what slipped since is listed."""
        if self.queue is not None and self.caseload.now().date() != self.queue.today:
            self.load()
            self.announce_slips()

    # -- showing -----------------------------------------------------------------------
    def show_read(self, read: QueueRead) -> None:
        """Show what a read found, unless a read begun after it is on screen already."""
        if self.shown is None or read.number > self.shown.number:
            self.shown = read
            self.show_queue(read.queue)
            self.query_one(StatusBar).show(read.queue)

    def show_queue(self, queue: DayQueue) -> None:
        """Show the queue by lane, filtered, keeping the selection."""
        self.queue = queue
        for lane in LANES:
            rows = list(queue.lanes[lane])
            if self.filter_text:
                rows = [row for row in rows if self.matches(row.request)]
            self.query_one(f"#table-{lane}", LaneTable).show(rows, bool(self.filter_text))
        self.show_welcome(queue.first_start)
        self.select(self.selected_id)

    def show_welcome(self, first_start: bool) -> None:
        """On a first start (nothing recorded yet), the three keys that matter."""
        welcome = self.query("#welcome")
        if first_start and not welcome:
            keys = {
                action: key_of(self, action)
                for action in ("add", "now", "tomorrow", "later", "timer", "help")
            }
            self.mount(Static(self.t("msg.welcome", **keys), id="welcome"), before=0)
        elif not first_start and welcome:
            welcome.remove()

    def matches(self, request: Request) -> bool:
        from .pupil import matches

        return matches(request, self.filter_text.lower().split())

    def lanes_with_rows(self) -> list[LaneTable]:
        return [table for table in self.query(LaneTable) if table.row_count]

    def select(self, request_id: int | None) -> None:
        """Put the cursor on a request, wherever its lane is now; else keep it where it is."""
        tables = self.lanes_with_rows()
        typing = isinstance(self.focused, Input)  # don't take the keys from the filter box
        table = next((table for table in tables if request_id in table.ids), None)
        if table is not None:
            table.move_cursor_to(request_id)  # type: ignore[arg-type]
        elif isinstance(self.focused, LaneTable) and self.focused.row_count:
            table = self.focused
        elif tables:
            table = tables[0]
        if table is not None and not typing:
            self.set_focus(table)  # now: the lane, its cursor and the preview in one frame
        self.selected_id = table.cursor_id() if table is not None else None
        self.show_preview()

    def focus_lane(self, table: LaneTable) -> None:
        """Focus a lane now (`focus()` would wait for the next frame) and select the request
        under its cursor."""
        self.set_focus(table)
        self.follow_cursor(table)

    def follow_cursor(self, lane: LaneTable) -> None:
        """Select the request under `lane`'s cursor, and show it."""
        self.selected_id = lane.cursor_id()
        self.show_preview()

    def selected_row(self) -> QueueRow | None:
        if self.queue is None or self.selected_id is None:
            return None
        return self.queue.row(self.selected_id)

    def selected(self) -> Request | None:
        row = self.selected_row()
        return row.request if row is not None else None

    def cursor_moved(self, lane: LaneTable) -> None:
        if lane is self.focused or self.selected_id is None:
            self.follow_cursor(lane)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A lane focused otherwise (a click, say): select the request under its cursor."""
        lane = event.widget
        if isinstance(lane, LaneTable) and lane.row_count and lane.cursor_id() != self.selected_id:
            self.follow_cursor(lane)

    def show_preview(self) -> None:
        """The selected request in full: who and what, why it stands where it does, and what
        happened last."""
        row = self.selected_row()
        preview = self.query_one("#preview", Static)
        if row is None:
            preview.update(self.t("preview.none"), layout=False)
            return
        t, request = self.t, row.request
        text = Text()
        text.append(f"#{request.id} ", style="bold")
        text.append_text(literal(request.pupil, "bold"))
        text.append(f" · {t(f'source.{request.source}')} · ")
        text.append_text(literal(request.summary))
        text.append("\n" + why(t, row, self.caseload.now().date()), style="bold red" if row.overdue else "")
        latest = event_line(t, request.latest_event)
        entry = row.latest_time
        if entry is not None and entry.end >= request.latest_event.at:  # what ended last
            activity = t(f"activity.{entry.activity}")
            latest = f"{t.minutes(entry.minutes)} {activity}, {t.day(entry.start.date())}"
        text.append("\n" + t("preview.latest", event=latest))
        preview.update(text, layout=False)  # a fixed height: no layout needed

    # -- acting: every action runs off the event loop, in the order asked for ------------
    def selected_phase(self) -> str | None:
        row = self.selected_row()
        return row.standing.phase if row is not None else None

    def after(self, action: Callable[..., Done]) -> Callable[..., Done]:
        """`action`, then the queue as it left it, read in the same thread: the screen shows
        both at once, without waiting for a second trip off the event loop."""

        def acted(*args: Any) -> Done:
            done = action(*args)
            if not isinstance(done, Done):
                return done
            return replace(done, queue=self.read_now())

        return acted

    def done(self, result: Done | Exception) -> None:
        """An action was done: follow the request, show the queue, and say what happened when
        the screen does not show it by itself."""
        if isinstance(result, Exception):
            error = self.t("msg.save_failed", error=self.t.error(result))
            self.notify(printable(error), severity="error", markup=False)
            return
        if result.notice or result.severity != "information":
            self.notify(printable(result.message), severity=result.severity, markup=False)
        if result.select is not None:
            self.selected_id = result.select
        acted_on = self.selected_id
        if result.queue is None:
            self.load()
            return
        self.show_read(result.queue)
        row = self.queue.row(acted_on) if self.queue is not None and acted_on is not None else None
        if row is not None and row.lane == "ongoing" and self.query_one("#table-ongoing", LaneTable).folded:
            # It left the lanes in sight: say where it went.
            self.notify(self.t("msg.to_ongoing", id=row.id), markup=False)

    def action_add(self) -> None:
        t = self.t

        def save(values: Values) -> Done:
            caseload = self.caseload
            came_in = None
            if values["came_in"].strip():
                from ...core.parsing import parse_moment

                came_in = parse_moment(values["came_in"], caseload.now(), caseload.calendar)
            request = caseload.add(values["pupil"], values["summary"], source=values["source"],
                                   urgency=values["urgency"], at=came_in)  # fmt: skip
            lane = t(f"lane.{request.standing([], caseload.now().date(), caseload.calendar).lane}")
            return Done(t("msg.added", id=request.id, lane=lane, due=t.day(request.due)), request.id)

        self.open_form(
            t("form.add.title"),
            [
                Field(
                    "pupil", t("form.pupil"), placeholder=t("form.pupil.placeholder"), hint=self.open_of_pupil
                ),
                Field("source", t("form.source"), "pupil", options=self.choices("source", SOURCES)),
                Field("summary", t("form.summary"), placeholder=t("form.summary.placeholder")),
                Field("urgency", t("form.urgency"), "later", options=self.choices("urgency", URGENCIES)),
                Field("came_in", t("form.came_in"), placeholder=t("form.came_in.placeholder"), optional=True),
            ],
            save,
        )

    def open_of_pupil(self, code: str) -> str:
        """A hint, never a block: what is typed looks like a name, or the pupil already has
        open requests."""
        if looks_like_a_name(code):
            return self.t("form.pupil.name")
        code = code.strip().casefold()
        if not code or self.queue is None:
            return ""
        ids = [f"#{row.id}" for row in self.queue.rows() if row.request.pupil.casefold() == code]
        return self.t("form.pupil.open", n=len(ids), ids=", ".join(ids)) if ids else ""

    def action_reopen(self) -> None:
        """Reopen the request closed by mistake: the last one closed since the app was opened,
        after asking."""
        t, closed = self.t, self.app.closed_here  # type: ignore[attr-defined]
        if closed is None:
            self.notify(t("msg.nothing_closed"), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.closed_here = None  # type: ignore[attr-defined]
                self.attempt(lambda: self.reopened(closed))

        self.app.push_screen(Confirm(t, t("confirm.reopen", id=closed)), answered)

    def reopened(self, request_id: int) -> Done:
        request = self.caseload.reopen(request_id)
        return Done(self.t("msg.reopened", id=request.id, due=self.t.day(request.due)), request.id)

    def action_undo(self) -> None:
        """Take back the newest action, of this app or any other process, after saying what it
        was and asking."""
        t, caseload = self.t, self.caseload

        def ask(what: dict[str, Any] | Exception | None) -> None:
            if isinstance(what, Exception):
                self.done(what)
            elif what is None:
                self.notify(t("msg.nothing_to_undo"), severity="warning")
            else:
                said = undo_line(t, what)

                def undo() -> Done:
                    caseload.undo(expected=what)
                    return Done(t("msg.undone", what=said), notice=True)

                def answered(yes: bool | None) -> None:
                    if yes:
                        self.attempt(undo)

                self.app.push_screen(Confirm(t, t("confirm.undo", what=said)), answered)

        self.app.record(caseload.undoable, ask)  # type: ignore[attr-defined]

    def action_fold(self) -> None:
        """Open or fold the Ongoing lane."""
        table = self.query_one("#table-ongoing", LaneTable)
        table.fold(not table.folded)
        if not table.folded and table.row_count:
            table.action_move_to(0)
            self.select(table.cursor_id())
        elif self.focused is table or self.focused is None:
            tables = self.lanes_with_rows()
            self.select(tables[0].cursor_id() if tables else None)

    def action_pupil(self) -> None:
        """Every request of the selected request's pupil, open and closed."""
        request = self.need_selection()
        if request is not None:
            from .pupil import PupilScreen

            self.app.push_screen(PupilScreen(self.caseload, self.t, request.pupil))

    def action_open(self) -> None:
        request = self.need_selection()
        if request is not None:
            self.app.open_request(request.id)  # type: ignore[attr-defined]

    @on(LaneTable.Selected)
    def open_selected(self, event: LaneTable.Selected) -> None:
        self.selected_id = event.request_id
        self.action_open()

    def action_review(self) -> None:
        self.app.open_review()  # type: ignore[attr-defined]

    def action_day_time(self) -> None:
        self.app.open_day_time()  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.t, self))

    def help_notes(self) -> str:
        """What help says under the keys: how the lanes work, and what the marks mean."""
        t = self.t
        return f"{t('help.move')}\n{t('help.lanes', ongoing=key_of(self, 'ongoing'))}\n{t('help.marks')}"

    @on(LaneTable.Edge)
    def next_lane_past_the_edge(self, event: LaneTable.Edge) -> None:
        """Down from a lane's last row goes to the next lane's first; up, to the previous one's last."""
        tables = self.lanes_with_rows()
        index = tables.index(event.lane) + event.step if event.lane in tables else -1
        if 0 <= index < len(tables):
            table = tables[index]
            table.action_move_to(0 if event.step > 0 else -1)
            self.focus_lane(table)

    def action_lane(self, step: int) -> None:
        tables = self.lanes_with_rows()
        if not tables:
            return
        index = tables.index(self.focused) if self.focused in tables else -step
        self.focus_lane(tables[(index + step) % len(tables)])

    # -- filtering ---------------------------------------------------------------------
    def action_filter(self) -> None:
        boxes = self.query("#filter")
        if boxes:
            box = boxes.first(Input)
        else:  # made when first wanted: the queue paints sooner without it
            box = Input(placeholder=self.t("filter.placeholder"), id="filter")
            box.cursor_blink = getattr(self.app, "cursor_blink", True)
            self.mount(box, before=0)
        box.disabled = False
        box.add_class("shown")
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        if self.queue is not None:
            self.show_queue(self.queue)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        tables = self.lanes_with_rows()
        if tables:
            self.focus_lane(tables[0])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "closed_too":  # only while filtering
            return bool(self.query("#filter.shown"))
        return True

    def action_closed_too(self) -> None:
        """What the filter's words match, closed requests and the archives included."""
        from .pupil import PupilScreen

        self.app.push_screen(PupilScreen(self.caseload, self.t, words=self.filter_text))

    def action_clear_filter(self) -> None:
        for box in self.query("#filter").results(Input):
            box.value = ""
            box.remove_class("shown")
            box.disabled = True  # hidden, it must not take keys
        self.filter_text = ""
        self.refresh_bindings()
        if self.queue is not None:
            self.show_queue(self.queue)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        t = self.t
        return [
            (t("cmd.add"), t("cmd.add.help"), self.action_add),
            *(
                (
                    t("cmd.classify", urgency=t(f"urgency.{u}")),
                    t("cmd.selected"),
                    partial(self.action_classify, u),
                )
                for u in URGENCIES
            ),
            (t("cmd.postpone"), t("cmd.selected"), self.action_postpone),
            (t("cmd.close"), t("cmd.selected"), self.action_close),
            (t("cmd.open"), t("cmd.selected"), self.action_open),
            (t("cmd.reopen"), t("cmd.reopen.help"), self.action_reopen),
            (t("cmd.log"), t("cmd.log.help"), self.action_log),
            (t("cmd.timer"), t("cmd.timer.help"), self.action_timer),
            (t("cmd.review"), t("cmd.review.help"), self.action_review),
            (t("cmd.time"), t("cmd.time.help"), self.action_day_time),
            (t("cmd.filter"), t("cmd.filter.help"), self.action_filter),
            (t("cmd.help"), t("cmd.help.help"), self.action_help),
        ]
