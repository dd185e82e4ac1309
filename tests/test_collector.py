"""The garbage collector runs in her pauses, not in the middle of a key (ui/collector.py), at
a fixed clock: `time.monotonic` and `gc` are stood in for."""

from __future__ import annotations

import gc

import pytest
from test_tui import make_app, settle

from triage_tui.ui import collector
from triage_tui.ui.collector import FULL_EVERY, QUIET, QuietCollector


class FakeGC:
    """Counts as `gc.get_count` gives them: (allocations, young runs, middle runs)."""

    def __init__(self) -> None:
        self.count = (0, 0, 0)
        self.collected: list[int] = []

    def get_count(self) -> tuple[int, int, int]:
        return self.count

    def collect(self, generation: int = 2) -> int:
        self.collected.append(generation)
        return 0


@pytest.fixture
def fake(monkeypatch) -> tuple[FakeGC, list[float]]:
    fake_gc, now = FakeGC(), [1000.0]
    monkeypatch.setattr(collector.gc, "get_count", fake_gc.get_count)
    monkeypatch.setattr(collector.gc, "collect", fake_gc.collect)
    monkeypatch.setattr(collector, "monotonic", lambda: now[0])
    return fake_gc, now


def test_it_collects_only_once_she_has_paused(fake) -> None:
    fake_gc, now = fake
    quiet = QuietCollector()
    fake_gc.count = (300, 4, 10)  # ten middle collections: a full one is due
    now[0] += QUIET - 0.01
    quiet.tick()
    assert fake_gc.collected == []  # still typing
    now[0] += 0.02
    quiet.tick()
    assert fake_gc.collected == [1]  # paused, but the last full one (the start) was just now
    now[0] += FULL_EVERY
    quiet.tick()
    assert fake_gc.collected == [1, 2]  # the full one, in a pause
    quiet.input()
    fake_gc.count = (300, 4, 12)
    quiet.tick()
    assert fake_gc.collected == [1, 2]  # a key just came
    now[0] += QUIET
    quiet.tick()
    assert fake_gc.collected == [1, 2, 1]  # young ones only: a full one ran FULL_EVERY ago
    fake_gc.count = (12, 0, 3)
    quiet.tick()
    assert fake_gc.collected == [1, 2, 1]  # nothing since
    now[0] += FULL_EVERY
    fake_gc.count = (300, 1, 9)
    quiet.tick()
    assert fake_gc.collected == [1, 2, 1, 1]  # long enough, but not ten middle ones yet


def test_python_collects_in_full_itself_only_ten_times_as_late() -> None:
    before = gc.get_threshold()
    try:
        QuietCollector().start()
        assert gc.get_threshold() == (before[0], before[1], 100)
    finally:
        gc.set_threshold(*before)


async def test_the_app_tells_it_of_every_key(tmp_path, clock, fake) -> None:
    _, now = fake
    app = make_app(tmp_path / "data", clock)
    app.collector = QuietCollector()  # what collect_when_quiet makes, without the thresholds
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        now[0] += 60
        await pilot.press("down")
        assert app.collector.last_input == now[0]
