"""The status bar: the running timer (ticking), today's time, lane counts, overdue."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...caseload import Caseload
from ...i18n import Messages


class StatusBar(Static):
    def __init__(self, caseload: Caseload, t: Messages) -> None:
        super().__init__(id="status")
        self.caseload = caseload
        self.t = t
        self.counts = {"now": 0, "tomorrow": 0, "later": 0}
        self.overdue = 0

    def on_mount(self) -> None:
        self.set_interval(1, self.refresh_status)

    def refresh_status(self) -> None:
        t, caseload = self.t, self.caseload
        now = caseload.now()
        timer = caseload.timer
        text = Text()
        if timer is None:
            text.append(t("status.no_timer"), style="dim")
        else:
            seconds = max(0, int((now - timer.start).total_seconds()))
            elapsed = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
            key = "status.timer" if timer.request_id else "status.timer_unlinked"
            label = t(key, elapsed=elapsed, id=timer.request_id, activity=t(f"activity.{timer.activity}"))
            text.append(label, style="bold reverse")
        day_minutes = round(caseload.settings.contract_hours * 60 / 5)
        logged = t.minutes(caseload.minutes_on(now.date()))
        text.append("  ·  " + t("status.today", logged=logged, day=t.minutes(day_minutes)))
        text.append("  ·  " + t("status.counts", **self.counts))
        if self.overdue:
            text.append("  ·  ")
            text.append(t("status.overdue", n=self.overdue), style="bold red")
        self.update(text)
