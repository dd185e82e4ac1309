"""The weekly review: what got pushed aside, where the time went, and the last eight weeks; and
the same for a term or a school year, month by month (`p` steps from one view to the next)."""

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
from ...core.forecast import HISTORY_WEEKS
from ...core.model import ACTIVITIES, URGENCIES
from ...core.review import QUIET_SCHOOL_DAYS, PeriodReview, TimeSpent, Week, WeeklyReview
from ...core.text import printable
from ...core.year import Period
from ...i18n import Messages
from ...present import (
    balance,
    breach_state,
    follow_up_state,
    forecast_basis,
    forecast_lines,
    forecast_status,
    forecast_verdict,
    long_wait_state,
    period_name,
    plan_name,
    plan_points,
    quiet_state,
    signed,
    still_open_state,
)
from ...store import StoreError
from ..keys import key_of
from ..text import literal
from ..watcher import DataChanged
from ..widgets.keybar import KeyBar

TREND_WEEKS = 8
PERIOD_ROWS = 20  # of each kind of request, in the list of a term or school year
BAR_WIDTH = 20
SHORT_BELOW = 30  # rows
Row = tuple[str, int, str, str | None, date | None, str]  # kind, id, pupil, urgency, date, detail
KIND_STYLES = {"breach": "bold red", "slip": "bold red", "follow_up_late": "red", "quiet": "dark_orange3",
               "at_risk": "bold dark_orange3"}  # fmt: skip


