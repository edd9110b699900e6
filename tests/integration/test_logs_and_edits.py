"""Words and other digits in /done, repeated logs, /logs, /undo N, /edit N and /sleep for an
earlier night, as the runner reads them (console adapter, fake clock; issue 14 items 4 and 6).

The fake clock starts on Monday 2 November 2026, 08:00 UTC; Monday is a fartlek day.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.logbook import Checkpoint, streak_inputs
from core.runners import find_runner
from core.storage.models import Plan, PlannedSession, RunLog, SleepLog, StreakState
from tests.integration.test_logging import (
    IMPROVING,
    count,
    day,
    hard_days,
    onboard,
    runner_id,
)
from tests.support.testbot import TestBot

START_DAILY = "/start level=improving days=mon,tue,wed,thu,fri,sat,sun tz=UTC units=km"


async def logged(bot: TestBot) -> list[tuple[date, float | None, float | None, str]]:
    async with bot.uow(readonly=True) as u:
        rows = await u.session.execute(
            select(RunLog.local_date, RunLog.minutes, RunLog.distance_m, RunLog.note)
            .order_by(RunLog.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


# --- item 4: words and other digits are read or refused, never "as planned" -----------------

READ = [
    ("/done half hour", "✓ Logged today: 30 min"),
    ("/done half an hour", "✓ Logged today: 30 min"),
    ("/done two hours", "✓ Logged today: 2 h"),
    ("/done an hour and a half", "✓ Logged today: 1 h 30 min"),
    ("/done ３０min", "✓ Logged today: 30 min"),
    ("/done ٣٠min", "✓ Logged today: 30 min"),
    ("/done 5k ２８:３０", "✓ Logged today: 5 km in 28:30 · 5:42/km"),
    ("/done 5k 28:30 hot, 30°C", "✓ Logged today: 5 km in 28:30 · 5:42/km — “hot, 30°C”"),
]


@pytest.mark.parametrize(("line", "first"), READ, ids=[line for line, _ in READ])
async def test_words_and_other_digits_are_read(any_bot: TestBot, line: str, first: str) -> None:
    bot = any_bot
    await onboard(bot)
    reply = await bot.say(line)
    assert reply.splitlines()[0] == first
    assert "as planned" not in reply


REFUSED = [
    ("/done 5k 28.30",
     'Did you mean 28:30 (minutes:seconds) for "28.30"? Times take a colon. '
     "Try /done 5k 28:30."),
    ("/done a few minutes",
     'How much is "a few minutes"? Give me the number, so I log the run you ran. '
     "Try /done 20min, /done 1h10 or /done 3k."),
    ("/done two",
     'I can\'t tell what "two" means: minutes, km or miles? '
     "Try /done 20min, /done two hours or /done 5k."),
    ("/done 三十min",
     'I couldn\'t read the number in "三十min"; please write it in digits. '
     "Try /done 5k 28:30 or /done 25min."),
]


@pytest.mark.parametrize(("line", "answer"), REFUSED, ids=[line for line, _ in REFUSED])
async def test_a_measure_pacer_cannot_read_is_refused(bot: TestBot, line: str, answer: str
                                                      ) -> None:
    await onboard(bot)
    assert await bot.say(line) == answer
    assert await count(bot, RunLog) == 0


# --- item 6: repeated /done says what the day holds ---------------------------------------


async def test_a_second_done_says_what_today_holds(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot)
    first = await bot.say("/done 5k 28:30")
    assert "Today:" not in first
    bot.advance(minutes=30)
    second = await bot.say("/done 28:30")
    assert second.splitlines()[0] == "✓ Logged today: 28:30"
    assert second.splitlines()[-1] == (
        "Today: 2 runs, 57 min, 5 km. If one was a correction, /undo removes the last log "
        "(/logs lists them all)."
    )
    assert await bot.say("/undo") == (
        "↩️ Removed your run today: 28:30.\n🔥 Streak: 1 day"
    )
    assert await count(bot, RunLog) == 1


async def test_logs_lists_the_last_fourteen_days_numbered(any_bot: TestBot) -> None:
    bot = any_bot
    bot.at("2026-10-19 08:00")  # a Monday, two weeks before
    await onboard(bot)
    await bot.say("/done 20min old")  # 19 Oct: outside the 14 days on 2 Nov
    bot.at("2026-10-31 08:00")
    await bot.say("/done 5k 28:30 parkrun")
    bot.at(day(0, "07:00"))
    await bot.say("/done")
    bot.advance(hours=2)
    await bot.say("/done 15min cool-down")
    assert await bot.say("/logs") == "\n".join([
        "Your runs in the last 14 days, newest first:",
        "1. Today · 15 min — “cool-down”",
        "2. Today · as planned · 35 min",
        "3. Sat 31 Oct · 5 km in 28:30 · 5:42/km — “parkrun”",
        "Fix one: /edit 3 5k 27:50 · remove one: /undo 3",
    ])


async def test_undo_a_numbered_run_fixes_the_streak_and_the_plan(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, START_DAILY)
    for offset in range(3):
        bot.at(day(offset, "07:00"))
        await bot.say("/done 30min")
    assert "🔥 Streak: 3 days" in await bot.say("/streak")
    reply = await bot.say("/undo 2")  # yesterday's run
    assert reply.splitlines()[0] == "↩️ Removed run 2 (Tue 3 Nov): 30 min."
    assert reply.splitlines()[-1] == "🔥 Streak: 1 day (best: 3 days)"
    assert [d for d, *_ in await logged(bot)] == [date(2026, 11, 2), date(2026, 11, 4)]


async def test_edit_a_numbered_run(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot)
    await bot.say("/done 5k 28:30 windy")
    assert (await bot.say("/logs")).splitlines()[-1] == (
        "Fix one: /edit 1 5k 27:50 · remove one: /undo 1"  # only numbers that exist
    )
    bot.at(day(1, "08:00"))
    assert await bot.say("/edit 1 5k 27:50") == "\n".join([
        "✏️ Run 1 (Mon 2 Nov) is now 5 km in 27:50 · 5:34/km — “windy” (was 5 km in 28:30 · "
        "5:42/km).",
        "🔥 Streak: 2 days — your best yet!",
    ])
    assert await logged(bot) == [(date(2026, 11, 2), 27 + 50 / 60, 5000.0, "windy")]
    assert (await bot.say("/edit 1 felt strong")).startswith(
        "✏️ Run 1 (Mon 2 Nov) is now 5 km in 27:50 · 5:34/km — “felt strong”."
    )


EDIT_REFUSALS = [
    ("/edit", "Which run, and what was it? /edit 3 5k 27:50 changes run 3 of /logs to 5 km "
              "in 27:50."),
    ("/edit five 5k", "Start with the run's number from /logs, e.g. /edit 3 5k 27:50. "
                      "Send /logs to see them."),
    ("/edit 4 5k", "There's no run 4: your one run of the last 14 days is run 1 (/edit 1). "
                   "Send /logs to see it."),
    ("/edit 1", "Tell me what run 1 was: /edit 1 5k 27:50, /edit 1 40min or /edit 1 felt "
                "strong (a new note)."),
    ("/edit 1 5k 28.30", 'Did you mean 28:30 (minutes:seconds) for "28.30"? Times take a '
                         "colon. Try /edit 1 5k 28:30."),
    ("/edit 1 yesterday 5k", "/edit keeps a run on its day. To move run 1 to another day, "
                             "remove it (/undo 1) and log it again: /done 2026-11-01 30min."),
    ("/undo 9", "There's no run 9: your one run of the last 14 days is run 1 (/undo 1). "
                "Send /logs to see it."),
    ("/undo 1 please", "/undo takes only a run's number from /logs, e.g. /undo 1."),
]


@pytest.mark.parametrize(("line", "answer"), EDIT_REFUSALS, ids=[t for t, _ in EDIT_REFUSALS])
async def test_edit_and_undo_refusals_change_nothing(bot: TestBot, line: str, answer: str
                                                     ) -> None:
    await onboard(bot)
    await bot.say("/done 25min")
    assert await bot.say(line) == answer
    assert await logged(bot) == [(date(2026, 11, 2), 25.0, None, "")]


async def test_a_number_past_the_list_says_which_numbers_there_are(bot: TestBot) -> None:
    await onboard(bot)
    await bot.say("/done 25min")
    await bot.say("/done 5k")
    assert await bot.say("/undo 3") == (
        "There's no run 3: /logs numbers your last 14 days' runs 1 to 2. Send /logs to see them."
    )
    bot.at("2026-11-20 08:00")  # 18 days later: nothing left to change
    assert await bot.say("/edit 1 5k") == "You have no runs in the last 14 days to change."
    assert await count(bot, RunLog) == 2


async def test_an_edit_of_an_old_run_rebuilds_the_streak_checkpoint(any_bot: TestBot) -> None:
    """A run older than the checkpoint's day changes day: the stored figures must equal a
    count from the plan start, not the checkpoint's."""
    bot = any_bot
    await onboard(bot, START_DAILY)
    for offset in range(12):
        bot.at(day(offset, "07:00"))
        await bot.say("/done 30min")
    async with bot.uow(readonly=True) as u:
        state = await u.session.get(StreakState, await runner_id(bot))
        assert state is not None
        before = Checkpoint.of_json(state.checkpoint)
    assert before is not None and before.through == date(2026, 11, 5)
    # Run 11 of /logs is Tue 3 Nov: removing it breaks the streak before the checkpoint.
    reply = await bot.say("/undo 11")
    assert reply.splitlines()[0] == "↩️ Removed run 11 (Tue 3 Nov): 30 min."
    assert reply.splitlines()[-1] == "🔥 Streak: 10 days (best: 12 days)"
    assert "Streak: 10 days" in await bot.say("/streak")
    # An edit of a run before the checkpoint's day: the checkpoint is counted afresh.
    assert (await bot.say("/edit 11 5k 31:00")).startswith("✏️ Run 11 (Mon 2 Nov) is now 5 km")
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        fresh = (await streak_inputs(u, runner, bot.clock.now())).report()
        state = await u.session.get(StreakState, runner.id)
        assert state is not None
        after = Checkpoint.of_json(state.checkpoint)
        assert state.current == fresh.current == 10
        assert state.best == 12  # a best once reached is kept (save_streak)
    assert after is not None and after.through == date(2026, 11, 5)
    assert (after.run, after.best) == fresh.settled_at(after.through) == (2, 2)
    bot.advance(minutes=5)
    assert "🔥 Streak: 10 days" in await bot.say("/done 10min")


