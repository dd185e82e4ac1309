"""The key bar: one line with the keys that matter on the screen, from its active bindings.

Each key is shown as it is bound now (a key remapped in config.toml shows remapped), with
what it does in the user's language. It is one line of text, made again only when the
bindings change; Textual's Footer is a widget a key, built again on every change of focus,
which costs tens of milliseconds each time a form closes or a lane takes the focus.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ...i18n import Messages

ALWAYS = ("help", "quit", "back")  # kept when the line is too short for every key
GAP = "  "


def description(t: Messages, binding: Binding) -> str:
    """What a binding does, in the user's language (Textual's own bindings keep theirs)."""
    return t(f"key.{binding.id}") if binding.id and t.has(f"key.{binding.id}") else binding.description


class KeyBar(Static):
    COMPONENT_CLASSES = {"keybar--key"}

    def __init__(self, t: Messages) -> None:
        super().__init__(id="keybar")
        self.t = t
        self.line = Text()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.show_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.show_keys()

    def on_resize(self) -> None:
        self.show_keys()

    def keys(self) -> list[tuple[str, str, str]]:
        """(binding id, key as shown, description) of the bindings to show, once each."""
        shown, seen = [], set()
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in seen:
                seen.add(binding.action)
                key = self.app.get_key_display(binding)
                shown.append((binding.id or "", key, description(self.t, binding)))
        return shown

    def show_keys(self) -> None:
        keys = self.keys()
        width = self.size.width or self.app.size.width
        cost = [len(key) + 1 + len(text) + len(GAP) for _, key, text in keys]
        kept = [i for i, (binding_id, _, _) in enumerate(keys) if binding_id in ALWAYS]
        room = width - sum(cost[i] for i in kept)
        for i in range(len(keys)):
            if i not in kept and cost[i] <= room:
                kept.append(i)
                room -= cost[i]
            elif i not in kept:
                room = -1  # keep the order: nothing after a key that did not fit
        style = self.get_component_rich_style("keybar--key")
        line = Text(no_wrap=True, overflow="ellipsis")
        for i in sorted(kept):
            _, key, text = keys[i]
            line.append(key, style)
            line.append(f" {text}{GAP}")
        if line != self.line:  # unchanged is the rule: a screen coming back, a lane taking focus
            self.line = line
            self.update(line, layout=False)  # one line, always
