"""A real pseudo-terminal for end-to-end tests and benchmarks: the program runs in a pty
(pexpect) and what it draws is kept by a terminal emulator (pyte), so tests read the screen
as a user sees it. A reader thread takes the program's output as it comes and notes when
each piece arrived, so timings do not include the emulator's own (slow) reading."""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence

import pexpect
import pyte

# The reader thread stamps each piece of output as it comes. While the emulator reads (pure
# Python, and slow), that thread would wait up to 5 ms for its turn: a twentieth of that.
sys.setswitchinterval(0.00025)

KEYS = {
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "escape": "\x1b",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "backspace": "\x7f",
}


class Terminal:
    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], size: tuple[int, int] = (120, 36)
    ) -> None:
        columns, lines = size
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(argv[0], list(argv[1:]), env=dict(env), dimensions=(lines, columns))
        self.child.delaybeforesend = None  # pexpect waits 50 ms before every send otherwise
        self.output = (
            bytearray()
        )  # everything the program wrote, for what it prints after it leaves the screen
        self._drawn: str | None = None  # the screen as text, until more output comes
        self._pieces: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.child.read_nonblocking(1 << 16, timeout=None)
            except (pexpect.EOF, OSError, ValueError):
                self._pieces.put((time.monotonic(), b""))
                return
            self._pieces.put((time.monotonic(), data))

    def pump(self, wait: float = 0.0, until: Callable[[str], bool] | None = None) -> float | None:
        """Feed what the program has written so far to the emulator; the time the last piece
        arrived, or None if there was nothing new. With `until`, stop at the first piece
        after which the screen makes it hold: a frame that follows at once must not be
        taken for the one that showed it."""
        deadline = time.monotonic() + wait
        arrived = None
        while True:
            try:
                arrived, data = self._pieces.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return arrived
            self.output += data
            self.stream.feed(data)
            self._drawn = None
            if until is not None and until(self._shown()):
                return arrived
            if self._pieces.empty() and time.monotonic() >= deadline:
                return arrived

    def text(self) -> str:
        """The screen once the program has gone quiet: a frame can come in several pieces,
        and a test reading it must not see half of one."""
        while self.pump(0.05) is not None:
            pass
        return self._shown()

    def _shown(self) -> str:
        if self._drawn is None:  # pyte's display costs milliseconds: once per change
            self._drawn = "\n".join(line.rstrip() for line in self.screen.display)
        return self._drawn

    def wait_until(
        self,
        condition: Callable[[str], bool],
        timeout: float = 5.0,
        what: str = "",
        since: float | None = None,
    ) -> float:
        """Seconds from `since` (default: now) until the program's output made `condition(the
        screen)` hold, as it arrived; fails with the screen if it never did."""
        start = time.monotonic() if since is None else since
        while True:
            arrived = self.pump(0.002, condition)
            if condition(self._shown()):
                return (arrived if arrived is not None else time.monotonic()) - start
            if time.monotonic() - start > timeout:
                raise AssertionError(f"not on screen within {timeout} s: {what}\n{self._shown()}")

    def wait_for(self, words: str, timeout: float = 5.0) -> float:
        return self.wait_until(lambda text: words in text, timeout, repr(words))

    def send(self, key: str) -> float:
        """Send one key; the moment it was sent."""
        self.child.send(KEYS.get(key, key))
        return time.monotonic()

    def press(self, *keys: str) -> None:
        for key in keys:
            self.send(key)
            # A lone escape is told from the start of a key sequence by the pause after it.
            time.sleep(0.15 if key == "escape" else 0.03)

    def type(self, text: str) -> None:
        self.child.send(text)
        time.sleep(0.05)

    def resize(self, columns: int, lines: int) -> None:
        self.child.setwinsize(lines, columns)
        self.screen.resize(lines, columns)
        self._drawn = None

    def wait_exit(self, timeout: float = 5.0) -> int:
        deadline = time.monotonic() + timeout
        while self.child.isalive():
            self.pump(0.05)
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s\n{self.text()}")
        self._reader.join(timeout=1)
        self.pump()
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -(self.child.signalstatus or 0)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
