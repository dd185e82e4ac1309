"""The weekly review: what got deprioritised, and where the time went (DESIGN.md); and the
same for a school year or a term, with its months and who waited longest.

Everything is derived from the stored history and time, as of the end of the week (or now,
for the week under way), so entries made after the fact count the same as live ones.
Contract time counts the days up to then: a week or year under way is measured so far.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from .calendar import SchoolCalendar
from .errors import TriageError
from .forecast import Forecast
from .model import ACTIVITIES, SOURCES, URGENCIES, Request, TimeEntry, is_downgrade
from .year import Period, SchoolYear, contract_minutes

QUIET_SCHOOL_DAYS = (
    10  # an ongoing case with no contact for this long is quiet: help it before it turns acute
)
_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
LONGEST_WAITS = 10  # the requests a school year's or term's review names as those who waited longest


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, Monday to Sunday, as Norwegian calendars count them."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        m = _WEEK.fullmatch(text.strip())
        if m and 1900 <= int(m[1]) <= 9998:
            try:
                return cls.of(date.fromisocalendar(int(m[1]), int(m[2]), 1))
            except ValueError:
                pass
        # Only what looks like a week is repeated: anything else may be pupil text.
        shown = f"'{text.strip()}'" if re.fullmatch(r"[0-9Ww -]{1,12}", text.strip()) else "that"
        raise TriageError(f"{shown} is not a week I understand; write it as 2026-W47", "bad_week", text=text)

    @classmethod
    def of(cls, day: date) -> Week:
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time())

    @property
    def end(self) -> datetime:
        """The moment the week is over: the next Monday at 00:00."""
        return self.start + timedelta(days=7)

    def step(self, weeks: int) -> Week:
        return Week.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def as_of(request: Request, moment: datetime) -> Request | None:
    """The request as it stood at `moment` (None if it did not exist yet)."""
    if request.events[-1].at <= moment:  # recorded in the order they happened: all of them
        return request if len(request.events) >= 2 else None
    events = tuple(e for e in request.events if e.at <= moment)
    return replace(request, events=events) if len(events) >= 2 else None


# Fields that hold a pupil's code, or text typed about a pupil: `anonymise` replaces the
# first with aliases and drops the second, whichever part of the review holds them.
PUPIL = {"private": "pupil"}
FREE_TEXT = {"private": "text"}


@dataclass(frozen=True)
class Target:
    due: int  # targets (first due dates) that fell in the week
    met: int
    pending: int  # not passed yet, and not handled yet


@dataclass(frozen=True)
class Breach:
    id: int
    pupil: str = field(metadata=PUPIL)
    urgency: str
    due: date
    handled: date | None
    school_days_late: int | None


@dataclass(frozen=True)
class Downgrade:
    id: int
    pupil: str = field(metadata=PUPIL)
    from_: str
    to: str
    at: datetime
    why: str | None = field(metadata=FREE_TEXT)


@dataclass(frozen=True)
class Postponement:
    id: int
    pupil: str = field(metadata=PUPIL)
    from_due: date
    to_due: date
    at: datetime
    why: str | None = field(metadata=FREE_TEXT)


@dataclass(frozen=True)
class Slip:
    id: int
    pupil: str = field(metadata=PUPIL)
    due: date


@dataclass(frozen=True)
class StillOpen:
    id: int
    pupil: str = field(metadata=PUPIL)
    urgency: str
    due: date
    waiting_school_days: int
    first_contact: date | None
    postponed: int
    downgraded: int


@dataclass(frozen=True)
class SilentClose:
    id: int
    pupil: str = field(metadata=PUPIL)
    outcome: str


@dataclass(frozen=True)
class FollowUp:
    id: int
    pupil: str = field(metadata=PUPIL)
    next_step: date
    contact: date | None
    on_time: bool
    school_days_late: int | None


@dataclass(frozen=True)
class QuietCase:
    id: int
    pupil: str = field(metadata=PUPIL)
    last_contact: date
    school_days: int
    next_step: date | None


@dataclass(frozen=True)
class Wait:
    count: int
    median_school_days: float | int


@dataclass(frozen=True)
class TimeSpent:
    total_minutes: int
    by_activity: dict[str, int]  # every activity, in ACTIVITIES order
    by_urgency: dict[str, int]  # now, tomorrow, later, unlinked
    direct_share: float | None
    contract_minutes: int  # up to the review's last day (today, for one under way)
    balance_minutes: int  # logged minus contract


@dataclass(frozen=True)
class Balance:
    """Time logged against contract time, from one day to another (both included)."""

    from_: date
    to: date
    logged_minutes: int
    contract_minutes: int
    balance_minutes: int


@dataclass(frozen=True)
class PlanShare:
    """A share of the time in the work plan, beside the share logged (percent)."""

    planned_pct: float
    actual_pct: float | None  # None: no time logged
    gap_pct: float | None  # actual minus planned


@dataclass(frozen=True)
class Month:
    """One month of a school year or term: its row of the trend."""

    month: str  # 2025-08
    received: int
    targets_due: int
    targets_met: int
    targets_pending: int
    downgrades: int
    postponements: int
    slips: int
    logged_minutes: int
    contract_minutes: int
    balance_minutes: int


@dataclass(frozen=True)
class LongWait:
    """A request that came in during the period, by how long it waited for a first contact
    (to its contact, to its close without one, or to the end of the period)."""

    id: int
    pupil: str = field(metadata=PUPIL)
    urgency: str  # its first
    came_in: date
    contact: date | None
    outcome: str | None  # closed without contact: how
    waiting_school_days: int


@dataclass(frozen=True)
class WeeklyReview:
    """What the weekly review shows; `as_json` is the JSON the CLI prints."""

    week: Week
    as_of: datetime  # the week's last moment, or now for the week under way
    received: dict[str, int]  # by first urgency
    targets: dict[str, Target]  # by first urgency
    breaches: tuple[Breach, ...]
    downgrades: tuple[Downgrade, ...]
    postponements: tuple[Postponement, ...]
    slips: tuple[Slip, ...]
    open_at_end: tuple[StillOpen, ...]
    closed_without_contact: tuple[SilentClose, ...]
    follow_ups: tuple[FollowUp, ...]
    quiet_cases: tuple[QuietCase, ...]
    time: TimeSpent
    waits_by_source: dict[str, Wait]
    year_to_date: Balance  # the school year of `as_of`, up to then
    plan: dict[str, PlanShare]  # by kind of time or activity; empty without a work plan
    forecast: Forecast | None = None  # the week under way's (core/forecast.py); None for a past one

    @property
    def under_way(self) -> bool:
        return self.as_of < self.week.end - timedelta(minutes=1)

    def as_json(self) -> dict[str, Any]:
        return {
            "week": str(self.week),
            "from": self.week.monday.isoformat(),
            "to": self.week.sunday.isoformat(),
            "as_of": self.as_of.isoformat(timespec="minutes"),
            "received": self.received | {"total": sum(self.received.values())},
            **{
                f.name: _json(getattr(self, f.name))
                for f in fields(self)
                if f.name not in ("week", "as_of", "received")
            },
        }


@dataclass(frozen=True)
class PeriodReview:
    """The review of a school year or a term: the weekly review's parts over its days, with
    its months and those who waited longest; `as_json` is the JSON the CLI prints."""

    period: Period
    as_of: datetime  # the period's last moment, or now while it is under way
    received: dict[str, int]
    targets: dict[str, Target]
    breaches: tuple[Breach, ...]
    downgrades: tuple[Downgrade, ...]
    postponements: tuple[Postponement, ...]
    slips: tuple[Slip, ...]
    open_at_end: tuple[StillOpen, ...]
    closed_without_contact: tuple[SilentClose, ...]
    follow_ups: tuple[FollowUp, ...]
    quiet_cases: tuple[QuietCase, ...]
    time: TimeSpent
    waits_by_source: dict[str, Wait]
    year_to_date: Balance
    plan: dict[str, PlanShare]
    months: tuple[Month, ...]  # up to the month of `as_of`
    longest_waits: tuple[LongWait, ...]

    @property
    def under_way(self) -> bool:
        return self.as_of < self.period.end - timedelta(minutes=1)

    def as_json(self) -> dict[str, Any]:
        return {
            "school_year": str(self.period.year),
            "term": self.period.term,
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "as_of": self.as_of.isoformat(timespec="minutes"),
            "received": self.received | {"total": sum(self.received.values())},
            **{
                f.name: _json(getattr(self, f.name))
                for f in fields(self)
                if f.name not in ("period", "as_of", "received")
            },
        }


def _json(value: Any) -> Any:
    """A part of the review as JSON: dates as ISO text, moments to the minute."""
    if is_dataclass(value):
        return {f.name.rstrip("_"): _json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_json(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def weekly_review(
    week: Week,
    requests: Iterable[Request],
    entries: Iterable[TimeEntry],
    now: datetime,
    calendar: SchoolCalendar,
    contract_hours: float,
    position_percent: float = 100.0,
    year_logged: int | None = None,
    plan: dict[str, float] | None = None,
    since: date | None = None,
) -> WeeklyReview:
    """The review of `week`, as of its end (or now, for the week under way).

    `year_logged`: the minutes logged in the school year up to then, when `entries` do not
    hold them all (the store reads only what the week needs); `plan`: the work plan; `since`:
    the day recording began (no contract time counts before it)."""
    requests, entries = list(requests), list(entries)
    found, _, _ = _findings(week.monday, week.sunday, requests, entries, now, calendar)
    cutoff = found["as_of"]
    contract = contract_minutes(week.monday, cutoff.date(), calendar, contract_hours, position_percent, since)
    spent = _time(week.start, week.end, entries, {r.id: r for r in requests}, contract)
    return WeeklyReview(
        week=week,
        **found,
        time=spent,
        year_to_date=_year_to_date(
            cutoff, entries, calendar, contract_hours, position_percent, year_logged, since
        ),
        plan=_plan(plan or {}, spent),
    )


def period_review(
    period: Period,
    requests: Iterable[Request],
    entries: Iterable[TimeEntry],
    now: datetime,
    calendar: SchoolCalendar,
    contract_hours: float,
    position_percent: float = 100.0,
    year_logged: int | None = None,
    plan: dict[str, float] | None = None,
    since: date | None = None,
) -> PeriodReview:
    """The review of a school year or a term, as of its end (or now, while it is under way):
    the weekly review's parts over its days, its months, and who waited longest."""
    requests, entries = list(requests), list(entries)
    found, monthly, waited = _findings(period.first, period.last, requests, entries, now, calendar)
    cutoff = found["as_of"]

    def contract(first: date, last: date) -> int:
        last = min(last, cutoff.date())
        return contract_minutes(first, last, calendar, contract_hours, position_percent, since)

    start, end = period.start, period.end
    by_id = {r.id: r for r in requests}
    spent = _time(start, end, entries, by_id, contract(period.first, period.last))
    logged: dict[tuple[int, int], int] = {}
    for entry in entries:
        if start <= entry.start < end:
            key = (entry.start.year, entry.start.month)
            logged[key] = logged.get(key, 0) + entry.minutes
    months = []
    for first in period.months(cutoff.date()):
        key = (first.year, first.month)
        counts = monthly.get(key, [0] * 7)
        last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        minutes, owed = logged.get(key, 0), contract(first, last)
        months.append(Month(f"{first:%Y-%m}", *counts, minutes, owed, minutes - owed))
    return PeriodReview(
        period=period,
        **found,
        time=spent,
        year_to_date=_year_to_date(
            cutoff, entries, calendar, contract_hours, position_percent, year_logged, since
        ),
        plan=_plan(plan or {}, spent),
        months=tuple(months),
        longest_waits=tuple(sorted(waited, key=lambda w: (-w.waiting_school_days, w.id))[:LONGEST_WAITS]),
    )


