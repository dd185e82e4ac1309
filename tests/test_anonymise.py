"""`--anonymise` leaks nothing: every text field of every part of the weekly review (and of the
review of a school year or term) is filled with a sentinel, and none may survive anonymising,
in any format or language. A new field that holds a pupil code or typed text, and is not
marked so, fails this test."""

from __future__ import annotations

import itertools
import json
import types
import typing
from dataclasses import fields, is_dataclass
from datetime import date, datetime

import pytest

from triage_tui.core import review as review_module
from triage_tui.core.review import Balance, PeriodReview, PlanShare, TimeSpent, Week, WeeklyReview, anonymise
from triage_tui.core.year import Period, SchoolYear
from triage_tui.i18n import Messages
from triage_tui.report import letter, tables

SENTINEL = "SECRET"
# Text fields that hold one of our own words, never typed text: given a valid word.
VOCABULARY = {"urgency": "now", "outcome": "withdrawn", "from_": "now", "to": "later", "month": "2026-11"}
_numbers = itertools.count(1)


def filled(kind: type) -> object:
    """An instance of the dataclass `kind` with every field filled: text with a sentinel."""
    hints = typing.get_type_hints(kind, vars(review_module))
    values = {}
    for f in fields(kind):
        hint = hints[f.name]
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        if str in options:
            values[f.name] = VOCABULARY.get(f.name, f"{SENTINEL}-{f.name}-{next(_numbers)}")
        elif datetime in options:
            values[f.name] = datetime(2026, 11, 23, 9, 0)
        elif date in options:
            values[f.name] = date(2026, 11, 23)
        elif bool in options:
            values[f.name] = False
        elif int in options or float in options:
            values[f.name] = 2
        else:
            raise AssertionError(f"{kind.__name__}.{f.name}: {hint} is new to this test")
    return kind(**values)


def sentinel_review(kind: type = WeeklyReview) -> WeeklyReview | PeriodReview:
    """A weekly review, or (`kind`) one of a school year, with every list filled twice."""
    parts = {}
    hints = typing.get_type_hints(kind, vars(review_module))
    for f in fields(kind):
        args = typing.get_args(hints[f.name])
        if typing.get_origin(hints[f.name]) is tuple:
            parts[f.name] = (filled(args[0]), filled(args[0]))
    span = {"week": Week(2026, 48)} if kind is WeeklyReview else {"period": Period(SchoolYear(2026))}
    return kind(
        **span,
        as_of=datetime(2026, 11, 29, 23, 59, 59),
        received={"now": 1, "tomorrow": 1, "later": 1},
        targets={u: review_module.Target(1, 0, 0) for u in ("now", "tomorrow", "later")},
        time=TimeSpent(
            60, {"conversation": 60}, {"now": 60, "tomorrow": 0, "later": 0, "unlinked": 0}, 1.0, 2250, -2190
        ),  # fmt: skip
        waits_by_source={"pupil": review_module.Wait(2, 1)},
        year_to_date=Balance(date(2026, 8, 1), date(2026, 11, 29), 60, 36000, -35940),
        plan={"direct": PlanShare(60.0, 100.0, 40.0)},
        **parts,
    )


@pytest.mark.parametrize(("kind", "lists"), [(WeeklyReview, 8), (PeriodReview, 10)])
def test_the_sentinel_review_has_every_part_and_the_sentinels_show_without_anonymising(
    kind: type, lists: int
) -> None:
    review = sentinel_review(kind)
    tuples = [f.name for f in fields(kind) if isinstance(getattr(review, f.name), tuple)]
    assert len(tuples) == lists and all(len(getattr(review, name)) == 2 for name in tuples)
    assert all(is_dataclass(getattr(review, name)[0]) for name in tuples)
    assert SENTINEL in json.dumps(review.as_json())
    assert SENTINEL in letter(review, Messages("en"))


@pytest.mark.parametrize("kind", [WeeklyReview, PeriodReview])
@pytest.mark.parametrize("language", ["en", "nb"])
def test_no_sentinel_survives_anonymising_in_any_format(language: str, kind: type) -> None:
    shared = anonymise(sentinel_review(kind))
    t = Messages(language)
    outputs = {
        "json": json.dumps(shared.as_json()),
        "text": letter(shared, t),
        "md": letter(shared, t, markdown=True),
        "csv": tables(shared, t),
    }
    for form, out in outputs.items():
        assert SENTINEL not in out, form
    assert "P1" in outputs["text"] and "P16" in outputs["json"]  # 8 parts × 2, each its own alias
