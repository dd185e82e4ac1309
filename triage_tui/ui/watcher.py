"""One watcher per app: it notices any change to the data, by this process or another, and
tells the app, which tells every screen."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump


@dataclass
class DataChanged(Message, bubble=False):
    """The data on disk changed, to `version`: whoever shows it reads it again, unless what
    it shows was read at that version (after an action of its own, say)."""

    version: Hashable = None


class Watcher:
    """Compares the store's version a few times a second, in a thread of its own.

    It keeps its own idea of the last version seen, and the version is read from the files'
    metadata alone, so no read of the data anywhere can hide a change from it."""

    INTERVAL = 0.2  # seconds: an outside change reaches the screen well within a second

    def __init__(self, version: Callable[[], Hashable], target: MessagePump) -> None:
        self.version = version
        self.target = target
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="triage-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        last = self.read()
        while not self._stop.wait(self.INTERVAL):
            current = self.read()
            if current != last:
                last = current
                self.target.post_message(DataChanged(current))

    def read(self) -> Hashable:
        """The version now. Read it before the data it stands for: then what was read is at
        least as new, and a change made in between is reported again, never lost."""
        try:
            return self.version()
        except OSError as e:  # the folder went away for a moment: report it as a change
            return type(e).__name__
