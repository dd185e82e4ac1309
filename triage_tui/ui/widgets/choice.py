"""A one-line choice among a few keys: left/right (or the first letter) changes it.

Enter is left to the form, so Enter saves from any field.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget


class Choice(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("right,space", "step(1)", "Next", show=False),
    ]
    index: reactive[int] = reactive(0)

    def __init__(self, options: Sequence[tuple[str, str]], value: str, *, id: str | None = None) -> None:
        """`options` are (key, label) pairs; `value` is the key chosen first."""
        super().__init__(id=id)
        self.set_options(options, value)

    def set_options(self, options: Sequence[tuple[str, str]], value: str) -> None:
        self.options = list(options)
        self.index = [key for key, _ in self.options].index(value)
        self.refresh(layout=True)

    @property
    def value(self) -> str:
        return self.options[self.index][0]

    def action_step(self, step: int) -> None:
        self.index = (self.index + step) % len(self.options)

    def on_key(self, event: events.Key) -> None:
        """A letter or digit jumps to the next option whose label starts with it."""
        if event.character and event.character.isalnum():
            starts = [
                i for i, (_, label) in enumerate(self.options) if label.lower().startswith(event.character)
            ]
            if starts:
                later = [i for i in starts if i > self.index]
                self.index = (later or starts)[0]
                event.stop()
            elif event.character.isdigit() and 1 <= int(event.character) <= len(self.options):
                self.index = int(event.character) - 1
                event.stop()

    def _lines(self, width: int) -> list[list[int]]:
        """Option indexes by line: as many lines as the width needs, none broken inside."""
        lines: list[list[int]] = [[]]
        used = 0
        for i, (_, label) in enumerate(self.options):
            cell = len(label) + 2
            if lines[-1] and used + 2 + cell > width:
                lines.append([])
                used = 0
            used += cell + (2 if lines[-1] else 0)
            lines[-1].append(i)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Text:
        text = Text()
        for number, line in enumerate(self._lines(max(self.size.width, 1))):
            if number:
                text.append("\n")
            for i in line:
                if i != line[0]:
                    text.append("  ")
                text.append(f" {self.options[i][1]} ", style="reverse bold" if i == self.index else "dim")
        return text
