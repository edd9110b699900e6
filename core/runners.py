"""Finding and creating runners by their platform identity."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import contains_eager

from core.messages import Request
from core.storage.models import Identity, Runner, StreakState
from core.storage.unit_of_work import UnitOfWork

# "Last seen" is kept to the hour: writing it on every message would cost a statement each time.
SEEN_RESOLUTION = timedelta(hours=1)


def _by_identity() -> Select[Runner, Identity]:
    # The cached streak comes along (into the session, where `session.get` finds it): logging
    # commands read and write it, and it costs a join here instead of a query there.
    return (
        select(Runner, Identity)
        .join(Identity, Identity.runner_id == Runner.id)
        .outerjoin(StreakState, StreakState.runner_id == Runner.id)
        .options(contains_eager(Runner.streak_state))
        .where(Identity.platform == bindparam("platform"),
               Identity.external_id == bindparam("external_id"))
    )


# Built once: this runs on every message, and building the statement cost more than running it.
_BY_IDENTITY = _by_identity()
_BY_IDENTITY_LOCKED = _BY_IDENTITY.with_for_update(of=Runner)  # PostgreSQL: one writer a runner


async def find_runner(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool = False
) -> Runner | None:
    """The runner behind a platform identity; `lock` serialises writers of one runner."""
    found = await _find(uow, platform, external_id, lock=lock)
    return None if found is None else found[0]


async def _find(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool
) -> tuple[Runner, Identity] | None:
    stmt = _BY_IDENTITY_LOCKED if lock and uow.dialect == "postgresql" else _BY_IDENTITY
    params = {"platform": platform, "external_id": external_id}
    row = (await uow.session.execute(stmt, params)).first()
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
    if now - identity.last_seen_at > SEEN_RESOLUTION:
        identity.last_seen_at = now
    if not req.in_group:
        identity.chat_id = req.chat_id
        identity.reachable = True
        identity.unreachable_reason = None
    if req.display_name and runner.display_name != req.display_name[:100]:
        runner.display_name = req.display_name[:100]
    return runner
