from __future__ import annotations

from datetime import datetime

import pytest


class Clock:
    """A clock the test moves by hand: `clock.now = datetime(...)`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 10, 0))  # a Thursday
