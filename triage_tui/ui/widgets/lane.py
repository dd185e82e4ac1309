"""A lane of the queue: its requests, one row each under a header, with a cursor.

The lane draws itself line by line (Textual's line API) from segments made once when it is
filled. Textual's DataTable measures and renders every cell through Rich instead, which on
this machine costs about a millisecond a row: a queue of 150 requests would take longer to
show than the 50 ms a key may take to reach the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.queue import QueueRow
from ...core.text import printable
from ...i18n import Messages
from ..keys import key_of

COLUMNS = ("id", "pupil", "contact", "summary", "due", "urgency", "waited", "marks", "source")
RIGHT = {"id", "waited"}  # numbers, aligned right
# Only the summary shrinks (the preview shows it whole); these columns are cut at a width
# that keeps every column in sight at 80 columns, whatever the codes typed.
LIMITS = {"pupil": 10, "source": 10}
SUMMARY_MIN = 8  # cells: below this the row is cut at the right
MARKS = {"overdue": "!", "downgraded": "↓", "postponed": "»"}  # spelled out in the preview and help
# Mid-tone colours, readable on dark and light themes alike.
URGENCY_STYLES = {"now": "bold red3", "tomorrow": "bold dark_orange3", "later": "bold dodger_blue3"}


@dataclass(frozen=True)
class Cell:
    text: str  # shown as it is: user text has been made printable
    style: str = ""


def cells(t: Messages, row: QueueRow) -> list[Cell]:
    r, standing = row.request, row.standing
    flags = {"overdue": row.overdue, "downgraded": row.downgraded, "postponed": row.postponed}
    last = standing.last_contact
    action = standing.action_date
    return [
        Cell(str(r.id)),
        Cell(printable(r.pupil), "bold"),
        Cell(t("contact.new"), "bold") if last is None else Cell(f"{last:%d.%m}", "dim"),
        Cell(printable(r.summary)),
        Cell(t.day(action) if action else "", "bold red" if row.overdue else ""),
        Cell(t(f"urgency.{r.urgency}"), URGENCY_STYLES[r.urgency]),
        Cell(t("waited.days", n=row.waited)),
        Cell("".join(mark for name, mark in MARKS.items() if flags[name]), "bold"),
        Cell(t(f"source.{r.source}")),
    ]


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    length = cell_len(text)
    if length > width:
        while cell_len(text) > width - 1:
            text = text[:-1]
        return text + "…"
    padding = " " * (width - length)
    return padding + text if right else text + padding


class LaneTable(ScrollView, can_focus=True):
    """The requests of one lane. Arrows (or j/k) move the cursor, and past its ends on to the
    next lane; Enter opens the request under it."""

    COMPONENT_CLASSES = {
        "lane--header", "lane--stripe", "lane--cursor", "lane--cursor-focus", "lane--border-focus"
    }  # fmt: skip
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, id="down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="up"),
        Binding("home,g", "move_to(0)", "First", show=False, id="first"),
        Binding("end,G", "move_to(-1)", "Last", show=False, id="last"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="page_up"),
        Binding("enter", "select", "Open", show=False, id="open"),
    ]

    @dataclass
    class Selected(Message):
        lane: LaneTable
        request_id: int

    @dataclass
    class Edge(Message):
        """The cursor was moved past the first (step -1) or last (step 1) row."""

        lane: LaneTable
        step: int

    def __init__(self, lane: str, t: Messages, moved: Callable[[LaneTable], object]) -> None:
        """`moved` is called when the cursor is on another request (or on none), at once: what
        shows the request under it changes in the same frame as the cursor, not one later."""
        super().__init__(id=f"table-{lane}", classes="lane")
        self.lane = lane
        self.t = t
        self.moved = moved
        self.shown: list[QueueRow] = []
        self.filtered = False
        self.folded = False  # only its title, with how many
        self.ids: list[int] = []
        self.cursor_row = 0
        self._cells: list[list[Cell]] = []
        self._lines: list[list[Segment]] = []
        self._header: list[Segment] = []
        self._widths: list[int] = []
        self._made: dict[int, tuple[list[Cell], list[Segment]]] = {}  # by id() of the row's cells
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._unfold_key: str | None = None

    # -- filling -------------------------------------------------------------------------
    def show(self, rows: list[QueueRow], filtered: bool = False, *, again: bool = False) -> None:
        """Show `rows` (a folded lane: only how many); the cursor stays on its request if that
        is still here, else on the row that took its place (whoever shows rows says which is
        selected: `moved` is not called). Every column fits its widest
        cell, and the summary takes the room that is left. Rows seen before are not made
        again, and a lane whose rows did not change is left as it is."""
        if rows == self.shown and filtered == self.filtered and self._lines and not again:
            return
        t = self.t
        at = self.cursor_id()
        made = dict(zip(self.shown, self._cells, strict=False))  # rows are equal when nothing changed
        self.shown, self.filtered = rows, filtered
        title = f"{t(f'lane.{self.lane}')} ({len(rows)})"
        empty = t("lane.no_match") if filtered else t(f"lane.empty.{self.lane}")
        if self.folded and rows:
            if self._unfold_key is None:  # the keymap is set once, at start
                self._unfold_key = key_of(self.screen, "ongoing")
            title = f"{title} — {t('lane.folded', ongoing=self._unfold_key)}"
        self.border_title = title if rows else f"{title} — {empty}"
        self.set_class(not rows, "empty")
        self.set_class(self.folded and bool(rows), "folded")
        visible = [] if self.folded else rows
        self.ids = [row.id for row in visible]
        self._cells = [made.get(row) or cells(t, row) for row in visible]
        self._layout()
        self.cursor_row = self.ids.index(at) if at in self.ids else min(self.cursor_row, len(visible) - 1)
        self.cursor_row = max(self.cursor_row, 0)
        self._scroll_to_cursor()

    def fold(self, folded: bool) -> None:
        self.folded = folded
        self.show(self.shown, self.filtered, again=True)

    def _layout(self) -> None:
        """Make every row's segments for the width the lane has now (again only for the rows
        that changed, while the widths stay)."""
        headers = [self.t(f"col.{column}") for column in COLUMNS]
        widths = [
            min(
                LIMITS.get(column, 999),
                max([cell_len(header), *(cell_len(line[i].text) for line in self._cells)]),
            )
            for i, (column, header) in enumerate(zip(COLUMNS, headers, strict=True))
        ]
        summary = COLUMNS.index("summary")
        room = self.scrollable_content_region.width - len(COLUMNS)  # a space before each cell
        widths[summary] = max(SUMMARY_MIN, room - sum(widths) + widths[summary])
        if widths != self._widths:
            self._widths, self._made = widths, {}

        def segments(line: list[Cell], header: bool = False) -> list[Segment]:
            return [
                Segment(f" {fit(cell.text, width, COLUMNS[i] in RIGHT and not header)}", _style(cell.style))
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            ]

        made = self._made
        self._made = {id(line): made.get(id(line)) or (line, segments(line)) for line in self._cells}
        self._header = segments([Cell(h) for h in headers], header=True)
        self._lines = [self._made[id(line)][1] for line in self._cells]
        self._strips.clear()
        size = Size(sum(widths) + len(COLUMNS), len(self._lines) + 1)
        viewport = self.scrollable_content_region.height
        scrolls = size.height > viewport
        if scrolls == self.show_vertical_scrollbar and size.width == self.virtual_size.width:
            # It scrolls before and after, or fits before and after: only a scrollbar need
            # know. A new virtual size would lay the whole screen out again, a few
            # milliseconds on every action.
            self.set_reactive(LaneTable.virtual_size, size)
            if scrolls:
                self.vertical_scrollbar.window_virtual_size = size.height
        else:
            self.virtual_size = size
        if self.scroll_y > self.max_scroll_y:  # fewer rows: no blank space under the last
            self.scroll_to(y=self.max_scroll_y, animate=False)
        self.refresh()

    def on_resize(self) -> None:
        self._layout()

    # -- drawing -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("lane--header")
            return Strip(Segment.apply_style(self._header, base + header)).adjust_cell_length(width, base)
        index = self.scroll_offset.y + y - 1
        if index >= len(self._lines):
            return Strip.blank(width, base)
        cursor = index == self.cursor_row
        strip = self._strips.get((index, cursor))
        if strip is None:
            row_style = base + self.get_component_rich_style("lane--stripe") if index % 2 else base
            focused = "lane--cursor-focus" if self.has_focus else "lane--cursor"
            post = self.get_component_rich_style(focused) if cursor else None
            strip = Strip(Segment.apply_style(self._lines[index], row_style, post))
            strip = strip.adjust_cell_length(width, row_style + post if post else row_style)
            self._strips[(index, cursor)] = strip
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._show_focus())

    def watch_has_focus(self, _has_focus: bool) -> None:
        """The lane with focus has a brighter border and cursor, drawn here rather than with
        CSS `:focus`: Textual restyles a widget (and its scrollbars) whose focus changes, a
        few milliseconds on every key that moves the focus between lanes."""
        self._show_focus()

    def _show_focus(self) -> None:
        """The border's colour changes, not its edges: no layout."""
        edge, color = self.styles.base.border_top  # as the stylesheet has it
        if self.has_focus:
            color = self.get_component_styles("lane--border-focus").color
        self.styles.border = (edge, color)
        self._strips.clear()
        self.refresh()

    # -- the cursor ----------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.ids)

    def cursor_id(self) -> int | None:
        return self.ids[self.cursor_row] if 0 <= self.cursor_row < len(self.ids) else None

    def move_cursor_to(self, request_id: int) -> None:
        if request_id in self.ids:
            self._set_cursor(self.ids.index(request_id))

    def _set_cursor(self, row: int) -> None:
        row = max(0, min(row, len(self.ids) - 1))
        if row != self.cursor_row:
            self.cursor_row = row
            self._strips.clear()
            self.refresh()
            self.moved(self)
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)  # under the header
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def action_move(self, step: int) -> None:
        row = self.cursor_row + step
        if not self.ids or row < 0 or row >= len(self.ids):
            self.post_message(self.Edge(self, step))
        else:
            self._set_cursor(row)

    def action_move_to(self, row: int) -> None:
        self._set_cursor(row if row >= 0 else len(self.ids) - 1)

    def action_page(self, step: int) -> None:
        self._set_cursor(self.cursor_row + step * max(1, self.scrollable_content_region.height - 1))

    def action_select(self) -> None:
        request_id = self.cursor_id()
        if request_id is not None:
            self.post_message(self.Selected(self, request_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = self.scroll_offset.y + offset.y - 1
        if row < len(self.ids):
            again = row == self.cursor_row
            self._set_cursor(row)
            if again or event.chain > 1:
                self.action_select()


_STYLES: dict[str, Style] = {}


def _style(text: str) -> Style:
    style = _STYLES.get(text)
    if style is None:
        style = _STYLES[text] = Style.parse(text) if text else Style()
    return style
