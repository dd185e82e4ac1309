"""The therapist's caseload: every action the CLI and the TUI offer, on one store.

Each action runs a pure core operation inside one store transaction, and returns only
once the result is durable on disk.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core import operations as ops
from .core.calendar import school_year_start
from .core.errors import TriageError
from .core.model import Request, TimeEntry, Timer, aware
from .core.settings import Settings
from .store import Store
from .store.config import load_settings
from .store.datafile import signature
from .store.scrub import PURGED

if TYPE_CHECKING:
    from .core.forecast import Forecast, Handled, HistoryCache, TimeLeft
    from .core.queue import DayQueue
    from .core.review import Balance, PeriodReview, Week, WeeklyReview
    from .core.year import Period

MIN_TIMER = timedelta(minutes=1)  # a timer stopped sooner logs nothing
TEXT_FIELDS = ("pupil", "summary")  # an edit of these is a correction: the old text leaves no trace
Clock = Callable[[], datetime]


class Keep(Enum):
    """A field `edit_time` leaves as it is, where None means none (no request, no note)."""

    UNCHANGED = "unchanged"


UNCHANGED = Keep.UNCHANGED


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's automatic garbage collection paused while a review of months builds and
    drops tens of thousands of objects that form no cycles: left on, it walked them again
    and again and found nothing (a tenth of a school year's report, up to 50 ms at a
    time). A pause that another thread began is left for that thread to end."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Caseload:
    def __init__(self, store: Store, settings: Settings, clock: Clock = datetime.now) -> None:
        self.store = store
        self.settings = settings
        self.calendar = settings.calendar()
        self._clock = clock
        self._history: HistoryCache | None = None  # the forecast's medians, made when first asked
        self._history_made = threading.Lock()  # once, whichever thread asks first

    @classmethod
    def open(cls, data_dir: Path, clock: Clock = datetime.now, settings: Settings | None = None) -> Caseload:
        """The caseload of `data_dir`, with its settings (read here unless given)."""
        settings = settings or load_settings(data_dir)
        return cls(Store(data_dir, backups_kept=settings.backups_kept), settings, clock)

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    def _moment(self, at: datetime | None) -> datetime:
        now = self.now()
        if at is None:
            return now
        if at > now + timedelta(minutes=1):
            raise TriageError("an action cannot be recorded in the future", "future_action")
        return at.replace(microsecond=0)

    # -- requests ----------------------------------------------------------------------
    def add(
        self,
        pupil: str,
        summary: str,
        *,
        source: str = "pupil",
        urgency: str = "later",
        at: datetime | None = None,
    ) -> Request:
        at = self._moment(at)
        with self.store.transaction(self.now().date()) as tx:
            request = ops.new_request(
                tx.next_id("request"), pupil, summary, source, urgency, at,
                self.calendar, self.settings.later_days,
            )  # fmt: skip
            tx.put_request(request)
            tx.undo = {"action": "add", "id": request.id}
        return request

    def _change(
        self,
        request_id: int,
        at: datetime | None,
        change: Callable[[Request, datetime], Request],
        undo: dict[str, Any] | None = None,
    ) -> Request:
        at = self._moment(at)
        with self.store.transaction(self.now().date()) as tx:
            request = change(self._get(tx, request_id), at)
            tx.put_request(request)
            tx.undo = undo
        return request

    @staticmethod
    def _get(tx: Any, request_id: int) -> Request:
        request = tx.request(request_id)
        if request is None:
            raise TriageError(f"there is no request {request_id}", "no_request", id=request_id)
        return request

    def classify(
        self, request_id: int, urgency: str, *, why: str | None = None, at: datetime | None = None
    ) -> Request:
        return self._change(
            request_id, at,
            lambda r, at: ops.classify(r, urgency, at, self.calendar, self.settings.later_days, why),
            {"action": "classify", "id": request_id, "urgency": urgency},
        )  # fmt: skip

    def postpone(
        self, request_id: int, to: date, *, why: str | None = None, at: datetime | None = None
    ) -> Request:
        """Move its action date later: the due date while it waits, else its next step."""
        at = self._moment(at)
        with self.store.transaction(self.now().date()) as tx:
            request = self._get(tx, request_id)
            request = ops.postpone(request, to, at, self.calendar, why, self._contacts(tx, request_id))
            tx.put_request(request)
            tx.undo = {"action": "postpone", "id": request_id, "to": to.isoformat()}
        return request

    def next_step(
        self, request_id: int, step: date | None, *, why: str | None = None, at: datetime | None = None
    ) -> Request:
        """Set (None: clear) the date of an ongoing case's next planned action."""
        at = self._moment(at)
        with self.store.transaction(self.now().date()) as tx:
            self._next_step(tx, request_id, step, at, why)
            tx.undo = {"action": "next_step", "id": request_id, "to": step.isoformat() if step else None}
            return self._get(tx, request_id)

    def _next_step(self, tx: Any, request_id: int, step: date | None, at: datetime, why: str | None) -> None:
        request = self._get(tx, request_id)
        tx.put_request(ops.next_step(request, step, at, self.calendar, self._contacts(tx, request_id), why))

    @staticmethod
    def _contacts(tx: Any, request_id: int) -> list[datetime]:
        """The starts of the time logged on a request (read it first), in order."""
        return sorted(t.start for t in tx.time_of(request_id))

    def close(self, request_id: int, outcome: str = "resolved", *, at: datetime | None = None) -> Request:
        undo = {"action": "close", "id": request_id, "outcome": outcome}
        return self._change(request_id, at, lambda r, at: ops.close(r, outcome, at), undo)

    def reopen(self, request_id: int, *, at: datetime | None = None) -> Request:
        return self._change(
            request_id, at, lambda r, at: ops.reopen(r, at, self.calendar, self.settings.later_days),
            {"action": "reopen", "id": request_id},
        )  # fmt: skip

    def edit(
        self, request_id: int, *, at: datetime | None = None, reason: tuple[int, str] | None = None,
        **fields: str | None,
    ) -> Request:  # fmt: skip
        """Change a request's pupil code, source or summary. A new pupil code or summary is a
        correction: the old text goes from every file in the data folder, backups included,
        so it cannot be undone, and it ends what can be undone on the request (no undo record
        keeps the text). A new source alone can be undone. `reason`: (its number, as `show`
        numbers them; the new text, empty to remove it), a correction too."""
        at = self._moment(at)
        with self.store.transaction(self.now().date()) as tx:
            old = request = self._get(tx, request_id)
            if reason is None or any(value is not None for value in fields.values()):
                request = ops.edit(request, at, **fields)
            text = [name for name in TEXT_FIELDS if getattr(request, name) != getattr(old, name)]
            if text:  # the old text goes from every file, so this cannot be undone
                tx.correct("requests", request_id, {"fields": text}, [getattr(old, name) for name in text])
            if reason is not None:
                request, index = ops.edit_reason(request, at, *reason)
                tx.correct("requests", request_id, {"reasons": [index]}, [old.events[index].why])
            tx.put_request(request)
            if tx.corrections:
                tx.forget_undo_of("requests", request_id)
            else:
                tx.undo = {"action": "edit", "id": request_id}
        return request

    # -- time --------------------------------------------------------------------------
    def log(
        self,
        minutes: int,
        activity: str,
        *,
        request_id: int | None = None,
        note: str | None = None,
        start: datetime | None = None,
        next_step: date | None = None,
    ) -> TimeEntry:
        """Log time. Without `start`, the time is taken to have just been spent. With
        `next_step`, the request's next planned action is set too, in the same action."""
        self._check_span(None, minutes)
        offset = None
        if start is None:  # `minutes` of real time ago, a change of clock between included
            begun = (aware(self.now(), None) - timedelta(minutes=minutes)).astimezone()
            start, offset = begun.replace(tzinfo=None), begun.utcoffset()
        else:
            start = self._moment(start)
        self._check_span(start, minutes)
        with self.store.transaction(self.now().date()) as tx:
            entry = self._log(tx, start, minutes, activity, request_id, note, offset)
            self._then_next_step(tx, entry, next_step)
            tx.undo = {"action": "log", "entry": entry.id, "minutes": minutes, "id": request_id}
            return entry

    def _check_span(self, start: datetime | None, minutes: int) -> None:
        """A duration of 1 minute to 24 hours that (from `start`, if given) ends by now."""
        if not 1 <= minutes <= 24 * 60:
            raise TriageError("a duration is 1 minute to 24 hours", "duration_range")
        if start is not None and start + timedelta(minutes=minutes) > self.now() + timedelta(minutes=1):
            raise TriageError(
                f"{minutes} min from {start:%H:%M} would end after now; check the duration or --at",
                "ends_after_now", minutes=minutes, start=start,
            )  # fmt: skip

    @staticmethod
    def _recent_entry(tx: Any, entry_id: int) -> TimeEntry:
        entry = tx.time_entry(entry_id)
        if entry is None:
            raise TriageError(
                f"there is no recent time entry {entry_id}; `triage show ID` lists a request's time",
                "no_time_entry", id=entry_id,
            )  # fmt: skip
        return entry

    def _then_next_step(self, tx: Any, entry: TimeEntry | None, step: date | None) -> None:
        """The next step planned at a contact, recorded as of its end (or the request's
        latest event, if that came after: a history stays in time order)."""
        if step is None:
            return
        if entry is None:
            raise TriageError(
                "the timer ran for less than a minute, so there is no contact to plan a next step from",
                "next_step_no_time",
            )
        if entry.request_id is None:
            raise TriageError("a next step needs time logged on a request", "next_step_unlinked")
        latest = self._get(tx, entry.request_id).latest_event.at
        at = min(max(entry.end, latest), self.now())
        self._next_step(tx, entry.request_id, step, at, None)

    def _log(self, tx: Any, start: datetime, minutes: int, activity: str, request_id: int | None,
             note: str | None, offset: timedelta | None = None) -> TimeEntry:  # fmt: skip
        ops.check_activity(activity)
        if request_id is not None:
            ops.check_after_creation(self._get(tx, request_id), start)
        note = ops.check_text(note, "note") if note is not None and note.strip() else None
        entry = TimeEntry(0, start, minutes, activity, request_id, note, offset)
        ops.check_not_double(entry, tx.time_on(start.date()))
        entry = replace(entry, id=tx.next_id("time"))
        tx.put_time(entry)
        return entry

    def overlaps(self, entry: TimeEntry) -> tuple[list[TimeEntry], Timer | None]:
        """The other time that overlaps `entry`'s (logged, or the timer running now): saved all
        the same, with a warning that names it."""
        _, entries, timer = self.store.snapshot()
        others = ops.overlapping(entry, entries.values())
        running = timer is not None and timer.start < entry.end and entry.start < self.now()
        return others, timer if running else None

    def unlog(self, entry_id: int) -> TimeEntry:
        """Take back time logged by mistake (a wrong duration, a double entry). Only recent
        time can be taken back: what the archives hold has been through weekly reviews."""
        with self.store.transaction(self.now().date()) as tx:
            entry = self._recent_entry(tx, entry_id)
            tx.remove_time(entry_id)
            tx.undo = {"action": "unlog", "entry": entry_id, "minutes": entry.minutes, "id": entry.request_id}
        return entry

    # -- correcting time ---------------------------------------------------------------
    def edit_time(
        self,
        entry_id: int,
        *,
        start: datetime | None = None,
        minutes: int | None = None,
        activity: str | None = None,
        request_id: int | None | Keep = UNCHANGED,
        note: str | None | Keep = UNCHANGED,
    ) -> TimeEntry:
        """Correct recent time: its start, duration, activity, request (None: unlinked) or note
        (None or empty: none), checked as logging is. An overlap is saved all the same;
        `overlaps` names it."""
        with self.store.transaction(self.now().date()) as tx:
            old = self._recent_entry(tx, entry_id)
            new_start = old.start if start is None else self._moment(start)
            new_minutes = old.minutes if minutes is None else minutes
            self._check_span(new_start, new_minutes)
            new_activity = old.activity if activity is None else ops.check_activity(activity)
            linked = old.request_id if request_id is UNCHANGED else request_id
            assert not isinstance(linked, Keep)
            if linked is not None and (linked != old.request_id or new_start != old.start):
                ops.check_after_creation(self._get(tx, linked), new_start)
            if note is UNCHANGED:
                new_note = old.note
            else:
                assert not isinstance(note, Keep)
                new_note = ops.check_text(note, "note") if note is not None and note.strip() else None
            offset = old.offset if new_start == old.start else None  # a new start: in today's zone
            entry = TimeEntry(entry_id, new_start, new_minutes, new_activity, linked, new_note, offset)
            if entry == old:
                raise TriageError("nothing to change", "nothing_to_change")
            ops.check_not_double(entry, [e for e in tx.time_on(new_start.date()) if e.id != entry_id])
            tx.put_time(entry)
            if old.note and new_note != old.note:  # a correction: the old note leaves no trace
                tx.correct("time", entry_id, {"fields": ["note"]}, [old.note])
                tx.forget_undo_of("time", entry_id)
            else:
                tx.undo = {"action": "edit_time", "entry": entry_id, "minutes": new_minutes, "id": linked}
        return entry

    def day_time(self, day: date) -> tuple[list[TimeEntry], dict[int, Request]]:
        """The time that started on `day`, in order (the archives' too, for a day long past),
        and the requests it is on."""
        start = datetime.combine(day, datetime.min.time())
        requests, entries = self.store.around(start, start + timedelta(days=1))
        on_day = sorted((e for e in entries if e.start.date() == day), key=lambda e: (e.start, e.id))
        linked = {e.request_id for e in on_day}
        return on_day, {r.id: r for r in requests if r.id in linked}

    def start_timer(
        self, request_id: int | None = None, *, activity: str | None = None, at: datetime | None = None
    ) -> tuple[Timer, TimeEntry | None]:
        """Start the one timer; a timer already running is stopped and logged first."""
        at = self._moment(at)
        activity = activity or ("conversation" if request_id is not None else "other")
        ops.check_activity(activity)
        with self.store.transaction(self.now().date()) as tx:
            # `at` is when the new timer starts, not a stop time the user gave for the old one.
            stopped = self._stop(tx, at) if tx.timer is not None else None
            if request_id is not None:
                ops.check_after_creation(self._get(tx, request_id), at)
            timer = Timer(at, activity, request_id)
            tx.set_timer(timer)
            tx.undo = {"action": "start", "id": request_id, "stopped": stopped.id if stopped else None}
        return timer, stopped

    def stop_timer(self, *, at: datetime | None = None, next_step: date | None = None) -> TimeEntry | None:
        at = self._moment(at)
        with self.store.transaction(self.now().date()) as tx:
            entry = self._stop(tx, at)
            self._then_next_step(tx, entry, next_step)
            tx.undo = {"action": "stop", "entry": entry.id if entry else None,
                       "id": entry.request_id if entry else None}  # fmt: skip
            return entry

    def _stop(self, tx: Any, at: datetime) -> TimeEntry | None:
        """Stop the timer and log its time; under a minute is taken for a stray key and not
        logged, since a logged entry would count as first contact."""
        timer = tx.timer
        if timer is None:
            raise TriageError("no timer is running", "no_timer")
        if timer.day_of(at) != timer.start.date():
            # Most likely forgotten when the day ended: don't log the night as work. Even
            # when told when it stopped: a stop on a later day is a slip of the date.
            raise TriageError(
                f"the timer has run since {timer.start:%Y-%m-%d %H:%M}; say when it stopped that day, "
                f"for example: triage stop --at '{timer.start:%Y-%m-%d} 15:00'",
                "timer_overnight", since=timer.start,
            )  # fmt: skip
        run = timer.run_until(at)
        if run < timedelta(0):
            raise TriageError(
                f"the timer started at {timer.start:%Y-%m-%d %H:%M}, after that moment", "stop_before_start",
                start=timer.start,
            )  # fmt: skip
        tx.set_timer(None)
        if run < MIN_TIMER:
            return None
        return self._log(tx, timer.start, timer.minutes_at(at), timer.activity, timer.request_id, None,
                         timer.offset)  # fmt: skip

    # -- undo --------------------------------------------------------------------------
    def undoable(self) -> dict[str, Any] | None:
        """What `undo` would take back: the newest action (of any process), in brief."""
        return self.store.last_undoable()

    def undo(self, expected: dict[str, Any] | None = None) -> dict[str, Any]:
        """Take back the newest action, as if it had never been recorded. With `expected`
        (what the user was asked about), refused if another action has come since."""
        with self.store.transaction(self.now().date(), daily_backup=False) as tx:
            if expected is not None and tx.last_undoable() != expected:
                raise TriageError("another action was recorded meanwhile: nothing was undone; ask again",
                                  "undo_moved")  # fmt: skip
            return tx.undo_last()

    # -- reading -----------------------------------------------------------------------
    @property
    def timer(self) -> Timer | None:
        return self.store.snapshot()[2]

    def open_requests(self) -> list[Request]:
        """Open requests, lane by lane, each lane in its order."""
        return [row.request for row in self.day_queue().rows()]

    def day_queue(self, *, forecast: bool = False) -> DayQueue:
        """What the queue screen shows now, from one read of the hot data; with `forecast`,
        this week's forecast too."""
        from .core.queue import day_queue

        queue = day_queue(*self.store.snapshot(), self.now(), self.calendar)
        return replace(queue, forecast=self.forecast_for(queue)) if forecast else queue

    def forecast_for(self, queue: DayQueue) -> Forecast | None:
        """This week's forecast for `queue`, with the hot data as it is now: while it is
        unchanged since `queue` was read, it is not parsed again."""
        version = self.store.version()  # before the read: never newer than it
        requests, entries, _ = self.store.snapshot()

        def hot(start: datetime, end: datetime) -> tuple[Collection[int], dict[int, Handled]]:
            assert self._history is not None  # made by `_forecast`, which calls this
            return self._history.hot_part(requests, entries, start, end)

        return self._forecast(queue, version, hot)

    def time_left(self) -> TimeLeft:
        """The contract time left in this week, as the forecast counts it."""
        from .core.forecast import time_left

        settings = self.settings
        return time_left(self.now(), self.calendar, contract_hours=settings.contract_hours,
                         position_percent=settings.position_percent)  # fmt: skip

    def _forecast(
        self,
        queue: DayQueue,
        version: Any,
        hot: Callable[[datetime, datetime], tuple[Collection[int], dict[int, Handled]]],
    ) -> Forecast | None:
        """This week's forecast. Its medians are worked out again only when the data they
        come from changed (see HistoryCache): a refresh walks the queue and no more."""
        from .core.forecast import HistoryCache, forecast, handled_in_stored, history_window

        with self._history_made:
            if self._history is None:
                self._history = HistoryCache()
        start, _ = history_window(queue.today)
        # An archive holds what ended in its month, so one of an earlier month holds nothing
        # from the eight weeks.
        since = f"{start:%Y-%m}"
        files = [self.store.archive_file(m).path for m in self.store.archive_months() if m >= since]

        def archived(start: datetime, end: datetime) -> dict[int, Handled]:
            found: dict[int, Handled] = {}
            for requests, times in self.store.stored(since):  # oldest first: a newer copy wins
                found |= handled_in_stored(requests, times, start, end)
            return found

        archived_key = tuple((path.name, signature(path)) for path in files)
        found = self._history.basis(queue.today, archived_key, archived, version, hot)
        return forecast(queue, found, self.time_left(), self.calendar)

    def all_requests(self, pupil: str | None = None) -> tuple[list[Request], list[TimeEntry]]:
        """Every request (of one pupil, if given), open ones in queue order first, then
        closed ones newest first."""
        from .core.queue import day_queue

        requests, entries = self.store.everything() if pupil is None else self.store.of_pupil(pupil)
        queue = day_queue(requests, entries, None, self.now(), self.calendar)
        closed = sorted((r for r in requests.values() if not r.is_open), key=lambda r: -r.id)
        return [row.request for row in queue.rows()] + closed, list(entries.values())

    def find(self, request_id: int) -> tuple[Request, list[TimeEntry]]:
        found = self.store.find(request_id)
        if found is None:
            raise TriageError(f"there is no request {request_id}", "no_request", id=request_id)
        return found

    def describe(self, request: Request, entries: list[TimeEntry] | None = None) -> dict[str, Any]:
        if entries is None:
            entries = self.find(request.id)[1]
        return request.describe(entries, self.now(), self.calendar)

    def recent_entries(self) -> list[TimeEntry]:
        return list(self.store.snapshot()[1].values())

    def review(self, week: Week) -> WeeklyReview:
        """The weekly review of `week`, as of its end (or now, for the week under way)."""
        from .core.review import weekly_review  # not needed to start the app or capture

        version = self.store.version()  # before the reads, for the forecast's medians
        requests, entries = self.store.around(week.start, week.end)
        now, settings = self.now(), self.settings
        year_logged = self._year_logged(min(now, week.end))
        review = weekly_review(week, requests, entries, now, self.calendar, settings.contract_hours,
                               settings.position_percent, year_logged, settings.plan,
                               self.recording_began())  # fmt: skip
        if week.monday <= now.date() <= week.sunday:  # only the week under way has a forecast
            review = replace(review, forecast=self._review_forecast(version, requests, entries))
        return review

    def _review_forecast(
        self, version: Any, requests: list[Request], entries: list[TimeEntry]
    ) -> Forecast | None:
        """The forecast, from what the review of the week under way read (every open request
        with its time) and the hot data as stored: no second parse of it."""
        from .core.forecast import handled_in_stored
        from .core.queue import day_queue

        def hot(start: datetime, end: datetime) -> tuple[Collection[int], dict[int, Handled]]:
            ((stored, times),) = self.store.stored()
            return {int(key) for key in stored}, handled_in_stored(stored, times, start, end)

        open_now = {r.id: r for r in requests if r.is_open}
        queue = day_queue(open_now, {e.id: e for e in entries}, None, self.now(), self.calendar)
        return self._forecast(queue, version, hot)

    def period_review(self, period: Period) -> PeriodReview:
        """The review of a school year or a term, as of its end (or now, while under way)."""
        from .core.review import period_review

        with _collection_paused():
            requests, entries = self.store.around(period.start, period.end)
            now, settings = self.now(), self.settings
            # A spring term's school year began before it; else its own time is the year's so far.
            year_logged = self._year_logged(min(now, period.end)) if period.term == "spring" else None
            return period_review(period, requests, entries, now, self.calendar, settings.contract_hours,
                                 settings.position_percent, year_logged, settings.plan,
                                 self.recording_began())  # fmt: skip

    def _year_logged(self, until: datetime) -> int:
        """The minutes logged in the school year of the moment before `until`, up to it."""
        from .core.year import SchoolYear

        year = SchoolYear.of((until - timedelta(seconds=1)).date())
        return self.store.logged_minutes(datetime.combine(year.first, datetime.min.time()), until)

    def recording_began(self) -> date:
        """The first day anything recorded happened (today, for an empty store): no contract
        time counts before it, since time not recorded is not time missing."""
        return self.store.first_day() or self.now().date()

    def balances(self) -> tuple[Balance, Balance]:
        """This week and this school year so far: time logged against contract time, up to
        and including today."""
        from .core.review import Balance, Week
        from .core.year import SchoolYear, contract_minutes

        now, hours, percent = self.now(), self.settings.contract_hours, self.settings.position_percent
        today, since = now.date(), self.recording_began()
        balances = []
        for first in (Week.of(today).monday, SchoolYear.of(today).first):
            logged = self.store.logged_minutes(datetime.combine(first, datetime.min.time()), now)
            owed = contract_minutes(first, today, self.calendar, hours, percent, since)
            balances.append(Balance(first, today, logged, owed, logged - owed))
        return balances[0], balances[1]

    # -- retention -----------------------------------------------------------------------
    def purge_cutoff(self) -> date:
        """Requests closed before this day lose their text: the first day of the school years
        kept (this one counts)."""
        return school_year_start(self.now().date(), self.settings.keep_school_years - 1)

    def to_purge(self) -> tuple[list[int], list[int]]:
        """The requests closed before the cutoff that still hold text, and the time entries
        whose notes go with them: theirs, and unlinked time from before the cutoff."""
        cutoff = self.purge_cutoff()
        requests, entries = self.store.everything()
        old = {r.id: r for r in requests.values() if not r.is_open and r.closed_at.date() < cutoff}
        texts = [r.id for r in old.values()
                 if (r.pupil, r.summary) != (PURGED, PURGED) or any(e.why for e in r.events)]  # fmt: skip
        notes = [e.id for e in entries.values() if e.note and (
                 e.request_id in old or (e.request_id is None and e.start.date() < cutoff))]  # fmt: skip
        return sorted(texts), sorted(notes)

    def purge(self) -> tuple[int, int]:
        """Take the text out of what `to_purge` names, in every file, backups included: their
        numbers (classes, dates, minutes, outcomes) stay, so old reviews still add up."""
        with self.store.transaction(self.now().date()) as tx:
            requests, notes = self.to_purge()
            tx.purge("requests", requests)
            tx.purge("time", notes)
            tx.set_meta(purged_before=max(self.purge_cutoff().isoformat(), tx.meta.get("purged_before", "")))
        return len(requests), len(notes)

    def purge_reminder(self) -> date | None:
        """The cutoff, once a school year, when requests closed before it may still hold text
        (the archives of those months are there, and no purge has reached it): the app says
        so. Asking counts as reminded."""
        cutoff, meta = self.purge_cutoff(), self.store.meta()
        year = school_year_start(self.now().date()).isoformat()
        months = self.store.archive_months()
        if not months or months[0] >= f"{cutoff:%Y-%m}" or meta.get("purge_reminded") == year:
            return None
        if meta.get("purged_before", "") >= cutoff.isoformat():
            return None
        with self.store.transaction(self.now().date(), daily_backup=False) as tx:
            tx.set_meta(purge_reminded=year)
        return cutoff

    def last_closed(self) -> Request | None:
        """The request closed most recently (among the recent ones the hot data holds)."""
        closed = [r for r in self.store.snapshot()[0].values() if not r.is_open]
        return max(closed, key=lambda r: (r.closed_at, r.id), default=None)

    def slipped_since(self, since: date) -> list[tuple[Request, date]]:
        """Open requests whose due date slipped on a day from `since` up to yesterday."""
        now = self.now()
        requests, entries, _ = self.store.snapshot()
        by_request: dict[int, list[TimeEntry]] = {}
        for t in entries.values():
            if t.request_id is not None:
                by_request.setdefault(t.request_id, []).append(t)
        slipped = []
        for request in self.open_requests():
            contact = request.first_contact(by_request.get(request.id, []))
            slipped += [(request, d) for d in request.slips(contact, now) if since <= d < now.date()]
        return slipped
