"""Open all day: a scripted school day with the app in a real pseudo-terminal, on five years.

The app runs as she runs it, `triage` in a terminal (a pty; pyte keeps the screen). 300 keyed
actions go in as keys: moving through the lanes, opening a request and going back, the timer,
classifying (a downgrade asks why), and forms to add, postpone and close, typed a key at a
time. Meanwhile another process logs time now and then, 100 times. Measured:

- key to updated screen: from a key's sending to the arrival of the output that shows its
  effect (the emulator's own reading is not counted);
- outside change to screen: from the other process having it on disk to its arrival on screen
  (the day's logged time in the status line, which only that process changes here);
- the app's memory (VmRSS) once every kind of action has been done (every screen built),
  and at the end.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import typical_breaks  # noqa: E402
from benchmarks.terminal import Terminal  # noqa: E402
from triage_tui.core.calendar import SchoolCalendar  # noqa: E402

ACTIONS = int(os.environ.get("DAY_ACTIONS", 300))
OUTSIDE = 100
PAUSE = (0.2, 0.6)  # seconds between actions: a quick hand
KINDS = ("move", "open a form", "type a key", "save a form", "timer", "open a request", "classify")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The other process logs a minute of admin time now and then, and says when each is on disk.
OUTSIDE_WRITER = """
import random, sys, time
from pathlib import Path
from triage_tui.caseload import Caseload
from triage_tui.cli import system_clock

folder, count, seconds = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
rng = random.Random(5)
caseload = Caseload.open(folder, system_clock())
for n in range(count):
    time.sleep(rng.uniform(0, 2 * seconds / count))
    caseload.log(1, "admin", note=f"from another window {n}")
    print(time.monotonic(), flush=True)
"""


def minutes_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if hours else f"{rest} min"


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))


@dataclass
class Day:
    term: Terminal
    rng: random.Random
    today: date
    latencies: dict[str, list[float]] = field(default_factory=dict)
    skipped: int = 0

    def screen(self) -> str:
        return self.term.text()

    def preview(self, text: str | None = None) -> tuple[int | None, str]:
        """The selected request's number and its latest event, from the preview."""
        text = text or self.screen()
        found = re.search(r"^ #(\d+) ", text, re.MULTILINE)
        latest = re.search(r"^ Latest: (.*)$", text, re.MULTILINE)
        return (int(found[1]), latest[1] if latest else "") if found else (None, "")

    def key(self, kind: str, key: str, shown: Callable[[str], bool], limit: float = 5.0) -> bool:
        """Send `key`; time it until the screen shows `shown`. False if it never did (the
        app refused, say): that key is not counted."""
        sent = self.term.send(key)
        try:
            waited = self.term.wait_until(shown, limit, kind, since=sent)
        except AssertionError as refused:
            self.skipped += 1
            if os.environ.get("DAY_DEBUG"):
                print(f"{kind} {key!r} not shown:", refused, sep="\n")
            return False
        self.latencies.setdefault(kind, []).append(waited * 1000)
        return True

    def typed(self, text: str) -> None:
        """Type into the field with the focus, a key at a time, each echo timed: until a line
        that changed since the key was sent shows what is typed so far. (Anywhere on the
        screen would not do: "1" or "12" is in a form's title already, so the next key went
        before the app had the last, and was timed with the app's backlog.)"""
        for n in range(1, len(text) + 1):
            before = self.screen().splitlines()

            def echoed(screen: str, part: str = text[:n], before: list[str] = before) -> bool:
                lines = screen.splitlines()
                return any(part in line and line not in before[i : i + 1] for i, line in enumerate(lines))

            self.key("type a key", text[n - 1], echoed)

    def act(self, n: int) -> None:
        self.action(n)
        while shown_minutes(self.screen()) is None:  # a form the app refused to save: leave it
            self.term.press("escape")
            self.term.pump(0.3)

    def action(self, n: int) -> None:
        rng = self.rng
        for _ in range(rng.randint(1, 3)):  # move to another request
            before, _ = self.preview()
            key = rng.choice(("down", "down", "up", "tab"))
            self.key("move", key, lambda s, b=before: self.preview(s)[0] != b, limit=1.0)  # at an end: none
        request_id, latest = self.preview()
        kind = rng.choices(
            ("add", "classify", "postpone", "timer", "close", "open"), (20, 30, 15, 10, 10, 15)
        )[0]
        if request_id is None or kind == "add":
            code = f"D{n}"
            if not self.key("open a form", "a", lambda s: "New request" in s):
                return
            self.typed(code)
            self.term.press("tab", "tab")
            self.typed("today")
            self.term.press("tab", rng.choice("123"))
            self.key("save a form", "enter", lambda s: f" {code} · pupil · today" in s)
        elif kind == "classify":
            urgency = rng.choice(("now", "tomorrow", "later"))
            key = "123"[("now", "tomorrow", "later").index(urgency)]
            shown = re.search(rf"^│ *{request_id} .* \d\d\.\d\d (\w+) ", self.screen(), re.MULTILINE)
            if shown and shown[1] == urgency:
                return  # already that urgency: the app would refuse
            changed = self.key("classify", key, lambda s: f"→ {urgency}" in self.preview(s)[1], limit=1.0)
            if not changed and "Downgrade" in self.screen():  # a downgrade: it asks why
                self.key("save a form", "enter", lambda s: f"→ {urgency}" in self.preview(s)[1])
        elif kind == "postpone":
            due = self.today + timedelta(days=60 + n)  # later than any postponement before
            day = f"{WEEKDAYS[due.weekday()]} {due:%d.%m}"
            if not self.key("open a form", "p", lambda s: "Postpone" in s and f"#{request_id}" in s):
                return
            self.typed(f"{due:%d.%m.%Y}")
            self.key("save a form", "enter", lambda s: f"→ {day}" in self.preview(s)[1])
            if "Enter saves" in self.screen():  # refused: already later
                self.term.press("escape")
        elif kind == "timer":  # started (it asks what for) and stopped within the minute: no time
            if "⏱" not in self.screen():
                if not self.key("open a form", "t", lambda s: "Start the timer" in s):
                    return
                self.key("timer", "enter", lambda s: "⏱" in s)
                self.term.pump(rng.uniform(*PAUSE))
            self.key("timer", "t", lambda s: "⏱" not in s)
            while "⏱" in self.screen():  # never left running: time it logged would look like another's
                self.term.press("t")
                self.term.pump(0.3)
        elif kind == "close":
            if not self.key("open a form", "d", lambda s: f"Close #{request_id}" in s):
                return
            self.key("save a form", "enter", lambda s: f"Closed #{request_id}" in s)
        else:
            self.key("open a request", "enter", lambda s: "History" in s and f"#{request_id} ·" in s)
            self.term.pump(0.2)
            self.term.press("escape")  # a lone escape waits a moment: not timed
            self.term.wait_until(lambda s: "History" not in s and "Now (" in s, 5, "back")


