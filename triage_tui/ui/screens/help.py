"""Help: the keys of the screen beneath, from its active bindings, so a key remapped in
config.toml shows as remapped; and what that screen's words and marks mean."""

from __future__ import annotations

from itertools import zip_longest

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ...i18n import Messages
from ..keys import active, key_of
from ..widgets.keybar import description


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="back"),
        Binding("question_mark,f1", "dismiss", "Help", key_display="?", id="help"),  # as it opened
    ]

    def __init__(self, t: Messages, beneath: Screen) -> None:
        super().__init__()
        self.t = t
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        t = self.t
        text = Text()
        text.append(t("help.title"), style="bold")
        text.append(
            "   " + t("help.close", back=key_of(self, "back"), help=key_of(self, "help")) + "\n\n",
            style="dim",
        )
        keys: dict[str, list[str]] = {}  # what it does: the keys that do it, as bound now
        for node, binding, _, _ in active(self.beneath):
            if binding.id:  # ours; not Textual's own
                keys.setdefault(description(t, binding, node), []).append(self.app.get_key_display(binding))
        items = [(", ".join(dict.fromkeys(bound)), what) for what, bound in keys.items()]
        width = max((len(key) for key, _ in items), default=0) + 2
        half = (len(items) + 1) // 2  # two columns: every key in sight at 80×24 too
        for left, right in zip_longest(items[:half], items[half:]):
            for column, (key, what) in enumerate(filter(None, (left, right))):
                text.append(f"  {key:<{width}}", style="bold")
                text.append(f"{what:<25}" if column == 0 else what)
            text.append("\n")
        notes = getattr(self.beneath, "help_notes", None)
        if notes is not None:
            text.append("\n" + notes(), style="dim")
        with VerticalScroll(id="help"):
            yield Static(text)
