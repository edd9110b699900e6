"""Finding and creating runners by their platform identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.messages import Request
from core.storage.models import Identity, Runner
from core.storage.unit_of_work import UnitOfWork


async def find_runner(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool = False
) -> Runner | None:
    """The runner behind a platform identity; `lock` serialises writers of one runner."""
    stmt = (
        select(Runner)
        .join(Identity, Identity.runner_id == Runner.id)
        .where(Identity.platform == platform, Identity.external_id == external_id)
        .options(selectinload(Runner.identities))
    )
    if lock and uow.dialect == "postgresql":
        stmt = stmt.with_for_update(of=Runner)
    return (await uow.session.execute(stmt)).scalar_one_or_none()


async def runner_for_request(uow: UnitOfWork, req: Request, now: datetime) -> Runner:
    """The sender's runner, created (not yet onboarded) on first contact.

    Writing to Pacer again also makes a runner reachable again after they had blocked the bot.
    """
    runner = await find_runner(uow, req.platform.value, req.user_id, lock=True)
    if runner is None:
        runner = Runner(display_name=req.display_name[:100], created_at=now, updated_at=now)
        identity = Identity(
            platform=req.platform.value,
            external_id=req.user_id,
            chat_id=None if req.in_group else req.chat_id,
            last_seen_at=now,
        )
        runner.identities.append(identity)
        uow.session.add(runner)
        await uow.session.flush()
        return runner
    for identity in runner.identities:
        if identity.platform == req.platform.value and identity.external_id == req.user_id:
            identity.last_seen_at = now
            if not req.in_group:
                identity.chat_id = req.chat_id
                identity.reachable = True
                identity.unreachable_reason = None
    if req.display_name and runner.display_name != req.display_name[:100]:
        runner.display_name = req.display_name[:100]
    return runner
