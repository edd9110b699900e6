"""Finding and creating runners by their platform identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Boolean

from core.messages import Request
from core.storage import direct
from core.storage.models import Identity, Runner, UTCDateTime
from core.storage.unit_of_work import UnitOfWork

# "Last seen" is kept to the hour: writing it on every message would cost a statement each time.
SEEN_RESOLUTION = timedelta(hours=1)

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


async def find_runner(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool = False
) -> Runner | None:
    """The runner behind a platform identity; `lock` serialises writers of one runner."""
    found = await _find(uow, platform, external_id, lock=lock)
    return None if found is None else found[0]


@dataclass
class _Reach:
    """The identity's fields a message may update (written directly: no ORM object)."""

    id: int
    last_seen_at: datetime
    chat_id: str | None
    reachable: bool
    unreachable_reason: str | None


async def _find(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool
) -> tuple[Runner, _Reach] | None:
    stmt = _BY_IDENTITY_LOCKED if lock and uow.dialect == "postgresql" else _BY_IDENTITY
    row = await direct.first(uow, stmt, {"platform": platform, "external_id": external_id})
    if row is None:
        return None
    runner = direct.as_loaded(uow, Runner, _RUNNER.values(row))
    identity = _IDENTITY.values(row, len(_RUNNER.keys))
    return runner, _Reach(identity["id"], identity["last_seen_at"], identity["chat_id"],
                          identity["reachable"], identity["unreachable_reason"])


async def runner_for_request(uow: UnitOfWork, req: Request, now: datetime) -> Runner:
    """The sender's runner, created (not yet onboarded) on first contact.

    Writing to Pacer again also makes a runner reachable again after they had blocked the bot.
    One statement finds runner and identity together (this runs on every message).
    """
    found = await _find(uow, req.platform.value, req.user_id, lock=True)
    if found is None:
        runner = Runner(display_name=req.display_name[:100], created_at=now, updated_at=now)
        uow.session.add(runner)
        await uow.session.flush()
        uow.session.add(
            Identity(
                runner_id=runner.id,
                platform=req.platform.value,
                external_id=req.user_id,
                chat_id=None if req.in_group else req.chat_id,
                last_seen_at=now,
            )
        )
        return runner
    runner, identity = found
    await _seen(uow, identity, req, now)
    if req.display_name and runner.display_name != req.display_name[:100]:
        runner.display_name = req.display_name[:100]
    return runner


async def _seen(uow: UnitOfWork, identity: _Reach, req: Request, now: datetime) -> None:
    """Note when the runner was last seen (to the hour) and, in a private chat, where to reach
    them. Written directly: most messages change nothing, and a runner's first message of the
    day changes `last_seen_at` only."""
    changes: dict[str, Any] = {}
    if now - identity.last_seen_at > SEEN_RESOLUTION:
        changes["last_seen_at"] = now
    if not req.in_group:
        reached = {"chat_id": req.chat_id, "reachable": True, "unreachable_reason": None}
        changes |= {k: v for k, v in reached.items() if getattr(identity, k) != v}
    if changes:
        await direct.run(uow, _UPDATE_IDENTITY, {**vars(identity), **changes})
        uow.written(Identity, (identity.id,), changes)


_UPDATE_IDENTITY = direct.Statement(
    "UPDATE identities SET last_seen_at = :last_seen_at, chat_id = :chat_id, "
    "reachable = :reachable, unreachable_reason = :unreachable_reason WHERE id = :id",
    params={"last_seen_at": UTCDateTime(), "reachable": Boolean()},
)
