"""Screenshots of the main screens at a fixed clock and data set, compared with accepted ones.

After a deliberate change of looks: `pytest tests/test_snapshots.py --snapshot-update`,
then look at the new SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.generate import generate
from triage_tui.ui.app import create_app

FIXED = datetime(2026, 11, 26, 10, 0)
SIZE = (120, 36)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    generate(folder, years=1, seed=7, end=FIXED)
    return folder


def app(folder: Path, language: str = "en"):
    return create_app(folder, lambda: FIXED, language, cursor_blink=False)


def test_queue_on_demo_data(snap_compare, demo: Path) -> None:
    assert snap_compare(app(demo), terminal_size=SIZE)


def test_norwegian_queue(snap_compare, demo: Path) -> None:
    assert snap_compare(app(demo, "nb"), terminal_size=SIZE)


def test_add_form(snap_compare, demo: Path) -> None:
    assert snap_compare(
        app(demo), terminal_size=SIZE, press=["a", *"7B-ER", "tab", "t", "tab", *"Sad after PE"]
    )


def test_request_detail(snap_compare, demo: Path) -> None:
    assert snap_compare(app(demo), terminal_size=SIZE, press=["down", "enter"])


def test_help(snap_compare, demo: Path) -> None:
    assert snap_compare(app(demo), terminal_size=SIZE, press=["question_mark"])


def review_after(*keys: str):
    """Open the review with `keys` and wait for its trend, which loads off the event loop."""

    async def run_before(pilot) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


def test_weekly_review(snap_compare, demo: Path) -> None:
    assert snap_compare(app(demo), terminal_size=SIZE, run_before=review_after("w"))


def test_norwegian_weekly_review_of_the_week_before(snap_compare, demo: Path) -> None:
    assert snap_compare(
        app(demo, "nb"), terminal_size=SIZE, run_before=review_after("w", "left_square_bracket")
    )
