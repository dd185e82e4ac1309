"""Requests, their history, time entries and the rules derived from them (DESIGN.md).

Only the history is stored; the current class, due date, status, first contact, target
and slips are all derived from it, so entries made after the fact (`--at`) give the same
answers as entries made live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar

from .calendar import SchoolCalendar

URGENCIES = ("now", "tomorrow", "later")
SOURCES = ("pupil", "teacher", "parent", "principal", "nurse", "staff", "external")
OUTCOMES = ("resolved", "referred", "withdrawn", "no-action")
EVENT_TYPES = ("created", "classified", "postponed", "next_step", "closed", "reopened", "edited")
PHASES = ("waiting", "ongoing", "closed")
# Where an open request stands today: by its action date, or `ongoing` with no next step.
LANES = ("now", "tomorrow", "later", "ongoing")
# Each activity is direct (with pupils), indirect, or administrative, for the weekly split.
ACTIVITIES = {
    "conversation": "direct",
    "group": "direct",
    "observation": "direct",
    "parent-guidance": "indirect",
    "staff-guidance": "indirect",
    "meeting": "indirect",
    "documentation": "administrative",
    "admin": "administrative",
    "other": "administrative",
}
EDITABLE = ("pupil", "source", "summary")


def is_downgrade(old: str | None, new: str) -> bool:
    return old is not None and URGENCIES.index(new) > URGENCIES.index(old)


def due_for(urgency: str, at: datetime, calendar: SchoolCalendar, later_days: int) -> date:
    """The due date a classification at `at` sets (DESIGN.md, urgency classes)."""
    day = at.date()
    if urgency == "now":
        return calendar.on_or_after(day)
    if urgency == "tomorrow":
        return calendar.next_school_day(day)
    return calendar.add_school_days(day, later_days)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# Instants are kept as local clock time, the time school days are counted in, with the UTC
# offset they had (None until stored: then this machine's time zone at that moment). The
# offset makes durations real elapsed time, across a change to or from summer time and
# from one time zone to another.
def aware(wall: datetime, offset: timedelta | None) -> datetime:
    return wall.replace(tzinfo=timezone(offset)) if offset is not None else wall.astimezone()


def stored_instant(wall: datetime, offset: timedelta | None) -> str:
    return aware(wall, offset).isoformat(timespec="seconds")


_OFFSETS: dict[str, timedelta | None] = {}  # "+01:00": the few offsets there are, parsed once


def read_instant(text: str) -> tuple[datetime, timedelta | None]:
    """A stored instant as (local clock time, UTC offset); the offset is None if the text
    has none. A review of a school year reads tens of thousands: the form stored_instant
    writes (`2026-11-26T10:00:00+01:00`) is read in two parts, its offset from a cache."""
    if len(text) == 25 and text[19] in "+-":
        offset = _OFFSETS.get(text[19:])
        if offset is None:
            offset = _OFFSETS[text[19:]] = datetime.fromisoformat(text).utcoffset()
        return datetime.fromisoformat(text[:19]), offset
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=None), moment.utcoffset()


T = TypeVar("T")


def _filled(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of the frozen dataclass `cls` holding `fields` (every one of its fields),
    made without its `__init__`, which sets each field through `object.__setattr__`: that was
    half the cost of reading a school year's report, which reads about 10,000 events and
    5,000 time entries. The price is memory: an instance with a dict of its own takes about
    530 bytes, not 185 (all five years read at once, by `list --all`, take 88 MB, not 65)."""
    made = object.__new__(cls)
    object.__setattr__(made, "__dict__", fields)
    return made


