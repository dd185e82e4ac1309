"""Small modal forms. Enter saves through a `save` callback, which may refuse; then the form
stays open with everything typed and says why. Escape cancels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...core.text import printable
from ...i18n import Messages
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


@dataclass(frozen=True)
class Done:
    """What an action did, to say so; and the request the cursor should go to."""

    message: str
    select: int | None = None
    severity: SeverityLevel = "information"


Values = dict[str, str]
Save = Callable[[Values], Done]  # runs off the event loop; raises TriageError or StoreError to refuse


class Form(ModalScreen[Done | None]):
    """A form whose Enter saves in the background: the form says it is saving, keeps what
    was typed if the save is refused, and closes with what was done."""

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
        self.saving = False
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
        if self.saving:
            return
        self.saving = True
        self.query_one("#error", Label).update(Text(self.t("form.saving"), style="italic"))
        values = self.values()
        self.app.record(lambda: self.save(values), self.saved)  # type: ignore[attr-defined]

    def saved(self, result: Done | Exception) -> None:
        self.saving = False
        if isinstance(result, Done):
            self.notify(printable(result.message), severity=result.severity, markup=False)
            self.dismiss(result)
            return
        error = self.t("form.error", error=self.t.error(result))
        self.query_one("#error", Label).update(literal(error, "bold red"))
        self.notify(printable(error), severity="error", timeout=8, markup=False)
        required = {f.name for f in self.fields if not f.optional}
        empty = [box for box in self.query(Input) if box.id in required and not box.value.strip()]
        if empty:
            empty[0].focus()  # most refusals are about a required field left empty

    def action_cancel(self) -> None:
        if self.saving:  # it may be saved already: wait and see
            self.notify(self.t("form.still_saving"), severity="warning")
            return
        self.dismiss(None)
