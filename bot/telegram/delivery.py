"""The Telegram `Messenger`: how scheduled pushes from the outbox reach a chat."""

from __future__ import annotations

from bot.telegram.sending import ReplySender
from core.delivery import DeliveryError
from core.messages import Reply


class TelegramMessenger:
    """Sends one reply to one Telegram chat; raises `DeliveryError` (see `retry.classify`).

    Its `ReplySender` retries each Bot API call briefly in place, so a two-part push (text,
    then a chart) is not sent again from the start for a hiccup in its second part; longer
    waits and repeated failures are left to the outbox sender's own backoff.
    """

    platform = "telegram"

    def __init__(self, sender: ReplySender) -> None:
        self.sender = sender

    async def send(self, chat_id: str, reply: Reply) -> None:
        try:
            target = int(chat_id)
        except ValueError:
            raise DeliveryError("permanent", f"not a Telegram chat id: {chat_id!r}") from None
        await self.sender.send(target, reply)
