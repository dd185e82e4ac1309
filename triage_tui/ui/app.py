"""The app, built by a factory from a data folder and a clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from ..caseload import Caseload
from ..i18n import Messages, language_for
from ..store import Store
from ..store.config import load_settings
from .screens.queue import QueueScreen
from .text import translate_bindings

# The app waits less for the lock than the shell does: it must not look frozen.
LOCK_TIMEOUT = 3.0


class TriageApp(App[None]):
    CSS_PATH = "triage.tcss"
    TITLE = "triage"
    BINDINGS = [Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="palette")]
    # Textual's own commands, in the user's language.
    SYSTEM_COMMANDS = {
        "Theme": "theme",
        "Quit": "quit",
        "Keys": "keys",
        "Maximize": "maximize",
        "Minimize": "minimize",
    }

    def __init__(self, caseload: Caseload, t: Messages, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.caseload = caseload
        self.t = t
        self.cursor_blink = cursor_blink  # off for snapshot tests
        translate_bindings(self, t)

    def get_default_screen(self) -> Screen:
        return QueueScreen(self.caseload, self.t)

    def _fatal_error(self) -> None:
        """Textual prints a traceback with local variables, which would show pupil data."""
        if os.environ.get("TRIAGE_DEBUG"):
            return super()._fatal_error()
        self.bell()
        kind = type(self._exception).__name__ if self._exception else "error"
        self._exit_renderables.append(
            f"triage stopped on an internal error ({kind}); everything saved before it is kept. "
            "Set TRIAGE_DEBUG=1 to see details."
        )
        self._close_messages_no_wait()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands: Callable[[], list] | None = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help, callback in commands():
                yield SystemCommand(title, help, callback)
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":  # it would write pupil data to a file here
                continue
            name = self.SYSTEM_COMMANDS.get(command.title)
            if name:
                command = SystemCommand(self.t(f"cmd.{name}"), self.t(f"cmd.{name}.help"), command.callback)
            yield command

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=self.t("palette.placeholder"))
            )


def create_app(
    data_dir: Path,
    clock: Callable[[], datetime] = datetime.now,
    language: str | None = None,
    *,
    cursor_blink: bool = True,
) -> TriageApp:
    """The app on the store at `data_dir`, at `clock`; the language from the argument, the
    config file, or $LANG."""
    settings = load_settings(data_dir)
    store = Store(data_dir, lock_timeout=LOCK_TIMEOUT, backups_kept=settings.backups_kept)
    t = Messages(language or language_for(settings.language))
    return TriageApp(Caseload(store, settings, clock), t, cursor_blink=cursor_blink)
