"""The status bar: the running timer (ticking), today's time, lane counts, overdue."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...caseload import Caseload
from ...core.queue import LANES, DayQueue
from ...i18n import Messages


class StatusBar(Static):
    """Shows what the last read of the queue found; only the timer ticks in between."""

    def __init__(self, caseload: Caseload, t: Messages) -> None:
        super().__init__(id="status")
        self.caseload = caseload
        self.t = t
        self.queue: DayQueue | None = None

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def show(self, queue: DayQueue) -> None:
        self.queue = queue
        self.tick()

    def tick(self) -> None:
        t, queue = self.t, self.queue
        if queue is None:
            return
        text = Text()
        timer = queue.timer
        if timer is None:
            text.append(t("status.no_timer"), style="dim")
        else:
            seconds = max(0, int((self.caseload.now() - timer.start).total_seconds()))
            elapsed = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
            key = "status.timer" if timer.request_id else "status.timer_unlinked"
            label = t(key, elapsed=elapsed, id=timer.request_id, activity=t(f"activity.{timer.activity}"))
            text.append(label, style="bold reverse")
        day_minutes = round(self.caseload.settings.contract_hours * 60 / 5)
        logged = t.minutes(queue.minutes_today)
        text.append("  ·  " + t("status.today", logged=logged, day=t.minutes(day_minutes)))
        if queue.overdue:  # before the counts, which the lanes' titles also give: it stays in sight
            text.append("  ·  ")
            text.append(t("status.overdue", n=queue.overdue), style="bold red")
        text.append("  ·  " + t("status.counts", **{lane: queue.count(lane) for lane in LANES}))
        self.update(text, layout=False)  # one line, always: no layout each second
