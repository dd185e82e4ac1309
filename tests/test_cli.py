"""The command line (issue 2, item 5; phases, next steps and four lanes: issue 8), run
in-process at a fixed clock.

Every expected value was worked out by hand from DESIGN.md and a calendar. The clock starts
at Thursday 26.11.2026 10:00. School days around it: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27,
Mon 30 Nov; Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 Dec. Fri 25.12 is a public holiday, so the
next school day on or after it is Mon 28.12. `later` is 5 school days: from Thu 26.11 that
is Thu 03.12. No config file, so no holiday ranges.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import TypingTerminal, full_disk

from triage_tui.cli import COMMANDS, build_parser, main, typed_command

FIXED = datetime(2026, 11, 26, 10, 0)  # a Thursday
ESC_RED = "\x1b[31m"


@dataclass
class Result:
    code: int
    out: str
    err: str


class Triage:
    """`triage ... --data-dir FOLDER` in-process, at a clock the test moves by setting `now`."""

    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.folder = folder
        self.capsys = capsys
        self.now = FIXED

    def __call__(self, *args: str) -> Result:
        self.capsys.readouterr()
        try:
            code = main([*args, "--data-dir", str(self.folder)], clock=lambda: self.now)
        except SystemExit as e:  # argparse refuses bad arguments by exiting
            code = e.code
        out, err = self.capsys.readouterr()
        return Result(code, out, err)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert (result.code, result.err) == (0, ""), result.err
        return result.out

    def json(self, *args: str) -> dict[str, Any]:
        return json.loads(self.ok(*args, "--json"))

    def show(self, request_id: int) -> dict[str, Any]:
        return self.json("show", str(request_id))

    def files(self) -> dict[str, bytes | None]:
        """Every file (bytes) and folder (None) under the data folder."""
        return {
            str(p.relative_to(self.folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(self.folder.rglob("*"))
        }

    def refused(self, *args: str) -> str:
        """Run a command that must fail as bad input; return its one-line message."""
        before = self.files()
        result = self(*args)
        assert result.code == 2, (result.code, result.err)
        assert result.out == ""
        assert result.err.endswith("\n") and len(result.err.splitlines()) == 1, result.err
        assert self.files() == before, "a refused command changed the data folder"
        return result.err


@pytest.fixture
def triage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Triage:
    return Triage(tmp_path / "data", capsys)


@pytest.fixture
def seeded(triage: Triage) -> Triage:
    """#1 open (later, due Thu 03.12); #2 closed."""
    triage.ok("add", "Konflikt", "i", "klassen", "--pupil", "AB")
    triage.ok("add", "Trist", "--pupil", "CD", "--urgency", "now")
    triage.ok("done", "2")
    return triage


def at(day_month: str, clock: str) -> datetime:
    """A moment in 2026: at("30.11", "09:00")."""
    return datetime.strptime(f"{day_month}.2026 {clock}", "%d.%m.%Y %H:%M")


def pick(obj: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: obj[k] for k in keys}


def event_types(request: dict[str, Any]) -> list[str]:
    return [e["type"] for e in request["events"]]


# --- add ------------------------------------------------------------------------------------


def test_add_defaults_and_json_fields(triage: Triage) -> None:
    request = triage.json("add", "Konflikt", "i", "klassen", "--pupil", "AB")

    assert pick(request, "id", "pupil", "source", "summary", "urgency", "due", "phase", "next_step", "lane",
                "status", "outcome", "first_contact", "last_contact", "waiting_school_days",
                "school_days_since_contact", "target_due", "target_met", "slips") == {
        "id": 1,
        "pupil": "AB",
        "source": "pupil",
        "summary": "Konflikt i klassen",
        "urgency": "later",
        "due": "2026-12-03",
        "phase": "waiting",
        "next_step": None,
        "lane": "later",
        "status": "open",
        "outcome": None,
        "first_contact": None,
        "last_contact": None,
        "waiting_school_days": 0,
        "school_days_since_contact": None,
        "target_due": "2026-12-03",
        "target_met": None,
        "slips": [],
    }  # fmt: skip
    assert request["events"] == [
        {"type": "created", "at": "2026-11-26T10:00:00"},
        {"type": "classified", "at": "2026-11-26T10:00:00", "from": None, "to": "later",
         "due": "2026-12-03", "why": None},
    ]  # fmt: skip
    assert triage.show(1) == request  # it was stored as printed


def test_add_prints_the_request(triage: Triage) -> None:
    out = triage.ok("add", "Konflikt", "i", "klassen", "--pupil", "AB")
    assert out == (
        "#1 AB · later · due Thu 03.12.2026 · later lane · new, no contact yet · from pupil\n"
        "  Konflikt i klassen\n"
    )


def test_add_takes_summary_words_on_both_sides_of_the_options(triage: Triage) -> None:
    request = triage.json("add", "Mobbing", "--pupil", "AB", "i", "friminuttet", "--from", "teacher")
    assert (request["summary"], request["pupil"], request["source"]) == (
        "Mobbing i friminuttet",
        "AB",
        "teacher",
    )
    assert "unrecognized arguments: --colour" in triage.refused("add", "x", "--pupil", "AB", "--colour")


def test_add_ids_count_up(triage: Triage) -> None:
    assert [triage.json("add", "x", "--pupil", p)["id"] for p in ("A", "B", "C")] == [1, 2, 3]


@pytest.mark.parametrize(
    ("urgency", "due", "lane"),
    [("now", "2026-11-26", "now"), ("tomorrow", "2026-11-27", "tomorrow"), ("later", "2026-12-03", "later")],
)
def test_add_with_urgency(triage: Triage, urgency: str, due: str, lane: str) -> None:
    request = triage.json("add", "x", "--pupil", "AB", "--urgency", urgency)
    assert pick(request, "urgency", "due", "lane", "target_due") == {
        "urgency": urgency, "due": due, "lane": lane, "target_due": due,
    }  # fmt: skip


@pytest.mark.parametrize("source", ["pupil", "teacher", "parent", "principal", "nurse", "staff", "external"])
def test_add_from_each_source(triage: Triage, source: str) -> None:
    assert triage.json("add", "x", "--pupil", "AB", "--from", source)["source"] == source


def test_add_after_the_fact(triage: Triage) -> None:
    # Tue 24.11 08:15, `tomorrow` -> Wed 25.11, which ended yesterday with no contact.
    request = triage.json("add", "Bekymring", "--pupil", "EF", "--from", "teacher",
                          "--urgency", "tomorrow", "--at", "tue 08:15")  # fmt: skip
    assert pick(request, "source", "due", "lane", "overdue", "target_due", "target_met", "slips") == {
        "source": "teacher",
        "due": "2026-11-25",
        "lane": "now",
        "overdue": True,
        "target_due": "2026-11-25",
        "target_met": False,
        "slips": ["2026-11-25"],
    }
    assert [e["at"] for e in request["events"]] == ["2026-11-24T08:15:00"] * 2


@pytest.mark.parametrize(("urgency", "due"), [("now", "2026-11-23"), ("tomorrow", "2026-11-23"),
                                              ("later", "2026-11-27")])  # fmt: skip
def test_add_classified_on_a_saturday(triage: Triage, urgency: str, due: str) -> None:
    # Sat 21.11: `now` and `tomorrow` both mean Mon 23.11; `later` counts Mon 23 .. Fri 27.
    request = triage.json("add", "x", "--pupil", "AB", "--urgency", urgency, "--at", "2026-11-21T12:00")
    assert request["due"] == due


def test_data_dir_before_the_command_and_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["--data-dir", str(first), "add", "x", "--pupil", "AB"], clock=lambda: FIXED) == 0
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(second))
    assert main(["add", "y", "--pupil", "CD", "--json"], clock=lambda: FIXED) == 0
    capsys.readouterr()
    assert main(["list", "--json"], clock=lambda: FIXED) == 0
    assert [r["summary"] for r in json.loads(capsys.readouterr().out)["requests"]] == ["y"]
    assert main(["--data-dir", str(first), "list", "--json"], clock=lambda: FIXED) == 0
    assert [r["summary"] for r in json.loads(capsys.readouterr().out)["requests"]] == ["x"]


def test_help_lists_the_commands(triage: Triage) -> None:
    """Every command, in the order of `COMMANDS` (the list the quick path looks a typed one up in)."""
    result = triage("--help")
    assert result.code == 0 and "usage: triage" in result.out
    listed = re.findall(r"^    ([a-z]+) ", result.out, re.M)
    assert listed == ["add", "list", "show", "urgency", "postpone", "next", "log", "unlog", "time", "start",
                      "stop", "done", "reopen", "edit", "report", "undo", "purge", "backup", "restore",
                      "repair"]  # fmt: skip
    assert tuple(listed) == COMMANDS


def test_a_command_s_parser_built_alone_is_the_one_built_with_all(capsys: pytest.CaptureFixture[str]) -> None:
    """`triage add ...` builds only the parser of `add` (building all twenty costs 10-15 ms of
    a quick capture); its help and its refusals are the same as with all of them built."""

    def said(parser: Any, *args: str) -> tuple[Any, str, str]:
        with pytest.raises(SystemExit) as exit:
            parser.parse_args(list(args))
        return (exit.value.code, *capsys.readouterr())

    for name in COMMANDS:
        assert said(build_parser(name), name, "--help") == said(build_parser(), name, "--help")
    assert said(build_parser("add"), "add", "x") == said(build_parser(), "add", "x")  # no --pupil
    assert "the following arguments are required: --pupil" in said(build_parser("add"), "add", "x")[2]


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["add", "x", "--pupil", "AB"], "add"),
        (["--data-dir", "/tmp/d", "report", "--week", "2026-W48"], "report"),
        (["--data-dir=/tmp/d", "list"], "list"),
        (["--data-dir", "add", "list"], "list"),  # a folder named like a command
        (["--data", "d", "add"], None),  # an abbreviated option: all are built, argparse decides
        (["--help"], None),
        (["--version"], None),
        (["lst"], None),  # a mistake: said with every command to choose from
        ([], None),  # the TUI
    ],
)
def test_the_typed_command_is_found_only_after_the_data_folder(argv: list[str], command: str | None) -> None:
    assert typed_command(argv) == command


# --- list -----------------------------------------------------------------------------------


