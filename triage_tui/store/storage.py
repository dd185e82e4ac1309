"""The store: a small hot file written on every action, and per-school-year archives.

Layout of the data folder:

    triage.json              checkpoint of the hot data: open requests, recently closed
                             ones, recent time, the timer, id counters
    triage.journal           the changes since that checkpoint, one line an action
    archive-2025-26.json     requests created in that school year and closed before the
                             previous ISO week, with their time, and old unlinked time
    triage.lock              the sidecar lock: one writer at a time, across processes
    config.toml              optional settings
    backups/<stamp>-<why>/   copies of the files above (one a day, one before migrations
                             and restores, and any made by hand)

Every data file is a TinyDB document store ({table: {doc_id: doc}}) with a `meta` table.
Each write is a read-modify-write under the lock, durable before it returns. An action
appends one journal line, so its cost does not grow with the hot file or the years of
history; the archives are written once a week, when old closed requests move there.

Moving between files is crash-safe because a request (or time entry) present in both the
hot data and an archive is read from the hot data. Archival writes the archive first and
the hot checkpoint second; bringing a request back (reopen, new time) writes only the hot
data and leaves the archive's stale copy, which the next archival overwrites.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from ..core.errors import TriageError
from ..core.model import Request, TimeEntry, Timer, read_instant, stored_instant
from .datafile import (
    SCHEMA_VERSION,
    DataFile,
    HotFile,
    Signature,
    Tables,
    apply_change,
    journal_line,
    new_tables,
    read_tables,
    schema_of,
    signature,
)
from .errors import DataFileError, FileAccessError, StoreError, SymlinkRefused
from .files import (
    FILE_MODE,
    FileLock,
    atomic_write,
    fsync_dir,
    naming,
    open_no_link,
    private_dir,
    read_no_link,
    refuse_link,
    stale_temps,
)
from .scrub import Correction, Scrubber, backup_files, fingerprint, purged, rewrite
from .shape import misshapen

HOT_NAME = "triage.json"
JOURNAL_NAME = "triage.journal"
LOCK_NAME = "triage.lock"
RESTORING_NAME = "triage.restoring"  # present while a restore is under way
CORRECTING_NAME = "triage.correcting"  # present while copies are being corrected (scrub.py)
BACKUPS_NAME = "backups"
_ARCHIVE_NAME = re.compile(r"history-(\d{4}-\d{2})\.json")  # a month's history
_SCHOOL_YEAR_ARCHIVE = re.compile(r"archive-(\d{4}-\d{2})\.json")  # schema 1: a school year's
# A backup folder's name, as `Store.backup` makes it: only these are listed, named and pruned.
# The stamp is UTC (`Z`); names without the `Z` were made by older versions, in local time.
_BACKUP_NAME = re.compile(
    r"(\d{8}T\d{6}\.\d{6})(Z?)-(?:daily|manual|pre-restore|pre-migration|pre-repair)(?:-\d+)?"
)
_STAMP = "%Y%m%dT%H%M%S.%f"
_KEPT_FILES = re.compile(
    r"triage\.json|triage\.journal|history-\d{4}-\d{2}\.json|archive-\d{4}-\d{2}\.json|config\.toml"
)


# The steps from schema n to n + 1, each on the whole data folder.
MIGRATIONS: dict[int, Callable[[Store], None]] = {
    1: lambda store: store._archives_by_month(),
    2: lambda store: store._instants_with_offsets(),
}


def with_offsets(tables: Tables) -> Tables:
    """Schema 2 to 3 for one file: each stored instant without a UTC offset gets the offset
    of this machine's time zone at that moment (the best that can be known afterwards)."""

    def offset(text: str) -> str:
        moment, known = read_instant(text)
        return text if known is not None else stored_instant(moment, None)

    for doc in tables.get("requests", {}).values():
        for event in doc["events"]:
            event["at"] = offset(event["at"])
    for doc in [*tables.get("time", {}).values(), *tables.get("timer", {}).values()]:
        doc["start"] = offset(doc["start"])
    tables["meta"]["1"]["schema"] = SCHEMA_VERSION
    return tables


UNDOABLE = ("requests", "time", "timer")  # what undo puts back; never the id counters
UNDO_KEPT = 200  # records of the newest actions, cleared by the weekly archival


def newest_undo(tables: Tables) -> dict[str, Any] | None:
    """The newest undo record's brief, with its number: what `undo` would take back."""
    records = tables.get("undo", {})
    if not records:
        return None
    number = max(records, key=int)
    return records[number]["what"] | {"record": int(number)}


def archive_cutoff(today: date) -> date:
    """Requests closed before the Monday of last ISO week move to the archives."""
    return today - timedelta(days=today.weekday() + 7)


