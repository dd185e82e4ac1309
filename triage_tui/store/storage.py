"""The store: a small hot file written on every action, and per-school-year archives.

Layout of the data folder:

    triage.json              open requests, recently closed ones, recent time, the timer
    archive-2025-26.json     requests created in that school year and closed before the
                             previous ISO week, their time entries, and old unlinked time
    triage.lock              the sidecar lock: one writer at a time, across processes
    backups/<stamp>-<why>/   copies of the data files (one a day, one before migrations)

Every file is a TinyDB document store ({table: {doc_id: doc}}) with a `meta` table.
Each write is a read-modify-write under the lock, made durable before it returns. Writes
touch the archives only once a week, when old closed requests move there, so the cost of
an action does not grow with the years of history.

Crash safety of moving between files: a request (or time entry) present in both the hot
file and an archive is read from the hot file. Archival writes the archive first and the
hot file second; bringing a request back (reopen, new time) writes only the hot file and
leaves the archive's stale copy, which the next archival overwrites.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from ..core.model import Request, TimeEntry, Timer
from .errors import DataFileError, StoreError
from .files import FILE_MODE, FileLock, atomic_write, private_dir, stale_temps

SCHEMA_VERSION = 1
# Migrations from version n to n + 1, each changing one file's data in place.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {}

HOT_NAME = "triage.json"
LOCK_NAME = "triage.lock"
BACKUPS_NAME = "backups"
_ARCHIVE_NAME = re.compile(r"archive-\d{4}-\d{2}\.json")
_KEPT_FILES = re.compile(r"(triage\.json|archive-\d{4}-\d{2}\.json|config\.toml)")

Tables = dict[str, dict[str, dict[str, Any]]]


def school_year(d: date) -> str:
    """The school year (August to July) a date belongs to, as in `2025-26`."""
    first = d.year if d.month >= 8 else d.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def archive_name(year: str) -> str:
    return f"archive-{year}.json"


def archive_cutoff(today: date) -> date:
    """Requests closed before the Monday of last ISO week move to the archives."""
    return today - timedelta(days=today.weekday() + 7)


def _new_tables(kind: str) -> Tables:
    meta: dict[str, Any] = {"schema": SCHEMA_VERSION, "kind": kind}
    if kind == "hot":
        meta |= {"next_request": 1, "next_time": 1}
    return {"meta": {"1": meta}, "requests": {}, "time": {}}


class _Staged(Storage):
    """TinyDB storage over tables in memory; the transaction writes them out once, at the end."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.dirty = False

    def read(self) -> Tables:
        return self.tables

    def write(self, data: Tables) -> None:
        self.tables = data
        self.dirty = True


def _tinydb(staged: _Staged) -> TinyDB:
    return TinyDB(storage=lambda: staged)


class DataFile:
    """One JSON data file, cached in memory until another process replaces it."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self._signature: tuple[int, int, int] | None = None
        self._tables: Tables | None = None
        self._parsed: Any = None

    def signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def exists(self) -> bool:
        return self.signature() is not None

    def load(self, problem: Callable[[Path, str], StoreError], *, migrate: bool = False) -> Tables | None:
        """The file's tables (None if it does not exist), re-read only when it changed.
        An older schema is refused unless `migrate`."""
        signature = self.signature()
        if signature is None:
            self.forget()
            return None
        if signature != self._signature:
            self._tables = read_tables(self.path, problem, migrate=migrate)
            self._signature, self._parsed = signature, None
        return self._tables

    def parsed(self, problem: Callable[[Path, str], StoreError], parse: Callable[[Tables], Any]) -> Any:
        """`parse(tables)`, cached as long as the file is unchanged."""
        tables = self.load(problem)
        if tables is None:
            return parse(_new_tables(self.kind))
        if self._parsed is None:
            self._parsed = parse(tables)
        return self._parsed

    def save(self, tables: Tables) -> None:
        atomic_write(self.path, orjson.dumps(tables))
        self._tables, self._signature, self._parsed = tables, self.signature(), None

    def forget(self) -> None:
        self._tables, self._signature, self._parsed = None, None, None


def read_tables(path: Path, problem: Callable[[Path, str], StoreError], *, migrate: bool = False) -> Tables:
    """Read and check one data file; older schemas are refused unless `migrate`."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise problem(path, f"cannot be read ({e.strerror})") from None
    if not raw.strip():
        raise problem(path, "is empty")
    try:
        tables = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise problem(path, "is not readable JSON (damaged?)") from None
    schema = _schema(tables)
    if schema is None:
        raise problem(path, "is not a triage-tui data file")
    if schema > SCHEMA_VERSION:
        raise problem(
            path, f"was written by a newer triage-tui (schema {schema}, this one knows {SCHEMA_VERSION})"
        )
    if schema < SCHEMA_VERSION and not migrate:
        raise problem(path, f"has the old schema {schema} and needs migrating")
    return tables


