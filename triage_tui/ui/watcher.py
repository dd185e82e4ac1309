"""One watcher per app: it notices any change to the data, by this process or another, and
tells the app, which tells every screen."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from textual.message import Message
from textual.message_pump import MessagePump


class DataChanged(Message, bubble=False):
    """The data on disk changed: whoever shows it reads it again."""


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
        last = self._read()
        while not self._stop.wait(self.INTERVAL):
            current = self._read()
            if current != last:
                last = current
                self.target.post_message(DataChanged())

    def _read(self) -> Hashable:
        try:
            return self.version()
        except OSError as e:  # the folder went away for a moment: report it as a change
            return type(e).__name__
