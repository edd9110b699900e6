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

import logging
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
        # PTB's own step (public API): no retries here (max_retries=0), a 429 is re-raised to
        # the caller, which handles it; the error PTB logs for it is dropped (`_QuietRetryAfter`).
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


class _QuietRetryAfter(logging.Filter):
    """PTB logs a 429 it does not retry as an error with a traceback; here the caller retries
    (`bot.telegram.retry`, the outbox), so that line is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Rate limit hit after maximum of 0 retries")


logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_QuietRetryAfter())
