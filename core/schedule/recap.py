"""Weekly figures for many runners at once: a handful of grouped queries per chunk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import case, exists, func, select

from core.schedule.pushes import WeekSummary
from core.storage.models import PlannedSession, RunLog, SleepLog, StreakState
from core.storage.unit_of_work import UnitOfWork


async def week_summaries(
    uow: UnitOfWork, runner_ids: Sequence[int], sunday: date, units: dict[int, str]
) -> dict[int, WeekSummary]:
    """Each runner's week Monday..`sunday` (their local dates): planned vs done and more."""
    monday = sunday - timedelta(days=6)
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
    out: dict[int, WeekSummary] = {}
    for rid in ids:
        planned_runs, done_runs = planned.get(rid, (0, 0))
        minutes, distance, days = logged.get(rid, (0.0, 0.0, 0))
        current, best = streaks.get(rid, (0, 0))
        out[rid] = WeekSummary(
            first=monday, last=sunday, planned_runs=planned_runs,
            done_runs=done_runs if planned_runs else days,
            logged_minutes=minutes, logged_distance_m=distance, streak=current,
            best_streak=best, sleep_hours=sleep.get(rid), next_key=next_key.get(rid),
            units=units.get(rid, "km"),
        )
    return out
