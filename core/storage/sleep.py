"""Repository for sleep logs: one entry per runner and local morning.

Takes and returns plain values (dates, hours); no model object leaves it. Everything runs in
the caller's unit of work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from core.storage.models import SleepLog

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


class SleepRepository:
    """Nights slept, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def night(self, runner_id: int, morning: date) -> float | None:
        """The hours logged for the night ending on `morning`, if any."""
        return await self._uow.session.scalar(
            select(SleepLog.hours).where(
                SleepLog.runner_id == runner_id, SleepLog.local_date == morning
            )
        )

    async def record(
        self, runner_id: int, morning: date, hours: float, logged_at: datetime
    ) -> float | None:
        """Store the night ending on `morning` (replacing an earlier entry for it); the hours
        it replaced, or None if it is new."""
        session = self._uow.session
        previous = await self.night(runner_id, morning)
        if previous is None:
            session.add(
                SleepLog(runner_id=runner_id, local_date=morning, hours=hours, logged_at=logged_at)
            )
            await session.flush()
        else:
            await session.execute(
                update(SleepLog)
                .where(SleepLog.runner_id == runner_id, SleepLog.local_date == morning)
                .values(hours=hours, logged_at=logged_at)
                .execution_options(synchronize_session=False)
            )
        return previous

    async def hours_between(self, runner_id: int, first: date, last: date) -> list[float]:
        """The hours of each night logged for mornings `first`..`last`."""
        hours = await self._uow.session.scalars(
            select(SleepLog.hours).where(
                SleepLog.runner_id == runner_id, SleepLog.local_date.between(first, last)
            )
        )
        return list(hours)

    async def nights_between(self, runner_id: int, first: date, last: date) -> dict[date, float]:
        """The hours logged for each morning `first`..`last` that has an entry."""
        rows = await self._uow.session.execute(
            select(SleepLog.local_date, SleepLog.hours).where(
                SleepLog.runner_id == runner_id, SleepLog.local_date.between(first, last)
            )
        )
        return {day: hours for day, hours in rows}
