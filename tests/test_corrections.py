"""Corrections: a name typed where a code belongs is warned about; a request can be recorded
as having come in earlier, so the time spent on it before it was written down fits."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import orjson
import pytest
from test_tui import SIZE, make_app, screen_text, settle, shell, typed

from triage_tui.caseload import Caseload
from triage_tui.cli import main
from triage_tui.core.operations import looks_like_a_name
from triage_tui.store import Store
from triage_tui.ui.screens.forms import Form


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("Ola Nordmann", True),
        ("Anne-Lise Berg", True),
        ("Kari O. Hansen", True),
        ("Ærlig Østby", True),
        ("7B-ER", False),
        ("AB CD", False),  # initials
        ("Ola", False),  # one word: could be a nickname or a code
        ("Ola 7B", False),
        ("ola nordmann", False),
        ("Gruppe 8A", False),
    ],
)
def test_a_code_that_looks_like_a_full_name(code: str, name: bool) -> None:
    assert looks_like_a_name(code) is name


def test_the_command_line_warns_of_a_name_and_saves_all_the_same(tmp_path: Path, capsys) -> None:
    folder = str(tmp_path / "data")
    now = datetime(2026, 11, 26, 10, 0)
    assert (
        main(["add", "Lei", "seg", "--pupil", "Ola Nordmann", "--data-dir", folder], clock=lambda: now) == 0
    )
    out, err = capsys.readouterr()
    assert err == (
        "warning: the pupil code looks like a full name; a code or initials (e.g. 7B-ER) keep the "
        "name out of the records: triage edit 1 --pupil CODE\n"
    )
    assert "Ola" not in err
    assert main(["edit", "1", "--pupil", "7B-ON", "--data-dir", folder], clock=lambda: now) == 0
    assert capsys.readouterr().err == ""


async def test_the_form_warns_of_a_name_as_it_is_typed(tmp_path: Path, clock) -> None:
    app = make_app(tmp_path / "data", clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await typed(pilot, "Ola Nordmann")
        await settle(pilot)
        assert "This looks like a full name." in screen_text(app)
        await pilot.press(*["backspace"] * 12)
        await typed(pilot, "7B-ON")
        await settle(pilot)
        assert "This looks like a full name." not in screen_text(app)


async def test_the_form_records_when_a_request_came_in(tmp_path: Path, clock) -> None:
    """At 10:00 she writes down what came in at 09:15; then the 30 minutes she spent on it
    from 09:20 can be logged."""
    folder = tmp_path / "data"
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await typed(pilot, "7B")
        await pilot.press("tab", "tab")
        await typed(pilot, "Sad")
        await pilot.press("tab", "tab")
        await typed(pilot, "09:15")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, Form)
        await pilot.press("a")
        await typed(pilot, "8A")
        await pilot.press("tab", "tab")
        await typed(pilot, "x")
        await pilot.press("tab", "tab")
        await typed(pilot, "soon")  # not a moment: refused, the form kept
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert "Not saved: that is not a date I understand" in screen_text(app)
    caseload = shell(folder, clock)
    (request,) = caseload.open_requests()
    assert request.created == datetime(2026, 11, 26, 9, 15)
    assert caseload.log(30, "conversation", request_id=1, start=datetime(2026, 11, 26, 9, 20)).id == 1


# -- corrections leave no trace ------------------------------------------------------------


def traces(folder: Path, *texts: str) -> list[str]:
    """The files under the data folder (backups included) whose bytes hold any of `texts`."""
    needles = [text.encode() for text in texts]
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and any(n in p.read_bytes() for n in needles)
    )


def backed_up_history(folder: Path, clock) -> Caseload:
    """Over three days and an archival: #1 holds a full name in its code, its summary and the
    history its backups keep (in checkpoints, journals and undo records); #2 stays as it is;
    #2 is closed and archived with a name in its summary."""
    caseload = Caseload.open(folder, clock)
    clock.now = datetime(2026, 11, 2, 9, 0)  # Monday, W45
    caseload.add("Kari Hansen", "Kari Hansen is sad", at=datetime(2026, 11, 2, 8, 0))
    old = caseload.add("9C", "Per Olsen moved away", at=datetime(2026, 11, 2, 8, 30))
    caseload.log(20, "conversation", request_id=old.id, note="spoke with Per Olsen")
    caseload.close(old.id)
    clock.now = datetime(2026, 11, 16, 9, 0)  # W47: a daily backup, then #2 archived
    caseload.add("7B", "someone else")
    caseload.classify(1, "now", why="Kari Hansen cried")
    clock.now = datetime(2026, 11, 17, 9, 0)  # another daily backup, journal lines in it
    caseload.log(15, "conversation", request_id=1, note="talked")
    caseload.store.backup()
    return caseload


