"""What can be done to one request, from the queue and from the request's own screen alike:
classify, postpone, plan the next step, time it, log time, close it. Every action runs off
the event loop (TriageApp.record), in the order asked for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.binding import Binding

from ...caseload import Caseload
from ...core.errors import TriageError
from ...core.model import ACTIVITIES, OUTCOMES, Request, TimeEntry, Timer, is_downgrade
from ...core.text import printable
from ...i18n import Messages
from .forms import Done, Field, Values

ACTION_BINDINGS = [
    Binding("1", "classify('now')", "Now", id="now"),
    Binding("2", "classify('tomorrow')", "Tomorrow", id="tomorrow"),
    Binding("3", "classify('later')", "Later", id="later"),
    Binding("p", "postpone", "Postpone", id="postpone"),
    Binding("n", "next_step", "Next step", id="next_step"),
    Binding("t", "timer", "Timer", id="timer"),
    Binding("l", "log", "Log time", id="log"),
    Binding("d", "close", "Close", id="close"),
]
NONE_WORDS = ("none", "ingen", "-")  # a next step cleared


def parse_request_id(text: str) -> int | None:
    """A request's number as typed in a form (`12`, `#12`); empty means none."""
    from ...core.parsing import quoted

    number = text.strip().removeprefix("#").strip()
    if not number:
        return None
    if not (number.isascii() and number.isdigit()):
        raise TriageError(f"{quoted(text)} is not a request number", "bad_request_id", text=text)
    return int(number)


def overlaps_said(t: Messages, caseload: Caseload, entry: TimeEntry) -> str:
    """The other time `entry` overlaps, in words ("" for none): saved all the same, said in a
    notice."""
    others, timer = caseload.overlaps(entry)
    clashes = [t("msg.overlap_entry", id=other.id, start=t.moment(other.start)) for other in others]
    clashes += [t("msg.overlap_timer", since=t.moment(timer.start))] if timer else []
    return t("msg.overlaps", what=", ".join(clashes)) if clashes else ""


