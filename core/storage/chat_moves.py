"""Queries for a chat that changed its id (a Telegram group upgraded to a supergroup)."""

from __future__ import annotations

from sqlalchemy import select, update

from core.storage.models import ClubChannel
from core.storage.unit_of_work import UnitOfWork


async def move_club_channel(uow: UnitOfWork, platform: str, old_chat: str, new_chat: str) -> bool:
    """Point the club channel of `old_chat` at `new_chat`; False if there was nothing to move
    (no club there, already moved, or the new chat already has a channel of its own)."""
    taken = await uow.session.scalar(
        select(ClubChannel.id).where(ClubChannel.platform == platform,
                                     ClubChannel.chat_id == new_chat)
    )
    if taken is not None:
        return False
    result = await uow.session.execute(
        update(ClubChannel)
        .where(ClubChannel.platform == platform, ClubChannel.chat_id == old_chat)
        .values(chat_id=new_chat)
    )
    return bool(getattr(result, "rowcount", 0))
