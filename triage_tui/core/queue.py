"""The day's queue as the app and `triage list` show it: computed once, from the hot data
(which holds every open request with all its time), off the screen's thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from .calendar import SchoolCalendar
from .model import LANES, Request, Standing, TimeEntry, Timer

if TYPE_CHECKING:
    from .forecast import Forecast


@dataclass(frozen=True)
class QueueRow:
    """One open request where it stands today."""

    request: Request
    standing: Standing
    waited: int  # school days from its creation to its first contact (or today)
    since_contact: int | None  # school days since its last contact (None: never reached)
    downgraded: bool
    postponed: bool
    latest_time: TimeEntry | None  # the latest time logged on it, if any

    @property
    def id(self) -> int:
        return self.request.id

    @property
    def lane(self) -> str:
        return self.standing.lane or "ongoing"

    @property
    def overdue(self) -> bool:
        return self.standing.overdue

    @property
    def waiting(self) -> bool:
        return self.standing.phase == "waiting"


@dataclass(frozen=True)
class DayQueue:
    """Everything the queue screen shows, as of `now`."""

    now: datetime
    lanes: dict[str, tuple[QueueRow, ...]]
    timer: Timer | None
    minutes_today: int
    first_start: bool  # nothing recorded yet
    forecast: Forecast | None = None  # this week's, when asked for (Caseload.day_queue)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def overdue(self) -> int:
        return sum(row.overdue for rows in self.lanes.values() for row in rows)

    def count(self, lane: str) -> int:
        return len(self.lanes[lane])

    def row(self, request_id: int) -> QueueRow | None:
        return next((row for rows in self.lanes.values() for row in rows if row.id == request_id), None)

    def rows(self) -> list[QueueRow]:
        """Every open request, lane by lane, each lane in its order."""
        return [row for lane in LANES for row in self.lanes[lane]]


def day_queue(
    requests: dict[int, Request],
    entries: dict[int, TimeEntry],
    timer: Timer | None,
    now: datetime,
    calendar: SchoolCalendar,
) -> DayQueue:
    today = now.date()
    linked: dict[int, list[TimeEntry]] = {}
    minutes_today = 0
    for entry in entries.values():
        if entry.start.date() == today:
            minutes_today += entry.minutes
        if entry.request_id is not None:
            linked.setdefault(entry.request_id, []).append(entry)
    lanes: dict[str, list[tuple[tuple, QueueRow]]] = {lane: [] for lane in LANES}
    for r in requests.values():
        if not r.is_open:
            continue
        mine = linked.get(r.id, [])
        standing = r.standing(mine, today, calendar)
        first, last = standing.first_contact, standing.last_contact
        row = QueueRow(
            request=r,
            standing=standing,
            waited=calendar.school_days_between(r.created.date(), first.date() if first else today),
            since_contact=calendar.school_days_between(last.date(), today) if last else None,
            downgraded=bool(r.downgrades()),
            postponed=bool(r.postponements()),
            latest_time=max(mine, key=lambda t: t.start) if mine else None,
        )
        lanes[row.lane].append((standing.order(r), row))
    return DayQueue(
        now=now,
        lanes={
            lane: tuple(row for _, row in sorted(rows, key=lambda pair: pair[0]))
            for lane, rows in lanes.items()
        },
        timer=timer,
        minutes_today=minutes_today,
        first_start=not requests and not entries,
    )
