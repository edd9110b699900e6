"""The bot's one send budget, through PTB's public `BaseRateLimiter` interface.

Telegram allows a bot about 30 messages a second in all, one a second in a chat and 20 a
minute in a group, whether they are replies or scheduled pushes. So both spend one budget,
`core.schedule.ratelimit.RateLimiter` with Telegram's limits: pushes wait for it in the outbox
sender (`TelegramMessenger.budget`; their calls then carry `rate_limit_args=OUTBOX_LIMITED`,
PTB's per-call argument for the rate limiter, and pass straight through here), replies wait
for it here. Replies are held to the overall and group limits, not the per-chat second (a
runner's two-part answer goes out at once, as PTB's own limiter would send it).

Only calls that put a message in a chat are limited: housekeeping such as
`getChatAdministrators` or `answerCallbackQuery` never spends a group's 20 a minute. There are
no retries here: a 429 reaches `bot.telegram.retry`, which waits in place only for short
pauses and otherwise hands the wait to the caller (the outbox reschedules).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

from core.schedule.ratelimit import TELEGRAM_LIMITS, RateLimiter

JSONDict = dict[str, Any]

# `rate_limit_args` of a call the budget already admitted in the outbox sender (a push).
OUTBOX_LIMITED = -1

# The Bot API methods that post or change a message in a chat (Telegram's flood limits).
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)


class MessageRateLimiter(BaseRateLimiter[int]):
    """Holds each message a reply sends until the shared `budget` allows it; other methods,
    and pushes the outbox already held, pass straight through."""

    def __init__(self, budget: RateLimiter | None = None) -> None:
        self.budget = budget if budget is not None else RateLimiter(TELEGRAM_LIMITS)

    async def initialize(self) -> None:
        """Nothing to set up: the budget lives as long as the adapter."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint in MESSAGE_METHODS and rate_limit_args != OUTBOX_LIMITED:
            chat = str(data.get("chat_id", ""))
            await self.budget.acquire(chat, group=chat.startswith("-"), per_chat=False)
        return await callback(*args, **kwargs)
