"""A pupil's whole story: every request of one pupil, open and closed, with the time spent;
or every request, open and closed, that a filter's words match."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...caseload import Caseload
from ...core.errors import TriageError
from ...core.model import Request, TimeEntry
from ...core.text import printable
from ...i18n import Messages
from ...store import StoreError
from ..text import literal
from ..watcher import DataChanged
from ..widgets.keybar import KeyBar


def matches(request: Request, words: list[str]) -> bool:
    """The queue's filter: every word in the pupil code, the summary or the number."""
    haystack = f"{request.pupil} {request.summary} #{request.id}".lower()
    return all(word in haystack for word in words)


class PupilScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
    ]

    @dataclass
    class Loaded(Message):
        requests: list[Request]
        entries: list[TimeEntry]

    def __init__(self, caseload: Caseload, t: Messages, pupil: str | None = None, words: str = "") -> None:
        super().__init__()
        self.caseload = caseload
        self.t = t
        self.pupil = pupil
        self.words = words.lower().split()

    def heading(self) -> str:
        if self.pupil is not None:
            return self.t("pupil.title", pupil=printable(self.pupil))
        return self.t("pupil.found", words=printable(" ".join(self.words)))

    def compose(self) -> ComposeResult:
        yield Static(literal(self.heading()), id="pupil-title")
        table: DataTable[Text | str] = DataTable(id="pupil-requests", cursor_type="row", zebra_stripes=True)
        yield table
        yield KeyBar(self.t)

    def on_mount(self) -> None:
        t, table = self.t, self.query_one(DataTable)
        # Fixed widths: the rows come later, and a table sized by its headers cuts them.
        for key, width in (("col.id", 6), ("pupil.col.created", 14), ("pupil.col.state", 34),
                           ("pupil.col.time", 9), ("col.summary", None)):  # fmt: skip
            table.add_column(t(key), width=width)
        self.load()

    @on(DataChanged)
    def data_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="pupil")
    def load(self) -> None:
        """Read every request of the pupil, archives too, off the event loop."""
        try:
            requests, entries = self.caseload.all_requests(self.pupil)
            requests = [r for r in requests if matches(r, self.words)]
        except (TriageError, StoreError) as e:
            self.app.call_from_thread(self.notify, printable(self.t.error(e)), severity="error", markup=False)
            return
        self.post_message(self.Loaded(requests, entries))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        t = self.t
        minutes: dict[int, int] = {}
        for entry in message.entries:
            if entry.request_id is not None:
                minutes[entry.request_id] = minutes.get(entry.request_id, 0) + entry.minutes
        today = self.caseload.now().date()
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        open_count = 0
        for r in message.requests:
            if r.is_open:
                open_count += 1
                lane = r.standing(message.entries, today, self.caseload.calendar).lane
                state = Text(t(f"lane.{lane}"), style="bold")
            else:
                state = Text(
                    t("pupil.closed", outcome=t(f"outcome.{r.outcome}"), day=t.day(r.closed_at.date()))
                )  # type: ignore[union-attr]
            table.add_row(
                str(r.id), t.day(r.created.date()) + f" {r.created:%Y}", state,
                t.minutes(minutes.get(r.id, 0)), literal(r.summary), key=str(r.id),
            )  # fmt: skip
        table.move_cursor(row=min(at, max(0, table.row_count - 1)))
        title = self.heading()
        closed = len(message.requests) - open_count
        counts = t("pupil.counts", open=t.n("n.open", open_count), closed=t.n("n.closed", closed))
        self.query_one("#pupil-title", Static).update(literal(f"{title} · {counts}"))
        table.focus()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.open_request(int(key))  # type: ignore[attr-defined, arg-type]

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.t, self))
