"""`make demo`: one school year of data ending today, in a temporary folder, opened in the TUI."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate  # noqa: E402


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="triage-demo-"))
    requests, entries = generate(folder, years=1, seed=7)
    print(f"Demo store with {requests} requests and {entries} time entries: {folder}")
    if "--no-tui" not in sys.argv:
        from triage_tui.ui.app import create_app

        create_app(folder).run()
    print(f"Again:  TRIAGE_DATA_DIR={folder} .venv/bin/triage   (or: triage list, triage show {requests})")


if __name__ == "__main__":
    main()
