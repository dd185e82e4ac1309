"""The user's settings, with the defaults DESIGN.md names. Reading the file lives in store/."""

from __future__ import annotations

from dataclasses import dataclass, field

from .calendar import Break, SchoolCalendar


@dataclass(frozen=True)
class Settings:
    contract_hours: float = 37.5
    later_days: int = 5  # the `later` horizon in school days
    breaks: tuple[Break, ...] = ()
    language: str | None = None  # "en" or "nb"; None means from $LANG
    backups_kept: int = 30
    # Keys by action id, as Textual's keymap takes them ("n", "ctrl+n", "question_mark,f1").
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None  # Textual's theme name; None means Textual's default
    keep_school_years: int = 2  # the school years whose closed requests keep their text (this one too)
    # A week's contract time is contract_hours (a full position) times this share, in percent.
    position_percent: float = 100.0
    # The work plan: target shares in percent, of direct/indirect/administrative time or of
    # single activities (by name); empty means none.
    plan: dict[str, float] = field(default_factory=dict)

    def calendar(self) -> SchoolCalendar:
        return SchoolCalendar(self.breaks)