def _findings(
    first_day: date,
    final_day: date,
    requests: list[Request],
    entries: list[TimeEntry],
    now: datetime,
    calendar: SchoolCalendar,
) -> tuple[dict[str, Any], dict[tuple[int, int], list[int]], list[LongWait]]:
    """What the review of the days `first_day` to `final_day` finds, as of their end (or now):
    the parts every review has, by name; by month, what came in, the targets and what was
    pushed aside (received, due, met, pending, downgrades, postponements, slips); and how
    long each request that came in waited."""
    start = datetime.combine(first_day, time())
    end = datetime.combine(final_day + timedelta(days=1), time())
    cutoff = min(now, end - timedelta(seconds=1))  # the last moment, or now
    last_day = cutoff.date()
    in_span = lambda moment: start <= moment < end  # noqa: E731
    day_in_span = lambda day: first_day <= day <= final_day  # noqa: E731
    monthly: dict[tuple[int, int], list[int]] = {}  # by (year, month)
    month = lambda day: monthly.setdefault((day.year, day.month), [0] * 7)  # noqa: E731
    waited: list[LongWait] = []
    by_request: dict[int, list[TimeEntry]] = {}
    for entry in entries:
        if entry.request_id is not None:
            by_request.setdefault(entry.request_id, []).append(entry)
    contact = {r.id: r.first_contact(by_request.get(r.id, [])) for r in requests}

    received = {u: 0 for u in URGENCIES}
    targets = {u: [0, 0, 0] for u in URGENCIES}  # due, met, pending
    breaches: list[Breach] = []
    downgrades: list[Downgrade] = []
    postponements: list[Postponement] = []
    slips: list[Slip] = []
    open_at_end: list[StillOpen] = []
    silent_closes: list[SilentClose] = []
    follow_ups: list[FollowUp] = []
    quiet: list[QuietCase] = []
    waits: dict[str, list[int]] = {}
    for r in sorted(requests, key=lambda r: r.id):
        first = r.first_classification.to or "later"
        mine = by_request.get(r.id, [])
        first_contact = contact[r.id]
        seen = first_contact if first_contact is not None and first_contact <= cutoff else None
        then = as_of(r, cutoff)
        open_then = then is not None and then.is_open
        # Contact after the week still tells how late it came; a close counts if it stood
        # at the week's end.
        handled = then.handled(first_contact) if then is not None else first_contact
        if in_span(r.created):
            received[first] += 1
            month(r.created)[0] += 1
            # Waited to its first contact, to a close without one that stands, or until now.
            closed = then is not None and not open_then and seen is None
            until = seen.date() if seen else then.closed_at.date() if closed else last_day  # type: ignore[union-attr]
            waited.append(LongWait(r.id, r.pupil, first, r.created.date(), seen.date() if seen else None,
                                   then.outcome if closed else None,  # type: ignore[union-attr]
                                   calendar.school_days_between(r.created.date(), until)))  # fmt: skip
        target = r.target_due
        if day_in_span(target):
            met = r.target_met(handled, last_day)
            targets[first][0] += 1
            targets[first][1] += met is True
            targets[first][2] += met is None
            counts = month(target)
            counts[1:4] = [counts[1] + 1, counts[2] + (met is True), counts[3] + (met is None)]
            if met is False:
                late = calendar.school_days_between(target, handled.date()) if handled else None
                breaches.append(Breach(r.id, r.pupil, first, target,
                                       handled.date() if handled else None, late))  # fmt: skip
        for e in r.events:
            if not in_span(e.at):
                continue
            if e.type == "classified" and is_downgrade(e.from_, e.to or ""):
                downgrades.append(Downgrade(r.id, r.pupil, e.from_ or "", e.to or "", e.at, e.why))
                month(e.at)[4] += 1
            elif e.type == "postponed":
                month(e.at)[5] += 1
                postponements.append(
                    Postponement(r.id, r.pupil, e.from_due, e.to_due, e.at, e.why)  # type: ignore[arg-type]
                )
        # Closed without contact: the close still stands at the week's end, and no time was
        # logged on it by then.
        if seen is None and then is not None and not open_then and in_span(then.closed_at):
            silent_closes.append(SilentClose(r.id, r.pupil, then.outcome or ""))
        for d in r.slips(first_contact, cutoff):
            if day_in_span(d):
                slips.append(Slip(r.id, r.pupil, d))
                month(d)[6] += 1
        # Whether a step fell is settled by its day's end; a contact after the week still
        # tells how late it came, as for breaches.
        for step, kept in r.follow_ups(mine, now):
            if day_in_span(step):
                on_time = kept is not None and kept.date() <= step
                late = None if on_time or kept is None else calendar.school_days_between(step, kept.date())
                follow_ups.append(FollowUp(r.id, r.pupil, step, kept.date() if kept else None, on_time, late))
        if open_then:
            waited_until = seen.date() if seen else last_day
            open_at_end.append(StillOpen(
                r.id, r.pupil, then.urgency, then.due,
                calendar.school_days_between(r.created.date(), waited_until),
                waited_until if seen else None, len(then.postponements()), len(then.downgrades()),
            ))  # fmt: skip
            contacts = sorted(t.start for t in mine if t.start <= cutoff)
            if contacts:
                days = calendar.school_days_between(contacts[-1].date(), last_day)
                if days >= QUIET_SCHOOL_DAYS:
                    step = then.next_step(contacts)
                    quiet.append(QuietCase(r.id, r.pupil, contacts[-1].date(), days, step))
        if first_contact is not None and in_span(first_contact):
            days = calendar.school_days_between(r.created.date(), first_contact.date())
            waits.setdefault(r.source, []).append(days)

    found = dict(
        as_of=cutoff,
        received=received,
        targets={u: Target(*counts) for u, counts in targets.items()},
        breaches=tuple(breaches),
        downgrades=tuple(downgrades),
        postponements=tuple(postponements),
        slips=tuple(sorted(slips, key=lambda s: (s.due, s.id))),
        open_at_end=tuple(sorted(open_at_end, key=lambda o: (-o.waiting_school_days, o.id))),
        closed_without_contact=tuple(silent_closes),
        follow_ups=tuple(sorted(follow_ups, key=lambda f: (f.next_step, f.id))),
        quiet_cases=tuple(sorted(quiet, key=lambda q: (-q.school_days, q.id))),
        waits_by_source={
            source: Wait(len(waits[source]), _median(waits[source])) for source in SOURCES if source in waits
        },
    )
    return found, monthly, waited


