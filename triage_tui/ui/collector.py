"""Python's garbage collector, run in her pauses rather than in the middle of a key.

Textual's drawings of the screen are reference cycles (a Strip's caches point back to it), so
only the collector frees them. Left to itself, Python walks everything the app holds after
every ten collections of the middle generation: every few seconds of use, 40–100 ms on five
years of data, in the middle of whichever key comes then. Here the collections run once no
key has come for `QUIET` seconds; Python still collects by itself, but only after ten times
as many, so that memory stays bounded however long the keys come without a pause.
"""

from __future__ import annotations

import gc
from time import monotonic

QUIET = 0.25  # seconds without a key or a click: she is reading, not typing
FULL_AFTER = 10  # collections of the middle generation before a full one (Python's default)


class QuietCollector:
    def __init__(self) -> None:
        self.last_input = monotonic()

    def start(self) -> None:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_AFTER * 10)

    def input(self) -> None:
        self.last_input = monotonic()

    def tick(self) -> None:
        """Called often (a timer): collect if she has paused and there is something to."""
        if monotonic() - self.last_input < QUIET:
            return
        _, young_runs, middle_runs = gc.get_count()
        if middle_runs >= FULL_AFTER:
            gc.collect()
        elif young_runs:
            gc.collect(1)
