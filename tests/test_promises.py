"""The README's reliability and privacy promises that no other test checked as worded, one
test each (the others are named in the closing note of the hardening issue)."""

from __future__ import annotations

import os
import socket
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tinydb import TinyDB

from triage_tui.caseload import Caseload
from triage_tui.cli import main
from triage_tui.store import Store
from triage_tui.store.datafile import HotFile


def run(folder: Path, capsys: pytest.CaptureFixture[str], *args: str, now: datetime | None = None):
    capsys.readouterr()
    code = main([*args, "--data-dir", str(folder)], clock=lambda: now or datetime(2026, 11, 26, 10, 0))
    out, err = capsys.readouterr()
    return code, out, err


def with_an_archive(folder: Path, clock) -> Caseload:
    """#1 closed on Mon 02.11 and archived on Mon 16.11; #2 open; a daily backup (made before
    the archival) and one made after it."""
    caseload = Caseload.open(folder, clock)
    clock.now = datetime(2026, 11, 2, 9, 0)
    old = caseload.add("7B", "closed long ago", at=datetime(2026, 11, 2, 8, 0))
    caseload.log(20, "conversation", request_id=old.id)
    caseload.close(old.id)
    clock.now = datetime(2026, 11, 16, 9, 0)
    caseload.add("8A", "open")
    caseload.store.backup()
    return caseload


def test_only_the_history_is_stored_never_what_is_derived(tmp_path: Path, clock) -> None:
    """'slips and everything else derived are computed from the history each time, never stored'"""
    caseload = Caseload.open(tmp_path / "data", clock)
    request = caseload.add("7B", "x", urgency="now", at=clock.now - timedelta(hours=1))
    caseload.log(30, "conversation", request_id=request.id)
    caseload.close(request.id)
    caseload.start_timer(activity="meeting")
    hot = Store(tmp_path / "data").hot.load()
    assert [sorted(doc) for doc in hot["requests"].values()] == [["events", "pupil", "source", "summary"]]
    assert [sorted(doc) for doc in hot["time"].values()] == [
        ["activity", "minutes", "note", "request", "start"]
    ]
    assert sorted(hot["timer"]["1"]) == ["activity", "request", "start"]


def test_an_action_is_on_disk_before_it_is_acknowledged(tmp_path: Path, clock, monkeypatch) -> None:
    """'Every action is ... made durable (fsync) before `triage` says it is done'"""
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("7B", "the checkpoint")
    synced: list[str] = []
    real = os.fdatasync

    def fdatasync(fd: int) -> None:
        real(fd)
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    caseload.add("8A", "a journal line")
    assert synced == [str(tmp_path / "data" / "triage.journal")]


def test_data_files_are_replaced_whole_never_rewritten_in_place(tmp_path: Path, clock, monkeypatch) -> None:
    """'Files are replaced atomically, never rewritten in place' (the journal is appended to)"""
    caseload = Caseload.open(tmp_path / "data", clock)
    caseload.add("7B", "first")
    path = tmp_path / "data" / "triage.json"
    with open(path, "rb") as reader:  # a reader that opened the old file
        old = path.read_bytes()
        monkeypatch.setattr(HotFile, "CHECKPOINT_BYTES", 1)  # the next action writes a checkpoint
        caseload.add("8A", "second")
        assert os.stat(path).st_ino != os.fstat(reader.fileno()).st_ino
        assert reader.read() == old  # still whole, never half old and half new


def test_every_data_file_and_backup_opens_as_a_tinydb_database(tmp_path: Path, clock) -> None:
    """'every data file is a TinyDB database'"""
    caseload = with_an_archive(tmp_path / "data", clock)
    backup = caseload.store.backups()[-1]
    tables = {
        "history-2026-11.json": {"meta", "requests", "time"},
        "triage.json": {"meta", "requests", "time", "undo", "archive_minutes"},
    }
    for path in (tmp_path / "data" / "history-2026-11.json", backup / "triage.json"):
        with TinyDB(path, access_mode="r") as db:
            assert db.tables() == tables[path.name]
    with TinyDB(tmp_path / "data" / "history-2026-11.json", access_mode="r") as db:
        assert [doc["summary"] for doc in db.table("requests").all()] == ["closed long ago"]
        assert [doc["minutes"] for doc in db.table("time").all()] == [20]


