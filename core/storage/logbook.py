"""Repository behind `core.logbook`: logged runs, skips and plan days as `/done`, `/undo`,
`/skip` and the streak read them, and the cached streak figures.

Plain values only (`StoredLog`, `StoredSkip`, `PlannedRow`, `StreakRow` named tuples). Every
statement is hand-written and run through `core.storage.direct` (the fast path of `/done`);
`window` reads a runner's logs, skips, plan days and challenge ids in one `UNION ALL`
statement, since each statement is a trip to the database (on SQLite, to aiosqlite's thread).
Everything runs in the caller's unit of work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text
from sqlalchemy.types import TypeEngine

from core.storage import direct
from core.storage.models import StreakState, UTCDateTime

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


class StoredLog(NamedTuple):
    """A logged run as it is read back (`/done`'s logbook, `/logs`; no ORM object)."""

    id: int
    local_date: date
    logged_at: datetime
    minutes: float | None
    distance_m: float | None
    note: str
    as_planned: bool
    intensity: str
    session_type: str | None  # the planned session it was logged against, if any


class StoredSkip(NamedTuple):
    """A skipped day, as the logbook reads it."""

    id: int
    local_date: date


class PlannedRow(NamedTuple):
    """A stored plan day, as the logbook reads it: what `/done` says about and stores with it."""

    date: date
    type: str
    title: str
    minutes: int
    run_minutes: int
    intensity: str


class StreakRow(NamedTuple):
    """The cached streak as stored; `checkpoint` is its JSON, None when there is none."""

    current: int
    best: int
    as_of: date | None
    checkpoint: Any


class LogbookWindow(NamedTuple):
    """A runner's logs and skips for some days, their plan days for others and the ids of the
    challenges they are in (with a given status), read together."""

    logs: list[StoredLog]  # in the order they were made
    skips: list[StoredSkip]
    planned: list[PlannedRow]  # by date
    challenge_ids: list[int]


class LogbookRepository:
    """A runner's logs, skips, plan days and cached streak, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def add_log(self, values: dict[str, Any]) -> int:
        """Insert a run (`runner_id`, `local_date`, `logged_at`, `minutes`, `distance_m`,
        `note`, `as_planned`, `intensity`, `session_type`, `source`); its id."""
        row = await direct.first(self._uow, _INSERT_LOG, values)
        if row is None:  # pragma: no cover - RETURNING always answers
            raise RuntimeError("the run log insert returned no id")
        return int(row[0])

    async def logs(self, runner_id: int, first: date, last: date) -> list[StoredLog]:
        """Logs for local days `first`..`last`, in the order they were made."""
        window = {"runner_id": runner_id, "first": first, "last": last}
        return [StoredLog(*row) for row in await direct.rows(self._uow, _LOGS_BETWEEN, window)]

    async def last_log(self, runner_id: int) -> StoredLog | None:
        """The runner's most recently made log (by when it was logged)."""
        row = await direct.first(self._uow, _LAST_LOG, {"runner_id": runner_id})
        return None if row is None else StoredLog(*row)

    async def window(
        self, runner_id: int, first: date, last: date, plan_first: date, plan_last: date,
        challenge_status: str,
    ) -> LogbookWindow:
        """Logs and skips for local days `first`..`last`, the plan days
        `plan_first`..`plan_last` and the ids of the runner's challenges with status
        `challenge_status` (what a logged run counts towards), in one statement."""
        params = {"runner_id": runner_id, "first": first, "last": last,
                  "plan_first": plan_first, "plan_last": plan_last,
                  "challenge_status": challenge_status}
        found = LogbookWindow([], [], [], [])
        for kind, id_, day, logged_at, minutes, distance_m, note, as_planned, intensity, \
                type_, title, plan_minutes, run_minutes, session_type in await direct.rows(
                    self._uow, _WINDOW, params):
            if kind == "L":
                found.logs.append(StoredLog(id_, day, logged_at, minutes, distance_m, note,
                                            as_planned, intensity, session_type))
            elif kind == "S":
                found.skips.append(StoredSkip(id_, day))
            elif kind == "C":
                found.challenge_ids.append(id_)
            else:
                found.planned.append(PlannedRow(day, type_, title, plan_minutes, run_minutes,
                                                intensity))
        return found

    async def log_fingerprint(self, runner_id: int, first: date, last: date) -> tuple[int, int]:
        """How many logs there are for days `first`..`last`, and the sum of their ids."""
        window = {"runner_id": runner_id, "first": first, "last": last}
        row = await direct.first(self._uow, _LOGS_UP_TO, window)
        return (0, 0) if row is None else (int(row[0]), int(row[1]))

    async def delete_skip(self, skip_id: int) -> None:
        await direct.run(self._uow, _DELETE_SKIP, {"id": skip_id})

    async def streak(self, runner_id: int) -> StreakRow | None:
        """The cached streak, read directly (after the runner lock on PostgreSQL: a writer
        that waited for it sees the previous writer's streak)."""
        row = await direct.first(self._uow, _STREAK_BY_RUNNER, {"runner_id": runner_id})
        return None if row is None else StreakRow(*row)

    async def write_streak(self, figures: dict[str, Any], *, new: bool) -> None:
        """Store `runner_id`, `current`, `best`, `as_of`, `updated_at` and `checkpoint`
        (inserted when `new`); the session's copy, if it holds one, shows them too."""
        await direct.run(self._uow, _INSERT_STREAK if new else _UPDATE_STREAK, figures)
        self._uow.written(StreakState, (figures["runner_id"],), figures)


_LOG_COLUMNS = (
    "id, local_date, logged_at, minutes, distance_m, note, as_planned, intensity, session_type"
)
_LOG_TYPES = (Integer(), Date(), UTCDateTime(), Float(), Float(), Text(), Boolean(), String(),
              String())
_LOGS_BETWEEN = direct.Statement(
    f"SELECT {_LOG_COLUMNS} "
    "FROM run_logs WHERE runner_id = :runner_id AND local_date BETWEEN :first AND :last "
    "ORDER BY logged_at, id",
    params={"first": Date(), "last": Date()},
    columns=_LOG_TYPES,
)
_LAST_LOG = direct.Statement(
    f"SELECT {_LOG_COLUMNS} FROM run_logs WHERE runner_id = :runner_id "
    "ORDER BY logged_at DESC, id DESC LIMIT 1",
    columns=_LOG_TYPES,
)
# One row a log ('L'), skip ('S'), plan day ('P') or challenge ('C'); the columns a kind lacks
# are NULL (typed in the first branch, for PostgreSQL's UNION type resolution).
# Logs come in the order they were made, plan days by date (their logged_at and id are NULL).
_WINDOW = direct.Statement(
    "SELECT 'L', id, local_date, logged_at, minutes, distance_m, note, as_planned, intensity, "
    "CAST(NULL AS VARCHAR(20)), CAST(NULL AS VARCHAR(200)), CAST(NULL AS INTEGER), "
    "CAST(NULL AS INTEGER), session_type FROM run_logs "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :first AND :last "
    "UNION ALL SELECT 'S', id, local_date, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL FROM skips "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :first AND :last "
    "UNION ALL SELECT 'P', NULL, date, NULL, NULL, NULL, NULL, NULL, intensity, "
    "type, title, minutes, run_minutes, NULL FROM planned_sessions "
    "WHERE runner_id = :runner_id AND date BETWEEN :plan_first AND :plan_last "
    "UNION ALL SELECT 'C', challenges.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL FROM challenges JOIN challenge_members "
    "ON challenge_members.challenge_id = challenges.id "
    "WHERE challenge_members.runner_id = :runner_id AND challenges.status = :challenge_status "
    "ORDER BY 1, 4, 2, 3",
    params={"first": Date(), "last": Date(), "plan_first": Date(), "plan_last": Date()},
    columns=(String(), Integer(), Date(), UTCDateTime(), Float(), Float(), Text(), Boolean(),
             String(), String(), String(), Integer(), Integer(), String()),
)
_INSERT_LOG = direct.Statement(
    "INSERT INTO run_logs (runner_id, local_date, logged_at, minutes, distance_m, note, "
    "as_planned, intensity, session_type, source) VALUES (:runner_id, :local_date, "
    ":logged_at, :minutes, :distance_m, :note, :as_planned, :intensity, :session_type, "
    ":source) RETURNING id",
    params={"local_date": Date(), "logged_at": UTCDateTime(), "as_planned": Boolean()},
    columns=(Integer(),),
)
_DELETE_SKIP = direct.Statement("DELETE FROM skips WHERE id = :id")
_LOGS_UP_TO = direct.Statement(
    "SELECT count(*), coalesce(sum(id), 0) FROM run_logs "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :first AND :last",
    params={"first": Date(), "last": Date()},
    columns=(Integer(), Integer()),
)
_STREAK_BY_RUNNER = direct.Statement(
    "SELECT current, best, as_of, checkpoint FROM streak_states WHERE runner_id = :runner_id",
    columns=(Integer(), Integer(), Date(), JSON()),
)
_STREAK_TYPES: dict[str, TypeEngine[Any]] = {
    "as_of": Date(), "updated_at": UTCDateTime(), "checkpoint": JSON()
}
_INSERT_STREAK = direct.Statement(
    "INSERT INTO streak_states (runner_id, current, best, as_of, updated_at, checkpoint) "
    "VALUES (:runner_id, :current, :best, :as_of, :updated_at, :checkpoint)",
    params=_STREAK_TYPES,
)
_UPDATE_STREAK = direct.Statement(
    "UPDATE streak_states SET current = :current, best = :best, as_of = :as_of, "
    "updated_at = :updated_at, checkpoint = :checkpoint WHERE runner_id = :runner_id",
    params=_STREAK_TYPES,
)
