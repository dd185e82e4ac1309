"""The optional config.toml: defaults when missing, clear errors when wrong."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from triage_tui.caseload import Caseload
from triage_tui.core.calendar import Break
from triage_tui.core.errors import TriageError
from triage_tui.core.settings import Settings
from triage_tui.store.config import load_settings


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder


def test_no_config_means_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings(37.5, 5, (), None, 30)


def test_every_setting_is_read(tmp_path: Path) -> None:
    folder = write_config(
        tmp_path,
        """
        contract_hours = 30
        later_days = 3
        language = "nb"
        backups_kept = 10
        [[breaks]]
        name = "Juleferie"
        from = 2026-12-21
        to = 2027-01-01
        """,
    )
    settings = load_settings(folder)
    christmas = Break(date(2026, 12, 21), date(2027, 1, 1), "Juleferie")
    assert settings == Settings(30.0, 3, (christmas,), "nb", 10)


def test_configured_breaks_and_horizon_shape_due_dates(tmp_path: Path) -> None:
    folder = write_config(
        tmp_path / "data",
        'later_days = 2\n[[breaks]]\nname = "Juleferie"\nfrom = 2026-12-21\nto = 2027-01-01\n',
    )
    caseload = Caseload.open(folder, lambda: datetime(2026, 12, 17, 10, 0))  # Thursday
    # Fri 18.12 is one school day; the break and New Year's Day follow; Mon 04.01 is the second.
    assert caseload.add("7B", "before Christmas").due == date(2027, 1, 4)
    assert caseload.add("7B", "tomorrow", urgency="tomorrow").due == date(2026, 12, 18)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("contract_hours = -1", "contract_hours must be"),
        ('contract_hours = "lots"', "contract_hours must be"),
        ("later_days = 0", "later_days must be"),
        ("later_days = 2.5", "later_days must be"),
        ('language = "de"', 'language must be "en" or "nb"'),
        ("backups_kept = 0", "backups_kept must be"),
        ("colour = 1", "unknown setting colour"),
        ("[[breaks]]\nfrom = 2027-01-01\nto = 2026-12-21", "each \\[\\[breaks\\]\\] needs"),
        ('[[breaks]]\nfrom = "soon"\nto = 2026-12-21', "each \\[\\[breaks\\]\\] needs"),
        ("contract_hours = ", "config.toml"),
    ],
)
def test_a_wrong_config_is_a_clear_error_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    write_config(tmp_path, text)
    with pytest.raises(TriageError, match=message) as caught:
        load_settings(tmp_path)
    assert str(tmp_path / "config.toml") in str(caught.value)
