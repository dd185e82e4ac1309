"""The store: journal and checkpoints, archives, backups, restore, refusals, privacy."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from triage_tui.caseload import Caseload
from triage_tui.core.errors import TriageError
from triage_tui.core.review import Week
from triage_tui.core.settings import Settings
from triage_tui.store import Store, StoreError, datafile, storage
from triage_tui.store.datafile import HotFile
from triage_tui.store.errors import DataFileError

TODAY = date(2026, 11, 26)


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hot_tables(folder: Path) -> dict:
    return orjson.loads((folder / "triage.json").read_bytes())


def journal_lines(folder: Path) -> list[dict]:
    return [orjson.loads(line) for line in (folder / "triage.journal").read_bytes().splitlines()]


@pytest.fixture
def caseload(tmp_path: Path, clock) -> Caseload:
    return Caseload.open(tmp_path / "data", clock)


def test_files_are_private(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    caseload.add("7B", "second")
    folder = caseload.store.dir
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("triage.json", "triage.journal", "triage.lock"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


def test_a_loose_data_folder_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    Store(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_first_action_writes_a_checkpoint_and_later_ones_a_journal_line(caseload: Caseload) -> None:
    first = caseload.add("7B", "first")
    folder = caseload.store.dir
    assert hot_tables(folder)["requests"][str(first.id)]["summary"] == "first"
    second = caseload.add("8A", "second")
    caseload.log(30, "meeting")
    lines = journal_lines(folder)
    assert [line["seq"] for line in lines] == [1, 2]
    assert lines[0]["set"]["requests"][str(second.id)]["pupil"] == "8A"
    assert lines[1]["set"]["time"]["1"]["minutes"] == 30
    assert str(second.id) not in hot_tables(folder)["requests"]  # not in the checkpoint yet
    # Another process sees checkpoint and journal together.
    requests, entries, _ = Store(folder).snapshot()
    assert sorted(requests) == [1, 2] and list(entries) == [1]


def test_a_long_journal_is_folded_into_a_new_checkpoint(caseload: Caseload, monkeypatch) -> None:
    monkeypatch.setattr(HotFile, "CHECKPOINT_BYTES", 2000)
    ids = [caseload.add("7B", f"request {i}").id for i in range(12)]
    folder = caseload.store.dir
    in_checkpoint = set(map(int, hot_tables(folder)["requests"]))
    in_journal = {int(k) for line in journal_lines(folder) for k in line["set"].get("requests", {})}
    assert in_checkpoint | in_journal == set(ids)
    assert len(in_checkpoint) > 1  # a checkpoint happened after the first
    assert sorted(Store(folder).snapshot()[0]) == ids


def test_journal_lines_already_in_the_checkpoint_are_not_applied_again(caseload: Caseload) -> None:
    """A writer killed between a new checkpoint and emptying the journal leaves old lines."""
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    folder = caseload.store.dir
    old_journal = (folder / "triage.journal").read_bytes()
    caseload.store.hot.save(caseload.store.hot.load())  # a checkpoint: counters are 3 now
    (folder / "triage.journal").write_bytes(old_journal)  # as if the journal had not been emptied
    fresh = Caseload.open(folder)
    assert fresh.add("9C", "third").id == 3  # the stale line did not set the counter back to 3 → 2


def test_a_torn_last_journal_line_is_ignored_and_cut_by_the_next_write(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    folder = caseload.store.dir
    with open(folder / "triage.journal", "ab") as f:
        f.write(b'{"seq":3,"set":{"requests":{"3":{"pup')  # a writer killed mid-line
    fresh = Caseload.open(folder)
    assert sorted(fresh.store.snapshot()[0]) == [1, 2]
    assert fresh.add("9C", "third").id == 3
    assert [line["seq"] for line in journal_lines(folder)] == [1, 2]
    assert sorted(Store(folder).snapshot()[0]) == [1, 2, 3]


def test_a_failed_action_writes_nothing_and_leaves_no_trace_in_memory(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    before = files(caseload.store.dir)
    with pytest.raises(RuntimeError), caseload.store.transaction(TODAY) as tx:
        tx.put_request(tx.request(1).with_event(tx.request(1).events[0]))  # type: ignore[union-attr]
        tx.next_id("request")
        raise RuntimeError("disk full")
    assert files(caseload.store.dir) == before
    assert caseload.add("8A", "second").id == 2
    assert len(caseload.store.snapshot()[0][1].events) == 2


def test_every_change_by_any_process_changes_the_version_and_no_read_hides_it(
    caseload: Caseload, tmp_path: Path
) -> None:
    caseload.add("7B", "first")
    seen_by_one = seen_by_another = caseload.store.version()
    caseload.store.snapshot()
    assert caseload.store.version() == seen_by_one  # reading changes nothing
    Caseload.open(caseload.store.dir).add("8A", "from a shell")
    assert sorted(caseload.store.snapshot()[0]) == [1, 2]  # read here first ...
    assert caseload.store.version() != seen_by_one  # ... and still both watchers see the change
    assert caseload.store.version() != seen_by_another
    seen_by_one = caseload.store.version()
    for _ in range(300):  # enough for a new checkpoint: the journal is emptied, the file replaced
        caseload.add("9C", "another " * 50)
    assert caseload.store.version() != seen_by_one


# -- archives --------------------------------------------------------------------------------


def test_old_closed_requests_move_to_the_archive_of_the_month_they_ended_and_come_back(
    caseload: Caseload, clock
) -> None:
    clock.now = datetime(2026, 10, 26, 9, 0)  # Monday, week 44
    old = caseload.add("7B", "closed long ago", at=datetime(2026, 10, 26, 8, 0))
    caseload.log(20, "conversation", request_id=old.id)
    clock.now = datetime(2026, 11, 2, 9, 0)  # Monday, week 45: it ends in November
    caseload.close(old.id)
    still_open = caseload.add("8A", "still open")
    caseload.log(30, "meeting", start=datetime(2026, 10, 30, 9, 0))  # unlinked, in October
    clock.now = datetime(2026, 11, 16, 9, 0)  # week 47: the cutoff is Monday 09.11
    caseload.add("9C", "new")
    folder = caseload.store.dir
    november = orjson.loads((folder / "history-2026-11.json").read_bytes())
    october = orjson.loads((folder / "history-2026-10.json").read_bytes())
    assert list(november["requests"]) == [str(old.id)]
    assert [e["request"] for e in november["time"].values()] == [old.id]
    assert (october["requests"], [e["request"] for e in october["time"].values()]) == ({}, [None])
    hot = caseload.store.snapshot()
    assert sorted(hot[0]) == [still_open.id, 3] and hot[1] == {}
    request, entries = caseload.find(old.id)
    assert request.status == "closed" and [t.minutes for t in entries] == [20]
    assert len(caseload.store.everything()[0]) == 3

    caseload.reopen(old.id)
    assert caseload.store.snapshot()[0][old.id].is_open
    assert [t.minutes for t in caseload.store.snapshot()[1].values()] == [20]  # its time came too
    november = orjson.loads((folder / "history-2026-11.json").read_bytes())
    assert (november["requests"], november["time"]) == ({}, {})  # no copy stays behind
    assert caseload.store.everything()[0][old.id].is_open


def test_time_taken_back_after_it_came_back_from_the_archive_stays_gone(caseload: Caseload, clock) -> None:
    clock.now = datetime(2026, 11, 2, 9, 0)
    old = caseload.add("7B", "closed long ago", at=datetime(2026, 11, 2, 8, 0))
    entry = caseload.log(20, "conversation", request_id=old.id)
    caseload.close(old.id)
    clock.now = datetime(2026, 11, 16, 9, 0)
    caseload.add("9C", "new")  # the weekly archival
    caseload.reopen(old.id)
    caseload.unlog(entry.id)
    assert caseload.store.everything()[1] == {}
    assert caseload.find(old.id)[1] == []
    assert Caseload.open(caseload.store.dir, clock).review(Week(2026, 45)).time.total_minutes == 0


def test_a_writer_stopped_before_it_took_the_archive_copy_out_leaves_it_for_the_next(
    caseload: Caseload, clock, monkeypatch
) -> None:
    clock.now = datetime(2026, 11, 2, 9, 0)
    old = caseload.add("7B", "closed long ago", at=datetime(2026, 11, 2, 8, 0))
    entry = caseload.log(20, "conversation", request_id=old.id)
    caseload.close(old.id)
    clock.now = datetime(2026, 11, 16, 9, 0)
    caseload.add("9C", "new")
    with monkeypatch.context() as m:
        m.setattr(Store, "remove_from_archives", lambda self, keys: None)  # killed right there
        caseload.reopen(old.id)
    archive = caseload.store.dir / "history-2026-11.json"
    assert list(orjson.loads(archive.read_bytes())["requests"]) == [str(old.id)]  # both copies
    assert caseload.store.everything()[0][old.id].is_open  # and the hot one wins
    other = Caseload.open(caseload.store.dir, clock)
    other.unlog(entry.id)  # the next action, in another process, finishes the removal first
    assert orjson.loads(archive.read_bytes())["time"] == {}
    assert other.store.everything()[1] == {}


def test_the_hot_copy_wins_over_an_archive_copy(tmp_path: Path, clock) -> None:
    """What a writer killed between writing an archive and the hot file leaves behind."""
    caseload = Caseload.open(tmp_path / "data", clock)
    request = caseload.add("7B", "summary")
    stale = caseload.store.snapshot()[0][request.id].to_doc()
    caseload.classify(request.id, "now")
    archive = datafile.new_tables("archive")
    archive["requests"][str(request.id)] = stale
    (caseload.store.dir / "history-2026-11.json").write_bytes(orjson.dumps(archive))
    assert caseload.store.everything()[0][request.id].urgency == "now"
    assert caseload.find(request.id)[0].urgency == "now"


def test_partition_keeps_requests_with_recent_time_and_the_timer_s_request() -> None:
    def closed(created: str, closed_at: str) -> dict:
        return {"events": [{"type": "created", "at": created}, {"type": "closed", "at": closed_at}]}

    requests = {
        "1": closed("2026-06-10T09:00", "2026-10-30T09:00"),  # moves, to November (its last time)
        "2": closed("2026-11-02T09:00", "2026-11-03T09:00"),  # stays: time after the cutoff
        "3": closed("2026-11-02T09:00", "2026-11-03T09:00"),  # stays: the timer runs on it
        "4": {"events": [{"type": "created", "at": "2026-10-01T09:00"}]},  # open: stays
    }
    entries = {
        "1": {"start": "2026-06-11T09:00", "request": 1},
        "5": {"start": "2026-11-02T09:00", "request": 1},
        "2": {"start": "2026-11-10T09:00", "request": 2},
        "3": {"start": "2026-07-30T09:00", "request": None},  # moves, to July
        "4": {"start": "2026-11-09T00:00", "request": None},  # on the cutoff: stays
    }
    moving = storage.partition(requests, entries, date(2026, 11, 9), keep={3})
    assert moving == {
        "2026-11": ({"1": requests["1"]}, {"1": entries["1"], "5": entries["5"]}),
        "2026-07": ({}, {"3": entries["3"]}),
    }


# -- backups and restore ---------------------------------------------------------------------


def test_the_first_write_of_a_day_makes_a_backup(caseload: Caseload, clock) -> None:
    caseload.add("7B", "first")
    caseload.add("7B", "second")
    assert caseload.store.backups() == []  # the first day had nothing to back up
    clock.now = datetime(2026, 11, 27, 9, 0)
    caseload.add("7B", "third")
    caseload.add("7B", "fourth")
    (daily,) = caseload.store.backups()
    assert daily.name.endswith("-daily")
    backed_up = Store(daily)  # a backup folder is a store of its own
    assert sorted(backed_up.snapshot()[0]) == [1, 2]


def test_backups_copy_changed_files_and_share_unchanged_ones(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    with store.transaction(TODAY):
        pass
    (store.dir / "history-2024-09.json").write_bytes(orjson.dumps(datafile.new_tables("archive")))
    os.chmod(store.dir / "history-2024-09.json", 0o600)
    first, second = store.backup(), store.backup()
    archive = [b / "history-2024-09.json" for b in (first, second)]
    assert archive[0].stat().st_ino == archive[1].stat().st_ino
    assert archive[0].stat().st_ino != (store.dir / "history-2024-09.json").stat().st_ino
    assert stat.S_IMODE(first.stat().st_mode) == 0o700
    assert stat.S_IMODE((first / "triage.json").stat().st_mode) == 0o600


def test_only_the_newest_backups_are_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", backups_kept=3)
    with store.transaction(TODAY):
        pass
    made = [store.backup() for _ in range(5)]
    assert store.backups() == made[-3:]


def test_backups_are_ordered_by_when_they_were_made_not_by_name(tmp_path: Path, local_zone) -> None:
    store = Store(tmp_path / "data", backups_kept=2)
    with store.transaction(TODAY):
        pass
    root = store.dir / "backups"
    root.mkdir()
    # Made by an older version in local time (UTC+1 here): 09:30 local is 08:30 UTC, so it is
    # older than the UTC-named one from 09:00 UTC, although its name sorts after it.
    local_zone("Europe/Oslo")
    for name in ("20261126T093000.000000-daily", "20261126T090000.000000Z-manual"):
        (root / name).mkdir()
        (root / name / "triage.json").write_bytes((store.dir / "triage.json").read_bytes())
    (root / "keep-before-upgrade").mkdir()  # a user's folder: never the newest, never pruned
    (root / "keep-before-upgrade" / "triage.json").write_bytes(b"{}")
    assert [b.name for b in store.backups()] == [
        "20261126T093000.000000-daily",
        "20261126T090000.000000Z-manual",
    ]
    assert store.newest_good_backup("triage.json") == root / "20261126T090000.000000Z-manual"
    made = store.backup()
    assert made.name.endswith("Z-manual")
    assert store.backups() == [root / "20261126T090000.000000Z-manual", made]
    assert (root / "keep-before-upgrade").is_dir()


def test_a_time_zone_flip_back_over_midnight_makes_no_second_daily_backup(caseload: Caseload, clock) -> None:
    caseload.add("7B", "first")
    clock.now = datetime(2026, 11, 27, 0, 30)
    caseload.add("7B", "second")  # the day's backup
    clock.now = datetime(2026, 11, 26, 23, 40)  # the same moment, one zone to the west
    caseload.add("7B", "third")
    clock.now = datetime(2026, 11, 27, 0, 50)
    caseload.add("7B", "fourth")
    assert [b.name.split("-", 1)[1] for b in caseload.store.backups()] == ["daily"]


def test_an_action_that_fails_to_save_makes_no_daily_backup(caseload: Caseload, clock, monkeypatch) -> None:
    caseload.add("7B", "first")
    clock.now = datetime(2026, 11, 27, 9, 0)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(HotFile, "append", full_disk)
        for _ in range(3):
            with pytest.raises(StoreError, match=r"\(No space left on device\); nothing was saved"):
                caseload.add("7B", "not saved")
    assert caseload.store.backups() == []
    caseload.add("7B", "saved")
    assert len(caseload.store.backups()) == 1
    assert sorted(r.summary for r in caseload.store.snapshot()[0].values()) == ["first", "saved"]


@pytest.mark.parametrize("fails", ["write", "fsync"])
def test_an_action_the_disk_had_no_room_for_is_taken_back_whole(
    caseload: Caseload, monkeypatch, fails: str
) -> None:
    """Issue 9, items 11 and 12: an action that reports failure is not saved, not even when its
    journal line was written whole and only the sync failed (another process would read it)."""
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    journal = caseload.store.dir / "triage.journal"
    before = journal.read_bytes()
    write, room = os.write, [40]  # bytes left on the disk: not enough for the line

    def full_disk(fd: int, data: bytes) -> int:
        if not room[0]:
            raise OSError(28, "No space left on device")
        written = write(fd, bytes(data[: room[0]]))
        room[0] -= written
        return written

    def sync_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        if fails == "write":
            m.setattr(os, "write", full_disk)
        else:
            m.setattr(os, "fdatasync", sync_full)
        with pytest.raises(StoreError) as caught:
            caseload.add("9C", "not saved")
    assert str(caught.value) == f"{journal} cannot be written (No space left on device); nothing was saved"
    assert journal.read_bytes() == before
    assert sorted(Store(caseload.store.dir).snapshot()[0]) == [1, 2]
    assert caseload.add("9C", "saved").id == 3


def test_restore_brings_a_backup_back_and_keeps_what_was_there(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    backup = caseload.store.backup()
    caseload.add("8A", "second")
    restored, before = caseload.store.restore(backup.name)
    assert restored == backup
    assert sorted(caseload.store.snapshot()[0]) == [1]
    assert caseload.add("9C", "after restore").id == 3  # 2 is kept in the pre-restore backup
    caseload.store.restore(before.name)
    assert sorted(caseload.store.snapshot()[0]) == [1, 2]
    assert caseload.add("9C", "after both").id == 4


def test_restore_refuses_unknown_and_damaged_backups(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    backup = caseload.store.backup()
    with pytest.raises(TriageError, match="no backup by that name"):
        caseload.store.restore("nope")
    (backup / "triage.json").write_bytes(b"{broken")
    before = files(caseload.store.dir)
    with pytest.raises(StoreError, match="nothing was restored"):
        caseload.store.restore(backup.name)
    assert files(caseload.store.dir) == before


# -- refusing damaged, empty and newer files -------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"meta": {"1": {"schema": 1', "is not readable JSON"),
        (b"", "is empty"),
        (b"  \n", "is empty"),
        (b'{"requests": {}}', "is not a triage-tui data file"),
    ],
)
def test_a_bad_hot_file_is_refused_untouched_and_the_backup_named(
    caseload: Caseload, content: bytes, problem: str
) -> None:
    caseload.add("7B", "first")
    good = caseload.store.backup()
    (caseload.store.dir / "triage.json").write_bytes(content)
    before = files(caseload.store.dir)
    with pytest.raises(DataFileError) as caught:
        Caseload.open(caseload.store.dir).add("8A", "lost?")
    message = str(caught.value)
    assert problem in message
    assert str(caseload.store.dir / "triage.json") in message
    assert f"newest good backup is {good}: `triage repair`" in message
    assert files(caseload.store.dir) == before


def test_a_damaged_journal_line_is_refused(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    journal = caseload.store.dir / "triage.journal"
    journal.write_bytes(b"garbage\n" + journal.read_bytes())
    before = files(caseload.store.dir)
    with pytest.raises(DataFileError, match="triage.journal has a damaged line"):
        Caseload.open(caseload.store.dir).open_requests()
    assert files(caseload.store.dir) == before


def test_a_damaged_last_journal_line_without_its_newline_was_never_acknowledged(caseload: Caseload) -> None:
    """A power cut in the middle of an append can leave a damaged last line; without its
    newline it is a torn write, whose fsync never returned. (With its newline it is damage:
    see test_a_damaged_whole_last_journal_line_is_refused_and_nothing_written.)"""
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    with open(caseload.store.dir / "triage.journal", "ab") as f:
        f.write(b'{"seq":2,"set":{"requests":{"3":\x00\x00')
    fresh = Caseload.open(caseload.store.dir)
    assert sorted(fresh.store.snapshot()[0]) == [1, 2]
    assert fresh.add("9C", "third").id == 3
    assert sorted(Store(caseload.store.dir).snapshot()[0]) == [1, 2, 3]


def test_a_missing_hot_file_beside_archives_is_refused(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    backup = caseload.store.backup()
    (caseload.store.dir / "triage.json").unlink()
    with pytest.raises(DataFileError, match=f"is missing.*{backup.name}: `triage repair`"):
        Store(caseload.store.dir)


def test_without_a_good_backup_the_message_says_so(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    (caseload.store.dir / "triage.json").write_bytes(b"\x00\x01")
    with pytest.raises(DataFileError, match="no good backup of it was found"):
        Store(caseload.store.dir)


def test_a_newer_data_file_is_refused_with_advice_to_update(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    caseload.store.backup()
    (caseload.store.dir / "triage.json").write_bytes(b'{"meta": {"1": {"schema": 99, "kind": "hot"}}}')
    before = files(caseload.store.dir)
    with pytest.raises(StoreError, match="newer triage-tui .schema 99.*update triage-tui to read it"):
        Caseload.open(caseload.store.dir).add("8A", "lost?")
    with pytest.raises(StoreError, match="update triage-tui"):
        Store(caseload.store.dir, check=False).repair()  # repair would undo the newer changes
    assert files(caseload.store.dir) == before


# -- repair: keep what is intact, take only what is damaged from a backup ---------------------


def next_day(caseload: Caseload, clock) -> None:
    """Yesterday's data, and the daily backup made by today's first action (#2)."""
    caseload.add("7B", "yesterday")
    clock.now = datetime(2026, 11, 27, 9, 0)
    caseload.add("8A", "today, first")


def test_repair_of_a_damaged_checkpoint_keeps_the_journal_and_never_reuses_an_id(
    caseload: Caseload, clock
) -> None:
    next_day(caseload, clock)
    (daily,) = caseload.store.backups()
    caseload.classify(2, "now")
    caseload.add("9C", "today, second")
    (caseload.store.dir / "triage.json").write_bytes(b"\x00 damaged")
    with pytest.raises(DataFileError, match=f"newest good backup is {daily}: `triage repair`"):
        Caseload.open(caseload.store.dir, clock)
    repaired = Store(caseload.store.dir, check=False).repair()
    assert repaired is not None
    assert (repaired.replaced, repaired.replayed, repaired.damaged) == ({"triage.json": daily}, 3, 0)
    assert (repaired.before / "triage.json").read_bytes() == b"\x00 damaged"  # kept as it was
    fresh = Caseload.open(caseload.store.dir, clock)
    requests = fresh.store.snapshot()[0]
    assert [(r.id, r.summary, r.urgency) for r in requests.values()] == [
        (1, "yesterday", "later"), (2, "today, first", "now"), (3, "today, second", "later"),
    ]  # fmt: skip
    assert fresh.add("7B", "after the repair").id == 4
    assert Store(caseload.store.dir, check=False).repair() is None  # nothing left to mend


def test_repair_after_a_new_checkpoint_hands_out_no_id_the_damaged_one_gave(
    caseload: Caseload, clock, monkeypatch
) -> None:
    next_day(caseload, clock)
    monkeypatch.setattr(HotFile, "CHECKPOINT_BYTES", 1)  # every action folds the journal in
    caseload.add("9C", "in the damaged checkpoint only", at=clock.now - timedelta(hours=1))
    caseload.log(20, "conversation", request_id=3)
    monkeypatch.undo()
    checkpoint = (caseload.store.dir / "triage.json").read_bytes()
    (caseload.store.dir / "triage.json").write_bytes(checkpoint[: len(checkpoint) // 2])  # cut short
    repaired = Store(caseload.store.dir, check=False).repair()
    assert (repaired.replayed, repaired.lost) == (0, 3)  # add #2, add #3, the log: said lost
    fresh = Caseload.open(caseload.store.dir, clock)
    # What only the lost checkpoint held is gone (#2 and #3 were folded into it), but the
    # counters are still read from what is left of it.
    assert sorted(fresh.store.snapshot()[0]) == [1]
    assert fresh.add("7B", "new").id == 4
    assert fresh.log(10, "admin").id == 2


def test_repair_of_a_damaged_journal_line_keeps_the_lines_around_it(caseload: Caseload, clock) -> None:
    for n in range(4):
        caseload.add("7B", f"request {n + 1}")
    journal = caseload.store.dir / "triage.journal"
    lines = journal.read_bytes().split(b"\n")
    lines[1] = b'{"seq": damaged'
    journal.write_bytes(b"\n".join(lines))
    repaired = Store(caseload.store.dir, check=False).repair()
    assert (repaired.replaced, repaired.replayed, repaired.damaged) == ({}, 2, 1)
    assert (repaired.before / "triage.journal").read_bytes() == b"\n".join(lines)  # kept as it was
    assert journal.read_bytes() == b""  # folded into the new checkpoint
    fresh = Caseload.open(caseload.store.dir, clock)
    assert [r.summary for r in fresh.store.snapshot()[0].values()] == ["request 1", "request 2", "request 4"]
    assert fresh.add("8A", "next").id == 5


def test_repair_of_a_damaged_archive_leaves_the_healthy_hot_data_alone(caseload: Caseload, clock) -> None:
    clock.now = datetime(2026, 11, 2, 9, 0)
    old = caseload.add("7B", "closed long ago")
    caseload.close(old.id)
    clock.now = datetime(2026, 11, 16, 9, 0)
    caseload.add("8A", "moves the old one to the archive")
    clock.now = datetime(2026, 11, 17, 9, 0)
    caseload.add("9C", "after the backup")  # the daily backup holds the archive
    archive = caseload.store.dir / "history-2026-11.json"
    archive.write_bytes(b"{damaged")
    with pytest.raises(DataFileError, match="history-2026-11.json is not readable JSON"):
        Caseload.open(caseload.store.dir, clock).find(old.id)
    repaired = Store(caseload.store.dir, check=False).repair()
    assert list(repaired.replaced) == ["history-2026-11.json"]
    fresh = Caseload.open(caseload.store.dir, clock)
    assert fresh.find(old.id)[0].summary == "closed long ago"
    assert [r.summary for r in fresh.store.snapshot()[0].values()] == [
        "moves the old one to the archive", "after the backup",
    ]  # fmt: skip


def test_repair_without_a_good_copy_changes_nothing(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    (caseload.store.dir / "triage.json").write_bytes(b"")
    before = files(caseload.store.dir)
    with pytest.raises(StoreError, match="no backup holds a good copy of it; nothing was changed"):
        Store(caseload.store.dir, check=False).repair()
    assert files(caseload.store.dir) == before


def test_restore_takes_the_highest_id_seen_even_when_the_checkpoint_is_damaged(
    caseload: Caseload, clock
) -> None:
    next_day(caseload, clock)
    (daily,) = caseload.store.backups()
    caseload.add("9C", "#3, in the journal")
    (caseload.store.dir / "triage.json").write_bytes(b"\x00 damaged")
    Store(caseload.store.dir, check=False).restore(daily.name)
    fresh = Caseload.open(caseload.store.dir, clock)
    assert sorted(fresh.store.snapshot()[0]) == [1]  # the day before, as asked
    assert fresh.add("7B", "new").id == 4  # 2 and 3 stay with what was there (backed up first)


# -- start-up duties -------------------------------------------------------------------------


def test_stale_temp_files_are_cleaned_at_start(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    stale = caseload.store.dir / ".triage.json.4242-deadbeef.tmp"
    stale.write_bytes(b"half a file")
    Store(caseload.store.dir)
    assert not stale.exists()


def schema_1_folder(folder: Path) -> dict:
    """A data folder as schema 1 wrote it: archives of whole school years, the hot data
    with its journal. Returns every request and time document it holds."""
    folder.mkdir(mode=0o700)

    def request(created: str, closed: str | None, due: str) -> dict:
        events = [
            {"type": "created", "at": created},
            {"type": "classified", "at": created, "from": None, "to": "later", "due": due, "why": None},
        ]
        if closed:
            events.append({"type": "closed", "at": closed, "outcome": "resolved"})
        return {"pupil": "7B", "source": "pupil", "summary": "s", "events": events}  # fmt: skip

    def time(start: str, request: int | None) -> dict:
        return {"start": start, "minutes": 20, "activity": "conversation", "request": request, "note": None}

    archive = {
        "meta": {"1": {"schema": 1, "kind": "archive"}},
        "requests": {
            "1": request("2025-09-01T09:00:00", "2025-09-03T10:00:00", "2025-09-08"),
            "2": request("2025-12-15T09:00:00", "2026-01-05T10:00:00", "2025-12-22"),  # ends in January
        },
        "time": {
            "1": time("2025-09-02T09:00:00", 1),
            "2": time("2026-01-04T12:00:00", 2),
            "3": time("2025-10-01T09:00:00", None),
        },  # fmt: skip
    }
    meta = {
        "schema": 1,
        "kind": "hot",
        "next_request": 4,
        "next_time": 5,
        "journal_seq": 0,
        "archived_before": "2026-11-09",
        "archive_spans": {"2025-26": ["2025-09-01", "2026-01-05"]},
    }
    hot = {
        "meta": {"1": meta},
        "requests": {"3": request("2026-11-10T09:00:00", None, "2026-11-17")},
        "time": {},
    }
    # fmt: skip
    (folder / "archive-2025-26.json").write_bytes(orjson.dumps(archive))
    (folder / "triage.json").write_bytes(orjson.dumps(hot))
    line = {"seq": 1, "set": {"time": {"4": time("2026-11-11T09:00:00", 3)}}, "delete": {}}
    (folder / "triage.journal").write_bytes(orjson.dumps(line) + b"\n")
    for path in folder.iterdir():
        os.chmod(path, 0o600)
    return {
        "requests": archive["requests"] | hot["requests"],
        "time": archive["time"] | {"4": line["set"]["time"]["4"]},
    }


def in_oslo(docs: dict[str, dict]) -> dict[str, dict]:
    """Requests or time entries with each instant's UTC offset in Oslo, worked out by hand:
    summer time (+02:00) from the last Sunday of March to the last Sunday of October."""
    summer = (("2025-03-30", "2025-10-26"), ("2026-03-29", "2026-10-25"))

    def offset(text: str) -> str:
        return text + ("+02:00" if any(a <= text[:10] < b for a, b in summer) else "+01:00")

    docs = orjson.loads(orjson.dumps(docs))
    for doc in docs.values():
        for event in doc.get("events", []):
            event["at"] = offset(event["at"])
        if "start" in doc:
            doc["start"] = offset(doc["start"])
    return docs


def test_schema_1_archives_of_school_years_become_archives_of_months(tmp_path: Path, local_zone) -> None:
    local_zone("Europe/Oslo")
    folder = tmp_path / "data"
    before = schema_1_folder(folder)
    store = Store(folder)
    (backup,) = store.backups()
    assert backup.name.endswith("-pre-migration")
    assert sorted(p.name for p in backup.iterdir()) == [
        "archive-2025-26.json",
        "triage.journal",
        "triage.json",
    ]
    assert sorted(p.name for p in folder.glob("*.json")) == [
        "history-2025-09.json", "history-2025-10.json", "history-2026-01.json", "triage.json",
    ]  # fmt: skip
    january = orjson.loads((folder / "history-2026-01.json").read_bytes())
    assert (list(january["requests"]), list(january["time"])) == (["2"], ["2"])
    meta = hot_tables(folder)["meta"]["1"]
    assert meta["schema"] == 3 and "archive_spans" not in meta
    assert meta["archive_index"]["2026-01"] == {
        "span": ["2025-12-15T09:00:00", "2026-01-05T10:00:00"], "requests": [2, 2], "time": [2, 2],
    }  # fmt: skip
    assert (folder / "triage.journal").read_bytes() == b""  # folded into the new checkpoint
    requests, entries = store.everything()
    assert {str(k): r.to_doc() for k, r in requests.items()} == in_oslo(before["requests"])
    assert {str(k): t.to_doc() for k, t in entries.items()} == in_oslo(before["time"])
    assert store.find(2)[0].to_doc() == in_oslo(before["requests"])["2"]
    assert january["time"]["2"]["start"] == "2026-01-04T12:00:00+01:00"
    assert orjson.loads((folder / "history-2025-09.json").read_bytes())["meta"]["1"]["schema"] == 3


def test_a_migration_stopped_half_way_is_done_again_and_one_stopped_at_its_end_is_finished(
    tmp_path: Path, monkeypatch, local_zone
) -> None:
    local_zone("Europe/Oslo")
    folder = tmp_path / "data"
    before = schema_1_folder(folder)

    def killed(self, tables):
        raise KeyboardInterrupt  # stopped after the months were written, before the hot file

    with monkeypatch.context() as m:
        m.setattr(HotFile, "save", killed)
        with pytest.raises(KeyboardInterrupt):
            Store(folder)
    assert (folder / "archive-2025-26.json").exists() and (folder / "history-2025-09.json").exists()
    with monkeypatch.context() as m:
        m.setattr(Path, "unlink", lambda self, missing_ok=False: None)  # stopped before the old files went
        Store(folder)
    assert (folder / "archive-2025-26.json").exists()
    store = Store(folder)
    assert not (folder / "archive-2025-26.json").exists()
    assert {str(k): r.to_doc() for k, r in store.everything()[0].items()} == in_oslo(before["requests"])


# -- found in review: restore on damaged data, at the cap, interrupted; archival in one go ----


def test_restore_works_when_the_data_is_damaged(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    good = caseload.store.backup()
    (caseload.store.dir / "triage.json").write_bytes(b"\x00garbage")
    with pytest.raises(DataFileError):
        Store(caseload.store.dir)
    damaged = Store(caseload.store.dir, check=False)
    assert good in damaged.backups()
    _, before = damaged.restore(good.name)
    assert (before / "triage.json").read_bytes() == b"\x00garbage"  # the damaged file is kept too
    assert sorted(Store(caseload.store.dir).snapshot()[0]) == [1]


def test_restoring_the_oldest_backup_at_the_cap_keeps_it(tmp_path: Path, clock) -> None:
    caseload = Caseload(Store(tmp_path / "data", backups_kept=2), Settings(), clock)
    caseload.add("7B", "first")
    oldest = caseload.store.backup()
    caseload.add("8A", "second")
    caseload.store.backup()
    caseload.store.restore(oldest.name)
    assert oldest in caseload.store.backups()
    assert sorted(caseload.store.snapshot()[0]) == [1]


def test_an_interrupted_restore_is_finished_at_the_next_start(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    backup = caseload.store.backup()
    caseload.add("8A", "second")
    caseload.add("9C", "third")
    # As if killed after the marker and the journal were written, before the hot file.
    marker = {"backup": backup.name, "next_request": 4, "next_time": 1}
    (caseload.store.dir / "triage.restoring").write_bytes(orjson.dumps(marker))
    (caseload.store.dir / "triage.journal").write_bytes(b"")
    store = Store(caseload.store.dir)
    assert sorted(store.snapshot()[0]) == [1]
    assert not (caseload.store.dir / "triage.restoring").exists()
    assert Caseload(store, caseload.settings, caseload._clock).add("1A", "next").id == 4


def test_a_journal_without_its_hot_file_is_refused(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    (caseload.store.dir / "triage.json").unlink()
    with pytest.raises(DataFileError, match="is missing"):
        Store(caseload.store.dir)


def test_reopening_a_request_the_same_action_archives(caseload: Caseload, clock) -> None:
    """The week's first action reopens a request that the weekly archival is moving right then."""
    clock.now = datetime(2026, 11, 2, 9, 0)
    caseload.add("7B", "closed long ago")
    caseload.close(1)
    clock.now = datetime(2026, 11, 16, 9, 0)
    assert caseload.reopen(1).is_open
    assert caseload.store.snapshot()[0][1].is_open


def test_the_data_files_are_tinydb_databases(caseload: Caseload) -> None:
    """Any TinyDB code can read them through `DataFile`, the storage the store itself uses."""
    from tinydb import TinyDB

    caseload.add("7B", "first")
    db = TinyDB(storage=lambda: caseload.store.hot)
    assert db.table("requests").get(doc_id=1)["summary"] == "first"


# -- issue 9, items 2 and 5: a damaged whole journal line; symlinks in the data folder --------


def run_cli(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`triage ... --data-dir folder` in-process, at the fixed clock (as tests/test_cli.py does)."""
    from triage_tui.cli import main

    capsys.readouterr()
    code = main([*args, "--data-dir", str(folder)], clock=lambda: datetime(2026, 11, 26, 10, 0))
    out, err = capsys.readouterr()
    return code, out, err


def tree(folder: Path) -> dict[str, bytes | str | None]:
    """Every file (bytes), folder (None) and symlink (its target) under `folder`, links unfollowed."""
    found: dict[str, bytes | str | None] = {}
    for root, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            path = Path(root) / name
            key = str(path.relative_to(folder))
            if path.is_symlink():
                found[key] = os.readlink(path)
            else:
                found[key] = None if path.is_dir() else path.read_bytes()
    return found


def test_a_damaged_whole_last_journal_line_is_refused_and_nothing_written(
    caseload: Caseload, clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line that ends in its newline was whole when written: if it does not parse, an
    acknowledged action may be in it. It is not dropped, and its id is not handed out again."""
    caseload.add("7B", "first")
    good = caseload.store.backup()
    caseload.add("8A", "second")
    folder = caseload.store.dir
    journal = folder / "triage.journal"
    with open(journal, "ab") as f:
        f.write(b'{"seq":2,"set":{"requests":{"3":\x00\x00\n')
    before = tree(folder)
    with pytest.raises(DataFileError) as caught:
        Caseload.open(folder, clock).add("9C", "third")
    message = str(caught.value)
    assert f"{journal} has a damaged line" in message
    assert "`triage repair` keeps its intact lines and leaves out the damaged ones" in message
    assert tree(folder) == before
    code, out, err = run_cli(folder, capsys, "add", "Trist", "--pupil", "9C")
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and "triage.journal has a damaged line" in err and "repair" in err
    assert tree(folder) == before
    code, out, err = run_cli(folder, capsys, "repair")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "journal: 1 action kept, 1 damaged one left out"
    assert good.exists()  # the backup it did not need is kept
    assert run_cli(folder, capsys, "add", "Trist", "--pupil", "9C")[0] == 0
    requests = Store(folder).snapshot()[0]
    assert [(r.id, r.summary) for r in requests.values()] == [(1, "first"), (2, "second"), (4, "Trist")]


@pytest.mark.parametrize("line", [b"{}\n", b'{"seq": "3"}\n', b"[1, 2]\n", b"\n"])
def test_a_whole_last_journal_line_of_the_wrong_shape_is_damage_too(caseload: Caseload, line: bytes) -> None:
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    with open(caseload.store.dir / "triage.journal", "ab") as f:
        f.write(line)
    before = tree(caseload.store.dir)
    with pytest.raises(DataFileError, match="triage.journal has a damaged line"):
        Store(caseload.store.dir).snapshot()
    assert tree(caseload.store.dir) == before


def test_a_torn_last_journal_line_is_dropped_and_the_next_add_takes_its_place(
    caseload: Caseload, clock, capsys: pytest.CaptureFixture[str]
) -> None:
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    folder = caseload.store.dir
    with open(folder / "triage.journal", "ab") as f:
        f.write(b'{"seq":3,"set":{"requests":{"3":\x00\x00')  # no newline: never acknowledged
    code, out, err = run_cli(folder, capsys, "add", "Trist", "--pupil", "9C")
    assert (code, err) == (0, "")
    assert [line["seq"] for line in journal_lines(folder)] == [1, 2]
    assert sorted(Store(folder).snapshot()[0]) == [1, 2, 3]


def test_a_damaged_line_in_the_middle_of_the_journal_is_refused(caseload: Caseload, clock) -> None:
    for pupil in ("7B", "8A", "9C", "1A"):
        caseload.add(pupil, "request")
    journal = caseload.store.dir / "triage.journal"
    first, *rest = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(first + b'{"seq":2,"set":\x00\n' + b"".join(rest))
    before = tree(caseload.store.dir)
    with pytest.raises(DataFileError, match="triage.journal has a damaged line"):
        Caseload.open(caseload.store.dir, clock).add("2B", "after the damage")
    assert tree(caseload.store.dir) == before


ARCHIVE_READERS = (["reopen", "1"], ["list", "--all"], ["show", "1"], ["list", "--pupil", "7B"])
HOT_READERS = (["add", "Trist", "--pupil", "9C"], ["urgency", "2", "now"], ["list"], ["report"])


def _unknown_outcome(tables: dict) -> None:
    tables["requests"]["1"]["events"][-1]["outcome"] = "lost"


def _minutes_yes(tables: dict) -> None:
    tables["time"]["1"]["minutes"] = True


def _a_coffee_timer(tables: dict) -> None:
    tables["timer"] = {"1": {"start": "2026-11-16T08:00:00", "activity": "coffee"}}


def _a_number_that_is_not(tables: dict) -> None:
    tables["requests"]["x2"] = tables["requests"].pop("2")


@pytest.mark.parametrize(
    ("file", "damage", "what", "commands"),
    [
        ("history-2026-11.json", _unknown_outcome, "request 1", ARCHIVE_READERS),
        ("history-2026-11.json", _minutes_yes, "time entry 1", ARCHIVE_READERS),
        ("triage.json", _a_coffee_timer, "timer 1", HOT_READERS),
        ("triage.json", _a_number_that_is_not, "request without a proper number", HOT_READERS),
    ],
)
def test_a_badly_shaped_record_anywhere_is_refused_by_what_reads_it(
    caseload: Caseload, clock, capsys: pytest.CaptureFixture[str], file: str, damage, what: str, commands
) -> None:
    """Issue 9, item 12: it was an internal error, or a crash later, and an action had been saved.
    An archive is checked when it is read: an action that does not need it stays as fast."""
    clock.now = datetime(2026, 11, 2, 9, 0)
    old = caseload.add("7B", "closed long ago", at=datetime(2026, 11, 2, 8, 0))
    caseload.log(20, "conversation", request_id=old.id)
    caseload.close(1)
    clock.now = datetime(2026, 11, 16, 9, 0)  # #1 and its time move to November's archive
    caseload.add("8A", "open")
    folder = caseload.store.dir
    tables = orjson.loads((folder / file).read_bytes())
    damage(tables)
    (folder / file).write_bytes(orjson.dumps(tables))
    before = tree(folder)
    message = f"triage: {folder / file} has a badly shaped {what}; it has been left untouched, and "
    for args in commands:
        code, out, err = run_cli(folder, capsys, *args)
        assert (code, out, len(err.splitlines())) == (1, "", 1) and err.startswith(message), (args, err)
    assert tree(folder) == before


def test_a_symlinked_backups_folder_is_refused_and_what_it_leads_to_left_alone(
    tmp_path: Path, clock, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere"
    for name in ("20200101T000000.000000-daily", "20200102T000000.000000-daily", "photos"):
        (outside / name).mkdir(parents=True)
        (outside / name / "keep.txt").write_bytes(b"not triage data")
    os.chmod(outside, 0o755)
    folder = tmp_path / "data"
    store = Store(folder, backups_kept=1)
    caseload = Caseload(store, Settings(backups_kept=1), clock)
    caseload.add("7B", "first")
    (folder / "backups").symlink_to(outside, target_is_directory=True)
    before, outside_before = tree(folder), tree(outside)
    with pytest.raises(StoreError, match=f"{folder / 'backups'} is a symbolic link"):
        store.backup()
    with pytest.raises(StoreError, match="is a symbolic link"):
        store.backups()
    clock.now = datetime(2026, 11, 27, 9, 0)  # the day's first action makes a daily backup
    with pytest.raises(StoreError, match="is a symbolic link"):
        caseload.add("8A", "second")
    code, out, err = run_cli(folder, capsys, "backup")
    assert code == 1 and len(err.splitlines()) == 1 and "backups is a symbolic link" in err
    assert tree(outside) == outside_before
    assert stat.S_IMODE(outside.stat().st_mode) == 0o755
    assert tree(folder) == before


def test_pruning_removes_only_backup_folders_the_app_made(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(b"not triage data")
    store = Store(tmp_path / "data", backups_kept=1)
    with store.transaction(TODAY):
        pass
    root = store.dir / "backups"
    root.mkdir()
    planted = root / "20200101T000000.000000-daily"
    planted.symlink_to(outside, target_is_directory=True)
    (root / "keep-before-upgrade").mkdir()
    (root / "20200102T000000.000000-manual").write_bytes(b"a file, not a backup folder")
    made = [store.backup(), store.backup()]
    assert store.backups() == made[-1:]
    assert planted.is_symlink() and (outside / "keep.txt").read_bytes() == b"not triage data"
    assert (root / "keep-before-upgrade").is_dir()
    assert (root / "20200102T000000.000000-manual").is_file()


@pytest.mark.parametrize("name", ["triage.journal", "triage.json", "triage.lock", "config.toml"])
def test_a_symlinked_data_file_is_refused_and_its_target_left_byte_identical(
    caseload: Caseload, clock, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    folder = caseload.store.dir
    target = caseload.store.dir.parent / "target"
    original = (folder / name).read_bytes() if (folder / name).exists() else b""
    target.write_bytes(original)
    os.chmod(target, 0o644)
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to(target)
    before = tree(folder)
    with pytest.raises(StoreError, match=f"{folder / name} is a symbolic link"):
        Caseload.open(folder, clock).add("9C", "pupil data")
    code, out, err = run_cli(folder, capsys, "add", "Trist", "--pupil", "9C")
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and f"{name} is a symbolic link" in err
    assert target.read_bytes() == original
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert tree(folder) == before


def test_a_dangling_symlinked_lock_or_journal_creates_nothing_outside(caseload: Caseload, clock) -> None:
    caseload.add("7B", "first")
    folder = caseload.store.dir
    for name in ("triage.lock", "triage.journal"):
        target = folder.parent / f"made-{name}"
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(target)
        with pytest.raises(StoreError, match=f"{name} is a symbolic link"):
            Caseload.open(folder, clock).add("8A", "pupil data")
        assert not target.exists()
        (folder / name).unlink()


def test_atomic_writes_replace_a_symlink_rather_than_follow_it(tmp_path: Path) -> None:
    from triage_tui.store.files import atomic_write

    target = tmp_path / "outside"
    target.write_bytes(b"precious")
    (tmp_path / "data").mkdir()
    link = tmp_path / "data" / "history-2026-01.json"
    link.symlink_to(target)
    atomic_write(link, b"new")
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert target.read_bytes() == b"precious"


def test_restore_refuses_a_symlink_planted_in_backups(
    caseload: Caseload, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    caseload.add("7B", "first")
    real = caseload.store.backup()
    caseload.add("8A", "second")
    folder = caseload.store.dir
    planted = folder.parent / "planted"
    shutil.copytree(real, planted)
    link = folder / "backups" / "20991231T235959.999999-manual"
    link.symlink_to(planted, target_is_directory=True)
    before = tree(folder)
    with pytest.raises(StoreError, match=f"{link} is a symbolic link"):
        caseload.store.restore(link.name)
    code, out, err = run_cli(folder, capsys, "restore", link.name)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and f"{link.name} is a symbolic link" in err
    assert tree(folder) == before
    assert link not in caseload.store.backups()
    # A file in a real backup folder that is a link is refused too.
    (real / "triage.json").unlink()
    (real / "triage.json").symlink_to(planted / "triage.json")
    before = tree(folder)
    with pytest.raises(StoreError, match="is a symbolic link"):
        caseload.store.restore(real.name)
    assert tree(folder) == before


def test_the_data_folder_itself_may_be_a_symlink(
    tmp_path: Path, clock, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "other-disk" / "triage"
    real.mkdir(parents=True)
    link = tmp_path / "data"
    link.symlink_to(real, target_is_directory=True)
    caseload = Caseload.open(link, clock)
    caseload.add("7B", "first")
    caseload.add("8A", "second")
    backup = caseload.store.backup()
    caseload.add("9C", "third")
    code, out, err = run_cli(link, capsys, "add", "Trist", "--pupil", "1A")
    assert (code, err) == (0, "")
    clock.now = datetime(2026, 11, 27, 9, 0)
    caseload.add("2B", "the next day")  # with the daily backup
    assert len(caseload.store.backups()) == 2
    caseload.store.restore(backup.name)
    assert sorted(Store(link).snapshot()[0]) == [1, 2]
    assert (real / "triage.json").is_file() and not (real / "triage.json").is_symlink()
    assert link.is_symlink()


def test_repair_says_which_actions_the_damage_took_and_fails(caseload: Caseload, clock, capsys) -> None:
    """The reviewer's case: an undo folds the journal into the checkpoint, so what came before
    it is only there when the checkpoint is damaged."""
    folder = caseload.store.dir
    caseload.add("7B", "X")
    backup = caseload.store.backup()
    caseload.add("8A", "A")
    caseload.add("9C", "B")
    caseload.undo()  # B taken back; the checkpoint now holds X and A, the journal is empty
    caseload.add("1D", "C")
    (folder / "triage.json").write_bytes(b"\x00 damaged")
    code, out, err = run_cli(folder, capsys, "repair")
    assert code == 1
    assert out.splitlines()[:2] == [f"triage.json: taken from backup {backup.name}", "journal: 1 action kept"]
    assert err == (  # A and B (B undone, but counted: the sequence cannot tell)
        "triage: what was recorded between that backup and the journal was only in the damaged "
        "checkpoint: up to 2 actions are lost\n"
    )
    assert [r.summary for r in Store(folder).snapshot()[0].values()] == ["X", "C"]


def test_a_restore_never_takes_the_journal_s_sequence_back(caseload: Caseload) -> None:
    caseload.add("7B", "first")
    backup = caseload.store.backup()
    for n in range(3):
        caseload.add("8A", f"later {n}")
    seq = max(line["seq"] for line in journal_lines(caseload.store.dir))
    caseload.store.restore(backup.name)
    assert hot_tables(caseload.store.dir)["meta"]["1"]["journal_seq"] == seq
    caseload.add("9C", "after the restore")
    assert journal_lines(caseload.store.dir)[-1]["seq"] == seq + 1
