"""Logging runs, undo, skip and sleep, as the runner reads them (SQLite, fake clock).

The fake clock starts on Monday 2 November 2026, 08:00 UTC. The runners here train on Mon,
Wed, Fri and Sat (improving: fartlek on Monday and Wednesday) or Mon, Wed, Sat (beginner).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from core.runners import find_runner
from core.storage.models import PlannedSession, RunLog, Skip, SleepLog, StreakState
from tests.support.testbot import TestBot

MONDAY = date(2026, 11, 2)
IMPROVING = "/start level=improving days=mon,wed,fri,sat tz=UTC units={units} mile=7:30 goal=6:45"
BEGINNER = "/start level=beginner days=mon,wed,sat tz=UTC units=km"


async def onboard(bot: TestBot, line: str = IMPROVING, units: str = "km", user: str = "ann"
                  ) -> None:
    reply = await bot.say(line.format(units=units), user=user)
    assert "Welcome" in reply


async def count(bot: TestBot, model: Any) -> int:
    async with bot.uow(readonly=True) as u:
        return int(await u.session.scalar(select(func.count()).select_from(model)) or 0)


async def runner_id(bot: TestBot, user: str = "ann") -> int:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", user)
        assert runner is not None
        return runner.id


async def stored_streak(bot: TestBot) -> tuple[int, int]:
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:
        state = await u.session.get(StreakState, rid)
        assert state is not None
        return state.current, state.best  # read before the read-only rollback expires them


async def hard_days(bot: TestBot, first: date, last: date) -> list[date]:
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:
        rows = await u.session.scalars(
            select(PlannedSession.date).where(
                PlannedSession.runner_id == rid,
                PlannedSession.date.between(first, last),
                PlannedSession.intensity == "hard",
            )
        )
        return sorted(rows)


def day(offset: int, clock: str = "08:00") -> str:
    return f"{MONDAY + timedelta(days=offset)} {clock}"


# --- a week of logging ----------------------------------------------------------------------


async def test_a_week_of_logging(any_bot: TestBot) -> None:
    bot = any_bot  # both backends
    await onboard(bot)
    bot.at(day(0, "07:30"))
    reply = await bot.say("/done")
    # signing up on a training day: a short first session that day (issue 13, item 7)
    assert "✓ Logged today: Easy run as planned · 20 min" in reply
    assert "🔥 Streak: 1 day" in reply.splitlines()

    bot.at(day(1, "20:00"))  # Tuesday: no run planned, the streak carries on
    assert "🔥 Streak: 2 days — your best yet!" in (await bot.say("/streak")).splitlines()

    bot.at(day(2, "18:00"))
    reply = await bot.say("/done 5k 28:30")
    assert "✓ Logged today: 5 km in 28:30 · 5:42/km" in reply
    assert "🔥 Streak: 3 days" in reply

    bot.at(day(4, "19:00"))  # Thursday had no run either
    reply = await bot.say("/done 40min felt strong")
    assert "✓ Logged today: 40 min — “felt strong”" in reply
    assert "🔥 Streak: 5 days — your best yet!" in reply.splitlines()

    bot.at(day(5, "10:00"))
    assert "🔥 Streak: 6 days — your best yet!" in (await bot.say("/done 1h 5min")).splitlines()

    bot.at(day(6, "09:00"))  # Sunday: a rest day, so a bare /done asks how long
    reply = await bot.say("/done")
    assert "Today is a rest day — if you ran anyway, tell me how long: /done 20min" in reply
    assert await count(bot, RunLog) == 4

    reply = await bot.say("/streak")
    assert "🔥 Streak: 7 days — your best yet!" in reply.splitlines()
    assert "Weekly consistency: 1 week in a row" in reply
    assert "Today · rest" in reply.splitlines()
    assert "Mon 2 Nov ✓ 20 min" in reply.splitlines()
    assert "Wed 4 Nov ✓ 28:30" in reply.splitlines()
    assert await stored_streak(bot) == (7, 7)


async def test_runs_are_shown_in_the_runners_units(bot: TestBot) -> None:
    await onboard(bot, units="mi")
    reply = await bot.say("/done 5k 28:30")
    assert "✓ Logged today: 3.11 mi in 28:30 · 9:10/mi" in reply


async def test_notes_are_stored_raw_and_shown_escaped(bot: TestBot) -> None:
    await onboard(bot)
    replies = await bot.replies("/done 25min felt <great> & _fast_")
    assert "felt &lt;great&gt; &amp; _fast_" in replies[0].text
    async with bot.uow(readonly=True) as u:
        note = await u.session.scalar(select(RunLog.note))
    assert note == "felt <great> & _fast_"


async def test_an_as_planned_log_stores_the_planned_session(bot: TestBot) -> None:
    await onboard(bot)
    await bot.say("/done")
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:  # read inside: a read-only rollback expires rows
        log = await u.session.scalar(select(RunLog))
        planned = await u.session.scalar(
            select(PlannedSession).where(
                PlannedSession.runner_id == rid, PlannedSession.date == MONDAY
            )
        )
        assert log is not None and planned is not None
        assert log.as_planned and log.minutes == planned.minutes
        assert (log.intensity, log.session_type, log.source) == ("easy", "easy", "console")
        assert log.local_date == MONDAY


async def test_a_second_run_on_a_run_day_is_an_extra_easy_run(bot: TestBot) -> None:
    await onboard(bot)
    await bot.say("/done 30min")
    bot.advance(hours=3)
    reply = await bot.say("/done")
    assert "Today's session is already logged" in reply and "/done 20min" in reply
    await bot.say("/done 15min cool-down jog")
    async with bot.uow(readonly=True) as u:
        rows = await u.session.execute(
            select(RunLog.intensity, RunLog.session_type).order_by(RunLog.id)
        )
        assert [tuple(r) for r in rows] == [("easy", "easy"), ("easy", None)]


async def test_runs_in_another_time_zone_belong_to_the_local_day(bot: TestBot) -> None:
    await bot.say("/start level=beginner days=mon,wed,sat tz=Asia/Kathmandu units=km")
    bot.at("2026-11-02 23:50", "Asia/Kathmandu")  # 18:05 UTC
    assert "🔥 Streak: 1 day" in (await bot.say("/done 20min")).splitlines()
    async with bot.uow(readonly=True) as u:
        assert await u.session.scalar(select(RunLog.local_date)) == MONDAY


# --- refusals: a clear reply, nothing stored ------------------------------------------------

BAD_DONE = [
    ("5", "/done"),  # a number without a unit
    ("0min", "/done"),
    ("-5k", "/done"),
    ("25 hours", "/done"),
    ("300km", "/done"),
    ("1 mile 3:00", "/done"),  # faster than the world record
    ("tomorrow 20min", "/done"),
    ("2026-10-20 20min", "/done"),  # more than 7 days ago
    ("25:75", "/done"),
    ("20min 30min", "/done"),
    ("5k 3k", "/done"),
    ("pizza 5 slices", "/done"),
    ("<b>5</b> kmz", "/done"),
]


@pytest.mark.parametrize(("text", "example"), BAD_DONE, ids=[t for t, _ in BAD_DONE])
async def test_bad_done_is_refused_and_nothing_stored(bot: TestBot, text: str, example: str
                                                      ) -> None:
    await onboard(bot)
    replies = await bot.replies(f"/done {text}")
    assert len(replies) == 1
    reply = replies[0].text
    assert example in reply
    assert "<b>5</b>" not in reply  # what the runner typed is escaped
    assert "Logged" not in reply
    assert await count(bot, RunLog) == 0
    assert await count(bot, StreakState) == 0


async def test_identical_log_within_two_minutes_is_refused(bot: TestBot) -> None:
    await onboard(bot)
    assert "✓ Logged today: 25 min" in (await bot.say("/done 25min")).splitlines()
    bot.advance(seconds=90)
    assert await bot.say("/done 25min") == "Already logged — /undo if that was a mistake."
    assert await count(bot, RunLog) == 1
    # another note: another run
    assert "✓ Logged today: 25 min — “easy”" in (await bot.say("/done 25min easy")).splitlines()
    bot.advance(minutes=3)
    # later on: a second run is believable
    assert "✓ Logged today: 25 min" in (await bot.say("/done 25min")).splitlines()
    assert await count(bot, RunLog) == 3


async def test_double_tap_on_done_is_refused(bot: TestBot) -> None:
    await onboard(bot)
    await bot.say("/done")
    bot.advance(seconds=5)
    assert await bot.say("/done") == "Already logged — /undo if that was a mistake."
    assert await count(bot, RunLog) == 1


async def test_redelivered_update_is_logged_once(bot: TestBot) -> None:
    await onboard(bot)
    assert "Logged" in await bot.say("/done 25min", update_id="tg-77")
    bot.advance(minutes=10)
    assert await bot.say("/done 25min", update_id="tg-77") == ""
    assert await count(bot, RunLog) == 1


async def test_done_before_onboarding_points_to_start(bot: TestBot) -> None:
    assert await bot.say("/done 25min") == (
        "Let's set you up first: send /start (it takes a minute)."
    )
    assert await count(bot, RunLog) == 0


# --- past days and backfills --------------------------------------------------------------


async def test_backfill_within_48_hours_repairs_the_streak(any_bot: TestBot) -> None:
    bot = any_bot  # both backends
    await onboard(bot)
    bot.at(day(1, "09:00"))
    reply = await bot.say("/streak")
    assert "Mon 2 Nov ✗ missed — ran? /done yesterday until Wed 4 Nov 23:59" in reply
    # Tuesday's rest keeps a streak, it doesn't start one
    assert "Streak: 0 days" in reply.splitlines()

    bot.at(day(2, "23:30"))  # Wednesday night, 47.5 hours after Monday ended
    reply = await bot.say("/done mon 30min")
    assert "✓ Logged for Mon 2 Nov: 30 min" in reply
    assert "That fills in Mon 2 Nov — your streak is repaired." in reply
    async with bot.uow(readonly=True) as u:
        assert await u.session.scalar(select(RunLog.local_date)) == MONDAY
    assert "Mon 2 Nov ✓ 30 min" in (await bot.say("/streak")).splitlines()


async def test_backfill_after_48_hours_is_kept_for_stats_only(bot: TestBot) -> None:
    await onboard(bot)
    bot.at(day(0, "19:00"))
    await bot.say("/done 30min")
    bot.at(day(5, "08:00"))  # Saturday: Wednesday ended 56 hours ago
    reply = await bot.say("/done wed 30min")
    assert "✓ Logged for Wed 4 Nov: 30 min" in reply
    assert "too late to repair your streak" in reply
    assert await count(bot, RunLog) == 2
    assert "Wed 4 Nov ✗ missed (logged too late to count)" in await bot.say("/streak")


async def test_yesterday_as_planned_uses_yesterdays_plan(bot: TestBot) -> None:
    await onboard(bot)
    bot.at(day(3, "07:00"))  # Thursday
    reply = await bot.say("/done yesterday")
    assert "✓ Logged yesterday (Wed 4 Nov): " in reply and "as planned" in reply
    assert "your streak is repaired" in reply
    bot.at(day(2, "07:00"))
    reply = await bot.say("/done yesterday")  # a Tuesday without a run
    assert "No run was planned yesterday (Tue 3 Nov)" in reply
    assert "/done yesterday 20min" in reply


# --- undo -----------------------------------------------------------------------------------


async def test_undo(any_bot: TestBot) -> None:
    bot = any_bot  # both backends
    await onboard(bot)
    assert await bot.say("/undo") == (
        "Nothing to undo — you haven't logged a run yet. Log one with /done."
    )
    await bot.say("/done 30min")
    bot.advance(minutes=5)
    await bot.say("/done yesterday 20min")  # made last, so undone first
    reply = await bot.say("/undo")
    assert "↩️ Removed your run yesterday (Sun 1 Nov): 20 min." in reply
    reply = await bot.say("/undo")
    assert "↩️ Removed your run today: 30 min." in reply
    assert (
        "Streak: 0 days (best: 1 day) — your next planned run starts a new one."
        in reply.splitlines()
    )
    assert await count(bot, RunLog) == 0
    assert await stored_streak(bot) == (0, 1)  # the best never decreases


# --- skip -----------------------------------------------------------------------------------


async def test_skip_ends_the_streak_and_a_run_brings_it_back(bot: TestBot) -> None:
    bot.at(day(-1, "20:00"))  # signed up on Sunday, not a training day: Monday keeps its key
    await onboard(bot)
    bot.at(day(0, "08:00"))
    await bot.say("/done")
    bot.at(day(2, "07:00"))
    replies = await bot.replies("/skip tired <3")
    assert "(reason: tired &lt;3)" in replies[0].text
    reply = await bot.say("/skip")
    assert reply == "Today's session is already skipped. Ran after all? /done still counts."
    bot.at(day(2, "08:00"))
    reply = await bot.say("/streak")
    assert "Streak: 0 days (best: 2 days)" in reply.splitlines()
    assert "Today ↷ skipped" in reply.splitlines()
    assert await count(bot, Skip) == 1

    bot.at(day(2, "19:00"))  # ran after all
    reply = await bot.say("/done 30min")
    assert await count(bot, Skip) == 0


async def test_skip_tells_the_runner_about_the_streak_and_the_week(bot: TestBot) -> None:
    bot.at(day(-1, "20:00"))  # signed up on Sunday, not a training day: Monday keeps its key
    await onboard(bot)
    bot.at(day(0, "08:00"))
    await bot.say("/done")
    bot.at(day(2, "07:00"))
    reply = await bot.say("/skip")
    assert "↷ Skipped today's Fartlek: 6 × 1 min surges" in reply
    assert "Your 2-day streak ends here" in reply  # Monday's run and Tuesday's rest
    assert "/done today still counts" in reply
    assert "stays as planned" in reply or "I've adapted the rest of your week" in reply


async def week_rows(bot: TestBot, first: date, last: date) -> dict[date, tuple[str, int]]:
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:
        rows = await u.session.execute(
            select(PlannedSession.date, PlannedSession.title, PlannedSession.minutes).where(
                PlannedSession.runner_id == rid, PlannedSession.date.between(first, last)
            )
        )
        return {d: (title, minutes) for d, title, minutes in rows}


@pytest.mark.parametrize("line", [BEGINNER, IMPROVING])
async def test_skip_reports_what_the_plan_changed(bot: TestBot, line: str) -> None:
    """Whatever the training engine decides, the reply names every day it changed."""
    await onboard(bot, line)
    rest_of_week = (MONDAY + timedelta(days=1), MONDAY + timedelta(days=6))
    before = await week_rows(bot, *rest_of_week)
    reply = await bot.say("/skip busy day")
    after = await week_rows(bot, *rest_of_week)
    changed = [d for d in after if after[d] != before.get(d)]
    if changed:
        assert "I've adapted the rest of your week:" in reply
        for d in changed:
            assert f"{d:%a} {d.day} {d:%b}:" in reply
            assert f"(was: {before[d][0]}" in reply
    else:
        assert "The rest of your week stays as planned." in reply
        assert "Next run: Wed 4 Nov" in reply


def test_week_changes_lists_moved_sessions() -> None:
    from core.commands.skip import Session, week_changes

    wed, thu = MONDAY + timedelta(days=2), MONDAY + timedelta(days=3)
    before = [Session(wed, "Easy run", 30, True, ""), Session(thu, "Strength", 20, False, "")]
    after = [Session(wed, "Fartlek <fun>", 32, True, "Moved from Monday"), before[1]]
    assert week_changes(before, after) == [
        "I've adapted the rest of your week:",
        "• Wed 4 Nov: Fartlek &lt;fun&gt; · 32 min (was: Easy run · 30 min) — "
        "<i>Moved from Monday</i>",
    ]
    assert week_changes(before, before)[0] == "The rest of your week stays as planned."
    assert "last session this week" in week_changes(before, [])[0]


async def test_skip_refusals(bot: TestBot) -> None:
    await onboard(bot)
    bot.at(day(6, "08:00"))
    assert await bot.say("/skip") == "Nothing to skip today — it's a rest day. Enjoy it!"
    bot.at(day(1, "08:00"))
    assert "Nothing to skip today — there's no run planned" in await bot.say("/skip")
    bot.at(day(2, "08:00"))
    await bot.say("/done 30min")
    assert "already logged a run today" in await bot.say("/skip")
    assert await count(bot, Skip) == 0


# --- sleep ----------------------------------------------------------------------------------


async def test_short_sleep_eases_the_next_hard_session_and_a_fix_restores_it(bot: TestBot
                                                                             ) -> None:
    await onboard(bot)
    await bot.say("/done")  # Monday's fartlek is done
    week = (MONDAY, MONDAY + timedelta(days=6))
    hard_before = await hard_days(bot, *week)
    reply = await bot.say("/sleep 5h")
    assert "😴 Logged 5 h for last night." in reply
    assert "7-day average: 5 h over 1 night." in reply
    assert (
        "That's under 7 hours. Aim for 7–9 h: sleep is when training turns into fitness."
    ) in reply.splitlines()
    assert "I've made Wednesday's fartlek an easy run — sleep first." in reply
    assert await hard_days(bot, *week) == [d for d in hard_before if d != MONDAY + timedelta(2)]

    reply = await bot.say("/sleep 7h30")
    assert "Updated last night's sleep: 5 h → 7 h 30 min" in reply
    assert "Wednesday's fartlek is back on" in reply
    assert await hard_days(bot, *week) == hard_before
    assert await count(bot, SleepLog) == 1


async def test_sleep_average_over_a_week(bot: TestBot) -> None:
    await onboard(bot)
    for offset, hours in enumerate(["8h", "7:30", "6h", "7.5h"]):
        bot.at(day(offset, "07:00"))
        reply = await bot.say(f"/sleep {hours}")
    assert "7-day average: 7 h 15 min over 4 nights." in reply
    bot.at(day(2, "07:00"))
    reply = await bot.say("/sleep 6h")  # Wed: 6 h is short of 7 but not poor
    assert (
        "That's under 7 hours. Aim for 7–9 h: sleep is when training turns into fitness."
    ) in reply.splitlines()


async def test_bad_sleep_is_refused(bot: TestBot) -> None:
    await onboard(bot)
    for text in ("", "lots", "0h", "20h"):
        reply = await bot.say(f"/sleep {text}")
        assert "/sleep" in reply, text
    assert await count(bot, SleepLog) == 0


# --- guardrails -----------------------------------------------------------------------------


async def test_ten_percent_warning_shows_once_a_week(bot: TestBot) -> None:
    await onboard(bot)
    await bot.say("/done sat 20min")  # last week: 40 minutes
    await bot.say("/done sun 20min")
    reply = await bot.say("/done 50min")
    assert "more than 10% above last week's (40 min)" in reply
    bot.at(day(2, "18:00"))
    reply = await bot.say("/done 30min")
    assert "10%" not in reply


# --- logbook helpers ---------------------------------------------------------------------------


async def test_last_log_is_the_most_recently_made(bot: TestBot) -> None:
    from core.logbook import last_log

    await onboard(bot)
    await bot.say("/done sun 20min")  # last week
    await bot.say("/done 5k 28:30")
    bot.at(day(2, "18:00"))
    await bot.say("/done 3k")  # no time: distance only
    await bot.say("/done yesterday 15min")  # made last, though for an earlier day
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:
        last = await last_log(u, rid)
        assert last is not None and last.minutes == 15 and last.distance_m is None
