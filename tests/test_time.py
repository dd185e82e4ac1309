"""Time that cannot be right is refused (a double) or saved with a warning (it overlaps other
time or the running timer); `triage time` lists a day's entries."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from triage_tui.caseload import Caseload
from triage_tui.cli import main
from triage_tui.core.errors import TriageError

THURSDAY = datetime(2026, 11, 26, 12, 0)


@pytest.fixture
def caseload(tmp_path: Path, clock) -> Caseload:
    clock.now = THURSDAY
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("7B", "talk", at=datetime(2026, 11, 26, 9, 0))
    return caseload


def run(folder: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--data-dir", str(folder)], clock=lambda: THURSDAY)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_same_time_logged_twice_within_a_minute_is_a_double(caseload: Caseload, clock) -> None:
    first = caseload.log(20, "conversation", request_id=1)  # 11:40, just spent
    clock.now = datetime(2026, 11, 26, 12, 0, 50)
    with pytest.raises(
        TriageError, match="the same time was logged a moment ago as entry 1; nothing was saved"
    ):
        caseload.log(20, "conversation", request_id=1)
    # Not a double: another activity, another length, another note, or a minute later.
    assert caseload.log(20, "conversation", request_id=1, note="with mum").id == 2
    assert caseload.log(20, "documentation", request_id=1).id == 3
    assert caseload.log(25, "conversation", request_id=1).id == 4
    assert caseload.log(20, "conversation", request_id=1, start=first.start.replace(minute=41)).id == 5


def test_overlapping_time_is_saved_and_the_overlap_named(caseload: Caseload, clock) -> None:
    meeting = caseload.log(60, "meeting", start=datetime(2026, 11, 26, 10, 0))
    caseload.start_timer(activity="admin", at=datetime(2026, 11, 26, 11, 50))
    talk = caseload.log(30, "conversation", request_id=1, start=datetime(2026, 11, 26, 10, 45))
    assert talk.id == 2  # saved
    others, timer = caseload.overlaps(talk)
    assert ([o.id for o in others], timer) == ([meeting.id], None)  # ended 11:15, before the timer
    late = caseload.log(15, "documentation", start=datetime(2026, 11, 26, 11, 40))
    assert caseload.overlaps(late)[0] == [] and caseload.overlaps(late)[1].start == datetime(
        2026, 11, 26, 11, 50
    )
    assert caseload.overlaps(meeting)[0] == [talk]


def test_the_command_line_warns_of_an_overlap_on_stderr(caseload: Caseload, capsys) -> None:
    folder = caseload.store.dir
    run(folder, capsys, "log", "60", "--activity", "meeting", "--at", "10:00")
    code, out, err = run(
        folder, capsys, "log", "30", "--activity", "conversation", "--request", "1", "--at", "10:45"
    )
    assert (code, out) == (0, "logged 30 min conversation on #1, from Thu 26.11 10:45 (entry 2)\n")
    assert err == "warning: it overlaps 1 h 00 meeting (unlinked), from Thu 26.11 10:00 (entry 1)\n"
    code, out, err = run(
        folder, capsys, "log", "30", "--activity", "conversation", "--request", "1", "--at", "10:45"
    )
    assert (code, out) == (2, "")
    assert err == "triage: the same time was logged a moment ago as entry 2; nothing was saved\n"


def test_time_lists_a_day_with_each_entry_s_number(caseload: Caseload, capsys) -> None:
    folder = caseload.store.dir
    caseload.log(30, "conversation", request_id=1, note="with mum", start=datetime(2026, 11, 26, 9, 30))
    caseload.log(60, "meeting", start=datetime(2026, 11, 25, 14, 0))
    code, out, err = run(folder, capsys, "time")
    assert (code, err) == (0, "")
    assert out == "Thu 26.11.2026: 30 min\n      1  09:30–10:00  30 min conversation on #1 — with mum\n"
    assert run(folder, capsys, "time", "--day", "yesterday")[1] == (
        "Wed 25.11.2026: 1 h 00\n      2  14:00–15:00  1 h 00 meeting (unlinked)\n"
    )
    listed = run(folder, capsys, "time", "--json", "--day", "wed")[1]
    assert '"total_minutes": 60' in listed and '"id": 2' in listed
    assert run(folder, capsys, "time", "--day", "mon")[1] == "Mon 23.11.2026: 0 min\n  (none)\n"


@pytest.mark.parametrize("day", ["8A-KL", "31.02", "tomorrow 25:00"])
def test_time_refuses_a_day_it_cannot_read(caseload: Caseload, capsys, day: str) -> None:
    before = sorted(p.read_bytes() for p in caseload.store.dir.rglob("*") if p.is_file())
    code, out, err = run(caseload.store.dir, capsys, "time", "--day", day)
    assert (code, out, len(err.splitlines())) == (2, "", 1)
    assert "8A-KL" not in err
    assert sorted(p.read_bytes() for p in caseload.store.dir.rglob("*") if p.is_file()) == before


def test_linked_time_before_the_request_came_in_is_refused(caseload: Caseload, clock, capsys) -> None:
    """#1 came in at 09:00: time on it from 08:50, or a timer from 08:59, would be a first
    contact before it existed. Unlinked time then is fine, and so is time from 09:00."""
    folder = caseload.store.dir
    files = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code, out, err = run(
        folder, capsys, "log", "20", "--activity", "conversation", "--request", "1", "--at", "08:50"
    )
    assert (code, out) == (2, "")
    assert err == (
        "triage: request 1 came in at 2026-11-26 09:00, after this time starts; "
        'if it came in earlier, record that: `add --at`, or in the app\'s add form "Came in" '
        "(u takes back the add)\n"
    )
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == files
    with pytest.raises(TriageError, match="came in at 2026-11-26 09:00"):
        caseload.start_timer(1, at=datetime(2026, 11, 26, 8, 59))
    assert caseload.timer is None
    assert caseload.log(20, "meeting", start=datetime(2026, 11, 26, 8, 50)).request_id is None
    assert caseload.log(20, "conversation", request_id=1, start=datetime(2026, 11, 26, 9, 0)).id == 2


def test_the_refusal_is_in_norwegian_too(caseload: Caseload, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    code, out, err = run(
        caseload.store.dir,
        capsys,
        "log",
        "20",
        "--activity",
        "conversation",
        "--request",
        "1",
        "--at",
        "08:50",
    )
    assert (code, err) == (2, "triage: #1 kom inn tor 26.11 09:00, etter at denne tiden starter; "
                              "kom den inn tidligere, registrer det: «add --at», eller «Kom inn» i skjemaet "
                              "for ny henvendelse i appen (u angrer registreringen)\n")  # fmt: skip
