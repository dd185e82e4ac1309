"""The weekly review of a week built by hand, with every field worked out on paper.

Week 2026-W20: Mon 11.05 – Sun 17.05; Thursday 14.05 is Ascension Day, so its school days
are Mon 11, Tue 12, Wed 13 and Fri 15. `later` is 5 school days. Reviewed on Wed 20.05.

#1 A1 (teacher): `now` Mon 11.05 09:00 (target Mon 11.05), downgraded to `later` 10:00
   ("teacher follows up"; due Tue 19.05), 30 min conversation Wed 13.05 09:00: target
   missed by 2 school days (12, 13); still open, after waiting 2 school days (12, 13).
#2 B2 (parent): `tomorrow` Tue 12.05 08:00 (target Wed 13.05), 45 min parent guidance
   Tue 12.05 14:00 (while `tomorrow`), made `now` Wed 13.05 09:00, closed 15:00: met.
#3 C3 (pupil): `later` Mon 04.05 (target Mon 11.05: Tue 5, Wed 6, Thu 7, Fri 8, Mon 11),
   postponed Tue 12.05 09:00 to Fri 15.05 ("PPT meeting"): slipped 11.05 and 15.05;
   first reached Mon 18.05 (4 school days late: 12, 13, 15, 18); open at the end of the
   week, waiting 8 school days (5, 6, 7, 8, 11, 12, 13, 15).
#4 D4 (nurse): `now` Fri 15.05 08:00, closed (withdrawn) 12:00 with no time: met by the close.
Unlinked: a 60 min meeting Fri 15.05 10:00 in the week; admin on Sun 10.05 and Mon 18.05
outside it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import report_at

from triage_tui.caseload import Caseload
from triage_tui.core.errors import TriageError
from triage_tui.core.review import Week, WeeklyReview, anonymise
from triage_tui.i18n import Messages

W20 = Week(2026, 20)
REVIEWED = datetime(2026, 5, 20, 10, 0)


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-05-{text}")


def typist(caseload: Caseload, clock, live: bool, at=at):
    """`when` and `spent` for a story typed in as it happened (live: the clock is moved to
    each moment) or all afterwards with --at."""

    def when(moment: str) -> datetime | None:
        if live:
            clock.now = at(moment)
            return None
        return at(moment)

    def spent(minutes: int, activity: str, start: str, request_id: int | None = None,
              next_step: date | None = None) -> None:  # fmt: skip
        """Live, time is logged when it ends; after the fact, with its start."""
        if live:
            clock.now = at(start) + timedelta(minutes=minutes)
        caseload.log(minutes, activity, request_id=request_id, start=None if live else at(start),
                     next_step=next_step)  # fmt: skip

    return when, spent


def record(caseload: Caseload, clock, live: bool) -> None:
    """The week's history, typed in as it happened (live) or all on Wednesday with --at."""
    when, spent = typist(caseload, clock, live)
    caseload.add("C3", "secret summary one", source="pupil", urgency="later", at=when("04T09:00"))
    spent(20, "admin", "10T09:00")
    caseload.add("A1", "secret summary two", source="teacher", urgency="now", at=when("11T09:00"))
    caseload.classify(2, "later", why="teacher follows up", at=when("11T10:00"))
    caseload.add("B2", "secret summary three", source="parent", urgency="tomorrow", at=when("12T08:00"))
    caseload.postpone(1, date(2026, 5, 15), why="PPT meeting", at=when("12T09:00"))
    spent(45, "parent-guidance", "12T14:00", 3)
    spent(30, "conversation", "13T09:00", 2)
    caseload.classify(3, "now", at=when("13T09:30"))
    caseload.close(3, "resolved", at=when("13T15:00"))
    caseload.add("D4", "secret summary four", source="nurse", urgency="now", at=when("15T08:00"))
    spent(60, "meeting", "15T10:00")
    caseload.close(4, "withdrawn", at=when("15T12:00"))
    spent(20, "conversation", "18T09:00", 1)
    spent(15, "admin", "18T13:00")
    clock.now = REVIEWED


@pytest.fixture
def w20(tmp_path: Path, clock) -> WeeklyReview:
    """The week recorded after the fact, as the review reads it."""
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "after", clock)
    record(caseload, clock, live=False)
    return caseload.review(W20)


@pytest.fixture
def after_the_fact(w20: WeeklyReview) -> dict:
    """The same, as the JSON the CLI prints."""
    return w20.as_json()


def test_the_ids_follow_the_order_typed(after_the_fact) -> None:
    # The story above numbers requests by pupil; recorded in time order they are:
    # #1 C3, #2 A1, #3 B2, #4 D4.
    assert [o["pupil"] for o in after_the_fact["open_at_end"]] == ["C3", "A1"]


def test_received_and_targets(after_the_fact) -> None:
    assert after_the_fact["week"] == "2026-W20"
    assert after_the_fact["received"] == {"now": 2, "tomorrow": 1, "later": 0, "total": 3}
    assert after_the_fact["targets"] == {
        "now": {"due": 2, "met": 1, "pending": 0},
        "tomorrow": {"due": 1, "met": 1, "pending": 0},
        "later": {"due": 1, "met": 0, "pending": 0},
    }


def test_breaches_count_school_days_late_over_the_holiday(after_the_fact) -> None:
    assert after_the_fact["breaches"] == [
        {"id": 1, "pupil": "C3", "urgency": "later", "due": "2026-05-11", "handled": "2026-05-18",
         "school_days_late": 4},
        {"id": 2, "pupil": "A1", "urgency": "now", "due": "2026-05-11", "handled": "2026-05-13",
         "school_days_late": 2},
    ]  # fmt: skip