@pytest.mark.parametrize("content", [b"", b"{damaged", b'{"requests": {}}'])
def test_a_damaged_archive_is_refused_by_every_reader_and_left_untouched(
    tmp_path: Path, clock, capsys, content: bytes
) -> None:
    """'A damaged, empty or newer-version data file is never overwritten: triage stops with a
    message naming the file' -- for the archives as for the hot file"""
    folder = tmp_path / "data"
    with_an_archive(folder, clock)
    archive = folder / "history-2026-11.json"
    archive.write_bytes(content)
    now = datetime(2026, 11, 23, 9, 0)  # a new week: its first action archives again
    for args in (["list", "--all"], ["report", "--week", "2026-W45"], ["show", "1"]):
        code, out, err = run(folder, capsys, *args, now=now)
        assert (code, out) == (1, ""), args
        assert str(archive) in err and len(err.splitlines()) == 1
        assert "`triage repair`" in err
        assert archive.read_bytes() == content
    assert run(folder, capsys, "add", "x", "--pupil", "9C", now=now)[0] == 0  # it needs no archive
    assert archive.read_bytes() == content


def test_every_file_and_folder_is_private_even_under_umask_000(tmp_path: Path, clock, capsys) -> None:
    """'The folder is made 0700 and every file the app writes 0600'"""
    before = os.umask(0)
    try:
        folder = tmp_path / "data"
        caseload = with_an_archive(folder, clock)
        caseload.start_timer(activity="meeting")
        backup = caseload.store.backup()
        caseload.store.restore(backup.name)
        (folder / "triage.json").write_bytes(b"damaged")
        assert run(folder, capsys, "repair")[0] == 0
        assert run(folder, capsys, "list")[0] == 0
    finally:
        os.umask(before)
    modes = {
        str(path.relative_to(folder)): stat.S_IMODE(path.lstat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }
    assert len(modes) > 12  # the folder, its files, four backups and theirs
    assert {
        name: mode
        for name, mode in modes.items()
        if mode != (0o700 if Path(folder, name).is_dir() else 0o600)
    } == {}


def test_an_unexpected_error_names_only_its_kind_unless_debugging(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """'an unexpected error names only its kind; TRIAGE_DEBUG=1 shows the full traceback'"""

    def fails(self, pupil: str, summary: str, **kwargs):
        raise RuntimeError(f"something about {pupil}: {summary}")

    monkeypatch.setattr(Caseload, "add", fails)
    monkeypatch.delenv("TRIAGE_DEBUG", raising=False)
    code, out, err = run(tmp_path / "data", capsys, "add", "Trist", "--pupil", "8A-KL")
    assert (code, out, err) == (
        1,
        "",
        "triage: internal error (RuntimeError); set TRIAGE_DEBUG=1 to see details\n",
    )
    monkeypatch.setenv("TRIAGE_DEBUG", "1")
    with pytest.raises(RuntimeError, match="something about 8A-KL: Trist"):
        run(tmp_path / "data", capsys, "add", "Trist", "--pupil", "8A-KL")


def test_nothing_leaves_the_machine(tmp_path: Path, clock, capsys, monkeypatch) -> None:
    """'Nothing leaves the machine': no command opens a network connection"""
    tried: list[object] = []

    def connect(self, address):
        tried.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    folder = tmp_path / "data"
    commands = (["add", "Trist", "--pupil", "8A"], ["log", "30", "--activity", "admin"],
                ["list", "--all"], ["show", "1"], ["report", "--format", "md", "--anonymise"],
                ["backup"], ["repair"])  # fmt: skip
    for args in commands:
        assert run(folder, capsys, *args)[0] == 0, args
    assert tried == []


async def test_the_app_names_only_the_kind_of_an_unexpected_error(
    tmp_path: Path, clock, capsys, monkeypatch
) -> None:
    """'an unexpected error names only its kind', in the app too: Textual's own report would
    print the local variables, pupil data among them"""
    from triage_tui.ui.app import create_app

    Caseload.open(tmp_path / "data", clock).add("8A-KL", "Trist")
    monkeypatch.delenv("TRIAGE_DEBUG", raising=False)
    app = create_app(tmp_path / "data", clock, "en", cursor_blink=False)

    def fails() -> None:
        pupil = "8A-KL"
        raise RuntimeError(f"something about {pupil}")

    with pytest.raises(RuntimeError):  # the test runner raises it again at the end
        async with app.run_test(size=(200, 36)) as pilot:
            await pilot.pause()
            app.call_later(fails)
            await pilot.pause()
    out, err = capsys.readouterr()
    assert "8A-KL" not in out + err
    assert " ".join(err.split()) == (  # as wide as the terminal
        "triage stopped on an internal error (RuntimeError); everything saved before it is kept. "
        "Set TRIAGE_DEBUG=1 to see details."
    )
