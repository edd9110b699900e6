"""A chat that changed its id follows itself: its club channel and its pending pushes.

Telegram gives a group a new id when it becomes a supergroup (a service message with
`migrate_to_chat_id`, and `ChatMigrated` on a send to the old id). Its club, challenges and
boards must stay with it, and pushes queued for the old id must go to the new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.storage.chat_moves import move_club_channel
from core.storage.outbox_leases import move_chat
from core.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ChatMove:
    """What followed a chat to its new id."""

    club_channel: bool
    pending_pushes: int


async def follow_chat_move(
    uow: UnitOfWork, platform: str, old_chat: str, new_chat: str
) -> ChatMove:
    """Move the club channel and the pending pushes of `old_chat` to `new_chat` (idempotent:
    a second call for the same move changes nothing)."""
    if old_chat == new_chat:
        return ChatMove(False, 0)
    moved = await move_club_channel(uow, platform, old_chat, new_chat)
    pending = await move_chat(uow, platform, old_chat, new_chat)
    return ChatMove(moved, pending)
