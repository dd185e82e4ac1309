from __future__ import annotations

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