class Transaction:
    """What one action may read and change. Built by `Store.transaction`.

    Documents change in place, one at a time (TinyDB's table API would rebuild a whole
    table for each change); the keys touched become the action's journal line.
    """

    def __init__(self, store: Store, hot: Tables) -> None:
        self._store = store
        self.tables = hot
        self._touched: set[tuple[str, str]] = set()
        self._archives: dict[str, Tables] = {}  # read or changed by this transaction
        self._changed_archives: set[str] = set()  # months that gained documents
        self._unarchived: dict[str, dict[str, list[str]]] = {}  # month: the keys brought back
        self.checkpoint = False  # write the whole hot file instead of a journal line
        # What the documents an action changes were before it (None: not there), for undo.
        self._before: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.undo: dict[str, Any] | None = None  # what the action was, in brief: undoable if set
        # Text that must go from every copy in the data folder (see scrub.py), and that text
        # as stored, to find the files that hold it (in memory only).
        self.corrections: list[Correction] = []
        self.needles: list[bytes] | None = []  # None: too many to look for, every file is read

    def _set(self, table: str, key: int | str, doc: dict[str, Any]) -> None:
        self._remember(table, str(key))
        self.tables.setdefault(table, {})[str(key)] = doc
        self._touched.add((table, str(key)))

    def _delete(self, table: str, key: int | str) -> None:
        self._remember(table, str(key))
        self.tables.get(table, {}).pop(str(key), None)
        self._touched.add((table, str(key)))

    def _remember(self, table: str, key: str) -> None:
        if table in UNDOABLE and (table, key) not in self._before:
            self._before[(table, key)] = self.tables.get(table, {}).get(key)

    # -- undo ----------------------------------------------------------------------------
    def last_undoable(self) -> dict[str, Any] | None:
        """What the newest action that can be undone was, in brief (with its record's number)."""
        return newest_undo(self.tables)

    def undo_last(self) -> dict[str, Any]:
        """Put back what the newest action changed, as if it had never been recorded, and drop
        its record. Refused if a document it changed has changed since (by an edit, which
        cannot be undone). The journal is folded into the checkpoint, and every copy of what it
        changed, backups included, goes back to what it was: an added request's text, say,
        leaves no trace. No id is handed out again."""
        what = newest_undo(self.tables)
        if what is None:
            raise TriageError("there is nothing to undo", "nothing_to_undo")
        record = self.tables["undo"][str(what["record"])]
        for table, docs in record["before"].items():
            for doc_key in docs:
                if fingerprint(self.tables.get(table, {}).get(doc_key)) != record["after"][table][doc_key]:
                    raise TriageError(
                        "what that action changed has been changed since (an edit cannot be undone); "
                        "nothing was undone", "undo_changed_since",
                    )  # fmt: skip
        for table, docs in record["before"].items():
            for doc_key, doc in docs.items():
                now = self.tables.get(table, {}).get(doc_key)
                if now is not None:  # its copies, wherever they are, go back to what it was
                    self.correct(table, doc_key, {"from": record["after"][table][doc_key]}, [now])
                if doc is None:
                    self._delete(table, doc_key)
                else:
                    self._set(table, doc_key, doc)
        self._delete("undo", what["record"])
        self.checkpoint = True  # its journal line goes too
        return what

    def correct(self, table: str, key: int | str, how: dict[str, Any], old: Iterable[Any]) -> None:
        """Take text out of every copy of a document in the data folder as this action is
        saved (`how`: see scrub.py). `old`: what goes (text, or the document as it was), to
        find the files that hold it. The journal is folded into a new checkpoint, so its
        lines go too."""
        self.corrections.append({"table": table, "key": str(key), **how})
        if self.needles is not None:
            self.needles += [orjson.dumps(value) for value in old]
        self.checkpoint = True

    def purge(self, table: str, keys: Iterable[int]) -> None:
        """Take the text out of these requests or time entries (see scrub.purged), in every
        file: a retention limit reached. There may be thousands: every file is read."""
        self.needles = None
        for key in keys:
            self.correct(table, key, {"purge": True}, ())
            doc = self.tables.get(table, {}).get(str(key))
            if doc is not None:
                self._set(table, key, purged(table, doc))
                self.forget_undo_of(table, key)

    def forget_undo_of(self, table: str, key: int) -> None:
        """Drop the undo records that hold a document as it was: after an edit its old text
        must not stay in them (and they could no longer be undone anyway)."""
        for number, record in list(self.tables.get("undo", {}).items()):
            if str(key) in record["before"].get(table, {}):
                self._delete("undo", number)

    def _record_undo(self) -> None:
        """The action's record for undo: what it was, what it changed as it was before, and a
        fingerprint of each as the action left it (undo refuses if that has changed)."""
        before: dict[str, dict[str, Any]] = {}
        after: dict[str, dict[str, str]] = {}
        for (table, key), doc in sorted(self._before.items()):
            now = self.tables.get(table, {}).get(key)
            if now is not doc:
                before.setdefault(table, {})[key] = doc
                after.setdefault(table, {})[key] = fingerprint(now)
        records = self.tables.setdefault("undo", {})
        for old in sorted(records, key=int)[: max(0, len(records) + 1 - UNDO_KEPT)]:
            self._delete("undo", old)
        record = {"what": self.undo, "before": before, "after": after}
        self._set("undo", max(map(int, records), default=0) + 1, record)

    # -- the hot data ------------------------------------------------------------------
    @property
    def meta(self) -> dict[str, Any]:
        return self.tables["meta"]["1"]

    def set_meta(self, **fields: Any) -> None:
        self._set("meta", 1, self.meta | fields)

    def next_id(self, kind: str) -> int:
        """A new id for `request` or `time`, never used before."""
        key = f"next_{kind}"
        value = int(self.meta[key])
        self.set_meta(**{key: value + 1})
        return value

    def request(self, request_id: int) -> Request | None:
        """The request, brought back from its archive into the hot data if it was there."""
        doc = self.tables["requests"].get(str(request_id)) or self._unarchive(request_id)
        return None if doc is None else Request.from_doc(request_id, doc)

    def put_request(self, request: Request) -> None:
        self._set("requests", request.id, request.to_doc())

    def put_time(self, entry: TimeEntry) -> None:
        self._set("time", entry.id, entry.to_doc())

    def time_entry(self, entry_id: int) -> TimeEntry | None:
        """A recent time entry (the hot data holds the time of open and recent requests)."""
        doc = self.tables["time"].get(str(entry_id))
        return None if doc is None else TimeEntry.from_doc(entry_id, doc)

    def time_of(self, request_id: int) -> list[TimeEntry]:
        """The time logged on a request (read it with `request` first: that brings back an
        archived request's time too)."""
        return [
            TimeEntry.from_doc(int(key), doc)
            for key, doc in self.tables["time"].items()
            if doc.get("request") == request_id
        ]

    def time_on(self, day: date) -> list[TimeEntry]:
        """The recent time entries that started on `day`."""
        prefix = day.isoformat()
        return [
            TimeEntry.from_doc(int(key), doc)
            for key, doc in self.tables["time"].items()
            if doc["start"][:10] == prefix
        ]

    def remove_time(self, entry_id: int) -> None:
        self._delete("time", entry_id)

    @property
    def timer(self) -> Timer | None:
        doc = self.tables.get("timer", {}).get("1")
        return None if doc is None else Timer.from_doc(doc)

    def set_timer(self, timer: Timer | None) -> None:
        if timer is None:
            self._delete("timer", 1)
        else:
            self._set("timer", 1, timer.to_doc())

    # -- the archives ------------------------------------------------------------------
    @property
    def index(self) -> dict[str, dict[str, list[Any]]]:
        """What each archive holds, in brief: see `Store.candidates`."""
        return self.meta.get("archive_index", {})

    def _archive(self, month: str) -> Tables:
        if month not in self._archives:
            self._archives[month] = self._store.archive_file(month).load() or new_tables("archive")
        return self._archives[month]

    def _unarchive(self, request_id: int) -> dict[str, Any] | None:
        """Bring a request and its time back from its archive into the hot data. Its archive
        copy is removed once the hot data holds it durably (see `commit`)."""
        key = str(request_id)
        for month in self._store.candidates(self.index, "requests", request_id, also=self._archives):
            tables = self._archive(month)
            doc = tables["requests"].get(key)
            if doc is not None:
                # Undone, what came back stays in the hot data as it was; the next archival
                # moves it back.
                self._before.setdefault(("requests", key), doc)
                self._set("requests", request_id, doc)
                times = [k for k, entry in tables["time"].items() if entry.get("request") == request_id]
                for entry_id in times:
                    self._before.setdefault(("time", entry_id), tables["time"][entry_id])
                    self._set("time", int(entry_id), tables["time"][entry_id])
                self._unarchived.setdefault(month, {"requests": [], "time": []})
                self._unarchived[month]["requests"].append(key)
                self._unarchived[month]["time"] += times
                return doc
        return None

    def archive_old(self, today: date) -> int:
        """Move what closed before the cutoff to the archives. Returns how many requests moved."""
        cutoff = archive_cutoff(today)
        timer = self.timer
        keep = {timer.request_id} if timer and timer.request_id else set()
        moving = partition(self.tables["requests"], self.tables["time"], cutoff, keep)
        index = {month: dict(brief) for month, brief in self.index.items()}
        for month, (requests, entries) in moving.items():
            archive = self._archive(month)
            self._changed_archives.add(month)
            archive["requests"].update(requests)
            archive["time"].update(entries)
            index[month] = brief(archive)
            self._set("archive_minutes", month, {"days": minutes_by_day(archive)})
            for key in requests:
                self.tables["requests"].pop(key)
            for key in entries:
                self.tables["time"].pop(key)
        self.set_meta(archived_before=cutoff.isoformat(), archive_index=index)
        self.tables["undo"] = {}  # what moved can no longer be put back by an undo
        self.checkpoint = True
        return sum(len(r) for r, _ in moving.values())

    def remove_unarchived(self) -> None:
        """Take out of the archives what a former action brought back into the hot data, in
        case it was stopped before it could (the hot data's list says what)."""
        pending = self.meta.get("unarchived")
        if pending:
            self._store.remove_from_archives(pending)
            self.set_meta(unarchived=None)

    def commit(self) -> None:
        """Archives that gain documents are written before the hot data, so nothing is ever
        only in memory; archive copies of what came back into the hot data are removed after
        it, so nothing is ever in neither. Between the two the hot copy wins."""
        if self.undo is not None:
            self._record_undo()
        for month in sorted(self._changed_archives):
            self._store.archive_file(month).save(self._archives[month])
        # An archive's minutes by day hold while the file is as written now (its signature).
        for month in self._changed_archives & set(self.tables.get("archive_minutes", {})):
            written = signature(self._store.archive_file(month).path)
            known = self.tables["archive_minutes"][month]
            self._set("archive_minutes", month, known | {"file": list(written or ())})
        if self._unarchived:
            self.set_meta(unarchived=self._unarchived)
        hot = self._store.hot
        if self.checkpoint or not hot.exists():
            hot.save(self.tables)
        elif self._touched:
            seq = self.meta.get("journal_seq", 0) + 1
            change: dict[str, Any] = {"seq": seq, "set": {}, "delete": {}}
            for table, key in sorted(self._touched):
                doc = self.tables.get(table, {}).get(key)
                if doc is None:
                    change["delete"].setdefault(table, []).append(key)
                else:
                    change["set"].setdefault(table, {})[key] = doc
            apply_change(self.tables, change)
            hot.append(self.tables, change)
        if self._unarchived:
            with suppress(OSError):  # durable as it is; the next write finishes it
                self._store.remove_from_archives(self._unarchived)


