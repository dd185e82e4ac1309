"""triage-tui: a school milieu therapist's triage queue, time log and weekly mirror."""

__version__ = "0.1.0"
