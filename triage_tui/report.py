"""The weekly review written out: a short letter to oneself (text or Markdown), or CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from .core.review import QUIET_SCHOOL_DAYS
from .core.text import markdown_literal, printable

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# A spreadsheet runs a cell that starts like this as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _day(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{WEEKDAYS[d.weekday()]} {d:%d.%m}"


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "0 %"


def letter(review: dict[str, Any], markdown: bool = False) -> str:
    """The review in plain words, answering what a therapist asks about her week."""
    out: list[str] = []
    said = markdown_literal if markdown else printable  # for user text: pupil codes, reasons

    def heading(text: str) -> None:
        out.append(f"\n## {text}" if markdown else f"\n{text.upper()}")

    def item(text: str) -> None:
        out.append(f"- {text}" if markdown else f"  • {text}")

    week, time_ = review["week"], review["time"]
    title = f"Week {week[-2:]}, {week[:4]} ({_day(review['from'])} – {_day(review['to'])})"
    out.append(f"# {title}" if markdown else title)
    if review["as_of"] < review["to"] + "T23:59":
        out.append(f"(the week so far, as of {_day(review['as_of'])} {review['as_of'][11:16]})")

    heading("Where did my time go?")
    total, contract = time_["total_minutes"], time_["contract_minutes"]
    ranked = sorted(((m, a) for a, m in time_["by_activity"].items() if m), reverse=True)
    if not total:
        out.append("No time was logged this week.")
    else:
        most = ", ".join(f"{a} {_hours(m)}" for m, a in ranked[:3])
        out.append(f"I logged {_hours(total)}. Most went to {most}.")
        documentation = time_["by_activity"].get("documentation", 0)
        out.append(
            f"Documentation took {_hours(documentation)} ({_share(documentation, total)}); "
            f"direct work with pupils was {round(100 * (time_['direct_share'] or 0))} % of the time."
        )
        urgency = time_["by_urgency"]
        out.append(
            f"By urgency: now {_hours(urgency['now'])}, tomorrow {_hours(urgency['tomorrow'])}, "
            f"later {_hours(urgency['later'])}, not tied to a request {_hours(urgency['unlinked'])}."
        )
    heading("Did my hours suffice?")
    if total >= contract:
        out.append(f"I logged {_hours(total)} against {_hours(contract)} of contract hours: "
                   f"{_hours(total - contract)} over.")  # fmt: skip
    else:
        out.append(f"I logged {_hours(total)} of {_hours(contract)} contract hours "
                   f"({_share(total, contract)}).")  # fmt: skip

    heading("What came in, and did I reach them in time?")
    received = review["received"]
    out.append(f"{_n(received['total'], 'request')} came in: {received['now']} now, "
               f"{received['tomorrow']} tomorrow, {received['later']} later.")  # fmt: skip
    for urgency, target in review["targets"].items():
        if target["due"]:
            pending = f" ({target['pending']} not due yet)" if target["pending"] else ""
            out.append(
                f"Targets for '{urgency}': {target['met']} of {target['due']} reached in time{pending}."
            )
    for b in review["breaches"]:
        when = (f"reached {_day(b['handled'])}, {_n(b['school_days_late'], 'school day')} late"
                if b["handled"] else "not reached yet")  # fmt: skip
        item(f"#{b['id']} {said(b['pupil'])} ({b['urgency']}, due {_day(b['due'])}): {when}")

    heading("What did I push aside?")
    downgrades, postponements, slips = review["downgrades"], review["postponements"], review["slips"]
    if not (downgrades or postponements or slips):
        out.append("Nothing was downgraded, postponed or left to slip.")
    else:
        out.append(f"{len(downgrades)} downgraded, {len(postponements)} postponed, "
                   f"{len(slips)} due dates passed with no contact yet.")  # fmt: skip
    for d in downgrades:
        why = f" — {said(d['why'])}" if d["why"] else ""
        item(f"#{d['id']} {said(d['pupil'])}: downgraded {d['from']} → {d['to']} on {_day(d['at'])}{why}")
    for p in postponements:
        why = f" — {said(p['why'])}" if p["why"] else ""
        item(f"#{p['id']} {said(p['pupil'])}: postponed {_day(p['from_due'])} → {_day(p['to_due'])}{why}")
    for s in slips:
        item(f"#{s['id']} {said(s['pupil'])}: slipped on {_day(s['due'])}")

    heading("Did I keep my next steps?")
    follow_ups = review["follow_ups"]
    if not follow_ups:
        out.append("No next step fell due this week.")
    else:
        kept = sum(f["on_time"] for f in follow_ups)
        out.append(f"{_n(len(follow_ups), 'next step')} fell due this week: {kept} kept on time, "
                   f"{len(follow_ups) - kept} late.")  # fmt: skip
    for f in follow_ups:
        if f["on_time"]:
            how = f"kept on time ({_day(f['contact'])})"
        elif f["contact"]:
            how = f"reached {_day(f['contact'])}, {_n(f['school_days_late'], 'school day')} late"
        else:
            how = "late, not reached yet"
        item(f"#{f['id']} {said(f['pupil'])}: next step {_day(f['next_step'])} — {how}")

    heading("Who has gone quiet?")
    quiet = review["quiet_cases"]
    if not quiet:
        out.append(f"No ongoing case has gone {QUIET_SCHOOL_DAYS} school days without contact.")
    else:
        out.append(f"Quiet cases: ongoing, no contact for {QUIET_SCHOOL_DAYS}+ school days — "
                   "help before it becomes acute.")  # fmt: skip
    for q in quiet:
        step = f"next step {_day(q['next_step'])}" if q["next_step"] else "no next step"
        item(f"#{q['id']} {said(q['pupil'])}: not seen for {q['school_days']} school days "
             f"(last contact {_day(q['last_contact'])}), {step}")  # fmt: skip

    heading("Who waited longest?")
    still_open = review["open_at_end"]
    under_way = review["as_of"] < review["to"] + "T23:59"
    still = "are open now" if under_way else "were still open at the end of the week"
    out.append(f"{_n(len(still_open), 'request')} {still}.")
    for o in still_open[:10]:
        extra = "".join(
            f", {n}× {what}"
            for what, n in (("postponed", o["postponed"]), ("downgraded", o["downgraded"]))
            if n
        )
        days = _n(o["waiting_school_days"], "school day")
        waited = f"reached after {days}" if o["first_contact"] else f"waiting {days}"
        item(f"#{o['id']} {said(o['pupil'])} ({o['urgency']}, due {_day(o['due'])}): {waited}{extra}")
    silent = review["closed_without_contact"]
    if silent:
        out.append(f"{_n(len(silent), 'request')} closed without any time logged on them:")
        for c in silent:
            item(f"#{c['id']} {said(c['pupil'])} ({c['outcome']})")
    waits = review["waits_by_source"]
    if waits:
        heading("How long did people wait for a first contact?")
        for source, wait in waits.items():
            days, count = wait["median_school_days"], wait["count"]
            item(f"from {source}: a median of {days:g} school days ({_n(count, 'request')})")
    return "\n".join(out).lstrip() + "\n"


def _cell(value: Any) -> Any:
    """A CSV cell; text has its control characters spelled out, and a quote before it if it
    would start a formula. Numbers are our own figures and stay numbers, even negative."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as the JSON report says it
    if isinstance(value, str):
        return f"'{printable(value)}" if value.startswith(FORMULA_START) else printable(value)
    return value