def test_downgrades_postponements_and_slips(after_the_fact) -> None:
    assert after_the_fact["downgrades"] == [
        {
            "id": 2,
            "pupil": "A1",
            "from": "now",
            "to": "later",
            "at": "2026-05-11T10:00",
            "why": "teacher follows up",
        }
    ]
    assert after_the_fact["postponements"] == [
        {"id": 1, "pupil": "C3", "from_due": "2026-05-11", "to_due": "2026-05-15", "at": "2026-05-12T09:00",
         "why": "PPT meeting"}
    ]  # fmt: skip
    assert after_the_fact["slips"] == [
        {"id": 1, "pupil": "C3", "due": "2026-05-11"},
        {"id": 1, "pupil": "C3", "due": "2026-05-15"},
    ]


def test_open_at_the_end_longest_waiting_first_and_silent_closes(after_the_fact) -> None:
    assert after_the_fact["open_at_end"] == [
        {"id": 1, "pupil": "C3", "urgency": "later", "due": "2026-05-15", "waiting_school_days": 8,
         "first_contact": None, "postponed": 1, "downgraded": 0},
        {"id": 2, "pupil": "A1", "urgency": "later", "due": "2026-05-19", "waiting_school_days": 2,
         "first_contact": "2026-05-13", "postponed": 0, "downgraded": 1},
    ]  # fmt: skip
    assert after_the_fact["closed_without_contact"] == [{"id": 4, "pupil": "D4", "outcome": "withdrawn"}]
    # No next step was ever set, and A1, the one open case with contact by then, was seen
    # 1 school day before the week's end (Fri 15): no follow-ups, no quiet cases.
    assert after_the_fact["follow_ups"] == after_the_fact["quiet_cases"] == []


def test_time_goes_to_the_class_the_request_had_when_it_was_spent(after_the_fact) -> None:
    time = after_the_fact["time"]
    assert time["total_minutes"] == 135
    assert {a: m for a, m in time["by_activity"].items() if m} == {
        "conversation": 30, "parent-guidance": 45, "meeting": 60,
    }  # fmt: skip
    # #3's 45 minutes were spent while it was `tomorrow`, though it was `now` by the end.
    assert time["by_urgency"] == {"now": 0, "tomorrow": 45, "later": 30, "unlinked": 60}
    assert time["direct_share"] == 0.222  # 30 of 135
    # 37.5 h a week less a fifth for Ascension Day (Thu 14.05): 4 × 450 minutes.
    assert time["contract_minutes"] == 1800
    assert time["balance_minutes"] == 135 - 1800


def test_waits_by_source(after_the_fact) -> None:
    assert after_the_fact["waits_by_source"] == {
        "teacher": {"count": 1, "median_school_days": 2},
        "parent": {"count": 1, "median_school_days": 0},
    }  # D4, closed without contact, had none: a close is not a contact


def test_the_same_week_recorded_live_gives_the_same_review(tmp_path: Path, clock, after_the_fact) -> None:
    caseload = Caseload.open(tmp_path / "live", clock)
    record(caseload, clock, live=True)
    assert caseload.review(W20).as_json() == after_the_fact


def test_a_week_under_way_speaks_as_of_now(tmp_path: Path, clock) -> None:
    caseload = Caseload.open(tmp_path / "data", clock)
    clock.now = at("12T12:00")  # Tuesday of W20
    caseload.add("A1", "x", urgency="tomorrow", at=at("12T08:00"))  # target Wed 13.05: not passed
    review = caseload.review(W20).as_json()
    assert review["as_of"] == "2026-05-12T12:00"
    assert review["targets"]["tomorrow"] == {"due": 1, "met": 0, "pending": 1}
    assert review["breaches"] == [] and review["slips"] == []
    assert review["open_at_end"][0]["waiting_school_days"] == 0


def test_a_week_with_no_data(tmp_path: Path, clock) -> None:
    review = Caseload.open(tmp_path / "data", clock).review(Week(2026, 2)).as_json()
    assert review["received"]["total"] == 0 and review["time"]["total_minutes"] == 0
    assert review["time"]["direct_share"] is None
    assert review["breaches"] == review["open_at_end"] == review["slips"] == []


def test_anonymised_reviews_keep_no_codes_or_reasons(w20: WeeklyReview) -> None:
    shared = anonymise(w20).as_json()
    text = repr(shared)
    for secret in ("A1", "B2", "C3", "D4", "teacher follows up", "PPT meeting"):
        assert secret not in text
    assert [b["pupil"] for b in shared["breaches"]] == ["P1", "P2"]
    assert shared["open_at_end"][0]["pupil"] == "P1"  # the same pupil, the same alias
    assert shared["closed_without_contact"][0]["pupil"] == "P3"


@pytest.mark.parametrize(
    ("text", "week", "monday"),
    [("2026-W47", (2026, 47), date(2026, 11, 16)), ("2026w1", (2026, 1), date(2025, 12, 29)),
     ("2020-W53", (2020, 53), date(2020, 12, 28))],
)  # fmt: skip
def test_weeks_are_iso_weeks(text: str, week: tuple[int, int], monday: date) -> None:
    parsed = Week.parse(text)
    assert (parsed.year, parsed.number, parsed.monday) == (*week, monday)
    assert str(Week.of(monday)) == f"{week[0]}-W{week[1]:02d}"


@pytest.mark.parametrize("text", ["2026-W54", "2026-47", "week 47", "", "2021-W53"])
def test_bad_weeks_are_refused(text: str) -> None:
    with pytest.raises(TriageError, match="write it as 2026-W47"):
        Week.parse(text)


# -- triage report -------------------------------------------------------------------------


