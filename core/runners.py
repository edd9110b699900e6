"""Finding and creating runners by their platform identity."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, select

from core.messages import Request
from core.storage.models import Identity, Runner, StreakState
from core.storage.unit_of_work import UnitOfWork

# "Last seen" is kept to the hour: writing it on every message would cost a statement each time.
SEEN_RESOLUTION = timedelta(hours=1)


def _by_identity(
    platform: str, external_id: str, *, lock: bool, sqlite: bool
) -> Select[Runner, Identity]:
    """Runner and identity in one statement (this runs on every message). On SQLite the cached
    streak comes along (outer join), so the logging commands find it in the session instead
    of querying again. On PostgreSQL `lock` serialises writers of one runner (SQLite's write
    transactions run one at a time), and the streak is read after the lock: a writer that
    waited for it must see the previous writer's streak."""
    stmt = (
        select(Runner, Identity)
        .join(Identity, Identity.runner_id == Runner.id)
        .where(Identity.platform == platform, Identity.external_id == external_id)
    )
    if sqlite:
        with_streak = stmt.outerjoin(StreakState, StreakState.runner_id == Runner.id)
        return with_streak.add_columns(StreakState)
    elif lock:
        stmt = stmt.with_for_update(of=Runner)
    return stmt


async def find_runner(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool = False
) -> Runner | None:
    """The runner behind a platform identity; `lock` serialises writers of one runner."""
    found = await _find(uow, platform, external_id, lock=lock)
    return None if found is None else found[0]


async def _find(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool
) -> tuple[Runner, Identity] | None:
    stmt = _by_identity(platform, external_id, lock=lock, sqlite=uow.dialect == "sqlite")
    row = (await uow.session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


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
    _seen(identity, req, now)
    if req.display_name and runner.display_name != req.display_name[:100]:
        runner.display_name = req.display_name[:100]
    return runner


def _seen(identity: Identity, req: Request, now: datetime) -> None:
    """Note when the runner was last seen (to the hour) and, in a private chat, where to reach
    them. Most messages change nothing; a runner's first message of the day changes
    `last_seen_at` only (the session writes only the columns that changed)."""
    if now - identity.last_seen_at > SEEN_RESOLUTION:
        identity.last_seen_at = now
    if not req.in_group:
        if identity.chat_id != req.chat_id:
            identity.chat_id = req.chat_id
        if not identity.reachable:
            identity.reachable = True
        if identity.unreachable_reason is not None:
            identity.unreachable_reason = None
