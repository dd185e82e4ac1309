"""A lane of the queue: its title with a count, and its requests as a table."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from ...core.calendar import SchoolCalendar
from ...core.model import Request
from ...i18n import Messages
from ..text import literal

COLUMNS = ("id", "pupil", "source", "urgency", "due", "waited", "marks", "summary")
# Mid-tone colours, readable on dark and light themes alike.
URGENCY_STYLES = {"now": "bold red3", "tomorrow": "bold dark_orange3", "later": "bold dodger_blue3"}


class LaneTable(DataTable):
    """The requests of one lane; j/k move like the arrows."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
    ]


class Lane(Vertical):
    def __init__(self, lane: str, t: Messages) -> None:
        super().__init__(id=f"lane-{lane}", classes="lane")
        self.lane = lane
        self.t = t

    def compose(self) -> ComposeResult:
        yield Label("", classes="lane-title")
        table = LaneTable(cursor_type="row", zebra_stripes=True, id=f"table-{self.lane}")
        for column in COLUMNS:
            table.add_column(self.t(f"col.{column}"), key=column)
        yield table
        yield Label(self.t(f"lane.empty.{self.lane}"), classes="lane-empty")

    @property
    def table(self) -> LaneTable:
        return self.query_one(LaneTable)

    def show(self, requests: list[Request], today: date, calendar: SchoolCalendar) -> None:
        t = self.t
        self.query_one(".lane-title", Label).update(f"{t(f'lane.{self.lane}')} ({len(requests)})")
        self.set_class(not requests, "empty")
        table = self.table
        table.clear()
        for r in requests:
            marks = [
                t(f"mark.{name}")
                for name, on in (
                    ("overdue", r.is_overdue(today)),
                    ("downgraded", r.downgrades()),
                    ("postponed", r.postponements()),
                )
                if on
            ]
            waited = calendar.school_days_between(r.created.date(), today)
            table.add_row(
                Text(str(r.id), justify="right"),
                literal(r.pupil, "bold"),
                t(f"source.{r.source}"),
                Text(t(f"urgency.{r.urgency}"), style=URGENCY_STYLES[r.urgency]),
                Text(t.day(r.due), style="bold red" if r.is_overdue(today) else ""),
                Text(t("waited.days", n=waited), justify="right"),
                Text(", ".join(marks), style="italic"),
                literal(r.summary),
                key=str(r.id),
            )
