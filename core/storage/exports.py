"""Repository for `/export` and `pacer export`: everything stored about one runner, in the
order the export lists it.

Takes and returns plain named tuples; no model object leaves it. Everything runs in the
caller's unit of work (a read-only one is enough).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from core.storage.models import Identity, RunLog, Skip, SleepLog

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


class Account(NamedTuple):
    platform: str
    external_id: str


class ExportedLog(NamedTuple):
    local_date: date
    logged_at: datetime
    minutes: float | None
    distance_m: float | None
    note: str
    intensity: str
    as_planned: bool
    session_type: str | None


class Night(NamedTuple):
    local_date: date
    hours: float


class ExportedSkip(NamedTuple):
    local_date: date
    reason: str


class ExportRepository:
    """A runner's records for their export, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def accounts(self, runner_id: int) -> list[Account]:
        rows = await self._uow.session.execute(
            select(Identity.platform, Identity.external_id)
            .where(Identity.runner_id == runner_id)
            .order_by(Identity.platform, Identity.external_id)
        )
        return [Account(*row) for row in rows]

    async def logs(self, runner_id: int) -> list[ExportedLog]:
        """Every logged run, by day and then in the order they were made."""
        rows = await self._uow.session.execute(
            select(
                RunLog.local_date, RunLog.logged_at, RunLog.minutes, RunLog.distance_m,
                RunLog.note, RunLog.intensity, RunLog.as_planned, RunLog.session_type,
            )
            .where(RunLog.runner_id == runner_id)
            .order_by(RunLog.local_date, RunLog.logged_at, RunLog.id)
        )
        return [ExportedLog(*row) for row in rows]

    async def nights(self, runner_id: int) -> list[Night]:
        rows = await self._uow.session.execute(
            select(SleepLog.local_date, SleepLog.hours)
            .where(SleepLog.runner_id == runner_id)
            .order_by(SleepLog.local_date)
        )
        return [Night(*row) for row in rows]

    async def skips(self, runner_id: int) -> list[ExportedSkip]:
        rows = await self._uow.session.execute(
            select(Skip.local_date, Skip.reason)
            .where(Skip.runner_id == runner_id)
            .order_by(Skip.local_date)
        )
        return [ExportedSkip(*row) for row in rows]