def _year_to_date(
    cutoff: datetime,
    entries: list[TimeEntry],
    calendar: SchoolCalendar,
    contract_hours: float,
    position_percent: float,
    logged: int | None,
    since: date | None = None,
) -> Balance:
    """The school year of `cutoff`, from 1 August up to then (`logged`: its minutes, if known)."""
    year = SchoolYear.of(cutoff.date())
    if logged is None:
        start = datetime.combine(year.first, time())
        logged = sum(e.minutes for e in entries if start <= e.start <= cutoff)
    contract = contract_minutes(year.first, cutoff.date(), calendar, contract_hours, position_percent, since)
    return Balance(year.first, cutoff.date(), logged, contract, logged - contract)


def _plan(plan: dict[str, float], spent: TimeSpent) -> dict[str, PlanShare]:
    """Each share of the work plan beside the share of the time logged, in percent."""
    shares = {}
    for name, planned in plan.items():
        minutes = sum(m for a, m in spent.by_activity.items() if name in (a, ACTIVITIES[a]))
        actual = round(100 * minutes / spent.total_minutes, 1) if spent.total_minutes else None
        shares[name] = PlanShare(planned, actual, None if actual is None else round(actual - planned, 1))
    return shares


def _time(
    start: datetime, end: datetime, entries: list[TimeEntry], requests: dict[int, Request], contract: int
) -> TimeSpent:
    by_activity = {activity: 0 for activity in ACTIVITIES}
    by_urgency = {u: 0 for u in (*URGENCIES, "unlinked")}
    for entry in entries:
        if not start <= entry.start < end:
            continue
        by_activity[entry.activity] += entry.minutes
        request = requests.get(entry.request_id) if entry.request_id is not None else None
        if request is None:
            by_urgency["unlinked"] += entry.minutes
            continue
        # The class the request had when the time started (its first, if logged before it).
        classes = (e.to for e in reversed(request.events) if e.type == "classified" and e.at <= entry.start)
        urgency = next(classes, None) or request.first_classification.to or "later"
        by_urgency[urgency] += entry.minutes
    total = sum(by_activity.values())
    direct = sum(m for a, m in by_activity.items() if ACTIVITIES[a] == "direct")
    return TimeSpent(total, by_activity, by_urgency, round(direct / total, 3) if total else None,
                     contract, total - contract)  # fmt: skip