def _days(event: dict[str, Any]) -> tuple[str | None, ...]:
    """The days an event sets: a due date, a postponement's new date, a next step."""
    return event.get("due"), event.get("to_due"), event.get("date")


def _in_span(day: str, start: datetime, end: datetime) -> bool | None:
    """Whether the day (`2026-05-11`) lies wholly in [start, end): True, wholly outside it:
    False, or in part: None."""
    begin = datetime.fromisoformat(day)
    after = begin + timedelta(days=1)
    if start <= begin and after <= end:
        return True
    return False if after <= start or end <= begin else None


def minutes_by_day(archive: Tables) -> dict[str, int]:
    """An archive's minutes of time by the day they started, kept in the hot data's
    `archive_minutes` (a school year's sum need not read a dozen archives; see
    `Store.logged_minutes`). Apart from the meta, which every action writes."""
    minutes: dict[str, int] = {}
    for doc in archive["time"].values():
        minutes[doc["start"][:10]] = minutes.get(doc["start"][:10], 0) + doc["minutes"]
    return minutes


def brief(archive: Tables) -> dict[str, Any]:
    """An archive in brief, for the hot data's index: the first and last moment (or due
    date) in it, and the lowest and highest request and time entry ids."""
    moments = [
        m for doc in archive["requests"].values() for e in doc["events"] for m in (e["at"], *_days(e)) if m
    ]
    moments += [doc["start"] for doc in archive["time"].values()]
    ids = {table: [int(k) for k in archive[table]] for table in ("requests", "time")}
    return {
        "span": [min(moments, default=""), max(moments, default="")],
        **{table: [min(keys, default=0), max(keys, default=0)] for table, keys in ids.items()},
    }


