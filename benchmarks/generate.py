"""Write a realistic triage store: N school years of requests, histories and time, ending now.

    python benchmarks/generate.py --years 5 --seed 1 --data-dir /tmp/five-years [--language nb]

About 3,000 requests and 5,000 time entries a school year. Most requests get a first contact
by their due date and are closed soon after; some are followed up at planned next steps (kept
on the day, kept late, or postponed), a few run for weeks, a few are closed without contact or
reopened. Along the way come every kind of history the weekly review looks for: downgrades,
upgrades, postponements, slips, late follow-ups, quiet cases, unlinked meetings and
documentation. So on the last day the queue looks like a real one: in Now a handful of rows
(requests due that day or missed, next steps due), in Tomorrow and Later the requests of the
last few days and the next steps planned, and a few dozen ongoing cases with none.

The same seed gives the same data in either language; only the words differ.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dateutil.easter import easter  # noqa: E402

from triage_tui.core import operations as ops  # noqa: E402
from triage_tui.core.calendar import Break, SchoolCalendar  # noqa: E402
from triage_tui.core.model import Request, TimeEntry  # noqa: E402
from triage_tui.core.settings import Settings  # noqa: E402
from triage_tui.store import Store  # noqa: E402
from triage_tui.store.config import CONFIG_NAME  # noqa: E402
from triage_tui.store.files import atomic_write  # noqa: E402

LANGUAGES = ("en", "nb")
Words = tuple[str, str]  # the same text in English and in Norwegian bokmål

SOURCES = {"pupil": 35, "teacher": 25, "parent": 15, "principal": 5, "nurse": 7, "staff": 8, "external": 5}
URGENCY = {"now": 20, "tomorrow": 30, "later": 50}
OUTCOMES = {"resolved": 70, "referred": 15, "withdrawn": 8, "no-action": 7}
# After the first contact: settled there and then, followed up at a next step or two, or a
# case that runs for weeks.
CASES = {"single": 69, "short": 27, "long": 4}

# What each source brings. Summaries are jotted down as she would, without names.
NEEDS: dict[str, list[Words]] = {
    "pupil": [
        ("Wants someone to talk to", "Vil snakke med noen"),
        ("Sad after the weekend", "Lei seg etter helga"),
        ("Left out of the class chat", "Blir holdt utenfor i klassechatten"),
        ("Worried about a friend", "Bekymret for en venn"),
        ("Conflict in the break", "Konflikt i friminuttet"),
        ("Dreads the tests", "Gruer seg til prøvene"),
        ("Sleeps badly", "Sover dårlig"),
        ("Fell out with best friend", "Har blitt uvenner med bestevennen"),
        ("Teased on the bus", "Blir ertet på bussen"),
        ("Has nobody to be with in the breaks", "Har ingen å være med i friminuttene"),
        ("Rumours on Snapchat", "Rykter på Snapchat"),
        ("Stressed about school work", "Stresset over skolearbeidet"),
        ("Dreads PE", "Gruer seg til gymtimene"),
        ("Things are hard at home", "Vanskelig hjemme"),
    ],
    "teacher": [
        ("Quiet and withdrawn in class", "Stille og innesluttet i timene"),
        ("Angry outbursts in class", "Sinneutbrudd i timene"),
        ("A lot of absence lately", "Mye fravær i det siste"),
        ("Seems low lately", "Virker nedfor i det siste"),
        ("Falls asleep in class", "Sovner i timene"),
        ("Does not come back in after the break", "Kommer ikke inn i timen etter friminuttet"),
        ("Left out in group work", "Faller utenfor i gruppearbeid"),
        ("Told the teacher things are hard at home", "Har fortalt læreren at det er vanskelig hjemme"),
        ("Fight in the changing room", "Slåsskamp i garderoben"),
        ("Never does homework, seems worn out", "Gjør aldri lekser, virker sliten"),
    ],
    "parent": [
        ("Mother asks for a meeting", "Mor ønsker et møte"),
        ("Father worried about sleep and screen time", "Far bekymret for søvn og skjermtid"),
        ("Does not want to go to school", "Vil ikke gå på skolen"),
        ("Parents worried about bullying", "Foreldrene er bekymret for mobbing"),
        ("Comes home sad every day", "Kommer lei seg hjem hver dag"),
        ("Parents are separating, ask for follow-up", "Foreldrene skal skilles, ønsker oppfølging"),
        ("Stomach aches in the mornings", "Vondt i magen om morgenen"),
        ("Never invited to birthdays", "Blir aldri bedt i bursdager"),
        ("Gaming late at night, tired at school", "Gamer til langt på natt, sliten på skolen"),
        ("Mother asks how the breaks are going", "Mor lurer på hvordan det går i friminuttene"),
    ],
    "principal": [
        ("Follow-up after a fight", "Oppfølging etter slåsskamp"),
        ("Activity plan to follow up", "Aktivitetsplan må følges opp"),
        ("Sent out of class, needs a talk", "Sendt ut av timen, trenger en samtale"),
        ("Parents have complained, find out more", "Klage fra foreldre, må undersøkes"),
        ("Plan for coming back after a long absence", "Plan for å komme tilbake etter langt fravær"),
        ("Prepare the meeting with child welfare", "Forberede møte med barnevernet"),
    ],
    "nurse": [
        ("Worried about eating", "Bekymret for spisingen"),
        ("Many headaches, may be stress", "Mye hodepine, kan være stress"),
        ("Sleeps badly, wants someone to talk to", "Sover dårlig, vil gjerne snakke med noen"),
        ("Low after the health talk", "Nedfor etter helsesamtalen"),
        ("Often at the nurse's during lessons", "Ofte hos helsesykepleier i timene"),
    ],
    "staff": [
        ("Walks alone in the breaks", "Går alene i friminuttene"),
        ("Conflict on the football pitch", "Konflikt på fotballbanen"),
        ("Rough play in the schoolyard", "Mye røff lek i skolegården"),
        ("Upset at the after-school club", "Lei seg på SFO"),
        ("Hit a classmate in the long break", "Slo en medelev i storefri"),
        ("Conflict on the school bus", "Konflikt på skolebussen"),
    ],
    "external": [
        ("Child welfare asks for a statement", "Barnevernet ber om en uttalelse"),
        ("PPT wants to observe in class", "PPT ønsker å observere i klassen"),
        ("BUP asks for a cooperation meeting", "BUP ber om samarbeidsmøte"),
        ("BUP wants follow-up at school", "BUP ønsker oppfølging på skolen"),
        ("Child welfare wants close follow-up at school", "Barnevernet ønsker tett oppfølging på skolen"),
        ("Police liaison: incident at the weekend", "Politikontakten: hendelse i helga"),
    ],
}
# Needs that cannot wait: when a request is classified `now`, often one of these.
ACUTE: dict[str, list[Words]] = {
    "pupil": [
        ("Scared to go home", "Tør ikke gå hjem"),
        ("Was hit on the way to school", "Ble slått på skoleveien"),
        ("Crying in the toilets, will not go back to class", "Gråter på do, vil ikke inn i klassen"),
    ],
    "teacher": [
        ("Ran off from school today", "Stakk av fra skolen i dag"),
        ("Threatened a classmate", "Truet en medelev"),
    ],
    "parent": [
        (
            "Worried after a message the child sent last night",
            "Bekymret etter en melding barnet sendte i går kveld",
        ),
    ],
    "principal": [
        ("Report of bullying: the duty to act applies", "Varsel om mobbing, aktivitetsplikten gjelder"),
    ],
    "nurse": [("Signs of self-harm, follow up today", "Tegn på selvskading, følg opp i dag")],
    "staff": [("Hurt in a fight in the schoolyard", "Skadet i slåsskamp i skolegården")],
    "external": [("Child welfare: emergency placement last night", "Barnevernet: akuttplassert i natt")],
}
# Needs of a whole class, recorded under the class's code.
GROUP: dict[str, list[Words]] = {
    "teacher": [
        ("Unrest in the class after the breaks", "Mye uro i klassen etter friminuttene"),
        ("The class needs a session on friendship", "Klassen trenger en økt om vennskap"),
    ],
    "principal": [("Conflict between two groups in the class", "Konflikt mellom to grupper i klassen")],
    "staff": [("Group for new pupils", "Gruppe for nye elever")],
}
# Why a request waits longer (a downgrade or a postponement before contact).
WAIT_REASONS: list[Words] = [
    ("waiting for the parents", "venter på foreldrene"),
    ("a crisis took the whole day", "en krise tok hele dagen"),
    ("the contact teacher follows up first", "kontaktlærer følger opp først"),
    ("taking it to the team meeting first", "tar det i teammøtet først"),
    ("pupil absent", "eleven er borte"),
    ("after the PPT meeting", "etter møtet med PPT"),
    ("not urgent after all", "hastet ikke likevel"),
    ("needs more time", "trenger mer tid"),
]
WORSE_REASONS: list[Words] = [
    ("has got worse", "har blitt verre"),
    ("new message from home", "ny beskjed hjemmefra"),
    ("the teacher is worried", "læreren er bekymret"),
]
# Why a next step is set, moved or cleared (often no why at all).
STEP_REASONS: list[Words] = [
    ("hear how it went", "høre hvordan det gikk"),
    ("after the weekend", "etter helga"),
    ("check with the contact teacher too", "sjekke med kontaktlærer også"),
    ("follow up the plan", "følge opp planen"),
    ("a short check-in", "en kort prat"),
]
STEP_MOVED: list[Words] = [
    ("pupil absent", "eleven var borte"),
    ("class on a trip", "klassen på tur"),
    ("wanted to wait a bit", "ville vente litt"),
    ("talking with the parents first", "snakker med foreldrene først"),
    ("a crisis took the whole day", "en krise tok hele dagen"),
]
STEP_CLEARED: list[Words] = [
    ("keeping an eye on it", "følger med"),
    ("the contact teacher takes it from here", "kontaktlærer tar det videre"),
    ("calmer now", "roligere nå"),
]
NOTES: dict[str, list[Words]] = {
    "conversation": [
        ("Walk and talk", "Gåtur og prat"),
        ("Talked in the break", "Pratet i friminuttet"),
        ("Short check-in", "Kort prat"),
        ("Together with the contact teacher", "Sammen med kontaktlærer"),
    ],
    "parent-guidance": [
        ("Phone call with mother", "Telefon med mor"),
        ("Phone call with father", "Telefon med far"),
        ("Meeting with both parents", "Møte med begge foreldrene"),
    ],
    "staff-guidance": [
        ("With the contact teacher", "Med kontaktlærer"),
        ("With the teachers of the grade", "Med lærerne på trinnet"),
    ],
    "observation": [("In class", "I timen"), ("In the schoolyard", "I skolegården")],
    "meeting": [
        ("Team meeting", "Teammøte"),
        ("Resource team", "Ressursteam"),
        ("Staff meeting", "Personalmøte"),
        ("Cooperation meeting with PPT", "Samarbeidsmøte med PPT"),
        ("Meeting with the school nurse", "Møte med helsesykepleier"),
    ],
    "documentation": [
        ("Notes after the talk", "Notat etter samtalen"),
        ("Updated the activity plan", "Oppdaterte aktivitetsplanen"),
        ("Journal notes", "Journalføring"),
    ],
    "admin": [("Emails", "E-post"), ("Planned the week", "Planla uka")],
}
BREAK_NAMES = {
    "winter": ("winter", "vinterferie"),
    "easter": ("easter", "påskeferie"),
    "summer": ("summer", "sommerferie"),
    "autumn": ("autumn", "høstferie"),
    "christmas": ("christmas", "juleferie"),
}
# How she first reaches a request from each source, when not by talking with the pupil.
FIRST_CONTACT = {
    "parent": ("parent-guidance", 40),
    "teacher": ("staff-guidance", 20),
    "external": ("meeting", 40),
}
FOLLOW_UP = {"conversation": 60, "parent-guidance": 17, "staff-guidance": 15, "observation": 8}
# Minutes are set so that a day adds up to about a working day (some 7.5 hours).
UNLINKED = [("meeting", 20, 50), ("documentation", 10, 30), ("admin", 5, 20), ("staff-guidance", 15, 30)]


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Beyond(Exception):
    """The rest of a request's story lies after the end of the data."""


