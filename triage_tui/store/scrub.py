"""Corrections leave no trace: text that an edit replaced, an undo took back or a purge
cleared is taken out of every copy of its document in the data folder (the hot data, the
archives and every backup, journals included) before the action is acknowledged.

A correction names documents, never the text that goes (it is kept, with the action, in the
hot data's meta until every copy is done, so that a writer killed half-way is finished by
the next):

    {"table": "requests", "key": "12", "fields": ["pupil"]}   every copy takes these fields
                                                              from the document as it is now
    {"table": "requests", "key": "12", "reasons": [3]}        every copy takes the reason of
                                                              event 3 from it as it is now
    {"table": "requests", "key": "12", "purge": true}         every copy loses its pupil code,
                                                              summary and reasons
    {"table": "time", "key": "3", "from": "<fingerprint>"}    a copy as an undone action left
                                                              it becomes what it is now (gone
                                                              if it is gone)

Each file is rewritten whole and atomically; copies that backups share by hard link are
rewritten once and linked again. Copies held in undo records (documents as they were before
an action) are corrected too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from .files import TEMP_SUFFIX, atomic_write, fsync_dir, read_no_link, stale_temps

Correction = dict[str, Any]
GONE = object()  # a document a correction removes


def fingerprint(doc: dict[str, Any] | None) -> str:
    """A short digest of a document as stored ("" for none)."""
    return "" if doc is None else hashlib.blake2b(orjson.dumps(doc), digest_size=8).hexdigest()


PURGED = "-"  # the pupil code and summary of a purged request


def purged(table: str, doc: dict[str, Any]) -> dict[str, Any]:
    """A request or time entry without its text: its numbers (classes, dates, minutes,
    outcomes) stay."""
    if table == "time":
        return {**doc, "note": None}
    events = [{**e, "why": None} if e.get("why") else e for e in doc.get("events", [])]
    return {**doc, "pupil": PURGED, "summary": PURGED, "events": events}


class Scrubber:
    """Applies corrections to documents, given the documents as they are now (`current`:
    table -> key -> document, None where it is gone)."""

    def __init__(self, corrections: list[Correction], current: dict[str, dict[str, Any]]) -> None:
        self.by_doc: dict[tuple[str, str], list[Correction]] = {}
        for c in corrections:
            self.by_doc.setdefault((c["table"], c["key"]), []).append(c)
        self.current = current

    def doc(self, table: str, key: str, doc: dict[str, Any] | None) -> Any:
        """The copy `doc` corrected (None stays None; GONE: remove it); `doc` itself if unchanged."""
        if doc is None:
            return None
        new: Any = doc
        for c in self.by_doc.get((table, key), ()):
            now = self.current.get(table, {}).get(key)
            if "from" in c:
                if fingerprint(new) == c["from"]:
                    new = GONE if now is None else now
            elif "purge" in c:
                new = purged(table, new)
            elif "reasons" in c and now is not None:
                events = list(new.get("events", []))
                for i in c["reasons"]:
                    if i < len(events) and i < len(now["events"]) and events[i].get("why"):
                        events[i] = {**events[i], "why": now["events"][i].get("why")}
                new = {**new, "events": events}
            elif now is not None:
                new = {**new, **{name: now.get(name) for name in c["fields"]}}
            if new is GONE:
                break
        return new if new is GONE or new != doc else doc

    def tables(self, tables: dict[str, Any]) -> bool:
        """Correct the copies in a file's tables (or a journal line's `set`), and in the undo
        records they hold. Whether anything changed."""
        changed = False
        for table, key in self.by_doc:
            docs = tables.get(table)
            if isinstance(docs, dict) and key in docs:
                changed |= self._put(docs, table, key)
        for record in (tables.get("undo") or {}).values():
            before = record.get("before") if isinstance(record, dict) else None
            for table, docs in before.items() if isinstance(before, dict) else ():
                for key in [k for k in docs if (table, k) in self.by_doc] if isinstance(docs, dict) else ():
                    if docs[key] is not None:
                        changed |= self._put(docs, table, key, gone=None)
        return changed

    def _put(self, docs: dict[str, Any], table: str, key: str, gone: Any = GONE) -> bool:
        new = self.doc(table, key, docs[key])
        if new is docs[key]:
            return False
        if new is GONE and gone is GONE:
            del docs[key]
        else:
            docs[key] = gone if new is GONE else new
        return True

    def file(self, raw: bytes, journal: bool) -> bytes | None:
        """A data file's new content, or None if it holds no copy to correct (or cannot be
        read: damage is for repair, and is left as it is)."""
        if not journal:
            try:
                tables = orjson.loads(raw)
            except orjson.JSONDecodeError:
                return None
            return orjson.dumps(tables) if isinstance(tables, dict) and self.tables(tables) else None
        lines, changed = raw.split(b"\n"), False
        for i, line in enumerate(lines[:-1]):  # the last is empty, or a torn write
            try:
                change = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            docs = change.get("set") if isinstance(change, dict) else None
            if isinstance(docs, dict) and self.tables(docs):
                lines[i], changed = orjson.dumps(change), True
        return b"\n".join(lines) if changed else None


def backup_files(backups: Iterable[Path]) -> dict[tuple[int, int], list[Path]]:
    """The data files in the backup folders, by inode: copies that backups share by hard link
    are one file. Stale temp files a killed rewrite left are removed."""
    files: dict[tuple[int, int], list[Path]] = {}
    for folder in backups:
        for tmp in stale_temps(folder):
            tmp.unlink(missing_ok=True)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False) and _is_data(entry.name):
                    info = entry.stat(follow_symlinks=False)
                    files.setdefault((info.st_dev, info.st_ino), []).append(Path(entry.path))
    return files


def _is_data(name: str) -> bool:
    return name.endswith(".json") or name.endswith(".journal")


def rewrite(paths: list[Path], scrubber: Scrubber, needles: list[bytes] | None) -> bool:
    """Correct one file (and every hard link to it). With `needles`, a file that holds none of
    them holds no copy to correct and is not parsed. Whether it was rewritten."""
    raw = read_no_link(paths[0])
    if needles is not None and not any(n in raw for n in needles):
        return False
    new = scrubber.file(raw, journal=paths[0].name.endswith(".journal"))
    if new is None:
        return False
    atomic_write(paths[0], new)
    for other in paths[1:]:  # linked again, each swapped in whole
        tmp = other.with_name(f".{other.name}.{os.getpid()}-{os.urandom(4).hex()}{TEMP_SUFFIX}")
        os.link(paths[0], tmp)
        os.replace(tmp, other)
        fsync_dir(other.parent)
    return True
