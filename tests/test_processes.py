"""Real processes: writers killed mid-write, writers racing, damaged files seen from a shell,
and quick capture without Textual."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from triage_tui.store import Store

pytestmark = pytest.mark.slow
TRIAGE = [sys.executable, "-m", "triage_tui"]

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta
    from pathlib import Path
    from triage_tui.caseload import Caseload
    from triage_tui.store.datafile import HotFile

    folder, tag, count, checkpoint = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    HotFile.CHECKPOINT_BYTES = checkpoint  # small: checkpoints and emptied journals under fire too
    caseload = Caseload.open(folder)
    for i in range(count):
        came_in = datetime.now() - timedelta(hours=1)  # time may be logged on it
        request = caseload.add(tag, f"{tag} {i}", urgency=("now", "tomorrow", "later")[i % 3], at=came_in)
        if i % 4 == 0:
            caseload.log(10, "conversation", request_id=request.id)
        print(request.id, flush=True)  # acknowledged: durable before this line is written
    """
)


def start_writer(folder: Path, tag: str, count: int, checkpoint: int = 256 * 1024) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), tag, str(count), str(checkpoint)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_writer_killed_at_random_moments_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    rng = random.Random(7)
    acknowledged: list[int] = []
    for run in range(25):
        writer = start_writer(folder, f"run{run}", 10_000, checkpoint=rng.choice((1500, 6000, 256 * 1024)))
        time.sleep(rng.uniform(0.15, 0.6))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        acknowledged += [int(line) for line in out.split()]
        requests = Store(folder).snapshot()[0]  # opens cleanly after every kill
        missing = set(acknowledged) - set(requests)
        assert not missing, f"run {run}: acknowledged but lost: {sorted(missing)[:10]}"
    assert len(acknowledged) > 100  # the kills did land in the middle of real work
    assert len(set(acknowledged)) == len(acknowledged)
    assert not list(folder.glob(".*.tmp"))  # the last Store() cleaned what the kills left


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Store(folder)
    writers = [start_writer(folder, tag, 200, checkpoint=8000) for tag in ("A", "B")]
    outputs = [w.communicate(timeout=120)[0] for w in writers]
    assert [w.returncode for w in writers] == [0, 0]
    ids = [int(line) for out in outputs for line in out.split()]
    assert len(ids) == 400 and len(set(ids)) == 400
    requests = Store(folder).snapshot()[0]
    assert sorted(requests) == sorted(ids) == list(range(1, 401))
    for tag in ("A", "B"):
        summaries = sorted(r.summary for r in requests.values() if r.pupil == tag)
        assert summaries == sorted(f"{tag} {i}" for i in range(200))


def test_cli_processes_adding_at_once_get_unique_ids(tmp_path: Path) -> None:
    folder = str(tmp_path / "data")
    procs = [
        subprocess.Popen(
            [*TRIAGE, "--data-dir", folder, "add", f"shell {i}", "--pupil", "SH", "--json"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        for i in range(12)
    ]
    ids = [orjson.loads(p.communicate(timeout=60)[0])["id"] for p in procs]
    assert sorted(ids) == list(range(1, 13))


@pytest.mark.parametrize(
    ("content", "problem", "advice"),
    [
        (b'{"meta": {"1": {"sch', "is not readable JSON", "good backup is {backup}: `triage repair` takes"),
        (b"", "is empty", "good backup is {backup}: `triage repair` takes"),
        (b'{"meta": {"1": {"schema": 7, "kind": "hot"}}, "requests": {}}', "newer triage-tui",
         "update triage-tui to read it"),
    ],
)  # fmt: skip
def test_a_damaged_file_gives_a_clear_error_from_the_shell(
    tmp_path: Path, content: bytes, problem: str, advice: str
) -> None:
    folder = tmp_path / "data"
    for command in (["add", "first", "--pupil", "7B"], ["backup"], ["add", "second", "--pupil", "8A"]):
        subprocess.run([*TRIAGE, "--data-dir", str(folder), *command], check=True, capture_output=True)
    (backup,) = Store(folder).backups()
    (folder / "triage.json").write_bytes(content)
    for command in (["list"], ["add", "third", "--pupil", "9C"]):
        result = subprocess.run(
            [*TRIAGE, "--data-dir", str(folder), *command], capture_output=True, text=True
        )
        assert result.returncode == 1
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert problem in lines[0] and str(folder / "triage.json") in lines[0]
        assert advice.format(backup=backup) in lines[0]
        assert "Traceback" not in result.stderr
        assert (folder / "triage.json").read_bytes() == content


def test_quick_capture_and_the_core_never_import_textual(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        import triage_tui.core.model, triage_tui.core.parsing, triage_tui.core.operations
        import triage_tui.store, triage_tui.caseload
        from triage_tui.cli import main
        for argv in (["add", "quick", "--pupil", "7B"], ["log", "15", "--activity", "admin"], ["list"]):
            assert main(["--data-dir", {str(tmp_path)!r}, *argv]) == 0
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
        assert not loaded, loaded
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_unexpected_errors_do_not_print_pupil_data(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    subprocess.run([*TRIAGE, "--data-dir", str(folder), "add", "secret summary", "--pupil", "SECRET-KID"],
                   check=True, capture_output=True)  # fmt: skip
    tables = orjson.loads((folder / "triage.json").read_bytes())
    tables["meta"]["1"]["next_request"] = "SECRET-KID broke this"  # damage no check catches
    (folder / "triage.json").write_bytes(orjson.dumps(tables))
    result = subprocess.run([*TRIAGE, "--data-dir", str(folder), "add", "x", "--pupil", "AB"],
                            capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "TRIAGE_DEBUG"})  # fmt: skip
    assert result.returncode == 1
    assert "internal error" in result.stderr
    assert "SECRET" not in result.stderr + result.stdout
