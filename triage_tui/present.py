"""How requests, time and the weekly review are said, in the user's language.

One presentation layer: the command line, the reports (text, Markdown, CSV) and the app all
say things with these functions and the message catalogs, and each keeps only its layout.
User text (pupil codes, summaries, reasons, notes) passes through `printable` here; the app
styles it, and Markdown escapes it on top (see `report.py`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .core.model import Event, Request, TimeEntry, is_downgrade
from .core.text import printable
from .i18n import Messages

if TYPE_CHECKING:  # quick capture has no review to say: it need not pay for importing it
    from .core.forecast import Basis, Forecast
    from .core.review import Breach, FollowUp, LongWait, PlanShare, QuietCase, StillOpen
    from .core.year import Period


def reason_numbers(request: Request) -> dict[int, int]:
    """The number of each reason, by the index of its event: as `edit --reason` takes them."""
    on = [i for i, event in enumerate(request.events) if event.why]
    return {index: n for n, index in enumerate(on, 1)}


def event_line(t: Messages, event: Event, number: int | None = None) -> str:
    """One event of a request's history: `classified now → later, due Tue 19.05 — why`; with
    `number`, its reason's number."""

    def day(d: date | None) -> str:
        return t.day(d) if d else ""

    why = t("event.why", why=printable(event.why)) if event.why else ""
    if why and number is not None:
        why = t("event.why_numbered", why=printable(event.why), n=number)
    if event.type == "classified":
        key = "event.classified_first" if event.from_ is None else "event.classified"
        from_ = t(f"urgency.{event.from_}") if event.from_ else ""
        return t(key, from_=from_, to=t(f"urgency.{event.to}"), due=day(event.due)) + why
    if event.type == "postponed":
        return t("event.postponed", from_due=day(event.from_due), to_due=day(event.to_due)) + why
    if event.type == "next_step":
        step = t("event.next_step", day=day(event.step)) if event.step else t("event.next_step_cleared")
        return step + why
    if event.type == "closed":
        return t("event.closed", outcome=t(f"outcome.{event.outcome}"))
    if event.type == "reopened":
        return t("event.reopened", due=day(event.due))
    if event.type == "edited":
        return t("event.edited", fields=", ".join(t(f"field.{name}") for name in event.fields or ()))
    return t("event.created")


def entry_line(t: Messages, entry: TimeEntry) -> str:
    """`45 min conversation on #2, from Thu 26.11 10:00 (entry 5)`."""
    on = t("entry.on", id=entry.request_id) if entry.request_id else t("entry.unlinked")
    return t("entry.line", time=t.minutes(entry.minutes), activity=t(f"activity.{entry.activity}"), on=on,
             start=t.moment(entry.start), id=entry.id)  # fmt: skip


def standing(t: Messages, info: dict[str, Any]) -> str:
    """Where a request stands and why: `now lane · new, no contact yet`, `later lane ·
    follow-up, next step Fri 04.12`, or its outcome once closed."""
    if info["status"] == "closed":
        return t(f"outcome.{info['outcome']}")
    lane = t("standing.lane", lane=t(f"lane.{info['lane']}").lower())
    if info["phase"] == "waiting":
        return f"{lane} · {t('standing.new')}"
    step = info["next_step"]
    follow_up = t("standing.step", day=t.date(date.fromisoformat(step))) if step else t("standing.no_step")
    return f"{lane} · {follow_up}"


def marks(t: Messages, info: dict[str, Any]) -> list[str]:
    """What marks a request: past its date, downgraded, postponed (by hand)."""
    kinds = {"overdue": info["overdue"]}
    events = info["events"]
    kinds["downgraded"] = any(e["type"] == "classified" and is_downgrade(e["from"], e["to"]) for e in events)
    kinds["postponed"] = any(e["type"] == "postponed" for e in events)
    return [t(f"mark.{kind}") for kind, marked in kinds.items() if marked]


def ago(t: Messages, day: date, today: date, school_days: int) -> str:
    """`today`, `3 school days ago`, or (a Friday seen from the weekend) `no school day since`."""
    if day == today:
        return t("ago.today")
    return t("ago.days", days=t.n("n.school_days", school_days)) if school_days else t("ago.none_since")


