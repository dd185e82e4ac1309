"""The generated demo and benchmark data: realistic under the rules, and the same every time.

`make demo` opens one school year of it; the Now lane on its last day must hold only what
needs action that day, a handful of rows, as a therapist's real queue would.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.generate import ACUTE, GROUP, NEEDS, Generator, generate, typical_breaks, write_config
from triage_tui.caseload import Caseload
from triage_tui.core.model import Request, TimeEntry
from triage_tui.core.queue import DayQueue
from triage_tui.core.settings import Settings
from triage_tui.store.config import load_settings

END = datetime(2026, 11, 26, 10, 0)  # a Thursday morning, as the snapshots use
Generated = tuple[list[Request], list[TimeEntry]]


def run(seed: int = 7) -> Generated:
    """One school year in memory, as `generate` makes it for the demo."""
    breaks = typical_breaks(END.date() - timedelta(days=365), END.date())
    return Generator(seed, END, Settings(breaks=tuple(breaks)).calendar()).run(1)


@pytest.fixture(scope="module")
def generated() -> Generated:
    return run()


@pytest.fixture(scope="module")
def one_year(tmp_path_factory: pytest.TempPathFactory) -> Caseload:
    folder = tmp_path_factory.mktemp("one-year") / "data"
    generate(folder, years=1, seed=7, end=END)
    return Caseload.open(folder, lambda: END)


@pytest.fixture(scope="module")
def queue(one_year: Caseload) -> DayQueue:
    return one_year.day_queue()


def test_now_holds_only_what_needs_action_today(queue: DayQueue) -> None:
    today = END.date()
    now = queue.lanes["now"]
    for row in now:
        if row.waiting:
            assert row.request.due <= today, row.id
        else:
            assert row.standing.next_step is not None and row.standing.next_step <= today, row.id
    assert 5 <= len(now) <= 15, len(now)
    assert any(row.waiting for row in now) and any(not row.waiting for row in now)
    assert queue.overdue <= 5


def test_ongoing_cases_come_with_and_without_next_steps(queue: DayQueue) -> None:
    ongoing = [row for row in queue.rows() if not row.waiting]
    with_step = [row for row in ongoing if row.standing.next_step is not None]
    assert len(with_step) >= 10 and len(queue.lanes["ongoing"]) >= 10
    assert 0.3 <= len(with_step) / len(ongoing) <= 0.7
    # ...and the Ongoing lane has quiet cases, but none forgotten for months.
    quiet = [row.since_contact for row in queue.lanes["ongoing"]]
    assert any(days >= 10 for days in quiet) and max(quiet) <= 30


def test_waiting_requests_are_few_and_recent(queue: DayQueue) -> None:
    waiting = [row for row in queue.rows() if row.waiting]
    assert 0 < len(waiting) <= 30
    assert all(row.waited <= 8 for row in waiting), [(row.id, row.waited) for row in waiting]


def test_histories_are_in_time_order_and_time_follows_creation(generated: Generated) -> None:
    requests, entries = generated
    linked: dict[int, list[TimeEntry]] = {}
    for entry in entries:
        assert entry.end <= END
        if entry.request_id is not None:
            linked.setdefault(entry.request_id, []).append(entry)
    steps = 0
    for r in requests:
        moments = [e.at for e in r.events]
        assert moments == sorted(moments) and moments[-1] <= END, r.id
        mine = linked.get(r.id, [])
        assert all(t.start >= r.created for t in mine), r.id
        first = min((t.start for t in mine), default=None)
        for e in r.events:
            if e.type == "next_step":
                steps += 1
                assert first is not None and first <= e.at, r.id
                assert e.step is None or e.step >= e.at.date(), r.id
    assert 2500 <= len(requests) <= 3500 and 4000 <= len(entries) <= 6500
    assert steps > 500


def test_each_summary_matches_its_source(generated: Generated) -> None:
    requests, _ = generated
    for r in requests:
        said = NEEDS[r.source] + ACUTE[r.source] + GROUP.get(r.source, [])
        assert r.summary in [en for en, _ in said], (r.source, r.summary)
    assert {r.source for r in requests} == set(NEEDS)


def test_the_same_seed_gives_the_same_data(generated: Generated) -> None:
    assert run() == generated
    assert Generator(8, END, Settings().calendar()).pupils != Generator(7, END, Settings().calendar()).pupils


def test_in_norwegian_only_the_words_differ(generated: Generated) -> None:
    breaks = typical_breaks(END.date() - timedelta(days=365), END.date(), "nb")
    norwegian, nb_entries = Generator(7, END, Settings(breaks=tuple(breaks)).calendar(), 5, "nb").run(1)
    requests, entries = generated
    texts = {en: nb for table in (NEEDS, ACUTE, GROUP) for said in table.values() for en, nb in said}
    assert len(norwegian) == len(requests)
    for r, n in zip(requests, norwegian, strict=True):
        assert n.summary == texts[r.summary]
        assert [replace(e, why=None) for e in n.events] == [replace(e, why=None) for e in r.events]
    assert [replace(t, note=None) for t in nb_entries] == [replace(t, note=None) for t in entries]
    assert {t.note for t in nb_entries} >= {"Teammøte", "Telefon med mor"}
    whys = {e.why for r in norwegian for e in r.events}
    assert whys >= {"venter på foreldrene", "eleven var borte", "følger med"}


def test_a_norwegian_store_says_so_in_its_config(tmp_path: Path) -> None:
    breaks = typical_breaks(END.date() - timedelta(days=365), END.date(), "nb")
    write_config(tmp_path, breaks, "nb")
    settings = load_settings(tmp_path)
    assert settings.language == "nb" and settings.breaks == tuple(breaks)
    assert "juleferie" in {b.name for b in breaks}


def test_the_scripted_day_begins_at_ten_on_the_last_school_day_up_to_today():
    """`make bench` ran its school day on a Saturday: the day must be a school day whatever
    the real date (worked out by hand from the typical breaks and Norwegian holidays)."""
    from benchmarks.day import morning

    assert morning(datetime(2026, 11, 27).date()) == datetime(2026, 11, 27, 10)  # a Friday: that day
    assert morning(datetime(2026, 11, 29).date()) == datetime(2026, 11, 27, 10)  # a Sunday: the Friday
    assert morning(datetime(2026, 5, 14).date()) == datetime(2026, 5, 13, 10)  # Ascension Day: the day before
    assert morning(datetime(2027, 1, 1).date()) == datetime(2026, 12, 18, 10)  # Christmas break from 21.12
    assert morning(datetime(2026, 10, 1).date()) == datetime(2026, 9, 25, 10)  # autumn break, week 40
