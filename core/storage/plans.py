"""Repository for stored plans: the days planned ahead and what the runner did in a window.

Takes and returns plain values: a planned day is a `StoredDay`, read directly (no ORM object
to change behind the repository's back); a replan writes the days from today on again, in one
multi-row insert. Everything runs in the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import JSON, Date, Float, Integer, Table, insert
from sqlalchemy.types import TypeEngine

from core.storage import direct
from core.storage.models import PlannedSession, UTCDateTime

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class StoredDay:
    """One calendar day of a runner's plan as stored (rest days included)."""

    date: date
    week: int
    type: str
    title: str
    minutes: int
    run_minutes: int  # 0: the day asks for no logged run
    intensity: str
    key: bool
    detail: dict[str, Any]  # the plan JSON's day, with the session `text` and the `paces`


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
    days: Sequence[StoredDay]


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

    async def mile_result(self, runner_id: int) -> tuple[date, float] | None:
        """The local day and mile time of the latest result that set the runner's mile
        (`core.results`), or None when none did or it has no run log."""
        found = await direct.rows(self._uow, _MILE_RESULT, {"runner_id": runner_id})
        return (found[0][0], float(found[0][1])) if found else None

    async def replace_from(self, today: date, plan: NewPlan) -> None:
        """Store `plan` and make its days the runner's from `today` on (earlier days keep what
        was planned then)."""
        uow, runner_id = self._uow, plan.runner_id
        header = {"runner_id": runner_id, "start": plan.start_date, "end": plan.end_date,
                  "athlete": plan.athlete, "created_at": plan.created_at}
        [(plan_id,)] = await direct.rows(uow, _INSERT_PLAN, header)
        await direct.run(uow, _DELETE_FROM, {"runner_id": runner_id, "today": today})
        rows = [{**_values(day), "runner_id": runner_id, "plan_id": plan_id} for day in plan.days]
        if rows:  # one multi-row insert: the ORM's flush of 28 objects cost ten times as much
            await uow.session.execute(insert(cast(Table, PlannedSession.__table__)), rows)

    async def last_day(self, runner_id: int) -> date | None:
        """The last day the runner's stored plan reaches, if any."""
        row = await direct.first(self._uow, _LAST_DAY, {"runner_id": runner_id})
        return None if row is None else cast(date | None, row[0])

    async def day(self, runner_id: int, day: date) -> StoredDay | None:
        row = await direct.first(self._uow, _DAY, {"runner_id": runner_id, "day": day})
        return None if row is None else StoredDay(*row)

    async def between(self, runner_id: int, first: date, last: date) -> list[StoredDay]:
        window = {"runner_id": runner_id, "first": first, "last": last}
        return [StoredDay(*row) for row in await direct.rows(self._uow, _BETWEEN, window)]

    async def next_run(self, runner_id: int, after: date) -> StoredDay | None:
        """The first planned day after `after` that asks for a run."""
        row = await direct.first(self._uow, _NEXT_RUN, {"runner_id": runner_id, "after": after})
        return None if row is None else StoredDay(*row)

    async def run_days_between(self, runner_id: int, first: date, last: date) -> list[date]:
        """The days `first`..`last` whose plan asks for a run, in order."""
        window = {"runner_id": runner_id, "first": first, "last": last}
        return [row[0] for row in await direct.rows(self._uow, _RUN_DAYS_BETWEEN, window)]

    async def all_days(self, runner_id: int) -> list[StoredDay]:
        """Every stored planned day of the runner (for the calendar export), by date."""
        rows = await direct.rows(self._uow, _ALL_DAYS, {"runner_id": runner_id})
        return [StoredDay(*row) for row in rows]


_FIELDS = tuple(f.name for f in fields(StoredDay))


def _values(day: StoredDay) -> dict[str, Any]:
    """A day's column values (`runner_id` and `plan_id` apart)."""
    return {name: getattr(day, name) for name in _FIELDS}


# Run directly (`core.storage.direct`): /today, /week, /skip and every replan read them.
_TABLE = cast(Table, PlannedSession.__table__)
_DAY_SQL = f"SELECT {', '.join(_FIELDS)} FROM planned_sessions WHERE runner_id = :runner_id"
_DAY_TYPES = tuple(_TABLE.c[name].type for name in _FIELDS)
_DAY = direct.Statement(f"{_DAY_SQL} AND date = :day", {"day": Date()}, _DAY_TYPES)
_BETWEEN = direct.Statement(
    f"{_DAY_SQL} AND date BETWEEN :first AND :last ORDER BY date",
    {"first": Date(), "last": Date()}, _DAY_TYPES,
)
_NEXT_RUN = direct.Statement(
    f"{_DAY_SQL} AND date > :after AND run_minutes > 0 ORDER BY date LIMIT 1",
    {"after": Date()}, _DAY_TYPES,
)
_ALL_DAYS = direct.Statement(f"{_DAY_SQL} ORDER BY date", {}, _DAY_TYPES)
_RUN_DAYS_BETWEEN = direct.Statement(
    "SELECT date FROM planned_sessions WHERE runner_id = :runner_id "
    "AND date BETWEEN :first AND :last AND run_minutes > 0 ORDER BY date",
    {"first": Date(), "last": Date()}, (Date(),),
)
_LAST_DAY = direct.Statement(
    "SELECT max(date) FROM planned_sessions WHERE runner_id = :runner_id", {}, (Date(),)
)
_INSERT_PLAN = direct.Statement(
    "INSERT INTO plans (runner_id, start_date, end_date, athlete, created_at) "
    "VALUES (:runner_id, :start, :end, :athlete, :created_at) RETURNING id",
    {"start": Date(), "end": Date(), "athlete": JSON(), "created_at": UTCDateTime()},
    (Integer(),),
)
_DELETE_FROM = direct.Statement(
    "DELETE FROM planned_sessions WHERE runner_id = :runner_id AND date >= :today",
    {"today": Date()},
)

# What a replan adapts to.
_WINDOW: dict[str, TypeEngine[Any]] = {"since": Date(), "until": Date()}
_DONE_BY_DAY = direct.Statement(
    "SELECT local_date, sum(coalesce(minutes, 0)), count(*), "
    "sum(CASE WHEN minutes IS NULL THEN coalesce(distance_m, 0) ELSE 0 END) FROM run_logs "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :since AND :until "
    "GROUP BY local_date",
    params=_WINDOW,
    columns=(Date(), Float(), Integer(), Float()),
)
_MILE_RESULT = direct.Statement(
    "SELECT r.local_date, f.mile_after FROM fitness_changes f "
    "JOIN run_logs r ON r.id = f.run_log_id "
    "WHERE f.runner_id = :runner_id ORDER BY f.id DESC LIMIT 1",
    columns=(Date(), Float()),
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
