"""Small modal forms. Enter saves through a `save` callback, which may refuse; then the form
stays open with everything typed and says why. Escape cancels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...core.errors import TriageError
from ...core.text import printable
from ...i18n import Messages
from ...store import StoreError
from ..text import literal, translate_bindings
from ..widgets.choice import Choice


@dataclass(frozen=True)
class Field:
    """One field: a text input, or a choice among `options` ((key, label) pairs)."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    options: Sequence[tuple[str, str]] = ()
    optional: bool = False


Values = dict[str, str]
Save = Callable[[Values], str]  # returns the message to show once saved


class Form(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "submit", "Save", show=False, id="save"),
    ]

    def __init__(self, t: Messages, title: str, fields: Sequence[Field], save: Save) -> None:
        super().__init__()
        self.t = t
        self.title_text = title
        self.fields = fields
        self.save = save
        translate_bindings(self, t)

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(literal(self.title_text), classes="form-title")
            for f in self.fields:
                yield Label(literal(f.label), classes="field-label")
                if f.options:
                    yield Choice(f.options, f.value, id=f.name)
                else:
                    yield Input(f.value, placeholder=f.placeholder, id=f.name)
            yield Label("", id="error")
            yield Label(self.t("form.hint"), classes="form-hint")

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = getattr(self.app, "cursor_blink", True)

    def values(self) -> Values:
        return {f.name: self.query_one(f"#{f.name}").value for f in self.fields}  # type: ignore[attr-defined]

    @on(Input.Submitted)
    def action_submit(self) -> None:
        try:
            message = self.save(self.values())
        except (TriageError, StoreError) as e:
            error = self.t("form.error", error=self.t.error(e))
            self.query_one("#error", Label).update(literal(error, "bold red"))
            self.notify(printable(error), severity="error", timeout=8, markup=False)
            required = {f.name for f in self.fields if not f.optional}
            empty = [box for box in self.query(Input) if box.id in required and not box.value.strip()]
            if empty:
                empty[0].focus()  # most refusals are about a required field left empty
            return
        self.notify(printable(message), markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
