"""Requests, their history, time entries and the rules derived from them (DESIGN.md).

Only the history is stored; the current class, due date, status, first contact, target
and slips are all derived from it, so entries made after the fact (`--at`) give the same
answers as entries made live.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .calendar import SchoolCalendar

URGENCIES = ("now", "tomorrow", "later")
SOURCES = ("pupil", "teacher", "parent", "principal", "nurse", "staff", "external")
OUTCOMES = ("resolved", "referred", "withdrawn", "no-action")
EVENT_TYPES = ("created", "classified", "postponed", "closed", "reopened", "edited")
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
    why: str | None = None  # classified, postponed
    # edited: which fields changed. Not the old values: an edit is how a full name typed by
    # mistake is taken out, and it must not stay in the history.
    fields: tuple[str, ...] | None = None

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"type": self.type, "at": self.at.isoformat(timespec="seconds")}
        if self.type == "classified":
            doc |= {"from": self.from_, "to": self.to, "due": _iso(self.due), "why": self.why}
        elif self.type == "postponed":
            doc |= {"from_due": _iso(self.from_due), "to_due": _iso(self.to_due), "why": self.why}
        elif self.type == "closed":
            doc["outcome"] = self.outcome
        elif self.type == "reopened":
            doc["due"] = _iso(self.due)
        elif self.type == "edited":
            doc["fields"] = list(self.fields or ())
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Event:
        def day(key: str) -> date | None:
            value = doc.get(key)
            return None if value is None else date.fromisoformat(value)

        return cls(
            type=doc["type"],
            at=datetime.fromisoformat(doc["at"]),
            from_=doc.get("from"),
            to=doc.get("to"),
            due=day("due"),
            from_due=day("from_due"),
            to_due=day("to_due"),
            outcome=doc.get("outcome"),
            why=doc.get("why"),
            fields=tuple(doc["fields"]) if "fields" in doc else None,
        )


@dataclass(frozen=True)
class TimeEntry:
    id: int
    start: datetime
    minutes: int
    activity: str
    request_id: int | None = None
    note: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def to_doc(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(timespec="seconds"),
            "minutes": self.minutes,
            "activity": self.activity,
            "request": self.request_id,
            "note": self.note,
        }

    @classmethod
    def from_doc(cls, entry_id: int, doc: dict[str, Any]) -> TimeEntry:
        return cls(
            id=entry_id,
            start=datetime.fromisoformat(doc["start"]),
            minutes=doc["minutes"],
            activity=doc["activity"],
            request_id=doc.get("request"),
            note=doc.get("note"),
        )

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id} | self.to_doc()


@dataclass(frozen=True)
class Timer:
    """The one running timer. Stored, so it survives closing the app."""

    start: datetime
    activity: str
    request_id: int | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(timespec="seconds"),
            "activity": self.activity,
            "request": self.request_id,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Timer:
        return cls(datetime.fromisoformat(doc["start"]), doc["activity"], doc.get("request"))

    def minutes_at(self, now: datetime) -> int:
        """Whole minutes run by `now`, rounded, and at least one."""
        return max(1, round((now - self.start).total_seconds() / 60))


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
        return next((e for e in reversed(self.events) if e.type in types), None)

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
    def status(self) -> str:
        event = self._last("closed", "reopened")
        return "closed" if event is not None and event.type == "closed" else "open"

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def outcome(self) -> str | None:
        return self._last("closed").outcome if not self.is_open else None  # type: ignore[union-attr]

    @property
    def closed_at(self) -> datetime | None:
        return None if self.is_open else self._last("closed").at  # type: ignore[union-attr]

    @property
    def first_classification(self) -> Event:
        return next(e for e in self.events if e.type == "classified")

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
        """The earliest of the first linked time entry's start and the first close."""
        moments = [t.start for t in entries if t.request_id == self.id]
        moments += [e.at for e in self.events if e.type == "closed"]
        return min(moments, default=None)

    def target_met(self, first_contact: datetime | None, today: date) -> bool | None:
        """True/False once known; None while there is no contact and the target has not passed."""
        if first_contact is not None:
            return first_contact.date() <= self.target_due
        return False if today > self.target_due else None

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

    def lane(self, today: date, calendar: SchoolCalendar) -> str:
        """Where the request stands today: now (due today or overdue), tomorrow, or later."""
        if self.due <= today:
            return "now"
        if self.due <= calendar.next_school_day(today):
            return "tomorrow"
        return "later"

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due < today

    def describe(self, entries: list[TimeEntry], now: datetime, calendar: SchoolCalendar) -> dict[str, Any]:
        """The JSON form the CLI prints: stored fields plus everything derived."""
        mine = sorted((t for t in entries if t.request_id == self.id), key=lambda t: t.start)
        contact = self.first_contact(mine)
        today = now.date()
        return {
            "id": self.id,
            "pupil": self.pupil,
            "source": self.source,
            "summary": self.summary,
            "urgency": self.urgency,
            "due": self.due.isoformat(),
            "lane": self.lane(today, calendar) if self.is_open else None,
            "status": self.status,
            "outcome": self.outcome,
            "overdue": self.is_overdue(today),
            "created": self.created.isoformat(timespec="seconds"),
            "first_contact": _iso(contact),
            "target_due": self.target_due.isoformat(),
            "target_met": self.target_met(contact, today),
            "waiting_school_days": calendar.school_days_between(self.created.date(), (contact or now).date()),
            "minutes": sum(t.minutes for t in mine),
            "events": [e.to_doc() for e in self.events],
            "slips": [d.isoformat() for d in self.slips(contact, now)],
            "time": [t.as_json() for t in mine],
        }
