"""The rules of DESIGN.md on single requests, at fixed moments, with values worked out by hand.

Calendar used: Thursday 26.11.2026; Fri 27.11; weekend 28–29.11; Mon 30.11; Tue 01.12;
Wed 02.12; Thu 03.12; Fri 04.12; Mon 07.12. `later` is 5 school days.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta

import pytest

from triage_tui.core import operations as ops
from triage_tui.core.calendar import Break, SchoolCalendar
from triage_tui.core.errors import TriageError
from triage_tui.core.model import Event, Request, TimeEntry

CAL = SchoolCalendar()
LATER = 5


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def d(text: str) -> date:
    return date.fromisoformat(text)


def new(urgency: str, when: str, calendar: SchoolCalendar = CAL) -> Request:
    return ops.new_request(1, "7B-ER", "Conflict in the break", "teacher", urgency, at(when), calendar, LATER)


def entry(start: str, request_id: int | None = 1, minutes: int = 30) -> TimeEntry:
    return TimeEntry(1, at(start), minutes, "conversation", request_id)


# -- due dates of classifications --------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "when", "due"),
    [
        ("now", "2026-11-26T10:00", "2026-11-26"),
        ("tomorrow", "2026-11-26T10:00", "2026-11-27"),
        ("later", "2026-11-26T10:00", "2026-12-03"),
        ("now", "2026-11-28T10:00", "2026-11-30"),  # Saturday: the next school day
        ("tomorrow", "2026-11-27T15:00", "2026-11-30"),  # Friday: over the weekend
        ("later", "2026-11-23T08:00", "2026-11-30"),
        ("tomorrow", "2026-04-01T12:00", "2026-04-07"),  # Wed before Easter: Thu–Mon are holidays
        ("now", "2026-04-02T12:00", "2026-04-07"),  # Maundy Thursday is no school day
        ("later", "2026-05-12T09:00", "2026-05-20"),  # over Ascension Day, Thu 14.05
    ],
)
def test_a_new_request_is_due_by_its_class(urgency: str, when: str, due: str) -> None:
    request = new(urgency, when)
    assert request.urgency == urgency
    assert request.due == d(due)
    assert request.target_due == d(due)
    assert [e.type for e in request.events] == ["created", "classified"]


def test_a_configured_break_is_skipped() -> None:
    autumn = SchoolCalendar([Break(d("2026-09-28"), d("2026-10-02"), "autumn")])
    # Thu 24.09: Fri 25.09 is one, then the break week, then Mon 05.10 … Thu 08.10.
    assert new("later", "2026-09-24T09:00", autumn).due == d("2026-10-08")
    assert new("tomorrow", "2026-09-25T09:00", autumn).due == d("2026-10-05")


def test_each_classification_sets_the_due_date_anew_from_its_own_moment() -> None:
    request = new("later", "2026-11-23T09:00")  # due Mon 30.11
    request = ops.classify(request, "now", at("2026-11-25T13:00"), CAL, LATER)
    assert (request.urgency, request.due) == ("now", d("2026-11-25"))
    request = ops.classify(request, "tomorrow", at("2026-11-26T08:00"), CAL, LATER, why="sick today")
    assert (request.urgency, request.due) == ("tomorrow", d("2026-11-27"))
    assert request.target_due == d("2026-11-30")  # the first classification's, for good
    assert [(e.from_, e.to) for e in request.downgrades()] == [("now", "tomorrow")]
    assert request.downgrades()[0].why == "sick today"


def test_an_upgrade_is_not_a_downgrade() -> None:
    request = ops.classify(new("later", "2026-11-26T09:00"), "now", at("2026-11-26T09:30"), CAL, LATER)
    assert request.downgrades() == []


def test_reopening_sets_the_due_date_as_a_classification_of_its_class_would() -> None:
    request = ops.close(new("later", "2026-11-23T09:00"), "resolved", at("2026-11-24T10:00"))
    request = ops.reopen(request, at("2026-11-30T09:00"), CAL, LATER)
    assert request.is_open
    assert request.due == d("2026-12-07")
    assert request.outcome is None


def test_a_postponement_moves_the_due_date_later_and_skips_to_a_school_day() -> None:
    request = new("tomorrow", "2026-11-26T10:00")  # due Fri 27.11
    request = ops.postpone(request, d("2026-11-28"), at("2026-11-26T11:00"), CAL, why="team meeting")
    assert request.due == d("2026-11-30")  # Saturday moves on to Monday
    (event,) = request.postponements()
    assert (event.from_due, event.to_due, event.why) == (d("2026-11-27"), d("2026-11-30"), "team meeting")


# -- first contact and the target ----------------------------------------------------------


def test_first_contact_is_the_earliest_linked_time_entry_and_a_close_is_none() -> None:
    request = new("now", "2026-11-26T10:00")
    entries = [entry("2026-11-27T09:00"), entry("2026-11-26T14:00"), entry("2026-11-26T11:00", request_id=2)]
    assert request.first_contact(entries) == at("2026-11-26T14:00")
    closed = ops.close(request, "no-action", at("2026-11-26T12:00"))
    assert closed.first_contact(entries) == at("2026-11-26T14:00")
    assert closed.first_contact([]) is None
    assert request.first_contact([]) is None


def test_handled_is_the_first_contact_or_a_close_that_still_stands() -> None:
    request = new("now", "2026-11-26T10:00")  # target Thu 26.11
    closed = ops.close(request, "no-action", at("2026-11-26T12:00"))
    assert closed.handled(None) == at("2026-11-26T12:00")
    assert closed.target_met(closed.handled(None), d("2026-11-30")) is True  # a close that stands meets it
    assert closed.handled(at("2026-11-26T11:00")) == at("2026-11-26T11:00")  # the earlier of the two
    reopened = ops.reopen(closed, at("2026-11-27T08:00"), CAL, LATER)
    assert reopened.handled(None) is None  # the close no longer stands
    assert reopened.target_met(None, d("2026-11-30")) is False


def test_a_downgrade_never_hides_a_missed_target() -> None:
    request = new("now", "2026-11-26T10:00")  # target Thu 26.11
    request = ops.classify(request, "later", at("2026-11-26T11:00"), CAL, LATER)  # due Thu 03.12
    contact = request.first_contact([entry("2026-11-30T09:00")])
    assert request.due == d("2026-12-03")
    assert request.target_met(contact, d("2026-11-30")) is False
    assert request.target_met(request.first_contact([entry("2026-11-26T15:00")]), d("2026-11-30")) is True


def test_target_met_is_unknown_until_contact_or_until_the_target_passes() -> None:
    request = new("tomorrow", "2026-11-26T10:00")  # target Fri 27.11
    assert request.target_met(None, d("2026-11-27")) is None
    assert request.target_met(None, d("2026-11-28")) is False
    assert request.target_met(at("2026-11-27T23:59"), d("2026-12-01")) is True


# -- slips ---------------------------------------------------------------------------------


def slips(request: Request, entries: list[TimeEntry], now: str) -> list[date]:
    return request.slips(request.first_contact(entries), at(now))


def test_a_due_date_slips_when_its_day_ends_without_contact() -> None:
    request = new("tomorrow", "2026-11-26T10:00")  # due Fri 27.11
    assert slips(request, [], "2026-11-27T23:59") == []
    assert slips(request, [], "2026-11-28T00:00") == [d("2026-11-27")]
    assert slips(request, [], "2026-12-10T10:00") == [d("2026-11-27")]  # once, however long it waits


def test_contact_on_the_due_day_is_no_slip_and_contact_after_it_keeps_the_slip() -> None:
    request = new("tomorrow", "2026-11-26T10:00")
    assert slips(request, [entry("2026-11-27T15:00")], "2026-12-01T10:00") == []
    assert slips(request, [entry("2026-11-30T09:00")], "2026-12-01T10:00") == [d("2026-11-27")]


def test_a_postponement_before_the_due_day_ends_prevents_that_slip() -> None:
    request = new("tomorrow", "2026-11-26T10:00")
    request = ops.postpone(request, d("2026-12-02"), at("2026-11-27T12:00"), CAL)
    assert slips(request, [], "2026-12-02T16:00") == []
    assert slips(request, [], "2026-12-03T08:00") == [d("2026-12-02")]


def test_a_postponement_after_the_due_day_ended_does_not_undo_the_slip() -> None:
    request = new("tomorrow", "2026-11-26T10:00")
    request = ops.postpone(request, d("2026-12-02"), at("2026-11-30T09:00"), CAL)
    assert slips(request, [], "2026-12-01T10:00") == [d("2026-11-27")]
    assert slips(request, [], "2026-12-03T10:00") == [d("2026-11-27"), d("2026-12-02")]


def test_closing_ends_the_wait() -> None:
    before = ops.close(new("now", "2026-11-26T10:00"), "withdrawn", at("2026-11-26T15:00"))
    assert slips(before, [], "2026-12-10T10:00") == []
    after = ops.close(new("now", "2026-11-26T10:00"), "withdrawn", at("2026-11-27T09:00"))
    assert slips(after, [], "2026-12-10T10:00") == [d("2026-11-26")]


def test_after_first_contact_a_passed_next_step_is_overdue_but_no_slip() -> None:
    request = new("now", "2026-11-26T10:00")
    contact = [entry("2026-11-26T13:00")]
    request = ops.next_step(request, d("2026-11-30"), at("2026-11-26T14:00"), CAL, [at("2026-11-26T13:00")])
    assert slips(request, contact, "2026-12-02T10:00") == []
    standing = request.standing(contact, d("2026-12-02"), CAL)
    assert (standing.phase, standing.next_step, standing.lane, standing.overdue) == (
        "ongoing", d("2026-11-30"), "now", True,
    )  # fmt: skip


def test_slips_come_from_the_history_alone_whenever_it_was_recorded() -> None:
    """The same events with the same moments give the same slips, recorded live or after the fact."""
    live = new("tomorrow", "2026-11-26T10:00")
    live = ops.classify(live, "later", at("2026-11-27T09:00"), CAL, LATER)  # due Fri 04.12
    recorded_later = Request.from_doc(1, live.to_doc())  # as if typed in with --at a week later
    for now in ("2026-12-04T12:00", "2026-12-05T00:00", "2026-12-09T10:00"):
        assert slips(live, [], now) == slips(recorded_later, [], now)
    assert slips(live, [], "2026-12-09T10:00") == [d("2026-12-04")]


# -- lanes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "lane"),
    [
        ("2026-11-26", "2026-11-26", "now"),
        ("2026-11-25", "2026-11-26", "now"),  # overdue
        ("2026-11-27", "2026-11-26", "tomorrow"),
        ("2026-11-30", "2026-11-26", "later"),
        ("2026-11-30", "2026-11-27", "tomorrow"),  # Friday: Monday is the next school day
        ("2026-11-30", "2026-11-28", "tomorrow"),  # Saturday
        ("2026-12-01", "2026-11-27", "later"),
    ],
)
def test_the_lane_follows_the_calendar(due: str, today: str, lane: str) -> None:
    request = new("now", "2026-11-20T09:00")
    request = ops.postpone(request, d(due), at("2026-11-20T10:00"), CAL) if d(due) > request.due else request
    assert request.due == d(due)
    assert request.standing([], d(today), CAL).lane == lane
    # Once reached, the same date as a next step puts it in the same lane.
    contacted = ops.next_step(new("now", "2026-11-20T09:00"), d(due), at("2026-11-20T10:00"), CAL,
                              [at("2026-11-20T09:30")])  # fmt: skip
    assert contacted.standing([entry("2026-11-20T09:30")], d(today), CAL).lane == lane


# -- phases, next steps, order --------------------------------------------------------------


def test_the_phase_comes_from_contact_and_the_close() -> None:
    request = new("later", "2026-11-26T10:00")
    assert request.standing([], d("2026-11-26"), CAL).phase == "waiting"
    assert request.standing([entry("2026-11-26T11:00")], d("2026-11-26"), CAL).phase == "ongoing"
    closed = ops.close(request, "resolved", at("2026-11-26T12:00"))
    assert closed.standing([], d("2026-11-26"), CAL).phase == "closed"
    reopened = ops.reopen(closed, at("2026-11-27T09:00"), CAL, LATER)  # due Fri 04.12
    assert reopened.standing([], d("2026-11-27"), CAL).phase == "waiting"  # never reached
    again = reopened.standing([entry("2026-11-26T11:00")], d("2026-11-27"), CAL)
    assert (again.phase, again.next_step, again.lane) == ("ongoing", d("2026-12-04"), "later")


def test_an_ongoing_case_with_no_next_step_is_in_the_ongoing_lane_and_never_overdue() -> None:
    request = new("now", "2026-11-16T10:00")  # due Mon 16.11, long passed
    standing = request.standing([entry("2026-11-17T09:00"), entry("2026-11-19T09:00")], d("2026-11-26"), CAL)
    assert (standing.phase, standing.next_step, standing.action_date, standing.lane, standing.overdue) == (
        "ongoing", None, None, "ongoing", False,
    )  # fmt: skip
    assert (standing.first_contact, standing.last_contact) == (at("2026-11-17T09:00"), at("2026-11-19T09:00"))


def test_a_next_step_is_set_moved_and_cleared() -> None:
    contact = at("2026-11-26T10:30")
    times = [entry("2026-11-26T10:30")]
    request = ops.next_step(
        new("now", "2026-11-26T10:00"), d("2026-11-28"), at("2026-11-26T11:00"), CAL, [contact],
        why="see her after the weekend",
    )  # fmt: skip
    assert request.next_step([contact]) == d("2026-11-30")  # Saturday: the next school day
    assert request.latest_event.why == "see her after the weekend"
    # Postponing an ongoing case moves its next step, and is recorded as a postponement.
    request = ops.postpone(request, d("2026-12-02"), at("2026-11-27T09:00"), CAL, contacts=[contact])
    assert (request.latest_event.from_due, request.latest_event.to_due) == (d("2026-11-30"), d("2026-12-02"))
    assert request.standing(times, d("2026-11-27"), CAL).next_step == d("2026-12-02")
    # A classification once reached sets the next step as it sets the due date.
    request = ops.classify(request, "tomorrow", at("2026-11-27T10:00"), CAL, LATER)
    assert request.standing(times, d("2026-11-27"), CAL).next_step == d("2026-11-30")
    request = ops.next_step(request, None, at("2026-11-27T11:00"), CAL, [contact])
    assert request.standing(times, d("2026-11-27"), CAL).lane == "ongoing"
    assert Request.from_doc(1, request.to_doc()) == request


@pytest.mark.parametrize(
    ("step", "when", "contact", "message"),
    [
        ("2026-11-27", "2026-11-26T11:00", None, "no contact yet"),  # a waiting request
        ("2026-11-27", "2026-11-26T11:00", "2026-11-26T12:00", "no contact yet"),  # contact after it
        ("2026-11-25", "2026-11-26T11:00", "2026-11-26T10:30", "has passed"),
        ("2028-11-27", "2026-11-26T11:00", "2026-11-26T10:30", "more than two years ahead"),  # a day too far
        (None, "2026-11-26T11:00", "2026-11-26T10:30", "has no next step"),
        ("2026-11-26", "2026-11-26T09:00", "2026-11-26T08:00", "record actions in the order"),
    ],
)
def test_bad_next_steps_are_refused(step: str | None, when: str, contact: str | None, message: str) -> None:
    request = new("now", "2026-11-26T10:00")
    with pytest.raises(TriageError, match=message):
        ops.next_step(request, step and d(step), at(when), CAL, [at(contact)] if contact else [])


def test_a_next_step_on_a_closed_request_is_refused() -> None:
    closed = ops.close(new("now", "2026-11-26T10:00"), "resolved", at("2026-11-26T11:00"))
    with pytest.raises(TriageError, match="closed"):
        ops.next_step(closed, d("2026-11-30"), at("2026-11-26T12:00"), CAL, [at("2026-11-26T10:30")])


def test_postponing_an_ongoing_case_with_no_next_step_is_refused() -> None:
    with pytest.raises(TriageError, match="no next step to postpone"):
        ops.postpone(new("now", "2026-11-26T10:00"), d("2026-12-01"), at("2026-11-26T11:00"), CAL,
                     contacts=[at("2026-11-26T10:30")])  # fmt: skip


def test_within_a_lane_waiting_requests_come_first_by_class_then_ongoing_by_next_step() -> None:
    today = d("2026-11-26")
    requests = {
        1: new("later", "2026-11-16T09:00"),  # due Mon 23.11: overdue, class later
        2: new("now", "2026-11-26T08:00"),  # due today, class now
        3: new("now", "2026-11-23T08:00"),  # due Mon 23.11, class now
        4: ops.next_step(
            new("now", "2026-11-20T08:00"),
            d("2026-11-25"),
            at("2026-11-20T10:00"),
            CAL,
            [at("2026-11-20T09:00")],
        ),  # ongoing, next step yesterday  # fmt: skip
        5: ops.next_step(
            new("now", "2026-11-20T08:00"),
            d("2026-11-24"),
            at("2026-11-20T10:00"),
            CAL,
            [at("2026-11-20T09:00")],
        ),  # ongoing, next step the day before  # fmt: skip
        6: new("tomorrow", "2026-11-25T08:00"),  # due today, class tomorrow
    }
    requests = {k: Request.from_doc(k, r.to_doc()) for k, r in requests.items()}
    times = [TimeEntry(n, at("2026-11-20T09:00"), 30, "conversation", n) for n in (4, 5)]
    standing = {k: r.standing(times, today, CAL) for k, r in requests.items()}
    assert all(s.lane == "now" for s in standing.values())
    order = sorted(requests, key=lambda k: standing[k].order(requests[k]))
    assert order == [3, 2, 6, 1, 5, 4]


def test_the_ongoing_lane_puts_the_longest_unseen_first() -> None:
    requests = [Request.from_doc(n, new("now", "2026-11-02T08:00").to_doc()) for n in (1, 2, 3)]
    times = [
        TimeEntry(1, at("2026-11-03T09:00"), 30, "conversation", 1),
        TimeEntry(2, at("2026-11-20T09:00"), 30, "conversation", 1),  # 1 last seen Fri 20.11
        TimeEntry(3, at("2026-11-10T09:00"), 30, "conversation", 2),  # 2 last seen Tue 10.11
        TimeEntry(4, at("2026-11-24T09:00"), 30, "conversation", 3),
    ]
    standing = [r.standing(times, d("2026-11-26"), CAL) for r in requests]
    assert [s.lane for s in standing] == ["ongoing"] * 3
    ordered = sorted(zip(requests, standing, strict=True), key=lambda pair: pair[1].order(pair[0]))
    assert [r.id for r, _ in ordered] == [2, 1, 3]


def test_a_contact_on_the_day_of_the_next_step_carries_it_out() -> None:
    first = at("2026-11-23T09:00")
    request = ops.next_step(
        new("now", "2026-11-23T08:00"), d("2026-11-26"), at("2026-11-23T10:00"), CAL, [first]
    )
    early = [first, at("2026-11-25T09:00")]  # seen the day before: the plan still stands
    assert request.next_step(early) == d("2026-11-26")
    on_the_day = [first, at("2026-11-26T09:00")]
    assert request.next_step(on_the_day) is None
    standing = request.standing([entry("2026-11-23T09:00"), entry("2026-11-26T09:00")], d("2026-11-27"), CAL)
    assert (standing.lane, standing.overdue) == ("ongoing", False)  # not overdue the day after
    late = [first, at("2026-11-30T09:00")]
    assert request.next_step(late) is None
    # Planned again at that contact (log --next): the new step stands.
    again = ops.next_step(request, d("2026-12-03"), at("2026-11-26T09:30"), CAL, on_the_day)
    assert again.next_step(on_the_day) == d("2026-12-03")


# -- follow-ups -----------------------------------------------------------------------------


def test_a_next_step_kept_on_its_day_or_before_is_on_time() -> None:
    times = [entry("2026-11-23T09:00"), entry("2026-11-26T13:00")]
    request = ops.next_step(new("now", "2026-11-23T08:00"), d("2026-11-26"), at("2026-11-23T10:00"), CAL,
                            [at("2026-11-23T09:00")])  # fmt: skip
    assert request.follow_ups(times, at("2026-11-26T12:00")) == []  # its day has not ended yet
    assert request.follow_ups(times, at("2026-11-30T12:00")) == [(d("2026-11-26"), at("2026-11-26T13:00"))]


def test_a_next_step_whose_day_passed_without_contact_is_late_until_contact() -> None:
    first = [entry("2026-11-23T09:00")]
    request = ops.next_step(new("now", "2026-11-23T08:00"), d("2026-11-25"), at("2026-11-23T10:00"), CAL,
                            [at("2026-11-23T09:00")])  # fmt: skip
    assert request.follow_ups(first, at("2026-11-26T08:00")) == [(d("2026-11-25"), None)]
    late = [*first, entry("2026-11-27T10:00")]
    assert request.follow_ups(late, at("2026-11-30T08:00")) == [(d("2026-11-25"), at("2026-11-27T10:00"))]


def test_a_next_step_moved_before_its_day_never_fell_due() -> None:
    first = [entry("2026-11-23T09:00")]
    request = ops.next_step(new("now", "2026-11-23T08:00"), d("2026-11-25"), at("2026-11-23T10:00"), CAL,
                            [at("2026-11-23T09:00")])  # fmt: skip
    request = ops.postpone(
        request, d("2026-12-02"), at("2026-11-24T10:00"), CAL, contacts=[at("2026-11-23T09:00")]
    )
    assert request.follow_ups(first, at("2026-11-30T08:00")) == []


# -- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda r: ops.classify(r, "tomorrow", at("2026-11-26T11:00"), CAL, LATER), "already 'tomorrow'"),
        (lambda r: ops.classify(r, "soon", at("2026-11-26T11:00"), CAL, LATER), "unknown urgency 'soon'"),
        (lambda r: ops.postpone(r, d("2026-11-27"), at("2026-11-26T11:00"), CAL), "not later than"),
        (lambda r: ops.postpone(r, d("2026-11-20"), at("2026-11-26T11:00"), CAL), "has passed"),
        (lambda r: ops.postpone(r, d("2028-12-01"), at("2026-11-26T11:00"), CAL), "more than two years"),
        (lambda r: ops.close(r, "fixed", at("2026-11-26T11:00")), "unknown outcome 'fixed'"),
        (lambda r: ops.reopen(r, at("2026-11-26T11:00"), CAL, LATER), "open already"),
        (lambda r: ops.close(r, "resolved", at("2026-11-26T09:00")), "record actions in the order"),
        (lambda r: ops.edit(r, at("2026-11-26T11:00"), pupil="7B-ER"), "nothing to change"),
        (lambda r: ops.edit(r, at("2026-11-26T11:00"), summary="  "), "cannot be empty"),
    ],
)
def test_bad_actions_are_refused_with_a_reason(action, message: str) -> None:
    request = new("tomorrow", "2026-11-26T10:00")
    with pytest.raises(TriageError, match=message):
        action(request)


def test_a_closed_request_must_be_reopened_before_it_changes() -> None:
    closed = ops.close(new("now", "2026-11-26T10:00"), "resolved", at("2026-11-26T11:00"))
    for action in (
        lambda: ops.classify(closed, "later", at("2026-11-26T12:00"), CAL, LATER),
        lambda: ops.postpone(closed, d("2026-12-01"), at("2026-11-26T12:00"), CAL),
        lambda: ops.close(closed, "resolved", at("2026-11-26T12:00")),
    ):
        with pytest.raises(TriageError, match="closed"):
            action()


@pytest.mark.parametrize(
    ("pupil", "summary", "source", "message"),
    [
        ("", "x", "pupil", "pupil code cannot be empty"),
        ("x" * 41, "x", "pupil", "longer than 40"),
        ("7B", "   ", "pupil", "summary cannot be empty"),
        ("7B", "x", "mother", "unknown source 'mother'"),
    ],
)
def test_a_new_request_needs_good_fields(pupil: str, summary: str, source: str, message: str) -> None:
    with pytest.raises(TriageError, match=message):
        ops.new_request(1, pupil, summary, source, "now", at("2026-11-26T10:00"), CAL, LATER)


def test_an_edit_records_which_fields_changed_but_not_the_old_text() -> None:
    request = ops.edit(new("now", "2026-11-26T10:00"), at("2026-11-26T11:00"), pupil="7B-EH", source="parent")
    assert (request.pupil, request.source) == ("7B-EH", "parent")
    assert request.latest_event.fields == ("pupil", "source")
    assert "7B-ER" not in repr(request.to_doc())


def test_the_stored_form_keeps_everything() -> None:
    request = new("now", "2026-11-26T10:00")
    request = ops.classify(request, "later", at("2026-11-26T11:00"), CAL, LATER, why="[bold]x[/] \x1b[31m")
    request = ops.postpone(request, d("2026-12-07"), at("2026-11-26T12:00"), CAL)
    request = ops.close(request, "referred", at("2026-11-27T12:00"))
    request = ops.reopen(request, at("2026-11-30T08:00"), CAL, LATER)
    request = ops.edit(request, at("2026-11-30T08:05"), summary="New words")
    assert Request.from_doc(1, request.to_doc()) == request


def test_an_event_and_a_time_entry_read_back_whole_and_frozen() -> None:
    """`from_doc` fills their fields without `__init__`: every field, offset included, comes back
    as it was stored, and the result is as frozen as one made the usual way."""
    when, cet = at("2026-11-26T10:00"), timedelta(hours=1)
    events = [
        Event("created", when, offset=cet),
        Event("classified", when, from_="now", to="later", due=d("2026-12-03"), why="a reason", offset=cet),
        Event("postponed", when, from_due=d("2026-12-03"), to_due=d("2026-12-07"), offset=cet),
        Event("next_step", when, step=d("2026-12-01"), why="see her", offset=cet),
        Event("next_step", when, offset=cet),  # cleared
        Event("closed", when, outcome="referred", offset=cet),
        Event("reopened", when, due=d("2026-11-27"), offset=cet),
        Event("edited", when, fields=("pupil", "summary"), offset=cet),
    ]
    entries = [TimeEntry(7, when, 45, "conversation", 3, "a note", cet), TimeEntry(8, when, 5, "admin")]
    read = [Event.from_doc(e.to_doc()) for e in events]
    read += [TimeEntry.from_doc(e.id, e.to_doc()) for e in entries]
    local = when.astimezone().utcoffset()  # what an instant stored without an offset gets
    for made, back in zip([*events, *entries], read, strict=True):
        assert vars(back) == vars(made) | {"offset": made.offset or local}
        assert back == made and hash(back) == hash(made)
        with pytest.raises(FrozenInstanceError):
            back.offset = None  # type: ignore[misc]