@pytest.fixture
def recorded(tmp_path: Path, clock) -> Path:
    clock.now = REVIEWED
    record(Caseload.open(tmp_path / "data", clock), clock, live=False)
    return tmp_path / "data"


def report(folder: Path, capsys, *args: str, now: datetime = REVIEWED) -> tuple[int, str, str]:
    return report_at(now, folder, capsys, *args)


def test_report_json_is_the_review(recorded: Path, capsys, after_the_fact) -> None:
    import json

    code, out, _ = report(recorded, capsys, "--week", "2026-W20", "--format", "json")
    assert code == 0
    assert json.loads(out) == after_the_fact


def test_report_defaults_to_this_week(recorded: Path, capsys) -> None:
    import json

    code, out, _ = report(recorded, capsys, "--format", "json")  # Wed 20.05 is in W21
    review = json.loads(out)
    assert (code, review["week"], review["as_of"]) == (0, "2026-W21", "2026-05-20T10:00")
    assert review["time"]["total_minutes"] == 35  # Monday's 20 min talk and 15 min admin


def test_report_text_reads_like_a_letter(recorded: Path, capsys) -> None:
    code, out, _ = report(recorded, capsys, "--week", "2026-W20")
    assert code == 0
    for line in (
        "Week 20, 2026 (Mon 11.05 – Sun 17.05)",
        "I logged 2 h 15. Most went to meeting 1 h 00, parent guidance 45 min, conversation 30 min.",
        "By urgency: now 0 min, tomorrow 45 min, later 30 min, not tied to a request 1 h 00.",
        "I logged 2 h 15 of 30 h 00 contract hours (8 %).",  # four working days: Ascension Day is off
        "Balance: 27 h 45 under.",  # 30 h 00 - 2 h 15
        "3 requests came in: 2 now, 1 tomorrow, 0 later.",
        "Targets for 'now': 1 of 2 reached in time.",
        "#2 A1 (now, due Mon 11.05): reached Wed 13.05, 2 school days late",
        "1 downgraded, 1 postponed, 2 due dates passed with no contact yet.",
        "#2 A1: downgraded now → later on Mon 11.05 — teacher follows up",
        "#1 C3: postponed Mon 11.05 → Fri 15.05 — PPT meeting",
        "#1 C3 (later, due Fri 15.05): waiting 8 school days, 1× postponed",
        "#2 A1 (later, due Tue 19.05): reached after 2 school days, 1× downgraded",
        "#4 D4 (withdrawn)",
        "No next step fell due this week.",  # nobody set one
        "No ongoing case has gone 10 school days without contact.",
        "from teacher: a median of 2 school days (1 request)",
    ):
        assert line in out, line


def test_report_markdown_has_headings(recorded: Path, capsys) -> None:
    code, out, _ = report(recorded, capsys, "--week", "2026-W20", "--format", "md")
    assert out.startswith("# Week 20, 2026")
    assert "\n## What did I push aside?\n" in out
    assert "\n- #2 A1: downgraded now → later on Mon 11.05 — teacher follows up\n" in out


def test_report_csv_has_one_table_per_section(recorded: Path, capsys) -> None:
    import csv
    import io

    code, out, _ = report(recorded, capsys, "--week", "2026-W20", "--format", "csv")
    blocks = out.strip().split("\n\n")
    names = [block.splitlines()[0] for block in blocks]
    assert names == [f"# 2026-W20 {n}" for n in (
        "received", "targets", "breaches", "downgrades", "postponements", "slips", "open_at_end",
        "closed_without_contact", "follow_ups", "quiet_cases", "time_by_activity", "time_by_urgency",
        "time", "waits_by_source", "year_to_date", "plan",
    )]  # fmt: skip
    breaches = list(csv.reader(io.StringIO("\n".join(blocks[2].splitlines()[1:]))))
    assert breaches == [
        ["id", "pupil", "urgency", "due", "handled", "school_days_late"],
        ["1", "C3", "later", "2026-05-11", "2026-05-18", "4"],
        ["2", "A1", "now", "2026-05-11", "2026-05-13", "2"],
    ]


@pytest.mark.parametrize("form", ["text", "md", "json", "csv"])
def test_an_anonymised_report_names_no_pupil_and_gives_no_reasons(recorded: Path, capsys, form: str) -> None:
    code, out, _ = report(recorded, capsys, "--week", "2026-W20", "--format", form, "--anonymise")
    assert code == 0
    for secret in ("A1", "B2", "C3", "D4", "teacher follows up", "PPT meeting", "secret summary"):
        assert secret not in out, secret
    assert "P1" in out


def test_a_report_of_a_week_with_no_data(recorded: Path, capsys) -> None:
    code, out, _ = report(recorded, capsys, "--week", "2025-W02")
    assert code == 0
    assert "No time was logged this week." in out
    assert "0 requests came in" in out


@pytest.mark.parametrize("week", ["2026-W60", "next", "47"])
def test_a_bad_week_is_refused(recorded: Path, capsys, week: str) -> None:
    code, out, err = report(recorded, capsys, "--week", week)
    assert (code, out) == (2, "")
    assert "write it as 2026-W47" in err and len(err.splitlines()) == 1


