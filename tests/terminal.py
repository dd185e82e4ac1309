"""A real pseudo-terminal for end-to-end tests: the program runs in a pty (pexpect) and what
it draws is kept by a terminal emulator (pyte), so tests read the screen as a user sees it."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import pexpect
import pyte

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
        self.output = b""  # everything the program wrote, for what it prints after it leaves the screen

    def pump(self, wait: float = 0.0) -> None:
        """Feed what the program has written so far to the emulator."""
        deadline = time.monotonic() + wait
        while True:
            try:
                data = self.child.read_nonblocking(1 << 16, timeout=0.01)
            except (pexpect.TIMEOUT, pexpect.EOF):
                if time.monotonic() >= deadline:
                    return
                continue
            self.output += data
            self.stream.feed(data)

    def text(self) -> str:
        self.pump()
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_until(self, condition: Callable[[str], bool], timeout: float = 5.0, what: str = "") -> float:
        """Seconds until `condition(screen text)` held; fails with the screen if it never did."""
        start = time.monotonic()
        while True:
            if condition(self.text()):
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise AssertionError(f"not on screen within {timeout} s: {what}\n{self.text()}")
            time.sleep(0.01)

    def wait_for(self, words: str, timeout: float = 5.0) -> float:
        return self.wait_until(lambda text: words in text, timeout, repr(words))

    def press(self, *keys: str) -> None:
        for key in keys:
            self.child.send(KEYS.get(key, key))
            # A lone escape is told from the start of a key sequence by the pause after it.
            time.sleep(0.15 if key == "escape" else 0.03)

    def type(self, text: str) -> None:
        self.child.send(text)
        time.sleep(0.05)

    def resize(self, columns: int, lines: int) -> None:
        self.child.setwinsize(lines, columns)
        self.screen.resize(lines, columns)

    def wait_exit(self, timeout: float = 5.0) -> int:
        deadline = time.monotonic() + timeout
        while self.child.isalive():
            self.pump(0.05)
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s\n{self.text()}")
        self.pump()
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -(self.child.signalstatus or 0)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
