"""Showing user text literally in a terminal, a Markdown viewer or a JSON reader."""

import re

# The ASCII characters CommonMark and its common extensions act on in the middle of a line:
# emphasis, code, links and images, HTML and entities, GFM tables and strikethrough, math,
# attributes; `:` ends a scheme that viewers would turn into a live link. User text never
# starts a line (its newlines are spelled out), so `-`, `+`, `.` and `=` stay: codes stay readable.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#!|~&$^:])")
# orjson escapes the C0 controls but writes DEL and the C1 controls raw.
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with control characters (escape sequences, newlines) spelled out as \\x1b, \\n."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def markdown_literal(text: str) -> str:
    """`text` for a line of Markdown, to render as typed: no link, emphasis, HTML or entity."""
    return _MARKDOWN.sub(r"\\\1", printable(text))


def inert_json(text: str) -> str:
    """JSON text with DEL and the C1 controls written as \\u007f, \\u0080 …: the same strings,
    which a terminal cannot act on. They occur only inside strings, so the JSON stays valid."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