def test_reading_only_what_a_week_needs_gives_the_full_answer(tmp_path: Path) -> None:
    """The store skips archives and requests a week cannot involve; check it against all data.
    So does the forecast of the week under way, which reads only the archives of its eight
    weeks of history."""
    from benchmarks.generate import generate
    from triage_tui.core.forecast import basis, forecast, handled_in, history_window, time_left
    from triage_tui.core.queue import day_queue
    from triage_tui.core.review import weekly_review

    now = datetime(2026, 11, 26, 10, 0)
    generate(tmp_path / "data", years=2, seed=3, end=now)
    caseload = Caseload.open(tmp_path / "data", lambda: now)
    requests, entries = caseload.store.everything()
    assert len(caseload.store.archive_months()) >= 12
    start, end = history_window(now.date())
    found = basis(handled_in(requests.values(), entries.values(), start, end).values(), start, end)
    queue = day_queue(requests, entries, None, now, caseload.calendar)
    this_week = forecast(queue, found, time_left(now, caseload.calendar), caseload.calendar)
    assert this_week is not None and this_week.queue
    for week in (Week(2026, 48), Week(2026, 40), Week(2025, 50), Week(2025, 3), Week(2024, 47)):
        full = weekly_review(week, requests.values(), entries.values(), now, caseload.calendar, 37.5,
                             since=caseload.recording_began())  # fmt: skip
        if week == Week(2026, 48):
            full = replace(full, forecast=this_week)
        full = full.as_json()
        assert caseload.review(week).as_json() == full, str(week)


# -- found in review -----------------------------------------------------------------------


def test_time_on_an_old_request_and_an_earlier_contact_keep_their_class(tmp_path: Path, clock) -> None:
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("OLD", "from January", urgency="now", at=datetime(2026, 1, 5, 9, 0))
    caseload.close(1, at=datetime(2026, 1, 5, 12, 0))
    caseload.log(
        45, "documentation", request_id=1, start=at("11T09:00")
    )  # W20, on a request closed in January
    caseload.log(40, "conversation", request_id=None, start=at("08T10:00"))
    caseload.add("EARLY", "written down on Monday", source="teacher", urgency="now", at=at("08T12:00"))
    caseload.log(30, "conversation", request_id=2, start=at("08T13:00"))  # W19
    by_urgency = caseload.review(W20).as_json()["time"]["by_urgency"]
    assert by_urgency == {"now": 45, "tomorrow": 0, "later": 0, "unlinked": 0}
    w19 = caseload.review(Week(2026, 19)).as_json()
    assert w19["time"]["by_urgency"] == {"now": 30, "tomorrow": 0, "later": 0, "unlinked": 40}
    assert w19["waits_by_source"] == {"teacher": {"count": 1, "median_school_days": 0}}


def test_a_distant_target_of_a_long_horizon_is_found(tmp_path: Path, clock) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "config.toml").write_text("later_days = 60\n")
    clock.now = datetime(2026, 6, 20, 10, 0)
    caseload = Caseload.open(tmp_path / "data", clock)
    request = caseload.add("FAR", "can wait long", at=datetime(2026, 1, 5, 9, 0))
    caseload.close(request.id, at=datetime(2026, 1, 6, 9, 0))
    target = request.target_due  # 60 school days after 05.01
    review = caseload.review(Week.of(target)).as_json()
    assert review["targets"]["later"] == {"due": 1, "met": 1, "pending": 0}


def test_the_week_ends_before_monday_midnight(tmp_path: Path, clock) -> None:
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("A", "open all week", at=at("11T09:00"))
    caseload.close(1, "withdrawn", at=at("18T00:00"))  # the first moment of W21
    caseload.add("B", "came in on Monday night", at=at("18T00:00"))
    review = caseload.review(W20).as_json()
    assert [o["pupil"] for o in review["open_at_end"]] == ["A"]
    assert review["as_of"] == "2026-05-17T23:59"
    assert caseload.review(Week(2026, 21)).as_json()["closed_without_contact"] == [
        {"id": 1, "pupil": "A", "outcome": "withdrawn"}
    ]


def test_a_request_closed_twice_in_a_week_is_listed_once(tmp_path: Path, clock) -> None:
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("A", "x", at=at("11T09:00"))
    caseload.close(1, "no-action", at=at("11T10:00"))
    caseload.reopen(1, at=at("12T09:00"))
    caseload.close(1, "withdrawn", at=at("12T10:00"))
    silent = caseload.review(W20).as_json()["closed_without_contact"]
    assert silent == [{"id": 1, "pupil": "A", "outcome": "withdrawn"}]


def test_an_alias_never_reads_as_another_pupil_s_code(tmp_path: Path, clock, capsys) -> None:
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("P2", "first", urgency="now", at=at("11T09:00"))
    caseload.add("P1", "second", urgency="now", at=at("11T09:30"))
    shared = anonymise(caseload.review(W20)).as_json()
    assert [o["pupil"] for o in shared["open_at_end"]] == ["P3", "P4"]


def test_csv_spells_out_control_characters(tmp_path: Path, clock, capsys) -> None:
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("Q\x1b[2J", "x", urgency="now", at=at("11T09:00"))
    caseload.classify(1, "later", why="bell\x07", at=at("11T10:00"))
    code, out, _ = report(tmp_path / "data", capsys, "--week", "2026-W20", "--format", "csv")
    assert "\x1b" not in out and "\x07" not in out
    assert "Q\\x1b[2J" in out and "bell\\x07" in out


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "2026-W49"])
def test_weeks_out_of_range_or_not_begun_are_refused(recorded: Path, capsys, week: str) -> None:
    code, out, err = report(recorded, capsys, "--week", week)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1


def test_anonymising_a_week_with_a_pupil_s_own_request_first_contacted(tmp_path: Path, clock, capsys) -> None:
    """`pupil` is also a source: the waits of pupils' own requests must not be taken for a code."""
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("7B-ER", "secret summary", source="pupil", urgency="now", at=at("11T09:00"))
    caseload.log(20, "conversation", request_id=1, start=at("11T10:00"))
    for form in ("text", "md", "json", "csv"):
        code, out, err = report(
            tmp_path / "data", capsys, "--week", "2026-W20", "--format", form, "--anonymise"
        )
        assert (code, err) == (0, "")
        assert "7B-ER" not in out and "secret" not in out
    shared = anonymise(caseload.review(W20)).as_json()
    assert shared["waits_by_source"] == {"pupil": {"count": 1, "median_school_days": 0}}


