"""Concurrent and re-delivered `/done` messages, on SQLite and PostgreSQL.

Messages from one runner are serialised by the dispatcher (PostgreSQL: a row lock on the runner;
SQLite: `BEGIN IMMEDIATE`), so two runs sent at the same moment are both stored and the cached
streak matches a fresh computation; one update delivered twice is applied once.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from core.logbook import streak_inputs
from core.runners import find_runner
from core.storage.models import RunLog, StreakState
from tests.support.testbot import TestBot

START = "/start level=beginner days=mon,wed,sat tz=UTC units=km"


async def log_count(bot: TestBot) -> int:
    async with bot.uow(readonly=True) as u:
        return int(await u.session.scalar(select(func.count()).select_from(RunLog)) or 0)


async def streak_is_consistent(bot: TestBot, expected: int) -> None:
    """The cached streak equals one computed afresh from what is stored."""
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        state = await u.session.get(StreakState, runner.id)
        assert state is not None
        fresh = (await streak_inputs(u, runner, bot.clock.now())).report()
        assert state.current == fresh.current == expected
        assert state.best >= fresh.best


async def test_two_runs_at_the_same_moment_are_both_logged(any_bot: TestBot) -> None:
    bot = any_bot
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    first, second = await asyncio.gather(
        bot.pacer.handle(bot.request("/done 25min", update_id="u-1")),
        bot.pacer.handle(bot.request("/done 5k 31:00", update_id="u-2")),
    )
    texts = [r.text for r in (*first, *second)]
    assert len(texts) == 2 and all("✓ Logged today" in t for t in texts), texts
    assert await log_count(bot) == 2
    await streak_is_consistent(bot, expected=1)


async def test_a_run_and_its_undo_at_the_same_moment_leave_the_streak_true(
    any_bot: TestBot,
) -> None:
    # The undo waits for the run's transaction, then removes that run: the cached streak must
    # be the one without it, not a figure read before the run was committed.
    bot = any_bot
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    logged, undone = await asyncio.gather(
        bot.pacer.handle(bot.request("/done 25min", update_id="r-1")),
        bot.pacer.handle(bot.request("/undo", update_id="r-2")),
    )
    texts = [r.text for r in (*logged, *undone)]
    assert "✓ Logged today" in texts[0] and "Removed your run" in texts[1], texts
    assert await log_count(bot) == 0
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        state = await u.session.get(StreakState, runner.id)
        assert state is not None and state.current == 0


async def test_many_runs_at_once_keep_every_log(any_bot: TestBot) -> None:
    bot = any_bot
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    replies = await asyncio.gather(
        *(
            bot.pacer.handle(bot.request(f"/done {10 + i}min", update_id=f"m-{i}"))
            for i in range(6)
        )
    )
    assert all("✓ Logged today" in r[0].text for r in replies)
    assert await log_count(bot) == 6
    await streak_is_consistent(bot, expected=1)


async def test_the_same_update_delivered_twice_at_once_is_logged_once(any_bot: TestBot
                                                                      ) -> None:
    bot = any_bot
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    request = bot.request("/done 25min", update_id="dup-9")
    first, second = await asyncio.gather(bot.pacer.handle(request), bot.pacer.handle(request))
    answered = [r for r in (first, second) if r]
    assert len(answered) == 1 and "✓ Logged today" in answered[0][0].text
    assert await log_count(bot) == 1
    await streak_is_consistent(bot, expected=1)


async def test_a_redelivered_update_is_ignored(any_bot: TestBot) -> None:
    bot = any_bot
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    assert "✓ Logged today" in await bot.say("/done 25min", update_id="again-1")
    bot.advance(minutes=30)  # the platform re-sends it later, after a restart
    assert await bot.say("/done 25min", update_id="again-1") == ""
    assert await log_count(bot) == 1
    await streak_is_consistent(bot, expected=1)


async def test_identical_messages_at_once_with_different_ids_log_one_run(any_bot: TestBot
                                                                         ) -> None:
    """A double tap on the Done button: two updates, one run (the duplicate guard)."""
    bot = any_bot
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    replies = await asyncio.gather(
        bot.pacer.handle(bot.request("/done", update_id="tap-1")),
        bot.pacer.handle(bot.request("/done", update_id="tap-2")),
    )
    texts = sorted(r[0].text for r in replies)
    assert texts[0] == "Already logged — /undo if that was a mistake."
    assert (
        "✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 26 min"
    ) in texts[1].splitlines()
    assert await log_count(bot) == 1
