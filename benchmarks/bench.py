"""`make bench`: the performance figures of DESIGN.md, measured in one run, beside their targets.

Ratios compare figures taken in the same run, so a busy shared machine moves both sides.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate  # noqa: E402
from triage_tui.caseload import Caseload  # noqa: E402

ROUNDS = 60
PROCESS_RUNS = 20
TRIAGE = Path(sys.executable).parent / "triage"


def action_times(data_dir: Path) -> dict[str, float]:
    """Median milliseconds of each durable action (add, classify, log time) in one process."""
    caseload = Caseload.open(data_dir)
    caseload.add("BENCH", "warm-up: daily backup and archival")
    times: dict[str, list[float]] = {"add": [], "classify": [], "log time": []}

    def timed(name: str, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        result = action(*args, **kwargs)
        times[name].append((time.perf_counter() - start) * 1000)
        return result

    for i in range(ROUNDS):
        request = timed("add", caseload.add, "BENCH", f"bench {i}", urgency="later")
        timed("classify", caseload.classify, request.id, ("now", "tomorrow")[i % 2])
        timed("log time", caseload.log, 15, "conversation", request_id=request.id)
    medians = {name: statistics.median(values) for name, values in times.items()}
    medians["all"] = statistics.median([v for values in times.values() for v in values])
    return medians


def process_add_ms(data_dir: Path) -> float:
    runs = []
    for i in range(PROCESS_RUNS):
        start = time.perf_counter()
        subprocess.run(
            [str(TRIAGE), "--data-dir", str(data_dir), "add", f"process {i}", "--pupil", "BENCH"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def row(figure: str, value: str, target: str, ok: bool | None) -> str:
    verdict = "" if ok is None else ("yes" if ok else "NO")
    return f"| {figure:<52} | {value:>12} | {target:>10} | {verdict:^6} |"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        five, empty = Path(tmp) / "five-years", Path(tmp) / "empty"
        start = time.perf_counter()
        requests, entries = generate(five, years=5, seed=1)
        made = time.perf_counter() - start
        sizes = {p.name: p.stat().st_size for p in five.glob("*.json")}
        print(f"five school years: {requests} requests, {entries} time entries, generated in {made:.1f} s")
        print(f"hot file {sizes['triage.json'] / 1024:.0f} KiB; archives "
              f"{sum(v for k, v in sizes.items() if k != 'triage.json') / 1024 / 1024:.1f} MiB")  # fmt: skip
        print()

        on_empty = action_times(empty)
        on_five = action_times(five)
        process = process_add_ms(five)
        baseline = statistics.median(_timed_run([sys.executable, "-c", "pass"]) for _ in range(PROCESS_RUNS))

        print(row("figure", "measured", "target", None).replace("|  ", "|  "))
        print(f"|{'-' * 54}|{'-' * 14}|{'-' * 12}|{'-' * 8}|")
        print(
            row(
                "one durable action, five years (median ms)",
                f"{on_five['all']:.2f}",
                "<= 5",
                on_five["all"] <= 5,
            )
        )
        for name in ("add", "classify", "log time"):
            print(row(f"  {name}", f"{on_five[name]:.2f}", "", None))
        ratio = on_five["all"] / on_empty["all"]
        print(row("same, five years / empty store (ratio)", f"{ratio:.2f}", "<= 1.5", ratio <= 1.5))
        print(row("  empty store (median ms)", f"{on_empty['all']:.2f}", "", None))
        print(
            row(
                "`triage add` as a process, five years (median ms)",
                f"{process:.0f}",
                "<= 150",
                process <= 150,
            )
        )
        print(row("  bare `python -c pass` on this machine (median ms)", f"{baseline:.0f}", "", None))


def _timed_run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
