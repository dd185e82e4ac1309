"""Triage operations: pure functions from a request (and the clock) to its next state.

Each one checks its input and raises TriageError with a message fit for the user; none
touches storage. Every new event must not be earlier than the request's latest one, so
the stored history is always in time order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from .calendar import SchoolCalendar
from .errors import TriageError
from .model import ACTIVITIES, EDITABLE, OUTCOMES, SOURCES, URGENCIES, Event, Request, TimeEntry, due_for

MAX_TEXT = 500
MAX_PUPIL = 40


def check_choice(value: str, choices: tuple[str, ...] | dict[str, str], what: str) -> str:
    if value not in choices:
        raise TriageError(f"unknown {what} '{value}'; use one of: {', '.join(choices)}")
    return value


def looks_like_a_name(code: str) -> bool:
    """Two or more capitalised words ("Ola Nordmann", "Anne-Lise Berg"): most likely a full
    name typed where a code belongs. A warning, never a refusal; "7B-ER" or "AB" are codes."""
    words = [w for w in code.split() if w[:1].isupper() and any(c.islower() for c in w)]
    return len(words) >= 2 and all(c.isalpha() or c in "-'." for w in words for c in w)


def check_text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8, as Python hands them over from argv
        raise TriageError(
            f"the {what} is not valid text (it has bytes that are not UTF-8)",
            f"not_utf8_{what.replace(' ', '_')}",
        ) from None
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
    request: Request,
    to: date,
    at: datetime,
    calendar: SchoolCalendar,
    why: str | None = None,
    contacts: Sequence[datetime] = (),
) -> Request:
    """Move the action date later by hand: the due date while it waits for a first contact,
    the next step once it has had one. A non-school day moves on to the next school day."""
    at = at.replace(microsecond=0)
    _check_order(request, at)
    if not request.is_open:
        raise TriageError(f"request {request.id} is closed; reopen it first", "closed_reopen", id=request.id)
    ongoing = bool(contacts) and contacts[0] <= at
    current = request.next_step(contacts) if ongoing else request.due
    if current is None:
        raise TriageError(
            f"request {request.id} has no next step to postpone; "
            f"set one with `triage next {request.id} WHEN`",
            "no_next_step", id=request.id,
        )  # fmt: skip
    to = check_ahead(calendar.on_or_after(to), at)
    if to <= current:
        what = "next step" if ongoing else "due date"
        raise TriageError(
            f"{to.isoformat()} is not later than the current {what} {current.isoformat()}; "
            "to make a request more urgent, classify it",
            "not_later_step" if ongoing else "not_later", due=to, current=current,
        )  # fmt: skip
    return request.with_event(Event("postponed", at, from_due=current, to_due=to, why=_why(why)))


def next_step(
    request: Request,
    step: date | None,
    at: datetime,
    calendar: SchoolCalendar,
    contacts: Sequence[datetime],
    why: str | None = None,
) -> Request:
    """Set (or with None, clear) the date of an ongoing case's next planned action
    (`contacts`: the starts of its time, in order)."""
    at = at.replace(microsecond=0)
    _check_order(request, at)
    if not request.is_open:
        raise TriageError(f"request {request.id} is closed; reopen it first", "closed_reopen", id=request.id)
    if not contacts or contacts[0] > at:
        raise TriageError(
            f"request {request.id} has had no contact yet: its due date says when; "
            "to change it, classify or postpone it",
            "next_step_waiting", id=request.id,
        )  # fmt: skip
    if step is not None:
        step = check_ahead(calendar.on_or_after(step), at)
    if step == request.next_step(contacts):
        raise TriageError(
            f"request {request.id} has that next step already"
            if step
            else f"request {request.id} has no next step",
            "same_next_step", id=request.id,
        )  # fmt: skip
    return request.with_event(Event("next_step", at, step=step, why=_why(why)))


def check_ahead(day: date, at: datetime) -> date:
    """A due date or next step: not passed at `at`, and at most two years ahead."""
    if day < at.date():
        raise TriageError(
            f"{day.isoformat()} has passed already; choose a later school day", "due_passed", due=day
        )
    today = at.date()
    try:
        limit = today.replace(year=today.year + 2)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year + 2, day=28)
    if day > limit:
        raise TriageError(f"{day.isoformat()} is more than two years ahead", "too_far_ahead", due=day)
    return day


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


def edit_reason(request: Request, at: datetime, number: int, text: str) -> tuple[Request, int]:
    """Replace reason `number` (the reasons counted in history order, as `show` numbers them;
    empty text removes it). Returns the request and the index of the event it was on."""
    at = at.replace(microsecond=0)
    _check_order(request, at)
    on = [i for i, event in enumerate(request.events) if event.why]
    if not 1 <= number <= len(on):
        raise TriageError(
            f"request {request.id} has no reason {number}; `triage show {request.id}` numbers its reasons",
            "no_reason", id=request.id, n=number,
        )  # fmt: skip
    index = on[number - 1]
    why = check_text(text, "reason") if text.strip() else None
    if why == request.events[index].why:
        raise TriageError("nothing to change", "nothing_to_change")
    events = list(request.events)
    events[index] = replace(events[index], why=why)
    return replace(request, events=(*events, Event("edited", at, fields=("reason",)))), index


def check_activity(activity: str) -> str:
    return check_choice(activity, ACTIVITIES, "activity")


MINUTE = timedelta(minutes=1)


def check_after_creation(request: Request, start: datetime) -> None:
    """Linked time starts once the request came in: before, it would be a first contact
    before the request existed."""
    if start < request.created:
        raise TriageError(
            f"request {request.id} came in at {request.created:%Y-%m-%d %H:%M}, after this time starts; "
            "if it came in earlier, record that: `add --at`, or in the app's add form \"Came in\" "
            "(u takes back the add)",
            "time_before_request", id=request.id, created=request.created,
        )  # fmt: skip


def check_not_double(entry: TimeEntry, others: Iterable[TimeEntry]) -> None:
    """The same time (activity, request, minutes, note) logged again within a minute is a double."""
    same = (entry.activity, entry.request_id, entry.minutes, entry.note)
    for other in others:
        near = abs(other.start - entry.start) < MINUTE
        if near and (other.activity, other.request_id, other.minutes, other.note) == same:
            raise TriageError(
                f"the same time was logged a moment ago as entry {other.id}; nothing was saved",
                "double", id=other.id,
            )  # fmt: skip


def overlapping(entry: TimeEntry, others: Iterable[TimeEntry]) -> list[TimeEntry]:
    """The other entries whose time overlaps `entry`'s, earliest first."""
    return sorted(
        (o for o in others if o.id != entry.id and o.start < entry.end and entry.start < o.end),
        key=lambda o: (o.start, o.id),
    )
