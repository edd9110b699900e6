"""Activity summaries, stored: what Pacer keeps of an activity file (never the track).

Rows are read and written here and handed back as plain `StoredActivity` values; the rules
(what is a duplicate, what matches a hand-logged run) live in `core.activity_log`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update

from core.storage.models import ActivitySummary, RunLog
from core.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class NewActivity:
    """An activity summary to store."""

    started_at: datetime
    local_date: date
    file_format: str
    distance_m: float
    elapsed_s: float
    moving_s: float
    elevation_gain_m: float | None
    avg_heart_rate: int | None
    split_unit: str
    splits: list[list[float]]
    best_efforts: list[dict[str, float]]
    source: str


@dataclass(frozen=True, slots=True)
class StoredActivity:
    id: int
    run_log_id: int | None
    matched_log_id: int | None
    started_at: datetime
    local_date: date
    distance_m: float
    elapsed_s: float
    moving_s: float
    best_efforts: list[dict[str, float]]
    file_format: str
    summary: NewActivity


def _stored(row: ActivitySummary) -> StoredActivity:
    summary = NewActivity(
        started_at=row.started_at, local_date=row.local_date, file_format=row.file_format,
        distance_m=row.distance_m, elapsed_s=row.elapsed_s, moving_s=row.moving_s,
        elevation_gain_m=row.elevation_gain_m, avg_heart_rate=row.avg_heart_rate,
        split_unit=row.split_unit, splits=list(row.splits),
        best_efforts=list(row.best_efforts), source=row.source,
    )
    return StoredActivity(row.id, row.run_log_id, row.matched_log_id, row.started_at,
                          row.local_date, row.distance_m, row.elapsed_s, row.moving_s,
                          list(row.best_efforts), row.file_format, summary)


async def add_activity(
    uow: UnitOfWork, runner_id: int, new: NewActivity, now: datetime,
    *, run_log_id: int | None = None, matched_log_id: int | None = None,
) -> StoredActivity:
    values: dict[str, Any] = {
        name: getattr(new, name) for name in NewActivity.__dataclass_fields__
    }
    row = ActivitySummary(runner_id=runner_id, run_log_id=run_log_id,
                          matched_log_id=matched_log_id, created_at=now, **values)
    uow.session.add(row)
    await uow.session.flush()
    return _stored(row)


async def all_activities(uow: UnitOfWork, runner_id: int) -> list[StoredActivity]:
    """Every activity summary of the runner, oldest first (for `/export`)."""
    rows = await uow.session.scalars(
        select(ActivitySummary).where(ActivitySummary.runner_id == runner_id)
        .order_by(ActivitySummary.started_at, ActivitySummary.id)
    )
    return [_stored(row) for row in rows]


async def activity_starting(
    uow: UnitOfWork, runner_id: int, started_at: datetime
) -> StoredActivity | None:
    """The runner's activity that started at `started_at` (to the second), if any."""
    row = await uow.session.scalar(
        select(ActivitySummary).where(
            ActivitySummary.runner_id == runner_id, ActivitySummary.started_at == started_at
        )
    )
    return None if row is None else _stored(row)


async def activity_by_id(
    uow: UnitOfWork, runner_id: int, activity_id: int
) -> StoredActivity | None:
    row = await uow.session.scalar(
        select(ActivitySummary).where(
            ActivitySummary.runner_id == runner_id, ActivitySummary.id == activity_id
        )
    )
    return None if row is None else _stored(row)


async def logs_with_activity(uow: UnitOfWork, log_ids: Sequence[int]) -> set[int]:
    """Which of `log_ids` were logged from (or matched by) an activity file."""
    if not log_ids:
        return set()
    rows = await uow.session.execute(
        select(ActivitySummary.run_log_id, ActivitySummary.matched_log_id).where(
            ActivitySummary.run_log_id.in_(log_ids) | ActivitySummary.matched_log_id.in_(log_ids)
        )
    )
    return {log_id for row in rows for log_id in row if log_id is not None}


async def link_to_log(uow: UnitOfWork, activity_id: int, run_log_id: int) -> None:
    """The waiting activity now belongs to `run_log_id` (the runner kept the file's figures)."""
    await uow.session.execute(
        update(ActivitySummary)
        .where(ActivitySummary.id == activity_id)
        .values(run_log_id=run_log_id, matched_log_id=None)
    )


async def delete_activity(uow: UnitOfWork, activity_id: int) -> None:
    await uow.session.execute(delete(ActivitySummary).where(ActivitySummary.id == activity_id))


async def set_log_figures(
    uow: UnitOfWork, log_id: int, minutes: float, distance_m: float
) -> None:
    """Replace a hand-logged run's time and distance with the file's."""
    log = await uow.session.get(RunLog, log_id)
    if log is not None:
        log.minutes, log.distance_m = minutes, distance_m
        await uow.session.flush()


async def log_keys(uow: UnitOfWork, runner_id: int) -> set[tuple[date, float | None,
                                                                  float | None, str]]:
    """(day, minutes, distance, note) of every log: what re-importing an export compares."""
    rows = await uow.session.execute(
        select(RunLog.local_date, RunLog.minutes, RunLog.distance_m, RunLog.note).where(
            RunLog.runner_id == runner_id
        )
    )
    return {(day, _round(minutes), _round(distance), note or "")
            for day, minutes, distance, note in rows}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
