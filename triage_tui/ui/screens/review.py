"""The weekly review. A later issue fills it; for now it says so."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...i18n import Messages
from ..text import translate_bindings


class ReviewScreen(Screen[None]):
    BINDINGS = [Binding("escape,q,w", "app.pop_screen", "Back", id="back")]

    def __init__(self, t: Messages) -> None:
        super().__init__()
        self.t = t
        translate_bindings(self, t)

    def compose(self) -> ComposeResult:
        yield Static(f"{self.t('review.title')}\n\n{self.t('review.placeholder')}", id="review", markup=False)
        yield Footer()
