"""Triage operations: pure functions from a request (and the clock) to its next state.

Each one checks its input and raises TriageError with a message fit for the user; none
touches storage. Every new event must not be earlier than the request's latest one, so
the stored history is always in time order.
"""

from __future__ import annotations

from datetime import date, datetime

from .calendar import SchoolCalendar
from .errors import TriageError
from .model import ACTIVITIES, EDITABLE, OUTCOMES, SOURCES, URGENCIES, Event, Request, due_for

MAX_TEXT = 500
MAX_PUPIL = 40


def check_choice(value: str, choices: tuple[str, ...] | dict[str, str], what: str) -> str:
    if value not in choices:
        raise TriageError(f"unknown {what} '{value}'; use one of: {', '.join(choices)}")
    return value


def check_text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if not value:
        raise TriageError(f"the {what} cannot be empty", f"empty_{what.replace(' ', '_')}")
    if len(value) > limit:
        raise TriageError(
            f"the {what} is longer than {limit} characters", f"too_long_{what.replace(' ', '_')}", limit=limit
        )
    return value


def _why(why: str | None) -> str | None:
    return check_text(why, "reason") if why is not None and why.strip() else None


def _check_order(request: Request, at: datetime) -> None:
    latest = request.latest_event
    if at < latest.at:
        when = latest.at.strftime("%Y-%m-%d %H:%M")
        raise TriageError(
            f"request {request.id} already has a later event ({latest.type} at {when}); "
            "record actions in the order they happened",
            "out_of_order", id=request.id, when=latest.at,
        )  # fmt: skip


def new_request(
    request_id: int,
    pupil: str,
    summary: str,
    source: str,
    urgency: str,
    at: datetime,
    calendar: SchoolCalendar,
    later_days: int,
) -> Request:
    at = at.replace(microsecond=0)
    check_choice(source, SOURCES, "source")
    check_choice(urgency, URGENCIES, "urgency")
    return Request(
        id=request_id,
        pupil=check_text(pupil, "pupil code", MAX_PUPIL),
        source=source,
        summary=check_text(summary, "summary"),
        events=(
            Event("created", at),
            Event("classified", at, from_=None, to=urgency, due=due_for(urgency, at, calendar, later_days)),
        ),
    )


def classify(
    request: Request,
    urgency: str,
    at: datetime,
    calendar: SchoolCalendar,
    later_days: int,
    why: str | None = None,
) -> Request:
    at = at.replace(microsecond=0)
    check_choice(urgency, URGENCIES, "urgency")
    _check_order(request, at)
    if not request.is_open:
        raise TriageError(f"request {request.id} is closed; reopen it first", "closed_reopen", id=request.id)
    if urgency == request.urgency:
        raise TriageError(
            f"request {request.id} is already '{urgency}'; to move its due date, postpone it",
            "already_class", id=request.id, urgency=urgency,
        )  # fmt: skip
    due = due_for(urgency, at, calendar, later_days)
    return request.with_event(
        Event("classified", at, from_=request.urgency, to=urgency, due=due, why=_why(why))
    )


def postpone(
    request: Request, due: date, at: datetime, calendar: SchoolCalendar, why: str | None = None
) -> Request:
    """Move the due date later by hand. A non-school day moves on to the next school day."""
    at = at.replace(microsecond=0)
    _check_order(request, at)
    if not request.is_open:
        raise TriageError(f"request {request.id} is closed; reopen it first", "closed_reopen", id=request.id)
    due = calendar.on_or_after(due)
    if due < at.date():
        raise TriageError(
            f"{due.isoformat()} has passed already; postpone to a later school day", "due_passed", due=due
        )
    if due <= request.due:
        raise TriageError(
            f"{due.isoformat()} is not later than the current due date {request.due.isoformat()}; "
            "to make a request more urgent, classify it",
            "not_later", due=due, current=request.due,
        )  # fmt: skip
    return request.with_event(Event("postponed", at, from_due=request.due, to_due=due, why=_why(why)))


def close(request: Request, outcome: str, at: datetime) -> Request:
    at = at.replace(microsecond=0)
    check_choice(outcome, OUTCOMES, "outcome")
    _check_order(request, at)
    if not request.is_open:
        raise TriageError(f"request {request.id} is already closed", "already_closed", id=request.id)
    return request.with_event(Event("closed", at, outcome=outcome))


def reopen(request: Request, at: datetime, calendar: SchoolCalendar, later_days: int) -> Request:
    """Reopening sets the due date anew, as a classification of the current class would."""
    at = at.replace(microsecond=0)
    _check_order(request, at)
    if request.is_open:
        raise TriageError(f"request {request.id} is open already", "already_open", id=request.id)
    return request.with_event(Event("reopened", at, due=due_for(request.urgency, at, calendar, later_days)))


def edit(request: Request, at: datetime, **fields: str | None) -> Request:
    at = at.replace(microsecond=0)
    _check_order(request, at)
    changed: dict[str, str] = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name not in EDITABLE:
            raise TriageError(f"cannot edit '{name}'; editable: {', '.join(EDITABLE)}")
        if name == "source":
            value = check_choice(value, SOURCES, "source")
        elif name == "pupil":
            value = check_text(value, "pupil code", MAX_PUPIL)
        else:
            value = check_text(value, name)
        if value != getattr(request, name):
            changed[name] = value
    if not changed:
        raise TriageError("nothing to change", "nothing_to_change")
    return request.with_event(Event("edited", at, fields=tuple(changed)), **changed)


def check_activity(activity: str) -> str:
    return check_choice(activity, ACTIVITIES, "activity")
