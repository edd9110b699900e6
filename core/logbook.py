"""Logged runs, skips and the cached streak: the rules around them (duplicates, guardrail
windows, streak checkpoints), over `core.storage.logbook` (`uow.logbook`).

Used by `/done`, `/undo`, `/skip`, `/streak`, and by statistics and challenges. Everything runs
inside the caller's unit of work: add, flush and read only — the unit of work commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.clubs.chats import ACTIVE
from core.clubs.ranking import Metric
from core.clubs.totals import (
    RUN_METRICS,
    challenges_to_refresh,
    refresh_runner,
    runner_challenges,
)
from core.grammar.done import LOOKBACK_DAYS
from core.planning import week_bounds
from core.stats import LoggedRun
from core.storage.club_values import StoredChallenge
from core.storage.logbook import PlannedRow, StoredLog, StoredSkip
from core.storage.runners import Runner
from core.storage.unit_of_work import UnitOfWork
from core.streaks import LogRecord, PlannedDay, StreakReport, compute_streak

__all__ = [  # the stored shapes are `core.storage.logbook`'s; callers may take them from here
    "CachedStreak", "Checkpoint", "Logbook", "NewLog", "PlannedRow", "StoredLog", "StoredSkip",
    "StreakInputs", "add_log", "as_guardrail_runs", "delete_skip", "find_duplicate",
    "guardrail_window", "last_log", "load_logbook", "logs_between", "logs_on",
    "refresh_streak", "save_streak", "streak_inputs",
]

DUPLICATE_WINDOW = timedelta(minutes=2)
# A day this many days ago or more is settled: `/done` can no longer log a run for it.
SETTLED_AFTER_DAYS = LOOKBACK_DAYS + 1


@dataclass(frozen=True)
class NewLog:
    """What `/done` decided to store."""

    day: date
    minutes: float | None
    distance_m: float | None
    note: str
    as_planned: bool
    intensity: str  # "easy" or "hard"
    session_type: str | None  # the planned session's type, None for an unplanned run
    source: str  # the platform it came from


async def add_log(
    uow: UnitOfWork,
    runner_id: int,
    entry: NewLog,
    now: datetime,
    challenges: Sequence[StoredChallenge] | None = None,
) -> StoredLog:
    """Store one run and recount the runner's challenge totals (in `challenges`, the runner's
    active ones, when the caller has loaded them)."""
    values = {
        "runner_id": runner_id,
        "local_date": entry.day,
        "logged_at": now,
        "minutes": entry.minutes,
        "distance_m": entry.distance_m,
        "note": entry.note,
        "as_planned": entry.as_planned,
        "intensity": entry.intensity,
        "session_type": entry.session_type,
        "source": entry.source,
    }
    log_id = await uow.logbook.add_log(values)
    log = StoredLog(log_id, entry.day, now, entry.minutes, entry.distance_m, entry.note,
                    entry.as_planned, entry.intensity, entry.session_type)
    # Streak boards: in save_streak.
    await refresh_runner(uow, runner_id, now, metrics=RUN_METRICS, within=challenges)
    return log


def find_duplicate(
    same_day: Sequence[StoredLog], entry: NewLog, now: datetime
) -> StoredLog | None:
    """An identical log (same day, minutes, distance and note) made within the last 2 minutes
    among the day's logs: the same message sent twice, a double tap on a button."""
    for log in same_day:
        if (
            log.local_date == entry.day
            and log.note == entry.note
            and log.minutes == entry.minutes
            and log.distance_m == entry.distance_m
            and log.logged_at >= now - DUPLICATE_WINDOW
        ):
            return log
    return None


async def last_log(uow: UnitOfWork, runner_id: int) -> StoredLog | None:
    """The runner's most recently made log (by when it was logged, not the day it is for)."""
    return await uow.logbook.last_log(runner_id)


async def logs_between(
    uow: UnitOfWork, runner_id: int, first: date, last: date
) -> list[StoredLog]:
    """Logs for local days `first`..`last` (inclusive), in the order they were made."""
    return await uow.logbook.logs(runner_id, first, last)


async def logs_on(uow: UnitOfWork, runner_id: int, day: date) -> list[StoredLog]:
    return await logs_between(uow, runner_id, day, day)


def guardrail_window(day: date) -> date:
    """The first local day the guardrails look at for a log on `day` (last week to today)."""
    monday, _ = week_bounds(day)
    return min(monday - timedelta(days=7), day - timedelta(days=6))


def as_guardrail_runs(logs: Sequence[StoredLog], day: date) -> list[LoggedRun]:
    """The runs the guardrails need for a log on `day`, from logs in the order they were made."""
    first = guardrail_window(day)
    return [
        LoggedRun(log.local_date, log.minutes, hard=log.intensity == "hard")
        for log in logs
        if first <= log.local_date <= day
    ]


