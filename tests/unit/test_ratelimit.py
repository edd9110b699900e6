"""Client-side rate limits, on a fake monotonic clock (no real waiting)."""

from __future__ import annotations

import asyncio
import itertools

from core.schedule.ratelimit import (
    DISCORD_LIMITS,
    TELEGRAM_LIMITS,
    Limit,
    RateLimiter,
    RateLimits,
    limits_for,
)


class FakeTime:
    """A monotonic clock that sleeping moves forward."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        target = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, target)


async def send_all(limiter: RateLimiter, t: FakeTime, chats: list[str], *,
                   group: bool = False) -> list[tuple[float, str]]:
    sent: list[tuple[float, str]] = []

    async def one(chat: str) -> None:
        await limiter.acquire(chat, group=group)
        sent.append((t.now, chat))

    await asyncio.gather(*(one(c) for c in chats))
    return sent


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for u in times if t <= u < t + window) for t in times)


async def test_telegram_one_message_per_second_per_chat() -> None:
    t = FakeTime()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=t.monotonic, sleep=t.sleep)
    sent = await send_all(limiter, t, ["42"] * 5)
    times = sorted(when for when, _ in sent)
    assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(times))
    assert times[-1] >= 4.0


async def test_telegram_thirty_messages_per_second_overall() -> None:
    t = FakeTime()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=t.monotonic, sleep=t.sleep)
    sent = await send_all(limiter, t, [str(i) for i in range(150)])
    times = [when for when, _ in sent]
    assert len(times) == 150
    assert max_in_window(times, 1.0) <= 30
    assert max(times) >= 4.0  # 150 messages cannot go out faster than that


async def test_telegram_twenty_messages_per_minute_per_group() -> None:
    t = FakeTime()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=t.monotonic, sleep=t.sleep)
    sent = await send_all(limiter, t, ["-100"] * 25, group=True)
    times = sorted(when for when, _ in sent)
    assert max_in_window(times, 60.0) <= 20
    assert times[20] >= 60.0


async def test_retry_after_pauses_every_chat() -> None:
    t = FakeTime()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=t.monotonic, sleep=t.sleep)
    limiter.pause(5)
    sent = await send_all(limiter, t, ["1", "2"])
    assert all(when >= 5.0 for when, _ in sent)


async def test_unlimited_never_waits_and_per_chat_state_stays_bounded() -> None:
    t = FakeTime()
    unlimited = RateLimiter(RateLimits(), monotonic=t.monotonic, sleep=t.sleep)
    assert {when for when, _ in await send_all(unlimited, t, ["a"] * 100)} == {0.0}
    limiter = RateLimiter(RateLimits(per_chat=Limit(1, 1.0)), monotonic=t.monotonic,
                          sleep=t.sleep)
    limiter.PRUNE_ABOVE = 100
    for i in range(1000):
        await limiter.acquire(str(i))
        t.now += 0.01  # each chat's window is idle again after a second
    assert len(limiter._chats) <= 201


def test_platform_presets() -> None:
    assert limits_for("telegram") is TELEGRAM_LIMITS
    assert limits_for("discord") is DISCORD_LIMITS
    assert limits_for("console").overall is None
    assert DISCORD_LIMITS.per_chat == Limit(5, 5.0)  # Discord: 5 messages per 5 s per channel


async def test_a_chats_pause_holds_only_that_chat() -> None:
    t = FakeTime()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=t.monotonic, sleep=t.sleep)
    limiter.pause(8.0, "42")

    sent = await send_all(limiter, t, ["7", "42"])

    assert sent == [(0.0, "7"), (8.0, "42")]
    assert limiter.wait_time("42") == 1.0  # its next message: the 1-per-second limit again


async def test_a_global_pause_holds_every_chat() -> None:
    t = FakeTime()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=t.monotonic, sleep=t.sleep)
    limiter.pause(3.0)

    assert await send_all(limiter, t, ["7", "42"]) == [(3.0, "7"), (3.0, "42")]


async def test_acquire_never_waits_past_the_deadline_and_counts_nothing_then() -> None:
    t = FakeTime()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=t.monotonic, sleep=t.sleep)
    limiter.pause(60.0, "42")

    assert await limiter.acquire("42", deadline=lambda: 20.0) is False
    assert t.now == 0.0  # gave up at once: the wait would have run past the deadline
    assert await limiter.acquire("7", deadline=lambda: 20.0) is True
    stopping = iter([False, False, True])
    assert await limiter.acquire("42", abandon=lambda: next(stopping), step=1.0) is False
    assert t.now == 2.0  # noticed the stop within a step