# -- follow-ups and quiet cases: a second week, worked out by hand --------------------------
#
# The same week W20 (Ascension Day Thu 14.05; Fri 01.05 is a holiday too), reviewed on Wed
# 20.05, in a store of its own. In the order typed, so the ids are:
#
# #1 H8 (nurse): `now` Mon 27.04 09:00, 30 min conversation 10:00, no next step. Last contact
#    27.04: quiet for 12 school days at the week's end (Tue 28, Wed 29, Thu 30; Mon 4 – Fri 8;
#    Mon 11, Tue 12, Wed 13, Fri 15).
# #2 G7 (pupil): `now` Wed 29.04 09:00, 20 min conversation 11:00 with next step Tue 12.05;
#    postponed Mon 11.05 14:00 to Fri 22.05 ("class trip"), before its day: Tue 12.05 never
#    fell due, and 22.05 is next week. Quiet for exactly 10 school days (from 29.04: the 12
#    above less Tue 28 and Wed 29): 10 or more is quiet.
# #3 E5 (teacher): `now` Mon 04.05 09:00, 30 min conversation 10:00 with next step Mon 11.05;
#    30 min conversation Mon 11.05 13:00, on the day: kept on time; with it, next step Fri
#    15.05, which passed with no contact; reached Mon 18.05, after the week: 1 school day late
#    (Mon 18). Last contact 11.05 as of the week's end: 3 school days, not quiet.
# #4 F6 (parent): `tomorrow` Tue 05.05 08:00, 45 min parent guidance Wed 06.05 09:00 with
#    next step Wed 13.05, which passed with no contact; reached Fri 15.05 10:00: 1 school day
#    late, since Thu 14.05 is Ascension Day.
# #5 I9 (staff): `now` Tue 12.05 08:00, closed (no-action) 12:00 with no time: the close
#    meets its target, but is no contact: closed without contact, and no wait counted.
# #6 J1 (pupil): `tomorrow` Tue 12.05 09:00 (target Wed 13.05), closed 13:00, reopened Wed
#    13.05 09:00 (due anew Fri 15.05), reached Fri 15.05 09:00. The close did not stand, so
#    it was handled by the contact: target missed by 1 school day (Fri 15); waited 2 school
#    days (Wed 13, Fri 15), the only real first contact in the week.

FOLLOW_UPS_REVIEWED = datetime(2026, 5, 20, 10, 0)


