"""Python's garbage collector, run in her pauses rather than in the middle of a key.

Textual's drawings of the screen are reference cycles (a Strip's caches point back to it), so
only the collector frees them. Left to itself, Python walks everything the app holds (40–100
ms on five years of data) when ten collections of the middle generation have run and what
they kept has grown by a quarter: every five to ten seconds of use, in the middle of
whichever key allocated last. Here the full collection runs once no key has come for `QUIET`
seconds, when ten middle ones have run and `FULL_EVERY` seconds have passed since the last;
the young generations are collected in every pause. Python still collects in full by itself,
but only after ten times as many middle ones, so that memory stays bounded however long the
keys come without a pause.
"""

from __future__ import annotations

import gc
from time import monotonic

QUIET = 0.25  # seconds without a key or a click: she is reading, not typing
FULL_AFTER = 10  # collections of the middle generation before a full one (Python's default)
FULL_EVERY = 10.0  # seconds at least between two full ones, about as often as Python's own


class QuietCollector:
    def __init__(self) -> None:
        self.last_input = self.last_full = monotonic()

    def start(self) -> None:
        """Before the app runs (it sets the thresholds for the whole process)."""
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_AFTER * 10)

    def input(self) -> None:
        self.last_input = monotonic()

    def tick(self) -> None:
        """Called often (a timer): collect if she has paused and there is something to."""
        now = monotonic()
        if now - self.last_input < QUIET:
            return
        _, young_runs, middle_runs = gc.get_count()
        if middle_runs >= FULL_AFTER and now - self.last_full >= FULL_EVERY:
            gc.collect()
            self.last_full = now
        elif young_runs:
            gc.collect(1)
