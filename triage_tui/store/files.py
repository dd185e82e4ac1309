"""Private, atomic, locked files."""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import FileAccessError, StoreBusy, SymlinkRefused

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"
# Open the file itself, never what a link in its place points to (Windows has no such flag:
# there `open_no_link` checks with lstat first).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def private_dir(path: Path) -> Path:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != DIR_MODE:
        os.chmod(path, DIR_MODE)
    return path


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def refuse_link(path: Path) -> None:
    """Stop if `path` is a symlink: nothing inside the data folder may lead out of it."""
    if is_link(path):
        raise SymlinkRefused(path)


def open_no_link(path: Path, flags: int, mode: int = FILE_MODE) -> int:
    """`os.open`, refusing a symlink at `path` (the folders above it may be links)."""
    if not _NOFOLLOW:  # pragma: no cover - Windows
        refuse_link(path)
    try:
        fd = os.open(path, flags | _NOFOLLOW, mode)
    except OSError:
        refuse_link(path)  # O_NOFOLLOW fails with ELOOP (EMLINK on some BSDs) on a link
        raise
    if stat.S_ISDIR(os.fstat(fd).st_mode):  # a folder opens for reading, and its reads name no file
        os.close(fd)
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    return fd


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """Let an OSError in the block name `path`, the file the user knows: a full disk shows up
    in a write on a descriptor, which names no file, or on a temp file."""
    try:
        yield
    except OSError as e:
        raise OSError(e.errno, e.strerror, str(path)) from e  # of the same kind: FileNotFoundError...


def read_no_link(path: Path) -> bytes:
    """The bytes of the file at `path`, refusing a symlink there."""
    with open(open_no_link(path, os.O_RDONLY), "rb") as f:
        return f.read()


def atomic_write(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write a temp file beside `path`, fsync it, rename it over `path`, fsync the folder.

    A kill at any moment leaves either the old file or the new one, never a mix. A symlink
    at `path` is replaced, not followed: the rename puts the new file in its place. The new
    file is private unless `mode` says otherwise (a file of the user's, kept as they set it).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}{TEMP_SUFFIX}")
    with naming(path):
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            try:
                if mode != FILE_MODE and hasattr(os, "fchmod"):  # not on Windows
                    os.fchmod(fd, mode)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder; its renames are durable on return
        return
    with naming(path):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def stale_temps(directory: Path) -> list[Path]:
    with os.scandir(directory) as entries:
        return [Path(e.path) for e in entries if e.name.startswith(".") and e.name.endswith(TEMP_SUFFIX)]


class FileLock:
    """An exclusive lock on a sidecar file, shared by every process using the data folder."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        try:
            fd = open_no_link(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as e:  # taken first, so nothing has been done yet
            raise FileAccessError(e, "nothing was changed", self.path, "opened") from None
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                _lock(fd)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusy(self.path, self.timeout) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._fd is not None
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