class Generator:
    def __init__(
        self, seed: int, end: datetime, calendar: SchoolCalendar, later_days: int = 5, language: str = "en"
    ) -> None:
        self.rng = random.Random(seed)
        self.end = end
        self.calendar = calendar
        self.later_days = later_days
        self.language = LANGUAGES.index(language)
        self.pupils = [
            f"{self.rng.randint(1, 10)}{self.rng.choice('ABC')}-"
            f"{self.rng.choice('ABDEFGHIJKLMNOSTV')}{self.rng.choice('ABDEFGHIJKLMNOSTV')}"
            for _ in range(350)
        ]
        self.requests: list[Request] = []
        self.entries: list[TimeEntry] = []

    def words(self, choices: list[Words]) -> str:
        return self.rng.choice(choices)[self.language]

    def maybe(self, share: float, choices: list[Words]) -> str | None:
        """Words from `choices` now and then (a reason, a note), else None. Draws the same
        numbers whichever the outcome, so a seed gives the same story in each language."""
        chosen = self.words(choices)
        return chosen if self.rng.random() < share else None

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

    def time_entry(self, start: datetime, minutes: int, activity: str, request: int | None) -> bool:
        """Log it, if it was over by the end; with a note now and then."""
        note = self.maybe(0.2 if request else 0.7, NOTES[activity])
        if start + timedelta(minutes=minutes) > self.end:
            return False
        self.entries.append(TimeEntry(0, start, minutes, activity, request, note))
        return True

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
        for _ in range(rng.randint(2, 5)):
            activity, lo, hi = rng.choice(UNLINKED)
            self.time_entry(self.moment(day), rng.randint(lo, hi), activity, None)

    def request(self, request_id: int, at: datetime) -> None:
        rng = self.rng
        source, urgency = pick(rng, SOURCES), pick(rng, URGENCY)
        pupil = rng.choice(self.pupils[: rng.choice((30, 350))])  # some pupils come often
        if urgency == "now" and rng.random() < 0.4:
            summary = self.words(ACUTE[source])
        elif source in GROUP and rng.random() < 0.06:
            summary, pupil = self.words(GROUP[source]), pupil.split("-")[0]
        else:
            summary = self.words(NEEDS[source])
        r = ops.new_request(request_id, pupil, summary, source, urgency, at, self.calendar, self.later_days)
        case = Case(self, r)
        with contextlib.suppress(Beyond):
            case.tell()
        self.requests.append(case.request)