def tables(review: dict[str, Any]) -> str:
    """CSV: one table per section, each under a `# section` line, blank lines between."""
    sections: list[tuple[str, list[dict[str, Any]]]] = [
        ("received", [{"urgency": u, "count": n} for u, n in review["received"].items()]),
        ("targets", [{"urgency": u} | t for u, t in review["targets"].items()]),
        ("breaches", review["breaches"]),
        ("downgrades", review["downgrades"]),
        ("postponements", review["postponements"]),
        ("slips", review["slips"]),
        ("open_at_end", review["open_at_end"]),
        ("closed_without_contact", review["closed_without_contact"]),
        ("follow_ups", review["follow_ups"]),
        ("quiet_cases", review["quiet_cases"]),
        (
            "time_by_activity",
            [{"activity": a, "minutes": m} for a, m in review["time"]["by_activity"].items()],
        ),
        ("time_by_urgency", [{"urgency": u, "minutes": m} for u, m in review["time"]["by_urgency"].items()]),
        ("time", [{k: v for k, v in review["time"].items() if not isinstance(v, dict)}]),
        ("waits_by_source", [{"source": s} | w for s, w in review["waits_by_source"].items()]),
    ]
    COLUMNS = {
        "breaches": ["id", "pupil", "urgency", "due", "handled", "school_days_late"],
        "downgrades": ["id", "pupil", "from", "to", "at", "why"],
        "postponements": ["id", "pupil", "from_due", "to_due", "at", "why"],
        "slips": ["id", "pupil", "due"],
        "open_at_end": [
            "id",
            "pupil",
            "urgency",
            "due",
            "waiting_school_days",
            "first_contact",
            "postponed",
            "downgraded",
        ],  # fmt: skip
        "closed_without_contact": ["id", "pupil", "outcome"],
        "follow_ups": ["id", "pupil", "next_step", "contact", "on_time", "school_days_late"],
        "quiet_cases": ["id", "pupil", "last_contact", "school_days", "next_step"],
        "waits_by_source": ["source", "count", "median_school_days"],
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for number, (name, rows) in enumerate(sections):
        if number:
            buffer.write("\n")
        buffer.write(f"# {review['week']} {name}\n")
        columns = COLUMNS.get(name) or list(rows[0])
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()