# --- /sleep for an earlier night -------------------------------------------------------------


async def test_sleep_for_an_earlier_night(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, IMPROVING)
    bot.at(day(2, "07:00"))  # Wednesday
    assert (await bot.say("/sleep 8h")).startswith("😴 Logged 8 h for last night.")
    reply = await bot.say("/sleep yesterday 7h")
    assert reply.splitlines()[:2] == [
        "😴 Logged 7 h for the night before Tue 3 Nov.",
        "7-day average: 7 h 30 min over 2 nights.",
    ]
    assert (await bot.say("/sleep yesterday 7h30")).splitlines()[0] == (
        "😴 Updated the night before Tue 3 Nov: 7 h → 7 h 30 min."
    )
    assert await bot.say("/sleep tomorrow 7h") == (
        "That night is still to come. Try /sleep yesterday 7h or /sleep sun 7h30."
    )
    async with bot.uow(readonly=True) as u:
        rows = await u.session.execute(
            select(SleepLog.local_date, SleepLog.hours).order_by(SleepLog.local_date)
        )
        assert [tuple(r) for r in rows] == [(date(2026, 11, 3), 7.5), (date(2026, 11, 4), 8.0)]


async def planned_day(bot: TestBot, when: date) -> tuple[str, str, bool, str | None]:
    """(type, intensity, key, note) of the stored plan's day."""
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as u:
        found = await u.session.scalar(select(PlannedSession).where(
            PlannedSession.runner_id == rid, PlannedSession.date == when))
        assert found is not None
        return found.type, found.intensity, found.key, found.detail["note"]


