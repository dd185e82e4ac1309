"""The shape of the documents in a data file, as `to_doc` of a request, a time entry and the
timer writes them. A document of another shape is damage: the file that holds it is refused
when it is read, before anything is built on it or saved on top of it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..core.model import ACTIVITIES, OUTCOMES, SOURCES, URGENCIES

_URGENCY_OR_NONE = (None, *URGENCIES)


def _id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _request(doc: dict[str, Any]) -> bool:
    """Its text, its source, and its events: each with its type, its moment and what its type
    sets. Dates are checked by parsing them (a ValueError, or a TypeError if not text)."""
    events = doc["events"]
    if not (
        isinstance(doc["pupil"], str)
        and isinstance(doc["summary"], str)
        and doc["source"] in SOURCES
        and isinstance(events, list)
    ):
        return False
    classified = False  # its class and due date come from a classification
    for event in events:  # one loop, no call an event: years of archives are checked on reading
        datetime.fromisoformat(event["at"])
        kind, why = event["type"], event.get("why")
        if why is not None and not isinstance(why, str):
            return False
        if kind == "classified":
            if not (event.get("from") in _URGENCY_OR_NONE and event["to"] in URGENCIES):
                return False
            date.fromisoformat(event["due"])
            classified = True
        elif kind == "closed":
            if event["outcome"] not in OUTCOMES:
                return False
        elif kind == "postponed":
            date.fromisoformat(event["from_due"])
            date.fromisoformat(event["to_due"])
        elif kind == "next_step":
            if event.get("date") is not None:
                date.fromisoformat(event["date"])
        elif kind == "reopened":
            date.fromisoformat(event["due"])
        elif kind == "edited":
            if not (isinstance(event["fields"], list) and all(isinstance(f, str) for f in event["fields"])):
                return False
        elif kind != "created":
            return False
    return classified


def _time(doc: dict[str, Any]) -> bool:
    datetime.fromisoformat(doc["start"])
    minutes, request, note = doc["minutes"], doc.get("request"), doc.get("note")
    return (
        _id(minutes)
        and minutes > 0
        and doc["activity"] in ACTIVITIES
        and (request is None or _id(request))
        and (note is None or isinstance(note, str))
    )


def _timer(doc: dict[str, Any]) -> bool:
    datetime.fromisoformat(doc["start"])
    request = doc.get("request")
    return doc["activity"] in ACTIVITIES and (request is None or _id(request))


_TABLES = (("requests", "request", _request), ("time", "time entry", _time), ("timer", "timer", _timer))


def misshapen(tables: Any) -> str | None:
    """The first document in `tables` (a data file's tables, or the documents one journal
    line sets) not of the shape this version writes, named by its kind and number, never by
    its text: "request 12". None if there is none."""
    if not isinstance(tables, dict):
        return "set of documents"
    for table, kind, check in _TABLES:
        docs = tables.get(table, {})
        if not isinstance(docs, dict):
            return f"{table} table"
        for key, doc in docs.items():
            number = key.isascii() and key.isdigit() and len(key) <= 12
            try:
                good = number and isinstance(doc, dict) and check(doc)
            except (LookupError, TypeError, ValueError):
                good = False
            if not good:
                return f"{kind} {key}" if number else f"{kind} without a proper number"
    return None
