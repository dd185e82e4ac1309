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
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..core.errors import TriageError
from ..core.model import Request, TimeEntry, Timer
from .datafile import (
    SCHEMA_VERSION,
    DataFile,
    HotFile,
    Tables,
    apply_change,
    new_tables,
    read_tables,
    schema_of,
)
from .errors import DataFileError, StoreError
from .files import FILE_MODE, FileLock, atomic_write, private_dir, stale_temps

# Migrations from schema n to n + 1, each changing one file's tables in place.
MIGRATIONS: dict[int, Any] = {}

HOT_NAME = "triage.json"
JOURNAL_NAME = "triage.journal"
LOCK_NAME = "triage.lock"
BACKUPS_NAME = "backups"
_ARCHIVE_NAME = re.compile(r"archive-(\d{4}-\d{2})\.json")
_KEPT_FILES = re.compile(r"triage\.json|triage\.journal|archive-\d{4}-\d{2}\.json|config\.toml")


def school_year(d: date) -> str:
    """The school year (August to July) a date belongs to, as in `2025-26`."""
    first = d.year if d.month >= 8 else d.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


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
        self._archives: dict[str, Tables] = {}
        self.checkpoint = False  # write the whole hot file instead of a journal line

    def _set(self, table: str, key: int, doc: dict[str, Any]) -> None:
        self.tables.setdefault(table, {})[str(key)] = doc
        self._touched.add((table, str(key)))

    def _delete(self, table: str, key: int | str) -> None:
        self.tables.get(table, {}).pop(str(key), None)
        self._touched.add((table, str(key)))

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
    def _archive(self, year: str) -> Tables:
        if year not in self._archives:
            self._archives[year] = self._store.archive_file(year).load() or new_tables("archive")
        return self._archives[year]

    def _unarchive(self, request_id: int) -> dict[str, Any] | None:
        key = str(request_id)
        for year in self._store.archive_years():
            tables = self._store.archive_file(year).load() or new_tables("archive")
            doc = tables["requests"].get(key)
            if doc is not None:
                self._set("requests", request_id, doc)
                for entry_id, entry in tables["time"].items():
                    if entry.get("request") == request_id:
                        self._set("time", int(entry_id), entry)
                return doc
        return None

    def archive_old(self, today: date) -> int:
        """Move what closed before the cutoff to the archives. Returns how many requests moved."""
        cutoff = archive_cutoff(today)
        timer = self.timer
        keep = {timer.request_id} if timer and timer.request_id else set()
        moving = partition(self.tables["requests"], self.tables["time"], cutoff, keep)
        for year, (requests, entries) in moving.items():
            archive = self._archive(year)
            archive["requests"].update(requests)
            archive["time"].update(entries)
            for key in requests:
                self.tables["requests"].pop(key)
            for key in entries:
                self.tables["time"].pop(key)
        self.set_meta(archived_before=cutoff.isoformat())
        self.checkpoint = True
        return sum(len(r) for r, _ in moving.values())

    def commit(self) -> None:
        # Archives first, then the hot data: see the module docstring.
        for year, tables in self._archives.items():
            self._store.archive_file(year).save(tables)
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