@pytest.fixture
def queue(triage: Triage) -> Triage:
    """At Thu 26.11 10:00, all waiting (no contact yet), so each lane is ordered by class, then
    due date: now lane #2 (now, due 26.11), #5 (tomorrow, due 25.11, overdue); tomorrow lane #3
    (tomorrow, 27.11); later lane #7 (tomorrow, 02.12), #4 (later, 30.11), #1 (later, 03.12);
    #6 closed."""
    triage.ok("add", "Sover i timen", "--pupil", "AB")
    triage.ok("add", "Slått i friminuttet", "--pupil", "CD", "--urgency", "now")
    triage.ok("add", "Vil snakke", "--pupil", "EF", "--urgency", "tomorrow", "--from", "teacher")
    triage.ok("add", "Fravær", "--pupil", "GH", "--at", "mon 10:00")  # Mon 23.11 + 5 = Mon 30.11
    triage.ok("add", "Utagering", "--pupil", "IJ", "--urgency", "now", "--from", "parent",
              "--at", "2026-11-24T09:00")  # fmt: skip
    triage.ok("urgency", "5", "tomorrow", "--at", "2026-11-24T09:30")  # due Wed 25.11
    triage.ok("add", "Ferdig", "--pupil", "KL", "--urgency", "now")
    triage.ok("done", "6", "--outcome", "referred")
    triage.ok("add", "Venner", "--pupil", "MN", "--urgency", "tomorrow")
    triage.ok("postpone", "7", "02.12")
    return triage


def lanes_of(listing: str) -> dict[str, list[int]]:
    """{"NOW (2)": [5, 2], ...} from the human listing."""
    lanes: dict[str, list[int]] = {}
    for line in listing.splitlines():
        if line[:1].isalpha():
            heading = line
            lanes[heading] = []
        elif line.startswith("  #"):
            lanes[heading].append(int(line.split()[0][1:]))
    return lanes


def test_list_by_lane_then_class_then_due_date(queue: Triage) -> None:
    out = queue.ok("list")
    # A `now` due today comes before an overdue `tomorrow`, and a `tomorrow` due 02.12 before
    # a `later` due 30.11: the class is the triage decision.
    assert lanes_of(out) == {
        "NOW (2)": [2, 5], "TOMORROW (1)": [3], "LATER (3)": [7, 4, 1], "ONGOING (0)": [],
    }  # fmt: skip
    line = {int(row.split()[0][1:]): row for row in out.splitlines() if row.startswith("  #")}
    assert line[5].endswith("Utagering  [overdue, downgraded]")
    # Created Tue 24.11: Wed 25 and Thu 26 are two school days of waiting.
    assert "new        due Wed 25.11.2026, waited 2 school days" in line[5] and "parent" in line[5]
    assert line[7].endswith("Venner  [postponed]")
    assert line[1].endswith("Sover i timen")


def test_list_json(queue: Triage) -> None:
    listing = queue.json("list")
    requests = listing["requests"]
    assert [(r["id"], r["lane"], r["urgency"], r["due"]) for r in requests] == [
        (2, "now", "now", "2026-11-26"),
        (5, "now", "tomorrow", "2026-11-25"),
        (3, "tomorrow", "tomorrow", "2026-11-27"),
        (7, "later", "tomorrow", "2026-12-02"),
        (4, "later", "later", "2026-11-30"),
        (1, "later", "later", "2026-12-03"),
    ]
    assert {(r["phase"], r["next_step"], r["last_contact"]) for r in requests} == {("waiting", None, None)}
    assert listing["timer"] is None
    assert requests[1] == queue.show(5)  # each entry is the full request


def test_list_all_includes_closed(queue: Triage) -> None:
    assert lanes_of(queue.ok("list", "--all"))["CLOSED (1)"] == [6]
    requests = queue.json("list", "--all")["requests"]
    assert [r["id"] for r in requests] == [2, 5, 3, 7, 4, 1, 6]
    assert pick(requests[-1], "status", "outcome", "lane", "phase", "next_step") == {
        "status": "closed", "outcome": "referred", "lane": None, "phase": "closed", "next_step": None,
    }  # fmt: skip


def test_lanes_move_with_the_calendar(queue: Triage) -> None:
    queue.now = at("30.11", "08:00")
    # On Mon 30.11 due 25, 26, 27 and 30.11 are today or overdue; 01.12 is tomorrow; 02 and 03.12
    # later. Within Now by class (now, tomorrow, later), then due date.
    requests = queue.json("list")["requests"]
    assert [(r["id"], r["lane"]) for r in requests] == [
        (2, "now"), (5, "now"), (3, "now"), (4, "now"), (7, "later"), (1, "later"),
    ]  # fmt: skip
    assert [r["urgency"] for r in requests] == ["now", "tomorrow", "tomorrow", "later", "tomorrow", "later"]
    assert [r["overdue"] for r in requests] == [True, True, True, False, False, False]


def test_empty_lanes_say_none(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "now")
    assert triage.ok("list").splitlines()[2:] == [
        "TOMORROW (0)", "  (none)", "LATER (0)", "  (none)", "ONGOING (0)", "  (none)",
    ]  # fmt: skip


# --- show -----------------------------------------------------------------------------------


@pytest.fixture
def story(triage: Triage) -> Triage:
    """#1: `now` on Thu 26.11 10:00, downgraded to `tomorrow` at 11:00 (due Fri 27.11), which
    passes with no contact; Mon 30.11 09:00 postponed to Wed 02.12; contact Mon 12:15-13:00. Now
    (Mon 13:00) it is an ongoing case with no next step: in the Ongoing lane, whatever its due."""
    triage.ok("add", "Trist", "etter", "helga", "--pupil", "AB", "--urgency", "now")
    triage.now = at("26.11", "11:00")
    triage.ok("urgency", "1", "tomorrow", "--why", "kan vente")
    triage.now = at("30.11", "09:00")
    triage.ok("postpone", "1", "wed", "--why", "foreldremøte først")
    triage.now = at("30.11", "13:00")
    triage.ok("log", "45", "--activity", "conversation", "--request", "1", "--note", "god samtale")
    return triage


def test_show_prints_history_and_time(story: Triage) -> None:
    assert story.ok("show", "1").splitlines() == [
        "#1 AB · tomorrow · due Wed 02.12.2026 · ongoing lane · follow-up, no next step · from pupil",
        "  Trist etter helga",
        "target Thu 26.11.2026 (missed); first contact: Mon 30.11 12:15; waited 2 school days",
        "last contact: Mon 30.11 12:15 (today)",
        "history:",
        "  2026-11-26 10:00  created",
        "  2026-11-26 10:00  classified now, due Thu 26.11",
        "  2026-11-26 11:00  classified now → tomorrow, due Fri 27.11 — kan vente (reason 1)",
        "  2026-11-30 09:00  postponed Fri 27.11 → Wed 02.12 — foreldremøte først (reason 2)",
        "slipped: Fri 27.11",
        "time: 45 min",
        "  2026-11-30 12:15  45 min conversation — god samtale  (entry 1)",
    ]


def test_show_json(story: Triage) -> None:
    request = story.show(1)
    assert pick(request, "urgency", "due", "phase", "next_step", "lane", "overdue", "first_contact",
                "last_contact", "waiting_school_days", "school_days_since_contact", "target_due",
                "target_met", "slips", "minutes") == {
        "urgency": "tomorrow",
        "due": "2026-12-02",
        "phase": "ongoing",
        "next_step": None,
        "lane": "ongoing",  # reached, with no next step: the due date no longer places it
        "overdue": False,
        "first_contact": "2026-11-30T12:15:00",
        "last_contact": "2026-11-30T12:15:00",
        "waiting_school_days": 2,  # Fri 27, Mon 30
        "school_days_since_contact": 0,
        "target_due": "2026-11-26",
        "target_met": False,
        "slips": ["2026-11-27"],
        "minutes": 45,
    }  # fmt: skip
    assert request["events"][2:] == [
        {"type": "classified", "at": "2026-11-26T11:00:00", "from": "now", "to": "tomorrow",
         "due": "2026-11-27", "why": "kan vente"},
        {"type": "postponed", "at": "2026-11-30T09:00:00", "from_due": "2026-11-27", "to_due": "2026-12-02",
         "why": "foreldremøte først"},
    ]  # fmt: skip
    assert request["time"] == [{"id": 1, "start": "2026-11-30T12:15:00", "minutes": 45,
                                "activity": "conversation", "request": 1, "note": "god samtale"}]  # fmt: skip


def test_show_finds_closed_requests(seeded: Triage) -> None:
    assert pick(seeded.show(2), "status", "outcome") == {"status": "closed", "outcome": "resolved"}


# --- urgency --------------------------------------------------------------------------------


def test_downgrade_records_from_to_and_why(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "now")
    triage.now = at("26.11", "10:30")
    request = triage.json("urgency", "1", "later", "--why", "venter på foreldre")
    assert request["events"][-1] == {
        "type": "classified", "at": "2026-11-26T10:30:00", "from": "now", "to": "later", "due": "2026-12-03",
        "why": "venter på foreldre",
    }  # fmt: skip
    assert pick(request, "urgency", "due", "lane", "target_due") == {
        "urgency": "later", "due": "2026-12-03", "lane": "later", "target_due": "2026-11-26",
    }  # fmt: skip
    assert triage.show(1) == request
    assert "[downgraded]" in triage.ok("list")


def test_upgrade_sets_due_from_its_own_moment(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--at", "mon 09:00")  # Mon 23.11: due Mon 30.11
    triage.now = at("27.11", "08:00")
    # At Fri 27.11 07:30 `tomorrow` is due Mon 30.11, and the target stays where `later` put it.
    request = triage.json("urgency", "1", "tomorrow", "--at", "07:30")
    assert request["events"][-1]["at"] == "2026-11-27T07:30:00"
    assert pick(request, "urgency", "due", "target_due") == {
        "urgency": "tomorrow", "due": "2026-11-30", "target_due": "2026-11-30",
    }  # fmt: skip
    request = triage.json("urgency", "1", "now")
    assert pick(request, "due", "lane", "target_due") == {
        "due": "2026-11-27", "lane": "now", "target_due": "2026-11-30",
    }  # fmt: skip
    assert "downgraded" not in triage.ok("list")


# --- postpone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "due"),
    [
        ("+3", "2026-12-01"),  # Fri 27, Mon 30, Tue 1
        ("fri", "2026-11-27"),
        ("fredag", "2026-11-27"),
        ("mandag", "2026-11-30"),
        ("tomorrow", "2026-11-27"),
        ("i morgen", "2026-11-27"),
        ("02.12", "2026-12-02"),
        ("02.12.2026", "2026-12-02"),
        ("2026-12-02", "2026-12-02"),
        ("sat", "2026-11-30"),  # a Saturday moves on to Monday
        ("05.12", "2026-12-07"),
        ("25.12", "2026-12-28"),  # Christmas Day (Fri), then the weekend
    ],
)
def test_postpone_to(triage: Triage, when: str, due: str) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "now")
    request = triage.json("postpone", "1", when)
    assert request["due"] == due
    assert request["events"][-1] == {"type": "postponed", "at": "2026-11-26T10:00:00",
                                     "from_due": "2026-11-26", "to_due": due, "why": None}  # fmt: skip
    assert request["target_due"] == "2026-11-26"


