"""Small modal forms. Enter saves through a `save` callback, which may refuse; then the form
stays open with everything typed and says why. Escape cancels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
from ..text import literal
from ..widgets.choice import Choice

if TYPE_CHECKING:
    from .queue import QueueRead


@dataclass(frozen=True)
class Field:
    """One field: a text input, or a choice among `options` ((key, label) pairs)."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    options: Sequence[tuple[str, str]] = ()
    optional: bool = False
    hint: Callable[[str], str] | None = None  # a line under the field, from what is typed


@dataclass(frozen=True)
class Done:
    """What an action did; the request the cursor should go to; and whether to say so in a
    notice. Most actions show on screen as they are done, in the lanes and the preview's
    latest event, and say nothing more."""

    message: str
    select: int | None = None
    severity: SeverityLevel = "information"
    notice: bool = False
    queue: QueueRead | None = None  # the queue as the action left it


Values = dict[str, str]
Save = Callable[[Values], Done]  # runs off the event loop; raises TriageError or StoreError to refuse
Then = Callable[[Done], object]  # on the event loop, once it is saved


class Form(ModalScreen[Done | None]):
    """A form whose Enter saves in the background: the form says it is saving, keeps what
    was typed if the save is refused, and closes with what was done.

    The app keeps one form of each shape (its fields' names and kinds) and fills it anew
    each time (`fill`): building a form costs a tenth of a second, and every widget built
    leaves a little behind in Textual's caches, which an app open all day must not do."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "submit", "Save", show=False, id="save"),
        # Before the keys after them are handed on: typed ahead, "x tab 1" puts the 1 in the
        # next field, not in this one.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(self, t: Messages, title: str, fields: Sequence[Field], save: Save, then: Then) -> None:
        super().__init__()
        self.t = t
        self.title_text = title
        self.fields = fields
        self.save = save
        self.then = then
        self.saving = False
        self.hints: dict[str, str] = {}  # what each field's hint says now

    @staticmethod
    def shape(fields: Sequence[Field]) -> tuple[tuple[str, bool, bool], ...]:
        return tuple((f.name, bool(f.options), f.hint is not None) for f in fields)

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(literal(self.title_text), id="form-title")
            for f in self.fields:
                yield Label(literal(f.label), id=f"label-{f.name}", classes="field-label")
                if f.options:
                    yield Choice(f.options, f.value, id=f.name)
                else:
                    yield Input(f.value, placeholder=f.placeholder, id=f.name)
                if f.hint is not None:
                    self.hints[f.name] = f.hint(f.value)
                    yield Label(literal(self.hints[f.name]), id=f"hint-{f.name}", classes="field-hint")
            yield Label("", id="error")
            yield Label(self.t("form.hint"), classes="form-hint")

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = getattr(self.app, "cursor_blink", True)
        self.start()

    def fill(self, title: str, fields: Sequence[Field], save: Save, then: Then) -> None:
        """The same form again, for another request or action: new title, values, choices."""
        assert self.shape(fields) == self.shape(self.fields)
        self.title_text, self.fields, self.save, self.then = title, fields, save, then
        self.query_one("#form-title", Label).update(literal(title))
        for f in fields:
            self.query_one(f"#label-{f.name}", Label).update(literal(f.label))
            if f.options:
                self.query_one(f"#{f.name}", Choice).set_options(f.options, f.value)
            else:
                box = self.query_one(f"#{f.name}", Input)
                box.value, box.placeholder = f.value, f.placeholder
            self.show_hint(f, f.value)
        self.query_one("#error", Label).update("")
        self.start()

    def start(self) -> None:
        self.query_one(f"#{self.fields[0].name}").focus()

    def values(self) -> Values:
        return {f.name: self.query_one(f"#{f.name}").value for f in self.fields}  # type: ignore[attr-defined]

    def show_hint(self, field: Field, value: str) -> None:
        """The line under a field, made again only when it says something else: it may take
        more lines or fewer, so each new one lays the form out again."""
        if field.hint is not None and (hint := field.hint(value)) != self.hints.get(field.name):
            self.hints[field.name] = hint
            self.query_one(f"#hint-{field.name}", Label).update(literal(hint))

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        field = next((f for f in self.fields if f.name == event.input.id), None)
        if field is not None:
            self.show_hint(field, event.value)

    @on(Input.Submitted)
    def action_submit(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.set_timer(0.2, self.say_saving)  # most saves are done sooner: no flicker
        values = self.values()
        self.app.record(lambda: self.save(values), self.saved)  # type: ignore[attr-defined]

    def say_saving(self) -> None:
        if self.saving:  # still: another process holds the lock, say
            self.query_one("#error", Label).update(Text(self.t("form.saving"), style="italic"), layout=False)

    def saved(self, result: Done | Exception) -> None:
        self.saving = False
        if not self.is_attached:  # the app is closing
            return
        if isinstance(result, Done):
            # The screen beneath takes in what was done while it is still covered, so that it
            # comes back in one piece, in one frame.
            self.then(result)
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