@dataclass(frozen=True)
class StreakInputs:
    """Everything the streak is computed from, loaded once: a report can then be computed with
    or without a given log (to tell the runner what their log changed)."""

    plan_start: date | None
    tz: str
    now: datetime
    planned: tuple[PlannedDay, ...] = ()
    logs: tuple[tuple[int, LogRecord], ...] = ()  # (run_logs.id, record)
    skipped: frozenset[date] = field(default_factory=frozenset)
    # Loaded from a checkpoint on: only the days after it are judged, starting from its carry.
    since: Checkpoint | None = None
    # The stored figures as read with these inputs (`stored_read`), so saving the new ones
    # needs no second read in the same unit of work.
    stored: CachedStreak | None = None
    stored_read: bool = False

    def with_log(self, log: StoredLog) -> StreakInputs:
        """The same inputs with one more log (one the unit of work just added)."""
        if self.plan_start is None or log.local_date < self.plan_start:
            return self
        record = LogRecord(log.local_date, log.logged_at, log.minutes)
        return replace(self, logs=(*self.logs, (log.id, record)))

    def report(self, *, without_log: int | None = None) -> StreakReport:
        since = self.since
        return compute_streak(
            self.planned,
            (record for log_id, record in self.logs if log_id != without_log),
            self.skipped,
            plan_start=self.plan_start,
            now=self.now,
            tz=self.tz,
            first_day=None if since is None else since.through + timedelta(days=1),
            carry=(0, 0) if since is None else (since.run, since.best),
        )

    def checkpoint(self, report: StreakReport) -> Checkpoint | None:
        """The checkpoint to keep after `report` (computed from these inputs): at the last
        settled day, or the one these inputs started from when no later day has settled."""
        if self.plan_start is None or not report.days:
            return self.since
        through = report.today - timedelta(days=SETTLED_AFTER_DAYS)
        if through < report.days[0].day:
            return self.since
        run, best = report.settled_at(through)
        counted = [log_id for log_id, record in self.logs if record.day <= through]
        logs, log_ids = (0, 0) if self.since is None else (self.since.logs, self.since.log_ids)
        return Checkpoint(through, run, best, logs + len(counted), log_ids + sum(counted),
                          self.tz, self.plan_start)


async def streak_inputs(
    uow: UnitOfWork, runner: Runner, now: datetime, *, settled: bool = False
) -> StreakInputs:
    """Load the plan (through the end of this week), logs and skips since the plan started
    (`settled`: since the runner's checkpoint, when it holds)."""
    return (await load_logbook(uow, runner, now, settled=settled)).inputs


@dataclass(frozen=True)
class Logbook:
    """A runner's logs, skips and plan days from the plan start (and the guardrails' window
    on), with the streak inputs built from them, and the ids of the active challenges a run
    counts towards: what `/done` needs, in one query."""

    inputs: StreakInputs
    logs: tuple[StoredLog, ...]  # in the order they were made
    skips: tuple[StoredSkip, ...]
    planned: dict[date, PlannedRow] = field(default_factory=dict)
    challenge_ids: tuple[int, ...] = ()

    def logs_on(self, day: date) -> list[StoredLog]:
        return [log for log in self.logs if log.local_date == day]

    def skip_on(self, day: date) -> StoredSkip | None:
        return next((skip for skip in self.skips if skip.local_date == day), None)

    def planned_on(self, day: date) -> PlannedRow | None:
        return self.planned.get(day)

    def guardrail_runs(self, day: date, added: StoredLog | None = None) -> list[LoggedRun]:
        logs = [*self.logs, added] if added is not None else list(self.logs)
        return as_guardrail_runs(logs, day)


async def load_logbook(
    uow: UnitOfWork, runner: Runner, now: datetime, day: date | None = None,
    *, settled: bool = False,
) -> Logbook:
    """Everything about the runner's recent logging, loaded once. `day` (a day being logged)
    widens the window so the guardrails for that day can be judged too. `settled`: the streak
    continues from the runner's checkpoint when it still holds (only the days since are read
    and judged), else it is judged from the plan start."""
    today = now.astimezone(ZoneInfo(runner.tz)).date()
    start = runner.plan_start
    read = settled and start is not None
    stored = await _cached_streak(uow, runner.id) if read else None
    since = await _holding_checkpoint(uow, runner, stored) if read else None
    if since is not None and (today - since.through).days < SETTLED_AFTER_DAYS:
        since = None  # not settled as of today (a clock set back): judge from the plan start
    streak_from = start if since is None else since.through + timedelta(days=1)
    first = min(d for d in (streak_from, guardrail_window(day or today)) if d is not None)
    _, sunday = week_bounds(today)
    plan_first = min(d for d in (streak_from, day or today) if d is not None)
    found = await uow.logbook.window(runner.id, first, today, plan_first, sunday, ACTIVE)
    challenge_ids = tuple(found.challenge_ids)
    logs, skips = tuple(found.logs), tuple(found.skips)
    planned = {row.date: row for row in found.planned}
    if start is None or streak_from is None:
        return Logbook(StreakInputs(None, runner.tz, now), logs, skips, planned, challenge_ids)
    inputs = StreakInputs(
        plan_start=start,
        tz=runner.tz,
        now=now,
        planned=tuple(
            PlannedDay(d, p.run_minutes > 0, p.type)
            for d, p in planned.items()
            if d >= streak_from
        ),
        logs=tuple(
            (log.id, LogRecord(log.local_date, log.logged_at, log.minutes))
            for log in logs
            if log.local_date >= streak_from
        ),
        skipped=frozenset(skip.local_date for skip in skips if skip.local_date >= streak_from),
        since=since,
        stored=stored,
        stored_read=read,
    )
    return Logbook(inputs, logs, skips, planned, challenge_ids)


