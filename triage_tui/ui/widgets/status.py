"""The status bar: the running timer (ticking), today's time, overdue, this week's forecast,
the balance of the week and the school year so far, lane counts. When the line is too long
for the screen, the least needed parts give way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.widgets import Static

from ...caseload import Caseload
from ...core.errors import TriageError
from ...core.queue import LANES, DayQueue
from ...core.text import printable
from ...i18n import Messages
from ...present import forecast_status, signed
from ...store import StoreError

if TYPE_CHECKING:  # the review and the forecast are not needed to start the app
    from ...core.forecast import Forecast
    from ...core.review import Balance

SEPARATOR = "  ·  "
# What gives way, in turn, when the line is too long: the lane counts (the lanes' titles give
# them), the forecast's long form (for its short one), "no timer", the balances (the review
# gives them too), today's time.
GIVE_WAY = ("counts", "forecast", "no_timer", "balance", "today")


class StatusBar(Static):
    """Shows what the last read of the queue found, and then the forecast and balances read
    for it; only the timer ticks in between."""

    def __init__(self, caseload: Caseload, t: Messages) -> None:
        super().__init__(id="status")
        self.caseload = caseload
        self.t = t
        self.queue: DayQueue | None = None
        self.forecast: Forecast | None = None  # this week's, as of the queue shown
        self.balances: tuple[Balance, Balance] | None = None  # this week's, this school year's
        self.said: str | None = None  # the last failure to read them that was said

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def show(self, queue: DayQueue) -> None:
        """Show what `queue` says at once; the forecast and the balances, which take longer
        to work out, follow it (until then the last ones stay)."""
        self.queue = queue
        self.tick()
        # After the frame that shows the queue, which a key waits for: beside it, this read
        # would slow it down.
        self.call_after_refresh(self.read_more, queue)

    @work(thread=True, exclusive=True, group="status")
    def read_more(self, queue: DayQueue) -> None:
        """The forecast for `queue`, and the balances (the school year's time is in the
        archives too): off the event loop."""
        try:
            forecast, balances = self.caseload.forecast_for(queue), self.caseload.balances()
        except (TriageError, StoreError) as e:
            self.app.call_from_thread(self.more_failed, queue, e)
            return
        self.app.call_from_thread(self.more_read, queue, forecast, balances)

    def more_read(
        self, queue: DayQueue, forecast: Forecast | None, balances: tuple[Balance, Balance]
    ) -> None:
        if queue is self.queue:  # not one shown before it, come late
            self.forecast, self.balances, self.said = forecast, balances, None
            self.tick()

    def more_failed(self, queue: DayQueue, error: TriageError | StoreError) -> None:
        """What was read before no longer goes with the queue shown: it goes, and the
        reason is said (once while it stays the same: every change would say it again)."""
        if queue is not self.queue:
            return
        self.forecast = self.balances = None
        self.tick()
        said = printable(self.t("msg.store_error", error=self.t.error(error)))
        if said != self.said:
            self.said = said
            self.notify(said, severity="error", markup=False)

    def on_resize(self) -> None:
        self.tick()

    def tick(self) -> None:
        t, queue = self.t, self.queue
        if queue is None:
            return
        parts: list[tuple[str, str, str]] = []  # (name, text, style), in the order shown
        timer = queue.timer
        if timer is None:
            parts.append(("no_timer", t("status.no_timer"), "dim"))
        else:
            seconds = max(0, int((self.caseload.now() - timer.start).total_seconds()))
            elapsed = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
            key = "status.timer" if timer.request_id else "status.timer_unlinked"
            label = t(key, elapsed=elapsed, id=timer.request_id, activity=t(f"activity.{timer.activity}"))
            parts.append(("timer", label, "bold reverse"))
        settings = self.caseload.settings
        day_minutes = round(settings.contract_hours * 60 * settings.position_percent / 100 / 5)
        logged = t.minutes(queue.minutes_today)
        parts.append(("today", t("status.today", logged=logged, day=t.minutes(day_minutes)), ""))
        if queue.overdue:  # before the counts, which the lanes' titles also give: it stays in sight
            parts.append(("overdue", t("status.overdue", n=queue.overdue), "bold red"))
        forecast = self.forecast
        if forecast is not None:  # the time left goes down as the day goes on
            forecast = forecast.with_time_left(self.caseload.time_left())
            parts.append(("forecast", forecast_status(t, forecast), "bold" if forecast.at_risk else ""))
        if self.balances is not None:
            week, year = (signed(t, balance.balance_minutes) for balance in self.balances)
            parts.append(("balance", t("status.balance", week=week, year=year), ""))
        parts.append(("counts", t("status.counts", **{lane: queue.count(lane) for lane in LANES}), ""))
        room = self.content_size.width or None  # none yet before the first layout
        for name in GIVE_WAY:
            if room is None or sum(cell_len(p[1]) for p in parts) + len(SEPARATOR) * (len(parts) - 1) <= room:
                break
            if name == "forecast" and forecast is not None:
                parts = [(n, forecast_status(t, forecast, short=True) if n == name else text, style)
                         for n, text, style in parts]  # fmt: skip
            else:
                parts = [part for part in parts if part[0] != name]
        text = Text()
        for number, (_, said, style) in enumerate(parts):
            text.append(SEPARATOR if number else "")
            text.append(said, style=style)
        self.update(text, layout=False)  # one line, always: no layout each second
