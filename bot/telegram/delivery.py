"""The Telegram `Messenger`: how scheduled pushes from the outbox reach a chat."""

from __future__ import annotations

import logging

from telegram.error import ChatMigrated

from bot.telegram.sending import ReplySender
from core.chat_moves import follow_chat_move
from core.delivery import DeliveryError
from core.messages import Reply
from core.schedule.ratelimit import RateLimiter
from core.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)


class TelegramMessenger:
    """Sends one reply to one Telegram chat; raises `DeliveryError` (see `retry.classify`).

    Its `ReplySender` retries each Bot API call briefly in place, so a two-part push (text,
    then a chart) is not sent again from the start for a hiccup in its second part; longer
    waits and repeated failures are left to the outbox sender's own backoff.

    A group that became a supergroup answers `ChatMigrated` with its new id: the club channel
    and the chat's pending pushes move there (`core.chat_moves`) and the push is sent once more,
    to the new id.
    """

    platform = "telegram"

    def __init__(
        self, sender: ReplySender, budget: RateLimiter, uow: UnitOfWorkFactory | None = None
    ) -> None:
        self.sender = sender
        self.budget = budget  # the bot's send budget, replies' too: the outbox waits on it
        self.uow = uow

    async def send(self, chat_id: str, reply: Reply) -> None:
        target = _chat_id(chat_id)
        try:
            await self.sender.send(target, reply)
        except DeliveryError as err:
            moved = err.__cause__
            if not isinstance(moved, ChatMigrated) or self.uow is None:
                raise
            new_id = str(moved.new_chat_id)
            async with self.uow() as uow:
                result = await follow_chat_move(uow, self.platform, chat_id, new_id)
            log.info("telegram: group %s is now supergroup %s (club channel moved: %s, %d "
                     "pending pushes follow)", chat_id, new_id, result.club_channel,
                     result.pending_pushes)
            await self.sender.send(int(new_id), reply)


def _chat_id(chat_id: str) -> int:
    try:
        return int(chat_id)
    except ValueError:
        raise DeliveryError("permanent", f"not a Telegram chat id: {chat_id!r}") from None