def _schema(tables: Any) -> int | None:
    try:
        schema = tables["meta"]["1"]["schema"]
    except (KeyError, TypeError):
        return None
    return schema if isinstance(schema, int) and not isinstance(schema, bool) else None


class Transaction:
    """What one action may read and change. Built by `Store.transaction`."""

    def __init__(self, store: Store, hot: Tables) -> None:
        self._store = store
        self._hot = _Staged(hot)
        self._db = _tinydb(self._hot)
        self._archives: dict[str, _Staged] = {}

    # -- the hot file ------------------------------------------------------------------
    @property
    def meta(self) -> dict[str, Any]:
        return dict(self._db.table("meta").get(doc_id=1) or {})

    def set_meta(self, **fields: Any) -> None:
        self._db.table("meta").update(fields, doc_ids=[1])

    def next_id(self, kind: str) -> int:
        """A new id for `request` or `time`, never used before."""
        key = f"next_{kind}"
        value = int(self.meta[key])
        self.set_meta(**{key: value + 1})
        return value

    def request(self, request_id: int) -> Request | None:
        """The request, brought back from its archive into the hot file if it was there."""
        doc = self._db.table("requests").get(doc_id=request_id)
        if doc is None:
            doc = self._unarchive(request_id)
        return None if doc is None else Request.from_doc(request_id, doc)

    def put_request(self, request: Request) -> None:
        self._db.table("requests").upsert(Document(request.to_doc(), doc_id=request.id))

    def put_time(self, entry: TimeEntry) -> None:
        self._db.table("time").upsert(Document(entry.to_doc(), doc_id=entry.id))

    def time_entries(self, request_id: int) -> list[TimeEntry]:
        """The request's time entries. The hot file holds all of them for its requests."""
        docs = self._hot.tables.get("time", {})
        return [
            TimeEntry.from_doc(int(k), doc) for k, doc in docs.items() if doc.get("request") == request_id
        ]

    @property
    def timer(self) -> Timer | None:
        doc = self._db.table("timer").get(doc_id=1)
        return None if doc is None else Timer.from_doc(doc)

    def set_timer(self, timer: Timer | None) -> None:
        table = self._db.table("timer")
        if timer is None:
            table.truncate()
        else:
            table.upsert(Document(timer.to_doc(), doc_id=1))

    # -- the archives ------------------------------------------------------------------
    def _archive(self, name: str) -> _Staged:
        if name not in self._archives:
            tables = self._store.archive_file(name).load(self._store.problem)
            self._archives[name] = _Staged(tables if tables is not None else _new_tables("archive"))
        return self._archives[name]

    def _unarchive(self, request_id: int) -> dict[str, Any] | None:
        key = str(request_id)
        for name in self._store.archive_names():
            tables = self._archive(name).tables
            doc = tables["requests"].get(key)
            if doc is not None:
                self._db.table("requests").upsert(Document(doc, doc_id=request_id))
                for entry_id, entry in tables["time"].items():
                    if entry.get("request") == request_id:
                        self._db.table("time").upsert(Document(entry, doc_id=int(entry_id)))
                return doc
        return None

    def archive_old(self, today: date) -> int:
        """Move what closed before the cutoff to the archives. Returns how many requests moved."""
        cutoff = archive_cutoff(today)
        timer = self.timer
        keep_open = {timer.request_id} if timer else set()
        hot = self._hot.tables
        moving, entries_moving = partition(hot["requests"], hot["time"], cutoff, keep_open)
        for year, (requests, entries) in moving.items():
            archive = _tinydb(self._archive(year))
            for key, doc in requests.items():
                archive.table("requests").upsert(Document(doc, doc_id=int(key)))
            for key, doc in entries.items():
                archive.table("time").upsert(Document(doc, doc_id=int(key)))
        moved = sum(len(r) for r, _ in moving.values())
        if moved:
            self._db.table("requests").remove(doc_ids=[int(k) for r, _ in moving.values() for k in r])
        if entries_moving:
            self._db.table("time").remove(doc_ids=[int(k) for k in entries_moving])
        self.set_meta(archived_before=cutoff.isoformat())
        return moved

    def commit(self) -> None:
        # Archives first, then the hot file: see the module docstring.
        for year, staged in self._archives.items():
            if staged.dirty:
                self._store.archive_file(year).save(staged.tables)
        if self._hot.dirty:
            self._store.hot.save(self._hot.tables)


