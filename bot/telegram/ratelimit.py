"""PTB's `AIORateLimiter`, applied to messages only and configured on purpose.

Read in PTB 22's source: the limiter throttles every request that has a `chat_id` (30/s
overall) and, for negative chat ids, 20 per minute per group. Left as is it would spend a
group's 20 messages a minute on `getChatAdministrators` and `answerCallbackQuery`-style
housekeeping, so only calls that put a message in a chat go through it.

There are no retries here (PTB's `max_retries`, 0 by default): a 429 reaches
`bot.telegram.retry`, which waits in place only for short pauses and otherwise hands the wait
to the caller (the outbox reschedules). With retries here, one `RetryAfter` would stop every
request of the bot for however long Telegram asked.

One limiter per path: replies to runners pass this one; pushes from the outbox already waited
for the outbox sender's own limiter (`core.schedule.ratelimit`: 30/s overall, 1/s per chat,
20/min per group, and the pauses a 429 asks for), so their calls carry
`rate_limit_args=OUTBOX_LIMITED` (PTB's per-call argument for the rate limiter) and pass
straight through here instead of being held a second time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import constants
from telegram.ext import AIORateLimiter

JSONDict = dict[str, Any]

# `rate_limit_args` of a call the outbox's limiter already admitted (a push). Any other value
# would be a retry count for PTB's `AIORateLimiter`; a negative one never is.
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


class MessageRateLimiter(AIORateLimiter):
    """Telegram's documented flood limits for messages; other methods pass straight through."""

    def __init__(
        self,
        overall_per_second: float = constants.FloodLimit.MESSAGES_PER_SECOND,
        group_per_minute: float = constants.FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_per_second,
            overall_time_period=1,
            group_max_rate=group_per_minute,
            group_time_period=60,
            max_retries=0,
        )

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint not in MESSAGE_METHODS or rate_limit_args == OUTBOX_LIMITED:
            return await callback(*args, **kwargs)
        # The parent's loop only adds retries (none here) and logs every 429 as an error with
        # a traceback; the caller handles 429s, so call its limiter step directly (PTB 22).
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        # Negative ids and @usernames are groups and channels (20 messages a minute each).
        group = chat_id if isinstance(chat_id, str) or (
            isinstance(chat_id, int) and chat_id < 0
        ) else False
        return await self._run_request(
            chat=chat_id is not None,
            group=group,
            allow_paid_broadcast=bool(data.get("allow_paid_broadcast", False)),
            callback=callback,
            args=args,
            kwargs=kwargs,
        )
