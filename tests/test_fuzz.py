"""Any arguments to any subcommand: exit 0, 1 or 2, never a traceback; a refusal is one line
on stderr; and after exit 2 the data folder is byte for byte as it was (issue 9)."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage_tui import cli

WORDS = (
    "1", "2", "0", "-1", "99999999999", "9" * 50, "x", "8A-KL", "now", "later", "tomorrow", "fri", "none",
    "+3", "31.12.9999", "0999-03-01", "2026-11-26", "i går 14:00", "45", "1h30", "admin", "conversation",
    "teacher", "resolved", "2026-W48", "2026-W99", "csv", "md", "json", "--at", "--why", "--pupil", "--from",
    "--urgency", "--json", "--all", "--activity", "--request", "--note", "--next", "--outcome", "--summary",
    "--week", "--format", "--anonymise", "--list", "--yes", "--day", "--lang", "nb", "--", "-", "", " ",
    "\x00", "\udcff", "=1+2",
    "[bold]x[/]", "\x1b[31m", "\u2028",
)  # fmt: skip
CLOCK = datetime(2026, 11, 26, 10, 0)


def files(folder: Path) -> dict[str, bytes]:
    """Every data file (the lock file's content is nobody's data)."""
    return {
        p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != "triage.lock"
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main(
            ["--data-dir", str(folder), "add", "seed", "--pupil", "AB", "--urgency", "now"], lambda: CLOCK
        )
        cli.main(["--data-dir", str(folder), "log", "20", "--activity", "conversation", "--request", "1"],
                 lambda: CLOCK)  # fmt: skip
    return folder


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(cli.COMMANDS), words=st.lists(st.sampled_from(WORDS), max_size=5))
def test_any_arguments_end_cleanly(folder: Path, command: str, words: list[str]) -> None:
    before = files(folder)
    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = cli.main(["--data-dir", str(folder), command, *words], lambda: CLOCK)
    except SystemExit as e:  # argparse's refusals
        code = e.code
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    assert code in (0, 1, 2), (code, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if code in (1, 2):
        assert len(lines) == 1, lines
    if code == 2:
        assert files(folder) == before
