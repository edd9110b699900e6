"""/stats as runners read it: weekly volume, the 80/20 split, sleep, streak, and the chart."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.storage.models import (
    Plan,
    PlannedSession,
    RunLog,
    SleepLog,
    StreakState,
)
from tests.support.testbot import TestBot

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"


async def seed_runner(bot: TestBot, user: str = "ann", **profile: object) -> int:
    """An onboarded runner reached on the console as `user`."""
    return await bot.add_runner(
        user, **{"level": "improving", "plan_start": date(2026, 10, 20), **profile}
    )


async def seed_plan(bot: TestBot, runner_id: int, run_days: list[date]) -> None:
    async with bot.uow() as u:
        plan = Plan(
            runner_id=runner_id,
            start_date=min(run_days),
            end_date=max(run_days),
            athlete={},
            created_at=NOW,
        )
        u.session.add(plan)
        await u.session.flush()
        u.session.add_all(
            PlannedSession(
                runner_id=runner_id,
                plan_id=plan.id,
                date=d,
                week=1,
                type="easy",
                title="Easy run",
                minutes=30,
                run_minutes=30,
                intensity="easy",
                detail={},
            )
            for d in run_days
        )


async def seed_logs(
    bot: TestBot, runner_id: int, logs: list[tuple[date, float | None, float | None, str]]
) -> None:
    async with bot.uow() as u:
        u.session.add_all(
            RunLog(
                runner_id=runner_id,
                local_date=d,
                logged_at=NOW,
                minutes=m,
                distance_m=dist,
                intensity=intensity,
            )
            for d, m, dist, intensity in logs
        )


async def seed_sleep(bot: TestBot, runner_id: int, nights: dict[date, float]) -> None:
    async with bot.uow() as u:
        u.session.add_all(
            SleepLog(runner_id=runner_id, local_date=d, hours=h, logged_at=NOW)
            for d, h in nights.items()
        )


async def seed_history(bot: TestBot, units: str = "km") -> int:
    """Three weeks of a plan, logs, sleep and a streak; today is Wed 4 Nov 2026."""
    runner_id = await seed_runner(bot, units=units)
    await seed_plan(
        bot,
        runner_id,
        [
            date(2026, 10, 19),
            date(2026, 10, 21),
            date(2026, 10, 24),
            date(2026, 10, 26),
            date(2026, 10, 28),
            date(2026, 10, 31),
            date(2026, 11, 2),
            date(2026, 11, 4),
            date(2026, 11, 7),
        ],
    )
    await seed_logs(
        bot,
        runner_id,
        [
            (date(2026, 10, 20), 30, 5000, "easy"),
            (date(2026, 10, 22), 20, 4000, "hard"),
            (date(2026, 10, 24), None, 3000, "easy"),
            (date(2026, 10, 27), 40, None, "easy"),
            (date(2026, 10, 29), 25, None, "hard"),
            (date(2026, 11, 2), 35, 6000, "easy"),
        ],
    )
    await seed_sleep(
        bot,
        runner_id,
        {
            date(2026, 10, 28): 5.0,
            date(2026, 10, 29): 6.0,
            date(2026, 10, 30): 8.0,
            date(2026, 11, 1): 7.5,
            date(2026, 11, 3): 6.5,
            date(2026, 11, 4): 7.0,
        },
    )
    async with bot.uow() as u:
        u.session.add(
            StreakState(
                runner_id=runner_id, current=4, best=9, as_of=date(2026, 11, 3), updated_at=NOW
            )
        )
    bot.at("2026-11-04 19:00")
    return runner_id


async def test_a_new_runner_gets_a_friendly_word_and_no_empty_chart(bot: TestBot) -> None:
    await seed_runner(bot)
    replies = await bot.replies("/stats")
    assert len(replies) == 1
    assert "No runs logged yet" in replies[0].text and "/done 25min" in replies[0].text
    assert replies[0].text.splitlines()[-1] == "Streak: 0 days — today is a good day to start one."
    assert replies[0].attachments == ()
    assert replies[0].private


async def test_stats_show_weeks_split_sleep_and_streak(bot: TestBot) -> None:
    await seed_history(bot)
    text = await bot.say("/stats")
    lines = text.splitlines()
    assert lines[0] == "Your last 3 weeks"  # since the plan started on Tue 20 Oct
    assert lines[1:4] == [
        # Runs the day after a planned one are extras: counted as /week counts them.
        "Week of 19 Oct: 50 min · 12.0 km · 1 of 3 runs + 2 extra · 20 min hard",
        "Week of 26 Oct: 1 h 5 min · 0 of 3 runs + 2 extra · 25 min hard",
        "This week: 35 min · 6.0 km · 1 of 3 runs so far",
    ]
    assert "Effort: 70% easy · 30% hard (target 80/20) — more hard running" in text
    assert "Sleep, last 7 nights: 7.0 h average over 5 nights logged, 2 under 7 h." in text
    assert "🔥 Streak: 4 days (best: 9 days)" in text.splitlines()


async def test_stats_come_with_a_chart(bot: TestBot) -> None:
    await seed_history(bot)
    [reply] = await bot.replies("/stats")
    [chart] = reply.attachments
    assert (chart.filename, chart.mime) == ("stats.png", "image/png")
    assert chart.is_image and chart.content.startswith(PNG) and len(chart.content) > 15_000
    assert reply.private


async def test_distances_follow_the_runners_units(bot: TestBot) -> None:
    await seed_history(bot, units="mi")
    text = await bot.say("/stats")
    assert "Week of 19 Oct: 50 min · 7.5 mi · 1 of 3 runs + 2 extra" in text  # 12 km = 7.46 mi
    assert "This week: 35 min · 3.7 mi" in text


async def test_stats_asked_in_a_group_are_answered_privately(bot: TestBot) -> None:
    await seed_history(bot)
    [reply] = await bot.replies("/stats", group="club-1")
    assert reply.private and "Your last 3 weeks" in reply.text


async def test_local_weeks_follow_the_runners_time_zone(bot: TestBot) -> None:
    """Sunday evening in Kiritimati (UTC+14) is already Monday there: a new week begins."""
    runner_id = await seed_runner(bot, tz="Pacific/Kiritimati", plan_start=date(2026, 11, 2))
    await seed_logs(bot, runner_id, [(date(2026, 11, 9), 30, None, "easy")])
    bot.at("2026-11-08 12:00")  # Sunday noon UTC = Monday 02:00 in Kiritimati
    text = await bot.say("/stats")
    assert "This week: 30 min · 1 run" in text
    assert "Week of 2 Nov: 0 min · 0 runs" in text.splitlines()


async def test_stats_after_logging_through_the_chat(any_bot: TestBot) -> None:
    """The whole path on both backends: /done and /sleep as typed, then /stats."""
    bot = any_bot
    await seed_runner(bot, level="beginner", plan_start=None)
    bot.at("2026-11-02 18:00")
    await bot.say("/done 30min")
    await bot.say("/sleep 6h")
    [reply] = await bot.replies("/stats")
    text = reply.text
    assert "This week: 30 min · 1 of " in text and "runs so far" in text
    assert (
        "<b>Effort</b>: 100% easy · 0% hard (target 80/20) — well balanced."
    ) in text.splitlines()
    assert "6.0 h average over 1 night logged, 1 under 7 h" in text
    assert text.splitlines()[-1] == "🔥 Streak: 1 day"
    assert reply.attachments and reply.attachments[0].content.startswith(PNG)
