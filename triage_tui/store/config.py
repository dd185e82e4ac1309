"""The optional settings file, `config.toml` in the data folder. Missing means defaults.

contract_hours = 37.5      # hours a week in a full position
position_percent = 100     # the share of a full position: a week's contract is contract_hours × this / 100
later_days = 5             # school days a `later` request may wait
language = "nb"            # "en" or "nb"; unset means from $LANG
backups_kept = 30
keep_school_years = 2      # closed requests keep their text this long; `triage purge` removes it after
theme = "nord"             # Textual's theme; the app writes it when one is picked
[keys]                     # keys by action id, as in Textual's keymap
add = "+"
[[breaks]]                 # holiday ranges, inclusive
name = "Juleferie"
from = 2026-12-21
to = 2027-01-01
off = true                 # not worked either: its weekdays count no contract time
[plan]                     # the work plan, in percent of the time: direct, indirect, administrative
direct = 60                # (or single activities); the shares add up to 100
indirect = 25
administrative = 15
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from ..core.calendar import Break
from ..core.errors import TriageError
from ..core.model import ACTIVITIES
from ..core.settings import Settings
from ..core.text import printable
from .errors import FileAccessError
from .files import FILE_MODE, atomic_write, read_no_link

CONFIG_NAME = "config.toml"
SETTINGS = (
    "contract_hours", "later_days", "language", "backups_kept", "theme", "keys", "breaks",
    "keep_school_years",
    "position_percent", "plan",
)  # fmt: skip
# The actions `[keys]` can put on other keys: the ids of the app's bindings (a test holds
# the two the same; the app's screens cannot be imported here, they import Textual).
ACTIONS = (
    "add", "now", "tomorrow", "later", "postpone", "next_step", "timer", "log", "close",
    "open", "edit", "pupil", "reopen", "undo", "ongoing", "review", "filter", "closed_too", "cancel",
    "help", "quit", "back", "save", "palette", "previous_week", "next_week", "period",
    "time", "delete", "previous_day", "next_day",
    "up", "down", "first", "last", "page_up", "page_down", "next_lane", "previous_lane",
)  # fmt: skip
WHILE_TYPING = ("save", "cancel")  # they act while a text field has the keys
MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    ("escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup",
     "pagedown", "up", "down", "left", "right", *(f"f{n}" for n in range(1, 25)))
)  # fmt: skip
# Textual names a few characters otherwise than Unicode does (textual.keys, not imported here).
SHORT_NAMES = {
    "solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
    "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore",
}  # fmt: skip


def load_settings(data_dir: Path) -> Settings:
    path = Path(data_dir) / CONFIG_NAME
    if not os.path.lexists(path):
        return Settings()
    import tomllib  # only when there is a file: it costs start-up time

    try:
        raw = tomllib.loads(read_no_link(path).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise TriageError(f"{path}: {e}") from None
    except OSError as e:
        raise FileAccessError(e, "nothing was changed", path, "read") from None
    return settings_from(raw, path)


def settings_from(raw: dict[str, Any], path: Path) -> Settings:
    def bad(message: str) -> TriageError:
        return TriageError(f"{path}: {message}")

    unknown = set(raw) - set(SETTINGS)
    if unknown:
        raise bad(f"unknown setting {', '.join(sorted(unknown))}")
    defaults = Settings()
    hours = raw.get("contract_hours", defaults.contract_hours)
    if not isinstance(hours, int | float) or isinstance(hours, bool) or not 0 < hours <= 80:
        raise bad("contract_hours must be a number of hours from 0 to 80")
    position = raw.get("position_percent", defaults.position_percent)
    if not isinstance(position, int | float) or isinstance(position, bool) or not 0 < position <= 100:
        raise bad("position_percent must be a number above 0 and at most 100 (100 is a full position)")
    later = raw.get("later_days", defaults.later_days)
    if not isinstance(later, int) or isinstance(later, bool) or not 1 <= later <= 60:
        raise bad("later_days must be a whole number of school days from 1 to 60")
    kept = raw.get("backups_kept", defaults.backups_kept)
    if not isinstance(kept, int) or isinstance(kept, bool) or not 1 <= kept <= 1000:
        raise bad("backups_kept must be a whole number from 1 to 1000")
    years = raw.get("keep_school_years", defaults.keep_school_years)
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 50:
        raise bad("keep_school_years must be a whole number of school years from 1 to 50 (this one counts)")
    language = raw.get("language")
    if language not in (None, "en", "nb"):
        raise bad('language must be "en" or "nb"')
    breaks = []
    for item in raw.get("breaks", []):
        start, end = (item.get(k) if isinstance(item, dict) else None for k in ("from", "to"))
        if not (isinstance(start, date) and isinstance(end, date)) or end < start:
            raise bad("each [[breaks]] needs dates `from` and `to` (from <= to), like from = 2026-12-21")
        off = item.get("off", False)
        if not isinstance(off, bool):
            raise bad("a [[breaks]] `off` must be true or false, like off = true")
        breaks.append(Break(start, end, str(item.get("name", "")), off))
    theme = raw.get("theme")
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        raise bad('theme must be the name of a theme, like theme = "nord" (ctrl+p, Theme, lists them)')
    keys = raw.get("keys", {})
    if not isinstance(keys, dict):
        raise bad('keys must be a table of actions and keys: [keys] and then a line like add = "n"')
    plan = work_plan(raw.get("plan", {}), bad)
    return Settings(
        float(hours), later, tuple(breaks), language, kept, keymap(keys, bad), theme, keep_school_years=years,
        position_percent=float(position), plan=plan,
    )  # fmt: skip


def work_plan(table: Any, bad: Any) -> dict[str, float]:
    """The `[plan]` table: shares in percent of the three kinds of time, or of single
    activities (not both, or a share would count twice), adding up to 100."""
    kinds = tuple(dict.fromkeys(ACTIVITIES.values()))
    if not isinstance(table, dict):
        raise bad("plan must be a table of shares in percent: [plan] and then lines like direct = 60")
    for name, share in table.items():
        if name not in (*kinds, *ACTIVITIES):
            raise bad(f"[plan] has no {printable(name)}; plan {', '.join(kinds)}, or single activities: "
                      f"{', '.join(ACTIVITIES)}")  # fmt: skip
        if not isinstance(share, int | float) or isinstance(share, bool) or not 0 <= share <= 100:
            raise bad(f"[plan] {name} must be a share in percent from 0 to 100")
    if any(name in kinds for name in table) and any(name in ACTIVITIES for name in table):
        raise bad(f"[plan] plans either {', '.join(kinds)} or single activities, not both")
    total = sum(table.values())
    if table and abs(total - 100) > 0.01:
        raise bad(f"[plan] shares add up to {total:g} %; they must add up to 100")
    return {name: float(share) for name, share in table.items()}


def keymap(table: dict[str, Any], bad: Any) -> dict[str, str]:
    """The `[keys]` table as Textual's keymap takes it: by action id, each key by its name,
    several keys joined by commas."""
    keys = {}
    for action, value in table.items():
        if action not in ACTIONS:
            raise bad(f"[keys] has no action {printable(action)}; the actions are {', '.join(ACTIONS)}")
        texts = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else [value]
        names = []
        if not texts:
            raise bad(f"[keys] {action} has no key")
        for text in texts:
            name = key_name(text.strip()) if isinstance(text, str) else None
            if name is None:
                shown = printable(text) if isinstance(text, str) else repr(text)
                raise bad(
                    f'[keys] {action}: "{shown}" is not a key; write keys like "n", "N", "ctrl+n", '
                    '"f2" or "?", several as "n,ctrl+n"'
                )
            if action in WHILE_TYPING and typed(name):
                raise bad(
                    f'[keys] {action}: "{printable(text)}" would be typed into the form\'s fields; '
                    'give it a key that types nothing, like "ctrl+s" or "f2"'
                )
            names.append(name)
        keys[action] = ",".join(dict.fromkeys(names))
    return keys


def typed(key: str) -> bool:
    """Whether a key (as Textual names it) types a character into a text field."""
    *modifiers, name = key.split("+")
    return set(modifiers) <= {"shift"} and (name == "space" or name not in NAMED_KEYS)


def key_name(text: str) -> str | None:
    """A key as Textual names it (`?` is `question_mark`, `ctrl+/` is `ctrl+slash`), or None
    when `text` is no key."""
    head, _, key = text.rpartition("+")
    if not key and text.endswith("+"):  # "+" itself, or "ctrl++"
        head, key = head.removesuffix("+"), "+"
    modifiers = head.lower().split("+") if head else []
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) < len(modifiers):
        return None
    if len(key) == 1:
        name = "space" if key == " " else character_key(key) if key.isprintable() else None
    elif key.lower() in NAMED_KEYS or key.lower() in SHORT_NAMES.values():
        name = key.lower()
    else:  # a character by its name: question_mark, left_square_bracket
        try:
            character = unicodedata.lookup(key.replace("_", " "))
        except KeyError:
            return None
        name = character_key(character) if character.isprintable() and not character.isspace() else None
    return "+".join([*modifiers, name]) if name else None


def character_key(character: str) -> str:
    """The name Textual gives the key of a character: `a`, `7`, `question_mark`, `slash`."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return SHORT_NAMES.get(name, name)


