"""The forecast: will this week's open work fit in the contract time left in the week?

Worked out from the therapist's own history, so it can be checked by hand:

- **The history** is the eight ISO weeks before this one: from Monday 00:00 eight weeks
  before this week's Monday up to this Monday 00:00. The week under way is left out, so the
  medians hold still while she works through it.
- **Minutes to a first contact** of a request: the minutes of its first time entry (the one
  that is its first contact). It counts when that entry started in the history, under the
  class the request had at that moment.
- **Minutes to a close**: all minutes logged on it from its creation to its close. It counts
  when the close (the one that stands now) fell in the history, under its class at the
  close. A close with no time logged before it (withdrawn, no action) is left out: it took
  no time, and would pull the median to zero.
- **Minutes of a follow-up contact**: the minutes of each later entry (not the first) on a
  request that started in the history.
- Each is a **median**, to the whole minute (halves up), per class (now, tomorrow, later) and
  over all classes. A class with no first contact in the history takes the median over all
  classes; follow-ups with no contact in the history take the median first contact over
  all classes. With no first contact at all in the eight weeks there is nothing to go on:
  there is no forecast.
- **This week's work** is every open request whose action date (its due date while new, its
  next step while a follow-up) is this week's Sunday or earlier (overdue ones included). A
  new request needs the median first contact of its class; a follow-up one follow-up
  contact. A follow-up with no next step is not counted.
- **The time left** is the contract time of the working days left in the week (the days
  contract time counts: weekdays that are not public holidays nor in a break marked off).
  A working day has a fifth of the week's full contract, `contract_hours` ×
  `position_percent` / 100 / 5 (7 h 30 at 37.5 h and 100 %). Today counts for the part of
  its day, 08:00 to 15:30, that has not passed yet: at 10:00, 5 h 30 of 7 h 30.
- **At risk**: walking the queue in its order (Now, Tomorrow, Later; in each new requests
  first), adding up what each request needs, the requests past the point where the sum goes
  over the time left may slip at this pace.

Only `time_left` depends on the clock minute by minute; the rest changes with the data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from .calendar import SchoolCalendar
from .model import URGENCIES, Request, TimeEntry

if TYPE_CHECKING:
    from .queue import DayQueue

HISTORY_WEEKS = 8
# Today's contract time is counted over a school day of 08:00–15:30 (7.5 hours).
DAY_START, DAY_END = time(8, 0), time(15, 30)
WORKING_DAYS = 5  # a full week's contract is shared over five days


@dataclass(frozen=True)
class Handled:
    """What one request adds to the history."""

    first_contact: tuple[str, int] | None  # (class, minutes), when its first contact is in it
    close: tuple[str, int] | None  # (class, minutes to the close), when its close is in it
    follow_ups: tuple[int, ...]  # the minutes of each later contact in it


@dataclass(frozen=True)
class Median:
    count: int  # how many requests (or contacts) it is the median of
    median_minutes: int | None  # None: none in the history


@dataclass(frozen=True)
class Basis:
    """The medians the forecast uses, and what they were worked out from."""

    from_: date  # the Monday of the first of the weeks
    to: date  # the Sunday of the last
    weeks: int
    first_contact: dict[str, Median]  # now, tomorrow, later, and all
    close: dict[str, Median]  # the same
    follow_up_contact: Median

    def first_contact_minutes(self, urgency: str) -> tuple[int, bool]:
        """What a first contact takes in `urgency`, and whether the median over all classes
        stood in for it."""
        own = self.first_contact[urgency].median_minutes
        overall = self.first_contact["all"].median_minutes
        assert overall is not None  # a basis has at least one first contact
        return (own, False) if own is not None else (overall, True)

    def follow_up_minutes(self) -> tuple[int, bool]:
        own = self.follow_up_contact.median_minutes
        return (own, False) if own is not None else self.first_contact_minutes("all")


@dataclass(frozen=True)
class Need:
    """One request of this week's work, in queue order."""

    id: int
    kind: str  # now, tomorrow or later (a new request of that class), or follow_up
    action_date: date
    minutes: int


@dataclass(frozen=True)
class DemandPart:
    kind: str  # as in Need
    requests: int
    minutes_each: int
    minutes: int
    fallback: bool  # no history of its own: the median over all classes stands in


