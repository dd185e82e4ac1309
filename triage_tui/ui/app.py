"""The app, built by a factory from a data folder and a clock."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.message import Message
from textual.screen import Screen

from ..caseload import Caseload
from ..core.errors import TriageError
from ..core.text import printable
from ..i18n import Messages, language_for
from ..store import Store, StoreError
from ..store.config import CONFIG_NAME, load_settings, remember_theme
from .collector import QuietCollector
from .screens.forms import Field, Form, Save, Then
from .screens.queue import QueueScreen
from .watcher import DataChanged, Watcher

if TYPE_CHECKING:
    from .screens.day_time import DayTimeScreen
    from .screens.detail import RequestScreen
    from .screens.review import ReviewScreen

# The app waits less for the lock than the shell does: a form saying "saving" should not
# stay long. The screen itself never waits: saves run off the event loop.
LOCK_TIMEOUT = 5.0


@dataclass
class Recorded(Message):
    """An action ran: `result` is what it returned, or the refusal it raised."""

    then: Callable[[Any], object]
    result: Any


class TriageApp(App[None]):
    CSS_PATH = "triage.tcss"
    TITLE = "triage"
    BINDINGS = [Binding("ctrl+p", "command_palette", "Commands", priority=True, id="palette")]
    # Textual's own commands, in the user's language.
    SYSTEM_COMMANDS = {
        "Theme": "theme",
        "Quit": "quit",
        "Maximize": "maximize",
        "Minimize": "minimize",
    }

    def __init__(self, caseload: Caseload, t: Messages, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.caseload = caseload
        self.t = t
        self.cursor_blink = cursor_blink  # off for snapshot tests
        settings = caseload.settings
        self.set_keymap(settings.keys)  # checked for clashes by create_app
        # The theme picked last (ctrl+p, Theme) is written to config.toml, and used again.
        self.remembered_theme = settings.theme
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        self._theme_lock = threading.Lock()
        self.watcher = Watcher(caseload.store.version, self)
        self._last_action = threading.Event()  # set when the latest action asked for has run
        self.closed_here: int | None = None  # the request closed last in this app: r reopens it
        self.timer_activity: str | None = None  # chosen for the last timer started in this app
        self._last_action.set()
        self._forms: dict[tuple[tuple[str, bool, bool], ...], Form] = {}
        self._request_screen: RequestScreen | None = None
        self._review_screen: ReviewScreen | None = None
        self._day_time_screen: DayTimeScreen | None = None
        self.collector: QuietCollector | None = None

    def collect_when_quiet(self) -> None:
        """Run the garbage collector in pauses (see collector.py). Before `run()`, and for the
        real terminal only: it sets Python's thresholds for the whole process."""
        self.collector = QuietCollector()
        self.collector.start()

    async def on_event(self, event: events.Event) -> None:
        if self.collector is not None and isinstance(event, events.InputEvent):
            self.collector.input()
        await super().on_event(event)

    def on_mount(self) -> None:
        self.watcher.start()
        if self.collector is not None:
            self.set_interval(0.1, self.collector.tick)
        if os.name == "posix" and sys.__stdin__ is not None and sys.__stdin__.isatty():
            self.set_interval(1, self.check_terminal)
        self.theme_changed_signal.subscribe(self, self.theme_changed)
        theme = self.remembered_theme
        if theme is not None and theme not in self.available_themes:
            self.notify(self.t("msg.no_theme", theme=printable(theme)), severity="warning", markup=False)

    def check_terminal(self) -> None:
        """Leave when the terminal has gone (its window closed under `make run`, say): Textual
        would otherwise read its end of input again and again, at full speed, for ever."""
        import termios

        try:
            termios.tcgetattr(sys.__stdin__.fileno())  # type: ignore[union-attr]
        except termios.error:
            self.exit()

    def theme_changed(self, _: object) -> None:
        if self.theme != self.remembered_theme:
            self.remember_theme()

    @work(thread=True, group="theme")
    def remember_theme(self) -> None:
        """Write the theme in use to config.toml, off the event loop; the newest wins."""
        with self._theme_lock:
            theme = self.theme
            if theme == self.remembered_theme:
                return
            try:
                remember_theme(self.caseload.store.dir, theme)
            except (TriageError, StoreError) as e:
                error = self.t("msg.theme_not_saved", error=self.t.error(e))
                self.call_from_thread(self.notify, printable(error), severity="error", markup=False)
                return
            self.remembered_theme = theme

    def on_unmount(self) -> None:
        self.watcher.stop()

    @on(DataChanged)
    def tell_every_screen(self, message: DataChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(DataChanged(message.version))

    def record(self, action: Callable[[], Any], then: Callable[[Any], object]) -> None:
        """Run `action`, which writes to the store (or reads what the actions before it did),
        off the event loop and after every action asked for before it; then call `then` on
        the event loop with its result, or with the refusal (TriageError, StoreError) it
        raised."""
        before, done = self._last_action, threading.Event()
        self._last_action = done

        def run() -> None:
            before.wait()
            try:
                result = action()
            except (TriageError, StoreError) as e:
                result = e
            finally:
                done.set()
            self.post_message(Recorded(then, result))

        self.run_worker(run, thread=True, group="record")

    @on(Recorded)
    def recorded(self, message: Recorded) -> None:
        message.then(message.result)

    # -- screens used again and again are built once ----------------------------------------
    def open_form(self, title: str, fields: list[Field], save: Save, then: Then) -> None:
        """Open a form; one of each shape is built, and filled anew each time after that.
        `then` is called with what was done once it is saved (not when the form is left)."""
        shape = Form.shape(fields)
        form = self._forms.get(shape)
        if form is None:
            form = self._forms[shape] = Form(self.t, title, fields, save, then)
            self.install_screen(form, name=f"form-{len(self._forms)}")
        else:
            form.fill(title, fields, save, then)
        self.push_screen(form)

    def open_request(self, request_id: int) -> None:
        """Read the request, then show it: its screen comes up whole, in one frame (after the
        actions asked for before, so it shows what they did)."""
        from .screens.detail import RequestScreen

        def show(read: RequestScreen.Loaded | Exception) -> None:
            if isinstance(read, Exception):
                self.notify(printable(self.t.error(read)), severity="error", markup=False)
                return
            if self._request_screen is None:
                self._request_screen = RequestScreen(self.caseload, self.t, read)
                self.install_screen(self._request_screen, name="request")
            else:
                self._request_screen.show_request(read)
            self.push_screen(self._request_screen)

        self.record(lambda: RequestScreen.read(self.caseload, request_id), show)

    def open_review(self) -> None:
        from ..core.review import Week
        from .screens.review import ReviewScreen

        if self._review_screen is None:
            self._review_screen = ReviewScreen(self.caseload, self.t)
            self.install_screen(self._review_screen, name="review")
        else:
            self._review_screen.show_week(Week.of(self.caseload.now().date()))
        self.push_screen(self._review_screen)

    def open_day_time(self) -> None:
        """The time logged today."""
        from .screens.day_time import DayTimeScreen

        today = self.caseload.now().date()
        if self._day_time_screen is None:
            self._day_time_screen = DayTimeScreen(self.caseload, self.t, today)
            self.install_screen(self._day_time_screen, name="day_time")
        else:
            self._day_time_screen.show_day(today)
        self.push_screen(self._day_time_screen)

    async def action_quit(self) -> None:
        """Quit; a running timer keeps running, and the shell is told so."""
        timer = await asyncio.to_thread(lambda: self.caseload.timer)
        if timer is None:
            self.exit()
            return
        t = self.t
        on = t("quit.timer_on", id=timer.request_id) if timer.request_id else ""
        since = f"{t.day(timer.start.date())} {timer.start:%H:%M}"
        self.exit(message=Text(t("quit.timer_runs", on=on, since=since)))

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
            if command.title in ("Screenshot", "Keys"):  # a file of pupil data; ? shows our keys
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
    if settings.keys:  # two actions on one key are refused before anything starts
        from .keys import check_keymap

        check_keymap(settings.keys, TriageApp, Path(data_dir) / CONFIG_NAME)
    store = Store(data_dir, lock_timeout=LOCK_TIMEOUT, backups_kept=settings.backups_kept)
    t = Messages(language or language_for(settings.language))
    return TriageApp(Caseload(store, settings, clock), t, cursor_blink=cursor_blink)
