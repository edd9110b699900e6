"""Weekly figures for many runners at once, as the Sunday recap shows them (read by
`core.storage.week_figures`: a handful of grouped queries per chunk)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from core.schedule.pushes import WeekSummary
from core.storage.unit_of_work import UnitOfWork
from core.storage.week_figures import week_figures


async def week_summaries(
    uow: UnitOfWork, runner_ids: Sequence[int], sunday: date, units: dict[int, str]
) -> dict[int, WeekSummary]:
    """Each runner's week Monday..`sunday` (their local dates): planned vs done and more. With
    no run planned, the days with a log count as the runs done."""
    monday = sunday - timedelta(days=6)
    return {
        rid: WeekSummary(
            first=monday, last=sunday, planned_runs=f.planned_runs,
            done_runs=f.done_runs if f.planned_runs else f.days,
            logged_minutes=f.minutes, logged_distance_m=f.distance_m, streak=f.streak,
            best_streak=f.best_streak, sleep_hours=f.sleep_hours, next_key=f.next_key,
            units=units.get(rid, "km"),
        )
        for rid, f in (await week_figures(uow, runner_ids, monday, sunday)).items()
    }
