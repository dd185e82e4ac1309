"""Help: the keys of the screen beneath, from its bindings, and what lanes and marks mean."""

from __future__ import annotations

from itertools import zip_longest

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ...i18n import Messages
from ..widgets.keybar import description


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Back", id="back")]

    def __init__(self, t: Messages, beneath: Screen) -> None:
        super().__init__()
        self.t = t
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        t = self.t
        text = Text()
        text.append(t("help.title") + "\n\n", style="bold")
        keys: dict[str, list[str]] = {}  # what it does: the keys that do it, as bound now
        for _, binding, _, _ in self.beneath.active_bindings.values():
            if binding.id:  # ours; not Textual's own
                keys.setdefault(description(t, binding), []).append(self.app.get_key_display(binding))
        items = [(", ".join(dict.fromkeys(bound)), what) for what, bound in keys.items()]
        half = (len(items) + 1) // 2  # two columns: every key in sight at 80×24 too
        for left, right in zip_longest(items[:half], items[half:]):
            for key, what in filter(None, (left, right)):
                text.append(f"  {key:<11}", style="bold")
                text.append(f"{what:<27}")
            text.append("\n")
        text.append(
            f"\n{t('help.move')}\n{t('help.lanes')}\n{t('help.marks')}\n\n{t('help.close')}", style="dim"
        )
        with VerticalScroll(id="help"):
            yield Static(text)
