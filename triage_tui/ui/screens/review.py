"""The weekly review: what got pushed aside, where the time went, and the last eight weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static
from textual.worker import get_current_worker

from ...caseload import Caseload
from ...core.errors import TriageError
from ...core.model import ACTIVITIES, URGENCIES
from ...core.review import QUIET_SCHOOL_DAYS, TimeSpent, Week, WeeklyReview
from ...core.text import printable
from ...i18n import Messages
from ...present import breach_state, follow_up_state, quiet_state, still_open_state
from ...store import StoreError
from ..text import literal
from ..watcher import DataChanged
from ..widgets.keybar import KeyBar

TREND_WEEKS = 8
BAR_WIDTH = 20
SHORT_BELOW = 30  # rows
KIND_STYLES = {"breach": "bold red", "slip": "bold red", "follow_up_late": "red", "quiet": "dark_orange3"}


class ReviewScreen(Screen[None]):
    @dataclass
    class Loaded(Message):
        week: Week
        review: WeeklyReview

    @dataclass
    class TrendLoaded(Message):
        week: Week
        reviews: list[WeeklyReview]  # the eight weeks up to `week`, oldest first

    # Below 100 columns the trend gives way, and the bars are shorter; below 30 rows the
    # summary's parts follow each other without a blank line, so the list keeps some rows.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW, "-tall")]
    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", "Previous week", key_display="[", id="previous_week"),
        Binding("right_square_bracket", "step(1)", "Next week", key_display="]", id="next_week"),
        Binding("enter", "open", "Open", show=False, id="open"),
        Binding("escape,q", "app.pop_screen", "Back", id="back"),
        Binding("w", "app.pop_screen", "Week", show=False, id="review"),  # the key that opened it
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
    ]

    def __init__(self, caseload: Caseload, t: Messages, week: Week | None = None) -> None:
        super().__init__()
        self.caseload = caseload
        self.t = t
        self.week = week or Week.of(caseload.now().date())
        self.review: WeeklyReview | None = None  # the one shown, made again for a new size

    def compose(self) -> ComposeResult:
        yield Label("", id="review-title")
        with Horizontal(id="review-top"):
            yield Static("", id="review-summary")
            with Vertical(id="review-right"):
                yield Static("", id="review-time")
                yield Label(self.t("review.trend", weeks=TREND_WEEKS), classes="review-heading")
                for name in ("received", "met", "minutes"):
                    with Horizontal(classes="trend"):
                        yield Label(self.t(f"review.trend.{name}"), classes="trend-label")
                        yield Label("", id=f"trend-{name}", classes="trend-bars")
                        yield Label("", id=f"trend-{name}-value", classes="trend-value")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="review-requests")
        for column in ("what", "id", "pupil", "urgency", "due", "detail"):
            table.add_column(self.t(f"review.col.{column}"), key=column)
        yield table
        yield KeyBar(self.t)

    def on_mount(self) -> None:
        self.show_week(self.week)

    @on(DataChanged)
    def data_changed(self) -> None:
        self.load(self.week)

    def action_step(self, weeks: int) -> None:
        week = self.week.step(weeks)
        if week > Week.of(self.caseload.now().date()):
            self.notify(self.t("review.no_future"), severity="warning")
            return
        self.show_week(week)

    def show_week(self, week: Week) -> None:
        self.week = week
        t = self.t
        title = t("review.heading", number=week.number, year=week.year,
                  monday=t.day(week.monday), sunday=t.day(week.sunday))  # fmt: skip
        self.query_one("#review-title", Label).update(title)
        self.load(week)

    @work(thread=True, exclusive=True, group="review")
    def load(self, week: Week) -> None:
        """The week's review, then the eight weeks of the trend: a moment on years of data,
        so off the event loop. The review is shown as soon as it is ready."""
        worker = get_current_worker()
        try:
            review = self.caseload.review(week)
            if worker.is_cancelled:
                return
            self.post_message(self.Loaded(week, review))
            weeks = [week.step(-n) for n in reversed(range(1, TREND_WEEKS))]
            reviews = [self.caseload.review(w) for w in weeks]
        except (TriageError, StoreError) as e:
            self.app.call_from_thread(self.notify, printable(self.t.error(e)), severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.post_message(self.TrendLoaded(week, [*reviews, review]))

    @on(Loaded)
    def show_review(self, message: Loaded) -> None:
        if message.week != self.week:
            return
        self.review = message.review
        self.show_numbers(message.review)
        self.show_requests(message.review)

    def on_resize(self) -> None:
        if self.review is not None:
            self.show_numbers(self.review)

    def show_numbers(self, review: WeeklyReview) -> None:
        """The summary, and beside it where the time went, in the room the summary leaves:
        nothing wraps, in either language, from 80 columns up."""
        summary = self.summary(review)
        gap = 2 if self.app.size.width >= 100 else 1
        width = max(cell_len(line) for line in summary.plain.splitlines()) + gap
        box = self.query_one("#review-summary", Static)
        box.styles.width = width
        box.update(summary)
        room = self.app.size.width - 2 - width  # the screen's padding, and the summary
        self.query_one("#review-time", Static).update(self.time_split(review.time, room))

    def summary(self, review: WeeklyReview) -> Text:
        t = self.t
        gap = "" if self.app.size.height < SHORT_BELOW else "\n"
        text = Text()
        text.append(t.n("n.came_in", sum(review.received.values())) + "\n", style="bold")
        text.append(
            "  " + ", ".join(f"{t(f'urgency.{u}')} {review.received[u]}" for u in URGENCIES) + "\n" + gap
        )
        text.append(t("review.targets") + "\n", style="bold")
        for u in URGENCIES:
            target = review.targets[u]
            if target.due:
                met = t("review.met", met=target.met, due=target.due)
                if target.pending:
                    met += " " + t("review.pending", n=target.pending)
                text.append(f"  {t(f'urgency.{u}')}: {met}\n")
        text.append(gap + t("review.pushed") + "\n", style="bold")
        for key in ("downgrades", "postponements", "slips", "closed_without_contact"):
            count = len(getattr(review, key))
            text.append(f"  {t(f'review.{key}')}: ", style="")
            text.append(f"{count}\n", style="bold red" if count else "")
        late = sum(not f.on_time for f in review.follow_ups)
        text.append(f"  {t('review.follow_ups_late')}: ")
        met = t("review.met", met=late, due=len(review.follow_ups))
        text.append(met + "\n", style="bold red" if late else "")
        text.append(f"  {t('review.open_at_end')}: {len(review.open_at_end)}\n")
        quiet = len(review.quiet_cases)
        text.append(gap + t("review.before_acute") + "\n", style="bold")
        text.append(f"  {t('review.quiet_cases', days=QUIET_SCHOOL_DAYS)}: ")
        text.append(f"{quiet}", style="bold dark_orange3" if quiet else "")
        return text

    def time_split(self, spent: TimeSpent, room: int) -> Text:
        """Time by activity, as bars as long as `room` cells allow (up to BAR_WIDTH)."""
        t = self.t
        text = Text()
        logged, contract = t.minutes(spent.total_minutes), t.minutes(spent.contract_minutes)
        text.append(t("review.time", logged=logged, contract=contract) + "\n", style="bold")
        rows = [(t(f"activity.{activity}"), t.minutes(minutes), minutes, ACTIVITIES[activity])
                for activity, minutes in sorted(spent.by_activity.items(), key=lambda item: -item[1])
                if minutes]  # fmt: skip
        label = max([cell_len(row[0]) for row in rows] or [0]) + 1
        value = max([cell_len(row[1]) for row in rows] or [0])
        bar_width = max(3, min(BAR_WIDTH, room - 2 - label - 1 - value))
        widest = max([row[2] for row in rows] or [1])
        for name, duration, minutes, kind in rows:
            bar = "█" * max(1, round(bar_width * minutes / widest))
            style = {"direct": "green", "indirect": "dodger_blue3", "administrative": "dark_orange3"}[kind]
            text.append(f"  {name}{' ' * (label - cell_len(name))}")
            text.append(f"{bar:<{bar_width}}", style=style)
            text.append(f" {duration}\n")
        if spent.direct_share is not None:
            text.append(t("review.direct", share=round(100 * spent.direct_share)) + "\n", style="dim")
        return text

    def show_requests(self, review: WeeklyReview) -> None:
        """The requests to look at: missed targets, slips, next steps, quiet cases, and the
        longest waiting."""
        t = self.t
        table = self.query_one("#review-requests", DataTable)
        table.clear()
        rows: list[tuple[str, int, str, str | None, date | None, str]] = []
        for b in review.breaches:
            rows.append(("breach", b.id, b.pupil, b.urgency, b.due, breach_state(t, b)))
        for s in review.slips:
            rows.append(("slip", s.id, s.pupil, None, s.due, ""))
        for d in review.downgrades:
            change = f"{t('urgency.' + d.from_)} → {t('urgency.' + d.to)}"
            rows.append(("downgrade", d.id, d.pupil, d.to, d.at.date(), change))
        for p in review.postponements:
            change = f"{t.day(p.from_due)} → {t.day(p.to_due)}"
            rows.append(("postponement", p.id, p.pupil, None, p.to_due, change))
        for c in review.closed_without_contact:
            rows.append(("silent", c.id, c.pupil, None, None, t(f"outcome.{c.outcome}")))
        for f in review.follow_ups:
            kind = "follow_up_kept" if f.on_time else "follow_up_late"
            rows.append((kind, f.id, f.pupil, None, f.next_step, follow_up_state(t, f)))
        for q in review.quiet_cases:
            rows.append(("quiet", q.id, q.pupil, None, q.next_step, quiet_state(t, q)))
        for o in review.open_at_end[:20]:
            rows.append(("waiting", o.id, o.pupil, o.urgency, o.due, still_open_state(t, o)))
        for number, (kind, request_id, pupil, urgency, due, detail) in enumerate(rows):
            table.add_row(
                Text(t(f"review.kind.{kind}"), style=KIND_STYLES.get(kind, "")),
                Text(str(request_id), justify="right"),
                literal(pupil, "bold"),
                t(f"urgency.{urgency}") if urgency else "",
                t.day(due) if due else "",
                detail,
                key=f"{number}:{request_id}",
            )

    @on(TrendLoaded)
    def trend_loaded(self, message: TrendLoaded) -> None:
        self.show_trend(message.week, message.reviews)

    def show_trend(self, week: Week, reviews: list[WeeklyReview]) -> None:
        if week != self.week:
            return
        series = {
            "received": [sum(r.received.values()) for r in reviews],
            "met": [_met_share(r) for r in reviews],  # None: no target decided that week
            "minutes": [r.time.total_minutes for r in reviews],
        }
        for name, values in series.items():
            self.query_one(f"#trend-{name}", Label).update(bars(values))
        last = reviews[-1]
        self.query_one("#trend-received-value", Label).update(str(series["received"][-1]))
        met = series["met"][-1]
        self.query_one("#trend-met-value", Label).update("–" if met is None else f"{met:.0f} %")
        self.query_one("#trend-minutes-value", Label).update(self.t.minutes(last.time.total_minutes))

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        table = self.query_one("#review-requests", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        self.app.open_request(int(key.split(":")[1]))  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.t, self))


BLOCKS = " ▁▂▃▄▅▆▇█"


def bars(values: list[float | None]) -> Text:
    """Two cells a week, each bar from zero to the highest week; dots where there is no value."""
    top = max([v for v in values if v is not None] or [0]) or 1
    text = Text()
    for value in values:
        if value is None:
            text.append("··", style="dim")
        else:
            text.append(BLOCKS[max(1, round(8 * value / top)) if value else 0] * 2, style="bold")
    return text


def _met_share(review: WeeklyReview) -> float | None:
    """Targets reached as a share of those decided (reached, or passed without contact)."""
    targets = review.targets.values()
    decided = sum(t.due - t.pending for t in targets)
    return 100 * sum(t.met for t in targets) / decided if decided else None
