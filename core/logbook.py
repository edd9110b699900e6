"""Storage-side helpers for logged runs, skips and the cached streak.

Used by `/done`, `/undo`, `/skip`, `/streak`, and by statistics and challenges. Everything runs
inside the caller's unit of work: add, flush and read only — the unit of work commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, select

from core.challenge_totals import (
    RUN_METRICS,
    challenges_to_refresh,
    refresh_runner,
    runner_challenges,
)
from core.guardrails import LoggedRun
from core.leaderboard import Metric
from core.planning import week_bounds
from core.storage.models import Challenge, PlannedSession, RunLog, Runner, Skip, StreakState
from core.storage.unit_of_work import UnitOfWork
from core.streaks import LogRecord, PlannedDay, StreakReport, compute_streak

DUPLICATE_WINDOW = timedelta(minutes=2)


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
    challenges: Sequence[Challenge] | None = None,
) -> RunLog:
    """Store one run (at once, so it has its id) and recount the runner's challenge totals
    (in `challenges`, the runner's active ones, when the caller has loaded them)."""
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
    # An INSERT .. RETURNING hands back the stored row as a RunLog in the session, without a
    # flush of the whole session (its bookkeeping cost more than the insert).
    log: RunLog = (await uow.session.scalars(_INSERT_LOG, [values])).one()
    # Streak boards: in save_streak.
    await refresh_runner(uow, runner_id, now, metrics=RUN_METRICS, within=challenges)
    return log


def find_duplicate(same_day: list[RunLog], entry: NewLog, now: datetime) -> RunLog | None:
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


async def last_log(uow: UnitOfWork, runner_id: int) -> RunLog | None:
    """The runner's most recently made log (by when it was logged, not the day it is for)."""
    result: RunLog | None = await uow.session.scalar(
        select(RunLog)
        .where(RunLog.runner_id == runner_id)
        .order_by(RunLog.logged_at.desc(), RunLog.id.desc())
        .limit(1)
    )
    return result


async def logs_between(uow: UnitOfWork, runner_id: int, first: date, last: date) -> list[RunLog]:
    """Logs for local days `first`..`last` (inclusive), in the order they were made."""
    rows = await uow.session.scalars(
        select(RunLog)
        .where(RunLog.runner_id == runner_id, RunLog.local_date.between(first, last))
        .order_by(RunLog.logged_at, RunLog.id)
    )
    return list(rows)


async def logs_on(uow: UnitOfWork, runner_id: int, day: date) -> list[RunLog]:
    return await logs_between(uow, runner_id, day, day)


async def skip_on(uow: UnitOfWork, runner_id: int, day: date) -> Skip | None:
    result: Skip | None = await uow.session.scalar(
        select(Skip).where(Skip.runner_id == runner_id, Skip.local_date == day)
    )
    return result


def guardrail_window(day: date) -> date:
    """The first local day the guardrails look at for a log on `day` (last week to today)."""
    monday, _ = week_bounds(day)
    return min(monday - timedelta(days=7), day - timedelta(days=6))


def as_guardrail_runs(logs: list[RunLog], day: date) -> list[LoggedRun]:
    """The runs the guardrails need for a log on `day`, from logs in the order they were made."""
    first = guardrail_window(day)
    return [
        LoggedRun(log.local_date, log.minutes, log.intensity == "hard")
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

    def with_log(self, log: RunLog) -> StreakInputs:
        """The same inputs with one more log (one the unit of work just added)."""
        if self.plan_start is None or log.local_date < self.plan_start:
            return self
        record = LogRecord(log.local_date, log.logged_at, log.minutes)
        return replace(self, logs=(*self.logs, (log.id, record)))

    def report(self, *, without_log: int | None = None) -> StreakReport:
        return compute_streak(
            self.planned,
            (record for log_id, record in self.logs if log_id != without_log),
            self.skipped,
            plan_start=self.plan_start,
            now=self.now,
            tz=self.tz,
        )


async def streak_inputs(uow: UnitOfWork, runner: Runner, now: datetime) -> StreakInputs:
    """Load the plan (through the end of this week), logs and skips since the plan started."""
    return (await load_logbook(uow, runner, now)).inputs


@dataclass(frozen=True)
class Logbook:
    """A runner's logs and skips from the plan start (and the guardrails' window on), with the
    streak inputs built from them: what `/done` needs, in three queries."""

    inputs: StreakInputs
    logs: tuple[RunLog, ...]  # in the order they were made
    skips: tuple[Skip, ...]

    def logs_on(self, day: date) -> list[RunLog]:
        return [log for log in self.logs if log.local_date == day]

    def skip_on(self, day: date) -> Skip | None:
        return next((skip for skip in self.skips if skip.local_date == day), None)

    def guardrail_runs(self, day: date, added: RunLog | None = None) -> list[LoggedRun]:
        logs = [*self.logs, added] if added is not None else list(self.logs)
        return as_guardrail_runs(logs, day)


async def load_logbook(
    uow: UnitOfWork, runner: Runner, now: datetime, day: date | None = None
) -> Logbook:
    """Everything about the runner's recent logging, loaded once. `day` (a day being logged)
    widens the window so the guardrails for that day can be judged too."""
    today = now.astimezone(ZoneInfo(runner.tz)).date()
    start = runner.plan_start
    first = min(d for d in (start, guardrail_window(day or today)) if d is not None)
    session = uow.session
    window = {"runner_id": runner.id, "first": first, "last": today}
    logs = tuple(await session.scalars(_LOGS_BETWEEN, window))
    skips = tuple(await session.scalars(_SKIPS_BETWEEN, window))
    if start is None:
        return Logbook(StreakInputs(None, runner.tz, now), logs, skips)
    _, sunday = week_bounds(today)
    planned = await session.execute(
        _PLANNED_DAYS_BETWEEN, {"runner_id": runner.id, "first": start, "last": sunday}
    )
    inputs = StreakInputs(
        plan_start=start,
        tz=runner.tz,
        now=now,
        planned=tuple(PlannedDay(d, run_minutes > 0, kind) for d, run_minutes, kind in planned),
        logs=tuple(
            (log.id, LogRecord(log.local_date, log.logged_at, log.minutes))
            for log in logs
            if log.local_date >= start
        ),
        skipped=frozenset(skip.local_date for skip in skips if skip.local_date >= start),
    )
    return Logbook(inputs, logs, skips)


_INSERT_LOG = insert(RunLog).returning(RunLog)

# Built once (every /done, /undo and /skip runs them): runner_id, first, last as parameters.
_LOGS_BETWEEN = (
    select(RunLog)
    .where(RunLog.runner_id == bindparam("runner_id"),
           RunLog.local_date.between(bindparam("first"), bindparam("last")))
    .order_by(RunLog.logged_at, RunLog.id)
)
_SKIPS_BETWEEN = select(Skip).where(
    Skip.runner_id == bindparam("runner_id"),
    Skip.local_date.between(bindparam("first"), bindparam("last")),
)
_PLANNED_DAYS_BETWEEN = select(
    PlannedSession.date, PlannedSession.run_minutes, PlannedSession.type
).where(
    PlannedSession.runner_id == bindparam("runner_id"),
    PlannedSession.date.between(bindparam("first"), bindparam("last")),
)


async def save_streak(
    uow: UnitOfWork,
    runner_id: int,
    report: StreakReport,
    now: datetime,
    challenges: Sequence[Challenge] | None = None,
) -> StreakState:
    """Cache the figures in `streak_states` (`updated_at`: when they last changed); the best
    streak never decreases. `challenges`: the runner's active challenges when the caller has
    loaded them."""
    state = await uow.session.get(StreakState, runner_id)
    if state is None:
        state = StreakState(runner_id=runner_id, current=0, best=0, updated_at=now)
        uow.session.add(state)
        # Once per runner: flushed, a later `session.get` in this unit of work finds it (a
        # pending object has no identity yet, and a second one would clash on commit).
        await uow.session.flush()
    figures = (report.current, max(state.best or 0, report.best, report.current), report.today)
    if figures != (state.current, state.best, state.as_of):  # no write when nothing changed
        state.current, state.best, state.as_of = figures
        state.updated_at = now
    # Streak boards store each member's streak from this cache: show the new one at once.
    boards = challenges_to_refresh(
        await runner_challenges(uow, runner_id) if challenges is None else challenges,
        [Metric.STREAK],
    )
    if boards:
        await uow.session.flush()  # the refresh reads the cache back
        await refresh_runner(uow, runner_id, now, within=boards)
    return state


async def refresh_streak(
    uow: UnitOfWork, runner: Runner, now: datetime
) -> tuple[StreakReport, StreakState]:
    """Recompute the runner's streak from storage and persist it."""
    report = (await streak_inputs(uow, runner, now)).report()
    return report, await save_streak(uow, runner.id, report, now)