def on(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-{text}")


def record_follow_ups(caseload: Caseload, clock, live: bool) -> None:
    when, spent = typist(caseload, clock, live, at=on)
    caseload.add("H8", "secret one", source="nurse", urgency="now", at=when("04-27T09:00"))
    spent(30, "conversation", "04-27T10:00", 1)
    caseload.add("G7", "secret two", source="pupil", urgency="now", at=when("04-29T09:00"))
    spent(20, "conversation", "04-29T11:00", 2, next_step=date(2026, 5, 12))
    caseload.add("E5", "secret three", source="teacher", urgency="now", at=when("05-04T09:00"))
    spent(30, "conversation", "05-04T10:00", 3, next_step=date(2026, 5, 11))
    caseload.add("F6", "secret four", source="parent", urgency="tomorrow", at=when("05-05T08:00"))
    spent(45, "parent-guidance", "05-06T09:00", 4, next_step=date(2026, 5, 13))
    spent(30, "conversation", "05-11T13:00", 3, next_step=date(2026, 5, 15))
    caseload.postpone(2, date(2026, 5, 22), why="class trip", at=when("05-11T14:00"))
    caseload.add("I9", "secret five", source="staff", urgency="now", at=when("05-12T08:00"))
    caseload.add("J1", "secret six", source="pupil", urgency="tomorrow", at=when("05-12T09:00"))
    caseload.close(5, "no-action", at=when("05-12T12:00"))
    caseload.close(6, "resolved", at=when("05-12T13:00"))
    caseload.reopen(6, at=when("05-13T09:00"))
    spent(20, "conversation", "05-15T09:00", 6)
    spent(30, "conversation", "05-15T10:00", 4)
    spent(20, "conversation", "05-18T09:00", 3)
    clock.now = FOLLOW_UPS_REVIEWED


@pytest.fixture
def follow_ups_folder(tmp_path: Path, clock) -> Path:
    clock.now = FOLLOW_UPS_REVIEWED
    record_follow_ups(Caseload.open(tmp_path / "follow-ups", clock), clock, live=False)
    return tmp_path / "follow-ups"


@pytest.fixture
def follow_ups_review(follow_ups_folder: Path, clock) -> WeeklyReview:
    return Caseload.open(follow_ups_folder, clock).review(W20)


@pytest.fixture
def follow_ups_week(follow_ups_review: WeeklyReview) -> dict:
    return follow_ups_review.as_json()


def test_next_steps_kept_on_time_or_late_and_never_one_postponed_before_its_day(follow_ups_week) -> None:
    assert follow_ups_week["follow_ups"] == [
        {"id": 3, "pupil": "E5", "next_step": "2026-05-11", "contact": "2026-05-11", "on_time": True,
         "school_days_late": None},
        {"id": 4, "pupil": "F6", "next_step": "2026-05-13", "contact": "2026-05-15", "on_time": False,
         "school_days_late": 1},  # over Ascension Day
        {"id": 3, "pupil": "E5", "next_step": "2026-05-15", "contact": "2026-05-18", "on_time": False,
         "school_days_late": 1},  # reached after the week, which still tells how late
    ]  # fmt: skip
    # G7's next step was moved before its day: a postponement, not a follow-up.
    assert follow_ups_week["postponements"] == [
        {"id": 2, "pupil": "G7", "from_due": "2026-05-12", "to_due": "2026-05-22", "at": "2026-05-11T14:00",
         "why": "class trip"}
    ]  # fmt: skip
    assert follow_ups_week["slips"] == []  # a next step that passes is a late follow-up, not a slip


def test_a_late_next_step_not_reached_by_the_week_s_end_says_so(follow_ups_folder: Path, clock) -> None:
    """The week as it stood on Sunday evening, before E5 was reached on Monday."""
    from triage_tui.core.review import weekly_review

    caseload = Caseload.open(follow_ups_folder, clock)
    requests, entries = caseload.store.everything()
    sunday = datetime(2026, 5, 17, 20, 0)
    so_far = [e for e in entries.values() if e.start <= sunday]
    review = weekly_review(W20, requests.values(), so_far, sunday, caseload.calendar, 37.5).as_json()
    assert review["follow_ups"][2] == {"id": 3, "pupil": "E5", "next_step": "2026-05-15", "contact": None,
                                       "on_time": False, "school_days_late": None}  # fmt: skip


def test_quiet_cases_are_ongoing_with_no_contact_for_ten_school_days(follow_ups_week) -> None:
    assert follow_ups_week["quiet_cases"] == [
        {"id": 1, "pupil": "H8", "last_contact": "2026-04-27", "school_days": 12, "next_step": None},
        {"id": 2, "pupil": "G7", "last_contact": "2026-04-29", "school_days": 10, "next_step": "2026-05-22"},
    ]  # E5 (3 school days), F6 and J1 (0) are not; I9 is closed


def test_a_close_is_no_contact_and_a_close_undone_handles_nothing(follow_ups_week) -> None:
    assert follow_ups_week["received"] == {"now": 1, "tomorrow": 1, "later": 0, "total": 2}
    assert follow_ups_week["targets"] == {
        "now": {"due": 1, "met": 1, "pending": 0},  # I9, by its close
        "tomorrow": {"due": 1, "met": 0, "pending": 0},  # J1
        "later": {"due": 0, "met": 0, "pending": 0},
    }
    assert follow_ups_week["breaches"] == [
        {"id": 6, "pupil": "J1", "urgency": "tomorrow", "due": "2026-05-13", "handled": "2026-05-15",
         "school_days_late": 1},
    ]  # fmt: skip
    assert follow_ups_week["closed_without_contact"] == [{"id": 5, "pupil": "I9", "outcome": "no-action"}]
    # Only J1 had its first contact in the week; I9's close is none, so staff has no wait.
    assert follow_ups_week["waits_by_source"] == {"pupil": {"count": 1, "median_school_days": 2}}


def test_follow_ups_recorded_live_give_the_same_review(tmp_path: Path, clock, follow_ups_week) -> None:
    caseload = Caseload.open(tmp_path / "live", clock)
    record_follow_ups(caseload, clock, live=True)
    assert caseload.review(W20).as_json() == follow_ups_week


def test_the_letter_tells_the_follow_ups_and_the_quiet_cases(follow_ups_folder: Path, capsys) -> None:
    code, out, _ = report(follow_ups_folder, capsys, "--week", "2026-W20", now=FOLLOW_UPS_REVIEWED)
    assert code == 0
    for line in (
        "\nDID I KEEP MY NEXT STEPS?\n",
        "3 next steps fell due this week: 1 kept on time, 2 late.",
        "  • #3 E5: next step Mon 11.05 — kept on time (Mon 11.05)\n",
        "  • #4 F6: next step Wed 13.05 — reached Fri 15.05, 1 school day late\n",
        "  • #3 E5: next step Fri 15.05 — reached Mon 18.05, 1 school day late\n",
        "\nWHO HAS GONE QUIET?\n",
        "Quiet cases: ongoing, no contact for 10+ school days — help before it becomes acute.",
        "  • #1 H8: not seen for 12 school days (last contact Mon 27.04), no next step\n",
        "  • #2 G7: not seen for 10 school days (last contact Wed 29.04), next step Fri 22.05\n",
        "#2 G7: postponed Tue 12.05 → Fri 22.05 — class trip",
        "#5 I9 (no action)",
        "from pupil: a median of 2 school days (1 request)",
    ):
        assert line in out, line
    assert "from staff" not in out


def test_markdown_gives_follow_ups_and_quiet_cases_headings(follow_ups_folder: Path, capsys) -> None:
    code, out, _ = report(follow_ups_folder, capsys, "--week", "2026-W20", "--format", "md",
                          now=FOLLOW_UPS_REVIEWED)  # fmt: skip
    assert code == 0
    assert "\n## Did I keep my next steps?\n" in out and "\n## Who has gone quiet?\n" in out
    assert "\n- #4 F6: next step Wed 13.05 — reached Fri 15.05, 1 school day late\n" in out
    assert "\n- #1 H8: not seen for 12 school days (last contact Mon 27.04), no next step\n" in out


def test_csv_has_a_table_of_follow_ups_and_one_of_quiet_cases(follow_ups_folder: Path, capsys) -> None:
    import csv
    import io

    code, out, _ = report(follow_ups_folder, capsys, "--week", "2026-W20", "--format", "csv",
                          now=FOLLOW_UPS_REVIEWED)  # fmt: skip
    blocks = {block.splitlines()[0]: block.splitlines()[1:] for block in out.strip().split("\n\n")}
    follow_ups = list(csv.reader(io.StringIO("\n".join(blocks["# 2026-W20 follow_ups"]))))
    assert follow_ups == [
        ["id", "pupil", "next_step", "contact", "on_time", "school_days_late"],
        ["3", "E5", "2026-05-11", "2026-05-11", "true", ""],
        ["4", "F6", "2026-05-13", "2026-05-15", "false", "1"],
        ["3", "E5", "2026-05-15", "2026-05-18", "false", "1"],
    ]
    quiet = list(csv.reader(io.StringIO("\n".join(blocks["# 2026-W20 quiet_cases"]))))
    assert quiet == [
        ["id", "pupil", "last_contact", "school_days", "next_step"],
        ["1", "H8", "2026-04-27", "12", ""],
        ["2", "G7", "2026-04-29", "10", "2026-05-22"],
    ]


def test_empty_follow_ups_and_quiet_cases_still_have_their_csv_tables(recorded: Path, capsys) -> None:
    code, out, _ = report(recorded, capsys, "--week", "2026-W20", "--format", "csv")
    assert "# 2026-W20 follow_ups\nid,pupil,next_step,contact,on_time,school_days_late\n\n" in out
    assert "# 2026-W20 quiet_cases\nid,pupil,last_contact,school_days,next_step\n\n" in out


@pytest.mark.parametrize("form", ["text", "md", "json", "csv"])
def test_anonymised_follow_ups_and_quiet_cases_name_no_one(
    follow_ups_folder: Path, capsys, form: str
) -> None:
    code, out, _ = report(follow_ups_folder, capsys, "--week", "2026-W20", "--format", form, "--anonymise",
                          now=FOLLOW_UPS_REVIEWED)  # fmt: skip
    assert code == 0
    for secret in ("H8", "G7", "E5", "F6", "I9", "J1", "class trip", "secret"):
        assert secret not in out, secret
    assert "P5" in out  # E5's alias, in the follow-ups


def test_anonymise_aliases_the_follow_ups_and_quiet_cases_as_everywhere_else(
    follow_ups_review, follow_ups_week
) -> None:
    shared = anonymise(follow_ups_review).as_json()
    # Aliases in order of appearance: J1 P1 (breaches), G7 P2 (postponements), then the open
    # requests, longest waiting first: F6 P3, H8 P4, E5 P5; I9 P6 (closed without contact).
    assert [(o["id"], o["pupil"]) for o in shared["open_at_end"]] == [
        (6, "P1"), (4, "P3"), (1, "P4"), (2, "P2"), (3, "P5")
    ]  # fmt: skip
    assert [(f["id"], f["pupil"]) for f in shared["follow_ups"]] == [(3, "P5"), (4, "P3"), (3, "P5")]
    assert [(q["id"], q["pupil"]) for q in shared["quiet_cases"]] == [(1, "P4"), (2, "P2")]
    assert shared["postponements"][0]["why"] is None
    # Nothing else is taken out: the dates and counts stay.
    assert [{k: v for k, v in f.items() if k != "pupil"} for f in shared["follow_ups"]] == [
        {k: v for k, v in f.items() if k != "pupil"} for f in follow_ups_week["follow_ups"]
    ]


def test_a_next_step_kept_early_on_a_case_closed_before_its_week_is_found(tmp_path: Path, clock) -> None:
    """The store reads a week's requests only; one closed the week before, with its target
    long passed, still has a follow-up in the week if its next step's day falls there."""
    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("K2", "x", urgency="now", at=at("04T09:00"))
    caseload.log(30, "conversation", request_id=1, start=at("04T10:00"), next_step=date(2026, 5, 11))
    caseload.log(20, "conversation", request_id=1, start=at("07T09:00"))  # before the step's day
    caseload.close(1, at=at("08T12:00"))
    assert caseload.review(W20).as_json()["follow_ups"] == [
        {"id": 1, "pupil": "K2", "next_step": "2026-05-11", "contact": "2026-05-07", "on_time": True,
         "school_days_late": None}
    ]  # fmt: skip


# -- exports are inert (issue 9, items 6 and 7) ----------------------------------------------


def hostile_week(folder: Path, clock) -> Caseload:
    """Pupil codes and reasons that a spreadsheet or a Markdown viewer would act on.

    #1 `=1+2`, #2 `@SUM(A1)`, #4 a code with a newline: `now` on Mon 11.05, downgraded to
    `later` the same day; #3 `-2+3`: `later`, postponed Tue 19.05 → Fri 22.05 on Tue 12.05."""
    clock.now = REVIEWED
    caseload = Caseload.open(folder, clock)
    caseload.add("=1+2", "x", urgency="now", at=at("11T09:00"))
    caseload.classify(1, "later", why="+cmd|' /C calc'!A0", at=at("11T10:00"))
    caseload.add("@SUM(A1)", "x", urgency="now", at=at("11T09:30"))
    caseload.classify(2, "later", why="-2+3 pupils", at=at("11T11:00"))
    caseload.add("-2+3", "x", urgency="later", at=at("11T12:00"))
    caseload.postpone(3, date(2026, 5, 22), why="@home", at=at("12T09:00"))
    caseload.add("Q1\n# heading", "x", urgency="now", at=at("11T13:00"))
    caseload.classify(4, "later", why="[x](http://evil) *bold* <b>&amp;</b>\n- item", at=at("11T14:00"))
    return caseload


def csv_tables(out: str) -> dict[str, list[dict[str, str]]]:
    import csv
    import io

    tables = {}
    for block in out.strip().split("\n\n"):
        name, *lines = block.splitlines()
        tables[name.split()[-1]] = list(csv.DictReader(io.StringIO("\n".join(lines))))
    return tables


def test_csv_cells_that_could_start_a_formula_are_neutralised(tmp_path: Path, clock, capsys) -> None:
    hostile_week(tmp_path / "data", clock)
    code, out, _ = report(tmp_path / "data", capsys, "--week", "2026-W20", "--format", "csv")
    assert code == 0
    tables = csv_tables(out)
    assert [(d["id"], d["pupil"], d["why"]) for d in tables["downgrades"]] == [
        ("1", "'=1+2", "'+cmd|' /C calc'!A0"),
        ("2", "'@SUM(A1)", "'-2+3 pupils"),
        ("4", "Q1\\n# heading", "[x](http://evil) *bold* <b>&amp;</b>\\n- item"),
    ]
    assert [(p["id"], p["pupil"], p["why"]) for p in tables["postponements"]] == [("3", "'-2+3", "'@home")]
    assert [o["pupil"] for o in tables["open_at_end"]] == ["'=1+2", "'@SUM(A1)", "'-2+3", "Q1\\n# heading"]
    cells = [cell for rows in tables.values() for row in rows for cell in row.values()]
    texts = [cell for cell in cells if not cell.lstrip("-").isdigit()]  # a balance stays a number
    assert not [cell for cell in texts if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_neutralises_a_leading_tab_or_return_but_keeps_negative_numbers(tmp_path: Path, clock) -> None:
    """The store strips reasons, so a leading tab or return comes only from a damaged or
    planted file; the review is changed by hand here. Our own figures stay numbers."""
    from triage_tui.report import tables

    review = hostile_week(tmp_path / "data", clock).review(W20)
    first, second, *rest = review.downgrades
    review = replace(
        review,
        downgrades=(replace(first, why="\tnote"), replace(second, why="\r=cmd"), *rest),
        time=replace(review.time, total_minutes=-3),  # as a balance would be
    )
    out = csv_tables(tables(review, Messages("en")))
    assert [d["why"] for d in out["downgrades"]][:2] == ["'\\tnote", "'\\r=cmd"]
    assert out["time"] == [
        {"total_minutes": "-3", "direct_share": "", "contract_minutes": "1800", "balance_minutes": "-1800"}
    ]


def test_text_report_keeps_user_text_on_its_line(tmp_path: Path, clock, capsys) -> None:
    hostile_week(tmp_path / "data", clock)
    code, out, _ = report(tmp_path / "data", capsys, "--week", "2026-W20")
    assert code == 0
    lines = out.splitlines()
    assert "  • #4 Q1\\n# heading: downgraded now → later on Mon 11.05 — "\
           "[x](http://evil) *bold* <b>&amp;</b>\\n- item" in lines  # fmt: skip
    assert "  • #4 Q1\\n# heading (later, due Tue 19.05): waiting 3 school days, 1× downgraded" in lines
    assert not [line for line in lines if line.startswith(("# heading", "- item"))]


def test_markdown_report_escapes_user_text(tmp_path: Path, clock, capsys) -> None:
    from markdown_it import MarkdownIt

    hostile_week(tmp_path / "data", clock)
    code, out, _ = report(tmp_path / "data", capsys, "--week", "2026-W20", "--format", "md")
    assert code == 0
    lines = out.splitlines()
    assert "- #4 Q1\\\\n\\# heading: downgraded now → later on Mon 11.05 — "\
           "\\[x\\]\\(http\\://evil\\) \\*bold\\* \\<b\\>\\&amp;\\</b\\>\\\\n- item" in lines  # fmt: skip
    assert "- #1 =1+2: downgraded now → later on Mon 11.05 — +cmd\\|' /C calc'\\!A0" in lines
    # Rendered, the user text reads as typed: no link, emphasis, HTML, entity or heading.
    viewer = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table", "strikethrough"])
    html = viewer.render(out)
    for made in ("<a ", "<em>", "<strong>", "<b>", "<del>", "<table>"):
        assert made not in html, made
    # Our own headings and items only: the title, 7 questions; 3 breaches (#1, #2, #4),
    # 3 downgrades, 1 postponement, 4 open at the end.
    assert (html.count("<h1>"), html.count("<h2>"), html.count("<li>")) == (1, 7, 11)
    assert "#4 Q1\\n# heading: downgraded now → later on Mon 11.05 — "\
           "[x](http://evil) *bold* &lt;b&gt;&amp;amp;&lt;/b&gt;\\n- item</li>" in html  # fmt: skip


def json_controls(text: str) -> list[str]:
    """DEL and the C1 controls: orjson leaves them raw, and a terminal may act on them."""
    return [c for c in text if "\x7f" <= c <= "\x9f"]


def test_json_output_spells_out_del_and_c1_controls(tmp_path: Path, clock, capsys) -> None:
    import json

    from triage_tui.cli import main

    clock.now = REVIEWED
    caseload = Caseload.open(tmp_path / "data", clock)
    summary, why = "a\x7fb\x80c\x9b2Jd\x9f", "e\x85f\x7f"
    caseload.add("Z9\x90", summary, urgency="now", at=at("11T09:00"))
    caseload.classify(1, "later", why=why, at=at("11T10:00"))

    code = main(["--data-dir", str(tmp_path / "data"), "show", "1", "--json"], clock=lambda: REVIEWED)
    shown = capsys.readouterr().out
    assert code == 0 and json_controls(shown) == []
    assert "a\\u007fb\\u0080c\\u009b2Jd\\u009f" in shown
    request = json.loads(shown)
    assert (request["pupil"], request["summary"], request["events"][-1]["why"]) == ("Z9\x90", summary, why)

    code, out, _ = report(tmp_path / "data", capsys, "--week", "2026-W20", "--format", "json")
    assert code == 0 and json_controls(out) == []
    review = json.loads(out)
    assert review == caseload.review(W20).as_json()
    assert (review["downgrades"][0]["pupil"], review["downgrades"][0]["why"]) == ("Z9\x90", why)