def request_heading(t: Messages, request: Request, info: dict[str, Any]) -> str:
    """`#3 7B · later · due Fri 04.12.2026 · later lane · new, no contact yet · from pupil`."""
    return t("request.heading", id=request.id, pupil=printable(request.pupil),
             urgency=t(f"urgency.{request.urgency}"), due=t.date(request.due), state=standing(t, info),
             source=t(f"source.{request.source}"))  # fmt: skip


def undo_line(t: Messages, what: dict[str, Any]) -> str:
    """The action `undo` would take back, from its record (ids and our own words only)."""
    action, values = what["action"], dict(what)
    values["on"] = t("entry.on", id=what["id"]) if what.get("id") else ""
    if what.get("to"):
        values["to"] = t.day(date.fromisoformat(what["to"]))
    for key, kind in (("urgency", "urgency"), ("outcome", "outcome")):
        if key in values:
            values[key] = t(f"{kind}.{values[key]}")
    if "minutes" in values:
        values["time"] = t.minutes(values["minutes"])
    if action == "next_step" and not what.get("to"):
        action = "next_step_cleared"
    if action == "start" and what.get("stopped"):  # it stopped and logged the one running before
        action = "start_stopped"
    return t(f"undo.{action}", **values)


# -- the weekly review ----------------------------------------------------------------------
def late(t: Messages, days: int | None) -> str:
    return t.n("review.late", days or 0)


def reached(t: Messages, day: date | None, days_late: int | None) -> str:
    """`reached Wed 13.05, 2 school days late`, or `not reached yet`."""
    if day is None:
        return t("review.not_reached")
    return t("review.reached_late", day=t.day(day), late=late(t, days_late))


def breach_state(t: Messages, breach: Breach) -> str:
    return reached(t, breach.handled, breach.school_days_late)


def follow_up_state(t: Messages, follow_up: FollowUp) -> str:
    if follow_up.on_time:
        return t("review.kept", day=t.day(follow_up.contact))  # type: ignore[arg-type]
    return reached(t, follow_up.contact, follow_up.school_days_late)


def still_open_state(t: Messages, still: StillOpen) -> str:
    """`waiting 8 school days, postponed 1×`, or `reached after 2 school days`."""
    days = t.n("n.school_days", still.waiting_school_days)
    text = t("review.reached_after", days=days) if still.first_contact else t("review.waiting", days=days)
    for kind in ("postponed", "downgraded"):
        if getattr(still, kind):
            text += ", " + t.n(f"review.times_{kind}", getattr(still, kind))
    return text


def quiet_state(t: Messages, quiet: QuietCase) -> str:
    step = t("review.next_step", day=t.day(quiet.next_step)) if quiet.next_step else t("review.no_next_step")
    return t("review.not_seen", days=t.n("n.school_days", quiet.school_days),
             day=t.day(quiet.last_contact), step=step)  # fmt: skip


# -- contract time, school years and terms ----------------------------------------------------
def balance(t: Messages, minutes: int) -> str:
    """Logged minus contract time in words: `1 h 30 over`, `2 h 00 under`, `even`."""
    if not minutes:
        return t("balance.even")
    return t("balance.over" if minutes > 0 else "balance.under", time=t.minutes(abs(minutes)))


def signed(t: Messages, minutes: int) -> str:
    """A balance where room is short: `+1 h 30`, `−2 h 00`, `±0 min`."""
    return ("+" if minutes > 0 else "−" if minutes < 0 else "±") + t.minutes(abs(minutes))


def period_name(t: Messages, period: Period) -> str:
    """`school year 2025-26`, `autumn term 2025-26`."""
    return t(f"period.{period.term or 'year'}", year=str(period.year))


def month_name(t: Messages, first: date) -> str:
    """`Aug 2025` (nb: `aug. 2025`)."""
    return t(f"month.{first.month}", year=first.year)


def long_wait_state(t: Messages, wait: LongWait) -> str:
    """`reached after 12 school days`, `closed without contact after 8 school days (withdrawn)`,
    or `waiting 14 school days`."""
    days = t.n("n.school_days", wait.waiting_school_days)
    if wait.contact:
        return t("review.reached_after", days=days)
    if wait.outcome:
        return t("review.closed_after", days=days, outcome=t(f"outcome.{wait.outcome}"))
    return t("review.waiting", days=days)


