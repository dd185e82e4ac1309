"""The optional settings file, `config.toml` in the data folder. Missing means defaults.

contract_hours = 37.5      # hours a week
later_days = 5             # school days a `later` request may wait
language = "nb"            # "en" or "nb"; unset means from $LANG
backups_kept = 30
[[breaks]]                 # holiday ranges, inclusive
name = "Juleferie"
from = 2026-12-21
to = 2027-01-01
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from ..core.calendar import Break
from ..core.errors import TriageError
from ..core.settings import Settings
from .errors import FileAccessError
from .files import read_no_link

CONFIG_NAME = "config.toml"


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

    unknown = set(raw) - {"contract_hours", "later_days", "language", "backups_kept", "breaks"}
    if unknown:
        raise bad(f"unknown setting {', '.join(sorted(unknown))}")
    defaults = Settings()
    hours = raw.get("contract_hours", defaults.contract_hours)
    if not isinstance(hours, int | float) or isinstance(hours, bool) or not 0 < hours <= 80:
        raise bad("contract_hours must be a number of hours from 0 to 80")
    later = raw.get("later_days", defaults.later_days)
    if not isinstance(later, int) or isinstance(later, bool) or not 1 <= later <= 60:
        raise bad("later_days must be a whole number of school days from 1 to 60")
    kept = raw.get("backups_kept", defaults.backups_kept)
    if not isinstance(kept, int) or isinstance(kept, bool) or not 1 <= kept <= 1000:
        raise bad("backups_kept must be a whole number from 1 to 1000")
    language = raw.get("language")
    if language not in (None, "en", "nb"):
        raise bad('language must be "en" or "nb"')
    breaks = []
    for item in raw.get("breaks", []):
        start, end = (item.get(k) if isinstance(item, dict) else None for k in ("from", "to"))
        if not (isinstance(start, date) and isinstance(end, date)) or end < start:
            raise bad("each [[breaks]] needs dates `from` and `to` (from <= to), like from = 2026-12-21")
        breaks.append(Break(start, end, str(item.get("name", ""))))
    return Settings(float(hours), later, tuple(breaks), language, kept)
