"""Queries for weekly figures of many runners at once: a handful of grouped queries per chunk
(the Sunday recap reads them; `core.schedule.recap` turns them into each runner's week)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import case, exists, func, select

from core.storage.models import PlannedSession, RunLog, SleepLog, StreakState
from core.storage.unit_of_work import UnitOfWork


class WeekFigures(NamedTuple):
    """One runner's week `monday`..`sunday` (their local dates), as stored."""

    planned_runs: int  # planned days with a run
    done_runs: int  # of those, days with a log
    minutes: float  # logged, all runs
    distance_m: float
    days: int  # local days with a log
    streak: int  # the cached streak now
    best_streak: int
    sleep_hours: float | None  # the average logged, None without a log
    next_key: str | None  # the title of next week's first key session


async def week_figures(
    uow: UnitOfWork, runner_ids: Sequence[int], monday: date, sunday: date
) -> dict[int, WeekFigures]:
    """Each runner's figures for the week `monday`..`sunday` (zeros for a runner without)."""
    ids = list(runner_ids)
    session = uow.session
    logged_that_day = exists().where(
        RunLog.runner_id == PlannedSession.runner_id, RunLog.local_date == PlannedSession.date
    )
    planned = {
        rid: (total, int(done or 0))
        for rid, total, done in await session.execute(
            select(
                PlannedSession.runner_id,
                func.count(),
                func.sum(case((logged_that_day, 1), else_=0)),
            )
            .where(
                PlannedSession.runner_id.in_(ids),
                PlannedSession.date.between(monday, sunday),
                PlannedSession.run_minutes > 0,
            )
            .group_by(PlannedSession.runner_id)
        )
    }
    logged = {
        rid: (float(minutes or 0), float(distance or 0), days)
        for rid, minutes, distance, days in await session.execute(
            select(
                RunLog.runner_id,
                func.sum(RunLog.minutes),
                func.sum(RunLog.distance_m),
                func.count(func.distinct(RunLog.local_date)),
            )
            .where(RunLog.runner_id.in_(ids), RunLog.local_date.between(monday, sunday))
            .group_by(RunLog.runner_id)
        )
    }
    streaks = {
        rid: (current, best)
        for rid, current, best in await session.execute(
            select(StreakState.runner_id, StreakState.current, StreakState.best).where(
                StreakState.runner_id.in_(ids)
            )
        )
    }
    sleep = {
        rid: float(avg)
        for rid, avg in await session.execute(
            select(SleepLog.runner_id, func.avg(SleepLog.hours))
            .where(SleepLog.runner_id.in_(ids), SleepLog.local_date.between(monday, sunday))
            .group_by(SleepLog.runner_id)
        )
    }
    next_key: dict[int, str] = {}
    for rid, title in await session.execute(
        select(PlannedSession.runner_id, PlannedSession.title)
        .where(
            PlannedSession.runner_id.in_(ids),
            PlannedSession.date.between(sunday + timedelta(days=1), sunday + timedelta(days=7)),
            PlannedSession.key.is_(True),
        )
        .order_by(PlannedSession.runner_id, PlannedSession.date)
    ):
        next_key.setdefault(rid, title)
    out: dict[int, WeekFigures] = {}
    for rid in ids:
        planned_runs, done_runs = planned.get(rid, (0, 0))
        minutes, distance, days = logged.get(rid, (0.0, 0.0, 0))
        current, best = streaks.get(rid, (0, 0))
        out[rid] = WeekFigures(planned_runs, done_runs, minutes, distance, days, current, best,
                               sleep.get(rid), next_key.get(rid))
    return out
