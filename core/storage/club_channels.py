"""Club channel rows: who administers a channel on a platform without admin roles."""

from __future__ import annotations

from sqlalchemy import select, update

from core.storage.models import ClubChannel
from core.storage.unit_of_work import UnitOfWork


async def claim_admin(uow: UnitOfWork, platform: str, chat_id: str, user: str) -> str | None:
    """Record `user` as the channel's admin unless it has one; returns the admin (None: no
    such channel)."""
    await uow.session.execute(
        update(ClubChannel)
        .where(ClubChannel.platform == platform, ClubChannel.chat_id == chat_id,
               ClubChannel.admin_id.is_(None))
        .values(admin_id=user)
    )
    admin: str | None = await uow.session.scalar(
        select(ClubChannel.admin_id).where(
            ClubChannel.platform == platform, ClubChannel.chat_id == chat_id
        )
    )
    return admin
