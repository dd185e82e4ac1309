from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import pytest


class Clock:
    """A clock the test moves by hand: `clock.now = datetime(...)`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True, scope="session")
def plain_machine():
    """Every test runs, and starts its processes, in UTC and in English, whatever the
    machine's zone and language: stored instants carry the UTC offset of the local time zone
    (see `local_zone` for others), and the language follows $LANG unless a test sets it."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    for name in ("LC_ALL", "LC_MESSAGES"):
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"


@pytest.fixture
def local_zone():
    """Sets this process's time zone for the test: `local_zone("Europe/Oslo")`."""
    before = os.environ.get("TZ")

    def use(name: str) -> None:
        if not Path("/usr/share/zoneinfo", name).exists():
            pytest.skip(f"this machine has no time zone data for {name}")
        os.environ["TZ"] = name
        time.tzset()

    yield use
    os.environ["TZ"] = before or "UTC"
    time.tzset()


class TypingTerminal:
    """Standard input as a terminal where the user types `answer` (for what asks first)."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.answer


def full_disk(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Writes into `folder` fail as on a full disk; the store writes its files with os.write."""
    write = os.write

    def full(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(f"{folder}/"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(fd, data)

    monkeypatch.setattr(os, "write", full)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 10, 0))  # a Thursday


# -- the installed command, for the end-to-end tests ------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Installed:
    command: Path  # the `triage` a user runs
    wheel: Path | None  # the wheel it came from (None when $TRIAGE_E2E_COMMAND named it)


def _source_key() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml", *sorted((ROOT / "triage_tui").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def installed() -> Installed:
    """The wheel built from this tree, installed into a fresh virtual environment, as a user
    installs it; kept under build/e2e until the source changes. $TRIAGE_E2E_COMMAND names an
    installed `triage` to test instead."""
    named = os.environ.get("TRIAGE_E2E_COMMAND")
    if named:
        return Installed(Path(named), None)
    home = ROOT / "build" / "e2e"
    place = home / _source_key()
    command, ready = place / "venv" / "bin" / "triage", place / "ready"
    if not ready.exists():
        if home.exists():
            shutil.rmtree(home)
        place.mkdir(parents=True)
        run = partial(subprocess.run, check=True, capture_output=True)
        run([sys.executable, "-m", "build", "--wheel", "--outdir", str(place / "dist"), str(ROOT)])
        run([sys.executable, "-m", "venv", str(place / "venv")])
        (wheel,) = (place / "dist").glob("*.whl")
        run([str(place / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
        ready.touch()
    (wheel,) = (place / "dist").glob("*.whl")
    return Installed(command, wheel)


def report_at(now: datetime, folder: Path, capsys, *args: str) -> tuple[int, str, str]:
    """`triage report ARGS` on `folder` at `now`: its exit code, stdout and stderr."""
    from triage_tui.cli import main

    try:
        code = main(["--data-dir", str(folder), "report", *args], clock=lambda: now)
    except SystemExit as e:  # argparse refuses bad arguments by exiting
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err