async def test_plans_follow_an_undo_and_an_earlier_nights_sleep(bot: TestBot) -> None:
    await onboard(bot)
    await bot.say("/done")  # Monday's short first session (signed up on a training day)
    bot.at(day(1, "07:00"))  # Tuesday
    week = (date(2026, 11, 3), date(2026, 11, 8))
    planned = await hard_days(bot, *week)
    assert planned == [date(2026, 11, 4)]  # Wednesday's fartlek, the week's key session
    plans = await count(bot, Plan)
    await bot.say("/edit 1 40min")  # a past day's run changed: the plan is made again
    assert await count(bot, Plan) == plans + 1
    await bot.say("/undo 1")
    assert await count(bot, Plan) == plans + 2
    # Monday's first session is missed now. It was an easy welcome run, never a key session
    # (adaptation: only a missed key session moves): nothing moves, nothing is added, and the
    # stored past day stays as it was planned.
    assert await hard_days(bot, *week) == planned
    assert await planned_day(bot, date(2026, 11, 2)) == (
        "easy", "easy", False, "Welcome! Your first session is short on purpose: finish feeling "
        "you could do more. The plan builds from here.")

    bot.at(day(2, "06:00"))  # Wednesday: today's fartlek is still to run
    assert (await bot.say("/sleep 7h")).startswith("😴 Logged 7 h for last night.")
    await bot.say("/sleep yesterday 7h")
    reply = await bot.say("/sleep mon 4h")  # three nights now average 6 h
    assert reply.splitlines()[0] == "😴 Logged 4 h for the night before Mon 2 Nov."
    assert "I've made today's fartlek an easy run — sleep first." in reply
    assert date(2026, 11, 4) not in await hard_days(bot, *week)
    reply = await bot.say("/sleep mon 8h")  # a typo fixed: the session comes back
    assert "Today's fartlek is back on" in reply
    assert await hard_days(bot, *week) == planned