def test_postpone_counts_from_at(triage: Triage) -> None:
    triage.now = at("30.11", "10:00")
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "now", "--at", "thu 10:00")  # due Thu 26.11
    request = triage.json("postpone", "1", "+1", "--why", "syk", "--at", "fri 09:00")  # Fri 27 + 1 = Mon 30
    assert request["events"][-1] == {
        "type": "postponed", "at": "2026-11-27T09:00:00", "from_due": "2026-11-26", "to_due": "2026-11-30",
        "why": "syk",
    }  # fmt: skip
    # 26.11 ended (Fri 00:00) before the postponement, with no contact: it slipped.
    assert pick(request, "due", "lane", "slips") == {
        "due": "2026-11-30",
        "lane": "now",
        "slips": ["2026-11-26"],
    }


# --- log ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [("45", 45), ("45m", 45), ("1h", 60), ("1h30", 90), ("1.5h", 90), ("1:30", 90), ("1,5t", 90)],
)
def test_log_duration_forms(triage: Triage, duration: str, minutes: int) -> None:
    entry = triage.json("log", duration, "--activity", "meeting")
    # Without --at the time was just spent: it started `minutes` before 10:00.
    start = f"2026-11-26T{(600 - minutes) // 60:02d}:{(600 - minutes) % 60:02d}:00"
    assert entry == {"id": 1, "start": start, "minutes": minutes, "activity": "meeting",
                     "request": None, "note": None}  # fmt: skip


