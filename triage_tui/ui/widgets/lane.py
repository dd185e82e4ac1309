"""A lane of the queue: one table, its title (with a count) on its border."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from ...core.queue import QueueRow
from ...i18n import Messages
from ..text import literal

COLUMNS = ("id", "pupil", "summary", "due", "urgency", "waited", "marks", "source")
# Mid-tone colours, readable on dark and light themes alike.
SUMMARY_MIN = 12  # cells: below this the summary says too little, and the table scrolls
URGENCY_STYLES = {"now": "bold red3", "tomorrow": "bold dark_orange3", "later": "bold dodger_blue3"}


class LaneTable(DataTable):
    """The requests of one lane; j/k move like the arrows, and past its ends to the next lane."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
    ]

    @dataclass
    class Edge(Message):
        """The cursor was moved past the first (step -1) or last (step 1) row."""

        lane: LaneTable
        step: int

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.Edge(self, 1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.Edge(self, -1))
        else:
            super().action_cursor_up()

    def __init__(self, lane: str, t: Messages) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=f"table-{lane}", classes="lane")
        self.lane = lane
        self.t = t
        self.shown: list[QueueRow] = []
        self.filtered = False
        for column in COLUMNS:
            self.add_column(t(f"col.{column}"), key=column, width=1)  # fitted in `show`

    def on_resize(self) -> None:
        if self.shown:
            self.show(self.shown, self.filtered)

    def show(self, rows: list[QueueRow], filtered: bool = False) -> None:
        """Show `rows`; every column fits its widest cell, and the summary takes the room
        that is left, cut with an ellipsis when it has to be."""
        t = self.t
        self.shown, self.filtered = rows, filtered
        title = f"{t(f'lane.{self.lane}')} ({len(rows)})"
        empty = t("lane.no_match") if filtered else t(f"lane.empty.{self.lane}")
        self.border_title = title if rows else f"{title} — {empty}"
        self.set_class(not rows, "empty")
        cells = [self.cells(row) for row in rows]
        widths = {
            key: max([column.label.cell_len, *(line[i].cell_len for line in cells)])
            for i, (key, column) in enumerate(self.columns.items())
        }
        padding = 2 * self.cell_padding * len(COLUMNS)
        room = self.content_region.width - self.styles.scrollbar_size_vertical - padding
        widths["summary"] = max(SUMMARY_MIN, room - sum(w for key, w in widths.items() if key != "summary"))
        for key, column in self.columns.items():
            column.width = widths[key]
        summary = COLUMNS.index("summary")
        at = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value if self.row_count else None
        self.clear()
        for row, line in zip(rows, cells, strict=True):
            line[summary].truncate(widths["summary"], overflow="ellipsis")
            self.add_row(*line, key=str(row.id))
        if at in self.rows:  # the cursor stays on its request
            self.move_cursor(row=self.get_row_index(at), animate=False)

    def cells(self, row: QueueRow) -> list[Text]:
        t, r = self.t, row.request
        flags = {"overdue": row.overdue, "downgraded": row.downgraded, "postponed": row.postponed}
        marks = [t(f"mark.{name}") for name, on in flags.items() if on]
        return [
            Text(str(r.id), justify="right"),
            literal(r.pupil, "bold"),
            literal(r.summary),
            Text(t.day(r.due), style="bold red" if row.overdue else ""),
            Text(t(f"urgency.{r.urgency}"), style=URGENCY_STYLES[r.urgency]),
            Text(t("waited.days", n=row.waited), justify="right"),
            Text(", ".join(marks), style="italic"),
            Text(t(f"source.{r.source}")),
        ]
