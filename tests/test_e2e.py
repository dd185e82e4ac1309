"""End to end: the installed `triage`, built as a wheel and installed into a fresh virtual
environment, driven in a real pseudo-terminal while other processes change its data.

Every process a test starts shares one clock, moved to Thursday 26 November 2026, 10:00
(TRIAGE_CLOCK_OFFSET), so no test depends on the real date.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT, Installed

from benchmarks.terminal import Terminal

pytestmark = pytest.mark.slow

THURSDAY_10 = datetime(2026, 11, 26, 10, 0)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "TRIAGE_"))}
    return environ | {
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path / "home"),
        "TRIAGE_DATA_DIR": str(tmp_path / "data"),
        "TRIAGE_CLOCK_OFFSET": str((THURSDAY_10 - datetime.now()).total_seconds()),
    }


@pytest.fixture
def shell(installed: Installed, env: dict[str, str]):
    """Run `triage ARGS` as a user would in another terminal; its output, parsed if JSON."""

    def run(*args: str) -> str | dict:
        done = subprocess.run(
            [str(installed.command), *args], env=env, capture_output=True, text=True, timeout=30
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if "--json" in args else done.stdout

    return run


@pytest.fixture
def app(installed: Installed, env: dict[str, str]) -> Iterator[Terminal]:
    terminal = Terminal([str(installed.command)], env)
    yield terminal
    terminal.close()


def lane_count(text: str, lane: str) -> int | None:
    found = re.search(rf"{lane} \((\d+)\)", text)
    return int(found[1]) if found else None


def test_the_wheel_carries_every_file_the_app_needs(installed: Installed) -> None:
    if installed.wheel is None:
        pytest.skip("TRIAGE_E2E_COMMAND names an installed command; there is no wheel to look into")
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    package = ROOT / "triage_tui"
    needed = {
        str(path.relative_to(ROOT))
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert "triage_tui/ui/triage.tcss" in needed
    assert needed <= names, needed - names


def test_first_paint_on_an_empty_store(app: Terminal) -> None:
    app.wait_for("Welcome. Three keys do most of the work")
    app.wait_for("q Quit")  # the footer comes right after the queue
    text = app.text()
    for words in ("Now (0) — Nothing due today.", "Later (0)", "no timer", "a Add"):
        assert words in text


def test_adding_through_the_form(app: Terminal, shell) -> None:
    app.wait_for("Now (0)")
    app.press("a")
    app.wait_for("New request")
    app.type("7B-ER")
    app.press("tab", "t", "tab")  # from: teacher
    app.type("Conflict in the break")
    app.press("tab", "1", "enter")  # urgency: now
    app.wait_for("Latest: classified now, due Thu 26.11")  # the preview of the request just added
    text = app.text()
    assert "Now (1)" in text and "#1 7B-ER · teacher · Conflict in the break" in text
    request = shell("show", "1", "--json")
    assert (request["pupil"], request["source"], request["urgency"], request["due"]) == (
        "7B-ER", "teacher", "now", "2026-11-26",
    )  # fmt: skip


def test_ten_adds_from_another_process_each_on_screen_within_a_second(app: Terminal, shell) -> None:
    for n in range(3):
        shell("add", f"before {n}", "--pupil", f"B{n}", "--urgency", "now")
    app.wait_for("Now (3)")
    rng = random.Random(11)
    waits = []
    for n in range(1, 11):
        time.sleep(rng.uniform(0.05, 1.5))
        shell("add", f"outside {n}", "--pupil", f"X{n}", "--urgency", "now")  # acknowledged now
        waits.append(
            app.wait_until(lambda text, n=n: lane_count(text, "Now") == 3 + n, 3.0, f"Now ({3 + n})")
        )
    assert max(waits) <= 1.0, [round(w, 2) for w in waits]


def test_the_timer_runs_across_processes_and_survives_quitting(app: Terminal, installed, env, shell) -> None:
    shell("add", "Sad after PE", "--pupil", "8A-KL", "--urgency", "now", "--at", "08:50")
    app.wait_for("Now (1)")
    app.press("t")
    app.wait_for("Start the timer")  # what for: conversation, on #1
    app.press("enter")
    app.wait_until(lambda text: re.search(r"⏱ 0:00:0[1-9] on #1", text) is not None, what="a ticking timer")
    assert shell("list", "--json")["timer"]["request"] == 1
    app.press("q")
    assert app.wait_exit() == 0
    said = " ".join(app.output.decode(errors="replace").split()[-40:])
    assert "The timer on #1 keeps running" in said

    shell("stop")  # a stop from the shell within the minute logs nothing
    shell("start", "1", "--at", "09:30")  # she started it half an hour ago
    again = Terminal([str(installed.command)], env)
    try:
        again.wait_until(lambda text: re.search(r"⏱ 0:30:\d\d on #1", text) is not None, what="30 minutes")
        again.press("t")
        again.wait_for("Logged 30 min on #1: when is the next step?")  # a contact: what next?
        again.type("fri")
        again.press("enter")
        again.wait_for("Follow-up · next step Fri 27.11")
        text = again.text()
        assert "no timer" in text and "Tomorrow (1)" in text
    finally:
        again.close()
    (entry,) = shell("show", "1", "--json")["time"]
    assert (entry["start"], entry["minutes"], entry["activity"]) == (
        "2026-11-26T09:30:00",
        30,
        "conversation",
    )


def test_norwegian(installed: Installed, env: dict[str, str], shell) -> None:
    shell("add", "Konflikt i friminuttet", "--pupil", "7B-ER", "--urgency", "now")
    terminal = Terminal([str(installed.command)], env | {"LANG": "nb_NO.UTF-8"})
    try:
        shown = (
            "Nå (1)",
            "I morgen (0)",
            "Senere (0)",
            "Konflikt i friminuttet",
            "tor 26.11",
            "Elev",
            "q Avslutt",
        )
        terminal.wait_until(lambda text: all(words in text for words in shown), what=f"all of {shown}")
        terminal.press("a")
        terminal.wait_for("Ny henvendelse")
        terminal.type("9C")
        terminal.press("tab", "tab")
        terminal.type("Ber om en samtale")
        terminal.press("enter")
        terminal.wait_for("Senere (1)")
    finally:
        terminal.close()


def test_a_resize_to_80_by_24_redraws_everything(app: Terminal, shell) -> None:
    for n in range(12):
        shell("add", f"request {n} with a summary long enough to be cut", "--pupil", f"P{n}",
              "--urgency", ("now", "tomorrow", "later")[n % 3])  # fmt: skip
    app.wait_for("Later (4)")
    app.resize(80, 24)
    app.wait_until(lambda text: len(text.splitlines()) == 24 and "Now (4)" in text, what="80×24")
    lines = app.text().splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith("╭─ Now (4)")
    assert any("today 0 min of 7 h 30" in line for line in lines)  # the status line, fitted
    app.press("a")
    app.wait_for("New request")


def test_quit_then_a_restart_shows_everything(app: Terminal, installed, env, shell) -> None:
    app.wait_for("Now (0)")
    for pupil, summary, urgency in (("1A", "first", "1"), ("2B", "second", "2")):
        app.press("a")
        app.wait_for("New request")
        app.type(pupil)
        app.press("tab", "tab")
        app.type(summary)
        app.press("tab", urgency, "tab")
        app.type("09:00")  # it came in at nine: time on it may start then
        app.press("enter")
        app.wait_for(f"#{1 if pupil == '1A' else 2} {pupil} · pupil · {summary}")
    app.press("l")
    app.wait_for("Log time")
    app.type("45")
    app.press("tab", "m", "enter")  # a meeting, on the selected request, with no next step
    app.wait_for("#2 is a follow-up now")  # a notice: it went to the folded Ongoing lane
    app.press("q")
    assert app.wait_exit() == 0

    again = Terminal([str(installed.command)], env)
    try:
        shown = ("Now (1)", "Tomorrow (0)", "Ongoing (1)", "first", "today 45 min of 7 h 30")
        again.wait_until(lambda text: all(words in text for words in shown), what=f"all of {shown}")
    finally:
        again.close()
    listed = shell("list", "--json")
    # The cursor followed the request just added, so the time went on #2.
    assert [(r["pupil"], r["summary"], r["minutes"]) for r in listed["requests"]] == [
        ("1A", "first", 0), ("2B", "second", 45),
    ]  # fmt: skip