def plan_name(t: Messages, name: str) -> str:
    """A share of the work plan: a kind of time, or an activity."""
    return t(f"kind.{name}") if t.has(f"kind.{name}") else t(f"activity.{name}")


def plan_points(t: Messages, gap: float) -> str:
    """A gap from the plan where room is short: `+11.7`, `−6.5`, `±0`."""
    return ("+" if gap > 0 else "−" if gap < 0 else "±") + t.number(abs(gap))


def plan_gap(t: Messages, share: PlanShare) -> str:
    """`3.5 points over plan`, `as planned`, or `no time logged`."""
    if share.gap_pct is None:
        return t("plan.no_time")
    if not share.gap_pct:
        return t("plan.on_plan")
    key = "plan.over" if share.gap_pct > 0 else "plan.under"
    return t(key, points=t.number(abs(share.gap_pct)))


# -- the forecast (core/forecast.py) --------------------------------------------------------
def forecast_status(t: Messages, forecast: Forecast, short: bool = False) -> str:
    """The status line's form: `this week ~6 h 30 of 9 h 00 left; 3 may slip`."""
    demand, left = t.minutes(forecast.demand_minutes), t.minutes(forecast.minutes_left)
    if not forecast.at_risk:
        return t("status.forecast_short" if short else "status.forecast", demand=demand, left=left)
    slip = t.n("n.may_slip", len(forecast.at_risk))
    key = "status.forecast_short_slipping" if short else "status.forecast_slipping"
    return t(key, demand=demand, left=left, slip=slip)


def forecast_lines(t: Messages, forecast: Forecast) -> list[str]:
    """The work against the time left, then what each request needs and how the time left
    adds up. Whether anything may slip (`forecast_verdict`) and the medians behind it
    (`forecast_basis`) are said apart: each format lays them out its own way."""
    f, left = forecast, forecast.time_left
    requests = t.n("n.requests", len(f.queue))
    lines = [t("forecast.work", day=t.day(f.last_day), demand=t.minutes(f.demand_minutes), requests=requests,
               left=t.minutes(f.minutes_left))]  # fmt: skip
    parts = []
    for part in f.demand:
        each = t.minutes(part.minutes_each)
        if part.kind == "follow_up":
            said = t.n("n.forecast_follow_ups", part.requests, each=each)
        else:
            said = t.n("n.forecast_new", part.requests, urgency=t(f"urgency.{part.kind}"), each=each)
        parts.append(t("forecast.fallback", part=said) if part.fallback else said)
    if parts:
        lines.append(t("forecast.demand", parts=", ".join(parts)))
    days = t.n("n.working_days", left.working_days_after_today)
    today, day = t.minutes(left.today_minutes), t.minutes(left.day_minutes)
    if left.today_minutes and left.working_days_after_today:
        lines.append(t("forecast.time", today=today, days=days, day=day))
    elif left.working_days_after_today:
        lines.append(t("forecast.time_days", days=days, day=day))
    elif left.today_minutes:
        lines.append(t("forecast.time_today", today=today))
    else:
        lines.append(t("forecast.time_none"))
    return lines


def forecast_verdict(t: Messages, forecast: Forecast) -> str:
    """`All of it fits in the time left.`, or `At this pace 3 requests may slip:` (a list follows)."""
    return t.n("n.at_risk", len(forecast.at_risk)) if forecast.at_risk else t("forecast.fits")


def forecast_basis(t: Messages, basis: Basis) -> list[str]:
    """The medians, each with how many requests (or contacts) it is of: a heading, then a
    line for each measure."""

    def medians(by_class: dict[str, Any]) -> str:
        said = []
        for name, median in by_class.items():
            label = t("forecast.all") if name == "all" else t(f"urgency.{name}")
            time = "–" if median.median_minutes is None else t.minutes(median.median_minutes)
            said.append(t("forecast.median", label=label, time=time, count=median.count))
        return ", ".join(said)

    follow_up = basis.follow_up_contact
    contact = "–" if follow_up.median_minutes is None else t.minutes(follow_up.median_minutes)
    return [
        t("forecast.basis", weeks=basis.weeks, from_=t.day(basis.from_), to=t.day(basis.to)),
        t("forecast.first_contact", medians=medians(basis.first_contact)),
        t("forecast.close", medians=medians(basis.close)),
        t("forecast.follow_up", time=contact, count=follow_up.count),
    ]
