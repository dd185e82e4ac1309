"""Undo: the newest action, of any process, taken back as if it had never been recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import orjson
import pytest
from conftest import TypingTerminal

from triage_tui.caseload import Caseload
from triage_tui.cli import main
from triage_tui.core.errors import TriageError
from triage_tui.core.review import Week
from triage_tui.i18n import Messages
from triage_tui.present import undo_line

THURSDAY = datetime(2026, 11, 26, 10, 0)


@pytest.fixture
def caseload(tmp_path: Path, clock) -> Caseload:
    """#1 waiting (later); #2 ongoing since 09:00, its next step Mon 30.11; #3 closed."""
    clock.now = THURSDAY
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("7B", "first", at=datetime(2026, 11, 26, 8, 0))
    caseload.add("8A", "second", urgency="now", at=datetime(2026, 11, 26, 8, 0))
    caseload.log(
        30, "conversation", request_id=2, start=datetime(2026, 11, 26, 9, 0), next_step=date(2026, 11, 30)
    )
    caseload.add("9C", "third", at=datetime(2026, 11, 26, 8, 0))
    caseload.close(3, at=datetime(2026, 11, 26, 9, 30))
    return caseload


def brief(what: dict | None) -> dict | None:
    """What undo says it takes back, without its record's number."""
    return None if what is None else {key: value for key, value in what.items() if key != "record"}


def state(caseload: Caseload) -> tuple[dict, dict, dict | None]:
    """Every request, time entry and the timer, as stored."""
    requests, entries = caseload.store.everything()
    timer = caseload.timer
    return (
        {key: request.to_doc() for key, request in requests.items()},
        {key: entry.to_doc() for key, entry in entries.items()},
        timer.to_doc() if timer else None,
    )


