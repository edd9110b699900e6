"""Repository for skipped sessions: one a runner and local day.

Takes and returns plain values (`SkipLine` named tuples); no model object leaves it.
Everything runs in the caller's unit of work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from core.storage.models import Skip

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


class SkipLine(NamedTuple):
    """A skipped day and the runner's reason ("" when none was given)."""

    local_date: date
    reason: str


class SkipRepository:
    """Skipped sessions, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def add(self, runner_id: int, day: date, reason: str, created_at: datetime) -> None:
        session = self._uow.session
        session.add(
            Skip(runner_id=runner_id, local_date=day, reason=reason, created_at=created_at)
        )
        await session.flush()

    async def on(self, runner_id: int, day: date) -> SkipLine | None:
        row = (
            await self._uow.session.execute(
                select(Skip.local_date, Skip.reason).where(
                    Skip.runner_id == runner_id, Skip.local_date == day
                )
            )
        ).first()
        return None if row is None else SkipLine(*row)

    async def between(self, runner_id: int, first: date, last: date) -> list[SkipLine]:
        rows = await self._uow.session.execute(
            select(Skip.local_date, Skip.reason)
            .where(Skip.runner_id == runner_id, Skip.local_date.between(first, last))
            .order_by(Skip.local_date)
        )
        return [SkipLine(*row) for row in rows]
