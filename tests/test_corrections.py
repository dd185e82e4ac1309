"""Corrections: a name typed where a code belongs is warned about; a request can be recorded
as having come in earlier, so the time spent on it before it was written down fits."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from test_tui import SIZE, make_app, screen_text, settle, shell, typed

from triage_tui.cli import main
from triage_tui.core.operations import looks_like_a_name
from triage_tui.ui.screens.forms import Form


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("Ola Nordmann", True),
        ("Anne-Lise Berg", True),
        ("Kari O. Hansen", True),
        ("Ærlig Østby", True),
        ("7B-ER", False),
        ("AB CD", False),  # initials
        ("Ola", False),  # one word: could be a nickname or a code
        ("Ola 7B", False),
        ("ola nordmann", False),
        ("Gruppe 8A", False),
    ],
)
def test_a_code_that_looks_like_a_full_name(code: str, name: bool) -> None:
    assert looks_like_a_name(code) is name


def test_the_command_line_warns_of_a_name_and_saves_all_the_same(tmp_path: Path, capsys) -> None:
    folder = str(tmp_path / "data")
    now = datetime(2026, 11, 26, 10, 0)
    assert (
        main(["add", "Lei", "seg", "--pupil", "Ola Nordmann", "--data-dir", folder], clock=lambda: now) == 0
    )
    out, err = capsys.readouterr()
    assert err == (
        "warning: the pupil code looks like a full name; a code or initials (e.g. 7B-ER) keep the "
        "name out of the records: triage edit 1 --pupil CODE\n"
    )
    assert "Ola" not in err
    assert main(["edit", "1", "--pupil", "7B-ON", "--data-dir", folder], clock=lambda: now) == 0
    assert capsys.readouterr().err == ""


async def test_the_form_warns_of_a_name_as_it_is_typed(tmp_path: Path, clock) -> None:
    app = make_app(tmp_path / "data", clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await typed(pilot, "Ola Nordmann")
        await settle(pilot)
        assert "This looks like a full name." in screen_text(app)
        await pilot.press(*["backspace"] * 12)
        await typed(pilot, "7B-ON")
        await settle(pilot)
        assert "This looks like a full name." not in screen_text(app)


async def test_the_form_records_when_a_request_came_in(tmp_path: Path, clock) -> None:
    """At 10:00 she writes down what came in at 09:15; then the 30 minutes she spent on it
    from 09:20 can be logged."""
    folder = tmp_path / "data"
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await typed(pilot, "7B")
        await pilot.press("tab", "tab")
        await typed(pilot, "Sad")
        await pilot.press("tab", "tab")
        await typed(pilot, "09:15")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, Form)
        await pilot.press("a")
        await typed(pilot, "8A")
        await pilot.press("tab", "tab")
        await typed(pilot, "x")
        await pilot.press("tab", "tab")
        await typed(pilot, "soon")  # not a moment: refused, the form kept
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Form)
        assert "Not saved: that is not a date I understand" in screen_text(app)
    caseload = shell(folder, clock)
    (request,) = caseload.open_requests()
    assert request.created == datetime(2026, 11, 26, 9, 15)
    assert caseload.log(30, "conversation", request_id=1, start=datetime(2026, 11, 26, 9, 20)).id == 1
