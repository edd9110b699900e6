"""Repository for stored plans: the days planned ahead and what the runner did in a window.

Takes and returns plain values, except the planned days themselves: `day`, `between` and
`next_run` return `PlannedSession` model rows (read-only to callers — a replan replaces them,
nothing edits one), because the plan's renderers read their `detail` JSON as stored.
Everything runs in the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import Date, Float, Integer, Table, bindparam, delete, func, insert, select
from sqlalchemy.types import TypeEngine

from core.storage import direct
from core.storage.models import Plan, PlannedSession

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


class DayDone(NamedTuple):
    """One local day's logs, summed: timed minutes, how many, and untimed distance."""

    day: date
    minutes: float
    logs: int
    untimed_m: float


class Activity(NamedTuple):
    """What the runner did in a window of local days (the plan adapts to it)."""

    done: list[DayDone]
    skipped: frozenset[date]
    sleep: dict[date, float]


class NewPlan(NamedTuple):
    """A generated plan to store: its header and its days (column name to value)."""

    runner_id: int
    start_date: date
    end_date: date
    athlete: dict[str, Any]
    created_at: datetime
    days: Sequence[dict[str, Any]]  # without runner_id and plan_id: the repository adds them


class PlanRepository:
    """Stored plans of runners, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def activity(self, runner_id: int, since: date, until: date) -> Activity:
        """Logs per day, skipped days and sleep for local days `since`..`until`."""
        uow, window = self._uow, {"runner_id": runner_id, "since": since, "until": until}
        done = [
            DayDone(day, float(minutes or 0), int(count), float(untimed or 0))
            for day, minutes, count, untimed in await direct.rows(uow, _DONE_BY_DAY, window)
        ]
        skipped = frozenset(row[0] for row in await direct.rows(uow, _SKIPPED_DAYS, window))
        sleep = {day: hours for day, hours in await direct.rows(uow, _SLEEP_BY_DAY, window)}
        return Activity(done, skipped, sleep)

    async def replace_from(self, today: date, plan: NewPlan) -> None:
        """Store `plan` and make its days the runner's from `today` on (earlier days keep what
        was planned then)."""
        session = self._uow.session
        record = Plan(
            runner_id=plan.runner_id, start_date=plan.start_date, end_date=plan.end_date,
            athlete=plan.athlete, created_at=plan.created_at,
        )
        session.add(record)
        await session.flush()
        await session.execute(
            delete(PlannedSession).where(
                PlannedSession.runner_id == plan.runner_id, PlannedSession.date >= today
            )
        )
        rows = [{**day, "runner_id": plan.runner_id, "plan_id": record.id} for day in plan.days]
        if rows:  # one multi-row insert: the ORM's flush of 28 objects cost ten times as much
            await session.execute(insert(cast(Table, PlannedSession.__table__)), rows)

    async def last_day(self, runner_id: int) -> date | None:
        """The last day the runner's stored plan reaches, if any."""
        return await self._uow.session.scalar(
            select(func.max(PlannedSession.date)).where(PlannedSession.runner_id == runner_id)
        )

    async def day(self, runner_id: int, day: date) -> PlannedSession | None:
        return await self._uow.session.scalar(_PLANNED_DAY, {"runner_id": runner_id, "day": day})

    async def between(self, runner_id: int, first: date, last: date) -> list[PlannedSession]:
        rows = await self._uow.session.scalars(
            select(PlannedSession)
            .where(PlannedSession.runner_id == runner_id, PlannedSession.date.between(first, last))
            .order_by(PlannedSession.date)
        )
        return list(rows)

    async def next_run(self, runner_id: int, after: date) -> PlannedSession | None:
        """The first planned day after `after` that asks for a run."""
        row: PlannedSession | None = await self._uow.session.scalar(
            select(PlannedSession)
            .where(
                PlannedSession.runner_id == runner_id,
                PlannedSession.date > after,
                PlannedSession.run_minutes > 0,
            )
            .order_by(PlannedSession.date)
            .limit(1)
        )
        return row

    async def run_days_between(self, runner_id: int, first: date, last: date) -> list[date]:
        """The days `first`..`last` whose plan asks for a run, in order."""
        days = await self._uow.session.scalars(
            select(PlannedSession.date)
            .where(
                PlannedSession.runner_id == runner_id,
                PlannedSession.date.between(first, last),
                PlannedSession.run_minutes > 0,
            )
            .order_by(PlannedSession.date)
        )
        return list(days)

    async def all_days(self, runner_id: int) -> list[PlannedSession]:
        """Every stored planned day of the runner (for the calendar export), by date."""
        rows = await self._uow.session.scalars(
            select(PlannedSession)
            .where(PlannedSession.runner_id == runner_id)
            .order_by(PlannedSession.date)
        )
        return list(rows)


_PLANNED_DAY = select(PlannedSession).where(  # built once: /today and /done run it
    PlannedSession.runner_id == bindparam("runner_id"), PlannedSession.date == bindparam("day")
)

# Run directly (`core.storage.direct`): every replan reads them.
_WINDOW: dict[str, TypeEngine[Any]] = {"since": Date(), "until": Date()}
_DONE_BY_DAY = direct.Statement(
    "SELECT local_date, sum(coalesce(minutes, 0)), count(*), "
    "sum(CASE WHEN minutes IS NULL THEN coalesce(distance_m, 0) ELSE 0 END) FROM run_logs "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :since AND :until "
    "GROUP BY local_date",
    params=_WINDOW,
    columns=(Date(), Float(), Integer(), Float()),
)
_SKIPPED_DAYS = direct.Statement(
    "SELECT local_date FROM skips "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :since AND :until",
    params=_WINDOW,
    columns=(Date(),),
)
_SLEEP_BY_DAY = direct.Statement(
    "SELECT local_date, hours FROM sleep_logs "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :since AND :until",
    params=_WINDOW,
    columns=(Date(), Float()),
)
