from __future__ import annotations

import errno
from pathlib import Path


class StoreError(Exception):
    """The data could not be read or written. The message names the file and what to do."""


class StoreBusy(StoreError):
    def __init__(self, lock: Path, seconds: float) -> None:
        super().__init__(
            f"another triage process has held {lock} for over {seconds:g} s; "
            "nothing was saved, try again in a moment"
        )


class SymlinkRefused(StoreError):
    """A symlink where the data folder keeps a file or folder of its own. It is never followed."""

    def __init__(self, link: Path) -> None:
        super().__init__(
            f"{link} is a symbolic link; triage-tui never follows links inside its data folder, "
            "so nothing was read or written there: put the real file or folder in its place"
        )
        self.path = link


class DataFileError(StoreError):
    """A data file that cannot be used as it is. It is never overwritten."""

    def __init__(self, path: Path, problem: str, backup: Path | None) -> None:
        if path.name == "triage.journal":
            hint = "`triage repair` keeps its intact lines and leaves out the damaged ones"
        elif backup is not None:
            hint = (
                f"the newest good backup is {backup}: `triage repair` takes the file from there "
                "and keeps all that is intact"
            )
        else:
            hint = "no good backup of it was found"
        super().__init__(f"{path} {problem}; it has been left untouched, and {hint}")
        self.path = path
        self.backup = backup


class FileAccessError(StoreError):
    """The system would not let a file of the data folder be read or written: a full disk, a
    read-only folder, a folder where the file should be. The message names the file and says
    what became of the action, never what the file holds; `key` and `values` let the app say
    it in the user's language."""

    _KEYS = {
        errno.ENOSPC: "disk_full",
        errno.EDQUOT: "disk_full",
        errno.EROFS: "read_only",
        errno.EACCES: "no_access",
        errno.EPERM: "no_access",
        errno.EISDIR: "is_folder",
    }

    def __init__(self, error: OSError, outcome: str = "", path: Path | None = None, doing: str = "") -> None:
        """`outcome`: what became of the action, if known; `path`: the file, if `error` does
        not name it; `doing`: what could not be done to it, if not written."""
        where = str(path or (error.filename if isinstance(error.filename, str) else "a file"))
        doing = doing or ("used" if error.errno in (errno.EISDIR, errno.ENOTDIR) else "written")
        reason = error.strerror or type(error).__name__
        message = f"{where} cannot be {doing} ({reason})"
        super().__init__(f"{message}; {outcome}" if outcome else message)
        self.path = where
        self.key = self._KEYS.get(error.errno or 0, "file_error")
        self.values = {"path": where, "reason": reason}
