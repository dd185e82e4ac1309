"""One request: its state, full history and time, and editing pupil, source and summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from ...caseload import Caseload
from ...core.errors import TriageError
from ...core.model import SOURCES, Request, TimeEntry
from ...core.operations import looks_like_a_name
from ...core.text import printable
from ...i18n import Messages
from ...present import ago, event_line, reason_numbers
from ...store import StoreError
from ..text import literal
from ..watcher import DataChanged
from ..widgets.keybar import KeyBar
from .actions import ACTION_BINDINGS, RequestActions
from .forms import Done, Field, Values


class RequestScreen(RequestActions, Screen[None]):
    @dataclass
    class Loaded(Message):
        request: Request
        entries: list[TimeEntry]
        info: dict[str, Any]

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="back"),
        *ACTION_BINDINGS,
        Binding("e", "edit", "Edit", id="edit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
    ]

    def __init__(self, caseload: Caseload, t: Messages, read: Loaded) -> None:
        """`read` is the request as `read` found it: the screen comes up with it, whole."""
        super().__init__()
        self.caseload = caseload
        self.t = t
        self.request_id = read.request.id
        self.request: Request | None = None
        self.phase: str | None = None
        self.first = read

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(self.take(self.first), id="detail-body")
        yield KeyBar(self.t)

    @classmethod
    def read(cls, caseload: Caseload, request_id: int) -> Loaded:
        """The request (from the hot data or its archive), its time and what is worked out
        from them: off the event loop."""
        request, entries = caseload.find(request_id)
        return cls.Loaded(request, entries, caseload.describe(request, entries))

    def show_request(self, read: Loaded) -> None:
        """Show another request: this screen is built once and used again."""
        self.request_id = read.request.id
        self.show(read)
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    @on(DataChanged)
    def data_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="request")
    def load(self) -> None:
        """Read the request (from the hot data or its archive) off the event loop."""
        try:
            read = self.read(self.caseload, self.request_id)
        except (TriageError, StoreError) as e:
            self.app.call_from_thread(self.notify, printable(self.t.error(e)), severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(read)

    @on(Loaded)
    def show(self, read: Loaded) -> None:
        self.query_one("#detail-body", Static).update(self.take(read))

    def take(self, read: Loaded) -> Text:
        """Make `read` the request this screen acts on; its text: where it stands, its history
        and its time."""
        t, request, entries, info = self.t, read.request, read.entries, read.info
        self.request, self.phase = request, info["phase"]
        text = Text()
        text.append(f"#{request.id} · ", style="bold")
        text.append_text(literal(request.pupil, "bold"))
        text.append(f" · {t(f'source.{request.source}')}\n")
        text.append_text(literal(request.summary))
        text.append("\n\n")
        if request.is_open:
            lane = t(f"lane.{info['lane']}")
            state = t(
                "detail.state_open",
                urgency=t(f"urgency.{request.urgency}"),
                due=t.day(request.due),
                lane=lane,
            )
            if info["phase"] == "waiting":
                state += " · " + t("detail.new")
            elif info["next_step"]:
                state += " · " + t("detail.next_step", day=t.day(date.fromisoformat(info["next_step"])))
            else:
                state += " · " + t("detail.no_next_step")
        else:
            state = t("detail.state_closed", outcome=t(f"outcome.{request.outcome}"))
        met = {True: "met", False: "missed", None: "pending"}[info["target_met"]]
        contact = request.first_contact(entries)
        contact_text = (
            t("detail.first_contact", when=f"{t.day(contact.date())} {contact:%H:%M}")
            if contact
            else t("detail.no_contact")
        )
        text.append(f"{state}\n{t('detail.target', due=t.day(request.target_due), state=t(f'target.{met}'))}"
                    f" · {contact_text}\n")  # fmt: skip
        last = info["last_contact"]
        if last and last != info["first_contact"]:
            seen = datetime.fromisoformat(last)
            text.append(t("detail.last_contact", when=t.moment(seen),
                          ago=ago(t, seen.date(), self.caseload.now().date(),
                                  info["school_days_since_contact"])) + "\n")  # fmt: skip
        if info["slips"]:
            dates = ", ".join(t.day(date.fromisoformat(s)) for s in info["slips"])
            text.append(t("detail.slips", dates=dates) + "\n", style="bold red")
        text.append(f"\n{t('detail.history')}\n", style="bold underline")
        numbers = reason_numbers(request)
        for i, event in enumerate(request.events):
            line = event_line(t, event, numbers.get(i))
            text.append(f"  {t.day(event.at.date())} {event.at:%H:%M}  {line}\n")
        text.append(f"\n{t('detail.time')}\n", style="bold underline")
        if not entries:
            text.append(f"  {t('detail.no_time')}\n", style="dim")
        for entry in sorted(entries, key=lambda e: e.start):
            note = f" — {printable(entry.note)}" if entry.note else ""
            text.append(
                f"  {t.day(entry.start.date())} {entry.start:%H:%M}  {t.minutes(entry.minutes)}"
                f"  {t(f'activity.{entry.activity}')}{note}\n"
            )
        return text

    def action_back(self) -> None:
        self.dismiss(None)

    # -- the same actions as in the queue, on this request ---------------------------------
    def selected(self) -> Request | None:
        return self.request

    def selected_phase(self) -> str | None:
        return self.phase

    def done(self, result: Done | Exception) -> None:
        if isinstance(result, Exception):
            error = self.t("msg.save_failed", error=self.t.error(result))
            self.notify(printable(error), severity="error", markup=False)
            return
        self.notify(printable(result.message), severity=result.severity, markup=False)
        self.load()

    def action_edit(self) -> None:
        t, request = self.t, self.request
        if request is None:  # not read yet
            return

        def save(values: Values) -> Done:
            self.caseload.edit(self.request_id, **values)
            return Done(t("msg.edited", id=self.request_id))

        sources = [(source, t(f"source.{source}")) for source in SOURCES]
        fields = [
            Field("pupil", t("form.pupil"), request.pupil, hint=self.name_hint),
            Field("source", t("form.source"), request.source, options=sources),
            Field("summary", t("form.summary"), request.summary),
        ]
        self.app.open_form(  # type: ignore[attr-defined]
            t("form.edit.title", id=request.id), fields, save, lambda _: self.load()
        )

    def name_hint(self, code: str) -> str:
        return self.t("form.pupil.name") if looks_like_a_name(code) else ""

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.t, self))