ACTIONS: dict[str, tuple[Callable[[Caseload], object], dict]] = {
    "add": (lambda c: c.add("1A", "a name typed by mistake"), {"action": "add", "id": 4}),
    "classify": (lambda c: c.classify(1, "now"), {"action": "classify", "id": 1, "urgency": "now"}),
    "postpone": (lambda c: c.postpone(1, date(2026, 12, 7)),
                 {"action": "postpone", "id": 1, "to": "2026-12-07"}),
    "next step": (lambda c: c.next_step(2, None), {"action": "next_step", "id": 2, "to": None}),
    "log": (lambda c: c.log(20, "conversation", request_id=1),
            {"action": "log", "entry": 2, "minutes": 20, "id": 1}),
    "unlog": (lambda c: c.unlog(1), {"action": "unlog", "entry": 1, "minutes": 30, "id": 2}),
    "start": (lambda c: c.start_timer(1), {"action": "start", "id": 1, "stopped": None}),
    "close": (lambda c: c.close(1, "referred"), {"action": "close", "id": 1, "outcome": "referred"}),
    "reopen": (lambda c: c.reopen(3), {"action": "reopen", "id": 3}),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_action_is_undone_as_if_it_had_never_been_recorded(caseload: Caseload, name: str) -> None:
    act, what = ACTIONS[name]
    before = state(caseload)
    act(caseload)
    assert state(caseload) != before
    assert brief(caseload.undoable()) == what
    assert brief(caseload.undo()) == what
    assert state(caseload) == before


def test_stopping_the_timer_is_undone_and_it_runs_again(caseload: Caseload, clock) -> None:
    caseload.start_timer(1, at=datetime(2026, 11, 26, 9, 45))
    running = state(caseload)
    clock.now = datetime(2026, 11, 26, 10, 30)
    entry = caseload.stop_timer()
    assert brief(caseload.undo()) == {"action": "stop", "entry": entry.id, "id": 1}
    assert state(caseload) == running
    # And a new timer that stopped the running one: both come back as they were.
    clock.now = datetime(2026, 11, 26, 10, 45)
    caseload.start_timer(2)
    assert undo_line(Messages("en"), caseload.undoable()) == (
        "starting the timer on #2, and the stop that logged the one before (entry 3)"
    )
    assert caseload.undo()["action"] == "start"
    assert state(caseload) == running


def test_undo_goes_back_newest_first_to_any_depth(caseload: Caseload) -> None:
    before = state(caseload)
    caseload.classify(1, "now")
    caseload.postpone(1, date(2026, 12, 7))
    caseload.log(20, "conversation", request_id=1)
    assert [caseload.undo()["action"] for _ in range(3)] == ["log", "postpone", "classify"]
    assert state(caseload) == before
    assert [caseload.undo()["action"] for _ in range(5)] == ["close", "add", "log", "add", "add"]
    with pytest.raises(TriageError, match="there is nothing to undo"):
        caseload.undo()
    assert caseload.add("1A", "after undoing everything").id == 4  # ids are never handed out again


def test_undo_across_processes_takes_back_the_newest_action_of_any(caseload: Caseload, clock) -> None:
    other = Caseload.open(caseload.store.dir, clock)  # another window, or a shell
    other.classify(1, "tomorrow")
    assert brief(caseload.undoable()) == {"action": "classify", "id": 1, "urgency": "tomorrow"}
    asked = caseload.undoable()
    other.close(1)
    with pytest.raises(TriageError, match="another action was recorded meanwhile"):
        caseload.undo(expected=asked)
    assert caseload.undo(expected=caseload.undoable())["action"] == "close"
    assert other.undo()["action"] == "classify"
    assert caseload.store.snapshot()[0][1].urgency == "later"


def test_an_undone_stray_classification_leaves_no_downgrade_in_the_review(tmp_path: Path, clock) -> None:
    clock.now = THURSDAY
    fixed, undone = (Caseload.open(tmp_path / name, clock) for name in ("fixed", "undone"))
    for caseload in (fixed, undone):
        caseload.add("7B", "later, really", urgency="later")
        caseload.classify(1, "now")  # a stray 1
    fixed.classify(1, "later")  # put right with 3: a downgrade the week's review reports
    undone.undo()  # put right with u: as if it had never happened
    assert len(fixed.review(Week(2026, 48)).downgrades) == 1
    assert undone.review(Week(2026, 48)).downgrades == ()
    assert [e.type for e in undone.store.snapshot()[0][1].events] == ["created", "classified"]


def test_an_undone_add_leaves_no_trace_of_its_text_in_the_data_files(caseload: Caseload) -> None:
    caseload.add("Ola Nordmann", "a name typed by mistake")
    caseload.undo()
    for name in ("triage.json", "triage.journal"):
        assert b"Nordmann" not in (caseload.store.dir / name).read_bytes()


def test_undo_of_a_reopened_archived_request_puts_it_back_closed(tmp_path: Path, clock) -> None:
    clock.now = datetime(2026, 11, 2, 9, 0)
    caseload = Caseload.open(tmp_path / "data", clock)
    old = caseload.add("7B", "closed long ago", at=datetime(2026, 11, 2, 8, 0))
    caseload.log(20, "conversation", request_id=old.id)
    caseload.close(old.id)
    clock.now = datetime(2026, 11, 16, 9, 0)
    caseload.add("8A", "the weekly archival moves #1")
    assert (tmp_path / "data" / "history-2026-11.json").exists()
    before = state(caseload)
    caseload.reopen(old.id)
    caseload.undo()
    assert state(caseload) == before
    assert Caseload.open(tmp_path / "data", clock).find(old.id)[0].status == "closed"


def test_the_weekly_archival_ends_what_can_be_undone(caseload: Caseload, clock) -> None:
    clock.now = datetime(2026, 11, 30, 9, 0)  # a new week
    caseload.add("1A", "first of the week")
    assert caseload.undo()["action"] == "add"
    with pytest.raises(TriageError, match="nothing to undo"):
        caseload.undo()


# -- the command line -----------------------------------------------------------------------


def run(folder: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--data-dir", str(folder)], clock=lambda: THURSDAY)
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_shell_says_what_it_undoes_and_asks_first(caseload: Caseload, capsys, monkeypatch) -> None:
    folder = caseload.store.dir
    caseload.classify(1, "now")
    before = files(folder)
    assert run(folder, capsys, "undo") == (
        2, "", "triage: undo asks first: on a terminal it asks, elsewhere add --yes\n"
    )  # fmt: skip
    monkeypatch.setattr("sys.stdin", TypingTerminal("n\n"))
    assert run(folder, capsys, "undo") == (0, "", "Undo setting #1 to now? [y/N] nothing was undone\n")
    assert files(folder) == before
    monkeypatch.setattr("sys.stdin", TypingTerminal("y\n"))
    assert run(folder, capsys, "undo") == (0, "undone: setting #1 to now\n", "Undo setting #1 to now? [y/N] ")
    assert run(folder, capsys, "undo", "--yes")[1] == "undone: closing #3 (resolved)\n"
    assert orjson.loads(run(folder, capsys, "show", "3", "--json")[1])["status"] == "open"


def test_undo_with_nothing_to_undo_is_refused_and_writes_nothing(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "data"
    run(folder, capsys, "list")
    before = files(folder)
    assert run(folder, capsys, "undo", "--yes") == (2, "", "triage: there is nothing to undo\n")
    assert files(folder) == before


def test_an_edit_cannot_be_undone_nor_gone_past_and_leaves_no_old_text_in_the_records(
    caseload: Caseload,
) -> None:
    caseload.add("Ola Nordmann", "worried about home")
    caseload.classify(4, "now")
    caseload.edit(4, pupil="ON")  # the name typed by mistake, taken out
    records = caseload.store.hot.load()["undo"]
    assert records and b"Nordmann" not in orjson.dumps(records)  # no undo record holds it
    caseload.classify(1, "now")
    assert caseload.undo()["action"] == "classify"  # an action after the edit, on another request
    assert caseload.undo()["action"] == "close"  # the records of #4 went with the edit
    assert caseload.store.snapshot()[0][4].pupil == "ON"


def test_undo_refuses_when_what_it_would_put_back_has_changed_since(caseload: Caseload, monkeypatch) -> None:
    caseload.classify(1, "now")
    with caseload.store.transaction(THURSDAY.date()) as tx:  # a change with no record of its own
        request = tx.request(1)
        tx.put_request(replace(request, events=(*request.events[:-1],)))
    with pytest.raises(TriageError, match="has been changed since .*nothing was undone"):
        caseload.undo()


def test_an_undo_makes_no_daily_backup_with_the_text_it_takes_out(caseload: Caseload, clock) -> None:
    caseload.add("Ola Nordmann", "typed by mistake")
    clock.now = datetime(2026, 11, 27, 9, 0)  # the next day: its first write would back up
    caseload.undo()
    assert caseload.store.backups() == []
    caseload.add("1A", "the day's first action")
    (daily,) = caseload.store.backups()
    assert all(b"Nordmann" not in path.read_bytes() for path in daily.iterdir())


def test_once_the_checkpoint_is_written_the_undo_is_done_even_if_the_journal_stays(
    caseload: Caseload, clock, monkeypatch
) -> None:
    from triage_tui.store import datafile

    caseload.classify(1, "now")
    write = datafile.atomic_write

    def journal_fails(path: Path, data: bytes, *args) -> None:
        if path.name == "triage.journal":
            raise OSError(28, "No space left on device", str(path))
        write(path, data, *args)

    with monkeypatch.context() as m:
        m.setattr(datafile, "atomic_write", journal_fails)
        assert caseload.undo()["action"] == "classify"  # said done, and done: not "nothing was saved"
    assert Caseload.open(caseload.store.dir, clock).store.snapshot()[0][1].urgency == "later"
    caseload.add("1A", "after")  # appended after the old lines, which are skipped
    assert sorted(Caseload.open(caseload.store.dir, clock).store.snapshot()[0]) == [1, 2, 3, 4]