def partition(
    requests: dict[str, dict[str, Any]],
    entries: dict[str, dict[str, Any]],
    cutoff: date,
    keep: set[int] | frozenset[int] = frozenset(),
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """What moves to which archive: requests closed before `cutoff` whose time all started
    before it (with that time, to the school year the request was created in), and
    unlinked time that started before it (to its own school year)."""
    cutoff_text = cutoff.isoformat()
    by_request: dict[int | None, list[str]] = {}
    for key, entry in entries.items():
        by_request.setdefault(entry.get("request"), []).append(key)
    moving: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for key, doc in requests.items():
        last = doc["events"][-1]
        if last["type"] != "closed" or last["at"] >= cutoff_text or int(key) in keep:
            continue
        linked = by_request.get(int(key), [])
        if any(entries[e]["start"] >= cutoff_text for e in linked):
            continue
        reqs, times = moving.setdefault(
            school_year(date.fromisoformat(doc["events"][0]["at"][:10])), ({}, {})
        )
        reqs[key] = doc
        times.update((e, entries[e]) for e in linked)
    for key in by_request.get(None, []):
        start = entries[key]["start"]
        if start < cutoff_text:
            moving.setdefault(school_year(date.fromisoformat(start[:10])), ({}, {}))[1][key] = entries[key]
    return moving


class Store:
    """The data folder. Reads need no lock; every write is one locked, durable transaction."""

    def __init__(self, data_dir: Path, *, lock_timeout: float = 10.0, backups_kept: int = 30) -> None:
        self.dir = private_dir(Path(data_dir))
        self.hot = HotFile(self.dir / HOT_NAME, self.dir / JOURNAL_NAME, self.problem)
        self.lock_timeout = lock_timeout
        self.backups_kept = backups_kept
        self._archives: dict[str, DataFile] = {}
        self._mutex = threading.RLock()
        self._startup()

    # -- files -------------------------------------------------------------------------
    def problem(self, path: Path, what: str) -> DataFileError:
        name = HOT_NAME if path.name == JOURNAL_NAME else path.name
        return DataFileError(path, what, self.newest_good_backup(name))

    def archive_years(self) -> list[str]:
        with os.scandir(self.dir) as entries:
            return sorted(m[1] for e in entries if (m := _ARCHIVE_NAME.fullmatch(e.name)))

    def archive_file(self, year: str) -> DataFile:
        if year not in self._archives:
            self._archives[year] = DataFile(self.dir / f"archive-{year}.json", "archive", self.problem)
        return self._archives[year]

    def data_files(self) -> list[DataFile]:
        """The archives, oldest first, then the hot file."""
        return [*(self.archive_file(y) for y in self.archive_years()), self.hot]

    def _forget_all(self) -> None:
        for f in [self.hot, *self._archives.values()]:
            f.forget()

    def _lock(self) -> FileLock:
        return FileLock(self.dir / LOCK_NAME, self.lock_timeout)

    def _startup(self) -> None:
        """Clean temp files a killed writer left, migrate old schemas, check the hot file."""
        if not self.hot.exists() and (self.archive_years() or self.backups()):
            raise self.problem(self.hot.path, "is missing although archives or backups exist")
        needs_migration = (schema_of(self.hot.load(migrate=True)) or SCHEMA_VERSION) < SCHEMA_VERSION
        if stale_temps(self.dir) or needs_migration:
            with self._mutex, self._lock():
                for tmp in stale_temps(self.dir):
                    tmp.unlink(missing_ok=True)
                self._forget_all()
                if (schema_of(self.hot.load(migrate=True)) or SCHEMA_VERSION) < SCHEMA_VERSION:
                    self._migrate()

    def _migrate(self) -> None:
        """Bring every file to the current schema, the hot file last: its schema speaks for all."""
        self.backup("pre-migration")
        for f in self.data_files():
            tables = f.load(migrate=True)
            assert tables is not None
            version = schema_of(tables) or 0
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](tables)
                version += 1
                tables["meta"]["1"]["schema"] = version
            f.save(tables)

    # -- reading -----------------------------------------------------------------------
    def snapshot(self) -> tuple[dict[int, Request], dict[int, TimeEntry], Timer | None]:
        """What the hot data holds: open and recent requests, recent time, the timer."""
        with self._mutex:
            return self.hot.parsed(_parse)

    def everything(self) -> tuple[dict[int, Request], dict[int, TimeEntry]]:
        """All requests and time entries, from the archives and the hot data (which wins)."""
        requests: dict[int, Request] = {}
        entries: dict[int, TimeEntry] = {}
        with self._mutex:
            for f in self.data_files():
                file_requests, file_entries, _ = f.parsed(_parse)
                requests |= file_requests
                entries |= file_entries
        return requests, entries

    def find(self, request_id: int) -> tuple[Request, list[TimeEntry]] | None:
        """One request and its time, from the hot data or else the archive that holds it."""
        with self._mutex:
            for f in reversed(self.data_files()):
                requests, entries, _ = f.parsed(_parse)
                if request_id in requests:
                    mine = [t for t in entries.values() if t.request_id == request_id]
                    return requests[request_id], mine
        return None

    def changed(self) -> bool:
        """Whether another process changed the hot data since it was last read here."""
        with self._mutex:
            return self.hot.is_stale()

    # -- writing -----------------------------------------------------------------------
    @contextmanager
    def transaction(self, today: date) -> Iterator[Transaction]:
        """Lock, read the newest data, let the caller change it, and save it durably.

        The first write of a day makes the daily backup; the first of a week moves old
        closed requests to the archives. If the body raises, nothing is saved.
        """
        with self._mutex, self._lock():
            try:
                tx = Transaction(self, self.hot.load() or new_tables("hot"))
                first_today = tx.meta.get("last_backup") != today.isoformat()
                if first_today:
                    tx.set_meta(last_backup=today.isoformat())
                if tx.meta.get("archived_before", "") < archive_cutoff(today).isoformat():
                    tx.archive_old(today)
                yield tx
                # Only now, so a refused action writes nothing; the files still hold yesterday.
                if first_today and self.hot.exists():
                    self.backup("daily")
                tx.commit()
            except BaseException:
                self._forget_all()  # the body changed cached tables in place
                raise

    def load_all(self, requests: Iterable[Request], entries: Iterable[TimeEntry], today: date) -> None:
        """Fill an empty store in one go (demo and benchmark data), archived as it would be."""
        with self._mutex, self._lock():
            if self.hot.exists() or self.archive_years():
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
        root = self.dir / BACKUPS_NAME
        if not root.is_dir():
            return []
        return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def newest_good_backup(self, file_name: str) -> Path | None:
        for backup in reversed(self.backups()):
            candidate = backup / file_name
            if candidate.exists():
                try:
                    read_tables(candidate, lambda p, w: StoreError(w))
                except StoreError:
                    continue
                return backup
        return None

    def backup(self, reason: str = "manual") -> Path:
        """Copy the data files into a new backup folder and drop the oldest beyond the number
        kept. A file unchanged since the previous backup is hard-linked to that backup's
        copy, so years of archives are not copied again every day."""
        with self._mutex:
            root = private_dir(self.dir / BACKUPS_NAME)
            previous = self.backups()[-1:]
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S.%f")  # sortable, and unique in practice
            target, n = root / f"{stamp}-{reason}", 1
            while target.exists():
                n += 1
                target = root / f"{stamp}-{reason}-{n}"
            staging = root / f".{target.name}.tmp"
            shutil.rmtree(staging, ignore_errors=True)
            private_dir(staging)
            for source in self._files_to_keep():
                _copy_or_link(source, staging / source.name, previous[0] / source.name if previous else None)
            staging.rename(target)
            for old in self.backups()[: -self.backups_kept]:
                shutil.rmtree(old)
            return target

    def _files_to_keep(self) -> list[Path]:
        with os.scandir(self.dir) as entries:
            return sorted(Path(e.path) for e in entries if _KEPT_FILES.fullmatch(e.name))

    def resolve_backup(self, name: str) -> Path:
        root = self.dir / BACKUPS_NAME
        candidate = Path(name) if Path(name).is_absolute() else root / name
        if not candidate.is_dir() or candidate.parent != root:
            raise TriageError(f"there is no backup named '{name}'; `triage backup --list` shows them")
        return candidate

    def restore(self, name: str) -> tuple[Path, Path]:
        """Bring a backup back. What is there now is backed up first, so nothing is lost.
        Returns (the backup restored, the backup of what was replaced)."""
        source = self.resolve_backup(name)
        files = sorted(p for p in source.iterdir() if _KEPT_FILES.fullmatch(p.name))
        if not any(f.name == HOT_NAME for f in files):
            raise StoreError(f"backup {source.name} has no {HOT_NAME}; nothing was restored")
        for f in files:
            if f.name.endswith(".json"):
                read_tables(f, lambda p, w: StoreError(f"backup file {p} {w}; nothing was restored"))
        with self._mutex, self._lock():
            before = self.backup("pre-restore")
            for f in files:
                atomic_write(self.dir / f.name, f.read_bytes())
            names = {f.name for f in files}
            for current in self._files_to_keep():
                if current.name not in names:
                    current.unlink()
            self._forget_all()
        return source, before


def _copy_or_link(source: Path, target: Path, previous: Path | None) -> None:
    """Copy `source`, or hard-link the previous backup's copy when it is the same file.

    Never a link to the live file: damage written into it must not reach the backups."""
    if previous is not None and previous.exists():
        a, b = source.stat(), previous.stat()
        if (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns):
            try:
                os.link(previous, target)
                return
            except OSError:
                pass
    shutil.copy2(source, target)
    os.chmod(target, FILE_MODE)


def _parse(tables: Tables) -> tuple[dict[int, Request], dict[int, TimeEntry], Timer | None]:
    requests = {int(k): Request.from_doc(int(k), doc) for k, doc in tables.get("requests", {}).items()}
    entries = {int(k): TimeEntry.from_doc(int(k), doc) for k, doc in tables.get("time", {}).items()}
    timer_doc = tables.get("timer", {}).get("1")
    return requests, entries, None if timer_doc is None else Timer.from_doc(timer_doc)
