from typing import Any


class TriageError(ValueError):
    """Bad input from the user: the message says what is wrong and what is accepted.

    Messages never contain pupil codes or summaries, so they are safe to show and log. The
    message is English; `key` and `values` let the app say it in the user's language.
    """

    def __init__(self, message: str, key: str | None = None, **values: Any) -> None:
        super().__init__(message)
        self.key = key
        self.values = values
