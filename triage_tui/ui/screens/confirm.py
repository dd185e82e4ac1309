"""A question answered with one key: y (or j, in Norwegian) for yes, n or Escape for no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...i18n import Messages


class Confirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,j", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, t: Messages, question: str) -> None:
        super().__init__()
        self.t = t
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, markup=False)
            yield Static(self.t("confirm.keys"), classes="form-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
