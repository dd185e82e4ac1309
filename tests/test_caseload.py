"""Actions on the caseload at a fixed clock: time, the timer, and what they say about requests."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from triage_tui.caseload import Caseload
from triage_tui.core.errors import TriageError


@pytest.fixture
def caseload(tmp_path, clock) -> Caseload:
    return Caseload.open(tmp_path / "data", clock)


def test_logged_time_without_a_start_was_just_spent(caseload: Caseload) -> None:
    request = caseload.add("7B", "talk", at=datetime(2026, 11, 26, 9, 0))
    entry = caseload.log(45, "conversation", request_id=request.id, note="first talk")
    assert (entry.start, entry.minutes, entry.request_id, entry.note) == (
        datetime(2026, 11, 26, 9, 15), 45, request.id, "first talk",
    )  # fmt: skip
    assert caseload.describe(request)["first_contact"] == "2026-11-26T09:15:00"


def test_the_timer_is_stored_and_its_minutes_logged_on_stop(caseload: Caseload, clock) -> None:
    request = caseload.add("7B", "talk")
    caseload.start_timer(request.id)
    assert Caseload.open(caseload.store.dir).timer.request_id == request.id  # survives a restart
    clock.now = datetime(2026, 11, 26, 10, 37, 40)
    entry = caseload.stop_timer()
    assert (entry.start, entry.minutes, entry.activity) == (datetime(2026, 11, 26, 10, 0), 38, "conversation")
    assert caseload.timer is None
    with pytest.raises(TriageError, match="no timer is running"):
        caseload.stop_timer()


def test_starting_a_timer_stops_and_logs_the_running_one(caseload: Caseload, clock) -> None:
    caseload.start_timer(activity="meeting")
    clock.now = datetime(2026, 11, 26, 10, 30)
    timer, stopped = caseload.start_timer(caseload.add("7B", "talk").id)
    assert (stopped.minutes, stopped.activity, stopped.request_id) == (30, "meeting", None)
    assert (timer.start, timer.activity) == (datetime(2026, 11, 26, 10, 30), "conversation")


def test_a_timer_left_running_overnight_needs_its_stop_time(caseload: Caseload, clock) -> None:
    caseload.start_timer(activity="documentation")
    clock.now = datetime(2026, 11, 27, 8, 0)
    with pytest.raises(TriageError, match="has run since 2026-11-26 10:00; say when it stopped"):
        caseload.stop_timer()
    assert caseload.timer is not None
    entry = caseload.stop_timer(at=datetime(2026, 11, 26, 15, 0))
    assert entry.minutes == 300


def test_a_timer_stopped_days_later_is_refused_not_cut_to_a_day(caseload: Caseload, clock) -> None:
    clock.now = datetime(2026, 11, 23, 9, 0)
    caseload.start_timer(activity="documentation")
    clock.now = datetime(2026, 11, 25, 11, 0)
    with pytest.raises(TriageError, match="say when it stopped that day.*'2026-11-23 15:00'"):
        caseload.stop_timer(at=datetime(2026, 11, 25, 10, 0))
    assert caseload.timer is not None
    assert caseload.stop_timer(at=datetime(2026, 11, 23, 15, 0)).minutes == 360


def test_a_timer_over_the_change_to_summer_time_logs_the_real_minutes(
    caseload: Caseload, clock, local_zone
) -> None:
    local_zone("Europe/Oslo")  # on 29.03.2026 the clocks go from 02:00 to 03:00
    clock.now = datetime(2026, 3, 27, 9, 0)
    request = caseload.add("7B", "night shift at the boarding school")
    clock.now = datetime(2026, 3, 29, 1, 30)
    caseload.start_timer(request.id)
    clock.now = datetime(2026, 3, 29, 3, 30)  # two hours on the clock face, one in real time
    entry = caseload.stop_timer()
    assert (entry.start, entry.minutes) == (datetime(2026, 3, 29, 1, 30), 60)
    assert caseload.store.snapshot()[1][entry.id].to_doc()["start"] == "2026-03-29T01:30:00+01:00"
    clock.now = datetime(2026, 3, 29, 3, 10)
    logged = caseload.log(60, "documentation")  # just spent: it began before the change
    assert logged.to_doc()["start"] == "2026-03-29T01:10:00+01:00"


def test_a_timer_started_in_one_time_zone_stops_in_another(caseload: Caseload, clock, local_zone) -> None:
    local_zone("Europe/Oslo")
    caseload.start_timer(activity="meeting")  # Thu 26.11 10:00 in Oslo, 09:00 UTC
    local_zone("America/New_York")
    clock.now = datetime(2026, 11, 26, 4, 30)  # 09:30 UTC
    entry = caseload.stop_timer()
    assert entry.minutes == 30
    assert entry.to_doc()["start"] == "2026-11-26T10:00:00+01:00"  # the day and clock it was logged by


def test_a_stop_before_the_start_is_refused(caseload: Caseload) -> None:
    caseload.start_timer(at=datetime(2026, 11, 26, 9, 30))
    with pytest.raises(TriageError, match="the timer started at 2026-11-26 09:30"):
        caseload.stop_timer(at=datetime(2026, 11, 26, 9, 0))


def test_actions_in_the_future_are_refused(caseload: Caseload) -> None:
    with pytest.raises(TriageError, match="future"):
        caseload.add("7B", "x", at=datetime(2026, 11, 26, 12, 0))


def test_unknown_requests_and_activities_are_refused(caseload: Caseload) -> None:
    with pytest.raises(TriageError, match="there is no request 4"):
        caseload.classify(4, "now")
    with pytest.raises(TriageError, match="there is no request 4"):
        caseload.log(10, "conversation", request_id=4)
    with pytest.raises(TriageError, match="unknown activity 'talking'"):
        caseload.log(10, "talking")
    with pytest.raises(TriageError, match="there is no request 4"):
        caseload.start_timer(4)
    assert caseload.timer is None


def test_the_queue_puts_waiting_requests_first_by_class_then_follow_ups(caseload: Caseload, clock) -> None:
    clock.now = datetime(2026, 11, 16, 9, 0)  # Monday
    old_later = caseload.add("0Z", "old later")  # due Mon 23.11
    clock.now = datetime(2026, 11, 23, 9, 0)  # Monday
    overdue = caseload.add("1A", "overdue", urgency="now")  # due Mon 23.11
    follow_up = caseload.add("6F", "seen, again today", urgency="now")
    clock.now = datetime(2026, 11, 23, 9, 30)
    caseload.log(20, "conversation", request_id=follow_up.id)
    caseload.next_step(follow_up.id, date(2026, 11, 26))
    quiet = caseload.add("7G", "seen, no next step", urgency="now", at=datetime(2026, 11, 23, 9, 0))
    caseload.log(20, "conversation", request_id=quiet.id)
    clock.now = datetime(2026, 11, 26, 10, 0)  # Thursday
    later = caseload.add("2B", "later")  # due Thu 03.12
    tomorrow = caseload.add("3C", "tomorrow", urgency="tomorrow")  # due Fri 27.11
    now = caseload.add("4D", "now", urgency="now")  # due Thu 26.11
    closed = caseload.add("5E", "closed", urgency="now")
    caseload.close(closed.id)
    queue = caseload.day_queue()
    ids = {lane: [row.id for row in rows] for lane, rows in queue.lanes.items()}
    assert ids == {
        "now": [overdue.id, now.id, old_later.id, follow_up.id],
        "tomorrow": [tomorrow.id],
        "later": [later.id],
        "ongoing": [quiet.id],
    }
    assert [r.id for r in caseload.open_requests()] == [*ids["now"], tomorrow.id, later.id, quiet.id]
    row = queue.row(quiet.id)
    assert (row.waited, row.since_contact, row.overdue) == (0, 3, False)  # reached at once; seen Mon


def test_time_cannot_end_after_now(caseload: Caseload) -> None:
    with pytest.raises(TriageError, match="120 min from 08:30 would end after now"):
        caseload.log(120, "meeting", start=datetime(2026, 11, 26, 8, 30))
    assert caseload.log(90, "meeting", start=datetime(2026, 11, 26, 8, 30)).minutes == 90


def test_a_refused_action_on_a_new_day_makes_no_backup(caseload: Caseload, clock) -> None:
    caseload.add("7B", "first")
    clock.now = datetime(2026, 11, 27, 8, 0)
    for _ in range(3):
        with pytest.raises(TriageError):
            caseload.close(99)
    assert caseload.store.backups() == []
    caseload.close(1)
    assert len(caseload.store.backups()) == 1


def test_a_timer_stopped_within_a_minute_logs_nothing(caseload: Caseload, clock) -> None:
    request = caseload.add("7B", "talk")
    caseload.start_timer(request.id)
    clock.now = datetime(2026, 11, 26, 10, 0, 59)
    assert caseload.stop_timer() is None
    assert caseload.timer is None and caseload.recent_entries() == []
    assert caseload.describe(request)["first_contact"] is None  # a stray key is no contact


def test_the_last_closed_request_is_the_one_to_reopen(caseload: Caseload, clock) -> None:
    assert caseload.last_closed() is None
    first, second = caseload.add("7B", "one"), caseload.add("8A", "two")
    caseload.close(second.id)
    clock.now = datetime(2026, 11, 26, 11, 0)
    caseload.close(first.id)
    assert caseload.last_closed().id == first.id


def test_time_logged_by_mistake_can_be_taken_back(caseload: Caseload) -> None:
    request = caseload.add("7B", "talk", at=datetime(2026, 11, 26, 1, 0))
    wrong = caseload.log(480, "conversation", request_id=request.id, start=datetime(2026, 11, 26, 1, 0))
    assert caseload.describe(request)["first_contact"] == "2026-11-26T01:00:00"
    assert caseload.unlog(wrong.id) == wrong
    assert caseload.recent_entries() == []
    assert caseload.describe(request)["first_contact"] is None  # no false contact stays behind
    with pytest.raises(TriageError, match="no recent time entry 1"):
        caseload.unlog(wrong.id)
