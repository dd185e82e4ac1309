"""`make demo`: a store under a temporary folder with one school year of data ending today."""

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
    print(f"Try:  TRIAGE_DATA_DIR={folder} .venv/bin/triage list")
    print(f"      TRIAGE_DATA_DIR={folder} .venv/bin/triage show {requests}")


if __name__ == "__main__":
    main()