# `theme = "nord"  # a comment`: what comes before the value, the value, what comes after.
_THEME_LINE = re.compile(r"""^(\s*theme\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*')(.*)$""", re.DOTALL)


def remember_theme(data_dir: Path, theme: str) -> None:
    """Write `theme = "…"` into config.toml, leaving the rest of the file as it was: its
    other settings, its comments, its mode. A file without the setting gets it above its
    first table. A file that cannot be changed so is left alone, with a TriageError."""
    import tomllib

    path = Path(data_dir) / CONFIG_NAME
    try:
        text = read_no_link(path).decode("utf-8")
        mode = os.stat(path, follow_symlinks=False).st_mode & 0o7777
    except FileNotFoundError:
        text, mode = "", FILE_MODE
    except OSError as e:
        raise FileAccessError(e, "the theme was not saved", path, "read") from None
    except UnicodeDecodeError as e:
        raise TriageError(f"{path}: {e}") from None
    value = '"{}"'.format(theme.replace("\\", "\\\\").replace('"', '\\"'))
    lines = text.splitlines(keepends=True)
    tables = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    for i, line in enumerate(lines[:tables]):
        if found := _THEME_LINE.match(line):
            lines[i] = found[1] + value + found[3]
            break
    else:
        at = tables
        while tables < len(lines) and at > 0 and lines[at - 1].lstrip()[:1] in ("#", ""):
            at -= 1  # above the comments that head the first table, by the settings before it
        if at and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        lines.insert(at, f"theme = {value}\n")
    new = "".join(lines)
    try:
        before, after = tomllib.loads(text), tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        before, after = {}, {}
    if after.pop("theme", None) != theme or after != {k: v for k, v in before.items() if k != "theme"}:
        raise TriageError(
            f"{path}: the theme is not saved, this file is not as expected; write theme = {value} in it"
        )
    try:
        atomic_write(path, new.encode("utf-8"), mode)
    except OSError as e:
        raise FileAccessError(e, "the theme was not saved", path) from None
