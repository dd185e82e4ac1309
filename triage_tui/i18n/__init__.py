"""Message catalogs: English and Norwegian bokmål, for every string the TUI shows."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from importlib import import_module

from . import en

LANGUAGES = ("en", "nb")  # each a module here; only the one in use is imported (and English)


def language_for(configured: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The config's language, else Norwegian when $LC_ALL/$LC_MESSAGES/$LANG asks for it."""
    if configured in LANGUAGES:
        return configured
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "nb" if value.split("_")[0].split(".")[0] in ("nb", "no", "nn") else "en"
    return "en"


class Messages:
    """`t("key", name=value)` gives the text in the chosen language."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        words = import_module(f"{__name__}.{language}")
        self._catalog: Mapping[str, str] = words.MESSAGES
        self._weekdays: tuple[str, ...] = words.WEEKDAYS

    def __call__(self, key: str, **values: object) -> str:
        text = self._catalog.get(key) or en.MESSAGES[key]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._catalog or key in en.MESSAGES

    def error(self, error: Exception, *, echo: bool = True) -> str:
        """A refusal in the user's language, when the catalog has it; else its own words.
        What was typed is quoted; without `echo` (the command line) only when it can only be
        a number or a date, as the English messages do."""
        from ..core.parsing import quoted

        key = getattr(error, "key", None)
        text = self._catalog.get(f"error.{key}") if key else None
        if text is None:
            return str(error)
        values = {}
        for name, value in getattr(error, "values", {}).items():
            if name == "text":
                typed = str(value).strip()
                value = self.quote(typed) if echo or quoted(typed, "") else self("error.that")
            elif isinstance(value, datetime):
                value = f"{self.day(value.date())} {value:%H:%M}"
            elif isinstance(value, date):
                value = self.day(value)
            elif name == "urgency":
                value = self(f"urgency.{value}")
            values[name] = value
        return text.format(**values)

    def n(self, key: str, count: float, **values: object) -> str:
        """A count with its words, singular or plural: the catalog gives `one|other`, as in
        `{n} school day|{n} school days`."""
        one, other = (self._catalog.get(key) or en.MESSAGES[key]).split("|")
        return (one if count == 1 else other).format(n=self.number(count), **values)

    def number(self, value: float) -> str:
        """`1.5` in English, `1,5` in Norwegian."""
        text = f"{value:g}"
        return text.replace(".", ",") if self.language == "nb" else text

    def quote(self, text: str) -> str:
        return f"«{text}»" if self.language == "nb" else f"'{text}'"

    def day(self, d: date) -> str:
        """`tor 19.11` in Norwegian, `Thu 19.11` in English."""
        return f"{self._weekdays[d.weekday()]} {d:%d.%m}"

    def date(self, d: date) -> str:
        """With the year: `tor 19.11.2026`."""
        return f"{self._weekdays[d.weekday()]} {d:%d.%m.%Y}"

    def moment(self, moment: datetime) -> str:
        """`tor 19.11 09:30`."""
        return f"{self.day(moment.date())} {moment:%H:%M}"

    def minutes(self, minutes: int) -> str:
        """`1 h 30` in English; `1 t 30 min` in Norwegian, as it is said."""
        hours, rest = divmod(minutes, 60)
        if not hours:
            return f"{rest} min"
        if self.language == "nb":
            return f"{hours} t {rest} min" if rest else f"{hours} t"
        return f"{hours} h {rest:02d}"
