"""User text shown literally."""

from __future__ import annotations

from rich.text import Text

from ..core.text import printable


def literal(text: str, style: str = "") -> Text:
    """User text as it was typed: never markup, escape sequences spelled out."""
    return Text(printable(text), style=style)
