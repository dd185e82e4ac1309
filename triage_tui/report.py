"""The weekly review written out, in the user's language: a short letter to oneself (text or
Markdown), or CSV. Only the layout is here; the words are in `present.py` and the catalogs."""

from __future__ import annotations

import csv
import io
from typing import Any

from .core.model import URGENCIES
from .core.review import QUIET_SCHOOL_DAYS, WeeklyReview
from .core.text import markdown_literal, printable
from .i18n import Messages
from .present import breach_state, follow_up_state, quiet_state, still_open_state

LISTS = ("breaches", "downgrades", "postponements", "slips", "open_at_end", "closed_without_contact",
         "follow_ups", "quiet_cases")  # fmt: skip
# A spreadsheet runs a cell that starts like this as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def letter(review: WeeklyReview, t: Messages, markdown: bool = False) -> str:
    """The review in plain words, answering what a therapist asks about her week."""
    out: list[str] = []
    said = markdown_literal if markdown else printable  # for user text: pupil codes, reasons

    def heading(key: str) -> None:
        text = t(f"report.h.{key}")
        out.append(f"\n## {text}" if markdown else f"\n{text.upper()}")

    def item(text: str) -> None:
        out.append(f"- {text}" if markdown else f"  • {text}")

    def who(entry: Any) -> str:
        return f"#{entry.id} {said(entry.pupil)}"

    def why(reason: str | None) -> str:
        return t("event.why", why=said(reason)) if reason else ""

    week, spent = review.week, review.time
    title = t("report.title", number=week.number, year=week.year, monday=t.day(week.monday),
              sunday=t.day(week.sunday))  # fmt: skip
    out.append(f"# {title}" if markdown else title)
    if review.under_way:
        out.append(t("report.so_far", when=t.moment(review.as_of)))

    heading("time")
    total, contract = spent.total_minutes, spent.contract_minutes
    if not total:
        out.append(t("report.no_time"))
    else:
        ranked = sorted(((m, a) for a, m in spent.by_activity.items() if m), reverse=True)
        most = ", ".join(f"{t(f'activity.{a}')} {t.minutes(m)}" for m, a in ranked[:3])
        out.append(t("report.logged", logged=t.minutes(total), most=most))
        documentation = spent.by_activity.get("documentation", 0)
        direct = round(100 * (spent.direct_share or 0))
        out.append(t("report.documentation", time=t.minutes(documentation),
                     share=_share(documentation, total), direct=direct))  # fmt: skip
        by_urgency = ", ".join(f"{t(f'urgency.{u}')} {t.minutes(spent.by_urgency[u])}" for u in URGENCIES)
        out.append(t("report.by_urgency", times=by_urgency, unlinked=t.minutes(spent.by_urgency["unlinked"])))
    heading("hours")
    if total >= contract:
        out.append(t("report.hours_over", logged=t.minutes(total), contract=t.minutes(contract),
                     over=t.minutes(total - contract)))  # fmt: skip
    else:
        out.append(t("report.hours_under", logged=t.minutes(total), contract=t.minutes(contract),
                     share=_share(total, contract)))  # fmt: skip

    heading("came_in")
    received = review.received
    counts = ", ".join(f"{received[u]} {t(f'urgency.{u}')}" for u in URGENCIES)
    out.append(t("report.received", requests=t.n("n.came_in", sum(received.values())), counts=counts))
    for urgency, target in review.targets.items():
        if target.due:
            pending = " " + t("review.pending", n=target.pending) if target.pending else ""
            out.append(t("report.targets", urgency=t(f"urgency.{urgency}"), met=target.met, due=target.due)
                       + pending + ".")  # fmt: skip
    for b in review.breaches:
        item(t("report.breach", who=who(b), urgency=t(f"urgency.{b.urgency}"), due=t.day(b.due),
               state=breach_state(t, b)))  # fmt: skip

    heading("pushed")
    if not (review.downgrades or review.postponements or review.slips):
        out.append(t("report.nothing_pushed"))
    else:
        slipped = t.n("n.slipped", len(review.slips))
        out.append(t("report.pushed_counts", downgraded=len(review.downgrades),
                     postponed=len(review.postponements), slipped=slipped))  # fmt: skip
    for d in review.downgrades:
        item(t("report.downgrade", who=who(d), from_=t(f"urgency.{d.from_}"), to=t(f"urgency.{d.to}"),
               day=t.day(d.at.date())) + why(d.why))  # fmt: skip
    for p in review.postponements:
        item(t("report.postponement", who=who(p), from_due=t.day(p.from_due), to_due=t.day(p.to_due))
             + why(p.why))  # fmt: skip
    for s in review.slips:
        item(t("report.slip", who=who(s), day=t.day(s.due)))

    heading("follow_ups")
    follow_ups = review.follow_ups
    if not follow_ups:
        out.append(t("report.no_follow_ups"))
    else:
        kept = sum(f.on_time for f in follow_ups)
        out.append(t("report.follow_ups", steps=t.n("n.next_steps", len(follow_ups)), kept=kept,
                     late=len(follow_ups) - kept))  # fmt: skip
    for f in follow_ups:
        item(t("report.follow_up", who=who(f), day=t.day(f.next_step), state=follow_up_state(t, f)))

    heading("quiet")
    if not review.quiet_cases:
        out.append(t("report.no_quiet", days=t.n("n.school_days", QUIET_SCHOOL_DAYS)))
    else:
        out.append(t("report.quiet", days=QUIET_SCHOOL_DAYS))
    for q in review.quiet_cases:
        item(f"{who(q)}: {quiet_state(t, q)}")

    heading("waited")
    still_open = review.open_at_end
    out.append(t.n("n.open_now" if review.under_way else "n.open_at_end", len(still_open)))
    for o in still_open[:10]:
        item(t("report.still_open", who=who(o), urgency=t(f"urgency.{o.urgency}"), due=t.day(o.due),
               state=still_open_state(t, o)))  # fmt: skip
    silent = review.closed_without_contact
    if silent:
        out.append(t.n("n.silent", len(silent)))
        for c in silent:
            item(f"{who(c)} ({t(f'outcome.{c.outcome}')})")
    if review.waits_by_source:
        heading("waits")
        for source, wait in review.waits_by_source.items():
            days = t.n("n.school_days", wait.median_school_days)
            item(t("report.wait", source=t(f"source.{source}"), days=days,
                   requests=t.n("n.requests", wait.count)))  # fmt: skip
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


def tables(review: WeeklyReview, t: Messages) -> str:
    """CSV: one table per section, each under a `# week section` line, blank lines between.
    Section names and values are the JSON's; the column headers are in the user's language."""
    data = review.as_json()
    spent = data["time"]
    sections: list[tuple[str, list[dict[str, Any]]]] = [
        ("received", [{"urgency": u, "count": n} for u, n in data["received"].items()]),
        ("targets", [{"urgency": u} | target for u, target in data["targets"].items()]),
        *((name, data[name]) for name in LISTS),
        ("time_by_activity", [{"activity": a, "minutes": m} for a, m in spent["by_activity"].items()]),
        ("time_by_urgency", [{"urgency": u, "minutes": m} for u, m in spent["by_urgency"].items()]),
        ("time", [{k: v for k, v in spent.items() if not isinstance(v, dict)}]),
        ("waits_by_source", [{"source": s} | w for s, w in data["waits_by_source"].items()]),
    ]
    columns = {
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
        buffer.write(f"# {data['week']} {name}\n")
        names = columns.get(name) or list(rows[0])
        writer.writerow([t(f"csv.{column}") for column in names])
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in names])
    return buffer.getvalue()
