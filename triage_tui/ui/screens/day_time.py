"""The day's time: every entry logged on one day, with the day's total; each can be corrected
or deleted. Today first; `[` and `]` step to the days before (any day, not only school days)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label

from ...caseload import Caseload
from ...core.errors import TriageError
from ...core.model import ACTIVITIES, Request, TimeEntry
from ...core.text import printable
from ...i18n import Messages
from ...present import entry_line
from ...store import StoreError
from ..text import literal
from ..watcher import DataChanged
from ..widgets.keybar import KeyBar
from .actions import overlaps_said, parse_request_id
from .confirm import Confirm
from .forms import Done, Field, Values

BARE_TIME = re.compile(r"\d{1,2}:\d{2}")  # `09:30`: on the entry's own day
COLUMNS = ("id", "when", "minutes", "activity", "request", "note")


def duration_text(minutes: int) -> str:
    """A duration as the form's field shows it, and reads it back: `45`, `1:30`."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}" if hours else str(rest)


class DayTimeScreen(Screen[None]):
    BINDINGS = [
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d,delete", "delete", "Delete", id="delete"),
        Binding("left_square_bracket", "step(-1)", "Previous day", key_display="[", id="previous_day"),
        Binding("right_square_bracket", "step(1)", "Next day", key_display="]", id="next_day"),
        Binding("escape,q", "app.pop_screen", "Back", id="back"),
        Binding("T", "app.pop_screen", "Time log", show=False, id="time"),  # the key that opened it
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
    ]

    @dataclass
    class Loaded(Message):
        day: date
        entries: list[TimeEntry]
        requests: dict[int, Request]  # those the entries are on

    def __init__(self, caseload: Caseload, t: Messages, day: date) -> None:
        super().__init__()
        self.caseload = caseload
        self.t = t
        self.day = day
        self.entries: list[TimeEntry] = []
        self.selected_id: int | None = None  # kept across reads, wherever the entry moves

    def compose(self) -> ComposeResult:
        yield Label("", id="time-title")
        table: DataTable[Text | str] = DataTable(id="time-entries", cursor_type="row", zebra_stripes=True)
        yield table
        yield KeyBar(self.t)

    def on_mount(self) -> None:
        self.show_day(self.day)

    def show_day(self, day: date) -> None:
        """Show another day: this screen is built once and used again."""
        if day != self.day:
            self.selected_id = None
        self.day = day
        self.load(day)

    @on(DataChanged)
    def data_changed(self) -> None:
        self.load(self.day)

    @work(thread=True, exclusive=True, group="day_time")
    def load(self, day: date) -> None:
        """The day's entries (the archives' too, for a day long past), off the event loop."""
        try:
            entries, requests = self.caseload.day_time(day)
        except (TriageError, StoreError) as e:
            self.app.call_from_thread(self.notify, printable(self.t.error(e)), severity="error", markup=False)
            return
        self.post_message(self.Loaded(day, entries, requests))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        if message.day != self.day:
            return
        t = self.t
        self.entries = message.entries
        total = sum(entry.minutes for entry in message.entries)
        if message.entries:
            title = t("time.heading", day=t.date(message.day), total=t.minutes(total),
                      entries=t.n("n.entries", len(message.entries)))  # fmt: skip
        else:
            title = t("time.nothing", day=t.date(message.day))
        self.query_one("#time-title", Label).update(title)
        rows = [self.row(entry, message.requests) for entry in message.entries]
        table = self.query_one(DataTable)
        keep, at = self.selected_id, table.cursor_row
        # Each column as wide as its widest cell, measured here: the table measures the cells
        # it is given when idle, and was seen to leave a column a cell short of a new row.
        table.clear(columns=True)
        for number, key in enumerate(COLUMNS):
            header = t(f"time.col.{key}")
            width = max([cell_len(header), *(row[number].cell_len for row in rows)])
            table.add_column(header, key=key, width=width)
        for entry, row in zip(message.entries, rows, strict=True):
            table.add_row(*row, key=str(entry.id))
        ids = [entry.id for entry in message.entries]
        table.move_cursor(
            row=ids.index(keep) if keep in ids else min(at, max(0, len(ids) - 1)), animate=False
        )
        entry = self.selected()
        self.selected_id = entry.id if entry is not None else None
        table.focus()

    def row(self, entry: TimeEntry, requests: dict[int, Request]) -> list[Text]:
        """An entry's cells: number, from–to, duration, activity, request, note."""
        t = self.t
        on = Text()
        if entry.request_id is not None:
            on.append(f"#{entry.request_id}")
            request = requests.get(entry.request_id)
            if request is not None:
                on.append(" ").append_text(literal(request.pupil, "bold"))
        return [
            Text(str(entry.id), justify="right"),
            Text(f"{entry.start:%H:%M}–{entry.end:%H:%M}"),
            Text(t.minutes(entry.minutes), justify="right"),
            Text(t(f"activity.{entry.activity}")),
            on,
            literal(entry.note or ""),
        ]

    def selected(self) -> TimeEntry | None:
        table = self.query_one(DataTable)
        if not table.row_count or not self.entries:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)]

    @on(DataTable.RowHighlighted)
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.selected_id = int(event.row_key.value)

    def need_selection(self) -> TimeEntry | None:
        entry = self.selected()
        if entry is None:
            self.notify(self.t("time.none_selected"), severity="warning")
        return entry

    # -- stepping days ---------------------------------------------------------------------
    def action_step(self, days: int) -> None:
        day = self.day + timedelta(days=days)
        if day > self.caseload.now().date():
            self.notify(self.t("time.no_future"), severity="warning")
            return
        self.show_day(day)

    # -- correcting ------------------------------------------------------------------------
    def done(self, result: Done | Exception) -> None:
        if isinstance(result, Exception):
            error = self.t("msg.save_failed", error=self.t.error(result))
            self.notify(printable(error), severity="error", markup=False)
            return
        if result.notice or result.severity != "information":
            self.notify(printable(result.message), severity=result.severity, markup=False)
        self.load(self.day)

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        entry = self.need_selection()
        if entry is None:
            return
        t, caseload = self.t, self.caseload
        given = {
            "start": f"{entry.start:%H:%M}",
            "duration": duration_text(entry.minutes),
            "request": str(entry.request_id) if entry.request_id is not None else "",
            "note": entry.note or "",
        }
        fields = [
            Field("start", t("form.start"), given["start"], placeholder=t("form.start.placeholder")),
            Field(
                "duration", t("form.duration"), given["duration"], placeholder=t("form.duration.placeholder")
            ),
            Field(
                "activity",
                t("form.activity"),
                entry.activity,
                options=[(key, t(f"activity.{key}")) for key in ACTIVITIES],
            ),
            Field(
                "request",
                t("form.request"),
                given["request"],
                placeholder=t("form.request.placeholder"),
                optional=True,
            ),
            Field("note", t("form.note"), given["note"], optional=True),
        ]
        moved: list[TimeEntry] = []  # the entry as saved

        def save(values: Values) -> Done:
            from ...core.parsing import parse_duration

            # Only what she changed: a start shown as 10:25 may have been 10:25:30.
            changes: dict[str, Any] = {}
            if values["start"].strip() != given["start"]:
                changes["start"] = self.parse_start(values["start"], entry.start.date())
            if values["duration"].strip() != given["duration"]:
                changes["minutes"] = parse_duration(values["duration"])
            if values["activity"] != entry.activity:
                changes["activity"] = values["activity"]
            if values["request"].strip() != given["request"]:
                changes["request_id"] = parse_request_id(values["request"])
            if values["note"] != given["note"]:
                changes["note"] = values["note"]
            edited = caseload.edit_time(entry.id, **changes)
            moved.append(edited)
            clashes = overlaps_said(t, caseload, edited)
            message = t("msg.time_edited", entry=entry_line(t, edited))
            if clashes:
                return Done(f"{message} — {clashes}", severity="warning", notice=True)
            return Done(message)

        def then(done: Done) -> None:
            edited = moved[-1]
            self.day, self.selected_id = edited.start.date(), edited.id  # on another day: follow it
            self.done(done)

        title = t("form.edit_time.title", id=entry.id, day=t.day(entry.start.date()))
        self.app.open_form(title, fields, save, then)  # type: ignore[attr-defined]

    def parse_start(self, text: str, day: date) -> datetime:
        """A start as typed: a bare time is on the entry's own day; else a moment, as `--at`."""
        from ...core.parsing import parse_moment

        word = text.strip()
        if BARE_TIME.fullmatch(word):
            word = f"{day.isoformat()} {word}"
        return parse_moment(word, self.caseload.now(), self.caseload.calendar)

    def action_delete(self) -> None:
        entry = self.need_selection()
        if entry is None:
            return
        t, caseload = self.t, self.caseload

        def delete() -> Done:
            caseload.unlog(entry.id)
            return Done(t("msg.time_deleted", entry=entry_line(t, entry)), notice=True)

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.record(delete, self.done)  # type: ignore[attr-defined]

        self.app.push_screen(Confirm(t, t("confirm.delete_time", entry=entry_line(t, entry))), answered)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.t, self))