def morning(today: date | None = None) -> datetime:
    """The moment the scripted day begins: ten o'clock on the last school day up to today,
    by the generated store's breaks (a run on a Saturday or in a break gets Friday's, or the
    last before the break). A store made for it must end no later, or what it holds from
    after ten would refuse the day's actions."""
    today = today or date.today()
    calendar = SchoolCalendar(tuple(typical_breaks(today - timedelta(days=366), today)))
    day = today if calendar.is_school_day(today) else calendar.previous_school_day(today)
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=10)


def open_all_day(folder: Path, command: str) -> dict[str, object]:
    """Run the scripted day on the store at `folder` (which it changes) with `command`."""
    begins = morning()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "TRIAGE_"))} | {
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "TRIAGE_DATA_DIR": str(folder),
        "TRIAGE_CLOCK_OFFSET": str((begins - datetime.now()).total_seconds()),
    }
    term = Terminal([command], env)
    term.wait_for("q Quit", 30)
    term.pump(1.0)
    day = Day(term, random.Random(3), begins.date())
    base = shown_minutes(term.text()) or 0
    writer = subprocess.Popen(
        [sys.executable, "-c", OUTSIDE_WRITER, str(folder), str(OUTSIDE), str(ACTIONS * 0.9)],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    acknowledged: list[float] = []
    threading.Thread(
        target=lambda: acknowledged.extend(float(line) for line in writer.stdout), daemon=True
    ).start()
    seen: list[float] = []  # when each outside minute reached the screen, in order
    hidden: list[tuple[float, float]] = []  # when the queue was covered (a form, a request)
    pump = term.pump

    def pump_and_watch(wait: float = 0.0, until: Callable[[str], bool] | None = None) -> float | None:
        """Every piece of output is also looked at for the outside changes it shows, and for
        whether the queue (with the status line that shows them) is in sight at all."""
        arrived = pump(wait, until)
        if arrived is not None:
            text = term._shown()
            visible = shown_minutes(text) is not None
            if not visible and (not hidden or hidden[-1][1] != float("inf")):
                hidden.append((arrived, float("inf")))
            elif visible and hidden and hidden[-1][1] == float("inf"):
                hidden[-1] = (hidden[-1][0], arrived)
            while visible and len(seen) < min(shown_minutes(text) - base, len(acknowledged)):
                seen.append(arrived)
        return arrived

    def in_sight(start: float, end: float) -> float:
        """How long, between `start` and `end`, the queue was in sight: a change made while a
        form or a request covered it can only be seen once it is back."""
        covered = sum(max(0.0, min(end, until) - max(start, since)) for since, until in hidden)
        return end - start - covered

    term.pump = pump_and_watch  # type: ignore[method-assign]
    memory = []
    for n in range(ACTIONS):
        day.act(n)
        if not memory and (len(day.latencies) == len(KINDS) or n == ACTIONS // 4):  # all screens built
            memory.append(rss_kib(term.child.pid))
        term.pump(day.rng.uniform(*PAUSE))
    writer.wait()
    deadline = time.monotonic() + 3
    while len(seen) < OUTSIDE and time.monotonic() < deadline:
        term.pump(0.05)
    memory.append(rss_kib(term.child.pid))
    term.press("q")
    term.wait_exit(10)
    keyed = [ms for values in day.latencies.values() for ms in values]
    # A change made while a form or a request covered the queue counts from its return.
    outside = [in_sight(a, s) * 1000 for s, a in zip(seen, acknowledged, strict=False)]
    covered = sum(in_sight(a, s) < s - a for s, a in zip(seen, acknowledged, strict=False))
    outside += [float("inf")] * (len(acknowledged) - len(seen))
    if os.environ.get("DAY_DEBUG"):
        for n, (a, seen_at) in enumerate(zip(acknowledged, seen, strict=False)):
            if in_sight(a, seen_at) > 1:
                print("late outside change", n, round(a, 2), round(seen_at, 2), hidden[-3:])
    return {
        "keys": len(keyed),
        "p50": statistics.median(keyed),
        "p95": statistics.quantiles(keyed, n=20)[18],
        "by_kind": {
            kind: (len(v), statistics.median(v), statistics.quantiles(v, n=20)[18] if len(v) > 1 else v[0])
            for kind, v in day.latencies.items()
        },
        "skipped": day.skipped,
        "outside": len(outside),
        "outside_max": max(outside),
        "outside_median": statistics.median(outside),
        "outside_covered": covered,
        "memory_growth": (memory[1] - memory[0]) / memory[0],
        "memory_mib": (memory[0] / 1024, memory[1] / 1024),
    }


# The floor: a minimal Textual app in the same terminal, with a table whose cursor updates a
# line below it, and a modal form with one field that Enter closes. What it takes to show a
# move, a form and its closing is what Textual itself needs on this machine.
MINIMAL_APP = """
from textual.app import App
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Static

class Form(ModalScreen):
    CSS = "Form { align: center middle; } Vertical { width: 90; height: 20; background: $panel; }"

    def compose(self):
        with Vertical():
            yield Label("New request")
            yield Input()

    def on_input_submitted(self, event):
        self.dismiss(event.value)

class Minimal(App):
    CSS = "DataTable { height: 30; }"
    BINDINGS = [("a", "add", "Add")]

    def compose(self):
        yield DataTable()
        yield Static(id="line")
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "Pupil", "From", "Class", "Due", "Waited", "Marks", "Summary")
        for i in range(120):
            table.add_row(str(i), "7B-ER", "teacher", "now", "Thu 26.11", "3 d", "overdue", "Conflict")

    def on_data_table_cell_highlighted(self, event):
        self.query_one("#line", Static).update(f"row {event.coordinate.row} selected")

    def action_add(self):
        self.push_screen(Form(), lambda value: self.query_one("#line", Static).update(f"saved {value}"))

Minimal().run()
"""


def floor(runs: int = 40) -> dict[str, tuple[float, float]]:
    """Median and p95 (ms) of a move, opening a form and saving it, in the minimal app."""
    env = os.environ | {"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"}
    term = Terminal([sys.executable, "-c", MINIMAL_APP], env)
    term.wait_for("row 0 selected", 30)
    term.pump(1.0)
    times: dict[str, list[float]] = {"move": [], "open a form": [], "save a form": []}

    def timed(kind: str, key: str, shown: str) -> None:
        sent = term.send(key)
        times[kind].append(term.wait_until(lambda s: shown in s, 5, kind, since=sent) * 1000)
        term.pump(0.2)

    for n in range(1, runs + 1):
        timed("move", "down", f"row {n} selected")
        if n % 2 == 0:
            timed("open a form", "a", "New request")
            term.type(f"X{n}")
            term.pump(0.2)
            timed("save a form", "enter", f"saved X{n}")
    term.close()
    return {k: (statistics.median(v), statistics.quantiles(v, n=20)[18]) for k, v in times.items()}


def shown_minutes(text: str) -> int | None:
    """The minutes logged today, as the status line shows them (None: not in sight)."""
    found = re.search(r"today (?:(\d+) h (\d+)|(\d+) min) of", text)
    if not found:
        return None
    return int(found[1]) * 60 + int(found[2]) if found[1] else int(found[3])


if __name__ == "__main__":
    import shutil
    import tempfile

    from benchmarks.generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "five"
        if len(sys.argv) > 1:
            shutil.copytree(sys.argv[1], folder)
        else:
            generate(folder, years=5, seed=1, end=min(datetime.now(), morning()))
        print(open_all_day(folder, str(Path(sys.executable).parent / "triage")))
