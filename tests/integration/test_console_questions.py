"""Guided questions in the console, as a newcomer types them (issue 14, items 2 and 3).

A typed number presses the button shown with it; any command closes an open question; a
question expires after 30 minutes; a plain line with no open question points to /help.
The fake clock starts on Monday 2 November 2026, 08:00 UTC.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.app import Pacer
from core.runners import find_runner
from tests.support.console import ConsoleTranscript
from tests.support.testbot import TestBot

POINTER = "I answer commands. Send /help to see them, or /today for today's session.\n\n"
TIMED_OUT = (
    "My last question timed out, so I didn't take that as an answer. Send /settings to change "
    "a setting. Send /help to see everything I can do.\n\n"
)
ONE_LINE = "/start level=beginner days=mon,wed,fri time=07:00 tz=UTC units=km"


async def runner_row(bot: TestBot, user: str = "ana") -> dict[str, Any]:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", user)
        assert runner is not None
        return {"reminder_time": runner.reminder_time, "level": runner.level,
                "units": runner.units, "training_days": runner.training_days,
                "conversation": runner.conversation, "onboarded": runner.onboarded}


# --- item 2: a typed number presses the button with that number ----------------------------


async def test_guided_start_by_button_numbers(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    out = await ana.type("/start")
    assert "  [1] First mile  (beginner)\n  [2] Faster mile  (improving)\n" in out
    assert "  [3] Personal record  (competitive)\n  [4] Cancel  (cancel)\n" in out
    assert "✓ Level: Personal record (competitive)" in await ana.type("3")
    out = await ana.type("6:10")  # no button has a number like that: the typed answer
    assert "✓ Current mile time: 6:10" in out
    assert "  [1] No goal time yet  (skip)\n" in out
    assert "✓ Goal mile time: not set" in await ana.type("1")
    out = await ana.type("mon,wed,sat")
    assert "✓ Training days: Mon, Wed, Sat" in out
    assert "  [1] 06:00  (06:00)\n  [2] 07:00  (07:00)\n  [3] 18:00  (18:00)\n" in out
    assert "✓ Reminder time: 07:00" in await ana.type("2")  # the button, never 02:00
    await ana.type("Berlin")
    out = await ana.type("2")  # [2] Miles
    assert "Welcome to Pacer, ana!" in out
    assert "Daily session at: 07:00 (Europe/Berlin)" in out
    saved = await runner_row(bot)
    assert (saved["level"], saved["reminder_time"], saved["units"]) == (
        "competitive", "07:00", "mi")


async def test_days_buttons_mean_that_many_days(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type("/start level=beginner tz=UTC time=18:00")
    out = await ana.type("4")  # [4] is the button "4": four days
    assert "✓ Training days: Tue, Thu, Sat, Sun" in out
    await ana.type("1")  # [1] Kilometres
    saved = await runner_row(bot)
    assert len(saved["training_days"].split(",")) == 4 and saved["units"] == "km"


async def test_days_buttons_start_at_three_and_fewer_days_are_refused(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    out = await ana.type("/start level=beginner tz=UTC time=18:00")
    assert ("  [3] 3  (3)\n  [4] 4  (4)\n  [5] 5  (5)\n  [6] 6  (6)\n  [7] 7  (7)\n"
            "  [8] Cancel  (cancel)\n") in out
    out = await ana.type("2")  # no button [2]: the answer "2", which a plan can't be built on
    assert "Hmm, that didn't work: Pick at least 3 training days a week" in out
    assert (await runner_row(bot))["onboarded"] is False
    assert "✓ Training days: Mon, Wed, Sat" in await ana.type("3")


async def test_a_number_past_the_buttons_is_the_typed_answer(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    out = await ana.type("/settings time")
    assert "  [4] Cancel  (cancel)\n" in out
    out = await ana.type("6")  # no button [6]: "6" is the answer, 06:00
    assert "Reminder time: 07:00 → 06:00" in out
    assert (await runner_row(bot))["reminder_time"] == "06:00"


async def test_the_cancel_button_by_number_changes_nothing(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    await ana.type("/settings units")
    out = await ana.type("3")  # [3] Cancel
    assert out == "Cancelled — nothing was changed.\n\n"
    saved = await runner_row(bot)
    assert (saved["units"], saved["conversation"]) == ("km", None)


# --- item 3: commands close questions; questions expire ------------------------------------


async def test_any_command_closes_the_open_question(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    assert "When should I send you the day's session?" in await ana.type("/settings time")
    await ana.type("/today")
    await ana.type("/done 30min")
    await ana.type("/streak")
    assert await ana.type("hi") == POINTER
    saved = await runner_row(bot)
    assert (saved["reminder_time"], saved["conversation"]) == ("07:00", None)


async def test_a_refused_command_still_closes_the_question(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    await ana.type("/settings time")
    out = await ana.type("/race 2020-01-01")  # refused: a date in the past
    assert "Welcome" not in out
    assert await ana.type("6") == POINTER
    assert (await runner_row(bot))["reminder_time"] == "07:00"


async def test_an_unknown_command_closes_it_and_slash_cancel_cancels(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    await ana.type("/settings time")
    assert await ana.type("/cancel") == "Cancelled — nothing was changed.\n\n"
    assert await ana.type("/cancel") == (
        "There is nothing to cancel. Send /help to see the commands.\n\n")
    await ana.type("/settings time")
    assert "I don't know /strek. Did you mean /streak?" in await ana.type("/strek")
    assert await ana.type("6") == POINTER


async def test_start_then_a_number_no_longer_changes_the_reminder(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    await ana.type("/settings time")
    out = await ana.type("/start")  # all set: the menu, and the question is closed
    assert "You're all set, ana" in out
    assert "  [1] Today's session  (/today)\n" in out
    out = await ana.type("4")  # no button [4]: a plain line, not a time of day
    assert out == POINTER
    assert (await runner_row(bot))["reminder_time"] == "07:00"


async def test_a_question_expires_after_30_minutes(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    await ana.type("/settings time")
    bot.advance(minutes=30)
    assert "Reminder time: 07:00 → 06:30" in await ana.type("06:30")  # still open at 30 min
    await ana.type("/settings time")
    bot.advance(minutes=31)
    assert await ana.type("hi") == TIMED_OUT
    assert await ana.type("hi") == POINTER
    assert (await runner_row(bot))["reminder_time"] == "06:30"


async def test_a_wrong_answer_asks_again_with_a_fresh_half_hour(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    await ana.type("/settings time")
    bot.advance(minutes=25)
    assert "Hmm, that didn't work" in await ana.type("teatime")
    bot.advance(minutes=25)
    assert "Reminder time: 07:00 → 18:00" in await ana.type("18:00")


async def test_an_open_question_expires_across_a_restart(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    await ana.type("/settings time")
    # The process restarts: a new dispatcher on the same database, hours later.
    bot.pacer = Pacer(bot.uow, bot.clock)
    bot.advance(hours=3)
    restarted = ConsoleTranscript(bot)
    assert await restarted.type("hi") == TIMED_OUT
    assert (await runner_row(bot))["conversation"] is None


async def test_a_question_kept_from_before_the_update_counts_as_expired(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    async with bot.uow() as u:  # stored by an older Pacer: no asking instant
        runner = await find_runner(u, "console", "ana")
        assert runner is not None
        old = {"flow": "settings", "step": "time", "answers": {}}
        await u.runners.save(replace(runner, conversation=old), runner)
    assert await ana.type("hi") == TIMED_OUT
    assert (await runner_row(bot))["reminder_time"] == "07:00"


async def test_plain_text_before_setup_points_to_start(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    assert await ana.type("hello") == (
        "I answer commands. Send /start to set up your plan, or /help to see them all.\n\n")


async def test_deleteme_keeps_its_own_question_open_for_its_buttons(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot)
    await ana.type(ONE_LINE)
    out = await ana.type("/deleteme")
    assert "  [2] Cancel  (/deleteme cancel)\n" in out
    assert await ana.type("2") == "Cancelled — nothing was deleted.\n\n"
    assert (await runner_row(bot))["onboarded"] is True
