"""`make demo`: one school year of data ending today, in a temporary folder, opened in the TUI.

The texts are Norwegian when `--language nb` says so, or else when the app would speak
Norwegian: the user's own config says `language = "nb"`, or $LANG is Norwegian.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import LANGUAGES, generate  # noqa: E402
from triage_tui.core.errors import TriageError  # noqa: E402
from triage_tui.i18n import language_for  # noqa: E402
from triage_tui.store.config import load_settings  # noqa: E402


def users_language() -> str:
    """The language the app would choose for the user's own data folder."""
    folder = os.environ.get("TRIAGE_DATA_DIR")
    if not folder:
        from platformdirs import user_data_dir

        from triage_tui.cli import APP_NAME

        folder = user_data_dir(APP_NAME, appauthor=False)
    try:
        configured = load_settings(Path(folder)).language
    except (TriageError, OSError):  # a config the app itself would refuse: $LANG decides
        configured = None
    return language_for(configured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=LANGUAGES, help="default: as the app would choose")
    parser.add_argument("--no-tui", action="store_true", help="only make the store")
    args = parser.parse_args()
    language = args.language or users_language()
    folder = Path(tempfile.mkdtemp(prefix="triage-demo-"))
    requests, entries = generate(folder, years=1, seed=7, language=language)
    print(f"Demo store with {requests} requests and {entries} time entries: {folder}")
    if not args.no_tui:
        from triage_tui.ui.app import create_app

        create_app(folder, language=language).run()
    print(f"Again:  TRIAGE_DATA_DIR={folder} .venv/bin/triage   (or: triage list, triage show {requests})")


if __name__ == "__main__":
    main()
