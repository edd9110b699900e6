"""Client-side rate limits for pushes: overall, per chat, and per group chat.

Each limit is "at most N messages in any window of P seconds" (a sliding window), which is how
the platforms state them: Telegram about 30 msg/s overall, 1 msg/s per chat and 20 msg/min per
group; Discord 50 requests/s globally and 5 messages per 5 s per channel.

Time comes from an injected monotonic function and waits go through an injected sleep, so
tests drive it without waiting. Checks and takes happen with no await in between, so the
limits hold at the moment of each send even with many concurrent senders in one event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
EPSILON = 1e-9  # float slack, so rounding never asks for a wait too small to move a clock


@dataclass(frozen=True)
class Limit:
    """At most `count` messages in any `period` seconds."""

    count: int
    period: float


@dataclass(frozen=True)
class RateLimits:
    """Limits for one platform; None = unlimited."""

    overall: Limit | None = None
    per_chat: Limit | None = None
    per_group: Limit | None = None  # in addition to per_chat, for group chats


TELEGRAM_LIMITS = RateLimits(Limit(30, 1.0), Limit(1, 1.0), Limit(20, 60.0))
DISCORD_LIMITS = RateLimits(Limit(50, 1.0), Limit(5, 5.0))
UNLIMITED = RateLimits()


def limits_for(platform: str) -> RateLimits:
    return {"telegram": TELEGRAM_LIMITS, "discord": DISCORD_LIMITS}.get(platform, UNLIMITED)


class SlidingWindow:
    """Remembers the last `count` send times and says how long until the next may go."""

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.events: deque[float] = deque(maxlen=limit.count)

    def wait_time(self, now: float) -> float:
        if len(self.events) < self.limit.count:
            return 0.0
        wait = self.events[0] + self.limit.period - now
        return wait if wait > EPSILON else 0.0

    def take(self, now: float) -> None:
        self.events.append(now)  # the deque's maxlen drops the oldest

    def idle(self, now: float) -> bool:
        return not self.events or self.events[-1] + self.limit.period <= now


class RateLimiter:
    """Waits until a message to a chat may go out under every applicable limit."""

    PRUNE_ABOVE = 10_000  # per-chat state kept for about this many chats at most

    def __init__(
        self,
        limits: RateLimits,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self._now = monotonic
        self._sleep = sleep
        self._overall = SlidingWindow(limits.overall) if limits.overall else None
        self._chats: dict[str, SlidingWindow] = {}
        self._groups: dict[str, SlidingWindow] = {}
        self._paused_until = 0.0
        self._chat_paused_until: dict[str, float] = {}

    def pause(self, seconds: float, chat_id: str | None = None) -> None:
        """The platform said "retry after": for one chat (`chat_id`) or, without, every send."""
        until = self._now() + seconds
        if chat_id is None:
            self._paused_until = max(self._paused_until, until)
        else:
            self._chat_paused_until[chat_id] = max(self._chat_paused_until.get(chat_id, 0.0),
                                                   until)

    def _windows(
        self, chat_id: str, group: bool, now: float, per_chat: bool = True
    ) -> list[SlidingWindow]:
        windows = [self._overall] if self._overall else []
        if self.limits.per_chat and per_chat:
            windows.append(self._window(self._chats, chat_id, self.limits.per_chat, now))
        if group and self.limits.per_group:
            windows.append(self._window(self._groups, chat_id, self.limits.per_group, now))
        return windows

    def _paused(self, chat_id: str, now: float) -> float:
        until = self._chat_paused_until.get(chat_id)
        if until is not None and until <= now:
            del self._chat_paused_until[chat_id]
            until = None
        return max(self._paused_until, until or 0.0) - now

    def wait_time(self, chat_id: str, *, group: bool = False) -> float:
        """Seconds until a message to `chat_id` could go out (0: now); counts nothing."""
        now = self._now()
        windows = self._windows(chat_id, group, now)
        return max(0.0, self._paused(chat_id, now), *(w.wait_time(now) for w in windows))

    async def acquire(
        self,
        chat_id: str,
        *,
        group: bool = False,
        deadline: Callable[[], float] | None = None,
        abandon: Callable[[], bool] | None = None,
        step: float | None = None,
        per_chat: bool = True,
    ) -> bool:
        """Wait until sending to `chat_id` respects every limit and pause, then count the send
        and return True. `per_chat=False`: not held to (nor counted in) the per-chat limit (a
        reply to a message the runner just sent: Telegram's one a second per chat is for
        sustained sending, and PTB's own limiter never applied it to replies either).

        Never waits past `deadline()` (read again after every wait, since it may move) and
        gives up as soon as `abandon()` is true: then returns False and counts nothing. With
        `step`, waits are taken in steps of at most that many seconds, so that a stop is
        noticed in time.
        """
        while True:
            if abandon is not None and abandon():
                return False
            now = self._now()
            windows = self._windows(chat_id, group, now, per_chat)
            wait = max([self._paused(chat_id, now), *(w.wait_time(now) for w in windows)])
            if wait <= EPSILON:
                break
            if deadline is not None and now + wait > deadline():
                return False
            await self._sleep(wait if step is None else min(wait, step))
        for window in windows:
            window.take(now)
        return True

    def _window(
        self, table: dict[str, SlidingWindow], chat_id: str, limit: Limit, now: float
    ) -> SlidingWindow:
        window = table.get(chat_id)
        if window is None:
            if len(table) > self.PRUNE_ABOVE:
                # An idle window carries no information: dropping it changes nothing.
                for key in [k for k, w in table.items() if w.idle(now)]:
                    del table[key]
            window = table[chat_id] = SlidingWindow(limit)
        return window


@runtime_checkable
class SharesBudget(Protocol):
    """A messenger whose platform send budget other senders spend too (Telegram: a bot's 30
    messages a second are for replies and pushes together): the outbox waits on `budget`,
    the limiter the replies wait on, instead of a limiter of its own."""

    budget: RateLimiter