@dataclass(frozen=True)
class Event:
    """One stored history event. Which optional fields are set depends on `type`."""

    type: str
    at: datetime
    from_: str | None = None  # classified: the previous class (None for the first)
    to: str | None = None  # classified: the new class
    due: date | None = None  # classified, reopened: the due date it set
    from_due: date | None = None  # postponed
    to_due: date | None = None  # postponed
    outcome: str | None = None  # closed
    why: str | None = None  # classified, postponed, next_step
    step: date | None = None  # next_step: the date of the next planned action (None: cleared)
    # edited: which fields changed. Not the old values: an edit is how a full name typed by
    # mistake is taken out, and it must not stay in the history.
    fields: tuple[str, ...] | None = None
    offset: timedelta | None = field(default=None, compare=False, repr=False)  # of `at`

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"type": self.type, "at": stored_instant(self.at, self.offset)}
        if self.type == "classified":
            doc |= {"from": self.from_, "to": self.to, "due": _iso(self.due), "why": self.why}
        elif self.type == "postponed":
            doc |= {"from_due": _iso(self.from_due), "to_due": _iso(self.to_due), "why": self.why}
        elif self.type == "next_step":
            doc |= {"date": _iso(self.step), "why": self.why}
        elif self.type == "closed":
            doc["outcome"] = self.outcome
        elif self.type == "reopened":
            doc["due"] = _iso(self.due)
        elif self.type == "edited":
            doc["fields"] = list(self.fields or ())
        return doc

    def as_json(self) -> dict[str, Any]:
        """As `--json` shows it: in local clock time, as every time there is."""
        return self.to_doc() | {"at": self.at.isoformat(timespec="seconds")}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Event:
        get, day = doc.get, date.fromisoformat
        at, offset = read_instant(doc["at"])
        due, from_due, to_due, step = get("due"), get("from_due"), get("to_due"), get("date")
        return _filled(cls, {
            "type": doc["type"],
            "at": at,
            "from_": get("from"),
            "to": get("to"),
            "due": None if due is None else day(due),
            "from_due": None if from_due is None else day(from_due),
            "to_due": None if to_due is None else day(to_due),
            "outcome": get("outcome"),
            "why": get("why"),
            "step": None if step is None else day(step),
            "fields": tuple(doc["fields"]) if "fields" in doc else None,
            "offset": offset,
        })  # fmt: skip


@dataclass(frozen=True)
class TimeEntry:
    id: int
    start: datetime
    minutes: int
    activity: str
    request_id: int | None = None
    note: str | None = None
    offset: timedelta | None = field(default=None, compare=False, repr=False)  # of `start`

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def to_doc(self) -> dict[str, Any]:
        return {
            "start": stored_instant(self.start, self.offset),
            "minutes": self.minutes,
            "activity": self.activity,
            "request": self.request_id,
            "note": self.note,
        }

    @classmethod
    def from_doc(cls, entry_id: int, doc: dict[str, Any]) -> TimeEntry:
        start, offset = read_instant(doc["start"])
        return _filled(cls, {
            "id": entry_id,
            "start": start,
            "minutes": doc["minutes"],
            "activity": doc["activity"],
            "request_id": doc.get("request"),
            "note": doc.get("note"),
            "offset": offset,
        })  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id} | self.to_doc() | {"start": self.start.isoformat(timespec="seconds")}


@dataclass(frozen=True)
class Timer:
    """The one running timer. Stored, so it survives closing the app."""

    start: datetime
    activity: str
    request_id: int | None = None
    offset: timedelta | None = field(default=None, compare=False, repr=False)  # of `start`

    def to_doc(self) -> dict[str, Any]:
        return {
            "start": stored_instant(self.start, self.offset),
            "activity": self.activity,
            "request": self.request_id,
        }

    def as_json(self) -> dict[str, Any]:
        return self.to_doc() | {"start": self.start.isoformat(timespec="seconds")}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Timer:
        start, offset = read_instant(doc["start"])
        return cls(start, doc["activity"], doc.get("request"), offset)

    def run_until(self, now: datetime) -> timedelta:
        """The real time run by `now` (local clock time on this machine)."""
        return aware(now, None) - aware(self.start, self.offset)

    def minutes_at(self, now: datetime) -> int:
        """Whole minutes run by `now`, rounded, and at least one."""
        return max(1, round(self.run_until(now).total_seconds() / 60))

    def day_of(self, now: datetime) -> date:
        """The day `now` falls on, by the clock the timer was started under."""
        return aware(now, None).astimezone(aware(self.start, self.offset).tzinfo).date()


@dataclass(frozen=True)
class Standing:
    """Where a request stands today, derived from its history and its time (DESIGN.md:
    phases, next step, lanes and order)."""

    phase: str  # waiting (open, no contact yet), ongoing (open, contacted) or closed
    first_contact: datetime | None
    last_contact: datetime | None
    next_step: date | None  # while ongoing
    action_date: date | None  # what it waits for: the due date while waiting, else the next step
    lane: str | None  # one of LANES while open
    overdue: bool  # its action date has passed

    def order(self, request: Request) -> tuple[Any, ...]:
        """Its place in its lane: waiting requests first (by class, due date, id), then ongoing
        ones (by next step, id); the Ongoing lane by last contact, oldest first."""
        if self.lane == "ongoing":
            return (self.last_contact, request.id)
        if self.phase == "waiting":
            return (0, URGENCIES.index(request.urgency), request.due, request.id)
        return (1, 0, self.action_date, request.id)


