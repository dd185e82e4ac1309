"""The message catalogs: every key the code can show or raise exists in English and in
Norwegian, with the same placeholders, and counts have a singular and a plural."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from triage_tui.core.model import ACTIVITIES, EDITABLE, EVENT_TYPES, LANES, OUTCOMES, SOURCES, URGENCIES
from triage_tui.i18n import Messages, en, nb

SOURCE = "\n".join(
    path.read_text() for path in sorted(Path(__file__).parent.parent.joinpath("triage_tui").rglob("*.py"))
    if "i18n" not in path.parts
)  # fmt: skip
CATALOGS = {"en": en.MESSAGES, "nb": nb.MESSAGES}

# Keys the code builds from a name (t(f"urgency.{u}")), with every name it can be given.
FAMILIES = {
    "urgency": URGENCIES,
    "source": SOURCES,
    "activity": tuple(ACTIVITIES),
    "outcome": OUTCOMES,
    "lane": (*LANES, "closed"),
    "field": EDITABLE,
    "mark": ("overdue", "downgraded", "postponed"),
    "target": ("met", "missed", "pending"),
    "review.kind": (
        "breach",
        "slip",
        "downgrade",
        "postponement",
        "silent",
        "follow_up_kept",
        "follow_up_late",
        "quiet",
        "waiting",
        "at_risk",
        "long_wait",
    ),  # fmt: skip
    "review.times": ("postponed", "downgraded"),
    "report.h": (
        "time",
        "hours",
        "came_in",
        "pushed",
        "follow_ups",
        "quiet",
        "waited",
        "waits",
        "plan",
        "months",
        "forecast",
    ),  # fmt: skip
    "period": ("year", "autumn", "spring"),
    "month": tuple(str(n) for n in range(1, 13)),
    "kind": ("direct", "indirect", "administrative"),
    "balance": ("over", "under", "even"),
    "key": ("period", "previous_term", "next_term", "previous_year", "next_year"),
    "csv": (
        "urgency",
        "count",
        "due",
        "met",
        "pending",
        "id",
        "pupil",
        "handled",
        "school_days_late",
        "from",
        "to",
        "at",
        "why",
        "from_due",
        "to_due",
        "waiting_school_days",
        "first_contact",
        "postponed",
        "downgraded",
        "outcome",
        "next_step",
        "contact",
        "on_time",
        "last_contact",
        "school_days",
        "activity",
        "minutes",
        "total_minutes",
        "direct_share",
        "contract_minutes",
        "source",
        "median_school_days",
        "balance_minutes",
        "logged_minutes",
        "share",
        "planned_pct",
        "actual_pct",
        "gap_pct",
        "month",
        "received",
        "targets_due",
        "targets_met",
        "targets_pending",
        "came_in",
    ),  # fmt: skip
}


def used_keys() -> set[str]:
    literal = set(re.findall(r"\bt(?:\.n)?\(\s*\"([a-z_.\-]+)\"", SOURCE))
    built = {f"{family}.{name}" if family != "review.times" else f"review.times_{name}"
             for family, names in FAMILIES.items() for name in names}  # fmt: skip
    return literal | built


def refusal_keys() -> set[str]:
    """The keys of every TriageError the code raises (its English text is its own message)."""
    return set(re.findall(r"TriageError\((?:[^()]|\([^()]*\))*?,\s*\"([a-z_]+)\"", SOURCE, re.S))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_the_keys_it_should() -> None:
    """A check that the scans below see something: a typo in a pattern would pass them all."""
    assert {"msg.added", "report.logged", "n.school_days", "cli.logged"} <= used_keys()
    assert {"bad_when", "no_request", "timer_overnight", "week_ahead"} <= refusal_keys()
    assert set(EVENT_TYPES) - {"next_step"} <= {
        k.split(".")[1] for k in en.MESSAGES if k.startswith("event.")
    }


@pytest.mark.parametrize("language", ["en", "nb"])
def test_every_key_the_code_shows_is_in_the_catalog(language: str) -> None:
    assert sorted(used_keys() - set(CATALOGS[language])) == []


def test_every_refusal_can_be_said_in_norwegian() -> None:
    assert sorted(f"error.{key}" for key in refusal_keys() if f"error.{key}" not in nb.MESSAGES) == []


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    words = {key for key in en.MESSAGES if not key.startswith("error.")}
    assert words == {key for key in nb.MESSAGES if not key.startswith("error.")}
    differ = [key for key in words if placeholders(en.MESSAGES[key]) != placeholders(nb.MESSAGES[key])]
    assert differ == []


def test_counts_have_a_singular_and_a_plural_in_both_languages() -> None:
    counted = set(re.findall(r"\bt\.n\(\s*f?\"([a-z_.{}\-]+)\"", SOURCE)) | {"review.times_postponed"}
    counted = {key.replace("{kind}", "postponed") for key in counted} | {"review.times_downgraded"}
    assert len(counted) > 10
    for catalog in CATALOGS.values():
        for key in counted:
            assert catalog[key].count("|") == 1, key


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [("en", 1, "1 school day"), ("en", 0, "0 school days"), ("en", 2.5, "2.5 school days"),
     ("nb", 1, "1 skoledag"), ("nb", 3, "3 skoledager"), ("nb", 1.5, "1,5 skoledager")],
)  # fmt: skip
def test_a_count_takes_its_singular_or_plural(language: str, count: float, said: str) -> None:
    assert Messages(language).n("n.school_days", count) == said