class RequestActions:
    """Mixed into a screen that has `caseload`, `t`, the request it acts on (`selected`,
    with its phase), and says what an action did (`done`)."""

    caseload: Caseload
    t: Messages
    app: Any
    notify: Any  # Textual's, from the screen

    def selected(self) -> Request | None:
        raise NotImplementedError

    def selected_phase(self) -> str | None:
        """waiting, ongoing or closed, as the screen shows it now."""
        raise NotImplementedError

    def done(self, result: Done | Exception) -> None:
        raise NotImplementedError

    def after(self, action: Callable[..., Done]) -> Callable[..., Done]:
        """`action`, with whatever the screen wants read in the same trip off the event loop."""
        return action

    # -- the plumbing ----------------------------------------------------------------------
    def need_selection(self) -> Request | None:
        request = self.selected()
        if request is None:
            self.notify(self.t("msg.no_selection"), severity="warning")
        return request

    def attempt(self, action: Callable[[], Done | Timer]) -> None:
        """Run one action without a form: show what it did, or why it was refused."""
        self.app.record(self.after(action), self.done)  # type: ignore[attr-defined]

    def open_form(self, title: str, fields: list[Field], save: Callable[[Values], Done]) -> None:
        self.app.open_form(title, fields, self.after(save), self.done)  # type: ignore[attr-defined]

    def choices(self, prefix: str, keys: tuple[str, ...] | dict[str, str]) -> list[tuple[str, str]]:
        return [(key, self.t(f"{prefix}.{key}")) for key in keys]

    def parse_step(self, text: str) -> date | None:
        """A next step as typed: a date, or a word for none."""
        from ...core.parsing import parse_date  # not needed to paint the queue

        if text.strip().casefold() in NONE_WORDS:
            return None
        return parse_date(text, self.caseload.now().date(), self.caseload.calendar)

    # -- the actions -----------------------------------------------------------------------
    def action_classify(self, urgency: str) -> None:
        request = self.need_selection()
        if request is None:
            return
        t = self.t

        def classify(why: str | None = None) -> Done:
            changed = self.caseload.classify(request.id, urgency, why=why)
            urgency_text = t(f"urgency.{urgency}")
            return Done(t("msg.classified", id=request.id, urgency=urgency_text, due=t.day(changed.due)))

        if is_downgrade(request.urgency, urgency):
            self.open_form(
                t("form.downgrade.title", id=request.id, urgency=t(f"urgency.{urgency}")),
                [Field("why", t("form.why"), optional=True)],
                lambda values: classify(values["why"] or None),
            )
        else:
            self.attempt(classify)

    def action_postpone(self) -> None:
        request = self.need_selection()
        if request is None:
            return
        t, ongoing = self.t, self.selected_phase() == "ongoing"

        def save(values: Values) -> Done:
            from ...core.parsing import parse_date

            to = parse_date(values["when"], self.caseload.now().date(), self.caseload.calendar)
            changed = self.caseload.postpone(request.id, to, why=values["why"] or None)
            return Done(t("msg.postponed", id=request.id, due=t.day(changed.events[-1].to_due)))  # type: ignore[arg-type]

        title = "form.postpone_step.title" if ongoing else "form.postpone.title"
        self.open_form(
            t(title, id=request.id, due=t.day(request.due)),
            [
                Field(
                    "when",
                    t("form.step_when" if ongoing else "form.when"),
                    placeholder=t("form.when.placeholder"),
                ),
                Field("why", t("form.why"), optional=True),
            ],
            save,
        )

    def action_next_step(self) -> None:
        request = self.need_selection()
        if request is None:
            return
        t = self.t
        if self.selected_phase() == "waiting":
            self.notify(t("msg.next_step_waiting", id=request.id), severity="warning", markup=False)
            return

        def save(values: Values) -> Done:
            step = self.parse_step(values["when"])
            self.caseload.next_step(request.id, step, why=values["why"] or None)
            if step is None:
                return Done(t("msg.next_step_cleared", id=request.id))
            return Done(
                t("msg.next_step", id=request.id, day=t.day(self.caseload.calendar.on_or_after(step)))
            )

        self.open_form(
            t("form.next_step.title", id=request.id, pupil=printable(request.pupil)),
            [
                Field("when", t("form.step"), placeholder=t("form.step.placeholder")),
                Field("why", t("form.why"), optional=True),
            ],
            save,
        )

    def action_timer(self) -> None:
        """Start the timer (asking what for: on the selected request, or another, or none), or
        stop the one running. Which of the two is decided on the newest data, off the event
        loop: a shell may have started one."""
        t, caseload = self.t, self.caseload
        request = self.selected()

        def start_or_stop() -> Done | Timer | TimeEntry | None:
            timer = caseload.timer
            if timer is None:
                return None  # none runs: ask what it is for
            if timer.day_of(caseload.now()) != timer.start.date():
                return timer  # left running overnight: ask when it stopped
            entry = caseload.stop_timer()
            return entry if entry is not None and entry.request_id is not None else stopped(entry)

        def stopped(entry: TimeEntry | None) -> Done:
            if entry is None:
                return Done(t("msg.timer_discarded"), notice=True)
            on = t("msg.on", id=entry.request_id) if entry.request_id else ""
            return Done(t("msg.timer_stopped", time=t.minutes(entry.minutes), on=on))

        def stop_at(values: Values) -> Done:
            from ...core.parsing import parse_moment

            moment = parse_moment(values["at"], caseload.now(), caseload.calendar)
            return stopped(caseload.stop_timer(at=moment))

        def then(result: Done | Timer | TimeEntry | Exception | None) -> None:
            if result is None:
                self.ask_timer(request)
            elif isinstance(result, TimeEntry):  # time on a request: what next?
                self.done(stopped(result))
                self.ask_next_step(result)
            elif isinstance(result, Timer):
                since = f"{t.day(result.start.date())} {result.start:%H:%M}"
                self.open_form(
                    t("form.stop.title", since=since),
                    [Field("at", t("form.stop_at"), placeholder=t("form.stop_at.placeholder"))],
                    stop_at,
                )
            else:
                self.done(result)

        self.app.record(self.after(start_or_stop), then)  # type: ignore[attr-defined]

    def ask_timer(self, request: Request | None) -> None:
        """What the timer is for: an activity, and a request (the selected one; empty: none).
        The activity chosen last in this app comes first."""
        t, caseload = self.t, self.caseload
        activity = self.app.timer_activity or ("conversation" if request else "other")

        def save(values: Values) -> Done:
            request_id = parse_request_id(values["request"])
            _, stopped = caseload.start_timer(request_id, activity=values["activity"])
            self.app.timer_activity = values["activity"]
            message = t("msg.timer_started_on", id=request_id) if request_id else t("msg.timer_started")
            if stopped is not None:  # one was started elsewhere meanwhile: stopped and logged
                on = t("msg.on", id=stopped.request_id) if stopped.request_id else ""
                stop = t("msg.timer_stopped_first", time=t.minutes(stopped.minutes), on=on)
                return Done(f"{message} — {stop}", notice=True)
            return Done(message)

        self.open_form(
            t("form.timer.title"),
            [
                Field("activity", t("form.activity"), activity, options=self.choices("activity", ACTIVITIES)),
                Field(
                    "request",
                    t("form.request"),
                    str(request.id) if request else "",
                    placeholder=t("form.request.placeholder"),
                    optional=True,
                ),
            ],
            save,
        )

    def ask_next_step(self, entry: TimeEntry) -> None:
        """After time on a request: its next step, if she has one in mind (Escape: none)."""
        t = self.t
        assert entry.request_id is not None
        request_id = entry.request_id

        def save(values: Values) -> Done:
            if not values["when"].strip():
                return Done(
                    t("msg.timer_stopped", time=t.minutes(entry.minutes), on=t("msg.on", id=request_id))
                )
            step = self.parse_step(values["when"])
            self.caseload.next_step(request_id, step)
            if step is None:
                return Done(t("msg.next_step_cleared", id=request_id))
            return Done(
                t("msg.next_step", id=request_id, day=t.day(self.caseload.calendar.on_or_after(step)))
            )

        self.open_form(
            t("form.after_time.title", time=t.minutes(entry.minutes), id=request_id),
            [Field("when", t("form.step_optional"), placeholder=t("form.step.placeholder"), optional=True)],
            save,
        )

    def action_log(self) -> None:
        t, caseload = self.t, self.caseload
        request = self.selected()
        fields = [
            Field("duration", t("form.duration"), placeholder=t("form.duration.placeholder")),
            Field(
                "activity",
                t("form.activity"),
                "conversation" if request else "meeting",
                options=self.choices("activity", ACTIVITIES),
            ),
            Field("note", t("form.note"), optional=True),
            Field("at", t("form.log_at"), placeholder=t("form.log_at.placeholder"), optional=True),
        ]
        if request is not None:
            on = t("form.link", id=request.id, pupil=printable(request.pupil))
            fields.append(
                Field("link", t("form.linked"), "on", options=[("on", on), ("off", t("form.unlinked"))])
            )
            fields.append(
                Field("next", t("form.step_optional"), placeholder=t("form.step.placeholder"), optional=True)
            )

        def save(values: Values) -> Done:
            linked = request.id if request is not None and values.get("link") == "on" else None
            from ...core.parsing import parse_duration, parse_moment

            minutes = parse_duration(values["duration"])
            start = (
                parse_moment(values["at"], caseload.now(), caseload.calendar)
                if values["at"].strip()
                else None
            )
            step = self.parse_step(values["next"]) if linked and values.get("next", "").strip() else None
            note = values["note"] or None
            entry = caseload.log(
                minutes, values["activity"], request_id=linked, note=note, start=start, next_step=step
            )
            logged = t.minutes(entry.minutes)
            message = t("msg.logged_on", time=logged, id=linked) if linked else t("msg.logged", time=logged)
            clashes = overlaps_said(t, caseload, entry)  # saved all the same: said in a notice
            if clashes:
                return Done(f"{message} — {clashes}", severity="warning", notice=True)
            return Done(message)

        self.open_form(t("form.log.title"), fields, save)

    def action_close(self) -> None:
        request = self.need_selection()
        if request is None:
            return
        t = self.t

        def save(values: Values) -> Done:
            self.caseload.close(request.id, values["outcome"])
            self.app.closed_here = request.id  # type: ignore[attr-defined]  # what r reopens
            outcome = t(f"outcome.{values['outcome']}")
            return Done(t("msg.closed", id=request.id, outcome=outcome), notice=True)  # it leaves the view

        self.open_form(
            t(
                "form.close.title",
                id=request.id,
                pupil=printable(request.pupil),
                summary=printable(request.summary),
            ),
            [Field("outcome", t("form.outcome"), "resolved", options=self.choices("outcome", OUTCOMES))],
            save,
        )