def test_log_on_a_request_with_note_and_at(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--at", "08:00")
    out = triage.ok(
        "log", "30", "--activity", "conversation", "--request", "1", "--note", "ok", "--at", "09:00"
    )
    assert out == "logged 30 min conversation on #1, from Thu 26.11 09:00 (entry 1)\n"
    request = triage.show(1)
    assert request["time"] == [{"id": 1, "start": "2026-11-26T09:00:00", "minutes": 30,
                                "activity": "conversation", "request": 1, "note": "ok"}]  # fmt: skip
    assert pick(request, "minutes", "first_contact", "target_met") == {
        "minutes": 30, "first_contact": "2026-11-26T09:00:00", "target_met": True,
    }  # fmt: skip


def test_log_unlinked(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB")
    assert triage.ok("log", "1h", "--activity", "documentation") == (
        "logged 1 h 00 documentation (unlinked), from Thu 26.11 09:00 (entry 1)\n"
    )
    assert pick(triage.show(1), "minutes", "first_contact", "time") == {
        "minutes": 0, "first_contact": None, "time": [],
    }  # fmt: skip


# --- start / stop ---------------------------------------------------------------------------


def test_timer_is_stored_between_calls(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB")
    assert triage.ok("start", "1") == "timer started on #1 at 10:00 (conversation)\n"
    triage.now = at("26.11", "10:25")
    assert triage.json("list")["timer"] == {"start": "2026-11-26T10:00:00", "activity": "conversation",
                                            "request": 1}  # fmt: skip
    assert triage.ok("list").splitlines()[-1] == "timer running on #1: 25 min (conversation) since 10:00"
    assert (
        triage.ok("stop")
        == "timer stopped; logged 25 min conversation on #1, from Thu 26.11 10:00 (entry 1)\n"
    )
    assert triage.json("list")["timer"] is None
    assert pick(triage.show(1), "minutes", "first_contact") == {
        "minutes": 25, "first_contact": "2026-11-26T10:00:00",
    }  # fmt: skip


def test_starting_a_second_timer_stops_and_logs_the_first(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB")
    triage.ok("start", "1")
    triage.now = at("26.11", "10:40")
    started = triage.json("start", "--activity", "documentation")
    assert started == {
        "timer": {"start": "2026-11-26T10:40:00", "activity": "documentation", "request": None},
        "stopped": {"id": 1, "start": "2026-11-26T10:00:00", "minutes": 40, "activity": "conversation",
                    "request": 1, "note": None},
    }  # fmt: skip
    triage.now = at("26.11", "11:00")
    assert triage.json("stop") == {"id": 2, "start": "2026-11-26T10:40:00", "minutes": 20,
                                   "activity": "documentation", "request": None, "note": None}  # fmt: skip
    assert triage.show(1)["minutes"] == 40


def test_start_and_stop_after_the_fact(triage: Triage) -> None:
    triage.now = at("26.11", "12:00")
    assert (
        triage.ok("start", "--activity", "meeting", "--at", "09:30") == "timer started at 09:30 (meeting)\n"
    )
    assert triage.json("stop", "--at", "10:15") == {"id": 1, "start": "2026-11-26T09:30:00", "minutes": 45,
                                                    "activity": "meeting", "request": None,
                                                    "note": None}  # fmt: skip


def test_start_without_activity_on_nothing_is_other(triage: Triage) -> None:
    assert triage.json("start")["timer"] == {"start": "2026-11-26T10:00:00", "activity": "other",
                                             "request": None}  # fmt: skip


def test_timer_errors_change_nothing(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--at", "09:00")
    assert "no timer" in triage.refused("stop")
    triage.ok("start", "1", "--at", "09:30")
    assert "no request 99" in triage.refused("start", "99")  # the running timer is not stopped
    assert "09:30" in triage.refused("stop", "--at", "09:00")
    assert "future" in triage.refused("stop", "--at", "11:00")
    assert triage.json("list")["timer"] == {"start": "2026-11-26T09:30:00", "activity": "conversation",
                                            "request": 1}  # fmt: skip


@pytest.fixture
def forgotten_timer(triage: Triage) -> Triage:
    """A timer started Thu 26.11 10:00 and still running on Fri 27.11 08:05, after the day's
    first write (so the daily backup is made already)."""
    triage.ok("add", "x", "--pupil", "AB")
    triage.ok("start", "1")
    triage.now = at("27.11", "08:05")
    triage.ok("add", "y", "--pupil", "CD")
    return triage


def test_a_timer_left_overnight_asks_when_it_stopped(forgotten_timer: Triage) -> None:
    assert "say when it stopped" in forgotten_timer.refused("stop")
    assert "say when it stopped" in forgotten_timer.refused("start", "2")
    assert forgotten_timer.json("stop", "--at", "thu 15:00")["minutes"] == 300


def test_on_a_terminal_stop_asks_when_a_forgotten_timer_stopped(forgotten_timer: Triage, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", TypingTerminal("\n"))
    result = forgotten_timer("stop")
    assert result.code == 0
    assert result.err == (
        "The timer has run since Thu 26.11 10:00. When did it stop (for example 15:00)? "
        "the timer keeps running\n"
    )
    assert forgotten_timer.json("list")["timer"]["start"] == "2026-11-26T10:00:00"
    monkeypatch.setattr("sys.stdin", TypingTerminal("15:00\n"))  # on the day it started
    result = forgotten_timer("stop")
    assert (result.code, result.out) == (
        0,
        "timer stopped; logged 5 h 00 conversation on #1, from Thu 26.11 10:00 (entry 1)\n",
    )
    assert forgotten_timer.json("list")["timer"] is None


def test_on_a_terminal_a_stop_on_a_later_day_is_still_refused(forgotten_timer: Triage, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", TypingTerminal("fri 08:00\n"))
    assert "say when it stopped that day" in forgotten_timer.refused("stop")
    assert forgotten_timer.json("list")["timer"] is not None


def test_starting_after_the_fact_does_not_log_the_night(forgotten_timer: Triage) -> None:
    # Fri 08:00 as the new timer's start says nothing about when Thursday's timer stopped.
    assert "say when it stopped" in forgotten_timer.refused("start", "2", "--at", "08:00")


# --- done / reopen --------------------------------------------------------------------------


def test_done_defaults_to_resolved(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB")
    triage.now = at("26.11", "10:30")
    assert (
        triage.ok("done", "1").splitlines()[0] == "#1 AB · later · due Thu 03.12.2026 · resolved · from pupil"
    )
    request = triage.show(1)
    assert pick(request, "status", "outcome", "phase", "lane", "first_contact", "target_met") == {
        "status": "closed",
        "outcome": "resolved",
        "phase": "closed",
        "lane": None,
        "first_contact": None,  # a close is not a contact
        "target_met": True,  # but a close that stands meets the target (Thu 03.12)
    }
    assert request["events"][-1] == {"type": "closed", "at": "2026-11-26T10:30:00", "outcome": "resolved"}
    assert triage.json("list")["requests"] == []


@pytest.mark.parametrize("outcome", ["resolved", "referred", "withdrawn", "no-action"])
def test_done_with_outcome(triage: Triage, outcome: str) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--at", "08:00")
    request = triage.json("done", "1", "--outcome", outcome, "--at", "09:00")
    assert request["events"][-1] == {"type": "closed", "at": "2026-11-26T09:00:00", "outcome": outcome}
    assert pick(request, "status", "outcome") == {"status": "closed", "outcome": outcome}


def test_reopen_sets_a_new_due_date(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "tomorrow")  # due Fri 27.11
    triage.ok("done", "1", "--at", "10:00")
    triage.now = at("30.11", "09:00")
    triage.ok("reopen", "1")  # as `tomorrow` classified on Mon 30.11: Tue 01.12
    request = triage.show(1)
    assert pick(request, "status", "outcome", "urgency", "due", "phase", "lane", "target_due",
                "first_contact", "target_met") == {
        "status": "open",
        "outcome": None,
        "urgency": "tomorrow",
        "due": "2026-12-01",
        "phase": "waiting",  # never reached: the close was not a contact
        "lane": "tomorrow",
        "target_due": "2026-11-27",
        "first_contact": None,
        "target_met": False,  # the close no longer stands, and Fri 27.11 has passed
    }  # fmt: skip
    assert request["events"][-1] == {"type": "reopened", "at": "2026-11-30T09:00:00", "due": "2026-12-01"}
    assert event_types(request) == ["created", "classified", "closed", "reopened"]


def test_reopen_a_later_request_after_the_fact(triage: Triage) -> None:
    triage.now = at("01.12", "12:00")
    triage.ok("add", "x", "--pupil", "AB", "--at", "thu 10:00")
    triage.ok("done", "1", "--at", "thu 11:00")
    # Mon 30.11 + 5 school days: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7.
    assert triage.json("reopen", "1", "--at", "mon 09:00")["due"] == "2026-12-07"


# --- edit -----------------------------------------------------------------------------------


def test_edit(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB")
    triage.now = at("26.11", "10:05")
    request = triage.json("edit", "1", "--pupil", "CD", "--from", "nurse", "--summary", "Hodepine")
    assert pick(request, "pupil", "source", "summary", "urgency", "due") == {
        "pupil": "CD", "source": "nurse", "summary": "Hodepine", "urgency": "later", "due": "2026-12-03",
    }  # fmt: skip
    assert request["events"][-1] == {
        "type": "edited",
        "at": "2026-11-26T10:05:00",
        "fields": ["pupil", "source", "summary"],
    }
    shown = triage.ok("show", "1")
    assert "edited pupil code, source, summary" in shown
    assert "AB" not in shown  # the old code is gone: an edit is how a mistake is taken out


# --- backup / restore -----------------------------------------------------------------------


def test_backup_and_list(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB")
    made = triage.ok("backup")
    assert made.startswith("backup made: ")
    path = Path(made.removeprefix("backup made: ").strip())
    assert path.parent == triage.folder / "backups"
    assert (path / "triage.json").is_file()
    assert triage.ok("backup", "--list") == f"{path.name}\n"


def test_backup_keeps_only_as_many_as_the_settings_say(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB")
    (triage.folder / "config.toml").write_text("backups_kept = 2\n")
    made = [Path(triage.ok("backup").removeprefix("backup made: ").strip()).name for _ in range(3)]
    assert triage.ok("backup", "--list") == f"{made[1]}\n{made[2]}\n"
    (triage.folder / "config.toml").write_text("backups_kept = 'two'\n")  # unreadable: prune nothing
    more = Path(triage.ok("backup").removeprefix("backup made: ").strip()).name
    assert triage.ok("backup", "--list") == f"{made[1]}\n{made[2]}\n{more}\n"


def test_restore_brings_a_backup_back_and_keeps_what_was_there(triage: Triage) -> None:
    triage.ok("add", "first", "--pupil", "AB")
    name = Path(triage.ok("backup").removeprefix("backup made: ").strip()).name
    triage.ok("add", "second", "--pupil", "CD")
    out = triage.ok("restore", name)
    assert out.startswith(f"restored {name}; what was there before is kept in backup ")
    before = out.strip().rsplit(" ", 1)[1]
    assert [r["summary"] for r in triage.json("list")["requests"]] == ["first"]
    triage.ok("restore", before)
    assert [r["summary"] for r in triage.json("list")["requests"]] == ["first", "second"]
    assert triage.json("add", "third", "--pupil", "EF")["id"] == 3  # ids are never reused


def test_restore_an_unknown_backup_changes_nothing(seeded: Triage) -> None:
    before = seeded.files()
    result = seeded("restore", "20200101T000000-daily")
    assert result.code != 0 and result.out == ""
    assert len(result.err.splitlines()) == 1 and "backup --list" in result.err
    assert seeded.files() == before


def test_restore_an_unknown_backup_is_bad_input(seeded: Triage) -> None:
    assert seeded("restore", "no-such-backup").code == 2


# --- bad input: exit 2, one line on stderr, nothing written ---------------------------------

BAD_INPUT = [
    # unknown or malformed ids
    (["show", "99"], "no request 99"),
    (["show", "abc"], "not a request id"),
    (["urgency", "99", "now"], "no request 99"),
    (["postpone", "99", "fri"], "no request 99"),
    (["done", "99"], "no request 99"),
    (["reopen", "99"], "no request 99"),
    (["edit", "99", "--pupil", "XY"], "no request 99"),
    (["log", "30", "--activity", "conversation", "--request", "99"], "no request 99"),
    (["start", "99"], "no request 99"),
    (["done", "0"], "not a request id"),
    # add
    (["add", "x"], "--pupil"),
    (["add", "--pupil", "AB"], "SUMMARY"),
    (["add", "", "--pupil", "AB"], "summary cannot be empty"),
    (["add", "   ", "--pupil", "AB"], "summary cannot be empty"),
    (["add", "x", "--pupil", " "], "pupil code cannot be empty"),
    (["add", "x", "--pupil", "AB", "--urgency", "asap"], "choose from now, tomorrow, later"),
    (["add", "x", "--pupil", "AB", "--from", "grandma"], "choose from pupil, teacher"),
    (["add", "x", "--pupil", "AB", "--at", "tomorrow"], "future"),
    (["add", "x", "--pupil", "AB", "--at", "10:30"], "future"),
    (["add", "x", "--pupil", "AB", "--at", "32.13"], "not a date"),
    (["add", "x", "--pupil", "AB", "--at", "25:00"], "not a date"),
    # urgency
    (["urgency", "1", "soon"], "choose from now, tomorrow, later"),
    (["urgency", "1", "later"], "already 'later'"),
    (["urgency", "2", "now"], "reopen it first"),
    (["urgency", "1", "now", "--at", "09:00"], "order they happened"),  # before it was created
    # postpone
    (["postpone", "1", "someday"], "not a date"),
    (["postpone", "1", "31.02"], "not a date"),
    (["postpone", "1", "2026-13-01"], "not a date"),
    (["postpone", "1", "fri"], "not later than"),  # due Thu 03.12 already
    (["postpone", "1", "03.12"], "not later than"),
    (["postpone", "1", "yesterday"], "passed"),
    (["postpone", "2", "+10"], "reopen it first"),
    # log
    (["log", "abc", "--activity", "conversation"], "not a duration"),
    (["log", "1h75", "--activity", "conversation"], "not a duration"),
    (["log", "0", "--activity", "conversation"], "1 minute to 24 hours"),
    (["log", "25h", "--activity", "conversation"], "1 minute to 24 hours"),
    (["log", "30", "--activity", "coffee"], "choose from conversation, group"),
    (["log", "30"], "--activity"),
    (["log", "30", "--activity", "conversation", "--at", "11:00"], "future"),
    # done / reopen / edit
    (["done", "1", "--outcome", "fixed"], "choose from resolved, referred"),
    (["done", "2"], "already closed"),
    (["reopen", "1"], "open already"),
    (["edit", "1"], "nothing to change"),
    (["edit", "1", "--pupil", "AB"], "nothing to change"),
    (["edit", "1", "--summary", " "], "summary cannot be empty"),
    (["start", "--activity", "coffee"], "choose from conversation, group"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_is_refused_and_changes_nothing(seeded: Triage, args: list[str], message: str) -> None:
    assert message in seeded.refused(*args)


def test_a_refused_command_on_a_new_day_writes_nothing(seeded: Triage) -> None:
    seeded.now = at("27.11", "08:00")
    seeded.refused("urgency", "99", "now")


@pytest.mark.parametrize(
    "args", [["postpone", "1", f"{ESC_RED}fri"], ["log", ESC_RED, "--activity", "meeting"]]
)
def test_bad_input_is_quoted_literally(seeded: Triage, args: list[str]) -> None:
    assert "\x1b" not in seeded.refused(*args)


# --- derived fields -------------------------------------------------------------------------


def test_first_contact_is_the_start_of_the_first_linked_time_entry(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--at", "08:00")
    triage.ok("add", "y", "--pupil", "CD", "--at", "08:00")
    triage.ok("log", "20", "--activity", "conversation", "--request", "1")  # 09:40
    assert triage.show(1)["first_contact"] == "2026-11-26T09:40:00"
    triage.ok("log", "10", "--activity", "meeting", "--at", "08:30")  # unlinked: not contact
    triage.ok("log", "10", "--activity", "meeting", "--request", "2", "--at", "08:45")  # another request
    triage.ok("log", "15", "--activity", "observation", "--request", "1", "--at", "09:05")  # recorded later
    assert triage.show(1)["first_contact"] == "2026-11-26T09:05:00"
    triage.now = at("26.11", "11:00")
    triage.ok("done", "1")  # a close after the first entry does not move it
    assert triage.show(1)["first_contact"] == "2026-11-26T09:05:00"


def test_target_missed_after_a_downgrade_although_due_has_not_passed(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "now")  # target Thu 26.11
    triage.now = at("26.11", "11:00")
    triage.ok("urgency", "1", "later")  # due Thu 03.12
    triage.now = at("28.11", "12:00")  # Saturday, two days later
    triage.ok("log", "30", "--activity", "conversation", "--request", "1")
    request = triage.show(1)
    assert pick(request, "due", "overdue", "first_contact", "target_due", "target_met", "slips") == {
        "due": "2026-12-03",
        "overdue": False,
        "first_contact": "2026-11-28T11:30:00",
        "target_due": "2026-11-26",
        "target_met": False,
        "slips": [],  # 26.11 was replaced before it ended; 03.12 has not ended
    }
    assert "target Thu 26.11.2026 (missed)" in triage.ok("show", "1")


def test_target_met_when_contact_is_on_the_target_day(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "tomorrow")  # target Fri 27.11
    triage.now = at("27.11", "15:00")
    triage.ok("log", "30", "--activity", "conversation", "--request", "1")
    triage.now = at("30.11", "09:00")
    assert pick(triage.show(1), "target_met", "slips") == {"target_met": True, "slips": []}


@pytest.mark.parametrize(
    ("now", "slips", "target_met"),
    [
        (at("27.11", "23:59"), [], None),  # the due day has not ended
        (at("28.11", "00:00"), ["2026-11-27"], False),
        (at("30.11", "09:00"), ["2026-11-27"], False),
    ],
)
def test_a_slip_appears_when_the_due_date_ends_without_contact(
    triage: Triage, now: datetime, slips: list[str], target_met: bool | None
) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "tomorrow")  # due Fri 27.11
    triage.now = now
    assert pick(triage.show(1), "slips", "target_met") == {"slips": slips, "target_met": target_met}


def test_contact_after_the_due_date_keeps_the_slip(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--urgency", "tomorrow")  # due Fri 27.11
    triage.now = at("30.11", "10:00")
    triage.ok("log", "30", "--activity", "conversation", "--request", "1")
    triage.now = at("04.12", "10:00")  # a week on, open, still due 27.11, slipped once
    request = triage.show(1)
    # Reached on Mon 30.11 and given no next step: an ongoing case is never overdue by its due date.
    assert pick(request, "slips", "phase", "lane", "overdue", "target_met") == {
        "slips": ["2026-11-27"], "phase": "ongoing", "lane": "ongoing", "overdue": False, "target_met": False,
    }  # fmt: skip


def test_after_the_fact_gives_the_same_answers_as_live(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = Triage(tmp_path / "live", capsys)
    live.ok("add", "Gruer seg", "--pupil", "AB", "--urgency", "tomorrow")  # Thu 26.11 10:00, due 27.11
    live.now = at("30.11", "09:00")
    assert live.show(1)["slips"] == ["2026-11-27"]
    live.ok("postpone", "1", "wed", "--why", "venter på lærer")  # Wed 02.12
    live.now = at("02.12", "14:00")
    live.ok("log", "30", "--activity", "conversation", "--request", "1")  # 13:30
    live.now = at("03.12", "10:00")

    after = Triage(tmp_path / "after", capsys)
    after.now = at("03.12", "10:00")
    after.ok("add", "Gruer seg", "--pupil", "AB", "--urgency", "tomorrow", "--at", "2026-11-26T10:00")
    after.ok("postpone", "1", "wed", "--why", "venter på lærer", "--at", "2026-11-30T09:00")
    after.ok("log", "30", "--activity", "conversation", "--request", "1", "--at", "2026-12-02T13:30")

    recorded_live, recorded_after = live.show(1), after.show(1)
    expected = {
        "due": "2026-12-02",
        "slips": ["2026-11-27"],
        "target_due": "2026-11-27",
        "target_met": False,
        "first_contact": "2026-12-02T13:30:00",
    }
    assert pick(recorded_live, *expected) == expected
    assert pick(recorded_after, *expected) == expected
    assert recorded_after == recorded_live


# --- user text is stored verbatim and shown literally ---------------------------------------


def test_markup_and_escapes_are_stored_verbatim_and_shown_literally(triage: Triage) -> None:
    summary, pupil, why, note = (
        f"[bold]x[/] {ESC_RED}rød",
        "[red]P1",
        f"[i]fordi[/i] {ESC_RED}",
        f"{ESC_RED}[link=x]n",
    )
    added = triage.ok("add", summary, "--pupil", pupil, "--urgency", "now", "--at", "09:00")
    downgraded = triage.ok("urgency", "1", "later", "--why", why)
    logged = triage.ok("log", "15", "--activity", "conversation", "--request", "1", "--note", note)
    listing, shown, as_json = triage.ok("list"), triage.ok("show", "1"), triage.ok("show", "1", "--json")

    request = json.loads(as_json)
    assert (request["pupil"], request["summary"]) == (pupil, summary)
    assert request["events"][-1]["why"] == why
    assert request["time"][0]["note"] == note
    assert all("\x1b" not in out for out in (added, downgraded, logged, listing, shown, as_json))
    assert added.splitlines() == [
        "#1 [red]P1 · now · due Thu 26.11.2026 · now lane · new, no contact yet · from pupil",
        "  [bold]x[/] \\x1b[31mrød",
    ]
    assert "  [bold]x[/] \\x1b[31mrød  [downgraded]" in listing
    assert "— [i]fordi[/i] \\x1b[31m (reason 1)\n" in shown
    assert "— \\x1b[31m[link=x]n  (entry 1)\n" in shown


def test_newlines_in_text_are_spelled_out(triage: Triage) -> None:
    out = triage.ok("add", "to\nlinjer", "--pupil", "AB")
    assert out.splitlines()[1] == "  to\\nlinjer"
    assert triage.show(1)["summary"] == "to\nlinjer"


def test_unlog_takes_back_time_logged_by_mistake(triage: Triage) -> None:
    triage.ok("add", "x", "--pupil", "AB", "--at", "01:00")
    triage.ok("log", "8h", "--activity", "conversation", "--request", "1", "--at", "01:00")
    assert triage.ok("unlog", "1") == "took back 8 h 00 conversation on #1, from Thu 26.11 01:00 (entry 1)\n"
    assert triage.show(1)["first_contact"] is None
    assert "no recent time entry 1" in triage.refused("unlog", "1")


# --- next steps (issue 8) -------------------------------------------------------------------


@pytest.fixture
def reached(triage: Triage) -> Triage:
    """#1 `now` since Thu 26.11 08:00, reached 09:00-09:30, no next step yet: an ongoing case.
    #2 `now` since 08:00, never reached: waiting. #3 reached at 08:30 and closed at 10:00.
    Time entries 1 (on #1) and 2 (on #3)."""
    triage.ok("add", "Trist", "--pupil", "AB", "--urgency", "now", "--at", "08:00")
    triage.ok("log", "30", "--activity", "conversation", "--request", "1", "--at", "09:00")
    triage.ok("add", "Vil snakke", "--pupil", "CD", "--urgency", "now", "--at", "08:00")
    triage.ok("add", "Ferdig", "--pupil", "EF", "--at", "08:00")
    triage.ok("log", "15", "--activity", "conversation", "--request", "3", "--at", "08:30")
    triage.ok("done", "3")
    return triage


def journal(triage: Triage) -> list[dict[str, Any]]:
    """The data folder's journal: one line for each action since the hot file was last written whole."""
    path = triage.folder / "triage.journal"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_next_sets_the_next_step_of_an_ongoing_case(reached: Triage) -> None:
    assert pick(reached.show(1), "phase", "next_step", "lane", "overdue") == {
        "phase": "ongoing", "next_step": None, "lane": "ongoing", "overdue": False,
    }  # fmt: skip
    out = reached.ok("next", "1", "fri", "--why", "ser henne etter gym")
    assert out.splitlines()[0] == (
        "#1 AB · now · due Thu 26.11.2026 · tomorrow lane · follow-up, next step Fri 27.11.2026 · from pupil"
    )
    request = reached.show(1)
    assert pick(request, "phase", "next_step", "lane", "overdue", "first_contact", "last_contact") == {
        "phase": "ongoing",
        "next_step": "2026-11-27",
        "lane": "tomorrow",
        "overdue": False,
        "first_contact": "2026-11-26T09:00:00",
        "last_contact": "2026-11-26T09:00:00",
    }
    assert request["events"][-1] == {"type": "next_step", "at": "2026-11-26T10:00:00", "date": "2026-11-27",
                                     "why": "ser henne etter gym"}  # fmt: skip
    history = reached.ok("show", "1").splitlines()
    assert "  2026-11-26 10:00  next step Fri 27.11 — ser henne etter gym (reason 1)" in history

    reached.now = at("27.11", "08:00")  # its day has come
    assert pick(reached.show(1), "lane", "overdue") == {"lane": "now", "overdue": False}
    reached.now = at("30.11", "08:00")  # Friday ended with no contact
    assert pick(reached.show(1), "lane", "overdue") == {"lane": "now", "overdue": True}
    # A Saturday moves on to the next school day, as a due date does: Sat 05.12 -> Mon 07.12.
    assert pick(reached.json("next", "1", "lør"), "next_step", "lane", "overdue") == {
        "next_step": "2026-12-07", "lane": "later", "overdue": False,
    }  # fmt: skip


def test_next_none_clears_the_next_step(reached: Triage) -> None:
    reached.ok("next", "1", "02.12")
    assert reached.show(1)["lane"] == "later"
    reached.now = at("26.11", "10:05")
    request = reached.json("next", "1", "none", "--why", "venter på BUP")
    assert pick(request, "phase", "next_step", "lane", "overdue") == {
        "phase": "ongoing", "next_step": None, "lane": "ongoing", "overdue": False,
    }  # fmt: skip
    assert request["events"][-1] == {"type": "next_step", "at": "2026-11-26T10:05:00", "date": None,
                                     "why": "venter på BUP"}  # fmt: skip
    shown = reached.ok("show", "1").splitlines()
    assert "  2026-11-26 10:05  next step cleared — venter på BUP (reason 1)" in shown
    assert reached.json("next", "1", "fredag")["next_step"] == "2026-11-27"
    assert reached.json("next", "1", "ingen")["next_step"] is None  # Norwegian for none
    assert event_types(reached.show(1))[-4:] == ["next_step"] * 4


def test_next_after_the_fact(reached: Triage) -> None:
    reached.now = at("30.11", "10:00")  # Monday
    # Planned on Thursday for Friday, which passed with no contact since: late now. A date
    # that has passed is fine when it had not passed at --at.
    request = reached.json("next", "1", "fri", "--at", "thu 12:00")
    assert request["events"][-1] == {"type": "next_step", "at": "2026-11-26T12:00:00", "date": "2026-11-27",
                                     "why": None}  # fmt: skip
    assert pick(request, "next_step", "lane", "overdue") == {"next_step": "2026-11-27", "lane": "now",
                                                             "overdue": True}  # fmt: skip
    # +N counts school days from --at: Thu 26.11 + 2 is Mon 30.11, today.
    request = reached.json("next", "1", "+2", "--at", "thu 12:30")
    assert pick(request, "next_step", "lane", "overdue") == {"next_step": "2026-11-30", "lane": "now",
                                                             "overdue": False}  # fmt: skip


NEXT_BAD_INPUT = [
    (["next", "1", "yesterday"], "has passed"),  # a past date without --at
    (["next", "1", "25.11"], "has passed"),
    (["next", "1", "2029-01-08"], "more than two years ahead"),
    (["next", "1", "someday"], "not a date"),
    (["next", "1", "31.02"], "not a date"),
    (["next", "1", "none"], "has no next step"),  # nothing to clear
    (["next", "2", "fri"], "no contact yet"),  # waiting: its due date says when
    (["next", "3", "fri"], "reopen it first"),  # closed
    (["next", "99", "fri"], "no request 99"),
    (["next", "abc", "fri"], "not a request id"),
    (["next", "1"], "WHEN|none"),
    (["next", "1", "fri", "--at", "08:30"], "no contact yet"),  # before its first contact at 09:00
    (["next", "1", "fri", "--at", "07:00"], "order they happened"),  # before it was created
    (["next", "1", "fri", "--at", "11:00"], "future"),
    (["next", "1", "fri", "--why", "x" * 501], "longer than 500"),
    (["postpone", "1", "fri"], "no next step to postpone"),  # ongoing: postpone moves the next step
    (["log", "30", "--activity", "meeting", "--next", "fri"], "needs time logged on a request"),
    (["log", "30", "--activity", "conversation", "--request", "2", "--next", "yesterday"], "has passed"),
    (["log", "30", "--activity", "conversation", "--request", "2", "--next", "someday"], "not a date"),
    (["log", "30", "--activity", "conversation", "--request", "3", "--next", "fri"], "reopen it first"),
    (["stop", "--next", "fri"], "no timer"),
]


@pytest.mark.parametrize(
    ("args", "message"), NEXT_BAD_INPUT, ids=[" ".join(a)[:40] for a, _ in NEXT_BAD_INPUT]
)
def test_bad_next_steps_are_refused_and_change_nothing(
    reached: Triage, args: list[str], message: str
) -> None:
    assert message in reached.refused(*args)


def test_a_refused_next_step_on_a_new_day_writes_nothing(reached: Triage) -> None:
    reached.now = at("27.11", "08:00")  # the first write of a day would make the daily backup
    reached.refused("log", "30", "--activity", "meeting", "--next", "mon")  # fails after the time is taken
    reached.refused("next", "2", "mon")


def test_log_next_sets_the_next_step_in_the_same_action(reached: Triage) -> None:
    before = journal(reached)
    entry = reached.json("log", "20", "--activity", "conversation", "--request", "2", "--next", "mon")
    assert entry == {"id": 3, "start": "2026-11-26T09:40:00", "minutes": 20, "activity": "conversation",
                     "request": 2, "note": None}  # fmt: skip
    request = reached.show(2)
    assert pick(request, "phase", "first_contact", "next_step", "lane", "overdue") == {
        "phase": "ongoing",
        "first_contact": "2026-11-26T09:40:00",
        "next_step": "2026-11-30",  # Thu 26.11 -> Mon 30.11, after tomorrow: the Later lane
        "lane": "later",
        "overdue": False,
    }
    # Planned as of the contact's end.
    assert request["events"][-1] == {"type": "next_step", "at": "2026-11-26T10:00:00", "date": "2026-11-30",
                                     "why": None}  # fmt: skip
    # One action: one journal line holds both the time and the next step.
    (line,) = journal(reached)[len(before) :]
    assert line["set"]["time"]["3"]["request"] == 2
    assert line["set"]["requests"]["2"]["events"][-1]["type"] == "next_step"


def test_log_next_after_the_fact_gives_the_same_answers_as_live(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = Triage(tmp_path / "live", capsys)
    live.ok("add", "Trist", "--pupil", "AB", "--urgency", "now")  # Thu 26.11 10:00
    live.now = at("27.11", "09:30")
    live.ok("log", "30", "--activity", "conversation", "--request", "1", "--next", "+1")  # Fri + 1: Mon 30.11
    live.now = at("01.12", "10:00")

    after = Triage(tmp_path / "after", capsys)
    after.now = at("01.12", "10:00")
    after.ok("add", "Trist", "--pupil", "AB", "--urgency", "now", "--at", "2026-11-26T10:00")
    # +1 counts from --at (Fri 27.11), not from the day it is recorded (Tue 01.12).
    after.ok("log", "30", "--activity", "conversation", "--request", "1", "--at", "fri 09:00", "--next", "+1")

    expected = {
        "first_contact": "2026-11-27T09:00:00",
        "next_step": "2026-11-30",
        "lane": "now",
        "overdue": True,  # Monday ended with no contact
    }
    assert pick(live.show(1), *expected) == expected
    assert after.show(1) == live.show(1)


def test_stop_next_sets_the_next_step_in_the_same_action(reached: Triage) -> None:
    reached.ok("start", "2", "--at", "09:15")
    before = journal(reached)
    stopped = reached("stop", "--next", "tue", "--json")
    assert json.loads(stopped.out) == {"id": 3, "start": "2026-11-26T09:15:00", "minutes": 45,
                                       "activity": "conversation", "request": 2, "note": None}  # fmt: skip
    # Saved, with a word about the time on #1 from 09:00 to 09:30.
    assert stopped.err == "warning: it overlaps 30 min conversation on #1, from Thu 26.11 09:00 (entry 1)\n"
    request = reached.show(2)
    assert pick(request, "phase", "first_contact", "next_step", "lane") == {
        "phase": "ongoing",
        "first_contact": "2026-11-26T09:15:00",
        "next_step": "2026-12-01",  # Tue 01.12, after tomorrow
        "lane": "later",
    }
    assert request["events"][-1] == {"type": "next_step", "at": "2026-11-26T10:00:00", "date": "2026-12-01",
                                     "why": None}  # fmt: skip
    assert len(journal(reached)) == len(before) + 1
    assert reached.json("list")["timer"] is None


def test_stop_next_after_the_fact(reached: Triage) -> None:
    reached.now = at("26.11", "12:00")
    reached.ok("start", "1", "--at", "10:30")
    assert reached.json("stop", "--at", "11:00", "--next", "+1")["minutes"] == 30
    request = reached.show(1)
    assert request["events"][-1] == {"type": "next_step", "at": "2026-11-26T11:00:00", "date": "2026-11-27",
                                     "why": None}  # fmt: skip
    assert pick(request, "next_step", "lane", "last_contact") == {
        "next_step": "2026-11-27", "lane": "tomorrow", "last_contact": "2026-11-26T10:30:00",
    }  # fmt: skip


def test_stop_next_refused_keeps_the_timer_running(reached: Triage) -> None:
    reached.ok("start", "--activity", "meeting", "--at", "09:40")
    assert "needs time logged on a request" in reached.refused("stop", "--next", "fri")
    reached.ok("stop")
    reached.ok("start", "2")  # at 10:00
    assert "less than a minute" in reached.refused("stop", "--next", "fri")
    reached.now = at("26.11", "10:20")
    assert "has passed" in reached.refused("stop", "--next", "yesterday")
    assert reached.json("list")["timer"] == {"start": "2026-11-26T10:00:00", "activity": "conversation",
                                             "request": 2}  # fmt: skip
    assert reached.show(2)["phase"] == "waiting"


def test_postpone_moves_the_next_step_of_an_ongoing_case(reached: Triage) -> None:
    reached.ok("next", "1", "fri")  # Fri 27.11
    reached.now = at("26.11", "10:30")
    request = reached.json("postpone", "1", "tue", "--why", "syk")
    assert request["events"][-1] == {
        "type": "postponed", "at": "2026-11-26T10:30:00", "from_due": "2026-11-27", "to_due": "2026-12-01",
        "why": "syk",
    }  # fmt: skip
    assert pick(request, "phase", "next_step", "lane", "overdue", "target_due") == {
        "phase": "ongoing", "next_step": "2026-12-01", "lane": "later", "overdue": False,
        "target_due": "2026-11-26",
    }  # fmt: skip
    assert "not later than the current next step 2026-12-01" in reached.refused("postpone", "1", "30.11")
    (line,) = [row for row in reached.ok("list").splitlines() if row.startswith("  #1 ")]
    assert line.endswith("follow-up  next step Tue 01.12.2026, last seen Thu 26.11.2026  Trist  [postponed]")


def test_once_reached_a_classification_or_a_reopening_sets_the_next_step(reached: Triage) -> None:
    # As they set the due date: `later` from Thu 26.11 is Thu 03.12.
    assert pick(reached.json("urgency", "1", "later"), "due", "next_step", "lane") == {
        "due": "2026-12-03", "next_step": "2026-12-03", "lane": "later",
    }  # fmt: skip
    assert reached.json("done", "1")["next_step"] is None
    reached.now = at("30.11", "10:00")
    # Reached before, so ongoing again; `later` from Mon 30.11: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7.
    assert pick(reached.json("reopen", "1"), "phase", "due", "next_step", "lane") == {
        "phase": "ongoing", "due": "2026-12-07", "next_step": "2026-12-07", "lane": "later",
    }  # fmt: skip


# --- the four lanes (issue 8) ---------------------------------------------------------------


@pytest.fixture
def lanes(triage: Triage) -> Triage:
    """At Thu 26.11 10:00, by lane, each in its order (waiting first, by class then due date;
    then ongoing, by next step; the Ongoing lane by last contact, oldest first):

    now:      #4 waiting, now, due Thu 26.11
              #1 waiting, later, due Mon 23.11 (created Mon 16.11): overdue
              #2 ongoing, next step Wed 25.11 (set Tue, seen Tue 09:30): overdue
              #3 ongoing, next step today
    tomorrow: #6 waiting, tomorrow, due Fri 27.11
              #5 ongoing, next step Fri 27.11
    later:    #8 waiting, later, due Thu 03.12
              #7 ongoing, next step Mon 30.11
    ongoing:  #10 last seen Mon 23.11 09:00 (its only contact)
              #9 first seen Mon 23.11 08:15, last Wed 25.11 09:00
    #9 and #10 were due Mon 23.11, and have no next step.
    """
    t = triage
    t.ok("add", "Fravær", "--pupil", "AA", "--at", "2026-11-16T09:00")
    t.ok("add", "Sint", "--pupil", "BB", "--urgency", "now", "--at", "tue 09:00")
    t.ok("log", "30", "--activity", "conversation", "--request", "2", "--at", "tue 09:30")
    t.ok("next", "2", "wed", "--at", "tue 10:30")
    t.ok("add", "Gråter", "--pupil", "CC", "--urgency", "now", "--at", "08:00")
    t.ok("log", "20", "--activity", "conversation", "--request", "3", "--at", "08:30")
    t.ok("next", "3", "today")
    t.ok("add", "Ny i dag", "--pupil", "DD", "--urgency", "now")
    t.ok("add", "Oppfølging", "--pupil", "EE", "--urgency", "now", "--at", "08:00")
    t.ok("log", "15", "--activity", "conversation", "--request", "5", "--at", "08:10")
    t.ok("next", "5", "fri")
    t.ok("add", "Vil snakke", "--pupil", "FF", "--urgency", "tomorrow")
    t.ok("add", "Skolevegring", "--pupil", "GG", "--urgency", "now", "--at", "08:00")
    t.ok("log", "30", "--activity", "conversation", "--request", "7", "--at", "09:00")
    t.ok("next", "7", "mon")
    t.ok("add", "Venner", "--pupil", "HH")
    t.ok("add", "Stille", "--pupil", "II", "--urgency", "now", "--at", "mon 08:00")
    t.ok("log", "15", "--activity", "conversation", "--request", "9", "--at", "mon 08:15")
    t.ok("log", "30", "--activity", "conversation", "--request", "9", "--at", "wed 09:00")
    t.ok("add", "Ensom", "--pupil", "JJ", "--urgency", "now", "--at", "mon 08:00")
    t.ok("log", "30", "--activity", "conversation", "--request", "10", "--at", "mon 09:00")
    return t


def test_list_shows_four_lanes_waiting_before_ongoing(lanes: Triage) -> None:
    out = lanes.ok("list")
    assert list(lanes_of(out).items()) == [
        ("NOW (4)", [4, 1, 2, 3]),
        ("TOMORROW (2)", [6, 5]),
        ("LATER (2)", [8, 7]),
        ("ONGOING (2)", [10, 9]),  # by last contact: not by id, nor by first contact
    ]
    line = {int(row.split()[0][1:]): row for row in out.splitlines() if row.startswith("  #")}
    # Mon 16.11 to Thu 26.11: 17, 18, 19, 20, 23, 24, 25, 26.
    assert line[1].endswith("new        due Mon 23.11.2026, waited 8 school days  Fravær  [overdue]")
    assert line[2].endswith("follow-up  next step Wed 25.11.2026, last seen Tue 24.11.2026  Sint  [overdue]")
    assert line[10].endswith("follow-up  no next step, last seen Mon 23.11.2026  Ensom")


def test_list_json_lanes_phases_and_overdue(lanes: Triage) -> None:
    requests = lanes.json("list")["requests"]
    assert [(r["id"], r["lane"], r["phase"], r["next_step"], r["overdue"]) for r in requests] == [
        (4, "now", "waiting", None, False),
        (1, "now", "waiting", None, True),
        (2, "now", "ongoing", "2026-11-25", True),
        (3, "now", "ongoing", "2026-11-26", False),
        (6, "tomorrow", "waiting", None, False),
        (5, "tomorrow", "ongoing", "2026-11-27", False),
        (8, "later", "waiting", None, False),
        (7, "later", "ongoing", "2026-11-30", False),
        (10, "ongoing", "ongoing", None, False),  # due Mon 23.11, but reached: never overdue
        (9, "ongoing", "ongoing", None, False),
    ]
    keys = ("due", "first_contact", "last_contact", "school_days_since_contact")
    contacts = [pick(r, *keys) for r in requests[-2:]]
    assert contacts == [
        {"due": "2026-11-23", "first_contact": "2026-11-23T09:00:00", "last_contact": "2026-11-23T09:00:00",
         "school_days_since_contact": 3},  # Tue, Wed, Thu
        {"due": "2026-11-23", "first_contact": "2026-11-23T08:15:00", "last_contact": "2026-11-25T09:00:00",
         "school_days_since_contact": 1},
    ]  # fmt: skip


def test_overdue_follows_the_action_date(lanes: Triage) -> None:
    lanes.now = at("14.12", "10:00")  # Monday, three weeks after #9 and #10 were due
    requests = lanes.json("list")["requests"]
    # Everything with a date is in Now and overdue: waiting by class (now, tomorrow, later) and
    # due date, then ongoing by next step. The ongoing cases with no next step never are.
    assert [(r["id"], r["lane"], r["overdue"]) for r in requests] == [
        (4, "now", True), (6, "now", True), (1, "now", True), (8, "now", True),
        (2, "now", True), (3, "now", True), (5, "now", True), (7, "now", True),
        (10, "ongoing", False), (9, "ongoing", False),
    ]  # fmt: skip


def test_show_names_the_phase_and_the_last_contact(lanes: Triage) -> None:
    new = lanes.ok("show", "4").splitlines()
    assert new[:3] == [
        "#4 DD · now · due Thu 26.11.2026 · now lane · new, no contact yet · from pupil",
        "  Ny i dag",
        "target Thu 26.11.2026 (pending); first contact: no contact yet; waited 0 school days",
    ]
    assert not [row for row in new if row.startswith("last contact")]
    follow_up = lanes.ok("show", "2").splitlines()
    assert follow_up[:4] == [
        "#2 BB · now · due Tue 24.11.2026 · now lane · follow-up, next step Wed 25.11.2026 · from pupil",
        "  Sint",
        "target Tue 24.11.2026 (met); first contact: Tue 24.11 09:30; waited 0 school days",
        "last contact: Tue 24.11 09:30 (2 school days ago)",  # Wed, Thu
    ]
    assert "  2026-11-24 10:30  next step Wed 25.11" in follow_up
    quiet = lanes.ok("show", "10").splitlines()
    assert quiet[0] == (
        "#10 JJ · now · due Mon 23.11.2026 · ongoing lane · follow-up, no next step · from pupil"
    )
    assert quiet[3] == "last contact: Mon 23.11 09:00 (3 school days ago)"


def test_list_pupil_shows_every_request_of_one_pupil_archived_ones_too(triage: Triage) -> None:
    triage.ok("add", "Gammel sak", "--pupil", "AB", "--at", "08:00")
    triage.ok("log", "20", "--activity", "conversation", "--request", "1", "--at", "09:00")
    triage.ok("done", "1")  # Thu 26.11
    triage.ok("add", "Annen elev", "--pupil", "CD")
    triage.ok("add", "Også lukket", "--pupil", "CD")
    triage.ok("done", "3")
    triage.now = at("10.12", "10:00")  # two weeks on: the archive cutoff is Mon 30.11
    triage.ok("add", "Ny bekymring", "--pupil", "AB", "--urgency", "now")  # this write archives #1 and #3
    archive = json.loads((triage.folder / "history-2026-11.json").read_bytes())
    assert sorted(archive["requests"]) == ["1", "3"]
    triage.ok("add", "Følges opp", "--pupil", "AB", "--urgency", "now", "--at", "08:00")
    triage.ok("log", "30", "--activity", "conversation", "--request", "5", "--at", "09:00")
    triage.ok("add", "Lukket nylig", "--pupil", "AB", "--at", "08:00")
    triage.ok("done", "6", "--outcome", "withdrawn", "--at", "08:30")
    triage.ok("add", "Tredje elev", "--pupil", "ABC")  # a code that starts the same is another pupil
    before = triage.files()

    out = triage.ok("list", "--pupil", "ab")  # a code matches whatever its case
    assert list(lanes_of(out).items()) == [
        ("NOW (1)", [4]),
        ("TOMORROW (0)", []),
        ("LATER (0)", []),
        ("ONGOING (1)", [5]),
        ("CLOSED (2)", [6, 1]),  # closed ones newest first
    ]
    line = {int(row.split()[0][1:]): row for row in out.splitlines() if row.startswith("  #")}
    assert line[1].endswith("resolved   closed, 20 min logged  Gammel sak")  # with its time, from the archive
    assert line[6].endswith("withdrawn  closed, 0 min logged  Lukket nylig")
    requests = triage.json("list", "--pupil", "AB")["requests"]
    assert [(r["id"], r["pupil"], r["phase"]) for r in requests] == [
        (4, "AB", "waiting"), (5, "AB", "ongoing"), (6, "AB", "closed"), (1, "AB", "closed"),
    ]  # fmt: skip
    assert requests[-1] == triage.show(1)
    assert triage.json("list", "--pupil", "XY")["requests"] == []
    assert "reopen it first" in triage.refused("next", "1", "fri")  # not even taken out of the archive
    assert triage.files() == before  # listing writes nothing, and leaves the archive as it is


# --- hardening: issue 9, items 1, 10, 11, 12 and 13 ---------------------------------------------


@pytest.mark.parametrize("when", ["0999-03-01", "0001-01-01", "1999-12-31T23:59", "31.12.1999"])
def test_at_before_the_year_2000_is_refused(seeded: Triage, when: str) -> None:
    # 0999-03-01 was saved and then archived into a file the store never reads again.
    message = seeded.refused("add", "x", "--pupil", "AB", "--at", when)
    assert "outside the years 2000-2100" in message
    assert "--at" in message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["postpone", "2", "31.12.9999"], "9999-12-31 is more than two years ahead"),  # #2 waiting
        (["next", "1", "31.12.9999"], "9999-12-31 is more than two years ahead"),  # #1 ongoing
        (["log", "30", "--activity", "conversation", "--request", "1", "--next", "9999-12-31"], "two years"),
        (["postpone", "2", "0001-01-01"], "has passed"),
        (["next", "1", "01.01.0001"], "0001-01-02 has passed"),  # Mon 1.1.0001 is a holiday
    ],
)
def test_dates_far_ahead_or_behind_are_refused_without_overflow(
    reached: Triage, args: list[str], message: str
) -> None:
    assert message in reached.refused(*args)
    assert reached.show(1)["next_step"] is None  # and `show` still works


@pytest.mark.parametrize("folder", ["", " ", "\t"])
def test_an_empty_data_dir_is_refused(
    triage: Triage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    # `--data-dir ''` made the current folder the data folder, and set it to 0700.
    here = tmp_path / "here"
    here.mkdir(mode=0o755)
    (here / "notes.txt").write_text("mine")
    monkeypatch.chdir(here)
    for args in (["list", "--data-dir", folder], ["--data-dir", folder, "add", "x", "--pupil", "AB"]):
        assert "data folder cannot be empty" in triage.refused(*args)
    assert sorted(p.name for p in here.iterdir()) == ["notes.txt"]
    assert here.stat().st_mode & 0o777 == 0o755
    assert not triage.folder.exists()


def test_an_empty_triage_data_dir_still_means_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from argparse import Namespace

    from triage_tui.cli import data_dir

    monkeypatch.setenv("TRIAGE_DATA_DIR", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir(Namespace()) == tmp_path / "triage-tui"


@pytest.mark.parametrize(
    "duration",
    ["9" * 400, "9" * 400 + "h", "9" * 5000, "9" * 400 + ":30", "9" * 400 + "h30"],
    ids=["400 digits", "400 digits h", "5000 digits", "400 digits:30", "400 digits h30"],
)
def test_a_huge_duration_is_refused_in_one_short_line(seeded: Triage, duration: str) -> None:
    message = seeded.refused("log", duration, "--activity", "admin")
    assert "1 minute to 24 hours" in message
    assert "9999" not in message


@pytest.mark.parametrize(
    "args",
    [
        ["add", "\udcff\udcfe", "--pupil", "AB"],  # what Python makes of `triage add $'\xff\xfe'`
        ["add", "Trist", "--pupil", "A\udcffB"],
        ["edit", "1", "--summary", "ok \udcff"],
        ["edit", "1", "--pupil", "\udcc3"],
        ["urgency", "1", "now", "--why", "\udcff"],
        ["log", "30", "--activity", "conversation", "--request", "1", "--note", "\udcff"],
    ],
)
def test_text_that_is_not_utf8_is_refused_and_nothing_is_written(seeded: Triage, args: list[str]) -> None:
    seeded.now = at("27.11", "08:00")  # the first write of a day would make the daily backup
    message = seeded.refused(*args)
    assert "not valid text" in message
    assert "\udcff" not in message and "\\udc" not in message


def failed(triage: Triage, *args: str) -> str:
    """Run a command that must fail on the data folder (exit 1); return its one line."""
    result = triage(*args)
    assert (result.code, result.out) == (1, ""), (result.code, result.err)
    assert result.err.endswith("\n") and len(result.err.splitlines()) == 1, result.err
    return result.err


UNREAD = "cannot be read (Is a directory); nothing was changed"
UNCOPIED = "cannot be used (Is a directory)"  # by a backup


@pytest.mark.parametrize(
    ("name", "problem", "in_backup"),
    [
        ("triage.journal", UNREAD, UNCOPIED),
        ("triage.json", UNREAD, UNCOPIED),
        ("config.toml", UNREAD, UNCOPIED),
        ("triage.lock", "cannot be opened (Is a directory); nothing was changed", None),
    ],
)
def test_a_folder_where_a_data_file_should_be_is_named_and_nothing_changes(
    seeded: Triage, name: str, problem: str, in_backup: str | None
) -> None:
    # It was `internal error (IsADirectoryError)`.
    path = seeded.folder / name
    path.unlink(missing_ok=True)
    path.mkdir()
    before = seeded.files()
    commands = [["add", "Trist", "--pupil", "9C"], ["log", "30", "--activity", "admin"], ["reopen", "2"]]
    if name == "triage.lock":
        assert "#1" in seeded.ok("list")  # reading takes no lock
    else:
        commands += [["list"], ["show", "1"], ["report"], ["list", "--all"], ["list", "--pupil", "AB"]]
    for args in commands:
        assert failed(seeded, *args) == f"triage: {path} {problem}\n", args
    assert seeded.files() == before
    assert failed(seeded, "backup") == f"triage: {path} {in_backup or problem}\n"


def test_a_full_disk_is_named_and_nothing_is_saved(seeded: Triage, monkeypatch: pytest.MonkeyPatch) -> None:
    # It was `internal error (OSError)`.
    seeded.ok("backup")  # the daily backup below is made, and taken back when the action fails
    before = seeded.files()
    with monkeypatch.context() as m:
        full_disk(m, seeded.folder)
        for args in (["add", "Trist", "--pupil", "9C"], ["log", "30", "--activity", "admin"],
                     ["urgency", "1", "now"], ["start", "1"]):  # fmt: skip
            assert failed(seeded, *args) == (
                f"triage: {seeded.folder / 'triage.journal'} cannot be written (No space left on device); "
                "nothing was saved\n"
            ), args
        seeded.now = at("30.11", "09:00")  # a new week: the first action writes a new checkpoint
        assert failed(seeded, "add", "Trist", "--pupil", "9C") == (
            f"triage: {seeded.folder / 'triage.json'} cannot be written (No space left on device); "
            "nothing was saved\n"
        )
        assert seeded.files() == before
        assert "#1" in seeded.ok("list")  # reading needs no room
    assert seeded.json("add", "Trist", "--pupil", "9C")["id"] == 3


@pytest.mark.parametrize(
    ("error", "reason"), [(errno.EROFS, "Read-only file system"), (errno.EACCES, "Permission denied")]
)
def test_a_data_folder_that_cannot_be_written_is_named_and_still_read(
    seeded: Triage, monkeypatch: pytest.MonkeyPatch, error: int, reason: str
) -> None:
    """A read-only file system, or a folder without write permission (simulated: root may write
    there anyway): no file in it opens for writing."""
    open_ = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(f"{seeded.folder}/"):
            raise OSError(error, os.strerror(error), str(path))
        return open_(path, flags, *args, **kwargs)

    before = seeded.files()
    monkeypatch.setattr(os, "open", read_only)
    for args in (["add", "Trist", "--pupil", "9C"], ["backup"]):
        assert failed(seeded, *args) == (
            f"triage: {seeded.folder / 'triage.lock'} cannot be opened ({reason}); nothing was changed\n"
        )
    assert "#1" in seeded.ok("list")
    assert seeded.files() == before


def test_a_data_folder_that_cannot_be_made_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    folder = tmp_path / "notes.txt" / "data"
    message = failed(Triage(folder, capsys), "add", "x", "--pupil", "AB")
    assert message == f"triage: {folder} cannot be used (Not a directory)\n"


BAD_SHAPES: dict[str, Callable[[dict[str, Any]], object]] = {
    "no events": lambda request: request.pop("events"),
    "no pupil code": lambda request: request.pop("pupil"),
    "a number for a pupil code": lambda request: request.update(pupil=7),
    "an empty history": lambda request: request.update(events=[]),
    "no classification": lambda request: request.update(events=request["events"][:1]),
    "a moment that is not a date": lambda request: request["events"][0].update(at="yesterday"),
    "an unknown source": lambda request: request.update(source="neighbour"),
}


@pytest.mark.parametrize("shape", BAD_SHAPES)
def test_a_badly_shaped_request_is_refused_as_damage_before_any_action(seeded: Triage, shape: str) -> None:
    # It was `internal error (KeyError)`, and an action made in that state had been saved.
    hot = seeded.folder / "triage.json"
    tables = json.loads(hot.read_bytes())
    BAD_SHAPES[shape](tables["requests"]["1"])
    hot.write_text(json.dumps(tables))
    before = seeded.files()
    actions = [["add", "Trist", "--pupil", "9C"], ["reopen", "2"], ["log", "30", "--activity", "admin"]]
    for args in [*actions, ["list"], ["show", "2"], ["report"], ["list", "--all"], ["list", "--pupil", "CD"]]:
        assert failed(seeded, *args) == (
            f"triage: {hot} has a badly shaped request 1; it has been left untouched, "
            "and no good backup of it was found\n"
        ), args
    assert seeded.files() == before


def test_a_badly_shaped_checkpoint_is_repaired_from_its_backup(seeded: Triage) -> None:
    backup = seeded.ok("backup").removeprefix("backup made: ").strip()
    hot = seeded.folder / "triage.json"
    tables = json.loads(hot.read_bytes())
    del tables["requests"]["1"]["events"]
    hot.write_text(json.dumps(tables))
    assert failed(seeded, "add", "Trist", "--pupil", "9C") == (
        f"triage: {hot} has a badly shaped request 1; it has been left untouched, and the newest good "
        f"backup is {backup}: `triage repair` takes the file from there and keeps all that is intact\n"
    )
    assert seeded.ok("repair").startswith(f"triage.json: taken from backup {Path(backup).name}\n")
    assert [r["id"] for r in seeded.json("list", "--all")["requests"]] == [1, 2]
    assert seeded.json("add", "Trist", "--pupil", "9C")["id"] == 3


def test_a_journal_line_with_a_badly_shaped_record_is_left_out_by_repair(seeded: Triage) -> None:
    seeded.ok("log", "30", "--activity", "admin")
    journal = seeded.folder / "triage.journal"
    journal.write_bytes(journal.read_bytes().replace(b'"minutes":30', b'"minutes":"30"'))
    before = seeded.files()
    assert failed(seeded, "add", "Trist", "--pupil", "9C") == (
        f"triage: {journal} has a line with a badly shaped time entry 1; it has been left untouched, "
        "and `triage repair` keeps its intact lines and leaves out the damaged ones\n"
    )
    assert seeded.files() == before
    assert "journal: 2 actions kept, 1 damaged one left out\n" in seeded.ok("repair")
    assert seeded.json("log", "30", "--activity", "admin")["id"] == 2  # the damaged entry's number is kept


TYPED = "8A-KL"  # a pupil code, typed where something else goes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", TYPED], "argument ID: that is not a request id (a number like 12)"),
        (["unlog", TYPED], "not a request id"),
        (["log", "30", "--activity", "admin", "--request", TYPED], "not a request id"),
        (["urgency", "1", TYPED], "argument urgency: choose from now, tomorrow, later"),
        (["add", "x", "--pupil", "AB", "--from", TYPED], "choose from pupil, teacher, parent"),
        (["done", "1", "--outcome", TYPED], "choose from resolved, referred, withdrawn, no-action"),
        (["log", "30", "--activity", TYPED], "choose from conversation, group"),
        ([TYPED], "argument COMMAND: choose from add, list"),
        (["postpone", "1", TYPED], "argument WHEN: that is not a date I understand; use 2026-11-16"),
        (["next", "1", TYPED], "argument WHEN: that is not a date I understand"),
        (["add", "x", "--pupil", "AB", "--at", TYPED], "argument --at: that is not a date I understand"),
        (["add", "x", "--pupil", "AB", "--at", f"{TYPED} 09:00"], "argument --at: that is not a date"),
        (["log", "30", "--activity", "admin", "--request", "1", "--next", TYPED], "argument --next: that is"),
        (["log", TYPED, "--activity", "admin"], "argument DURATION: that is not a duration I understand"),
        (["list", TYPED], "1 unexpected word"),
        (["list", "--all", TYPED, "Ola", "--bogus"], "unrecognized arguments: --bogus, 2 unexpected words"),
        (["list", "--bogus=" + TYPED], "unrecognized arguments: --bogus"),
        (["list", "--json=" + TYPED], "argument --json: takes no value"),
        (["log", "30", "--a=" + TYPED], "ambiguous option: --a could match --at, --activity"),
        (["report", "--week", TYPED], "that is not a week I understand; write it as 2026-W47"),
        (["restore", TYPED], "there is no backup by that name; `triage backup --list` shows them"),
    ],
    ids=lambda value: " ".join(value)[:40] if isinstance(value, list) else None,
)
def test_argument_errors_do_not_repeat_free_text(seeded: Triage, args: list[str], message: str) -> None:
    refused = seeded.refused(*args)
    assert message in refused
    assert TYPED.casefold() not in refused.casefold() and "Ola" not in refused


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "0"], "'0' is not a request id"),
        (["postpone", "1", "31.02"], "'31.02' is not a date I understand"),
        (["add", "x", "--pupil", "AB", "--at", "2026-13-01"], "'2026-13-01' is not a date"),
        (["log", "1441", "--activity", "admin"], "'1441' is out of range"),
        (["log", "90:75", "--activity", "admin"], "'90:75' is not a duration"),
        (["report", "--week", "2026-W99"], "'2026-W99' is not a week"),
        (["restore", "20200101T000000-daily"], "no backup named '20200101T000000-daily'"),
    ],
)
def test_numbers_and_dates_are_still_repeated(seeded: Triage, args: list[str], message: str) -> None:
    assert message in seeded.refused(*args)


# --- the language setting -------------------------------------------------------------------


def test_the_command_line_speaks_norwegian_when_the_setting_says_so(seeded: Triage) -> None:
    (seeded.folder / "config.toml").write_text('language = "nb"\n')
    listed = seeded.ok("list").splitlines()
    assert listed[0] == "NÅ (0)" and "SENERE (1)" in listed
    assert "frist tor 03.12.2026, ventet 0 skoledager  Konflikt i klassen" in seeded.ok("list")
    assert seeded.ok("log", "1h30", "--activity", "meeting") == (
        "ført: 1 t 30 min møte (ikke knyttet til en henvendelse), fra tor 26.11 08:30 (tidsføring 1)\n"
    )
    shown = seeded.ok("show", "1").splitlines()
    assert shown[0] == (
        "#1 AB · senere · frist tor 03.12.2026 · senere-køen · ny, ingen kontakt ennå · fra elev"
    )
    assert shown[3:5] == ["historikk:", "  2026-11-26 10:00  opprettet"]
    # Refused in Norwegian, and free text is not repeated (only what can only be a date is).
    assert seeded.refused("postpone", "1", "8A-KL").endswith(
        "det er ikke en dato jeg forstår; skriv f.eks. i dag, i morgen, fredag, +3, 04.12 eller 2026-12-04\n"
    )
    assert "«31.02» er ikke en dato" in seeded.refused("postpone", "1", "31.02")


def test_a_report_in_the_meeting_s_language_and_json_the_same_in_both(seeded: Triage) -> None:
    english = seeded.ok("report", "--lang", "en").splitlines()
    norwegian = seeded.ok("report", "--lang", "nb").splitlines()
    assert english[0] == "Week 48, 2026 (Mon 23.11 – Sun 29.11)"
    assert norwegian[0] == "Uke 48, 2026 (man 23.11 – søn 29.11)"
    assert "2 henvendelser kom inn: 1 nå, 0 i morgen, 1 senere." in norwegian
    assert seeded.ok("report", "--format", "csv", "--lang", "nb").splitlines()[1] == "hastegrad,antall"
    assert seeded.ok("report", "--format", "csv", "--lang", "en").splitlines()[1] == "urgency,count"
    assert seeded.ok("report", "--format", "json", "--lang", "nb") == seeded.ok("report", "--format", "json")


def test_a_friday_contact_seen_at_the_weekend_is_not_today(triage: Triage) -> None:
    triage.now = at("27.11", "10:00")  # Friday
    triage.ok("add", "x", "--pupil", "AB", "--at", "09:00")
    triage.ok("log", "30", "--activity", "conversation", "--request", "1", "--at", "09:30")
    assert "last contact: Fri 27.11 09:30 (today)" in triage.ok("show", "1")
    triage.now = at("29.11", "10:00")  # Sunday
    assert "last contact: Fri 27.11 09:30 (no school day since)" in triage.ok("show", "1")
    triage.now = at("30.11", "10:00")  # Monday
    assert "last contact: Fri 27.11 09:30 (1 school day ago)" in triage.ok("show", "1")