@dataclass(frozen=True)
class Request:
    id: int
    pupil: str
    source: str
    summary: str
    events: tuple[Event, ...] = field(default=())

    # -- stored form -------------------------------------------------------------------
    def to_doc(self) -> dict[str, Any]:
        return {
            "pupil": self.pupil,
            "source": self.source,
            "summary": self.summary,
            "events": [e.to_doc() for e in self.events],
        }

    @classmethod
    def from_doc(cls, request_id: int, doc: dict[str, Any]) -> Request:
        return cls(
            id=request_id,
            pupil=doc["pupil"],
            source=doc["source"],
            summary=doc["summary"],
            events=tuple(Event.from_doc(e) for e in doc["events"]),
        )

    def with_event(self, event: Event, **fields: str) -> Request:
        return replace(self, events=(*self.events, event), **fields)

    # -- state derived from the history ------------------------------------------------
    def _last(self, *types: str) -> Event | None:
        for e in reversed(self.events):
            if e.type in types:
                return e
        return None

    @property
    def created(self) -> datetime:
        return self.events[0].at

    @property
    def latest_event(self) -> Event:
        return self.events[-1]

    @property
    def urgency(self) -> str:
        event = self._last("classified")
        assert event is not None and event.to is not None
        return event.to

    @property
    def due(self) -> date:
        event = self._last("classified", "postponed", "reopened")
        assert event is not None
        due = event.to_due if event.type == "postponed" else event.due
        assert due is not None
        return due

    @property
    def standing_close(self) -> Event | None:
        """The close that stands (None while open): its last, unless a reopening followed it."""
        event = self._last("closed", "reopened")
        return event if event is not None and event.type == "closed" else None

    @property
    def status(self) -> str:
        return "open" if self.standing_close is None else "closed"

    @property
    def is_open(self) -> bool:
        return self.standing_close is None

    @property
    def outcome(self) -> str | None:
        close = self.standing_close
        return None if close is None else close.outcome

    @property
    def closed_at(self) -> datetime | None:
        close = self.standing_close
        return None if close is None else close.at

    @property
    def first_classification(self) -> Event:
        for e in self.events:
            if e.type == "classified":
                return e
        raise ValueError("a request is classified when it is made")

    @property
    def target_due(self) -> date:
        """The due date set by the first classification; later changes never move it."""
        due = self.first_classification.due
        assert due is not None
        return due

    def downgrades(self) -> list[Event]:
        return [e for e in self.events if e.type == "classified" and is_downgrade(e.from_, e.to or "")]

    def postponements(self) -> list[Event]:
        return [e for e in self.events if e.type == "postponed"]

    def first_contact(self, entries: list[TimeEntry]) -> datetime | None:
        """The start of the earliest time entry linked to it. A close is not a contact."""
        return min((t.start for t in entries if t.request_id == self.id), default=None)

    def handled(self, first_contact: datetime | None) -> datetime | None:
        """The earlier of its first contact and a close that still stands."""
        moments = [m for m in (first_contact, self.closed_at) if m is not None]
        return min(moments, default=None)

    def target_met(self, handled: datetime | None, today: date) -> bool | None:
        """True/False once known; None while it is not handled and the target has not passed."""
        if handled is not None:
            return handled.date() <= self.target_due
        return False if today > self.target_due else None

    def _step_changes(self, contacts: Sequence[datetime]) -> list[tuple[datetime, date | None]]:
        """When the next step changed, and to what (`contacts`: the starts of its time, in
        order). Once it has had contact, a classification, a reopening or a postponement
        sets the next step, as they set the due date before; `next_step` sets or clears it; a
        close clears it; and a contact on its day or later carries it out, which ends it."""
        first = contacts[0] if contacts else None
        changes: list[tuple[datetime, date | None]] = []
        for e in self.events:
            ongoing = first is not None and first <= e.at
            if e.type == "next_step":
                change = e.step
            elif e.type == "closed":
                change = None
            elif ongoing and (e.type == "reopened" or (e.type == "classified" and e.from_ is not None)):
                change = e.due
            elif ongoing and e.type == "postponed":
                change = e.to_due
            else:
                continue
            changes.append((e.at, change))
        if all(step is None for _, step in changes):
            return changes  # nothing to carry out (most closed requests: only their close)
        done: list[tuple[datetime, date | None]] = []
        for (set_at, step), (until, _) in zip(changes, [*changes[1:], (datetime.max, None)], strict=False):
            done.append((set_at, step))
            if step is None:
                continue
            carried_out = next((c for c in contacts if set_at <= c < until and c.date() >= step), None)
            if carried_out is not None:
                done.append((carried_out, None))
        return done

    def next_step(self, contacts: Sequence[datetime]) -> date | None:
        """The date of its next planned action, as its history and its time leave it."""
        changes = self._step_changes(contacts)
        return changes[-1][1] if changes else None

    def follow_ups(self, entries: list[TimeEntry], now: datetime) -> list[tuple[date, datetime | None]]:
        """The next steps whose day came while they stood, each with the contact that kept
        it (on its day or before, or late), or None while none has come.

        A next step stands from the change that set it until the next change. One changed
        before its day ended, with no contact while it stood, never fell due: it was
        postponed or cleared in time.
        """
        contacts = sorted(t.start for t in entries if t.request_id == self.id and t.start <= now)
        changes = self._step_changes(contacts)
        fell: list[tuple[date, datetime | None]] = []
        for (set_at, step), (until, _) in zip(changes, [*changes[1:], (now, None)], strict=False):
            if step is None:
                continue
            day_end = datetime.combine(step + timedelta(days=1), time())
            kept = next((c for c in contacts if set_at <= c <= until), None)
            if kept is not None or day_end <= until:
                contact = next((c for c in contacts if set_at <= c), None)
                fell.append((step, contact))
        return fell

    def standing(self, entries: list[TimeEntry], today: date, calendar: SchoolCalendar) -> Standing:
        """Its phase, contacts, next step and lane today (`entries`: at least its own time)."""
        mine = sorted(t.start for t in entries if t.request_id == self.id)
        first, last = (mine[0], mine[-1]) if mine else (None, None)
        if not self.is_open:
            return Standing("closed", first, last, None, None, None, False)
        if first is None:
            action: date | None = self.due
            phase, step = "waiting", None
        else:
            step = action = self.next_step(mine)
            phase = "ongoing"
        if action is None:
            lane = "ongoing"
        elif action <= today:
            lane = "now"
        elif action <= calendar.next_school_day(today):
            lane = "tomorrow"
        else:
            lane = "later"
        return Standing(phase, first, last, step, action, lane, action is not None and action < today)

    def slips(self, first_contact: datetime | None, now: datetime) -> list[date]:
        """Due dates that ended with no first contact yet, each counted once.

        A due date is current from the event that set it until the next event that sets
        another, or the close. It slips when it is still current at the end of its day and
        first contact had not happened by then.
        """
        slipped: list[date] = []
        current: date | None = None
        set_at: datetime | None = None

        def close_period(until: datetime) -> None:
            if current is None or set_at is None:
                return
            day_end = datetime.combine(current + timedelta(days=1), time())
            waiting = first_contact is None or first_contact >= day_end
            if set_at < day_end <= until and waiting and current not in slipped:
                slipped.append(current)

        for e in self.events:
            if e.type in ("classified", "postponed", "reopened", "closed"):
                close_period(e.at)
                current, set_at = None, None
                if e.type != "closed":
                    current = e.to_due if e.type == "postponed" else e.due
                    set_at = e.at
        close_period(now)
        return slipped

    def describe(self, entries: list[TimeEntry], now: datetime, calendar: SchoolCalendar) -> dict[str, Any]:
        """The JSON form the CLI prints: stored fields plus everything derived."""
        mine = sorted((t for t in entries if t.request_id == self.id), key=lambda t: t.start)
        today = now.date()
        standing = self.standing(mine, today, calendar)
        contact, last = standing.first_contact, standing.last_contact
        handled = self.handled(contact)
        return {
            "id": self.id,
            "pupil": self.pupil,
            "source": self.source,
            "summary": self.summary,
            "urgency": self.urgency,
            "due": self.due.isoformat(),
            "phase": standing.phase,
            "next_step": _iso(standing.next_step),
            "lane": standing.lane,
            "status": self.status,
            "outcome": self.outcome,
            "overdue": standing.overdue,
            "created": self.created.isoformat(timespec="seconds"),
            "first_contact": _iso(contact),
            "last_contact": _iso(last),
            "target_due": self.target_due.isoformat(),
            "target_met": self.target_met(handled, today),
            # Two measures, named apart: from creation to first contact (or the close, or
            # today), and since the last contact.
            "waiting_school_days": calendar.school_days_between(self.created.date(), (handled or now).date()),
            "school_days_since_contact": calendar.school_days_between(last.date(), today) if last else None,
            "minutes": sum(t.minutes for t in mine),
            "events": [e.as_json() for e in self.events],
            "slips": [d.isoformat() for d in self.slips(contact, now)],
            "time": [t.as_json() for t in mine],
        }
