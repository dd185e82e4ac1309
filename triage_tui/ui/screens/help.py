"""Help: the keys of the screen beneath, from its bindings, and what lanes and marks mean."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ...i18n import Messages
from ..text import translate_bindings


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Back", id="back")]

    def __init__(self, t: Messages, beneath: Screen) -> None:
        super().__init__()
        self.t = t
        self.beneath = beneath
        translate_bindings(self, t)

    def compose(self) -> ComposeResult:
        t = self.t
        text = Text()
        text.append(t("help.title") + "\n\n", style="bold")
        seen = set()
        for bindings in self.beneath._bindings.key_to_bindings.values():
            for b in bindings:
                if b.description and b.id and b.id not in seen:  # ours; not Textual's own
                    seen.add(b.id)
                    keys = b.key_display or ", ".join(
                        self.app.get_key_display(b.with_key(k)) for k in b.key.split(",")
                    )
                    text.append(f"  {keys:<18}", style="bold")
                    text.append(f"{b.description}\n")
        text.append(f"  {'ctrl+p':<18}", style="bold")
        text.append(f"{t('key.palette')}\n")
        text.append(
            f"\n{t('help.move')}\n{t('help.lanes')}\n{t('help.marks')}\n\n{t('help.close')}", style="dim"
        )
        with VerticalScroll(id="help"):
            yield Static(text)
