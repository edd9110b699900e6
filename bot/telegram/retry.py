"""One retry helper for every Bot API call Pacer makes: interactive replies and pushes.

PTB raises a `TelegramError` subclass per failure; `classify` maps it onto the delivery port's
kinds (`core.delivery.DeliveryError`) and `Retrier.run` retries what is worth retrying:
429 `RetryAfter` after the wait Telegram asked for (up to a cap: a longer wait is handed back to
the caller, e.g. the outbox, which reschedules instead of holding a worker), 5xx and timeouts
with exponential backoff and jitter. `BadRequest` and `Forbidden` are never retried.

Order matters: `BadRequest` and `TimedOut` are subclasses of `NetworkError`. A `TimedOut` may
have been delivered anyway; retrying it risks a duplicate message, which beats losing one.
"""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from core.delivery import DeliveryError

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one Bot API call.

    `attempts` counts every try (1 = no retry). Transient failures wait
    `backoff_base · 2^(n-1)` seconds (capped at `backoff_cap`, times a jitter in [0.5, 1]).
    A 429 waits what Telegram asked for, but only up to `max_retry_after` seconds.
    """

    attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    max_retry_after: float = 30.0

    def backoff(self, attempt: int, jitter: float) -> float:
        """The wait after failed attempt number `attempt` (1-based); `jitter` in [0, 1]."""
        raw = min(self.backoff_cap, self.backoff_base * 2.0 ** max(0, attempt - 1))
        return raw * (0.5 + jitter / 2)


def classify(exc: TelegramError) -> DeliveryError:
    """The delivery kind of a PTB error (subclasses before their parents)."""
    reason = exc.message or type(exc).__name__
    if isinstance(exc, RetryAfter):
        # Telegram's flood waits are per chat (1 msg/s, 20/min in a group); the 30 msg/s
        # overall limit is kept on our side, so a 429 pauses only the chat it came from.
        return DeliveryError("retry_after", reason, retry_after=_seconds(exc), scope="chat")
    if isinstance(exc, Forbidden):
        return DeliveryError("blocked", reason)
    if isinstance(exc, BadRequest | ChatMigrated):
        return DeliveryError("permanent", reason)
    if isinstance(exc, TimedOut | NetworkError):
        return DeliveryError("transient", reason)
    # InvalidToken, Conflict, EndPointNotFound...: retrying cannot help.
    return DeliveryError("permanent", reason)


class Retrier:
    """Runs Bot API calls under a `RetryPolicy`; failures come out as `DeliveryError`.

    `sleep` and `jitter` are injectable so tests neither wait nor depend on chance.
    """

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter

    async def run(self, call: Callable[[], Awaitable[T]], what: str = "call") -> T:
        """Await `call()` until it succeeds or the policy gives up (then raise DeliveryError)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call()
            except TelegramError as exc:
                error = classify(exc)
                delay = self._delay(error, attempt)
                if delay is None:
                    raise error from exc
                log.info(
                    "telegram %s failed (%s); retry %d in %.1f s", what, error, attempt, delay
                )
                await self._sleep(delay)

    def _delay(self, error: DeliveryError, attempt: int) -> float | None:
        """How long to wait before the next attempt; None to give up."""
        policy = self.policy
        if error.kind in ("blocked", "permanent") or attempt >= policy.attempts:
            return None
        if error.kind == "retry_after":
            wait = error.retry_after or 0.0
            return wait if wait <= policy.max_retry_after else None
        return policy.backoff(attempt, self._jitter())


def _seconds(exc: RetryAfter) -> float:
    """The wait of a 429. PTB 22 gives it as int seconds (deprecated, warns) or a timedelta
    (with PTB_TIMEDELTA set); either is fine here, so the deprecation warning is muted."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: float | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