def partition(
    requests: dict[str, dict[str, Any]],
    entries: dict[str, dict[str, Any]],
    cutoff: date,
    keep: set[int] | frozenset[int] = frozenset(),
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """What moves to the archives, by month (see `by_month`): requests closed before `cutoff`
    whose time all started before it, with that time, and unlinked time that started before it."""
    cutoff_text = cutoff.isoformat()
    linked: dict[int, list[str]] = {}
    for key, entry in entries.items():
        if entry.get("request") is not None:
            linked.setdefault(entry["request"], []).append(key)
    moving_requests = {
        key: doc
        for key, doc in requests.items()
        if doc["events"][-1]["type"] == "closed"
        and doc["events"][-1]["at"] < cutoff_text
        and int(key) not in keep
        and all(entries[e]["start"] < cutoff_text for e in linked.get(int(key), []))
    }
    moving_entries = {
        key: entry
        for key, entry in entries.items()
        if (entry.get("request") is None and entry["start"] < cutoff_text)
        or (entry.get("request") is not None and str(entry["request"]) in moving_requests)
    }
    return by_month(moving_requests, moving_entries)


def by_month(
    requests: dict[str, dict[str, Any]], entries: dict[str, dict[str, Any]]
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Requests by the month of the last thing that happened to them (an event, or time
    logged on them), with their time; other time by its own month. So an archive holds what
    ended in its month, and a week's review reads only the few months that can touch it."""
    months: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    ended = {key: doc["events"][-1]["at"] for key, doc in requests.items()}
    for entry in entries.values():
        key = str(entry.get("request"))
        if key in ended:
            ended[key] = max(ended[key], entry["start"])
    for key, doc in requests.items():
        months.setdefault(ended[key][:7], ({}, {}))[0][key] = doc
    for key, entry in entries.items():
        owner = str(entry.get("request"))
        month = ended[owner][:7] if owner in ended else entry["start"][:7]
        months.setdefault(month, ({}, {}))[1][key] = entry
    return months


class Store:
    """The data folder. Reads need no lock; every write is one locked, durable transaction."""

    def __init__(
        self,
        data_dir: Path,
        *,
        lock_timeout: float = 10.0,
        backups_kept: int | None = 30,
        check: bool = True,
    ) -> None:
        """`check=False` opens a folder whose data may be damaged, for backup and restore;
        `backups_kept=None` never prunes a backup."""
        self.dir = private_dir(Path(data_dir))
        self.problem = FileProblem(self.dir)
        self._hot_parser = HotParser()
        self.hot = HotFile(self.dir / HOT_NAME, self.dir / JOURNAL_NAME, self.problem)
        self.lock_timeout = lock_timeout
        self.backups_kept = backups_kept
        self._archives: dict[str, DataFile] = {}
        # Each archive's time in brief (start, minutes by entry), while the file is unchanged.
        self._archived_time: dict[str, tuple[Signature | None, dict[str, tuple[str, int]]]] = {}
        self._mutex = threading.RLock()  # guards the cached tables; held only briefly
        self._writer = threading.Lock()  # one writer thread at a time in this process
        self._lock_owner: int | None = None  # the thread that holds the file lock
        if check:
            self._startup()

    # -- files -------------------------------------------------------------------------

    def archive_months(self) -> list[str]:
        with os.scandir(self.dir) as entries:
            return sorted(m[1] for e in entries if (m := _ARCHIVE_NAME.fullmatch(e.name)))

    def archive_file(self, month: str) -> DataFile:
        if month not in self._archives:
            self._archives[month] = DataFile(self.dir / f"history-{month}.json", "archive", self.problem)
        return self._archives[month]

    def data_files(self) -> list[DataFile]:
        """The archives, oldest first, then the hot file."""
        return [*(self.archive_file(m) for m in self.archive_months()), self.hot]

    def candidates(
        self, index: dict[str, dict[str, list[Any]]], table: str, key: int, also: Iterable[str] = ()
    ) -> list[str]:
        """The archives (on disk, and `also`) that may hold `key` of `table` ("requests" or
        "time"), newest first: those whose range of ids takes it in, or that the index does
        not know."""
        months = []
        for month in sorted({*self.archive_months(), *also}, reverse=True):
            lowest, highest = index.get(month, {}).get(table, [0, key])
            if lowest <= key <= highest:
                months.append(month)
        return months

    def remove_from_archives(self, keys: dict[str, dict[str, list[str]]]) -> None:
        """Rewrite the archives named in `keys` without those documents (if they are still
        there). Only for documents the hot data holds already."""
        for month, tables in keys.items():
            archive = self.archive_file(month)
            data = archive.load()
            if data is None or not any(k in data[t] for t, ks in tables.items() for k in ks):
                continue
            data = {name: dict(docs) for name, docs in data.items()}
            for table, table_keys in tables.items():
                for key in table_keys:
                    data[table].pop(key, None)
            archive.save(data)

    def _forget_all(self) -> None:
        for f in [self.hot, *self._archives.values()]:
            f.forget()

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """The writer lock across processes; re-entrant within a thread (a transaction backs up).

        The wait for another process's lock happens before the cache mutex is taken, so
        readers in other threads (the app's screen) are never held up by it."""
        if self._lock_owner == threading.get_ident():
            yield
            return
        with self._writer, FileLock(self.dir / LOCK_NAME, self.lock_timeout), self._mutex:
            self._lock_owner = threading.get_ident()
            try:
                yield
            finally:
                self._lock_owner = None

    def _startup(self) -> None:
        """Clean temp files a killed writer left, migrate old schemas, check the hot file."""
        if os.path.lexists(self.dir / RESTORING_NAME):
            with self._exclusive():
                if os.path.lexists(self.dir / RESTORING_NAME):
                    self._finish_restore()
        if not self.hot.exists() and self._other_data_exists():
            raise self.problem(self.hot.path, "is missing although other data files or backups exist")
        needs_migration = (schema_of(self.hot.load(migrate=True)) or SCHEMA_VERSION) < SCHEMA_VERSION
        if stale_temps(self.dir) or needs_migration or self._school_year_archives():
            with self._exclusive():
                for tmp in stale_temps(self.dir):
                    tmp.unlink(missing_ok=True)
                self._forget_all()
                if (schema_of(self.hot.load(migrate=True)) or SCHEMA_VERSION) < SCHEMA_VERSION:
                    self._migrate()
                for folded in self._school_year_archives():  # left by a migration stopped at its end
                    folded.unlink()

    def _other_data_exists(self) -> bool:
        journal = self.dir / JOURNAL_NAME
        refuse_link(journal)
        return bool(
            self.archive_months()
            or self._school_year_archives()
            or self.backups()
            or (journal.exists() and journal.stat().st_size)
        )

    def _school_year_archives(self) -> list[Path]:
        """Archives of schema 1, one a school year."""
        with os.scandir(self.dir) as entries:
            return sorted(Path(e.path) for e in entries if _SCHOOL_YEAR_ARCHIVE.fullmatch(e.name))

    def _migrate(self) -> None:
        """Bring the data to the current schema, one step at a time, after a backup. Each step
        writes the hot file last: its schema speaks for the whole folder, so a step stopped
        half-way is simply done again at the next start."""
        self.backup("pre-migration")
        version = schema_of(self.hot.load(migrate=True)) or SCHEMA_VERSION
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](self)
            version += 1
        fsync_dir(self.dir)

    def _instants_with_offsets(self) -> None:
        """Schema 2 to 3: instants carry their UTC offset (see `with_offsets`)."""
        for month in self.archive_months():
            path = self.archive_file(month).path
            self.archive_file(month).save(with_offsets(read_tables(path, self.problem, migrate=True)))
        hot = self.hot.load(migrate=True)
        assert hot is not None
        self.hot.save(with_offsets(hot))

    def _archives_by_month(self) -> None:
        """Schema 1 to 2: the archives of whole school years become one a month, by when
        each request ended, so that a week's review reads a few small files."""
        hot = self.hot.load(migrate=True)
        assert hot is not None
        requests: dict[str, Any] = {}
        entries: dict[str, Any] = {}
        for path in self._school_year_archives():
            tables = read_tables(path, self.problem, migrate=True)
            requests |= tables["requests"]
            entries |= tables["time"]
        requests = {k: doc for k, doc in requests.items() if k not in hot["requests"]}  # hot wins
        entries = {k: doc for k, doc in entries.items() if k not in hot["time"]}
        index = {}
        for month, (moved, times) in by_month(requests, entries).items():
            archive = new_tables("archive")
            archive["requests"], archive["time"] = moved, times
            self.archive_file(month).save(archive)
            index[month] = brief(archive)
        meta = hot["meta"]["1"]
        meta.pop("archive_spans", None)
        meta |= {"archive_index": index, "schema": 2}
        self.hot.save(hot)
        for path in self._school_year_archives():
            path.unlink()

    # -- reading -----------------------------------------------------------------------
    def snapshot(self) -> Parsed:
        """What the hot data holds: open and recent requests, recent time, the timer."""
        with self._mutex:
            return self.hot.parsed(self._hot_parser)

    def everything(self) -> tuple[dict[int, Request], dict[int, TimeEntry]]:
        """All requests and time entries, from the archives and the hot data (which wins).

        The hot data is read first: archival writes the archives before the hot file, so
        whatever left the hot data is in an archive by the time it is read."""
        with self._mutex:
            hot_requests, hot_entries, _ = self.hot.parsed(self._hot_parser)
            requests: dict[int, Request] = {}
            entries: dict[int, TimeEntry] = {}
            for month in self.archive_months():
                file_requests, file_entries, _ = self.archive_file(month).parsed(_parse)
                requests |= file_requests
                entries |= file_entries
        return requests | hot_requests, entries | hot_entries

    def of_pupil(self, pupil: str) -> tuple[dict[int, Request], dict[int, TimeEntry]]:
        """Every request of one pupil (the code in any case), with its time, the archives
        included; the hot data wins. Archives are read as they are on disk, filtered before
        parsing, and not kept (not even in the files' caches): a look at one pupil must not
        hold years of history in memory all day."""
        code = pupil.casefold()

        def theirs(docs: dict[str, Any]) -> dict[str, Any]:
            return {key: doc for key, doc in docs.items() if doc["pupil"].casefold() == code}

        with self._mutex:
            hot = self.hot.load() or new_tables("hot")  # first, as in `everything`
            raw_requests: dict[str, Any] = {}
            raw_entries: dict[str, Any] = {}
            for month in self.archive_months():
                tables = read_tables(self.archive_file(month).path, self.problem)
                mine = theirs(tables["requests"])
                ids = {int(key) for key in mine}
                raw_requests |= mine
                raw_entries |= {k: doc for k, doc in tables["time"].items() if doc.get("request") in ids}
            hot_requests, hot_entries = theirs(hot["requests"]), hot["time"]
        back = {int(key) for key in hot_requests}  # brought back into the hot data: its time is there
        raw_entries = {k: doc for k, doc in raw_entries.items() if doc.get("request") not in back}
        raw_requests |= hot_requests
        ids = {int(key) for key in raw_requests}
        raw_entries |= {k: doc for k, doc in hot_entries.items() if doc.get("request") in ids}
        requests = {int(k): Request.from_doc(int(k), doc) for k, doc in raw_requests.items()}
        entries = {int(k): TimeEntry.from_doc(int(k), doc) for k, doc in raw_entries.items()}
        return requests, entries

    def find(self, request_id: int) -> tuple[Request, list[TimeEntry]] | None:
        """One request and its time, from the hot data or else the archive that holds it.
        The hot data is read first, for the same reason as in `everything`."""
        with self._mutex:
            requests, entries, _ = self.hot.parsed(self._hot_parser)
            if request_id not in requests:
                index = (self.hot.load() or new_tables("hot"))["meta"]["1"].get("archive_index", {})
                for month in self.candidates(index, "requests", request_id):
                    requests, entries, _ = self.archive_file(month).parsed(_parse)
                    if request_id in requests:
                        break
                else:
                    return None
            return requests[request_id], [t for t in entries.values() if t.request_id == request_id]

    def around(self, start: datetime, end: datetime) -> tuple[list[Request], list[TimeEntry]]:
        """What a review of [start, end) needs: the time that started in it; the requests
        that existed and were open in it, whose target (first due date) falls in it or later,
        or that its time was logged on; and all the time of those requests. Only the archives
        whose span touches the week are read, and filtered on the stored text first, so
        years of history cost a few small files, not a parse of everything."""
        first, last, monday = start.isoformat(), end.isoformat(), start.date().isoformat()
        with self._mutex:
            hot = self.hot.load() or new_tables("hot")
            index = hot["meta"]["1"].get("archive_index", {})
            raw_requests: dict[str, Any] = {}
            raw_entries: dict[str, Any] = {}
            for month in self.archive_months():
                earliest, latest = index.get(month, {}).get("span", ["", last])
                if latest < monday or earliest >= last:
                    continue  # everything in it, due dates included, is before or after the week
                tables = self.archive_file(month).load() or new_tables("archive")
                raw_requests |= tables["requests"]
                raw_entries |= tables["time"]
            raw_requests |= hot["requests"]
            raw_entries |= hot["time"]
        logged_on = {doc.get("request") for doc in raw_entries.values() if first <= doc["start"] < last}
        kept: dict[str, Any] = {}
        for key, doc in raw_requests.items():
            events = doc["events"]
            closed_before = events[-1]["type"] == "closed" and events[-1]["at"] < first
            # Closed before the week, it still counts if a day it set falls in the week or
            # later: its target, or a next step kept early, before the close.
            in_play = events[0]["at"] < last and (
                not closed_before or max(day for e in events for day in _days(e) if day) >= monday
            )
            if in_play or int(key) in logged_on:
                kept[key] = doc
        ids = {int(key) for key in kept}
        entries = [
            TimeEntry.from_doc(int(key), doc)
            for key, doc in raw_entries.items()
            if first <= doc["start"] < last or doc.get("request") in ids
        ]
        return [Request.from_doc(int(key), doc) for key, doc in kept.items()], entries

    def first_day(self) -> date | None:
        """The day recording began: the earliest moment anything recorded happened (a request
        coming in, time starting), from the archives' index and the hot data."""
        with self._mutex:
            hot = self.hot.load() or new_tables("hot")
            index = hot["meta"]["1"].get("archive_index", {})
            moments = [brief["span"][0] for brief in index.values() if brief.get("span", [""])[0]]
            moments += [doc["events"][0]["at"] for doc in hot["requests"].values()]
            moments += [doc["start"] for doc in hot["time"].values()]
        return date.fromisoformat(min(moments)[:10]) if moments else None

    def logged_minutes(self, start: datetime, end: datetime) -> int:
        """The minutes of the time that started in [start, end), the archives' included (the
        hot data wins). An archive's come from its minutes by day in the index while the file
        is as the archival wrote it, no copy brought back into the hot data waits to be taken
        out of it, and each of its days lies wholly in or out of [start, end). Else it is
        read, once while it is unchanged on disk, and only its starts and minutes are kept:
        the status line asks this after every change."""
        first, last = start.isoformat(), end.isoformat()
        indexed = 0
        with self._mutex:
            hot = self.hot.load() or new_tables("hot")
            meta = hot["meta"]["1"]
            index, pending = meta.get("archive_index", {}), meta.get("unarchived") or {}
            by_day = hot.get("archive_minutes", {})
            times = {key: (doc["start"], doc["minutes"]) for key, doc in hot["time"].items()}
            for month in self.archive_months():
                entry = index.get(month, {})
                earliest, latest = entry.get("span", ["", last])
                if latest < first or earliest >= last:
                    continue
                path = self.archive_file(month).path
                known_days = by_day.get(month, {})
                days = {day: _in_span(day, start, end) for day in known_days.get("days", {})}
                whole = month not in pending and known_days.get("file") == list(signature(path) or ())
                if whole and "days" in known_days and None not in days.values():
                    indexed += sum(minutes for day, minutes in known_days["days"].items() if days[day])
                    continue
                known, brief_times = self._archived_time.get(month, (None, {}))
                current = signature(path)
                if known is None or known != current:
                    docs = self._time_of(path)
                    brief_times = {key: (doc["start"], doc["minutes"]) for key, doc in docs.items()}
                    self._archived_time[month] = (current, brief_times)
                for key, item in brief_times.items():
                    times.setdefault(key, item)
        return indexed + sum(minutes for begun, minutes in times.values() if first <= begun < last)

    def _time_of(self, path: Path) -> dict[str, Any]:
        """An archive's time documents, checked as read_tables checks them; its requests are
        not (a school year's sum reads a dozen archives for their time alone). Anything amiss
        is said as read_tables says it."""
        try:
            tables = orjson.loads(read_no_link(path))
            if schema_of(tables) == SCHEMA_VERSION and misshapen({"time": tables["time"]}) is None:
                return tables["time"]
        except (orjson.JSONDecodeError, LookupError, TypeError):
            pass
        return read_tables(path, self.problem)["time"]

    def meta(self) -> dict[str, Any]:
        """The hot data's counters and marks, as read now."""
        with self._mutex:
            return dict((self.hot.load() or new_tables("hot"))["meta"]["1"])

    def last_undoable(self) -> dict[str, Any] | None:
        """What the newest action that can be undone was, in brief (see `Transaction`)."""
        with self._mutex:
            return newest_undo(self.hot.load() or new_tables("hot"))

    def stored(self, since_month: str | None = None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The requests and time as stored, unparsed: of the archives of `since_month` and
        later (oldest first), or without it of the hot data. Copied (not deeply: a write
        replaces documents, it does not change them) under the lock of the cached tables,
        which a write in another thread changes in place."""
        with self._mutex:
            if since_month is None:
                files = [self.hot.load() or new_tables("hot")]
            else:
                months = [m for m in self.archive_months() if m >= since_month]
                files = [self.archive_file(m).load() or new_tables("archive") for m in months]
            return [(dict(tables["requests"]), dict(tables["time"])) for tables in files]

    def version(self) -> tuple[Signature | None, Signature | None]:
        """What the hot data's files look like on disk now. It changes with every write, by
        any process; it reads no data and resets nothing, so any number of watchers may ask."""
        return signature(self.hot.path), signature(self.hot.journal)

    # -- writing -----------------------------------------------------------------------
    @contextmanager
    def transaction(self, today: date, *, daily_backup: bool = True) -> Iterator[Transaction]:
        """Lock, read the newest data, let the caller change it, and save it durably.

        The first write of a day makes the daily backup (unless it is an undo, which would put
        the text it takes out into it: the next action makes it); the first of a week moves old
        closed requests to the archives. If the body raises, nothing is saved.
        """
        with self._exclusive():
            try:
                tx = Transaction(self, self.hot.load() or new_tables("hot"))
                tx.remove_unarchived()
                # Later than the last, not just another date: a flip of time zone back over
                # midnight is not a new day.
                first_today = daily_backup and tx.meta.get("last_backup", "") < today.isoformat()
                if first_today:
                    tx.set_meta(last_backup=today.isoformat())
                if tx.meta.get("archived_before", "") < archive_cutoff(today).isoformat():
                    tx.archive_old(today)
                self._finish_corrections(tx.tables)  # of a writer killed before it was done
                yield tx
                # Only now, so a refused action writes nothing; the files still hold yesterday.
                daily = self.backup("daily") if first_today and self.hot.exists() else None
                correcting = self.dir / CORRECTING_NAME
                try:
                    if tx.corrections:  # what they are, never the text: for the next, if killed
                        atomic_write(correcting, orjson.dumps(tx.corrections))
                    tx.commit()
                except BaseException:
                    if daily is not None:  # an action that failed makes no backup
                        shutil.rmtree(daily, ignore_errors=True)
                    with suppress(OSError):
                        correcting.unlink(missing_ok=True)
                    raise
                if tx.corrections:
                    try:
                        self._correct_copies(tx.tables, tx.corrections, tx.needles)
                        correcting.unlink()
                    except OSError as e:
                        raise FileAccessError(
                            e, "the action is saved; its old text is taken out of the rest at the next action"
                        ) from e
            except OSError as e:  # a full disk, a read-only folder: the file named, nothing saved
                self._forget_all()
                raise FileAccessError(e, "nothing was saved") from e
            except BaseException:
                self._forget_all()  # the body changed cached tables in place
                raise

    def _finish_corrections(self, current: Tables) -> None:
        """Correct the copies a writer killed half-way through left (every file is read)."""
        correcting = self.dir / CORRECTING_NAME
        if os.path.lexists(correcting):
            self._correct_copies(current, orjson.loads(read_no_link(correcting)), None)
            correcting.unlink()

    def _correct_copies(
        self, current: Tables, corrections: list[Correction], needles: list[bytes] | None
    ) -> int:
        """Apply `corrections` to every copy in the archives and the backups (the hot data
        holds the documents as they are now: `current`). With `needles`, only files that hold
        one are read. Returns how many files were rewritten."""
        scrubber = Scrubber(corrections, current)
        rewritten = 0
        for month in self.archive_months():
            archive = self.archive_file(month)
            path = archive.path
            if needles is not None and not any(n in read_no_link(path) for n in needles):
                continue
            tables = archive.load()
            if tables is not None:
                tables = orjson.loads(orjson.dumps(tables))  # the cached tables are shared
                if scrubber.tables(tables):
                    archive.save(tables)
                    rewritten += 1
        for paths in backup_files(self.backups()).values():
            rewritten += rewrite(paths, scrubber, needles)
        return rewritten

    def load_all(self, requests: Iterable[Request], entries: Iterable[TimeEntry], today: date) -> None:
        """Fill an empty store in one go (demo and benchmark data), archived as it would be."""
        with self._exclusive():
            if self.hot.exists() or self.archive_months():
                raise StoreError(f"{self.dir} holds data already; load_all needs an empty folder")
            tables = new_tables("hot")
            tables["requests"] = {str(r.id): r.to_doc() for r in requests}
            tables["time"] = {str(t.id): t.to_doc() for t in entries}
            tables["meta"]["1"] |= {
                "next_request": max(map(int, tables["requests"]), default=0) + 1,
                "next_time": max(map(int, tables["time"]), default=0) + 1,
                "last_backup": today.isoformat(),
            }
            tx = Transaction(self, tables)
            tx.archive_old(today)
            tx.commit()

    # -- backups -----------------------------------------------------------------------
    def backups(self) -> list[Path]:
        """Backup folders, oldest first."""
        return backups_in(self.dir)

    def newest_good_backup(self, file_name: str) -> Path | None:
        return newest_good_backup(self.dir, file_name)

    def backup(self, reason: str = "manual", keep: Collection[Path] = ()) -> Path:
        """Copy the data files into a new backup folder, durably, and drop the oldest beyond
        the number kept (never `keep`). A file unchanged since the previous backup is
        hard-linked to that backup's copy, so years of archives are not copied every day."""
        with self._exclusive():
            refuse_link(self.dir / BACKUPS_NAME)  # else pruning would delete what it leads to
            root = private_dir(self.dir / BACKUPS_NAME)
            for stale in root.glob(".*.tmp"):
                shutil.rmtree(stale, ignore_errors=True)  # refuses a link, and leaves it
            previous = self.backups()[-1:]
            stamp = datetime.now(UTC).strftime(_STAMP) + "Z"  # unique in practice
            target, n = root / f"{stamp}-{reason}", 1
            while os.path.lexists(target):
                n += 1
                target = root / f"{stamp}-{reason}-{n}"
            staging = private_dir(root / f".{target.name}.tmp")
            for source in self._files_to_keep():
                _copy_or_link(source, staging / source.name, previous[0] / source.name if previous else None)
            fsync_dir(staging)
            staging.rename(target)
            fsync_dir(root)
            if self.backups_kept is not None:
                for old in self.backups()[: -self.backups_kept]:
                    if old not in keep:
                        shutil.rmtree(old)
            return target

    def _files_to_keep(self) -> list[Path]:
        with os.scandir(self.dir) as entries:
            kept = sorted(Path(e.path) for e in entries if _KEPT_FILES.fullmatch(e.name))
        for path in kept:
            refuse_link(path)
        return kept

    def resolve_backup(self, name: str) -> Path:
        root = self.dir / BACKUPS_NAME
        refuse_link(root)
        candidate = Path(name) if Path(name).is_absolute() else root / name
        if candidate.parent == root and not candidate.name.startswith("."):
            refuse_link(candidate)
            if candidate.is_dir():
                return candidate
        shown = f"named '{name}'" if re.fullmatch(r"\d{8}T[\w.-]{0,40}", name) else "by that name"
        raise TriageError(f"there is no backup {shown}; `triage backup --list` shows them")

    def restore(self, name: str) -> tuple[Path, Path]:
        """Bring a backup back. What is there now is backed up first, so nothing is lost.
        Works on a folder whose data files are damaged. Returns (the backup restored, the
        backup of what was replaced)."""
        source = self.resolve_backup(name)
        with self._exclusive():
            counters = self._counters_in_use()
            self._restored_files(source, counters)  # check it before changing anything
            before = self.backup("pre-restore", keep=[source])
            # Should this be interrupted, the next start finishes it from the marker.
            marker = {"backup": source.name} | counters
            atomic_write(self.dir / RESTORING_NAME, orjson.dumps(marker))
            self._finish_restore()
        return source, before

    def _counters_in_use(self) -> dict[str, int]:
        """The lowest id counters that hand out no id seen anywhere in the data folder: in
        the hot data, its journal and the archives, damaged files included (their counters
        are read from the raw text). So neither a restore nor a repair reuses an id; and the
        journal's sequence never goes back, so a later repair can tell what came after."""
        counters = {"next_request": 1, "next_time": 1, "journal_seq": 0}
        archives = [self.archive_file(m).path for m in self.archive_months()]
        for path in [self.hot.path, self.hot.journal, *archives]:
            try:
                raw = read_no_link(path)
            except FileNotFoundError:
                continue
            for kind, value in _RAW_COUNTER.findall(raw):
                counter = f"next_{kind.decode()}"
                counters[counter] = max(counters[counter], int(value))
            if path in (self.hot.path, self.hot.journal):
                counters["journal_seq"] = max([counters["journal_seq"], *map(int, _RAW_SEQ.findall(raw))])
            for table, key in _RAW_FIRST_KEY.findall(raw):  # what a damaged line was about
                counter = "next_request" if table == b"requests" else "next_time"
                counters[counter] = max(counters[counter], int(key) + 1)
            tables = (self._readable(path) if path in archives else None) or {}
            for table, counter in (("requests", "next_request"), ("time", "next_time")):
                counters[counter] = max([counters[counter], *(int(k) + 1 for k in tables.get(table, {}))])
        return counters

    def _readable(self, path: Path) -> Tables | None:
        """A data file's tables, or None if it is damaged (missing counts as damaged). One
        written by a newer version is not damaged: it is refused, as everywhere."""
        try:
            tables = orjson.loads(read_no_link(path))
        except (FileNotFoundError, orjson.JSONDecodeError):
            return None
        schema = schema_of(tables)
        if schema is not None and schema > SCHEMA_VERSION:
            read_tables(path, self.problem)  # raises, saying so
        return tables if schema is not None else None

    def repair(self) -> Repaired | None:
        """Put damaged data right and keep all that is intact (None if nothing is damaged).

        An archive or checkpoint that cannot be read is replaced by its newest good backup;
        the journal's intact lines are replayed onto the checkpoint, damaged ones skipped; no
        id is handed out again. What is there is backed up first, damage included."""
        with self._exclusive():
            self._forget_all()
            replaced: dict[str, Path] = {}
            for month in self.archive_months():
                name = self.archive_file(month).path.name
                if not _intact(self._readable(self.dir / name)):
                    replaced[name] = self._good_copy(name)
            tables = self._readable(self.hot.path)
            if not _intact(tables):
                if not self.hot.exists() and not self._other_data_exists():
                    return None  # a new folder
                replaced[HOT_NAME] = backup = self._good_copy(HOT_NAME)
                # An older schema is brought up to date by the next start, as any folder; the
                # backup's own journal is read as leniently as the folder's.
                tables = read_tables(backup / HOT_NAME, self.problem, migrate=True)
                _replay(tables, backup / JOURNAL_NAME)
            base = tables["meta"]["1"].get("journal_seq", 0)
            replayed, damaged = _replay(tables, self.hot.journal)
            # Actions the journal or the damaged checkpoint knew of, but neither a backup nor
            # an intact line holds any more: lost with the damage, and said so.
            known = max(
                [base, *map(int, _RAW_SEQ.findall(self._raw(self.hot.path) + self._raw(self.hot.journal)))]
            )
            lost = max(0, known - base - replayed - damaged) if HOT_NAME in replaced else 0
            if not replaced and not damaged:
                return None
            meta = tables["meta"]["1"]
            for counter, value in self._counters_in_use().items():
                meta[counter] = max(meta.get(counter, 0), value)
            before = self.backup("pre-repair", keep=set(replaced.values()))
            for name, backup in sorted(replaced.items()):
                if name != HOT_NAME:
                    archive = read_tables(backup / name, self.problem, migrate=True)
                    atomic_write(self.dir / name, orjson.dumps(with_offsets(archive)))
            meta["archive_index"] = {
                month: brief(read_tables(self.archive_file(month).path, self.problem, migrate=True))
                for month in self.archive_months()
            }
            self.hot.save(tables)
            self._forget_all()
            return Repaired(replaced, replayed, damaged, before, lost)

    @staticmethod
    def _raw(path: Path) -> bytes:
        try:
            return read_no_link(path)
        except FileNotFoundError:
            return b""

    def _good_copy(self, file_name: str) -> Path:
        """The newest backup with a good copy of `file_name`, or a StoreError saying so."""
        backup = self.newest_good_backup(file_name)
        if backup is None:
            raise StoreError(
                f"{self.dir / file_name} is damaged and no backup holds a good copy of it; "
                "nothing was changed"
            )
        return backup

    def _restored_files(self, source: Path, counters: dict[str, int]) -> dict[str, bytes]:
        """The files to write for restoring `source`: its journal folded into its hot file,
        and id counters no lower than `counters`."""

        def refuse(path: Path, what: str) -> StoreError:
            return StoreError(f"backup file {path} {what}; nothing was restored")

        if not os.path.lexists(source / HOT_NAME):
            raise StoreError(f"backup {source.name} has no {HOT_NAME}; nothing was restored")
        files = {p.name: read_no_link(p) for p in source.iterdir() if _KEPT_FILES.fullmatch(p.name)}
        for file_name in files:
            if _ARCHIVE_NAME.fullmatch(file_name):
                read_tables(source / file_name, refuse, migrate=True)
        # An older backup is brought up to date by the next start, as any folder.
        tables = HotFile(source / HOT_NAME, source / JOURNAL_NAME, refuse).load(migrate=True)
        assert tables is not None
        meta = tables["meta"]["1"]
        for counter, value in counters.items():
            meta[counter] = max(meta.get(counter, 0), value)
        files[HOT_NAME] = orjson.dumps(tables)
        files[JOURNAL_NAME] = b""
        return files

    def _finish_restore(self) -> None:
        marker_path = self.dir / RESTORING_NAME
        marker = orjson.loads(read_no_link(marker_path))
        source = self.resolve_backup(marker.pop("backup"))
        files = self._restored_files(source, marker)
        for file_name in sorted(files, key=lambda f: f == HOT_NAME):  # the hot file last
            atomic_write(self.dir / file_name, files[file_name])
        for current in self._files_to_keep():
            if current.name not in files:
                current.unlink()
        marker_path.unlink()
        fsync_dir(self.dir)
        self._forget_all()


@dataclass(frozen=True)
class Repaired:
    """What `Store.repair` did."""

    replaced: dict[str, Path]  # file name: the backup its good copy came from
    replayed: int  # journal lines applied onto the checkpoint
    damaged: int  # journal lines that could not be read, skipped
    before: Path  # the backup of the folder as it was
    lost: int = 0  # at most this many actions after that backup were only in the damaged checkpoint


# Ids in a file's raw text, for files that may be damaged: the counters, and the first key
# of each set of documents.
_RAW_SEQ = re.compile(rb'"(?:journal_)?seq":\s*(\d{1,12})')
_RAW_COUNTER = re.compile(rb'"next_(request|time)":\s*(\d{1,12})')
_RAW_FIRST_KEY = re.compile(rb'"(requests|time)":\s*\{\s*"(\d{1,12})"')


def _intact(tables: Tables | None) -> bool:
    return tables is not None and misshapen(tables) is None


def _replay(tables: Tables, journal: Path) -> tuple[int, int]:
    """Apply the journal's intact lines newer than `tables` (a torn last line is no action).
    Returns how many were applied and how many complete lines were damaged."""
    try:
        raw = read_no_link(journal)
    except FileNotFoundError:
        return 0, 0
    applied = damaged = 0
    for line in raw.split(b"\n")[:-1]:
        change, problem = journal_line(line, tables["meta"]["1"].get("journal_seq", 0))
        if problem is not None:  # what `HotFile` refuses is left out here
            damaged += 1
        elif change is not None:
            apply_change(tables, change)
            applied += 1
    return applied, damaged


def backups_in(folder: Path) -> list[Path]:
    """The backup folders of the data folder `folder`, oldest first by when they were made:
    real folders (no links) with names the app made."""
    root = folder / BACKUPS_NAME
    refuse_link(root)
    if not root.is_dir():
        return []
    with os.scandir(root) as entries:
        made = [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    return sorted((p for p in made if _BACKUP_NAME.fullmatch(p.name)), key=made_at)


def made_at(backup: Path) -> tuple[datetime, str]:
    """When a backup was made, from its name (then the name, for the same moment)."""
    stamp, utc = _BACKUP_NAME.fullmatch(backup.name).groups()  # type: ignore[union-attr]
    moment = datetime.strptime(stamp, _STAMP)
    return (moment.replace(tzinfo=UTC) if utc else moment.astimezone(UTC)), backup.name


def newest_good_backup(folder: Path, file_name: str) -> Path | None:
    try:
        backups = backups_in(folder)
    except SymlinkRefused:  # a hint only: the error it goes into says what is wrong
        return None
    for backup in reversed(backups):
        candidate = backup / file_name
        if candidate.exists():
            try:
                read_tables(candidate, lambda p, w: StoreError(w), migrate=True)
            except StoreError:
                continue
            return backup
    return None


@dataclass(frozen=True)
class FileProblem:
    """The error for a data file that cannot be used, naming its newest good backup. It holds
    only the folder, so that the data files do not keep their store (and its cache) alive."""

    folder: Path

    def __call__(self, path: Path, what: str) -> DataFileError:
        name = HOT_NAME if path.name == JOURNAL_NAME else path.name
        return DataFileError(path, what, newest_good_backup(self.folder, name))


def _copy_or_link(source: Path, target: Path, previous: Path | None) -> None:
    """Copy `source`, or hard-link the previous backup's copy when it is the same file.

    Never a link to the live file: damage written into it must not reach the backups. No
    symlink is followed, neither at `source` nor at `previous`."""
    with open(open_no_link(source, os.O_RDONLY), "rb") as src:
        now = os.fstat(src.fileno())
        if previous is not None and _unchanged(now, previous):
            try:
                os.link(previous, target)
                return
            except OSError:
                pass
        with naming(target), open(open_no_link(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb") as dst:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.chmod(target, FILE_MODE)
            os.utime(target, ns=(now.st_atime_ns, now.st_mtime_ns))  # lets the next backup link it
            os.fsync(dst.fileno())


def _unchanged(now: os.stat_result, copy: Path) -> bool:
    """Whether `copy` is a regular file (not a link) of the size and modification time `now`."""
    try:
        was = os.lstat(copy)
    except FileNotFoundError:
        return False
    return stat.S_ISREG(was.st_mode) and (now.st_size, now.st_mtime_ns) == (was.st_size, was.st_mtime_ns)


Parsed = tuple[dict[int, Request], dict[int, TimeEntry], Timer | None]


def _parse(tables: Tables) -> Parsed:
    """An archive's tables, parsed once (it is read-only in daily use)."""
    return HotParser()(tables)


class HotParser:
    """Parses the hot data, again only where documents changed: an action replaces the
    documents it touches and leaves the others as they were, so one action costs one parse."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], tuple[dict[str, Any], Any]] = {}

    def __call__(self, tables: Tables) -> Parsed:
        known, self._known = self._known, {}

        def parse(table: str, build: Callable[[int, dict[str, Any]], Any]) -> dict[int, Any]:
            parsed = {}
            for key, doc in tables.get(table, {}).items():
                seen = known.get((table, key))
                if seen is None or seen[0] is not doc:
                    seen = (doc, build(int(key), doc))
                self._known[(table, key)] = seen
                parsed[int(key)] = seen[1]
            return parsed

        timer_doc = tables.get("timer", {}).get("1")
        return (
            parse("requests", Request.from_doc),
            parse("time", TimeEntry.from_doc),
            None if timer_doc is None else Timer.from_doc(timer_doc),
        )
