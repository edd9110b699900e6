"""Repository for runners and the platform identities they write from.

Plain values in and out: `Runner` is a dataclass of the profile's columns (the ORM class
`core.storage.models.Runner` never leaves `core.storage`), `Reach` one of the identity's fields
a message may change. Nothing is written behind the caller's back: whoever changes a runner
stores it with `save(runner, stored)`, which writes the columns that differ from the runner as
it was found, and costs no statement when none does. Finding runner and identity together is
one hand-written statement (`core.storage.direct`): it runs on every message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, select

from core.storage import direct, models
from core.storage.models import Identity, UTCDateTime

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


@dataclass(kw_only=True)
class Runner:
    """A person training with Pacer, as stored: a plain value. Change it freely; nothing is
    stored until `RunnerRepository.save` (the dispatcher saves the request's runner).

    Defaults are the database's, for tests and new runners."""

    id: int
    display_name: str = ""
    level: str = "beginner"
    training_days: str = "0,2,5"  # weekdays, 0=Mon
    mile_time_s: float | None = None
    goal_s: float | None = None
    race_date: date | None = None
    race_start: str | None = None  # local HH:MM
    tz: str = "UTC"
    units: str = "km"
    reminder_time: str = "07:00"  # local HH:MM
    quiet: bool = False
    nudges: bool = True
    onboarded: bool = False
    plan_start: date | None = None
    conversation: dict[str, Any] | None = None  # a guided conversation in progress
    created_at: datetime
    updated_at: datetime


RUNNER_FIELDS = tuple(f.name for f in fields(Runner))


@dataclass
class Reach:
    """The identity's fields a message may update (written directly: no ORM object)."""

    id: int
    last_seen_at: datetime
    chat_id: str | None
    reachable: bool
    unreachable_reason: str | None


class RunnerRepository:
    """Runners by platform identity, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def find(
        self, platform: str, external_id: str, *, lock: bool = False
    ) -> tuple[Runner, Reach] | None:
        """The runner behind a platform identity and the identity's reach; `lock` serialises
        writers of one runner (PostgreSQL; SQLite's write transactions run one at a time)."""
        uow = self._uow
        stmt = _BY_IDENTITY_LOCKED if lock and uow.dialect == "postgresql" else _BY_IDENTITY
        row = await direct.first(uow, stmt, {"platform": platform, "external_id": external_id})
        if row is None:
            return None
        runner = Runner(**_RUNNER.values(row))
        identity = _IDENTITY.values(row, len(_RUNNER.keys))
        return runner, Reach(identity["id"], identity["last_seen_at"], identity["chat_id"],
                             identity["reachable"], identity["unreachable_reason"])

    async def add(
        self, display_name: str, platform: str, external_id: str, chat_id: str | None,
        now: datetime,
    ) -> Runner:
        """A new runner (not yet onboarded) with their first platform identity."""
        session = self._uow.session
        row = models.Runner(display_name=display_name, created_at=now, updated_at=now)
        session.add(row)
        await session.flush()  # the id, and the columns' defaults
        session.add(
            Identity(
                runner_id=row.id, platform=platform, external_id=external_id,
                chat_id=chat_id, last_seen_at=now,
            )
        )
        return Runner(**{name: getattr(row, name) for name in RUNNER_FIELDS})

    async def save(self, runner: Runner, stored: Runner) -> bool:
        """Write the fields in which `runner` differs from `stored` (the runner as found):
        one UPDATE of those columns; no statement when nothing changed (most messages).
        True when something was written. A runner deleted meanwhile stays deleted."""
        if runner == stored:
            return False
        changes = {name: value for name in RUNNER_FIELDS
                   if (value := getattr(runner, name)) != getattr(stored, name)}
        await direct.run(self._uow, _update(tuple(changes)), {**changes, "id": stored.id})
        self._uow.written(models.Runner, (stored.id,), changes)
        return True

    async def delete(self, runner_id: int) -> None:
        """Erase the runner and everything stored about them (the database cascades)."""
        await self._uow.session.flush()  # what the session still holds goes first
        await direct.run(self._uow, _DELETE, {"id": runner_id})

    async def update_reach(self, reach: Reach, changes: dict[str, Any]) -> None:
        """Write `changes` (a subset of `Reach`'s fields) to the identity."""
        await direct.run(self._uow, _UPDATE_IDENTITY, {**vars(reach), **changes})
        self._uow.written(Identity, (reach.id,), changes)


async def runners_by_id(uow: UnitOfWork, ids: Sequence[int]) -> list[Runner]:
    """These runners (the scheduler's plan upkeep and race pushes), by id."""
    if not ids:
        return []
    columns = models.Runner.__table__.columns
    found = await uow.session.execute(
        select(*columns).where(columns.id.in_(list(ids))).order_by(columns.id)
    )
    return [Runner(**_RUNNER.values(tuple(row))) for row in found]


# Runner and identity in one statement (`core.storage.direct`): this runs on every message.
_RUNNER, _IDENTITY = direct.Columns.of(models.Runner), direct.Columns.of(Identity)
if set(_RUNNER.keys) != set(RUNNER_FIELDS):  # pragma: no cover - a column only on one side
    raise TypeError(f"Runner's fields {RUNNER_FIELDS} are not its columns {_RUNNER.keys}")
_BY_IDENTITY_SQL = (
    f"SELECT {_RUNNER.sql}, {_IDENTITY.sql} FROM runners "
    "JOIN identities ON identities.runner_id = runners.id "
    "WHERE identities.platform = :platform AND identities.external_id = :external_id"
)
_COLUMN_TYPES = (*_RUNNER.types, *_IDENTITY.types)
_BY_IDENTITY = direct.Statement(_BY_IDENTITY_SQL, columns=_COLUMN_TYPES)
# PostgreSQL: one writer a runner at a time (SQLite's write transactions run one at a time).
_BY_IDENTITY_LOCKED = direct.Statement(
    _BY_IDENTITY_SQL + " FOR UPDATE OF runners", columns=_COLUMN_TYPES
)
_UPDATE_IDENTITY = direct.Statement(
    "UPDATE identities SET last_seen_at = :last_seen_at, chat_id = :chat_id, "
    "reachable = :reachable, unreachable_reason = :unreachable_reason WHERE id = :id",
    params={"last_seen_at": UTCDateTime(), "reachable": Boolean()},
)
_DELETE = direct.Statement("DELETE FROM runners WHERE id = :id")
_TYPES = dict(zip(_RUNNER.keys, _RUNNER.types, strict=True))
_UPDATES: dict[tuple[str, ...], direct.Statement] = {}


def _update(names: tuple[str, ...]) -> direct.Statement:
    """`UPDATE runners SET <names> WHERE id = :id`, made once for each set of columns (a
    handler changes one or a few: /units the units, an answer the conversation)."""
    found = _UPDATES.get(names)
    if found is None:
        found = _UPDATES[names] = direct.Statement(
            f"UPDATE runners SET {', '.join(f'{n} = :{n}' for n in names)} WHERE id = :id",
            params={n: _TYPES[n] for n in names},
        )
    return found

