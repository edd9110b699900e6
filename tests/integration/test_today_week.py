"""/today and /week as the runner reads them, in their own local day.

The fake clock starts on Monday 2 November 2026, 08:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.runners import find_runner
from core.storage.models import PlannedSession, RunLog, Skip
from core.text import format_minutes
from tests.support.testbot import TestBot

MONDAY = date(2026, 11, 2)
START = "/start level=beginner days=mon,wed,fri time=07:00 tz={tz} units=km"


async def runner_id(bot: TestBot, user: str = "ann") -> int:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", user)
        assert runner is not None
        return runner.id


async def plan(bot: TestBot, user: str = "ann") -> dict[date, PlannedSession]:
    rid = await runner_id(bot, user)
    async with bot.uow() as u:  # a commit keeps the rows loaded (a read-only rollback expires)
        rows = await u.session.scalars(
            select(PlannedSession).where(PlannedSession.runner_id == rid)
        )
        return {row.date: row for row in rows}


async def log_run(bot: TestBot, day: date, minutes: float, user: str = "ann") -> None:
    rid = await runner_id(bot, user)
    async with bot.uow() as u:
        u.session.add(RunLog(runner_id=rid, local_date=day, logged_at=bot.clock.now(),
                             minutes=minutes, note=""))


async def skip(bot: TestBot, day: date, reason: str, user: str = "ann") -> None:
    rid = await runner_id(bot, user)
    async with bot.uow() as u:
        u.session.add(Skip(runner_id=rid, local_date=day, reason=reason,
                           created_at=bot.clock.now()))


def line_for(text: str, label: str) -> str:
    """The /week line of one day, e.g. label "Wed 4"."""
    for line in text.splitlines():
        if f" {label} · " in line:
            return line
    raise AssertionError(f"no line for {label!r} in:\n{text}")


# --- /today -----------------------------------------------------------------------------------


async def test_today_needs_onboarding(bot: TestBot) -> None:
    assert await bot.say("/today") == "Let's set you up first: send /start (it takes a minute)."


async def test_today_on_a_run_day(any_bot: TestBot) -> None:
    await any_bot.say(START.format(tz="Europe/Berlin"))
    replies = await any_bot.replies("/today")
    row = (await plan(any_bot))[MONDAY]
    assert row.run_minutes > 0  # Monday is one of the chosen days
    text = replies[0].text
    assert text.startswith("<b>Today · Mon 2 Nov · ")
    # The session as planned: title, steps, paces and the tip.
    assert row.detail["text"].split("\n", 1)[1] in text
    assert row.detail["tip"] in text
    assert "Log it with /done when you've run." in text
    assert [(c.label, c.command) for c in replies[0].choices[0]] == [
        ("Done as planned", "/done"), ("Skip", "/skip")]


async def test_today_on_a_rest_day(bot: TestBot) -> None:
    await bot.say(START.format(tz="UTC"))
    rest_day = min(d for d, row in (await plan(bot)).items() if row.type == "rest")
    bot.at(f"{rest_day.isoformat()} 09:00")
    replies = await bot.replies("/today")
    assert f"Today · {rest_day:%a} {rest_day.day} {rest_day:%b}" in replies[0].text
    assert "Rest day — nothing to log today." in replies[0].text
    assert "Next run: Mon 9 Nov · Run/walk: run 1 min / walk 1 min" in replies[0].text.splitlines()
    assert replies[0].choices == ()


async def test_today_after_logging_says_it_is_done(bot: TestBot) -> None:
    await bot.say(START.format(tz="UTC"))
    await log_run(bot, MONDAY, 25)
    replies = await bot.replies("/today")
    assert "✓ Already logged today: 25 min. Nice work!" in replies[0].text
    assert replies[0].choices == ()


async def test_today_after_skipping_says_so_and_escapes_the_reason(bot: TestBot) -> None:
    await bot.say(START.format(tz="UTC"))
    await skip(bot, MONDAY, "<sore> calf & knee")
    replies = await bot.replies("/today")
    assert "You skipped today's session (&lt;sore&gt; calf &amp; knee)." in replies[0].text
    assert replies[0].choices == ()


async def test_today_shows_an_adaptation_note(bot: TestBot) -> None:
    await bot.say(START.format(tz="UTC"))
    async with bot.uow() as u:
        row = await u.session.scalar(select(PlannedSession).where(PlannedSession.date == MONDAY))
        assert row is not None
        row.detail = {**row.detail, "note": "Easy today: you slept under 6 hours."}
    text = await bot.say("/today")
    assert "Easy today: you slept under 6 hours." in text


async def test_today_follows_the_runners_midnight_in_odd_time_zones(bot: TestBot) -> None:
    """Kathmandu is UTC+05:45; Chatham is UTC+13:45 in November (its summer)."""
    await bot.say(START.format(tz="Asia/Kathmandu"), user="kai")
    await bot.say(START.format(tz="Pacific/Chatham"), user="cat")
    await bot.say(START.format(tz="UTC"), user="uma")

    bot.clock.set(datetime(2026, 11, 2, 10, 14, tzinfo=UTC))  # Chatham 23:59 Mon
    assert "Today · Mon 2 Nov" in await bot.say("/today", user="cat")
    bot.clock.set(datetime(2026, 11, 2, 10, 16, tzinfo=UTC))  # Chatham 00:01 Tue
    assert "Today · Tue 3 Nov" in await bot.say("/today", user="cat")
    assert "Today · Mon 2 Nov" in await bot.say("/today", user="kai")

    bot.clock.set(datetime(2026, 11, 2, 18, 14, tzinfo=UTC))  # Kathmandu 23:59 Mon
    assert "Today · Mon 2 Nov" in await bot.say("/today", user="kai")
    bot.clock.set(datetime(2026, 11, 2, 18, 16, tzinfo=UTC))  # Kathmandu 00:01 Tue
    assert "Today · Tue 3 Nov" in await bot.say("/today", user="kai")
    assert "Today · Mon 2 Nov" in await bot.say("/today", user="uma")

    bot.clock.set(datetime(2026, 11, 3, 10, 16, tzinfo=UTC))  # Chatham 00:01 Wed
    assert "Today · Tue 3 Nov" in await bot.say("/today", user="uma")
    assert "Today · Tue 3 Nov" in await bot.say("/today", user="kai")
    assert "Today · Wed 4 Nov" in await bot.say("/today", user="cat")


async def test_a_log_on_the_local_day_counts_for_that_day(bot: TestBot) -> None:
    await bot.say(START.format(tz="Pacific/Chatham"))
    bot.clock.set(datetime(2026, 11, 3, 10, 30, tzinfo=UTC))  # Wed 4 Nov 00:15 in Chatham
    await log_run(bot, date(2026, 11, 4), 20)
    assert "Already logged today: 20 min" in await bot.say("/today")
    bot.clock.set(datetime(2026, 11, 3, 10, 0, tzinfo=UTC))  # still Tue 3 Nov there
    assert "Already logged" not in await bot.say("/today")


# --- /week ------------------------------------------------------------------------------------


async def test_week_shows_done_missed_skipped_rest_and_today(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.say(START.format(tz="UTC"))
    rows = await plan(bot)
    run_days = sorted(d for d in rows if rows[d].run_minutes > 0 and d < MONDAY + timedelta(7))
    assert run_days[:3] == [MONDAY, MONDAY + timedelta(2), MONDAY + timedelta(4)]
    await log_run(bot, MONDAY, 25)
    bot.at("2026-11-06 07:30")  # Friday; Wednesday was never logged
    text = await bot.say("/week")
    assert "This week · Mon 2 Nov – Sun 8 Nov" in text
    assert line_for(text, "Mon 2").startswith("✓ Mon 2")
    assert "done 25 min" in line_for(text, "Mon 2")
    assert line_for(text, "Wed 4").startswith("✗ Wed 4")
    assert line_for(text, "Wed 4").endswith("missed")
    assert line_for(text, "Fri 6").startswith("▶ Fri 6")
    assert line_for(text, "Fri 6").endswith("today")
    rest = [d for d in rows if rows[d].type == "rest" and d < MONDAY + timedelta(7)]
    assert rest, "every week has a full rest day"
    rest_line = line_for(text, f"{rest[0]:%a} {rest[0].day}")
    assert "✗" not in rest_line and "missed" not in rest_line
    planned = sum(rows[d].minutes for d in run_days[:3])
    assert f"Planned: {format_minutes(planned)} in 3 runs · done: 25 min (1 of 3 runs)" in text


async def test_week_marks_a_skipped_day(bot: TestBot) -> None:
    await bot.say(START.format(tz="UTC"))
    await skip(bot, MONDAY, "travel")
    text = await bot.say("/week")
    assert line_for(text, "Mon 2").startswith("↷ Mon 2")
    assert "skipped (travel)" in line_for(text, "Mon 2")


async def test_week_counts_an_extra_run_on_a_non_run_day(bot: TestBot) -> None:
    await bot.say(START.format(tz="UTC"))
    rows = await plan(bot)
    free = min(d for d in rows if rows[d].run_minutes == 0)
    await log_run(bot, free, 15)
    bot.at(f"{(free + timedelta(days=1)).isoformat()} 08:00")
    text = await bot.say("/week")
    assert "done 15 min (extra)" in line_for(text, f"{free:%a} {free.day}")


async def test_week_before_the_plan_started(bot: TestBot) -> None:
    bot.at("2026-11-04 08:00")  # onboard on a Wednesday
    await bot.say(START.format(tz="UTC"))
    text = await bot.say("/week")
    assert line_for(text, "Mon 2") == "· Mon 2 · not planned"
    assert line_for(text, "Wed 4").startswith("▶ Wed 4")


async def test_week_and_stats_count_runs_the_same_way(any_bot: TestBot) -> None:
    """Issue 14.9: two runs on a planned day and one on a rest day are one session done and
    two extras, in /week and /stats alike."""
    bot = any_bot
    await bot.say(START.format(tz="UTC"))
    rows = await plan(bot)
    week = [MONDAY + timedelta(days=i) for i in range(7)]
    run_days = [d for d in week if rows[d].run_minutes > 0]
    rest_day = next(d for d in week if rows[d].run_minutes == 0 and d > run_days[0])
    await log_run(bot, run_days[0], 25)
    await log_run(bot, run_days[0], 10)
    await log_run(bot, rest_day, 20)
    bot.at(f"{rest_day} 20:00")
    week_text = await bot.say("/week")
    stats_text = await bot.say("/stats")
    assert f"done: 55 min (1 of {len(run_days)} runs + 2 extra)" in week_text
    assert f"This week: 55 min · 1 of {len(run_days)} runs + 2 extra so far" in stats_text
