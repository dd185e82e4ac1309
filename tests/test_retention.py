"""Retention: requests closed in school years older than `keep_school_years` lose their pupil
code, summary, reasons and notes in every file, backups included; their numbers stay."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from test_corrections import traces
from test_tui import SIZE, make_app, notices, settle

from triage_tui.caseload import Caseload
from triage_tui.cli import main
from triage_tui.core.review import Week

NOW = datetime(2026, 11, 26, 10, 0)  # school year 2026-27: with 2 kept, before 1 Aug 2025 goes


def run(folder: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main([*args, "--data-dir", str(folder)], clock=lambda: NOW)
    except SystemExit as e:  # argparse refuses bad arguments by exiting
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def everything(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def numbers(report: object) -> object:
    """A report without its text (pupil codes, summaries, reasons, notes)."""
    if isinstance(report, dict):
        return {k: numbers(v) for k, v in report.items() if k not in ("pupil", "summary", "why", "note")}
    if isinstance(report, list):
        return [numbers(v) for v in report]
    return report


@pytest.fixture
def years(tmp_path: Path, clock) -> Caseload:
    """#1 and #2 closed in 2024-25 (purged); #3 closed in 2025-26 and #4 still open (kept).
    Unlinked time with a note in each school year. Backups along the way."""
    folder = tmp_path / "data"
    caseload = Caseload.open(folder, clock)
    clock.now = datetime(2024, 9, 2, 9, 0)
    caseload.add("Kari Hansen", "Kari Hansen fights", urgency="now", at=datetime(2024, 9, 2, 8, 0))
    caseload.classify(1, "tomorrow", why="Kari Hansen calmed down")
    caseload.log(30, "conversation", request_id=1, note="talked with Kari Hansen")
    caseload.close(1)
    clock.now = datetime(2024, 11, 5, 12, 0)
    caseload.log(60, "meeting", note="meeting about Kari Hansen")
    caseload.add("Open Olsen", "still open", at=datetime(2024, 11, 5, 11, 0))
    clock.now = datetime(2025, 6, 2, 9, 0)
    caseload.add("9C", "Per Olsen is lonely", at=datetime(2025, 6, 2, 8, 0))
    clock.now = datetime(2025, 6, 20, 9, 0)
    caseload.close(3, "referred")
    caseload.store.backup()
    clock.now = datetime(2025, 9, 1, 9, 0)
    caseload.add("Anne Berg", "Anne Berg is new", at=datetime(2025, 9, 1, 8, 0))
    caseload.log(20, "conversation", request_id=4, note="with Anne Berg")
    caseload.close(4)
    clock.now = datetime(2025, 10, 6, 12, 0)
    caseload.log(30, "meeting", note="team about Anne Berg")
    clock.now = NOW
    caseload.store.backup()
    return caseload


def test_a_dry_run_says_what_would_go_and_changes_nothing(years: Caseload, capsys) -> None:
    folder = years.store.dir
    before = everything(folder)
    code, out, err = run(folder, capsys, "purge", "--dry-run")
    assert (code, err) == (0, "")
    assert out == (
        "would take out the pupil codes, summaries and reasons of 2 requests closed before "
        "Fri 01.08.2025, and the notes of 2 entries (keep_school_years = 2); nothing was changed\n"
    )
    assert everything(folder) == before


def test_a_purge_takes_the_old_text_out_of_every_file_and_keeps_the_numbers(years: Caseload, capsys) -> None:
    folder = years.store.dir
    week = Week(2024, 36)  # #1 came in, was downgraded, had its contact and closed
    review = years.review(week).as_json()
    assert traces(folder, "Kari Hansen", "Per Olsen")  # in the archives and the backups
    code, out, err = run(folder, capsys, "purge", "--yes")
    assert (code, err) == (0, "")
    assert out.startswith("took out the pupil codes, summaries and reasons of 2 requests closed before ")
    assert traces(folder, "Kari Hansen", "Per Olsen") == []
    # What is kept keeps its text: closed in 2025-26, still open, or time from then.
    assert traces(folder, "Anne Berg is new", "team about Anne Berg", "Open Olsen")
    requests, entries = years.store.everything()
    assert (requests[1].pupil, requests[1].summary, requests[1].events[-2].why) == ("-", "-", None)
    assert [e.type for e in requests[1].events] == ["created", "classified", "classified", "closed"]
    assert (requests[3].outcome, requests[4].pupil, requests[2].pupil) == (
        "referred",
        "Anne Berg",
        "Open Olsen",
    )
    assert sorted(((e.minutes, e.note) for e in entries.values()), key=str) == [
        (20, "with Anne Berg"), (30, "team about Anne Berg"), (30, None), (60, None),
    ]  # fmt: skip
    # The week's review adds up as before: all but the text is the same.
    assert numbers(years.review(week).as_json()) == numbers(review)
    assert review["downgrades"][0]["why"] == "Kari Hansen calmed down"
    assert run(folder, capsys, "purge", "--yes")[1] == (
        "nothing to purge: nothing closed before Fri 01.08.2025 holds text (keep_school_years = 2)\n"
    )


def test_one_school_year_kept_takes_last_year_too(years: Caseload, capsys) -> None:
    folder = years.store.dir
    (folder / "config.toml").write_text("keep_school_years = 1\n")
    code, out, _ = run(folder, capsys, "purge", "--dry-run")
    assert "of 3 requests closed before Sat 01.08.2026, and the notes of 4 entries" in out


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (["purge"], "", "triage: purge asks first: on a terminal it asks, elsewhere add --yes\n"),
        (["purge", "--dry-run", "--now"], "", None),
        (["purge", "--yes"], "keep_school_years = 0\n", "keep_school_years must be a whole number"),
        (["purge", "--yes"], "keep_school_years = -2\n", "keep_school_years must be a whole number"),
        (["purge", "--yes"], 'keep_school_years = "two"\n', "keep_school_years must be a whole number"),
    ],
)
def test_bad_input_to_purge_is_refused_and_writes_nothing(
    years: Caseload, capsys, args: list[str], config: str, message: str | None
) -> None:
    folder = years.store.dir
    if config:
        (folder / "config.toml").write_text(config)
    before = everything(folder)
    code, out, err = run(folder, capsys, *args)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and (message is None or message in err), err
    assert everything(folder) == before


def test_the_app_reminds_once_a_school_year(years: Caseload, clock) -> None:
    assert years.purge_reminder() == date(2025, 8, 1)
    assert years.purge_reminder() is None  # reminded this school year
    clock.now = datetime(2027, 8, 2, 9, 0)  # a new school year: reminded again
    assert years.purge_reminder() == date(2026, 8, 1)
    years.purge()
    assert years.purge_reminder() is None


async def test_the_reminder_shows_in_the_app(years: Caseload, clock) -> None:
    app = make_app(years.store.dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        assert "Requests closed before Fri 01.08.2025 still hold pupil codes and text." in notices(app)
