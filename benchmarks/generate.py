"""Write a realistic triage store: N school years of requests, histories and time, ending now.

    python benchmarks/generate.py --years 5 --seed 1 --data-dir /tmp/five-years

About 3,000 requests and 5,000 time entries a school year, with every kind of history the
weekly review looks for: downgrades, upgrades, postponements, slips, closes with and
without contact, long-open requests, unlinked meetings and documentation.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dateutil.easter import easter  # noqa: E402

from triage_tui.core import operations as ops  # noqa: E402
from triage_tui.core.calendar import Break, SchoolCalendar  # noqa: E402
from triage_tui.core.errors import TriageError  # noqa: E402
from triage_tui.core.model import Request, TimeEntry  # noqa: E402
from triage_tui.core.settings import Settings  # noqa: E402
from triage_tui.store import Store  # noqa: E402
from triage_tui.store.config import CONFIG_NAME  # noqa: E402
from triage_tui.store.files import atomic_write  # noqa: E402

SOURCES = {"pupil": 35, "teacher": 25, "parent": 15, "principal": 5, "nurse": 7, "staff": 8, "external": 5}
URGENCY = {"now": 20, "tomorrow": 30, "later": 50}
OUTCOMES = {"resolved": 70, "referred": 15, "withdrawn": 8, "no-action": 7}
SUMMARIES = [
    "Conflict in the break", "Not coming to school", "Worried about friendships", "Sad after the weekend",
    "Parent asks for a meeting", "Teacher worried about mood", "Fight in the changing room",
    "Left out of group chat", "Anxious before tests", "Trouble sleeping", "Follow-up after absence",
    "Rumours on social media", "Angry outbursts in class", "Wants someone to talk to",
    "Concern from the nurse", "Plan for transition to new class", "Bus conflict", "Home situation",
    "Check-in after referral", "Group for new pupils", "Quiet and withdrawn", "Bullying report",
]  # fmt: skip
REASONS = [
    "waiting for the parents", "crisis took the day", "teacher follows up first", "team meeting",
    "pupil absent", "after the PPT meeting", "not urgent after all", "more time needed",
]  # fmt: skip
# Minutes are set so that a day adds up to about a working day (some 7.5 hours).
UNLINKED = [("meeting", 20, 50), ("documentation", 10, 30), ("admin", 5, 20), ("staff-guidance", 15, 30)]


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Generator:
    def __init__(self, seed: int, end: datetime, calendar: SchoolCalendar, later_days: int = 5) -> None:
        self.rng = random.Random(seed)
        self.end = end
        self.calendar = calendar
        self.later_days = later_days
        self.pupils = [
            f"{self.rng.randint(1, 10)}{self.rng.choice('ABC')}-"
            f"{self.rng.choice('ABDEFGHIJKLMNOSTV')}{self.rng.choice('ABDEFGHIJKLMNOSTV')}"
            for _ in range(350)
        ]
        self.requests: list[Request] = []
        self.entries: list[TimeEntry] = []

    def moment(self, day: date, after: datetime | None = None) -> datetime:
        """A random moment in a school day, on `day` or later, and after `after`."""
        earliest = 8 * 60
        if after is not None and after.date() >= day:
            day, earliest = after.date(), after.hour * 60 + after.minute + 1
            if earliest > 16 * 60:
                day, earliest = self.calendar.next_school_day(day), 8 * 60
        minute = self.rng.randint(earliest, 16 * 60)
        return datetime.combine(day, time(minute // 60, minute % 60))

    def later_day(self, day: date, lo: int, hi: int) -> date:
        return self.calendar.add_school_days(day, self.rng.randint(lo, hi))

    def time_entry(self, start: datetime, minutes: int, activity: str, request: int | None) -> None:
        if start + timedelta(minutes=minutes) <= self.end:
            self.entries.append(TimeEntry(0, start, minutes, activity, request, None))

    def run(self, years: int) -> tuple[list[Request], list[TimeEntry]]:
        day = self.calendar.on_or_after(self.end.date() - timedelta(days=round(365.25 * years)))
        while day <= self.end.date():
            self.day(day)
            day = self.calendar.next_school_day(day)
        self.entries.sort(key=lambda t: t.start)
        self.entries = [
            TimeEntry(i, t.start, t.minutes, t.activity, t.request_id, t.note)
            for i, t in enumerate(self.entries, 1)
        ]
        return self.requests, self.entries

    def day(self, day: date) -> None:
        rng = self.rng
        created = sorted(self.moment(day) for _ in range(rng.randint(9, 22)))
        for at in created:
            if at <= self.end:
                self.request(len(self.requests) + 1, at)
        for _ in range(rng.randint(3, 6)):
            activity, lo, hi = rng.choice(UNLINKED)
            self.time_entry(self.moment(day), rng.randint(lo, hi), activity, None)

    def request(self, request_id: int, at: datetime) -> None:
        rng, cal, later = self.rng, self.calendar, self.later_days
        pupil = rng.choice(self.pupils[: rng.choice((30, 350))])  # some pupils come often
        r = ops.new_request(request_id, pupil, rng.choice(SUMMARIES), pick(rng, SOURCES), pick(rng, URGENCY),
                            at, cal, later)  # fmt: skip
        story: list[tuple[datetime, object]] = []
        last = at

        def step(when: datetime, change: object) -> datetime:
            story.append((when, change))
            return when

        if r.urgency != "later" and rng.random() < 0.12:  # a downgrade before contact
            to = "later" if r.urgency == "tomorrow" or rng.random() < 0.5 else "tomorrow"
            last = step(self.moment(cal.on_or_after(at.date()), last), ("classify", to))
        elif r.urgency == "later" and rng.random() < 0.03:  # things got worse
            last = step(self.moment(self.later_day(at.date(), 0, 2), last), ("classify", "now"))
        if rng.random() < 0.10:
            last = step(self.moment(self.later_day(last.date(), 0, 2), last), ("postpone", rng.randint(2, 5)))
        self.play(r, story, last)

    def play(self, r: Request, story: list[tuple[datetime, object]], last: datetime) -> None:
        rng, cal = self.rng, self.calendar
        for when, (kind, value) in story:  # type: ignore[misc]
            if when > self.end:
                break
            try:
                if kind == "classify":
                    r = ops.classify(r, value, when, cal, self.later_days, rng.choice(REASONS))
                else:
                    base = max(r.due, when.date())
                    r = ops.postpone(r, cal.add_school_days(base, value), when, cal, rng.choice(REASONS))
            except TriageError:
                continue
            last = when
        # First contact: mostly by the due date, sometimes after it (a slip), rarely never.
        roll = rng.random()
        if roll < 0.05:
            close_day = self.later_day(r.due, 1, 8)
            outcome = rng.choice(("withdrawn", "no-action"))
        else:
            if roll < 0.78:
                span = cal.school_days_between(last.date(), r.due)
                contact_day = self.later_day(last.date(), 0, max(span, 0))
            else:
                contact_day = self.later_day(r.due, 1, 6)
            contact = self.moment(contact_day, last)
            self.time_entry(contact, rng.randint(10, 25), "conversation", r.id)
            follow = contact
            for _ in range(rng.choice((0, 0, 0, 0, 1, 2))):
                follow = self.moment(self.later_day(follow.date(), 0, 4), follow)
                activity = rng.choice(("conversation", "parent-guidance", "staff-guidance", "documentation"))
                self.time_entry(follow, rng.randint(5, 20), activity, r.id)
            last = max(last, follow)
            close_day = self.later_day(follow.date(), *((20, 60) if rng.random() < 0.03 else (0, 8)))
            outcome = pick(rng, OUTCOMES)
            follow_up = self.moment(contact.date(), follow)
            if close_day > r.due and follow_up <= self.end and rng.random() < 0.5:
                # After first contact the due date is the next follow-up.
                r = ops.postpone(r, max(close_day, follow_up.date()), follow_up, cal, "follow-up")
                last = follow_up
        closing = self.moment(max(close_day, last.date()), last)
        if closing <= self.end:
            r = ops.close(r, outcome, closing)
        self.requests.append(r)


def typical_breaks(first: date, last: date) -> list[Break]:
    """Norwegian school breaks of about the usual weeks, for the years from `first` to `last`."""
    breaks = []
    for year in range(first.year - 1, last.year + 1):
        autumn = date.fromisocalendar(year, 40, 1)
        winter = date.fromisocalendar(year, 8, 1)
        breaks += [
            Break(winter, winter + timedelta(days=4), "winter"),
            Break(easter(year) - timedelta(days=6), easter(year) - timedelta(days=4), "easter"),
            Break(date(year, 6, 20), date(year, 8, 16), "summer"),
            Break(autumn, autumn + timedelta(days=4), "autumn"),
            Break(date(year, 12, 21), date(year + 1, 1, 1), "christmas"),
        ]
    return [b for b in breaks if b.end >= first and b.start <= last]


def write_breaks(data_dir: Path, breaks: list[Break]) -> None:
    lines = ["# Typical school breaks, written by benchmarks/generate.py"]
    for b in breaks:
        lines += ["", "[[breaks]]", f'name = "{b.name}"', f"from = {b.start}", f"to = {b.end}"]
    atomic_write(data_dir / CONFIG_NAME, "\n".join(lines).encode() + b"\n")


def generate(data_dir: Path, years: int, seed: int, end: datetime | None = None) -> tuple[int, int]:
    """Fill the empty store at `data_dir`, with a config of typical school breaks.
    Returns (requests, time entries)."""
    end = (end or datetime.now()).replace(microsecond=0)
    breaks = typical_breaks(end.date() - timedelta(days=round(365.25 * years)), end.date())
    settings = Settings(breaks=tuple(breaks))
    requests, entries = Generator(seed, end, settings.calendar(), settings.later_days).run(years)
    store = Store(data_dir)
    store.load_all(requests, entries, end.date())
    write_breaks(store.dir, breaks)
    return len(requests), len(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    requests, entries = generate(args.data_dir, args.years, args.seed)
    print(f"{requests} requests and {entries} time entries written to {args.data_dir}")


if __name__ == "__main__":
    main()
