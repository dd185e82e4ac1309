"""User text shown literally, and history told in the user's language."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from ..core.model import Event
from ..core.text import printable
from ..i18n import Messages


def literal(text: str, style: str = "") -> Text:
    """User text as it was typed: never markup, escape sequences spelled out."""
    return Text(printable(text), style=style)


def event_line(t: Messages, event: Event) -> str:
    def day(d: date | None) -> str:
        return t.day(d) if d else ""

    why = t("event.why", why=printable(event.why)) if event.why else ""
    if event.type == "classified":
        key = "event.classified_first" if event.from_ is None else "event.classified"
        from_ = t(f"urgency.{event.from_}") if event.from_ else ""
        return t(key, from_=from_, to=t(f"urgency.{event.to}"), due=day(event.due)) + why
    if event.type == "postponed":
        return t("event.postponed", from_due=day(event.from_due), to_due=day(event.to_due)) + why
    if event.type == "closed":
        return t("event.closed", outcome=t(f"outcome.{event.outcome}"))
    if event.type == "reopened":
        return t("event.reopened", due=day(event.due))
    if event.type == "edited":
        return t("event.edited", fields=", ".join(t(f"field.{name}") for name in event.fields or ()))
    return t("event.created")
