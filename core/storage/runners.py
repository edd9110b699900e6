"""Repository for runners and the platform identities they write from.

Not plain, on purpose: `find` and `add` return the `Runner` model object, because the
dispatcher hands it to handlers as `ctx.runner` and they change the runner's profile on it
(the unit of work writes that back). Everything else is plain: `Reach` is a dataclass of the
identity's fields a message may change. Finding runner and identity together is one
hand-written statement (`core.storage.direct`): it runs on every message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean

from core.storage import direct
from core.storage.models import Identity, Runner, UTCDateTime

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork


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
        runner = direct.as_loaded(uow, Runner, _RUNNER.values(row))
        identity = _IDENTITY.values(row, len(_RUNNER.keys))
        return runner, Reach(identity["id"], identity["last_seen_at"], identity["chat_id"],
                             identity["reachable"], identity["unreachable_reason"])

    async def add(
        self, display_name: str, platform: str, external_id: str, chat_id: str | None,
        now: datetime,
    ) -> Runner:
        """A new runner (not yet onboarded) with their first platform identity."""
        session = self._uow.session
        runner = Runner(display_name=display_name, created_at=now, updated_at=now)
        session.add(runner)
        await session.flush()
        session.add(
            Identity(
                runner_id=runner.id, platform=platform, external_id=external_id,
                chat_id=chat_id, last_seen_at=now,
            )
        )
        return runner

    async def delete(self, runner: Runner) -> None:
        """Erase the runner and everything stored about them (the database cascades)."""
        session = self._uow.session
        await session.delete(runner)
        await session.flush()

    async def update_reach(self, reach: Reach, changes: dict[str, Any]) -> None:
        """Write `changes` (a subset of `Reach`'s fields) to the identity."""
        await direct.run(self._uow, _UPDATE_IDENTITY, {**vars(reach), **changes})
        self._uow.written(Identity, (reach.id,), changes)


# Runner and identity in one statement (`core.storage.direct`): this runs on every message.
_RUNNER, _IDENTITY = direct.Columns.of(Runner), direct.Columns.of(Identity)
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
