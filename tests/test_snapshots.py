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


@pytest.fixture(scope="module")
def demo_nb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same demo store, with its texts in Norwegian, as `make demo` makes it for her."""
    folder = tmp_path_factory.mktemp("demo_nb") / "data"
    generate(folder, years=1, seed=7, end=FIXED, language="nb")
    return folder


def app(folder: Path, language: str = "en"):
    return create_app(folder, lambda: FIXED, language, cursor_blink=False)


def settled(*keys: str):
    """Press `keys`, then wait until every read the screen started (off the event loop) has
    been shown, and the notices that follow the first paint are up."""

    async def run_before(pilot) -> None:
        for key in ("", *keys):
            if key:
                await pilot.press(key)
            for _ in range(20):
                await pilot.pause()
                if not any(worker.is_running for worker in pilot.app.workers):
                    break
                await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)  # and the tables have measured their new rows, when idle

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("screen", ["queue", "review", "help"])
def test_main_screens_in_both_languages_at_80x24_and_120x36(
    snap_compare, request: pytest.FixtureRequest, screen: str, language: str, size
) -> None:
    """80×24 is a first-class size: the footer keeps help and the day's keys, the review its
    heading and some of its list, help every key; nothing overlaps, in either language."""
    folder = request.getfixturevalue("demo" if language == "en" else "demo_nb")
    keys = {"queue": (), "review": ("w",), "help": ("question_mark",)}[screen]
    assert snap_compare(app(folder, language), terminal_size=size, run_before=settled(*keys))


@pytest.fixture(scope="module")
def long_summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with a request whose summary is 160 characters long, due today."""
    from triage_tui.caseload import Caseload

    folder = tmp_path_factory.mktemp("long") / "data"
    generate(folder, years=1, seed=7, end=FIXED)
    summary = ("Mother called: he will not get out of bed on school days, says the others laugh at him "
               "in PE, and he has not eaten lunch at school for a week now, nor slept any")  # fmt: skip
    assert len(summary) == 160
    Caseload.open(folder, lambda: FIXED).add("10C-AB", summary, source="parent", urgency="now")
    return folder


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_the_queue_fits_from_80x24_to_200x50(snap_compare, long_summary: Path, size) -> None:
    assert snap_compare(app(long_summary), terminal_size=size, run_before=settled())


def test_add_form(snap_compare, demo: Path) -> None:
    keys = ["a", *"7B-ER", "tab", "t", "tab", *"Sad after PE"]
    assert snap_compare(app(demo), terminal_size=SIZE, run_before=settled(*keys))


def test_request_detail(snap_compare, demo: Path) -> None:
    assert snap_compare(app(demo), terminal_size=SIZE, run_before=settled("down", "enter"))


def test_norwegian_weekly_review_of_the_week_before(snap_compare, demo_nb: Path) -> None:
    assert snap_compare(
        app(demo_nb, "nb"), terminal_size=SIZE, run_before=settled("w", "left_square_bracket")
    )


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_review_of_the_school_year_in_both_languages(
    snap_compare, request: pytest.FixtureRequest, language: str
) -> None:
    """`p` twice from the week: its term, then its school year (2026-27, August to November)."""
    folder = request.getfixturevalue("demo" if language == "en" else "demo_nb")
    assert snap_compare(app(folder, language), terminal_size=SIZE, run_before=settled("w", "p", "p"))