def test_an_edit_takes_the_old_text_out_of_every_file(tmp_path: Path, clock) -> None:
    folder = tmp_path / "data"
    caseload = backed_up_history(folder, clock)
    backups = caseload.store.backups()
    assert len(backups) == 3 and traces(folder, "Kari Hansen is sad")  # the case: it is everywhere

    def held(backup: Path) -> dict[int, tuple[str, str, int]]:
        requests, entries = Store(backup, check=False, backups_kept=None).everything()
        return {r.id: (r.pupil, r.summary, len(r.events)) for r in requests.values()} | {
            -e.id: (e.activity, e.note, e.minutes) for e in entries.values()
        }

    before = {backup: held(backup) for backup in backups}
    caseload.edit(1, pupil="7B-KH", summary="Sad after PE")
    assert traces(folder, "Kari Hansen is sad", '"Kari Hansen"') == []
    # The reason given when it was classified is not the pupil code or the summary: it stays.
    assert traces(folder, "Kari Hansen cried")
    # Every backup still opens, with everything else it held, and #1 as corrected.
    for backup in backups:
        corrected = before[backup] | {1: ("7B-KH", "Sad after PE", before[backup][1][2])}
        assert held(backup) == corrected
    assert [b.name for b in caseload.store.backups()] == [b.name for b in backups]
    assert not list(folder.rglob("*.tmp")) and not (folder / "triage.correcting").exists()
    request, _ = caseload.find(1)
    assert [e.type for e in request.events] == ["created", "classified", "classified", "edited"]


def test_an_edit_of_an_archived_request_takes_its_text_out_of_the_archives_too(tmp_path: Path, clock) -> None:
    folder = tmp_path / "data"
    caseload = backed_up_history(folder, clock)
    assert "history-2026-11.json" in traces(folder, "Per Olsen moved away")
    caseload.edit(2, summary="moved away")
    assert traces(folder, "Per Olsen moved away") == []
    assert traces(folder, "spoke with Per Olsen")  # a time entry's note is not the request's text


def test_an_edit_cannot_be_undone_unless_it_changed_the_source_alone(tmp_path: Path, clock) -> None:
    folder = tmp_path / "data"
    caseload = backed_up_history(folder, clock)
    caseload.edit(3, source="teacher")
    assert caseload.undoable() == {"action": "edit", "id": 3, "record": 4}
    caseload.undo()
    assert caseload.find(3)[0].source == "pupil"
    caseload.edit(1, summary="Sad after PE")  # ends undo on #1: its records held the old text
    assert caseload.undoable() == {"action": "log", "entry": 2, "minutes": 15, "id": 1, "record": 3}


def test_an_undone_add_leaves_no_trace_of_its_text(tmp_path: Path, clock) -> None:
    folder = tmp_path / "data"
    caseload = backed_up_history(folder, clock)
    caseload.add("Ola Nordmann", "Ola Nordmann fights", urgency="now")
    caseload.store.backup()
    caseload.classify(4, "later")  # in the journal after the backup
    caseload.store.backup()
    assert len(traces(folder, "Ola Nordmann")) == 3  # two backups' journals, and the journal
    caseload.undo()  # the classification
    caseload.undo()  # the add
    assert traces(folder, "Ola Nordmann") == []
    for backup in caseload.store.backups()[-2:]:  # made after the add: it is gone, the rest stays
        requests = Store(backup, check=False, backups_kept=None).everything()[0]
        assert sorted(requests) == [1, 2, 3]
    assert caseload.add("7B", "next").id == 5  # no id is handed out again


