"""The day's queue as the app shows it: computed once, from the hot data, off the screen's thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .calendar import SchoolCalendar
from .model import URGENCIES, Request, TimeEntry, Timer

LANES = ("now", "tomorrow", "later")


@dataclass(frozen=True)
class QueueRow:
    """One open request where it stands today."""

    request: Request
    lane: str
    overdue: bool
    waited: int  # school days since it came in
    downgraded: bool
    postponed: bool
    latest_time: TimeEntry | None  # the latest time logged on it, if any

    @property
    def id(self) -> int:
        return self.request.id


@dataclass(frozen=True)
class DayQueue:
    """Everything the queue screen shows, as of `now`."""

    now: datetime
    lanes: dict[str, tuple[QueueRow, ...]]
    timer: Timer | None
    minutes_today: int
    first_start: bool  # nothing recorded yet

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


def queue_order(request: Request, today: date, calendar: SchoolCalendar) -> tuple[int, date, int, int]:
    """By lane, then due date, then class, then id."""
    lane = request.lane(today, calendar)
    return LANES.index(lane), request.due, URGENCIES.index(request.urgency), request.id


def day_queue(
    requests: dict[int, Request],
    entries: dict[int, TimeEntry],
    timer: Timer | None,
    now: datetime,
    calendar: SchoolCalendar,
) -> DayQueue:
    today = now.date()
    latest: dict[int, TimeEntry] = {}
    minutes_today = 0
    for entry in entries.values():
        if entry.start.date() == today:
            minutes_today += entry.minutes
        if entry.request_id is not None:
            known = latest.get(entry.request_id)
            if known is None or entry.start > known.start:
                latest[entry.request_id] = entry
    lanes: dict[str, list[QueueRow]] = {lane: [] for lane in LANES}
    open_requests = sorted(
        (r for r in requests.values() if r.is_open), key=lambda r: queue_order(r, today, calendar)
    )
    for r in open_requests:
        lane = r.lane(today, calendar)
        lanes[lane].append(
            QueueRow(
                request=r,
                lane=lane,
                overdue=r.is_overdue(today),
                waited=calendar.school_days_between(r.created.date(), today),
                downgraded=bool(r.downgrades()),
                postponed=bool(r.postponements()),
                latest_time=latest.get(r.id),
            )
        )
    return DayQueue(
        now=now,
        lanes={lane: tuple(rows) for lane, rows in lanes.items()},
        timer=timer,
        minutes_today=minutes_today,
        first_start=not requests and not entries,
    )