def partition(
    requests: dict[str, dict[str, Any]],
    entries: dict[str, dict[str, Any]],
    cutoff: date,
    keep: set[int | None] = frozenset(),  # type: ignore[assignment]
) -> tuple[dict[str, tuple[dict[str, Any], dict[str, Any]]], set[str]]:
    """What moves to which archive: requests closed before `cutoff` whose time all started
    before it (with that time, by the school year the request was created in), and unlinked
    time that started before it (by its own school year). Returns ({year: (requests,
    entries)}, the ids of all entries that move)."""
    cutoff_text = cutoff.isoformat()
    by_request: dict[int, list[str]] = {}
    for key, entry in entries.items():
        by_request.setdefault(entry.get("request"), []).append(key)  # type: ignore[arg-type]
    moving: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    moved_entries: set[str] = set()

    def bucket(year: str) -> tuple[dict[str, Any], dict[str, Any]]:
        return moving.setdefault(year, ({}, {}))

    for key, doc in requests.items():
        last = doc["events"][-1]
        if last["type"] != "closed" or last["at"] >= cutoff_text or int(key) in keep:
            continue
        linked = by_request.get(int(key), [])
        if any(entries[e]["start"] >= cutoff_text for e in linked):
            continue
        reqs, times = bucket(school_year(date.fromisoformat(doc["events"][0]["at"][:10])))
        reqs[key] = doc
        for e in linked:
            times[e] = entries[e]
        moved_entries.update(linked)
    for key in by_request.get(None, []):  # type: ignore[call-overload]
        start = entries[key]["start"]
        if start < cutoff_text:
            bucket(school_year(date.fromisoformat(start[:10])))[1][key] = entries[key]
            moved_entries.add(key)
    return moving, moved_entries


