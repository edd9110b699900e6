"""/race and /pace as transcripts. The fake clock starts on Monday 2 November 2026, 08:00 UTC."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from core.runners import find_runner
from core.storage.models import PlannedSession
from core.training import lap_splits
from tests.support.testbot import TestBot

START = "/start level=improving days=4 time=07:00 tz=Europe/London units=km mile=7:30"
RACE_DAY = date(2026, 11, 28)


async def stored(bot: TestBot) -> dict[str, Any]:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        last = await u.session.scalar(
            select(func.max(PlannedSession.date)).where(PlannedSession.runner_id == runner.id)
        )
        race_type = await u.session.scalar(
            select(PlannedSession.type).where(
                PlannedSession.runner_id == runner.id, PlannedSession.date == RACE_DAY
            )
        )
        return {"race_date": runner.race_date, "race_start": runner.race_start,
                "goal_s": runner.goal_s, "last_planned": last, "race_day_type": race_type}


async def test_race_needs_onboarding(bot: TestBot) -> None:
    assert await bot.say("/race 2026-11-28") == (
        "Let's set you up first: send /start (it takes a minute)."
    )


async def test_set_a_race_with_goal_and_start(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.say(START)
    text = await bot.say("/race 2026-11-28 goal 6:45 start 09:30")
    assert "🏁 Race set: Sat 28 Nov 2026 — 26 days to go." in text
    assert "Goal: 6:45 (lap splits: /pace 6:45) · Start: 09:30" in text
    assert (
        "Race week: less running (about two thirds of a normal week), one short sharp session "
        "early on, nothing hard in the last two days, a shakeout or rest the day before."
    ) in text.splitlines()
    # race week, day by day, ending on race day
    assert "Sat 28 Nov · Race day: the mile · 41 min" in text.splitlines()
    assert "Race morning (start 09:30):" in text
    saved = await stored(bot)
    assert (saved["race_date"], saved["race_start"], saved["goal_s"]) == (RACE_DAY, "09:30", 405)
    assert saved["race_day_type"] == "race"
    assert saved["last_planned"] == RACE_DAY  # the plan ends on race day


async def test_race_in_key_value_form_and_a_weekday(bot: TestBot) -> None:
    await bot.say(START)
    text = await bot.say("/race sat goal=7:00")
    assert "Race set: Sat 7 Nov 2026 — 5 days to go." in text
    assert "Add the start time for a warm-up timeline" in text
    assert (await stored(bot))["goal_s"] == 420


async def test_race_inside_a_week_includes_the_checklist(bot: TestBot) -> None:
    await bot.say(START)
    bot.at("2026-11-25 12:00", "Europe/London")
    text = await bot.say("/race 2026-11-28 start 10:00")
    assert "🏁 Race set: Sat 28 Nov 2026 — 3 days to go." in text.splitlines()
    assert "From 7 days out" not in text  # the checklist itself is shown instead


async def test_show_and_clear_a_race(bot: TestBot) -> None:
    await bot.say(START)
    assert await bot.say("/race") == (
        "No race set. Tell me about one and your plan will build to it. Example: /race 2027-01-02 "
        "goal 6:45 start 09:30"
    )
    await bot.say("/race 2026-11-28 start 09:30")
    assert "Your race: Sat 28 Nov 2026, start 09:30 — 26 days to go." in await bot.say("/race")
    text = await bot.say("/race off")
    assert text == "Race cleared: your plan goes back to regular training. See /week."
    saved = await stored(bot)
    assert (saved["race_date"], saved["race_start"]) == (None, None)
    assert saved["last_planned"] is not None and saved["last_planned"] > RACE_DAY
    assert "You have no race set." in await bot.say("/race off")


async def test_invalid_races_are_refused_and_nothing_changes(bot: TestBot) -> None:
    await bot.say(START)
    before = await stored(bot)
    for line, reason in [
        ("/race 2026-10-01", "in the past"),
        ("/race someday", "Example: /race 2027-01-02 goal 6:45 start 09:30"),  # from today
        ("/race 2026-11-28 goal quick", "Example: /race"),
        ("/race 2026-11-28 start 25:61", "Example: /race"),
        ("/race goal 6:45", "race date is missing"),
        ("/race 2026-11-28 goal 6:45 goal 6:40", "twice"),
        ("/race 2028-01-01", "more than a year away"),
    ]:
        text = await bot.say(line)
        assert reason in text, line
        assert await stored(bot) == before, line
    refusal = await bot.say("/race 2026-11-28 goal 8:00")  # slower than the current 7:30
    assert "Race set" not in refusal
    assert await stored(bot) == before


async def test_a_new_race_date_keeps_the_start_time_unless_told(any_bot: TestBot) -> None:
    """Issue 14.9: moving the race keeps its start; `start HH:MM` or `start off` change it."""
    bot = any_bot
    await bot.say(START)
    await bot.say("/race 2026-11-21 start 09:30")
    moved = await bot.say("/race 2026-11-28")
    assert "Start: 09:30 (kept; change it with start HH:MM, or start off)" in moved
    assert "Race morning (start 09:30):" in moved
    assert (await stored(bot))["race_start"] == "09:30"
    assert "Your race: Sat 28 Nov 2026, start 09:30" in await bot.say("/race")
    retimed = await bot.say("/race 2026-11-28 start 10:15")
    assert "Start: 10:15" in retimed.splitlines()
    assert "kept" not in retimed
    cleared = await bot.say("/race 2026-11-28 start off")
    assert "Start:" not in cleared
    assert (await stored(bot))["race_start"] is None


async def test_race_examples_are_in_the_future_whatever_the_day(bot: TestBot) -> None:
    await bot.say(START)
    bot.at("2027-06-30 08:00", "Europe/London")
    assert "Example: /race 2027-08-28 goal 6:45 start 09:30" in await bot.say("/race")


async def test_pace_gives_lap_splits_without_onboarding(any_bot: TestBot) -> None:
    replies = await any_bot.replies("/pace 7:30")
    assert replies[0].text == lap_splits(450, "km")


async def test_pace_uses_the_runners_units(bot: TestBot) -> None:
    await bot.say(START)
    await bot.say("/settings units=mi")
    assert (await bot.replies("/pace 5:59.5"))[0].text == lap_splits(359.5, "mi")


async def test_pace_refuses_what_is_not_a_mile_time(bot: TestBot) -> None:
    for line in ("/pace", "/pace fast", "/pace 2:00", "/pace 45:00"):
        assert "Example: /pace 7:30" in await bot.say(line), line


async def test_after_the_race_today_asks_how_it_went_and_training_goes_on(bot: TestBot) -> None:
    await bot.say(START)
    await bot.say("/race 2026-11-07 start 09:00")
    bot.at("2026-11-09 08:00", "Europe/London")
    text = await bot.say("/today")
    assert "Your race on Sat 7 Nov is behind you — how did it go?" in text
    # the plan carries on after race day
    assert "Today · Mon 9 Nov · Rest day" in text.splitlines()
    assert await bot.say("/race") == (
        "No race set. Tell me about one and your plan will build to it. Example: /race 2027-01-09 "
        "goal 6:45 start 09:30"
    )
    await bot.say("/done 2026-11-07 1mi 7:40 felt fast")
    text = await bot.say("/today")
    assert "Today · Mon 9 Nov · Rest day" in text.splitlines()
    assert "behind you" not in text


async def test_help_examples_are_dated_from_the_clock(bot: TestBot) -> None:
    """Issue 14.9: /help never suggests a race or a challenge end that is already past."""
    help_now = await bot.say("/help")
    assert "/race 2027-01-02 goal 6:45 start 09:30" in help_now  # Mon 2 Nov 2026 + 8 weeks
    assert "/challenge new December-Miles metric=distance until=2026-12-31" in help_now
    assert "/undo — remove your last log, or run N of /logs" in help_now.splitlines()
    assert "    /edit 3 5k 27:50 · /edit 3 felt strong" in help_now.splitlines()
    assert "    /sleep 7.5h · /sleep yesterday 7h" in help_now.splitlines()
    bot.at("2030-01-31 12:00")
    later = await bot.say("/help")
    assert "/race 2030-03-30 goal 6:45" in later
    assert (
        "    /challenge new February-Miles metric=distance until=2030-02-28 · join · board"
    ) in later.splitlines()
