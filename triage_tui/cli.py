"""The command line: quick capture from a shell, listings, backups.

Quick-capture commands never import Textual; only `triage` with no command starts the TUI.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .core.errors import TriageError
from .core.model import ACTIVITIES, LANES, OUTCOMES, SOURCES, URGENCIES, Request, TimeEntry
from .core.operations import looks_like_a_name
from .core.parsing import DURATION_FORMS, WHEN_FORMS, parse_date, parse_duration, parse_moment, quoted
from .core.settings import Settings
from .core.text import inert_json, printable
from .core.year import TERMS
from .i18n import Messages
from .present import ago, entry_line, event_line, marks, reason_numbers, request_heading, undo_line

EXIT_STORE = 1
EXIT_BAD_INPUT = 2
APP_NAME = "triage-tui"


# argparse's messages that quote what was typed, which may be pupil text: (pattern, replacement).
# Only choices and option names, both ours, are kept.
_TYPED = (
    (re.compile(r"invalid choice: .* \(choose from (.*?)\)$", re.S),
     lambda m: "choose from " + m[1].replace("'", "")),
    (re.compile(r"invalid \S+ value: .*$", re.S), lambda m: "not a value it takes"),
    (re.compile(r"ignored explicit argument .*$", re.S), lambda m: "takes no value"),
    (re.compile(r"ambiguous option: (.*) could match (.*?)$", re.S),
     lambda m: f"ambiguous option: {_flag(m[1])} could match {m[2]}"),
)  # fmt: skip


def _flag(word: str) -> str:
    """An option as typed, without a value given with `=`."""
    return word.partition("=")[0]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line on stderr, exit 2 (argparse prints the usage too); it never repeats typed text."""
        for pattern, replace in _TYPED:
            message = pattern.sub(replace, message)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {printable(message)} (see {self.prog} --help)\n")