def _median(values: list[int]) -> float | int:
    ordered, middle = sorted(values), len(values) // 2
    return ordered[middle] if len(values) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


AnyReview = TypeVar("AnyReview", WeeklyReview, PeriodReview)


def anonymise(review: AnyReview) -> AnyReview:
    """The same review with stable aliases for pupil codes (P1, P2, … in order of
    appearance) and without free text, for sharing at the interdisciplinary team meeting.
    Every field marked PUPIL or FREE_TEXT is covered, in any part of the review."""
    aliases: dict[str, str] = {}
    taken: set[str] = set()

    def codes(value: Any) -> None:
        """Every pupil code first: an alias must never read as another pupil's code."""
        if is_dataclass(value):
            for f in fields(value):
                if f.metadata == PUPIL:
                    taken.add(getattr(value, f.name))
                else:
                    codes(getattr(value, f.name))
        elif isinstance(value, dict | tuple | list):
            for item in value.values() if isinstance(value, dict) else value:
                codes(item)

    def alias(code: str) -> str:
        if code not in aliases:
            number = len(aliases) + 1
            while f"P{number}" in taken:
                number += 1
            aliases[code] = f"P{number}"
            taken.add(aliases[code])
        return aliases[code]

    def scrub(value: Any) -> Any:
        if is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for f in fields(value):
                item = getattr(value, f.name)
                if f.metadata == PUPIL:
                    changes[f.name] = alias(item)
                elif f.metadata == FREE_TEXT:
                    changes[f.name] = None
                elif not isinstance(item, Week | Period):
                    changes[f.name] = scrub(item)
            return replace(value, **changes)
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        if isinstance(value, tuple):
            return tuple(scrub(item) for item in value)
        return value

    codes(review)
    return scrub(review)
