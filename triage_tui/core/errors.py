class TriageError(ValueError):
    """Bad input from the user: the message says what is wrong and what is accepted.

    Messages never contain pupil codes or summaries, so they are safe to show and log.
    """