async def _holding_checkpoint(
    uow: UnitOfWork, runner: Runner, cached: CachedStreak | None
) -> Checkpoint | None:
    """The runner's checkpoint (from the stored figures, `cached`) if everything it was
    computed from is unchanged: same zone and plan start, and the same logs up to its day (an
    undo or an admin's removal of an old run shows in their count and ids)."""
    since = None if cached is None else cached.checkpoint
    if since is None or (since.tz, since.start) != (runner.tz, runner.plan_start):
        return None
    found = await uow.logbook.log_fingerprint(runner.id, since.start, since.through)
    return since if found == (since.logs, since.log_ids) else None


async def delete_skip(uow: UnitOfWork, skip: StoredSkip) -> None:
    """Remove a skip read with the logbook (a run on that day replaces it)."""
    await uow.logbook.delete_skip(skip.id)


@dataclass(frozen=True)
class Checkpoint:
    """The streak at the end of a settled day — one no command can change any more: `/done`
    logs runs up to `LOOKBACK_DAYS` back — and what it was computed from, so a log judges only
    the days after it (`load_logbook(settled=True)`). It holds while the zone, the plan start
    and the logs up to that day are unchanged."""

    through: date
    run: int  # the run of kept days going on at the end of `through`
    best: int  # the best run up to then
    logs: int  # how many logs there were for days from `start` to `through`
    log_ids: int  # and the sum of their ids
    tz: str
    start: date

    def as_json(self) -> dict[str, Any]:
        return {"through": self.through.isoformat(), "run": self.run, "best": self.best,
                "logs": self.logs, "log_ids": self.log_ids, "tz": self.tz,
                "start": self.start.isoformat()}

    @classmethod
    def of_json(cls, data: Any) -> Checkpoint | None:
        """None for anything else than a checkpoint written by `as_json`."""
        try:
            return cls(date.fromisoformat(data["through"]), int(data["run"]), int(data["best"]),
                       int(data["logs"]), int(data["log_ids"]), str(data["tz"]),
                       date.fromisoformat(data["start"]))
        except (TypeError, KeyError, ValueError):
            return None


@dataclass(frozen=True)
class CachedStreak:
    """The figures stored in `streak_states` (what streak boards and recaps read)."""

    current: int
    best: int
    as_of: date | None
    checkpoint: Checkpoint | None = None


async def save_streak(
    uow: UnitOfWork,
    runner_id: int,
    inputs: StreakInputs,
    report: StreakReport,
    now: datetime,
    challenges: Sequence[StoredChallenge] | None = None,
) -> CachedStreak:
    """Cache the figures of `report` (computed from `inputs`) in `streak_states`, with the
    checkpoint they give (`updated_at`: when the figures last changed); the best streak never
    decreases. `challenges`: the runner's active challenges when the caller has loaded them.
    Written directly (only when the figures changed), and so is the session's copy, if it
    holds one."""
    stored = inputs.stored if inputs.stored_read else await _cached_streak(uow, runner_id)
    best = max(stored.best if stored else 0, report.best, report.current)
    saved = CachedStreak(report.current, best, report.today, inputs.checkpoint(report))
    if saved != stored:  # no write when nothing changed
        checkpoint = None if saved.checkpoint is None else saved.checkpoint.as_json()
        figures = {"runner_id": runner_id, "current": saved.current, "best": saved.best,
                   "as_of": saved.as_of, "updated_at": now, "checkpoint": checkpoint}
        await uow.logbook.write_streak(figures, new=stored is None)
    # Streak boards store each member's streak from this cache: show the new one at once.
    boards = challenges_to_refresh(
        await runner_challenges(uow, runner_id) if challenges is None else challenges,
        [Metric.STREAK],
    )
    if boards:
        await refresh_runner(uow, runner_id, now, within=boards)
    return saved


async def _cached_streak(uow: UnitOfWork, runner_id: int) -> CachedStreak | None:
    """The stored figures, read directly (after the runner lock on PostgreSQL: a writer that
    waited for it sees the previous writer's streak)."""
    row = await uow.logbook.streak(runner_id)
    if row is None:
        return None
    return CachedStreak(row.current, row.best, row.as_of, Checkpoint.of_json(row.checkpoint))


async def refresh_streak(
    uow: UnitOfWork, runner: Runner, now: datetime
) -> tuple[StreakReport, CachedStreak]:
    """Recompute the runner's streak from storage and persist it."""
    inputs = await streak_inputs(uow, runner, now)
    report = inputs.report()
    return report, await save_streak(uow, runner.id, inputs, report, now)
