"""The key bar: one line with the keys that matter on the screen, from its active bindings.

Each key is shown as it is bound now (a key remapped in config.toml shows remapped), with
what it does in the user's language. It is one line of text, made again only when the
bindings change; Textual's Footer is a widget a key, built again on every change of focus,
which costs tens of milliseconds each time a form closes or a lane takes the focus.

When the line is too short for every key (80 columns, or Norwegian words), the three
urgency keys share one word, and the keys that matter most are kept: help and back always,
then the day's work, in the order of FIRST.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ...i18n import Messages
from ..keys import active

ALWAYS = ("help", "back")  # kept when the line is too short for every key
FIRST = ("add", "urgency", "timer", "review", "filter", "quit", "log", "edit", "open", "previous_week",
         "next_week", "postpone", "next_step", "close")  # fmt: skip
URGENCY = ("now", "tomorrow", "later")  # shown as one, "1 2 3 Urgency", when room is short
GAP = "  "


def description(t: Messages, binding: Binding, node: object = None) -> str:
    """What a binding does, in the user's language (Textual's own bindings keep theirs). The
    widget that binds it may say it as it stands now, with `key_word(id)`: a catalog key, or
    None (the review's `[` and `]` step terms or school years when it shows one)."""
    word = getattr(node, "key_word", None)
    key = (word(binding.id) if word and binding.id else None) or f"key.{binding.id}"
    return t(key) if binding.id and t.has(key) else binding.description


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
        for node, binding, enabled, _ in active(self.screen):
            if binding.show and enabled and binding.action not in seen:
                seen.add(binding.action)
                key = self.app.get_key_display(binding)
                shown.append((binding.id or "", key, description(self.t, binding, node)))
        return shown

    def show_keys(self) -> None:
        width = self.size.width or self.app.size.width - 2
        style = self.get_component_rich_style("keybar--key")
        line = Text(no_wrap=True, overflow="ellipsis")
        for _, key, text in fit(self.keys(), width, self.t("key.urgency")):
            line.append(key, style)
            line.append(f" {text}{GAP}")
        line.rstrip()
        if line != self.line:  # unchanged is the rule: a screen coming back, a lane taking focus
            self.line = line
            self.update(line, layout=False)  # one line, always


def fit(keys: list[tuple[str, str, str]], width: int, urgency: str) -> list[tuple[str, str, str]]:
    """The keys that go on a line `width` cells wide, in their order: all when there is room;
    else with the urgency keys as one, the most wanted first."""

    def cost(key: tuple[str, str, str]) -> int:
        return cell_len(key[1]) + 1 + cell_len(key[2]) + len(GAP)

    room = width + len(GAP)  # the last key needs no gap after it
    if sum(map(cost, keys)) <= room:
        return keys
    ids = [binding_id for binding_id, _, _ in keys]
    if all(u in ids for u in URGENCY):
        at = ids.index(URGENCY[0])
        trio = " ".join(key for binding_id, key, _ in keys if binding_id in URGENCY)
        keys = [k for k in keys if k[0] not in URGENCY]
        keys.insert(at, ("urgency", trio, urgency))
    wanted = [*ALWAYS, *FIRST]
    order = sorted(
        range(len(keys)), key=lambda i: wanted.index(keys[i][0]) if keys[i][0] in wanted else len(wanted) + i
    )
    kept = set()
    for i in order:
        if cost(keys[i]) <= room:
            kept.add(i)
            room -= cost(keys[i])
    return [key for i, key in enumerate(keys) if i in kept]
