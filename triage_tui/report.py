"""The weekly review (or that of a school year or a term) written out, in the user's language:
a short letter to oneself (text or Markdown), or CSV. Only the layout is here; the words are
in `present.py` and the catalogs."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from .core.forecast import HISTORY_WEEKS
from .core.model import URGENCIES
from .core.review import QUIET_SCHOOL_DAYS, PeriodReview, WeeklyReview
from .core.text import markdown_literal, printable
from .i18n import Messages
from .present import (
    balance,
    breach_state,
    follow_up_state,
    forecast_basis,
    forecast_lines,
    forecast_verdict,
    long_wait_state,
    month_name,
    period_name,
    plan_gap,
    plan_name,
    quiet_state,
    still_open_state,
)

LISTS = ("breaches", "downgrades", "postponements", "slips", "open_at_end", "closed_without_contact",
         "follow_ups", "quiet_cases")  # fmt: skip
# A spreadsheet runs a cell that starts like this as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PERIOD_LIST = 10  # a school year's or term's letter names this many of each list; JSON and CSV all


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def letter(review: WeeklyReview | PeriodReview, t: Messages, markdown: bool = False) -> str:
    """The review in plain words, answering what a therapist asks about her week (or her
    school year, or term: with its months and who waited longest)."""
    out: list[str] = []
    weekly = isinstance(review, WeeklyReview)
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

    def some(entries: tuple[Any, ...]) -> tuple[Any, ...]:
        """All of a list for a week; for a longer period the first few (the worst first, where
        lists are ordered so) and none of the lists that its months count."""
        return entries if weekly else entries[:PERIOD_LIST]

    def rest(entries: tuple[Any, ...]) -> None:
        if len(some(entries)) < len(entries):
            item(t("report.more", n=len(entries) - PERIOD_LIST))

    spent = review.time
    if isinstance(review, WeeklyReview):
        week = review.week
        title = t("report.title", number=week.number, year=week.year, monday=t.day(week.monday),
                  sunday=t.day(week.sunday))  # fmt: skip
    else:
        name = period_name(t, review.period)
        title = t("report.title_period", period=name[:1].upper() + name[1:],
                  first=t.date(review.period.first), last=t.date(review.period.last))  # fmt: skip
    out.append(f"# {title}" if markdown else title)
    if review.under_way:
        out.append(t("report.so_far" if weekly else "report.so_far_period", when=t.moment(review.as_of)))

    heading("time")
    total, contract = spent.total_minutes, spent.contract_minutes
    if not total:
        out.append(t("report.no_time" if weekly else "report.no_time_period"))
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
        if not weekly:  # every activity, the most time first
            for minutes, activity in ranked:
                item(t("report.activity", activity=t(f"activity.{activity}"), time=t.minutes(minutes),
                       share=_share(minutes, total)))  # fmt: skip
    heading("hours")
    if total >= contract:
        out.append(t("report.hours_over", logged=t.minutes(total), contract=t.minutes(contract),
                     over=t.minutes(total - contract)))  # fmt: skip
    else:
        out.append(t("report.hours_under", logged=t.minutes(total), contract=t.minutes(contract),
                     share=_share(total, contract)))  # fmt: skip
    out.append(t("report.balance", balance=balance(t, spent.balance_minutes)))
    year = review.year_to_date
    if weekly or review.period.term == "spring":  # else the period is the school year so far
        out.append(t("report.year_to_date", first=t.date(year.from_), last=t.date(year.to),
                     logged=t.minutes(year.logged_minutes), contract=t.minutes(year.contract_minutes),
                     balance=balance(t, year.balance_minutes)))  # fmt: skip
    if review.plan:
        heading("plan")
        for name, share in review.plan.items():
            actual = "–" if share.actual_pct is None else t.number(share.actual_pct)
            item(t("report.plan", name=plan_name(t, name), planned=t.number(share.planned_pct), actual=actual,
                   gap=plan_gap(t, share)))  # fmt: skip
    if isinstance(review, PeriodReview):
        heading("months")
        for month in review.months:
            pushed = t.n("n.pushed", month.downgrades + month.postponements + month.slips)
            item(t("report.month", month=month_name(t, date.fromisoformat(f"{month.month}-01")),
                   received=t.n("n.came_in", month.received), met=month.targets_met, due=month.targets_due,
                   pushed=pushed, logged=t.minutes(month.logged_minutes),
                   contract=t.minutes(month.contract_minutes),
                   balance=balance(t, month.balance_minutes)))  # fmt: skip

    heading("came_in")
    received = review.received
    counts = ", ".join(f"{received[u]} {t(f'urgency.{u}')}" for u in URGENCIES)
    out.append(t("report.received", requests=t.n("n.came_in", sum(received.values())), counts=counts))
    for urgency, target in review.targets.items():
        if target.due:
            pending = " " + t("review.pending", n=target.pending) if target.pending else ""
            out.append(t("report.targets", urgency=t(f"urgency.{urgency}"), met=target.met, due=target.due)
                       + pending + ".")  # fmt: skip
    breaches = review.breaches
    if not weekly:  # not reached yet first, then the latest
        breaches = tuple(sorted(breaches, key=lambda b: (b.handled is not None, -(b.school_days_late or 0))))
    for b in some(breaches):
        item(t("report.breach", who=who(b), urgency=t(f"urgency.{b.urgency}"), due=t.day(b.due),
               state=breach_state(t, b)))  # fmt: skip
    rest(review.breaches)

    heading("pushed")
    if not (review.downgrades or review.postponements or review.slips):
        out.append(t("report.nothing_pushed"))
    else:
        slipped = t.n("n.slipped", len(review.slips))
        out.append(t("report.pushed_counts", downgraded=len(review.downgrades),
                     postponed=len(review.postponements), slipped=slipped))  # fmt: skip
        if not weekly:  # too many to list: the months count them, JSON and CSV list them
            out.append(t("report.pushed_by_month"))
    for d in review.downgrades if weekly else ():
        item(t("report.downgrade", who=who(d), from_=t(f"urgency.{d.from_}"), to=t(f"urgency.{d.to}"),
               day=t.day(d.at.date())) + why(d.why))  # fmt: skip
    for p in review.postponements if weekly else ():
        item(t("report.postponement", who=who(p), from_due=t.day(p.from_due), to_due=t.day(p.to_due))
             + why(p.why))  # fmt: skip
    for s in review.slips if weekly else ():
        item(t("report.slip", who=who(s), day=t.day(s.due)))

    heading("follow_ups")
    follow_ups = review.follow_ups
    if not follow_ups:
        out.append(t("report.no_follow_ups" if weekly else "report.no_follow_ups_period"))
    else:
        kept = sum(f.on_time for f in follow_ups)
        steps = t.n("n.next_steps", len(follow_ups))
        out.append(t("report.follow_ups" if weekly else "report.follow_ups_period", steps=steps, kept=kept,
                     late=len(follow_ups) - kept))  # fmt: skip
    if not weekly:  # the late ones are those to look at, the latest first
        late = (f for f in follow_ups if not f.on_time)
        follow_ups = tuple(sorted(late, key=lambda f: (f.contact is not None, -(f.school_days_late or 0))))
    for f in some(follow_ups):
        item(t("report.follow_up", who=who(f), day=t.day(f.next_step), state=follow_up_state(t, f)))
    rest(follow_ups)

    heading("quiet")
    if not review.quiet_cases:
        out.append(t("report.no_quiet", days=t.n("n.school_days", QUIET_SCHOOL_DAYS)))
    else:
        out.append(t("report.quiet", days=QUIET_SCHOOL_DAYS))
    for q in some(review.quiet_cases):
        item(f"{who(q)}: {quiet_state(t, q)}")
    rest(review.quiet_cases)

    heading("waited")
    if isinstance(review, PeriodReview) and review.longest_waits:
        out.append(t("report.longest"))
        for w in review.longest_waits:
            item(t("report.long_wait", who=who(w), urgency=t(f"urgency.{w.urgency}"), day=t.day(w.came_in),
                   state=long_wait_state(t, w)))  # fmt: skip
    still_open = review.open_at_end
    end = "n.open_at_end" if weekly else "n.open_at_period_end"
    out.append(t.n("n.open_now" if review.under_way else end, len(still_open)))
    for o in still_open[:10]:
        item(t("report.still_open", who=who(o), urgency=t(f"urgency.{o.urgency}"), due=t.day(o.due),
               state=still_open_state(t, o)))  # fmt: skip
    silent = review.closed_without_contact
    if silent:
        out.append(t.n("n.silent", len(silent)))
        for c in some(silent):
            item(f"{who(c)} ({t(f'outcome.{c.outcome}')})")
        rest(silent)
    if review.waits_by_source:
        heading("waits")
        for source, wait in review.waits_by_source.items():
            days = t.n("n.school_days", wait.median_school_days)
            item(t("report.wait", source=t(f"source.{source}"), days=days,
                   requests=t.n("n.requests", wait.count)))  # fmt: skip
    if weekly and review.under_way:  # only the week under way has a forecast
        heading("forecast")
        forecast = review.forecast
        if forecast is None:
            out.append(t("forecast.none", weeks=HISTORY_WEEKS))
        else:
            work, *how = forecast_lines(t, forecast)
            out += [work, forecast_verdict(t, forecast)]
            open_now = {o.id: o for o in review.open_at_end}
            for request_id in forecast.at_risk:
                o = open_now.get(request_id)
                item(f"{who(o)} ({t(f'urgency.{o.urgency}')})" if o else f"#{request_id}")
            out += how
            first, *medians = forecast_basis(t, forecast.basis)
            out.append(first)
            for line in medians:
                item(line)
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


def tables(review: WeeklyReview | PeriodReview, t: Messages) -> str:
    """CSV: one table per section, each under a `# week section` line (`# 2025-26 section`,
    `# 2025-26-autumn section`), blank lines between. Section names and values are the
    JSON's; the column headers are in the user's language."""
    data = review.as_json()
    label = data["week"] if isinstance(review, WeeklyReview) else str(review.period)
    spent = data["time"]
    sections: list[tuple[str, list[dict[str, Any]]]] = [
        ("received", [{"urgency": u, "count": n} for u, n in data["received"].items()]),
        ("targets", [{"urgency": u} | target for u, target in data["targets"].items()]),
        *((name, data[name]) for name in LISTS),
        ("time_by_activity", [{"activity": a, "minutes": m} for a, m in spent["by_activity"].items()]),
        ("time_by_urgency", [{"urgency": u, "minutes": m} for u, m in spent["by_urgency"].items()]),
        ("time", [{k: v for k, v in spent.items() if not isinstance(v, dict)}]),
        ("waits_by_source", [{"source": s} | w for s, w in data["waits_by_source"].items()]),
        ("year_to_date", [data["year_to_date"]]),
        ("plan", [{"share": name} | share for name, share in data["plan"].items()]),
    ]
    if isinstance(review, PeriodReview):
        sections += [("months", data["months"]), ("longest_waits", data["longest_waits"])]
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
        "year_to_date": ["from", "to", "logged_minutes", "contract_minutes", "balance_minutes"],
        "plan": ["share", "planned_pct", "actual_pct", "gap_pct"],
        "months": [
            "month",
            "received",
            "targets_due",
            "targets_met",
            "targets_pending",
            "logged_minutes",
            "contract_minutes",
            "balance_minutes",
        ],
        "longest_waits": ["id", "pupil", "urgency", "came_in", "contact", "outcome", "waiting_school_days"],
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for number, (name, rows) in enumerate(sections):
        if number:
            buffer.write("\n")
        buffer.write(f"# {label} {name}\n")
        names = columns.get(name) or list(rows[0])
        writer.writerow([t(f"csv.{column}") for column in names])
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in names])
    return buffer.getvalue()
