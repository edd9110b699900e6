"""Streaks as the runner reads them, day by day, in their own time zone — DST days included."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.runners import find_runner
from core.storage.models import PlannedSession, RunLog, StreakState
from tests.support.testbot import TestBot


async def onboard(bot: TestBot, tz: str, level: str = "beginner",
                  days: str = "mon,wed,sat") -> None:
    assert "Welcome" in await bot.say(f"/start level={level} days={days} tz={tz} units=km")


async def runner_id(bot: TestBot) -> int:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        return runner.id


async def requires_run(bot: TestBot, day: date) -> bool:
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:
        minutes = await u.session.scalar(
            select(PlannedSession.run_minutes).where(
                PlannedSession.runner_id == rid, PlannedSession.date == day
            )
        )
    return bool(minutes)


async def log_dates(bot: TestBot) -> list[date]:
    async with bot.uow(readonly=True) as u:
        return list(await u.session.scalars(select(RunLog.local_date).order_by(RunLog.id)))


@pytest.mark.parametrize(
    ("tz", "first"),
    [
        ("America/New_York", date(2026, 3, 5)),  # Thu; Sun 8 Mar springs forward (23 h)
        ("America/New_York", date(2026, 10, 29)),  # Thu; Sun 1 Nov falls back (25 h)
        ("Asia/Kathmandu", date(2026, 11, 2)),  # +05:45
        ("Pacific/Chatham", date(2026, 4, 2)),  # +13:45 -> +12:45 on Sun 5 Apr
        ("Pacific/Chatham", date(2026, 9, 24)),  # +12:45 -> +13:45 on Sun 27 Sep
    ],
)
async def test_a_run_every_evening_across_clock_changes(bot: TestBot, tz: str, first: date
                                                         ) -> None:
    """A run logged late each local evening counts once, for its own local day."""
    bot.at(f"{first} 07:00", tz)
    await onboard(bot, tz)
    for offset in range(6):
        day = first + timedelta(days=offset)
        bot.at(f"{day} 23:30", tz)
        reply = await bot.say("/done 20min")
        streak = offset + 1
        assert f"🔥 Streak: {streak} day" in reply, (day, reply)
    assert await log_dates(bot) == [first + timedelta(days=i) for i in range(6)]
    last = first + timedelta(days=5)
    bot.at(f"{last + timedelta(days=1)} 00:30", tz)  # just after the next local midnight
    reply = await bot.say("/streak")
    if await requires_run(bot, last + timedelta(days=1)):
        assert "Streak: 6 days" in reply
        assert "Today … pending" in reply
    else:  # a rest day keeps the streak going
        assert "🔥 Streak: 7 days — your best yet!" in reply.splitlines()
        assert "Today · rest" in reply.splitlines()
    assert f"{last:%a} {last.day} {last:%b} ✓ 20 min" in reply


async def test_fall_back_night_the_repeated_hour_is_the_same_day(bot: TestBot) -> None:
    tz = "America/New_York"
    bot.at("2026-10-31 09:00", tz)
    await onboard(bot, tz)
    # 01:30 happens twice on Sun 1 Nov; the second one (EST) is 06:30 UTC.
    second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo(tz))
    bot.clock.set(second)
    await bot.say("/done 20min")
    assert await log_dates(bot) == [date(2026, 11, 1)]


async def test_kathmandu_midnight_separates_two_days(bot: TestBot) -> None:
    tz = "Asia/Kathmandu"
    bot.at("2026-11-02 07:00", tz)
    await onboard(bot, tz)
    bot.at("2026-11-02 23:50", tz)
    await bot.say("/done 20min")
    bot.at("2026-11-03 00:10", tz)  # 20 minutes later, the next local day
    reply = await bot.say("/done 25min")
    assert "🔥 Streak: 2 days — your best yet!" in reply.splitlines()
    assert await log_dates(bot) == [date(2026, 11, 2), date(2026, 11, 3)]


async def test_chatham_backfill_window_is_48_hours_after_local_midnight(bot: TestBot) -> None:
    tz = "Pacific/Chatham"
    bot.at("2026-11-02 07:00", tz)  # Mon; Chatham is on +13:45 (summer)
    await onboard(bot, tz)
    bot.at("2026-11-04 23:40", tz)  # Wed night: 47 h 40 min after Monday ended
    reply = await bot.say("/done mon 30min")
    assert "your streak is repaired" in reply
    bot.at("2026-11-06 00:20", tz)  # Fri just after midnight: Wednesday's window is open
    reply = await bot.say("/streak")
    assert "Wed 4 Nov ✗ missed — ran? /done wed until Thu 5 Nov 23:59" not in reply
    assert "Wed 4 Nov ✗ missed — ran? /done wed until Fri 6 Nov 23:59" in reply


async def test_two_weeks_of_planned_runs_make_a_weekly_streak(bot: TestBot) -> None:
    await onboard(bot, "UTC", level="improving", days="mon,wed,fri,sat")
    monday = date(2026, 11, 2)
    for offset in range(14):
        day = monday + timedelta(days=offset)
        bot.at(f"{day} 18:00")
        if await requires_run(bot, day):
            assert "Logged" in await bot.say("/done")
    bot.at("2026-11-15 20:00")
    reply = await bot.say("/streak")
    assert reply.splitlines()[0] == "🔥 Streak: 14 days — your best yet!"
    assert "Weekly consistency: 2 weeks in a row with every planned run done" in reply

    # Week three: Monday's run is missed. The streak restarts; the best is kept.
    bot.at("2026-11-17 09:00")
    reply = await bot.say("/streak")
    assert reply.splitlines()[0] == "Streak: 0 days (best: 14 days)"
    assert "Mon 16 Nov ✗ missed" in reply
    assert "0 weeks in a row with every planned run done (2 weeks in total)" in reply
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:
        state = await u.session.get(StreakState, rid)
        assert state is not None
        assert (state.current, state.best, state.as_of) == (0, 14, date(2026, 11, 17))


async def test_streak_explains_the_last_ten_days(bot: TestBot) -> None:
    await onboard(bot, "UTC", level="improving", days="mon,wed,fri,sat")
    await bot.say("/done 30min")  # Mon
    bot.at("2026-11-04 07:00")
    await bot.say("/skip sore")  # Wed
    bot.at("2026-11-06 19:00")
    await bot.say("/done 5k 30:00")  # Fri
    bot.at("2026-11-14 09:00")  # Sat a week later
    reply = await bot.say("/streak")
    why = reply.split("the last days:")[1].strip().splitlines()
    assert why[0] == "Thu 5 Nov · strength, no run" or why[0].startswith("Thu 5 Nov")
    assert why[1] == "Fri 6 Nov ✓ 30 min"
    assert "Today … pending — log it with /done" in why
    assert len([line for line in why if line and not line.startswith("A streak counts")]) == 10
