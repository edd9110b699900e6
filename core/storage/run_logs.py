"""Repository for a runner's recent logs: list them, change one, remove one.

`/logs`, `/undo N`, `/edit N` and `/week` read and write through `LogRepository`
(`uow.logs`); it takes and returns plain named tuples, never ORM objects. Everything runs in
the caller's unit of work.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import delete, func, select, update

from core.storage.logbook import StoredLog
from core.storage.models import RunLog

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


class LogChange(NamedTuple):
    """The new values of an edited run (all of them: the caller merges what stays)."""

    local_date: date
    minutes: float | None
    distance_m: float | None
    note: str
    as_planned: bool


class DayMinutes(NamedTuple):
    """One logged run's local day and minutes (None: untimed)."""

    local_date: date
    minutes: float | None


class RunEffort(NamedTuple):
    """One logged run as the weekly figures count it."""

    local_date: date
    minutes: float | None
    distance_m: float | None
    intensity: str | None


class LogRepository:
    """A runner's logged runs, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def minutes_between(self, runner_id: int, first: date, last: date) -> list[DayMinutes]:
        """Each log's day and minutes for local days `first`..`last`, oldest day first."""
        rows = await self._uow.session.execute(
            select(RunLog.local_date, RunLog.minutes)
            .where(RunLog.runner_id == runner_id, RunLog.local_date.between(first, last))
            .order_by(RunLog.local_date, RunLog.id)
        )
        return [DayMinutes(*row) for row in rows]

    async def first_day(self, runner_id: int) -> date | None:
        """The local day of the runner's first logged run, if any."""
        return await self._uow.session.scalar(
            select(func.min(RunLog.local_date)).where(RunLog.runner_id == runner_id)
        )

    async def efforts_between(self, runner_id: int, first: date, last: date) -> list[RunEffort]:
        """Each log's day, minutes, distance and intensity for local days `first`..`last`."""
        rows = await self._uow.session.execute(
            select(RunLog.local_date, RunLog.minutes, RunLog.distance_m, RunLog.intensity)
            .where(RunLog.runner_id == runner_id, RunLog.local_date.between(first, last))
            .order_by(RunLog.local_date, RunLog.id)
        )
        return [RunEffort(*row) for row in rows]

    async def recent(self, runner_id: int, first: date, last: date) -> list[StoredLog]:
        """The runner's logs for local days `first`..`last`, newest day first (and, within a day,
        the most recently made first)."""
        rows = await self._uow.session.execute(
            select(
                RunLog.id, RunLog.local_date, RunLog.logged_at, RunLog.minutes, RunLog.distance_m,
                RunLog.note, RunLog.as_planned, RunLog.intensity, RunLog.session_type,
            )
            .where(RunLog.runner_id == runner_id, RunLog.local_date.between(first, last))
            .order_by(RunLog.local_date.desc(), RunLog.logged_at.desc(), RunLog.id.desc())
        )
        return [StoredLog(*row) for row in rows]


    async def remove(self, runner_id: int, log_id: int) -> bool:
        """Delete one of the runner's logs; False if it is not (or no longer) there."""
        result = await self._uow.session.execute(
            delete(RunLog)
            .where(RunLog.id == log_id, RunLog.runner_id == runner_id)
            .returning(RunLog.id)
            .execution_options(synchronize_session=False)
        )
        return result.first() is not None


    async def change(self, runner_id: int, log_id: int, change: LogChange) -> bool:
        """Store `change` on one of the runner's logs (same id: challenge moderation and results
        that point at it stay valid); False if it is not there."""
        result = await self._uow.session.execute(
            update(RunLog)
            .where(RunLog.id == log_id, RunLog.runner_id == runner_id)
            .values(
                local_date=change.local_date,
                minutes=change.minutes,
                distance_m=change.distance_m,
                note=change.note,
                as_planned=change.as_planned,
            )
            .returning(RunLog.id)
            .execution_options(synchronize_session=False)
        )
        return result.first() is not None