class Case:
    """One request's story, told in time order until it is over or the data ends."""

    def __init__(self, generator: Generator, request: Request) -> None:
        self.g, self.rng, self.cal = generator, generator.rng, generator.calendar
        self.request = request
        self.last = request.created  # the latest moment of its story so far
        self.contacts: list[datetime] = []  # the starts of its time, in order

    # -- steps, each after the one before ---------------------------------------------------
    def at(self, day: date) -> datetime:
        when = self.g.moment(day, self.last)
        if when > self.g.end:
            raise Beyond
        return when

    def act(self, day: date, change: Callable[[Request, datetime], Request]) -> None:
        when = self.at(day)
        self.request, self.last = change(self.request, when), when

    def contact(self, day: date, activity: str, lo: int = 5, hi: int = 20) -> date:
        """Time with (or about) the pupil, linked to the request; the day it happened."""
        start, minutes = self.at(day), self.rng.randint(lo, hi)
        if not self.g.time_entry(start, minutes, activity, self.request.id):
            raise Beyond
        self.contacts.append(start)
        self.last = start + timedelta(minutes=minutes)
        return start.date()

    def plan(self, step: date | None, reasons: list[Words]) -> None:
        """Set (or clear) the next step, as she does when logging the contact just made."""
        why = self.g.maybe(0.3, reasons)
        if self.last > self.g.end:
            raise Beyond
        self.request = ops.next_step(self.request, step, self.last, self.cal, self.contacts, why)

    def close(self, day: date, outcome: str | None = None) -> None:
        """Close it on `day`. A next step still planned at the last contact (one kept early)
        would stand until then, so when the close comes on a later day she clears it at the
        contact, as `triage next ID none` does."""
        outcome = outcome or pick(self.rng, OUTCOMES)
        when = self.g.moment(day, self.last)
        if when.date() > self.last.date() and self.request.next_step(self.contacts) is not None:
            self.plan(None, STEP_CLEARED)
        if when > self.g.end:
            raise Beyond
        self.request, self.last = ops.close(self.request, outcome, when), when

    # -- the story --------------------------------------------------------------------------
    def tell(self) -> None:
        rng = self.rng
        self.triage()
        if rng.random() < 0.05:  # withdrawn, or someone else took it: closed without contact
            self.close(self.g.later_day(self.request.due, -1, 1), rng.choice(("withdrawn", "no-action")))
            return
        self.first()
        story = {"single": self.single, "short": self.short, "long": self.long}[pick(rng, CASES)]
        story()
        if rng.random() < 0.015:  # it started again
            reopen_day = self.g.later_day(self.last.date(), 3, 15)
            self.act(reopen_day, lambda r, at: ops.reopen(r, at, self.cal, self.g.later_days))
            kept = self.contact(self.g.later_day(self.last.date(), 0, 2), "conversation", 10, 25)
            self.close(self.g.later_day(kept, 0, 5))

    def triage(self) -> None:
        """Before contact: now and then a downgrade, an upgrade, or a postponement."""
        rng, g, cal = self.rng, self.g, self.cal
        urgency, created = self.request.urgency, self.request.created.date()
        reason = g.words(WAIT_REASONS)
        if urgency != "later" and rng.random() < 0.12:
            to = "later" if urgency == "tomorrow" or rng.random() < 0.5 else "tomorrow"
            self.act(created, lambda r, at: ops.classify(r, to, at, cal, g.later_days, reason))
        elif urgency == "later" and rng.random() < 0.03:
            worse = g.words(WORSE_REASONS)
            self.act(
                g.later_day(created, 0, 2), lambda r, at: ops.classify(r, "now", at, cal, g.later_days, worse)
            )
        if rng.random() < 0.08:
            at = self.at(g.later_day(self.last.date(), 0, 1))
            due = cal.add_school_days(max(self.request.due, at.date()), rng.randint(2, 5))
            self.request, self.last = ops.postpone(self.request, due, at, cal, reason), at

    def first(self) -> None:
        """First contact: mostly by the due date, early more often than late; sometimes a
        few school days after it (a slip), but never for `now`: she drops what she is doing."""
        rng, due, start = self.rng, self.request.due, self.last.date()
        if rng.random() < 0.93 or self.request.urgency == "now":
            span = max(self.cal.school_days_between(start, due), 0)
            day = self.cal.add_school_days(start, min(rng.randint(0, span) for _ in range(3)))
        else:
            day = self.cal.add_school_days(due, rng.choice((1, 1, 1, 2, 2, 3)))
        activity, share = FIRST_CONTACT.get(self.request.source, ("conversation", 0))
        self.contact(day, activity if rng.random() * 100 < share else "conversation", 10, 25)

    def single(self) -> None:
        """Settled at the first contact: closed then, or within a couple of days, at times
        after writing it up."""
        rng, day = self.rng, self.last.date()
        if rng.random() < 0.4:
            day = self.g.later_day(day, 1, 2)
        if rng.random() < 0.05:
            self.contact(day, "documentation", 5, 15)
        self.close(day)

    def short(self) -> None:
        """Followed up at a next step or two, a few school days apart, then closed or left
        open without a next step for a while."""
        rng = self.rng
        for round_ in range(4):
            step = self.g.later_day(self.last.date(), 1, 5)
            self.plan(step, STEP_REASONS)
            kept = self.keep(step)
            if rng.random() > (0.25 if round_ == 0 else 0.1):
                break
        if rng.random() < 0.25:  # nothing planned, but not closed: she keeps an eye on it
            if self.request.next_step(self.contacts) is not None:  # kept early: still planned
                self.plan(None, STEP_CLEARED)
            if rng.random() < 0.4:
                kept = self.contact(self.g.later_day(kept, 2, 8), pick(rng, FOLLOW_UP))
            self.close(self.g.later_day(kept, 2, 10))
        else:
            self.close(kept)

    def long(self) -> None:
        """A case that runs for weeks: contacts every few school days, some at planned next
        steps and some not, now and then a quiet spell; closed in the end."""
        rng = self.rng
        until = self.g.later_day(self.last.date(), 15, 45)
        kept = self.last.date()
        while kept < until:
            quiet = rng.random() < 0.12
            gap = rng.randint(10, 20) if quiet else rng.randint(4, 12)
            if not quiet and rng.random() < 0.5:
                step = self.cal.add_school_days(kept, gap)
                self.plan(step, STEP_REASONS)
                kept = self.keep(step)
            else:
                if self.request.next_step(self.contacts) is not None:
                    self.plan(None, STEP_CLEARED)
                kept = self.contact(self.cal.add_school_days(kept, gap), pick(rng, FOLLOW_UP))
        self.close(self.g.later_day(kept, 0, 3), "referred" if rng.random() < 0.3 else None)

    def keep(self, step: date) -> date:
        """The contact at a next step: mostly on its day, sometimes late, sometimes after
        moving it later. Returns the day of the contact."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.12:  # moved on or before its day
            moved = self.g.later_day(step, 1, 4)
            why = self.g.words(STEP_MOVED)
            day = self.g.later_day(self.last.date(), 0, 1) if self.last.date() < step else step
            self.act(day, lambda r, at: ops.postpone(r, moved, at, self.cal, why, self.contacts))
            step = moved
        late = 0.12 <= roll < 0.2
        day = self.cal.add_school_days(step, rng.choice((1, 1, 2))) if late else step
        return self.contact(day, pick(rng, FOLLOW_UP))


def typical_breaks(first: date, last: date, language: str = "en") -> list[Break]:
    """Norwegian school breaks of about the usual weeks, for the years from `first` to `last`."""
    name = {key: words[LANGUAGES.index(language)] for key, words in BREAK_NAMES.items()}
    breaks = []
    for year in range(first.year - 1, last.year + 1):
        autumn = date.fromisocalendar(year, 40, 1)
        winter = date.fromisocalendar(year, 8, 1)
        breaks += [
            Break(winter, winter + timedelta(days=4), name["winter"]),
            Break(easter(year) - timedelta(days=6), easter(year) - timedelta(days=4), name["easter"]),
            Break(date(year, 6, 20), date(year, 8, 16), name["summer"]),
            Break(autumn, autumn + timedelta(days=4), name["autumn"]),
            Break(date(year, 12, 21), date(year + 1, 1, 1), name["christmas"]),
        ]
    return [b for b in breaks if b.end >= first and b.start <= last]


def write_config(data_dir: Path, breaks: list[Break], language: str) -> None:
    lines = ["# Typical school breaks, written by benchmarks/generate.py"]
    if language != "en":
        lines.insert(0, f'language = "{language}"')
    for b in breaks:
        lines += ["", "[[breaks]]", f'name = "{b.name}"', f"from = {b.start}", f"to = {b.end}"]
    atomic_write(data_dir / CONFIG_NAME, "\n".join(lines).encode() + b"\n")


def generate(
    data_dir: Path, years: int, seed: int, end: datetime | None = None, language: str = "en"
) -> tuple[int, int]:
    """Fill the empty store at `data_dir`, with a config of typical school breaks (and the
    language, when it is Norwegian). Returns (requests, time entries)."""
    end = (end or datetime.now()).replace(microsecond=0)
    breaks = typical_breaks(end.date() - timedelta(days=round(365.25 * years)), end.date(), language)
    settings = Settings(breaks=tuple(breaks))
    generator = Generator(seed, end, settings.calendar(), settings.later_days, language)
    requests, entries = generator.run(years)
    store = Store(data_dir)
    store.load_all(requests, entries, end.date())
    write_config(store.dir, breaks, language)
    return len(requests), len(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--language", choices=LANGUAGES, default="en")
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    requests, entries = generate(args.data_dir, args.years, args.seed, language=args.language)
    print(f"{requests} requests and {entries} time entries written to {args.data_dir}")


if __name__ == "__main__":
    main()
