"""The streak checkpoint: `/done` judges only the days after the last settled one, and the
figures it stores always equal a count from the plan start — also after an old run is removed,
the zone changes or the runner starts over."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, select

from core.logbook import SETTLED_AFTER_DAYS, Checkpoint, load_logbook, streak_inputs
from core.runners import find_runner
from core.storage.models import PlannedSession, RunLog, StreakState
from tests.support.testbot import TestBot

START = "/start level=improving days=mon,tue,wed,thu,fri,sat,sun tz=Europe/Berlin units=km"


async def run_days(bot: TestBot, first: date, count: int, tz: str = "Europe/Berlin") -> None:
    for offset in range(count):
        bot.at(f"{first + timedelta(days=offset)} 19:00", tz)
        assert "✓ Logged today" in await bot.say("/done 30min")


async def stored(bot: TestBot) -> tuple[int, int, Checkpoint | None]:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        state = await u.session.get(StreakState, runner.id)
        assert state is not None
        return state.current, state.best, Checkpoint.of_json(state.checkpoint)


async def counted_from_the_plan_start(bot: TestBot) -> tuple[int, int]:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        report = (await streak_inputs(u, runner, bot.clock.now())).report()
        return report.current, report.best


async def window_start(bot: TestBot) -> date | None:
    """The first day a /done now would judge (None: from the plan start)."""
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        book = await load_logbook(u, runner, bot.clock.now(), settled=True)
        since = book.inputs.since
        return None if since is None else since.through + timedelta(days=1)


async def test_daily_runs_move_the_checkpoint_and_match_a_full_count(any_bot: TestBot) -> None:
    bot = any_bot
    bot.at("2026-03-02 07:00", "Europe/Berlin")
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    await run_days(bot, date(2026, 3, 2), 30)  # across the spring DST change
    current, best, checkpoint = await stored(bot)
    assert (current, best) == (30, 30) == await counted_from_the_plan_start(bot)
    assert checkpoint is not None
    assert checkpoint.through == date(2026, 3, 31) - timedelta(days=SETTLED_AFTER_DAYS)
    assert (checkpoint.run, checkpoint.best, checkpoint.logs) == (22, 22, 22)
    assert await window_start(bot) == checkpoint.through + timedelta(days=1)


async def test_a_run_removed_before_the_checkpoint_is_noticed(any_bot: TestBot) -> None:
    bot = any_bot
    bot.at("2026-03-02 07:00", "Europe/Berlin")
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    await run_days(bot, date(2026, 3, 2), 20)
    async with bot.uow() as u:  # an admin takes back a planned run (as a moderation does)
        run_day = await u.session.scalar(
            select(PlannedSession.date)
            .where(PlannedSession.date.between(date(2026, 3, 5), date(2026, 3, 10)),
                   PlannedSession.run_minutes > 0)
            .order_by(PlannedSession.date)
        )
        assert run_day is not None
        await u.session.execute(delete(RunLog).where(RunLog.local_date == run_day))
    assert await window_start(bot) is None  # the checkpoint no longer holds
    bot.at("2026-03-22 19:00", "Europe/Berlin")
    since_then = (date(2026, 3, 22) - run_day).days
    assert f"Streak: {since_then} days" in await bot.say("/done 30min")
    current, best, checkpoint = await stored(bot)
    assert (current, best) == (since_then, 20)  # the best ever stays
    assert await counted_from_the_plan_start(bot) == (since_then, since_then)
    # Taken again (on the 14th: 8 days back), without that run.
    assert checkpoint is not None and (checkpoint.through, checkpoint.logs) == (
        date(2026, 3, 14), 12)


async def test_a_new_zone_or_a_fresh_start_drops_the_checkpoint(any_bot: TestBot) -> None:
    bot = any_bot
    bot.at("2026-03-02 07:00", "Europe/Berlin")
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    await run_days(bot, date(2026, 3, 2), 12)
    assert await window_start(bot) is not None
    assert (
        "Time zone: Europe/Berlin → Asia/Kathmandu"
    ) in (await bot.say("/settings tz=Asia/Kathmandu")).splitlines()
    assert await window_start(bot) is None
    await run_days(bot, date(2026, 3, 14), 2, "Asia/Kathmandu")
    assert (await stored(bot))[:2] == await counted_from_the_plan_start(bot) == (14, 14)
    assert await window_start(bot) is not None  # taken again in the new zone
    assert "Welcome" in await bot.say(START.replace("Europe/Berlin", "Asia/Kathmandu"))
    assert await window_start(bot) is None  # a new plan start: counted from there


async def test_runner_without_logs_for_a_while_gets_a_true_streak(any_bot: TestBot) -> None:
    bot = any_bot
    bot.at("2026-03-02 07:00", "Europe/Berlin")
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(START)).splitlines()
    await run_days(bot, date(2026, 3, 2), 10)
    bot.at("2026-03-25 19:00", "Europe/Berlin")  # two weeks of missed runs, then back
    assert "🔥 Streak: 1 day (best: 11 days)" in (await bot.say("/done 30min")).splitlines()
    current, best, _ = await stored(bot)
    assert (current, best) == await counted_from_the_plan_start(bot)
    assert current == 1 and best >= 10  # rest days after the last run may have extended it
    async with bot.uow(readonly=True) as u:
        logs = list(await u.session.scalars(select(RunLog.local_date)))
    assert len(logs) == 11