class Store:
    """The data folder. Reads need no lock; every write is one locked, durable transaction."""

    def __init__(self, data_dir: Path, *, lock_timeout: float = 10.0, backups_kept: int = 30) -> None:
        self.dir = private_dir(Path(data_dir))
        self.hot = DataFile(self.dir / HOT_NAME, "hot")
        self.lock_timeout = lock_timeout
        self.backups_kept = backups_kept
        self._archives: dict[str, DataFile] = {}
        self._mutex = threading.RLock()
        self._startup()

    # -- errors and files --------------------------------------------------------------
    def problem(self, path: Path, what: str) -> DataFileError:
        return DataFileError(path, what, self.newest_good_backup(path.name))

    def archive_names(self) -> list[str]:
        with os.scandir(self.dir) as entries:
            names = sorted(e.name for e in entries if _ARCHIVE_NAME.fullmatch(e.name))
        return [name[len("archive-") : -len(".json")] for name in names]

    def archive_file(self, year: str) -> DataFile:
        if year not in self._archives:
            self._archives[year] = DataFile(self.dir / archive_name(year), "archive")
        return self._archives[year]

    def data_files(self) -> list[DataFile]:
        return [self.hot, *(self.archive_file(y) for y in self.archive_names())]

    def _lock(self) -> FileLock:
        return FileLock(self.dir / LOCK_NAME, self.lock_timeout)

    def _startup(self) -> None:
        """Clean temp files a killed writer left, migrate old schemas, check the hot file."""
        needs_migration = self._needs_migration()
        if stale_temps(self.dir) or needs_migration:
            with self._mutex, self._lock():
                for tmp in stale_temps(self.dir):
                    tmp.unlink(missing_ok=True)
                if self._needs_migration():
                    self._migrate()
        if not self.hot.exists() and (self.archive_names() or self.backups()):
            raise self.problem(self.hot.path, "is missing although archives or backups exist")
        self.hot.load(self.problem)

    def _needs_migration(self) -> bool:
        # All files migrate together and the hot file last, so its schema speaks for all.
        tables = self.hot.load(self.problem, migrate=True)
        return tables is not None and (_schema(tables) or 0) < SCHEMA_VERSION

    def _migrate(self) -> None:
        self.backup("pre-migration")
        for f in [*self.data_files()[1:], self.hot]:
            tables = read_tables(f.path, self.problem, migrate=True)
            version = _schema(tables) or 0
            if version == SCHEMA_VERSION:
                continue  # migrated already, before an interruption
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](tables)
                version += 1
                tables["meta"]["1"]["schema"] = version
            f.save(tables)

    # -- reading -----------------------------------------------------------------------
    def hot_tables(self) -> Tables:
        return self.hot.load(self.problem) or _new_tables("hot")

    def snapshot(self) -> tuple[dict[int, Request], dict[int, TimeEntry], Timer | None]:
        """What the hot file holds: open and recent requests, recent time, the timer."""
        return self.hot.parsed(self.problem, _parse_hot)

    def everything(self) -> tuple[dict[int, Request], dict[int, TimeEntry]]:
        """All requests and time entries, from the archives and the hot file (which wins)."""
        requests: dict[int, Request] = {}
        entries: dict[int, TimeEntry] = {}
        for f in self.data_files():
            file_requests, file_entries, _ = f.parsed(self.problem, _parse_hot)
            requests |= file_requests
            entries |= file_entries
        return requests, entries

    def find(self, request_id: int) -> tuple[Request, list[TimeEntry]] | None:
        """One request and its time, from the hot file or else the archive that holds it."""
        for f in self.data_files():
            requests, entries, _ = f.parsed(self.problem, _parse_hot)
            if request_id in requests:
                return requests[request_id], [t for t in entries.values() if t.request_id == request_id]
        return None

    # -- writing -----------------------------------------------------------------------
    @contextmanager
    def transaction(self, today: date) -> Iterator[Transaction]:
        """Lock, read the newest data, let the caller change it, and save it durably.

        The first write of a day makes the daily backup; the first of a week moves old
        closed requests to the archives. If the body raises, nothing is saved.
        """
        with self._mutex, self._lock():
            try:
                fresh = not self.hot.exists()
                tx = Transaction(self, self.hot_tables())
                meta = tx.meta
                if not fresh and meta.get("last_backup") != today.isoformat():
                    self.backup("daily")
                if fresh or meta.get("last_backup") != today.isoformat():
                    tx.set_meta(last_backup=today.isoformat())
                if meta.get("archived_before", "") < archive_cutoff(today).isoformat():
                    tx.archive_old(today)
                yield tx
                tx.commit()
            except BaseException:
                # The body may have changed cached tables in place: read them anew next time.
                for f in self.data_files():
                    f.forget()
                raise

    def load_all(self, requests: Iterable[Request], entries: Iterable[TimeEntry], timer: Timer | None,
                 today: date) -> None:
        """Fill an empty store in one go (demo and benchmark data), archived as it would be."""
        with self._mutex, self._lock():
            if self.data_files()[1:] or self.hot.exists():
                raise StoreError(f"{self.dir} already holds data; load_all needs an empty folder")
            hot = _new_tables("hot")
            hot["requests"] = {str(r.id): r.to_doc() for r in requests}
            hot["time"] = {str(t.id): t.to_doc() for t in entries}
            meta = hot["meta"]["1"]
            meta["next_request"] = max(map(int, hot["requests"]), default=0) + 1
            meta["next_time"] = max(map(int, hot["time"]), default=0) + 1
            meta["last_backup"] = today.isoformat()
            tx = Transaction(self, hot)
            tx.set_timer(timer)
            tx.archive_old(today)
            tx._hot.dirty = True
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
        kept. A file unchanged since the previous backup is hard-linked to that backup's copy,
        so five years of archives are not copied every day."""
        with self._mutex:
            root = private_dir(self.dir / BACKUPS_NAME)
            previous = self.backups()[-1:]
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
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
        candidate = Path(name)
        if not candidate.is_dir():
            candidate = self.dir / BACKUPS_NAME / name
        if not candidate.is_dir() or candidate.parent != self.dir / BACKUPS_NAME:
            raise StoreError(f"no backup named '{name}'; `triage backup --list` shows them")
        return candidate

    def restore(self, name: str) -> tuple[Path, Path]:
        """Bring a backup back. What is there now is backed up first, so nothing is lost.
        Returns (the backup restored, the backup of what was replaced)."""
        source = self.resolve_backup(name)
        files = sorted(p for p in source.iterdir() if _KEPT_FILES.fullmatch(p.name))
        for f in files:
            if f.suffix == ".json":
                read_tables(f, lambda p, w: StoreError(f"backup file {p} {w}; nothing was restored"))
        with self._mutex, self._lock():
            before = self.backup("pre-restore")
            names = {f.name for f in files}
            for f in files:
                atomic_write(self.dir / f.name, f.read_bytes())
            for current in self._files_to_keep():
                if current.name not in names:
                    current.unlink()
            for f in [self.hot, *self._archives.values()]:
                f.forget()
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


def _parse_hot(tables: Tables) -> tuple[dict[int, Request], dict[int, TimeEntry], Timer | None]:
    requests = {int(k): Request.from_doc(int(k), doc) for k, doc in tables.get("requests", {}).items()}
    entries = {int(k): TimeEntry.from_doc(int(k), doc) for k, doc in tables.get("time", {}).items()}
    timer_doc = tables.get("timer", {}).get("1")
    return requests, entries, None if timer_doc is None else Timer.from_doc(timer_doc)