class ReviewScreen(Screen[None]):
    @dataclass
    class Loaded(Message):
        week: Week | Period  # what is reviewed: a week, a term or a school year
        review: WeeklyReview | PeriodReview

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
        Binding("p", "period", "Week/term/year", id="period"),
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
        self.period: Period | None = None  # the term or school year shown, instead of the week
        self.review: WeeklyReview | PeriodReview | None = None  # the one shown, made again for a new size

    def compose(self) -> ComposeResult:
        yield Label("", id="review-title")
        with Horizontal(id="review-top"):
            yield Static("", id="review-summary")
            with Vertical(id="review-right"):
                yield Static("", id="review-time")
                trend = self.t("review.trend", weeks=TREND_WEEKS)
                yield Label(trend, id="review-trend", classes="review-heading")
                for name in ("received", "met", "minutes"):
                    with Horizontal(classes="trend"):
                        yield Label(self.t(f"review.trend.{name}"), classes="trend-label")
                        yield Label("", id=f"trend-{name}", classes="trend-bars")
                        yield Label("", id=f"trend-{name}-value", classes="trend-value")
                yield Static("", id="review-forecast-brief")
        yield Static("", id="review-forecast")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="review-requests")
        for column in ("what", "id", "pupil", "urgency", "due", "detail"):
            table.add_column(self.t(f"review.col.{column}"), key=column)
        yield table
        yield KeyBar(self.t)

    def on_mount(self) -> None:
        self.show_week(self.week)

    @on(DataChanged)
    def data_changed(self) -> None:
        self.load(self.period or self.week)

    def action_step(self, count: int) -> None:
        """The week (term, school year) before or after, up to the one under way."""
        today = self.caseload.now().date()
        if self.period is not None:
            period = self.period.step(count)
            if period.first > today:
                self.notify(self.t("review.no_future_period"), severity="warning")
            else:
                self.show_period(period)
            return
        week = self.week.step(count)
        if week > Week.of(today):
            self.notify(self.t("review.no_future"), severity="warning")
            return
        self.show_week(week)

    def action_period(self) -> None:
        """From the week to its term, to its school year, and back to the week."""
        if self.period is None:
            self.show_period(Period.of(self.week.monday, term=True))
        elif self.period.term is not None:
            self.show_period(Period(self.period.year))
        else:
            self.show_week(self.week)

    def key_word(self, action: str) -> str | None:
        """`[` and `]` step terms or school years while one is shown (see KeyBar)."""
        if self.period is None or action not in ("previous_week", "next_week"):
            return None
        return f"key.{action.split('_')[0]}_{'term' if self.period.term else 'year'}"

    def show_week(self, week: Week) -> None:
        self.week, self.period = week, None
        t = self.t
        title = t("review.heading", number=week.number, year=week.year,
                  monday=t.day(week.monday), sunday=t.day(week.sunday))  # fmt: skip
        self.query_one("#review-title", Label).update(title)
        self.query_one("#review-trend", Label).update(t("review.trend", weeks=TREND_WEEKS))
        self.remove_class("-period")
        self.refresh_bindings()  # `[` and `]` step weeks again
        self.load(week)

    def show_period(self, period: Period) -> None:
        self.period = period
        t = self.t
        name = period_name(t, period)
        title = t("review.period_heading", period=name[:1].upper() + name[1:], first=t.date(period.first),
                  last=t.date(period.last))  # fmt: skip
        self.query_one("#review-title", Label).update(title)
        self.query_one("#review-trend", Label).update(t("review.months"))
        self.add_class("-period")
        self.refresh_bindings()
        self.load(period)

    @work(thread=True, exclusive=True, group="review")
    def load(self, week: Week | Period) -> None:
        """The week's review, then the eight weeks of the trend: a moment on years of data,
        so off the event loop. The review is shown as soon as it is ready. A term's or a
        school year's review brings its months."""
        worker = get_current_worker()
        try:
            if isinstance(week, Period):
                review: WeeklyReview | PeriodReview = self.caseload.period_review(week)
                if not worker.is_cancelled:
                    self.post_message(self.Loaded(week, review))
                return
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
        if message.week != (self.period or self.week):
            return
        self.review = message.review
        self.show_numbers(message.review)
        self.show_requests(message.review)
        if isinstance(message.review, PeriodReview):
            self.set_class(False, "-this-week")  # no forecast
            self.show_months(message.review)
        else:
            self.show_forecast(message.review)

    def on_resize(self) -> None:
        if self.review is not None:
            self.show_numbers(self.review)
            if isinstance(self.review, WeeklyReview):
                self.show_forecast(self.review)

    def show_numbers(self, review: WeeklyReview | PeriodReview) -> None:
        """The summary, and beside it where the time went, in the room the summary leaves:
        nothing wraps, in either language, from 80 columns up."""
        summary = self.summary(review)
        gap = 2 if self.app.size.width >= 100 else 1
        width = max(cell_len(line) for line in summary.plain.splitlines()) + gap
        box = self.query_one("#review-summary", Static)
        box.styles.width = width
        box.update(summary)
        room = self.app.size.width - 2 - width  # the screen's padding, and the summary
        time = self.time_split(review.time, room) + self.hours(review, room)
        self.query_one("#review-time", Static).update(time)

    def hours(self, review: WeeklyReview | PeriodReview, room: int) -> Text:
        """The balance, the school year's so far (unless that is what is shown; in short when
        room is short), the plan."""
        t = self.t
        text = Text(t("review.balance", balance=balance(t, review.time.balance_minutes)) + "\n")
        year = review.year_to_date
        if isinstance(review, WeeklyReview) or review.period.term == "spring":
            logged, contract = t.minutes(year.logged_minutes), t.minutes(year.contract_minutes)
            said = balance(t, year.balance_minutes)
            line = t("review.year_balance", logged=logged, contract=contract, balance=said)
            if cell_len(line) > room:
                line = t("review.year_balance_short", balance=signed(t, year.balance_minutes))
            text.append(line + "\n", style="dim")
        for name, share in review.plan.items():
            actual = "–" if share.actual_pct is None else t.number(share.actual_pct)
            gap = "" if share.gap_pct is None else f", {plan_points(t, share.gap_pct)}"
            planned = t.number(share.planned_pct)
            line = t("review.plan", name=plan_name(t, name), planned=planned, actual=actual, gap=gap)
            text.append(line + "\n", style="dim")
        return text

    def summary(self, review: WeeklyReview | PeriodReview) -> Text:
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
        still_open = "review.open_at_end" if isinstance(review, WeeklyReview) else "review.open_at_period_end"
        text.append(f"  {t(still_open)}: {len(review.open_at_end)}\n")
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

    def show_forecast(self, review: WeeklyReview) -> None:
        """The week under way's forecast (a past week has none): the work against the time
        left, what may slip, and how it was worked out from which medians (those it uses; the
        report gives all). Below 30 rows only its line of the queue's status bar, beside the
        time split, so the list keeps its rows."""
        t, forecast = self.t, review.forecast
        self.set_class(review.week == Week.of(self.caseload.now().date()), "-this-week")
        box = self.query_one("#review-forecast", Static)
        brief = self.query_one("#review-forecast-brief", Static)
        text = Text(t("report.h.forecast"), style="bold")
        if forecast is None:
            text.append(" " + t("forecast.none", weeks=HISTORY_WEEKS))
            box.update(text)
            brief.update(t("forecast.none", weeks=HISTORY_WEEKS))
            return
        slipping = "bold dark_orange3" if forecast.at_risk else ""
        brief.update(Text(forecast_status(t, forecast), style=slipping))
        work, *how = forecast_lines(t, forecast)
        text.append(" " + work + "\n")
        ids = ", ".join(f"#{request_id}" for request_id in forecast.at_risk)
        text.append(forecast_verdict(t, forecast) + (f" {ids}" if ids else ""), style=slipping)
        heading, first_contact, _, follow_up = forecast_basis(t, forecast.basis)
        text.append("\n" + " ".join(how), style="dim")
        text.append(f"\n{heading} {first_contact}; {follow_up}", style="dim")
        box.update(text)

    def show_requests(self, review: WeeklyReview | PeriodReview) -> None:
        """The requests to look at: missed targets, slips, next steps, quiet cases, and the
        longest waiting."""
        t = self.t
        table = self.query_one("#review-requests", DataTable)
        table.clear()
        if isinstance(review, PeriodReview):
            self.show_period_requests(review, table)
            return
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
        if review.forecast is not None:  # what may slip this week, in queue order
            still_open = {o.id: o for o in review.open_at_end}
            for need in review.forecast.queue:
                o = still_open.get(need.id)
                if need.id in review.forecast.at_risk and o is not None:
                    detail = t("review.needs", time=t.minutes(need.minutes))
                    rows.append(("at_risk", o.id, o.pupil, o.urgency, need.action_date, detail))
        for o in review.open_at_end[:20]:
            rows.append(("waiting", o.id, o.pupil, o.urgency, o.due, still_open_state(t, o)))
        self.add_rows(table, rows)

    def show_period_requests(self, review: PeriodReview, table: DataTable) -> None:
        """A term's or school year's: too many to list them all (the summary counts them),
        so the worst of each kind: targets missed by the most, late next steps, the quiet
        cases, those who waited longest, and those still open."""
        t = self.t
        rows: list[Row] = []
        breaches = sorted(review.breaches, key=lambda b: (b.handled is not None, -(b.school_days_late or 0)))
        for b in breaches[:PERIOD_ROWS]:
            rows.append(("breach", b.id, b.pupil, b.urgency, b.due, breach_state(t, b)))
        late = sorted((f for f in review.follow_ups if not f.on_time),
                      key=lambda f: (f.contact is not None, -(f.school_days_late or 0)))  # fmt: skip
        for f in late[:PERIOD_ROWS]:
            rows.append(("follow_up_late", f.id, f.pupil, None, f.next_step, follow_up_state(t, f)))
        for q in review.quiet_cases:
            rows.append(("quiet", q.id, q.pupil, None, q.next_step, quiet_state(t, q)))
        for w in review.longest_waits:
            rows.append(("long_wait", w.id, w.pupil, w.urgency, w.came_in, long_wait_state(t, w)))
        for o in review.open_at_end[:PERIOD_ROWS]:
            rows.append(("waiting", o.id, o.pupil, o.urgency, o.due, still_open_state(t, o)))
        self.add_rows(table, rows)

    def add_rows(self, table: DataTable, rows: list[Row]) -> None:
        t = self.t
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

    def show_months(self, review: PeriodReview) -> None:
        """The trend of a term or school year: its months so far, beside its totals."""
        months = review.months
        decided = [m.targets_due - m.targets_pending for m in months]
        series = {
            "received": [m.received for m in months],
            "met": [100 * m.targets_met / d if d else None for m, d in zip(months, decided, strict=True)],
            "minutes": [m.logged_minutes for m in months],
        }
        for name, values in series.items():
            self.query_one(f"#trend-{name}", Label).update(bars(values))
        self.query_one("#trend-received-value", Label).update(str(sum(review.received.values())))
        met = _met_share(review)
        self.query_one("#trend-met-value", Label).update("–" if met is None else f"{met:.0f} %")
        self.query_one("#trend-minutes-value", Label).update(self.t.minutes(review.time.total_minutes))

    def show_trend(self, week: Week, reviews: list[WeeklyReview]) -> None:
        if week != self.week or self.period is not None:
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

    def help_notes(self) -> str:
        """What help says under the keys: the views, and what the balance is."""
        keys = {name: key_of(self, action) for name, action in
                (("period", "period"), ("previous", "previous_week"), ("next", "next_week"))}  # fmt: skip
        return self.t("help.review", **keys)

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


def _met_share(review: WeeklyReview | PeriodReview) -> float | None:
    """Targets reached as a share of those decided (reached, or passed without contact)."""
    targets = review.targets.values()
    decided = sum(t.due - t.pending for t in targets)
    return 100 * sum(t.met for t in targets) / decided if decided else None