@dataclass(frozen=True)
class TimeLeft:
    minutes: int  # day_minutes × working_days_after_today + today_minutes
    day_minutes: int  # a working day's contract minutes
    working_days_after_today: int  # in this week
    today_minutes: int  # what is left of today's


@dataclass(frozen=True)
class Forecast:
    """Will this week's open work fit in the time left? `as_json` of the weekly review gives
    every field."""

    last_day: date  # the week's last school day (its Sunday when it has none)
    demand_minutes: int
    minutes_left: int
    at_risk: tuple[int, ...]  # request ids, in queue order
    demand: tuple[DemandPart, ...]
    time_left: TimeLeft
    basis: Basis
    queue: tuple[Need, ...]  # what is counted, in queue order

    def with_time_left(self, left: TimeLeft) -> Forecast:
        """The same work against the time left at another moment of the week."""
        return replace(self, minutes_left=left.minutes, time_left=left,
                       at_risk=_at_risk(self.queue, left.minutes))  # fmt: skip


def history_window(today: date) -> tuple[datetime, datetime]:
    """The eight ISO weeks before `today`'s: [their first Monday 00:00, this Monday 00:00)."""
    monday = datetime.combine(today - timedelta(days=today.weekday()), time())
    return monday - timedelta(weeks=HISTORY_WEEKS), monday


def _class_at(request: Request, moment: datetime) -> str:
    """The class `request` had at `moment` (its first, for a moment before that)."""
    event = next((e for e in reversed(request.events) if e.type == "classified" and e.at <= moment), None)
    return (event or request.first_classification).to or "later"


def _linked(entries: Iterable[TimeEntry]) -> dict[int, list[TimeEntry]]:
    linked: dict[int, list[TimeEntry]] = {}
    for entry in entries:
        if entry.request_id is not None:
            linked.setdefault(entry.request_id, []).append(entry)
    return linked


def handled(request: Request, entries: list[TimeEntry], start: datetime, end: datetime) -> Handled | None:
    """What one request adds to the history [start, end) (`entries`: its time), if anything."""
    mine = sorted(entries, key=lambda t: (t.start, t.id))
    if not mine:
        return None  # no contact: nothing to learn from
    first = mine[0]
    first_contact = None
    if start <= first.start < end:
        first_contact = (_class_at(request, first.start), first.minutes)
    close = None
    closed = request.closed_at
    if closed is not None and start <= closed < end:
        minutes = sum(t.minutes for t in mine if t.start < closed)
        if minutes:
            close = (request.urgency, minutes)
    follow_ups = tuple(t.minutes for t in mine[1:] if start <= t.start < end)
    return Handled(first_contact, close, follow_ups) if first_contact or close or follow_ups else None


def handled_in(
    requests: Iterable[Request], entries: Iterable[TimeEntry], start: datetime, end: datetime
) -> dict[int, Handled]:
    """What each request adds to the history [start, end), by id (those that add nothing are
    left out). `entries`: at least all the time of `requests`."""
    linked = _linked(entries)
    found = ((request.id, handled(request, linked.get(request.id, []), start, end)) for request in requests)
    return {request_id: item for request_id, item in found if item is not None}


def handled_stored(
    doc: dict[str, Any], times: Iterable[tuple[int, dict[str, Any]]], low: str, high: str
) -> Handled | None:
    """`handled`, of a request as stored (`times`: its time entries as stored, by id; `low`
    and `high`: the history's bounds as local clock time, `2026-09-28T00:00:00`), by the
    local clock time its moments begin with: weeks of history read this way cost a fraction
    of parsing every event."""
    mine = sorted((t["start"][:19], key, t["minutes"]) for key, t in times)
    if not mine:
        return None
    events = doc["events"]
    classes = [(e["at"][:19], e["to"]) for e in events if e["type"] == "classified"]
    first_at, _, first_minutes = mine[0]
    first_contact = None
    if low <= first_at < high:
        then = [to for at, to in classes if at <= first_at]
        first_contact = ((then or [classes[0][1]])[-1], first_minutes)
    last = next((e for e in reversed(events) if e["type"] in ("closed", "reopened")), None)
    close = None
    if last is not None and last["type"] == "closed" and low <= last["at"][:19] < high:
        minutes = sum(m for at, _, m in mine if at < last["at"][:19])
        if minutes:
            close = (classes[-1][1], minutes)
    follow_ups = tuple(m for at, _, m in mine[1:] if low <= at < high)
    return Handled(first_contact, close, follow_ups) if first_contact or close or follow_ups else None


