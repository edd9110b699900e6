"""Repository for the cached streak figures shown by /stats.

Takes and returns plain values (`StreakFigures`); no model object leaves it. (Writing the
figures and the checkpoint is `core.logbook.save_streak`'s fast path.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from core.storage.models import StreakState

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


class StreakFigures(NamedTuple):
    """The runner's stored streak: current and best run of days."""

    current: int
    best: int


class StreakRepository:
    """Cached streak figures, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def figures(self, runner_id: int) -> StreakFigures | None:
        """The stored figures, or None before the first were saved."""
        row = (
            await self._uow.session.execute(
                select(StreakState.current, StreakState.best).where(
                    StreakState.runner_id == runner_id
                )
            )
        ).first()
        return None if row is None else StreakFigures(*row)
