"""Keys by action id: `[keys]` in config.toml, checked for clashes at start, and each key
shown as it is bound now.

Textual applies the keymap itself (`App.set_keymap`, by binding id). Where a remapped key
lands on another action's key of the same widget, the remapped one wins, and Textual tells
only `App.handle_bindings_clash`, at a key press; that a lane's `j` and the queue's
`add = "j"` share a key it cannot see at all: they are bindings of two widgets. So before
the app starts, each screen's bindings (those of its class, of the app, and of the widgets
that take the focus on it, as their classes declare them in BINDINGS) are laid side by side
with the keymap applied, and a key that two actions share is refused, naming both.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual.binding import ActiveBinding, Binding
from textual.keys import format_key
from textual.screen import Screen

from ..core.errors import TriageError
from ..store.config import NAMED_KEYS


def active(screen: Screen) -> list[ActiveBinding]:
    """The screen's active bindings in the order their widgets declare them: a key moved by
    the keymap keeps its action's place (Textual puts it last)."""
    bindings = list(screen.active_bindings.values())
    nodes = list(dict.fromkeys(binding.node for binding in bindings))
    order = {node: [b.id for b in Binding.make_bindings(getattr(node, "BINDINGS", []))] for node in nodes}

    def place(item: ActiveBinding) -> tuple[int, int]:
        ids = order[item.node]
        return nodes.index(item.node), ids.index(item.binding.id) if item.binding.id in ids else len(ids)

    return sorted(bindings, key=place)


def key_of(screen: Screen, action: str) -> str:
    """The key that does `action` (a binding id) on `screen` now, as shown: its first key."""
    for _, binding, _, _ in screen.active_bindings.values():
        if binding.id == action:
            return screen.app.get_key_display(binding)
    return ""


def shown(key: str) -> str:
    """A key as config.toml may write it: `ctrl+slash` is `ctrl+/`, `enter` stays `enter`."""
    *modifiers, name = key.split("+")
    if name not in NAMED_KEYS and len(format_key(name)) == 1:  # a character by its name
        name = format_key(name)
    return "+".join([*modifiers, name])


def declared(node: type) -> dict[str, list[Binding]]:
    """A widget class's bindings by key, as Textual merges them: a subclass's bindings of a
    key take the place of its bases' bindings of that key."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(node.__mro__):
        own: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
            own.setdefault(binding.key, []).append(binding)
        keys.update(own)
    return keys


def clash(keymap: Mapping[str, str], nodes: list[type]) -> tuple[str, str, str] | None:
    """(key, one action, another action) for the first key that two actions on one screen
    share, one of them moved there by `keymap`; None when there is none. An action is named
    by its binding id (Textual's own bindings, which have none, by their description)."""
    on_key: dict[str, dict[str, bool]] = {}  # key: {action: moved there by the keymap}
    for node in nodes:
        for key, bindings in declared(node).items():
            for binding in bindings:
                name = binding.id or f'"{binding.description or binding.action}"'  # Textual's own
                moved = binding.id in keymap
                for new_key in keymap[binding.id].split(",") if moved else [key]:  # type: ignore[index]
                    actions = on_key.setdefault(new_key, {})
                    actions[name] = actions.get(name, False) or moved
    for key, actions in on_key.items():
        if len(actions) > 1 and any(actions.values()):
            first = next(name for name, moved in actions.items() if moved)
            other = next(name for name in actions if name != first)
            return key, first, other
    return None


def screens() -> dict[str, list[type]]:
    """Each screen, with the widgets that take the focus on it."""
    from textual.containers import VerticalScroll
    from textual.widgets import DataTable, Input

    from .screens.day_time import DayTimeScreen
    from .screens.detail import RequestScreen
    from .screens.forms import Form
    from .screens.help import HelpScreen
    from .screens.pupil import PupilScreen
    from .screens.queue import QueueScreen
    from .screens.review import ReviewScreen
    from .widgets.choice import Choice
    from .widgets.lane import LaneTable

    return {
        "the queue": [QueueScreen, LaneTable, Input],
        "a request": [RequestScreen, VerticalScroll],
        "the weekly review": [ReviewScreen, DataTable],
        "a pupil's requests": [PupilScreen, DataTable],
        "the day's time": [DayTimeScreen, DataTable],
        "a form": [Form, Input, Choice],
        "help": [HelpScreen, VerticalScroll],
    }


def check_keymap(keymap: Mapping[str, str], app: type, path: Path) -> None:
    """Refuse a keymap that puts two actions on one key of a screen, naming both."""
    for screen, nodes in screens().items():
        found = clash(keymap, [app, *nodes])
        if found is not None:
            key, first, other = found
            raise TriageError(
                f"{path}: [keys] puts {first} on {shown(key)}, which is the key of {other} on "
                f"{screen}; give one of them another key"
            )
