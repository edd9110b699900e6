"""Personal bests and fitness changes, stored: one row per best a runner set over a standard
distance, and one per result that changed their mile time (so /undo can put it back).

The rules (what counts as a best, which distances) live in `core.results`; this module only
reads and writes rows and hands back plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from core.storage.models import FitnessChange, PersonalBest
from core.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class BestRecord:
    """A personal best: `distance` is a key of `core.results.DISTANCES` ("mile", "5k")."""

    distance: str
    distance_m: float
    seconds: float
    local_date: date
    kind: str  # "race", "time_trial" or "best_effort"
    source: str  # where it came from: "console", "telegram", "gpx", "import", ...
    run_log_id: int | None = None


async def current_bests(uow: UnitOfWork, runner_id: int) -> dict[str, BestRecord]:
    """The runner's fastest time per distance (the earliest wins a tie)."""
    rows = await uow.session.scalars(
        select(PersonalBest)
        .where(PersonalBest.runner_id == runner_id)
        .order_by(PersonalBest.seconds, PersonalBest.local_date, PersonalBest.id)
    )
    best: dict[str, BestRecord] = {}
    for row in rows:
        best.setdefault(row.distance, _record(row))
    return best


async def all_bests(uow: UnitOfWork, runner_id: int) -> list[BestRecord]:
    """Every best the runner has set, oldest first (their progression; export)."""
    rows = await uow.session.scalars(
        select(PersonalBest)
        .where(PersonalBest.runner_id == runner_id)
        .order_by(PersonalBest.local_date, PersonalBest.id)
    )
    return [_record(row) for row in rows]


async def add_bests(
    uow: UnitOfWork, runner_id: int, records: Sequence[BestRecord], now: datetime
) -> None:
    """Store new bests (the caller has checked that they are bests)."""
    for record in records:
        uow.session.add(PersonalBest(
            runner_id=runner_id, distance=record.distance, distance_m=record.distance_m,
            seconds=record.seconds, local_date=record.local_date, kind=record.kind,
            source=record.source, run_log_id=record.run_log_id, created_at=now,
        ))
    await uow.session.flush()


async def delete_bests_of_log(uow: UnitOfWork, runner_id: int, run_log_id: int) -> int:
    """Remove the bests a log set (the foreign key does it too; this keeps the session's view
    right within one unit of work). How many were removed."""
    result = await uow.session.execute(
        delete(PersonalBest).where(
            PersonalBest.runner_id == runner_id, PersonalBest.run_log_id == run_log_id
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class FitnessRecord:
    """The mile time (and goal) a result replaced, and the mile it set."""

    mile_before: float | None
    mile_after: float
    goal_before: float | None


async def add_fitness_change(
    uow: UnitOfWork, runner_id: int, run_log_id: int | None, record: FitnessRecord,
    now: datetime,
) -> None:
    uow.session.add(FitnessChange(
        runner_id=runner_id, run_log_id=run_log_id, mile_before=record.mile_before,
        mile_after=record.mile_after, goal_before=record.goal_before, created_at=now,
    ))
    await uow.session.flush()


async def fitness_change_of_log(
    uow: UnitOfWork, runner_id: int, run_log_id: int
) -> FitnessRecord | None:
    """The change a log made (the latest, if several), or None."""
    row = await uow.session.scalar(
        select(FitnessChange)
        .where(FitnessChange.runner_id == runner_id, FitnessChange.run_log_id == run_log_id)
        .order_by(FitnessChange.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return FitnessRecord(row.mile_before, row.mile_after, row.goal_before)


def _record(row: PersonalBest) -> BestRecord:
    return BestRecord(
        distance=row.distance, distance_m=row.distance_m, seconds=row.seconds,
        local_date=row.local_date, kind=row.kind, source=row.source, run_log_id=row.run_log_id,
    )
