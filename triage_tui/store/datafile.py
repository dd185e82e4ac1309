"""Data files: TinyDB JSON documents ({table: {doc_id: doc}}), cached until they change.

The hot file adds a journal: each action appends one line of changed documents and fsyncs
it, so an action costs the same however much the hot file holds. Now and then the journal
is folded into a new checkpoint of the hot file (written atomically) and emptied.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from .errors import FileAccessError, StoreError, SymlinkRefused
from .files import atomic_write, fsync_dir, naming, open_no_link, read_no_link
from .shape import misshapen

SCHEMA_VERSION = 3  # 3: instants carry their UTC offset
Tables = dict[str, dict[str, dict[str, Any]]]
Problem = Callable[[Path, str], StoreError]
Signature = tuple[int, int, int]


def new_tables(kind: str) -> Tables:
    meta: dict[str, Any] = {"schema": SCHEMA_VERSION, "kind": kind}
    if kind == "hot":
        meta |= {"next_request": 1, "next_time": 1, "journal_seq": 0}
    return {"meta": {"1": meta}, "requests": {}, "time": {}}


def schema_of(tables: Any) -> int | None:
    try:
        schema = tables["meta"]["1"]["schema"]
    except (KeyError, TypeError):
        return None
    return schema if isinstance(schema, int) and not isinstance(schema, bool) else None


def signature(path: Path) -> Signature | None:
    try:
        st = os.lstat(path)  # a symlink is refused when read, never followed
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def read_tables(path: Path, problem: Problem, *, migrate: bool = False) -> Tables:
    """Read and check one data file; an older schema is refused unless `migrate`."""
    try:
        raw = read_no_link(path)
    except SymlinkRefused:
        raise
    except OSError as e:  # not damage: the file may be fine, and repair would not help
        raise FileAccessError(e, "nothing was changed", path, "read") from None
    if not raw.strip():
        raise problem(path, "is empty")
    try:
        tables = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise problem(path, "is not readable JSON (damaged?)") from None
    schema = schema_of(tables)
    if schema is None:
        raise problem(path, "is not a triage-tui data file")
    if schema > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer triage-tui (schema {schema}, this one knows {SCHEMA_VERSION}); "
            "it has been left untouched: update triage-tui to read it"
        )
    if schema < SCHEMA_VERSION and not migrate:
        raise problem(path, f"has the old schema {schema} and needs migrating")
    if not all(isinstance(tables.get(table), dict) for table in ("requests", "time")):
        raise problem(path, "has no table of requests or of time")
    bad = misshapen(tables)
    if bad is not None:
        raise problem(path, f"has a badly shaped {bad}")
    return tables


class DataFile(Storage):
    """One data file, as a TinyDB storage that writes atomically and caches what it read."""

    def __init__(self, path: Path, kind: str, problem: Problem) -> None:
        self.path = path
        self.kind = kind
        self.problem = problem
        self._signature: Signature | None = None
        self._tables: Tables | None = None
        self._parsed: Any = None

    def exists(self) -> bool:
        return os.path.lexists(self.path)

    def load(self, *, migrate: bool = False) -> Tables | None:
        """The tables (None if the file does not exist), read again only when it changed."""
        current = signature(self.path)
        if current is None:
            self.forget()
        elif current != self._signature:
            self._tables, self._signature, self._parsed = (
                read_tables(self.path, self.problem, migrate=migrate),
                current,
                None,
            )
        return self._tables

    def parsed(self, parse: Callable[[Tables], Any]) -> Any:
        """`parse(tables)`, cached while the file is unchanged."""
        tables = self.load()
        if tables is None:
            return parse(new_tables(self.kind))
        if self._parsed is None:
            self._parsed = parse(tables)
        return self._parsed

    def save(self, tables: Tables) -> None:
        atomic_write(self.path, orjson.dumps(tables))
        self._tables, self._signature, self._parsed = tables, signature(self.path), None

    def forget(self) -> None:
        self._tables, self._signature, self._parsed = None, None, None

    # TinyDB's storage interface, so `TinyDB(storage=lambda: data_file)` reads these files.
    def read(self) -> Tables | None:
        return self.load()

    def write(self, data: Tables) -> None:
        self.save(data)


class HotFile(DataFile):
    """The hot file: its checkpoint plus the journal of changes made since."""

    CHECKPOINT_BYTES = 256 * 1024  # fold the journal in once it is this long

    def __init__(self, path: Path, journal: Path, problem: Problem) -> None:
        super().__init__(path, "hot", problem)
        self.journal = journal
        self._journal_inode: int | None = None
        self._journal_offset = 0  # bytes of the journal applied to the tables
        self._journal_seen = 0  # bytes of the journal read, a torn last line included

    def load(self, *, migrate: bool = False) -> Tables | None:
        for _ in range(10):
            checkpoint = signature(self.path)
            if checkpoint != self._signature:
                self.forget()
            tables = super().load(migrate=migrate)
            if tables is None:
                return None
            if self._apply_journal(tables) and signature(self.path) == checkpoint:
                return tables
            # A writer made a new checkpoint while we read: read both again.
            self.forget()
        raise StoreError(f"{self.path} kept changing while being read; try again")

    def forget(self) -> None:
        super().forget()
        self._journal_inode, self._journal_offset, self._journal_seen = None, 0, 0

    def _apply_journal(self, tables: Tables) -> bool:
        """Apply the journal lines not applied yet. False if the journal was replaced under us."""
        try:
            f = open(open_no_link(self.journal, os.O_RDONLY), "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            return True
        except OSError as e:  # as in `read_tables`
            raise FileAccessError(e, "nothing was changed", self.journal, "read") from None
        with f:
            inode = os.fstat(f.fileno()).st_ino
            if inode != self._journal_inode:
                if self._journal_offset:
                    return False
                self._journal_inode = inode
            f.seek(self._journal_offset)
            data = f.read()
        self._journal_seen = self._journal_offset + len(data)
        # Only a last line without its newline is a torn write, never acknowledged: its writer
        # died before its fsync returned, and the next write cuts it off. A whole line that
        # does not parse may have been acknowledged: it is damage, and refused wherever it is.
        lines = data.split(b"\n")[:-1]
        seq = tables["meta"]["1"].get("journal_seq", 0)
        for line in lines:
            change, problem = journal_line(line, seq)
            if problem is not None:
                raise self.problem(self.journal, problem)
            if change is not None:
                apply_change(tables, change)
                seq = change["seq"]
            self._journal_offset += len(line) + 1
            self._parsed = None
        return True

    def append(self, tables: Tables, change: dict[str, Any]) -> None:
        """Make `change` (already applied to `tables`) durable as one journal line."""
        line = orjson.dumps(change) + b"\n"
        created = not os.path.lexists(self.journal)
        fd = open_no_link(self.journal, os.O_WRONLY | os.O_CREAT)
        try:
            size = os.fstat(fd).st_size
            if size != self._journal_offset:  # drop a torn line a killed writer left
                os.ftruncate(fd, self._journal_offset)
            os.lseek(fd, self._journal_offset, os.SEEK_SET)
            with naming(self.journal):
                try:
                    view = memoryview(line)
                    while view:
                        view = view[os.write(fd, view) :]
                    (os.fdatasync if hasattr(os, "fdatasync") else os.fsync)(fd)
                except OSError:
                    with suppress(OSError):  # not durable, so not acknowledged: take it back whole
                        os.ftruncate(fd, self._journal_offset)
                    raise
            self._journal_inode = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.journal.parent)
        self._journal_offset += len(line)
        self._journal_seen = self._journal_offset
        self._tables, self._parsed = tables, None
        if self._journal_offset >= self.CHECKPOINT_BYTES:
            with suppress(OSError):  # the action is durable in the journal; a later write folds it in
                self.save(tables)

    def save(self, tables: Tables) -> None:
        """Write a checkpoint, then empty the journal (its lines are in the checkpoint now).
        Once the checkpoint is written the action is saved: should emptying the journal fail,
        its lines, all older than the checkpoint, are skipped when read, and appended after."""
        super().save(tables)
        try:
            atomic_write(self.journal, b"")
        except OSError:
            try:
                kept = os.lstat(self.journal)
            except FileNotFoundError:
                kept = None
            self._journal_inode = kept.st_ino if kept else None
            self._journal_offset = self._journal_seen = kept.st_size if kept else 0
            return
        self._journal_inode, self._journal_offset, self._journal_seen = os.lstat(self.journal).st_ino, 0, 0


def journal_line(line: bytes, seq: int) -> tuple[dict[str, Any] | None, str | None]:
    """One whole journal line read against a checkpoint at `seq`: (the change to apply, None),
    (None, None) for a line folded into the checkpoint already, or (None, what is wrong)."""
    try:
        change = orjson.loads(line)
    except orjson.JSONDecodeError:
        change = None
    if not isinstance(change, dict) or not isinstance(change.get("seq"), int):
        return None, "has a damaged line"
    if change["seq"] <= seq:
        return None, None
    bad = misshapen(change.get("set", {}))
    return (None, f"has a line with a badly shaped {bad}") if bad is not None else (change, None)


def apply_change(tables: Tables, change: dict[str, Any]) -> None:
    for table, docs in change.get("set", {}).items():
        tables.setdefault(table, {}).update(docs)
    for table, keys in change.get("delete", {}).items():
        for key in keys:
            tables.get(table, {}).pop(key, None)
    tables["meta"]["1"]["journal_seq"] = change["seq"]
