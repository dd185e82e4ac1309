"""The weekly review: what got deprioritised, and where the time went (DESIGN.md).

Everything is derived from the stored history and time, as of the end of the week (or now,
for the week under way), so entries made after the fact count the same as live ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .calendar import SchoolCalendar
from .errors import TriageError
from .model import ACTIVITIES, SOURCES, URGENCIES, Request, TimeEntry, is_downgrade

QUIET_SCHOOL_DAYS = (
    10  # an ongoing case with no contact for this long is quiet: help it before it turns acute
)
_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


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
    events = tuple(e for e in request.events if e.at <= moment)
    return replace(request, events=events) if len(events) >= 2 else None


def weekly_review(
    week: Week,
    requests: Iterable[Request],
    entries: Iterable[TimeEntry],
    now: datetime,
    calendar: SchoolCalendar,
    contract_hours: float,
) -> dict[str, Any]:
    """The review of `week`, as the JSON object the CLI prints (see issue: weekly review)."""
    cutoff = min(now, week.end - timedelta(seconds=1))  # the week's last moment, or now
    last_day = cutoff.date()
    in_week = lambda moment: week.start <= moment < week.end  # noqa: E731
    day_in_week = lambda day: week.monday <= day <= week.sunday  # noqa: E731
    requests = list(requests)
    entries = list(entries)
    by_request: dict[int, list[TimeEntry]] = {}
    for entry in entries:
        if entry.request_id is not None:
            by_request.setdefault(entry.request_id, []).append(entry)
    contact = {r.id: r.first_contact(by_request.get(r.id, [])) for r in requests}

    received = {u: 0 for u in URGENCIES}
    targets = {u: {"due": 0, "met": 0, "pending": 0} for u in URGENCIES}
    breaches, downgrades, postponements, slips, open_at_end, silent_closes = [], [], [], [], [], []
    follow_ups, quiet = [], []
    waits: dict[str, list[int]] = {}
    for r in sorted(requests, key=lambda r: r.id):
        first = r.first_classification.to or "later"
        mine = by_request.get(r.id, [])
        first_contact = contact[r.id]
        seen = first_contact if first_contact is not None and first_contact <= cutoff else None
        then = as_of(r, cutoff)
        # Contact after the week still tells how late it came; a close counts if it stood
        # at the week's end.
        handled = then.handled(first_contact) if then is not None else first_contact
        if in_week(r.created):
            received[first] += 1
        if day_in_week(r.target_due):
            targets[first]["due"] += 1
            met = r.target_met(handled, last_day)
            targets[first]["met"] += met is True
            targets[first]["pending"] += met is None  # not passed yet, and not handled yet
            if met is False:
                late = calendar.school_days_between(r.target_due, handled.date()) if handled else None
                breaches.append({
                    "id": r.id, "pupil": r.pupil, "urgency": first, "due": r.target_due.isoformat(),
                    "handled": handled.date().isoformat() if handled else None,
                    "school_days_late": late,
                })  # fmt: skip
        for e in r.events:
            if not in_week(e.at):
                continue
            if e.type == "classified" and is_downgrade(e.from_, e.to or ""):
                downgrades.append({"id": r.id, "pupil": r.pupil, "from": e.from_, "to": e.to,
                                   "at": e.at.isoformat(timespec="minutes"), "why": e.why})  # fmt: skip
            elif e.type == "postponed":
                postponements.append({
                    "id": r.id, "pupil": r.pupil, "from_due": e.from_due.isoformat(),  # type: ignore[union-attr]
                    "to_due": e.to_due.isoformat(), "at": e.at.isoformat(timespec="minutes"),  # type: ignore[union-attr]
                    "why": e.why,
                })  # fmt: skip
        # Closed without contact: the close still stands at the week's end, and no time was
        # logged on it by then.
        if then is not None and not then.is_open and in_week(then.closed_at) and seen is None:
            silent_closes.append({"id": r.id, "pupil": r.pupil, "outcome": then.outcome})
        slips += [
            {"id": r.id, "pupil": r.pupil, "due": d.isoformat()}
            for d in r.slips(first_contact, cutoff)
            if day_in_week(d)
        ]
        # Whether a step fell is settled by its day's end; a contact after the week still
        # tells how late it came, as for breaches.
        for step, kept in r.follow_ups(mine, now):
            if day_in_week(step):
                on_time = kept is not None and kept.date() <= step
                follow_ups.append({
                    "id": r.id, "pupil": r.pupil, "next_step": step.isoformat(),
                    "contact": kept.date().isoformat() if kept else None, "on_time": on_time,
                    "school_days_late": None if on_time or kept is None
                    else calendar.school_days_between(step, kept.date()),
                })  # fmt: skip
        if then is not None and then.is_open:
            waited_until = seen.date() if seen else last_day
            open_at_end.append({
                "id": r.id, "pupil": r.pupil, "urgency": then.urgency, "due": then.due.isoformat(),
                "waiting_school_days": calendar.school_days_between(r.created.date(), waited_until),
                "first_contact": waited_until.isoformat() if seen else None,
                "postponed": len(then.postponements()), "downgraded": len(then.downgrades()),
            })  # fmt: skip
            contacts = sorted(t.start for t in mine if t.start <= cutoff)
            if contacts:
                days = calendar.school_days_between(contacts[-1].date(), last_day)
                if days >= QUIET_SCHOOL_DAYS:
                    quiet.append({
                        "id": r.id, "pupil": r.pupil, "last_contact": contacts[-1].date().isoformat(),
                        "school_days": days, "next_step": _iso(then.next_step(contacts)),
                    })  # fmt: skip
        if first_contact is not None and in_week(first_contact):
            days = calendar.school_days_between(r.created.date(), first_contact.date())
            waits.setdefault(r.source, []).append(days)
    open_at_end.sort(key=lambda item: (-item["waiting_school_days"], item["id"]))
    slips.sort(key=lambda item: (item["due"], item["id"]))
    follow_ups.sort(key=lambda item: (item["next_step"], item["id"]))
    quiet.sort(key=lambda item: (-item["school_days"], item["id"]))

    return {
        "week": str(week),
        "from": week.monday.isoformat(),
        "to": week.sunday.isoformat(),
        "as_of": cutoff.isoformat(timespec="minutes"),
        "received": received | {"total": sum(received.values())},
        "targets": targets,
        "breaches": breaches,
        "downgrades": downgrades,
        "postponements": postponements,
        "slips": slips,
        "open_at_end": open_at_end,
        "closed_without_contact": silent_closes,
        "follow_ups": follow_ups,
        "quiet_cases": quiet,
        "time": _time(week, entries, {r.id: r for r in requests}, contract_hours),
        "waits_by_source": {
            source: {"count": len(waits[source]), "median_school_days": _median(waits[source])}
            for source in SOURCES
            if source in waits
        },
    }


def _time(week: Week, entries: list[TimeEntry], requests: dict[int, Request], contract_hours: float) -> dict:
    by_activity = {activity: 0 for activity in ACTIVITIES}
    by_urgency = {u: 0 for u in (*URGENCIES, "unlinked")}
    for entry in entries:
        if not week.start <= entry.start < week.end:
            continue
        by_activity[entry.activity] += entry.minutes
        request = requests.get(entry.request_id) if entry.request_id is not None else None
        if request is None:
            by_urgency["unlinked"] += entry.minutes
            continue
        # The class the request had when the time started (its first, if logged before it).
        then = as_of(request, entry.start)
        urgency = then.urgency if then else request.first_classification.to or "later"
        by_urgency[urgency] += entry.minutes
    total = sum(by_activity.values())
    direct = sum(m for a, m in by_activity.items() if ACTIVITIES[a] == "direct")
    return {
        "total_minutes": total,
        "by_activity": by_activity,
        "by_urgency": by_urgency,
        "direct_share": round(direct / total, 3) if total else None,
        "contract_minutes": round(contract_hours * 60),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _median(values: list[int]) -> float | int:
    ordered, middle = sorted(values), len(values) // 2
    return ordered[middle] if len(values) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _pupils(value: Any) -> list[str]:
    """Every pupil code in a review."""
    if isinstance(value, list):
        return [code for item in value for code in _pupils(item)]
    if isinstance(value, dict):
        return [
            code
            for key, item in value.items()
            for code in ([item] if key == "pupil" and isinstance(item, str) else _pupils(item))
        ]
    return []


def anonymise(review: dict[str, Any]) -> dict[str, Any]:
    """The same review with stable aliases for pupil codes (P1, P2, … in order of
    appearance) and without reasons, for sharing at the interdisciplinary team meeting."""
    aliases: dict[str, str] = {}
    codes = set(_pupils(review))

    def alias(code: str) -> str:
        if code not in aliases:
            number = len(aliases) + 1
            while f"P{number}" in codes:  # an alias must never read as another pupil's code
                number += 1
            aliases[code] = f"P{number}"
            codes.add(aliases[code])
        return aliases[code]

    def scrub(value: Any) -> Any:
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if key == "pupil" and isinstance(item, str):  # not the source `pupil` in waits
                    out[key] = alias(item)
                elif key in ("why", "summary"):
                    out[key] = None
                else:
                    out[key] = scrub(item)
            return out
        return value

    return scrub(review)
