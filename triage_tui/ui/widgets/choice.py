"""A one-line choice among a few keys: left/right (or the first letter) changes it.

Enter is left to the form, so Enter saves from any field.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget


class Choice(Widget, can_focus=True):
    BINDINGS = [
        Binding("left,h", "step(-1)", "Previous", show=False),
        Binding("right,l,space", "step(1)", "Next", show=False),
    ]
    index: reactive[int] = reactive(0)

    def __init__(self, options: Sequence[tuple[str, str]], value: str, *, id: str | None = None) -> None:
        """`options` are (key, label) pairs; `value` is the key chosen first."""
        super().__init__(id=id)
        self.options = list(options)
        self.index = [key for key, _ in self.options].index(value)

    @property
    def value(self) -> str:
        return self.options[self.index][0]

    def action_step(self, step: int) -> None:
        self.index = (self.index + step) % len(self.options)

    def on_key(self, event: events.Key) -> None:
        """A letter or digit jumps to the next option whose label starts with it."""
        if event.character and event.character.isalnum() and event.key not in ("h", "l"):
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

    def render(self) -> Text:
        text = Text()
        for i, (_, label) in enumerate(self.options):
            if i:
                text.append("  ")
            label = label.replace(" ", "\u00a0")  # wrap between options, never inside one
            text.append(f" {label} ", style="reverse bold" if i == self.index else "dim")
        return text