def handled_in_stored(
    requests: dict[str, dict[str, Any]], times: dict[str, dict[str, Any]], start: datetime, end: datetime
) -> dict[int, Handled]:
    """`handled_in`, of a data file's tables as stored: its `requests` and `time`."""
    low, high = start.isoformat(), end.isoformat()
    linked: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for key, doc in times.items():
        if doc.get("request") is not None:
            linked.setdefault(doc["request"], []).append((int(key), doc))
    found: dict[int, Handled] = {}
    for key, doc in requests.items():
        mine = linked.get(int(key), [])
        # Only one with an event or time in the history or later can add to it.
        if doc["events"][-1]["at"] >= low or any(t["start"] >= low for _, t in mine):
            item = handled_stored(doc, mine, low, high)
            if item is not None:
                found[int(key)] = item
    return found


def _median(values: list[int]) -> Median:
    """To the whole minute, halves up (the mean of the middle two of an even count)."""
    if not values:
        return Median(0, None)
    ordered, middle = sorted(values), len(values) // 2
    doubled = 2 * ordered[middle] if len(values) % 2 else ordered[middle - 1] + ordered[middle]
    return Median(len(values), (doubled + 1) // 2)


def basis(history: Iterable[Handled], start: datetime, end: datetime) -> Basis | None:
    """The medians of the history [start, end); None when it holds no first contact."""
    first: dict[str, list[int]] = {u: [] for u in URGENCIES}
    close: dict[str, list[int]] = {u: [] for u in URGENCIES}
    follow_ups: list[int] = []
    for handled in history:
        if handled.first_contact is not None:
            first[handled.first_contact[0]].append(handled.first_contact[1])
        if handled.close is not None:
            close[handled.close[0]].append(handled.close[1])
        follow_ups += handled.follow_ups
    if not any(first.values()):
        return None

    def medians(samples: dict[str, list[int]]) -> dict[str, Median]:
        every = [m for u in URGENCIES for m in samples[u]]
        return {u: _median(samples[u]) for u in URGENCIES} | {"all": _median(every)}

    return Basis(start.date(), (end - timedelta(days=1)).date(), (end - start).days // 7, medians(first),
                 medians(close), _median(follow_ups))  # fmt: skip


def time_left(
    now: datetime,
    calendar: SchoolCalendar,
    *,
    contract_hours: float = 37.5,
    position_percent: float = 100.0,
    week_minutes: float | None = None,
) -> TimeLeft:
    """The contract time left in `now`'s week, over its working days (those contract time
    counts: weekdays that are not public holidays nor in a break marked off). A working day
    has a fifth of the week's full contract (`contract_hours` × `position_percent` / 100), or,
    given `week_minutes` (the week's contract minutes), an even share of them. Today counts
    for the part of 08:00–15:30 that has not passed yet."""
    today = now.date()
    sunday = today + timedelta(days=6 - today.weekday())
    if week_minutes is None:
        day = contract_hours * 60 * position_percent / 100 / WORKING_DAYS
    else:
        days = calendar.working_days(sunday - timedelta(days=6), sunday)
        day = week_minutes / days if days else 0.0
    after = calendar.working_days(today + timedelta(days=1), sunday)
    today_minutes = 0
    if calendar.working_days(today, today):
        start, end = datetime.combine(today, DAY_START), datetime.combine(today, DAY_END)
        unpassed = min(1.0, max(0.0, (end - now) / (end - start)))
        today_minutes = round(day * unpassed)
    day_minutes = round(day)
    return TimeLeft(day_minutes * after + today_minutes, day_minutes, after, today_minutes)


def _at_risk(queue: tuple[Need, ...], minutes_left: int) -> tuple[int, ...]:
    at_risk, needed = [], 0
    for need in queue:
        needed += need.minutes
        if needed > minutes_left:
            at_risk.append(need.id)
    return tuple(at_risk)


def forecast(
    queue: DayQueue, found: Basis | None, left: TimeLeft, calendar: SchoolCalendar
) -> Forecast | None:
    """This week's forecast as of the queue's moment; None without a basis. Walks the
    queue once: the medians come worked out."""
    if found is None:
        return None
    today = queue.today
    sunday = today + timedelta(days=6 - today.weekday())
    needs: list[Need] = []
    parts: dict[str, list[int]] = {}
    fallback: dict[str, bool] = {}
    for row in queue.rows():
        action = row.standing.action_date
        if action is None or action > sunday:
            continue
        if row.waiting:
            kind = row.request.urgency
            minutes, fallback[kind] = found.first_contact_minutes(kind)
        else:
            kind = "follow_up"
            minutes, fallback[kind] = found.follow_up_minutes()
        needs.append(Need(row.id, kind, action, minutes))
        parts.setdefault(kind, []).append(minutes)
    demand = tuple(
        DemandPart(kind, len(parts[kind]), parts[kind][0], sum(parts[kind]), fallback[kind])
        for kind in (*URGENCIES, "follow_up") if kind in parts
    )  # fmt: skip
    last_day = next((d for d in (sunday - timedelta(days=n) for n in range(7))
                     if calendar.is_school_day(d)), sunday)  # fmt: skip
    walked = tuple(needs)
    return Forecast(last_day, sum(n.minutes for n in needs), left.minutes, _at_risk(walked, left.minutes),
                    demand, left, found, walked)  # fmt: skip


class HistoryCache:
    """The basis, worked out again only when the data it comes from changed: the archives
    (keyed by their files, which change about once a week) and the hot data (keyed by the
    store's version, which every write changes), so a queue refresh only walks the queue."""

    def __init__(self) -> None:
        self._archived: tuple[Hashable, dict[int, Handled]] | None = None
        self._basis: tuple[Hashable, Basis | None] | None = None
        # Each hot request's part, with the objects it came from (see `hot_part`).
        self._hot: dict[int, tuple[Request, list[TimeEntry], Handled | None]] = {}
        self._hot_start: datetime | None = None
        self._lock = threading.Lock()

    def basis(
        self,
        today: date,
        archived_key: Hashable,
        archived: Callable[[datetime, datetime], dict[int, Handled]],
        hot_key: Hashable,
        hot: Callable[[datetime, datetime], tuple[Collection[int], dict[int, Handled]]],
    ) -> Basis | None:
        """`archived(start, end)` gives what the archives' requests add to the history;
        `hot(start, end)` the ids of the hot data's requests, which win over any copy in an
        archive, and what they add (`hot_part`, or `handled_in_stored`)."""
        start, end = history_window(today)
        key = (start, archived_key, hot_key)
        with self._lock:  # the status bar's reads and the review's may ask at once
            if self._basis is not None and self._basis[0] == key:
                return self._basis[1]
            if self._archived is None or self._archived[0] != (start, archived_key):
                self._archived = ((start, archived_key), archived(start, end))
            ids, part = hot(start, end)
            history = {k: v for k, v in self._archived[1].items() if k not in ids} | part
            found = basis(history.values(), start, end)
            self._basis = (key, found)
            return found

    def hot_part(
        self, requests: dict[int, Request], entries: dict[int, TimeEntry], start: datetime, end: datetime
    ) -> tuple[Collection[int], dict[int, Handled]]:
        """What the hot data's requests add to the history, each worked out again only when
        it or its time is a new object (the store parses again only what a write changed)."""
        if start != self._hot_start:
            self._hot, self._hot_start = {}, start
        linked = _linked(entries.values())
        known, self._hot = self._hot, {}
        part: dict[int, Handled] = {}
        for request_id, request in requests.items():
            mine = linked.get(request_id, [])
            seen = known.get(request_id)
            if (seen is not None and seen[0] is request and len(seen[1]) == len(mine)
                    and all(a is b for a, b in zip(seen[1], mine, strict=True))):  # fmt: skip
                found = seen[2]
            else:
                found = handled(request, mine, start, end)
            self._hot[request_id] = (request, mine, found)
            if found is not None:
                part[request_id] = found
        return requests.keys(), part
