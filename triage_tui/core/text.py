"""Showing user text literally in a terminal."""


def printable(text: str) -> str:
    """`text` with control characters (escape sequences, newlines) spelled out as \\x1b, \\n."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