def test_undone_time_leaves_no_trace_of_its_note(tmp_path: Path, clock) -> None:
    folder = tmp_path / "data"
    caseload = backed_up_history(folder, clock)
    caseload.log(10, "parent-guidance", request_id=1, note="called Kari Hansen's mother")
    caseload.store.backup()
    caseload.undo()
    assert traces(folder, "Hansen's mother") == []


KILLED_EDIT = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime
    from pathlib import Path
    from triage_tui.caseload import Caseload
    from triage_tui.store import scrub

    calls = 0

    def half_then_killed(path, data, mode=0o600):
        # The second file: half of it written to its temp file, then the process is killed.
        global calls
        calls += 1
        if calls < 2:
            return real(path, data)
        tmp = path.with_name(f".{path.name}.{os.getpid()}-dead.tmp")
        tmp.write_bytes(data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)

    real, scrub.atomic_write = scrub.atomic_write, half_then_killed
    caseload = Caseload.open(Path(sys.argv[1]), lambda: datetime(2026, 11, 17, 10, 0))
    caseload.edit(1, pupil="7B-KH", summary="Sad after PE")
    print("acknowledged", flush=True)
    """
)


@pytest.mark.slow
def test_a_writer_killed_while_it_rewrites_a_backup_loses_nothing(tmp_path: Path, clock) -> None:
    folder = tmp_path / "data"
    caseload = backed_up_history(folder, clock)
    for backup in caseload.store.backups()[1:]:  # each its own copy: more files to rewrite
        for f in backup.iterdir():
            f.write_bytes(f.read_bytes())
    killed = subprocess.run([sys.executable, "-c", KILLED_EDIT, str(folder)], capture_output=True, text=True)
    assert (killed.returncode, killed.stdout) == (-signal.SIGKILL, "")
    # Every data file is whole: the old one or the new one, never half of each.
    half = list(folder.rglob(".*.tmp"))
    assert len(half) == 1
    for f in folder.rglob("*"):
        if f.is_file() and f not in half and f.suffix == ".json":
            orjson.loads(f.read_bytes())
    assert (folder / "triage.correcting").exists()
    assert traces(folder, "Kari Hansen is sad")  # not all corrected yet
    # The edit was saved before the copies were corrected; the next action finishes them.
    clock.now = datetime(2026, 11, 17, 10, 5)
    after = Caseload.open(folder, clock)
    assert after.find(1)[0].summary == "Sad after PE"
    after.add("8A", "the next action")
    assert traces(folder, "Kari Hansen is sad", '"Kari Hansen"') == []
    assert not list(folder.rglob(".*.tmp")) and not (folder / "triage.correcting").exists()
    assert sorted(after.store.everything()[0]) == [1, 2, 3, 4]


def test_a_reason_is_replaced_by_its_number_and_leaves_no_trace(tmp_path: Path, clock, capsys) -> None:
    folder = tmp_path / "data"
    caseload = backed_up_history(folder, clock)
    caseload.next_step(1, datetime(2026, 11, 24).date(), why="waits for Kari's mum")
    caseload.store.backup()

    def cli(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main([*args, "--data-dir", str(folder)], clock=clock)
        except SystemExit as e:
            code = e.code
        return (code, *capsys.readouterr())

    code, out, _ = cli("show", "1")
    assert "now, due Mon 16.11 — Kari Hansen cried (reason 1)" in out
    assert "— waits for Kari's mum (reason 2)" in out
    assert traces(folder, "Kari Hansen cried")
    assert cli("edit", "1", "--reason", "1", "cried in class")[0] == 0
    assert traces(folder, "Kari Hansen cried") == []
    assert cli("edit", "1", "--reason", "2", "")[0] == 0  # removed: the next reason is 1 of 1
    assert traces(folder, "Kari's mum") == []
    code, out, _ = cli("show", "1")
    assert "— cried in class (reason 1)" in out and "(reason 2)" not in out
    assert "edited a reason" in out
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    for bad, said in (("2", "request 1 has no reason 2"), ("0", "'0' is not a reason's number"),
                      ("x", "that is not a reason's number")):  # fmt: skip
        code, out, err = cli("edit", "1", "--reason", bad, "text")
        assert (code, out) == (2, "") and said in err and len(err.splitlines()) == 1
    assert cli("edit", "1", "--reason", "1", "cried in class")[2] == "triage: nothing to change\n"
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