def _request_id(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a request id (a number like 12)")
    return int(text)


def _reason_number(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,4}", text) or int(text) < 1:
        raise TriageError(f"{quoted(text)} is not a reason's number (as `show` numbers them: 1, 2, ...)")
    return int(text)


def _duration(text: str) -> int:
    try:
        return parse_duration(text)
    except TriageError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _folder(text: str) -> Path:
    if not text.strip():  # Path("") is the current folder, which would be made private
        raise argparse.ArgumentTypeError(
            "the data folder cannot be empty; name a folder or leave --data-dir out"
        )
    return Path(text)


def _when(option: str, parse: Callable[..., Any], text: str, *args: Any, **kwargs: Any) -> Any:
    """`parse(text, ...)`, with a refusal naming the argument, as argparse's own ones do."""
    try:
        return parse(text, *args, **kwargs)
    except TriageError as e:
        raise TriageError(f"argument {option}: {e}", e.key, **e.values) from None


# Every command, in the order `--help` lists them.
COMMANDS = ("add", "list", "show", "urgency", "postpone", "next", "log", "unlog", "time", "start", "stop",
            "done", "reopen", "edit", "report", "undo", "purge", "backup", "restore", "repair")  # fmt: skip


class _NotBuilt:
    """Takes the arguments of a command other than the one typed: they are never parsed."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        pass


def typed_command(argv: list[str]) -> str | None:
    """The command in `argv` when only `--data-dir DIR` comes before it, else None (help, the
    TUI, a mistake). Then only that command's parser is built: building all of them takes
    10-15 ms, a tenth of a quick capture."""
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("--data-dir="):
            return word if word in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the one command `only` (see `typed_command`)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=_folder, default=argparse.SUPPRESS, metavar="DIR",
        help="data folder (default: $TRIAGE_DATA_DIR, else the user data folder)",
    )  # fmt: skip
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print one JSON object")
    at = argparse.ArgumentParser(add_help=False)
    at.add_argument("--at", metavar="WHEN", help="when it happened, if not now (yesterday 14:00, fri 09:30)")

    parser = _Parser(
        prog="triage",
        description="Triage pupil requests (now / tomorrow / later), log time, review the week. "
        "With no command, opens the queue.",
        epilog=f"WHEN: {WHEN_FORMS}.  DURATION: {DURATION_FORMS}.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"triage-tui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str, help: str, *parents: argparse.ArgumentParser
    ) -> argparse.ArgumentParser | _NotBuilt:
        if only is not None and name != only:
            return _NotBuilt()
        return commands.add_parser(name, help=help, description=help, parents=[common, *parents])

    p = command("add", "record a new request", at, as_json)
    p.add_argument("summary", nargs="+", metavar="SUMMARY", help="what it is about (quotes optional)")
    p.add_argument("--pupil", required=True, metavar="CODE", help="pupil code or initials, not a full name")
    p.add_argument(
        "--from",
        dest="source",
        default="pupil",
        choices=SOURCES,
        metavar="SOURCE",
        help=f"who brought it: {', '.join(SOURCES)} (default pupil)",
    )
    p.add_argument("--urgency", default="later", choices=URGENCIES, help="default later")

    p = command("list", "open requests by lane: now, tomorrow, later, ongoing", as_json)
    p.add_argument("--all", action="store_true", help="closed requests too")
    p.add_argument("--pupil", metavar="CODE", help="every request of one pupil, open and closed")

    p = command("show", "a request with its full history and time", as_json)
    p.add_argument("id", type=_request_id, metavar="ID")

    p = command("urgency", "classify a request anew: now, tomorrow or later", at, as_json)
    p.add_argument("id", type=_request_id, metavar="ID")
    p.add_argument("urgency", choices=URGENCIES)
    p.add_argument("--why", metavar="TEXT", help="why (optional)")

    p = command("postpone", "move a request's due date later (an ongoing case's next step)", at, as_json)
    p.add_argument("id", type=_request_id, metavar="ID")
    p.add_argument("when", metavar="WHEN", help="the new date (counted from --at when given)")
    p.add_argument("--why", metavar="TEXT", help="why (optional)")

    p = command("next", "set the next step of an ongoing case (none: clear it)", at, as_json)
    p.add_argument("id", type=_request_id, metavar="ID")
    p.add_argument("when", metavar="WHEN|none", help="the date of the next planned action, or none")
    p.add_argument("--why", metavar="TEXT", help="why (optional)")

    p = command("log", "log time spent, on a request or unlinked", at, as_json)
    p.add_argument("duration", type=_duration, metavar="DURATION", help=DURATION_FORMS)
    p.add_argument(
        "--activity", required=True, choices=list(ACTIVITIES), metavar="ACTIVITY", help=", ".join(ACTIVITIES)
    )
    p.add_argument("--request", type=_request_id, metavar="ID")
    p.add_argument("--note", metavar="TEXT")
    p.add_argument(
        "--next",
        metavar="WHEN",
        help="the request's next step, planned at this contact (counted from --at when given)",
    )

    p = command("unlog", "take back time logged by mistake", as_json)
    p.add_argument(
        "entry", type=_request_id, metavar="ENTRY", help="the time entry's number, from time, show or log"
    )
    p = command("time", "the time logged on one day, each entry with its number", as_json)
    p.add_argument("--day", metavar="WHEN", help="a day (default: today)")

    p = command("start", "start the timer (stops a running one first)", at, as_json)
    p.add_argument("id", type=_request_id, nargs="?", metavar="ID")
    p.add_argument(
        "--activity",
        choices=list(ACTIVITIES),
        metavar="ACTIVITY",
        help="default conversation on a request, other without",
    )
    p = command("stop", "stop the timer and log its time", at, as_json)
    p.add_argument(
        "--next",
        metavar="WHEN",
        help="the request's next step, planned at this contact (counted from --at when given)",
    )

    p = command("done", "close a request", at, as_json)
    p.add_argument("id", type=_request_id, metavar="ID")
    p.add_argument("--outcome", default="resolved", choices=OUTCOMES, help="default resolved")

    p = command("reopen", "reopen a closed request", at, as_json)
    p.add_argument("id", type=_request_id, metavar="ID")

    p = command("edit", "change a request's pupil code, source, summary or a reason", as_json)
    p.add_argument("id", type=_request_id, metavar="ID")
    p.add_argument("--pupil", metavar="CODE")
    p.add_argument("--from", dest="source", choices=SOURCES, metavar="SOURCE")
    p.add_argument("--summary")
    p.add_argument(
        "--reason", nargs=2, metavar=("N", "TEXT"),
        help="replace reason N (as `show` numbers them) with TEXT; empty text removes it",
    )  # fmt: skip

    p = command("report", "the weekly review (or a school year's, or a term's): what got pushed aside, "
                "and where the time went")  # fmt: skip
    p.add_argument("--week", metavar="YYYY-Www", help="an ISO week like 2026-W47 (default: this week)")
    p.add_argument("--school-year", metavar="YYYY-YY", help="a school year like 2025-26 (August to July)")
    p.add_argument("--term", choices=TERMS, help="autumn (August-December) or spring (January-July) of "
                   "the school year (default: this one)")  # fmt: skip
    p.add_argument("--format", default="text", choices=("text", "md", "json", "csv"))
    p.add_argument("--lang", choices=("en", "nb"), help="the report's language (default: the setting)")
    p.add_argument(
        "--anonymise",
        "--anonymize",
        action="store_true",
        help="aliases instead of pupil codes, no reasons: for the team meeting",
    )

    p = command("undo", "take back the most recent action (it asks first)")
    p.add_argument("--yes", action="store_true", help="do not ask (needed when not on a terminal)")

    p = command("purge", "take the text out of requests closed before the school years kept (it asks first)")
    p.add_argument("--dry-run", action="store_true", help="say what would be purged; change nothing")
    p.add_argument("--yes", action="store_true", help="do not ask (needed when not on a terminal)")

    p = command("backup", "make a backup of the data now")
    p.add_argument("--list", action="store_true", help="list the backups instead")
    p = command("restore", "go back to a backup as a whole (what is there now is backed up first)")
    p.add_argument("backup", metavar="BACKUP", help="a name from `triage backup --list`")
    command("repair", "mend damaged data files, keeping all that is intact (backed up first)")
    return parser


def data_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "data_dir", None):
        return Path(args.data_dir)
    if os.environ.get("TRIAGE_DATA_DIR"):
        return Path(os.environ["TRIAGE_DATA_DIR"])
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def system_clock(environ: Mapping[str, str] = os.environ) -> Callable[[], datetime]:
    """The local clock; `TRIAGE_CLOCK_OFFSET` (seconds) moves it, so that the processes a test
    starts share one clock at a date of the test's choosing. Never needed in daily use."""
    offset = environ.get("TRIAGE_CLOCK_OFFSET")
    if not offset:
        return datetime.now
    try:
        shift = timedelta(seconds=float(offset))
    except (ValueError, OverflowError):
        raise TriageError("TRIAGE_CLOCK_OFFSET must be a number of seconds") from None
    return lambda: datetime.now() + shift


def main(argv: list[str] | None = None, clock: Callable[[], datetime] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(typed_command(argv))
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "add" and not any(word.startswith("-") for word in extra):
        args.summary += extra  # `triage add Mobbing --pupil AB i friminuttet`
    elif extra:
        # Words that are not options may be pupil text: counted, not repeated.
        options = [_flag(word) for word in extra if word.startswith("-")]
        words = len(extra) - len(options)
        parser.error(", ".join([f"unrecognized arguments: {' '.join(options)}"] * bool(options)
                               + [f"{words} unexpected word{'s' * (words > 1)}"] * bool(words)))  # fmt: skip
    from .i18n import language_for
    from .store import StoreError
    from .store.errors import FileAccessError

    settings = _settings(data_dir(args))
    # The words in the language asked for (`--lang`), else the setting, else $LANG.
    t = Messages(getattr(args, "lang", None) or language_for(settings.language if settings else None))
    try:
        return run(args, clock or system_clock(), t, settings)
    except TriageError as e:
        print(f"triage: {printable(t.error(e, echo=False))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as e:
        print(f"triage: {printable(str(e))}", file=sys.stderr)
        return EXIT_STORE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (`| head`) has gone: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:  # outside an action (an action says what it saved): backup, restore, repair
        print(f"triage: {printable(str(FileAccessError(e)))}", file=sys.stderr)
        return EXIT_STORE
    except Exception as e:
        if os.environ.get("TRIAGE_DEBUG"):
            raise
        # The message could quote pupil data: name only the kind of failure.
        print(f"triage: internal error ({type(e).__name__}); set TRIAGE_DEBUG=1 to see details",
              file=sys.stderr)  # fmt: skip
        return EXIT_STORE


def _settings(folder: Path) -> Settings | None:
    """The settings, read once for the whole command; None while they cannot be read (what is
    wrong is said when the command needs them: backup and restore then prune nothing)."""
    from .store import StoreError
    from .store.config import load_settings

    try:
        return load_settings(folder)
    except (TriageError, StoreError, OSError):
        return None


def run(
    args: argparse.Namespace, clock: Callable[[], datetime], t: Messages, settings: Settings | None
) -> int:
    from .caseload import Caseload
    from .store import Store

    folder = data_dir(args)
    if args.command is None:
        from .ui.app import create_app  # only here: quick capture never imports Textual

        app = create_app(folder, clock)
        # A thread reading the data hands the interpreter back to the screen every 1 ms, not
        # every 5 ms (Python's default): a key pressed meanwhile is not kept waiting.
        sys.setswitchinterval(0.001)
        app.collect_when_quiet()
        app.run()
        return app.return_code or 0
    if args.command in ("backup", "restore", "repair"):
        kept = settings.backups_kept if settings else None
        store = Store(folder, check=False, backups_kept=kept)  # works on damaged data too
    if args.command == "backup":
        if args.list:
            for backup in store.backups():
                print(backup.name)
            if not store.backups():
                print(t("cli.no_backups"))
        else:
            print(t("cli.backup_made", path=store.backup("manual")))
        return 0
    if args.command == "restore":
        restored, before = store.restore(args.backup)
        print(t("cli.restored", name=restored.name, before=before.name))
        return 0
    if args.command == "repair":
        repaired = store.repair()
        if repaired is None:
            print(t("cli.nothing_to_repair"))
            return 0
        for name, backup in repaired.replaced.items():
            print(t("cli.repaired_file", name=name, backup=backup.name))
        damaged = ", " + t.n("cli.damaged_lines", repaired.damaged) if repaired.damaged else ""
        print(t.n("cli.kept_lines", repaired.replayed) + damaged)
        print(t("cli.kept_before", name=repaired.before.name))
        if repaired.lost:  # what the damage took: said plainly, and not a success
            print(f"triage: {t.n('cli.lost_actions', repaired.lost)}", file=sys.stderr)
            return EXIT_STORE
        return 0

    caseload = Caseload.open(folder, clock, settings)
    now = caseload.now()
    at = _when("--at", parse_moment, args.at, now, caseload.calendar) if getattr(args, "at", None) else None
    command = args.command
    if command == "list":
        return _list(caseload, args, t)
    if command == "report":
        return _report(caseload, args, t)
    if command == "show":
        request, entries = caseload.find(args.id)
        return _print_request(caseload, request, entries, args, t, history=True)
    if command == "unlog":
        entry = caseload.unlog(args.entry)
        _print_json(entry.as_json()) if args.json else print(t("cli.took_back", entry=entry_line(t, entry)))
        return 0
    if command in ("log", "start", "stop"):
        return _time(caseload, args, at, t)
    if command == "undo":
        return _undo(caseload, args.yes, t)
    if command == "purge":
        return _purge(caseload, args.dry_run, args.yes, t)
    if command == "time":
        day = _when("--day", parse_moment, args.day, now, caseload.calendar) if args.day else now
        return _day_time(caseload, day.date(), args.json, t)

    if command == "add":
        request = caseload.add(args.pupil, " ".join(args.summary), source=args.source,
                               urgency=args.urgency, at=at)  # fmt: skip
    elif command == "urgency":
        request = caseload.classify(args.id, args.urgency, why=args.why, at=at)
    elif command == "postpone":
        base = (at or now).date()
        due = _when("WHEN", parse_date, args.when, base, caseload.calendar)
        request = caseload.postpone(args.id, due, why=args.why, at=at)
    elif command == "next":
        clear = args.when.strip().casefold() in ("none", "ingen")
        step = None if clear else _when("WHEN", parse_date, args.when, (at or now).date(), caseload.calendar)
        request = caseload.next_step(args.id, step, why=args.why, at=at)
    elif command == "done":
        request = caseload.close(args.id, args.outcome, at=at)
    elif command == "reopen":
        request = caseload.reopen(args.id, at=at)
    elif command == "edit":
        reason = (_reason_number(args.reason[0]), args.reason[1]) if args.reason else None
        request = caseload.edit(
            args.id, pupil=args.pupil, source=args.source, summary=args.summary, reason=reason
        )
    else:  # pragma: no cover - argparse refuses unknown commands
        raise AssertionError(command)
    if command in ("add", "edit") and args.pupil and looks_like_a_name(args.pupil):
        print(t("cli.warn_name", id=request.id), file=sys.stderr)
    # A request just added has no time yet: no need to read it back.
    return _print_request(caseload, request, [] if command == "add" else None, args, t, history=False)


def _ask_when_stopped(since: datetime, caseload: Any, t: Messages) -> datetime | None:
    """Ask on the terminal when a timer left running past its day stopped (None: no answer).
    A time alone is on the day it started."""
    print(t("cli.ask_stop", since=t.moment(since)), end=" ", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip()
    if not answer:
        return None
    if re.fullmatch(r"\d{1,2}[:.]\d{2}", answer):
        hours, minutes = re.split(r"[:.]", answer)
        answer = f"{since:%Y-%m-%d}T{int(hours):02d}:{minutes}"
    return parse_moment(answer, caseload.now(), caseload.calendar)


def _time(caseload: Any, args: argparse.Namespace, at: datetime | None, t: Messages) -> int:
    step = None
    if getattr(args, "next", None):
        # Counted from --at, as `next` and `postpone` count: after the fact gives the same date as live.
        step = _when("--next", parse_date, args.next, (at or caseload.now()).date(), caseload.calendar)
    if args.command == "log":
        entry = caseload.log(args.duration, args.activity, request_id=args.request, note=args.note, start=at,
                             next_step=step)  # fmt: skip
        _print_json(entry.as_json()) if args.json else print(t("cli.logged", entry=entry_line(t, entry)))
        _warn_overlaps(caseload, entry, t)
        return 0
    if args.command == "start":
        timer, stopped = caseload.start_timer(args.id, activity=args.activity, at=at)
        if args.json:
            _print_json({"timer": timer.as_json(), "stopped": stopped.as_json() if stopped else None})
            return 0
        if stopped:
            print(t("cli.stopped_first", entry=entry_line(t, stopped)))
        on = t("entry.on", id=timer.request_id) if timer.request_id else ""
        activity = t(f"activity.{timer.activity}")
        print(t("cli.timer_started", on=on, start=f"{timer.start:%H:%M}", activity=activity))
        return 0
    try:
        entry = caseload.stop_timer(at=at, next_step=step)
    except TriageError as e:
        if e.key != "timer_overnight" or not sys.stdin.isatty():
            raise
        stop = _ask_when_stopped(e.values["since"], caseload, t)  # as the app asks
        if stop is None:
            print(t("cli.timer_keeps_running"), file=sys.stderr)
            return 0
        entry = caseload.stop_timer(at=stop, next_step=step)
    if args.json:
        _print_json(entry.as_json() if entry else {"logged": None})
    elif entry is None:
        print(t("msg.timer_discarded"))
    else:
        print(t("cli.timer_stopped", entry=entry_line(t, entry)))
    if entry is not None:
        _warn_overlaps(caseload, entry, t)
    return 0


def _undo(caseload: Any, yes: bool, t: Messages) -> int:
    """Take back the newest action after saying what it was; on a terminal, ask first."""
    what = caseload.undoable()
    if what is None:
        raise TriageError("there is nothing to undo", "nothing_to_undo")
    said = undo_line(t, what)
    if not (yes or _confirmed("undo", t("cli.undo_ask", what=said), t("cli.undo_kept"))):
        return 0
    caseload.undo(expected=what)
    print(t("cli.undone", what=said))
    return 0


def _confirmed(command: str, question: str, kept: str) -> bool:
    """Ask on the terminal (y/j: yes); say `kept` if not. Without a terminal, --yes is needed."""
    if not sys.stdin.isatty():
        refusal = f"{command} asks first: on a terminal it asks, elsewhere add --yes"
        raise TriageError(refusal, f"{command}_needs_yes")
    print(question, end=" ", file=sys.stderr, flush=True)
    if sys.stdin.readline().strip().casefold() in ("y", "yes", "j", "ja"):
        return True
    print(kept, file=sys.stderr)
    return False


def _purge(caseload: Any, dry_run: bool, yes: bool, t: Messages) -> int:
    """Say what the retention limit takes the text out of; unless a dry run, ask, and do it."""
    requests, notes = caseload.to_purge()
    before, years = t.date(caseload.purge_cutoff()), caseload.settings.keep_school_years
    what = t("cli.purge_what", requests=t.n("n.requests", len(requests)),
             entries=t.n("n.entries", len(notes)), before=before, years=years)  # fmt: skip
    if not requests and not notes:
        print(t("cli.purge_nothing", before=before, years=years))
        return 0
    if dry_run:
        print(t("cli.purge_would", what=what))
        return 0
    if not (yes or _confirmed("purge", t("cli.purge_ask", what=what), t("cli.purge_kept"))):
        return 0
    caseload.purge()
    print(t("cli.purged", what=what))
    return 0


def _warn_overlaps(caseload: Any, entry: TimeEntry, t: Messages) -> None:
    """Time that overlaps other time is saved, and said so on stderr."""
    others, timer = caseload.overlaps(entry)
    for other in others:
        print(t("cli.overlap", entry=entry_line(t, other)), file=sys.stderr)
    if timer is not None:
        print(t("cli.overlap_timer", since=t.moment(timer.start)), file=sys.stderr)


def _day_time(caseload: Any, day: date, as_json: bool, t: Messages) -> int:
    """`triage time`: the day's entries, each with its number (for unlog), and the total."""
    entries, _ = caseload.day_time(day)
    total = sum(entry.minutes for entry in entries)
    if as_json:
        listed = [entry.as_json() for entry in entries]
        _print_json({"day": day.isoformat(), "total_minutes": total, "entries": listed})
        return 0
    print(t("cli.day_time", day=t.date(day), time=t.minutes(total)))
    for entry in entries:
        on = t("entry.on", id=entry.request_id) if entry.request_id else t("entry.unlinked")
        note = f" — {printable(entry.note)}" if entry.note else ""
        activity = t(f"activity.{entry.activity}")
        print(t("cli.day_entry", id=entry.id, start=f"{entry.start:%H:%M}", end=f"{entry.end:%H:%M}",
                time=t.minutes(entry.minutes), activity=activity, on=on, note=note))  # fmt: skip
    if not entries:
        print(f"  {t('cli.none')}")
    return 0


def _report(caseload: Any, args: argparse.Namespace, t: Messages) -> int:
    from .core.review import PeriodReview, Week, WeeklyReview, anonymise
    from .core.year import Period, SchoolYear
    from .report import letter, tables

    today = caseload.now().date()
    review: WeeklyReview | PeriodReview
    if args.school_year or args.term:
        if args.week:
            raise TriageError("--week cannot go with --school-year or --term: ask for one week or one period",
                              "week_and_period")  # fmt: skip
        this_year = SchoolYear.of(today)
        year = SchoolYear.parse(args.school_year) if args.school_year else this_year
        if year > this_year:
            raise TriageError(f"school year {year} has not begun yet; this school year is {this_year}",
                              "school_year_ahead", year=str(year), this_year=str(this_year))  # fmt: skip
        period = Period(year, args.term)
        if period.first > today:
            raise TriageError(f"the spring term of {year} has not begun yet", "term_ahead", year=str(year))
        review = caseload.period_review(period)
    else:
        this_week = Week.of(today)
        week = Week.parse(args.week) if args.week else this_week
        if week > this_week:
            raise TriageError(f"{week} has not begun yet; this week is {this_week}", "week_ahead",
                              week=str(week), this_week=str(this_week))  # fmt: skip
        review = caseload.review(week)
    if args.anonymise:
        review = anonymise(review)
    if args.format == "json":
        _print_json(review.as_json())
    elif args.format == "csv":
        sys.stdout.write(tables(review, t))
    else:
        sys.stdout.write(printable_lines(letter(review, t, markdown=args.format == "md")))
    return 0


def printable_lines(text: str) -> str:
    """Text whose lines may quote user input, with control characters spelled out."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _list(caseload: Any, args: argparse.Namespace, t: Messages) -> int:
    if args.all or args.pupil:
        requests, entries = caseload.all_requests(args.pupil)
    else:
        requests, entries = caseload.open_requests(), caseload.recent_entries()
    timer = caseload.timer
    linked: dict[int | None, list[TimeEntry]] = {}
    for entry in entries:  # once: describing each request against all time took minutes on years of it
        linked.setdefault(entry.request_id, []).append(entry)
    infos = [caseload.describe(r, linked.get(r.id, [])) for r in requests]
    if args.json:
        _print_json({"requests": infos, "timer": timer.as_json() if timer else None})
        return 0
    widths = _list_widths(t)
    lanes: dict[str, list[dict[str, Any]]] = {lane: [] for lane in (*LANES, "closed")}
    for info in infos:
        lanes[info["lane"] or "closed"].append(info)
    for lane, members in lanes.items():
        if lane == "closed" and not (args.all or args.pupil):
            continue
        print(f"{t(f'lane.{lane}').upper()} ({len(members)})")
        for info in members:
            print("  " + _list_line(t, info, widths))
        if not members:
            print(f"  {t('cli.none')}")
    if timer:
        on = t("entry.on", id=timer.request_id) if timer.request_id else ""
        print(t("cli.timer_running", on=on, time=t.minutes(timer.minutes_at(caseload.now())),
                activity=t(f"activity.{timer.activity}"), start=f"{timer.start:%H:%M}"))  # fmt: skip
    return 0


def _list_widths(t: Messages) -> tuple[int, int, int]:
    """Source, urgency and state columns as wide as their longest word in this language."""
    states = ("contact.new", "cli.follow_up", *(f"outcome.{outcome}" for outcome in OUTCOMES))
    return (
        max(len(t(f"source.{source}")) for source in SOURCES),
        max(len(t(f"urgency.{urgency}")) for urgency in URGENCIES),
        max(len(t(word)) for word in states),
    )


def _list_line(t: Messages, info: dict[str, Any], widths: tuple[int, int, int]) -> str:
    """One request in `triage list`: who, what, and why it stands where it does."""
    if info["status"] == "closed":
        state = t(f"outcome.{info['outcome']}")
        when = t("cli.closed_with", time=t.minutes(info["minutes"]))
    elif info["phase"] == "waiting":
        state = t("contact.new")
        when = t("cli.due_waited", due=t.date(date.fromisoformat(info["due"])),
                 days=t.n("n.school_days", info["waiting_school_days"]))  # fmt: skip
    else:
        step = info["next_step"]
        state = t("cli.follow_up")
        next_step = (t("review.next_step", day=t.date(date.fromisoformat(step))) if step
                     else t("review.no_next_step"))  # fmt: skip
        when = t("cli.step_seen", step=next_step, seen=t.date(date.fromisoformat(info["last_contact"][:10])))
    found = marks(t, info)
    source_width, urgency_width, state_width = widths
    source = t(f"source.{info['source']}")
    return (f"#{info['id']:<5} {printable(info['pupil']):<10} {source:<{source_width}} "
            f"{t('urgency.' + info['urgency']):<{urgency_width}} {state:<{state_width}}  {when}  "
            f"{printable(info['summary'])}{'  [' + ', '.join(found) + ']' if found else ''}")  # fmt: skip


def _print_request(caseload: Any, request: Request, entries: list[TimeEntry] | None,
                   args: argparse.Namespace, t: Messages, history: bool) -> int:  # fmt: skip
    info = caseload.describe(request, entries)
    if args.json:
        _print_json(info)
        return 0
    print(request_heading(t, request, info))
    print(f"  {printable(request.summary)}")
    if not history:
        return 0
    met = {True: "met", False: "missed", None: "pending"}[info["target_met"]]
    contact = info["first_contact"]
    print(t("cli.target", due=t.date(request.target_due), state=t(f"target.{met}"),
            contact=t.moment(datetime.fromisoformat(contact)) if contact else t("detail.no_contact"),
            days=t.n("n.school_days", info["waiting_school_days"])))  # fmt: skip
    if info["last_contact"]:
        print(
            t(
                "cli.last_contact",
                when=t.moment(datetime.fromisoformat(info["last_contact"])),
                ago=ago(
                    t,
                    datetime.fromisoformat(info["last_contact"]).date(),
                    caseload.now().date(),
                    info["school_days_since_contact"],
                ),
            )
        )
    print(t("cli.history"))
    numbers = reason_numbers(request)
    for i, event in enumerate(request.events):
        print(f"  {event.at:%Y-%m-%d %H:%M}  {event_line(t, event, numbers.get(i))}")
    if info["slips"]:
        print(t("cli.slips", dates=", ".join(t.day(date.fromisoformat(d)) for d in info["slips"])))
    print(t("cli.time", time=t.minutes(info["minutes"])))
    for entry in sorted(entries or [], key=lambda e: e.start):
        note = f" — {printable(entry.note)}" if entry.note else ""
        print(t("cli.entry", start=f"{entry.start:%Y-%m-%d %H:%M}", time=t.minutes(entry.minutes),
                activity=t(f"activity.{entry.activity}"), note=note, id=entry.id))  # fmt: skip
    return 0


def _print_json(obj: Any) -> None:
    import orjson

    sys.stdout.write(inert_json(orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode()) + "\n")


if __name__ == "__main__":
    sys.exit(main())
