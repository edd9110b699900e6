"""Onboarding and settings, as transcripts: one line, guided step by step, and refusals.

The fake clock starts on Monday 2 November 2026, 08:00 UTC.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from core.messages import Reply
from core.runners import find_runner
from core.storage.models import PlannedSession
from tests.support.testbot import TestBot

ONE_LINE = (
    "/start level=beginner days=mon,wed,fri time=07:00 tz=Europe/Berlin units=km "
    "mile=9:30 goal=8:00"
)


async def stored(bot: TestBot, user: str = "ann") -> dict[str, Any]:
    """What the database holds about a runner (read in its own transaction)."""
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", user)
        assert runner is not None
        sessions = await u.session.scalar(
            select(func.count())
            .select_from(PlannedSession)
            .where(PlannedSession.runner_id == runner.id)
        )
        return {
            "onboarded": runner.onboarded, "level": runner.level,
            "training_days": runner.training_days, "reminder_time": runner.reminder_time,
            "tz": runner.tz, "units": runner.units, "mile_time_s": runner.mile_time_s,
            "goal_s": runner.goal_s, "race_date": runner.race_date,
            "race_start": runner.race_start, "quiet": runner.quiet, "nudges": runner.nudges,
            "plan_start": runner.plan_start, "conversation": runner.conversation,
            "sessions": sessions,
        }


def button(replies: list[Reply], label: str) -> str:
    """The command a button with this label sends."""
    for reply in replies:
        for row in reply.choices:
            for choice in row:
                if choice.label == label:
                    return choice.command
    raise AssertionError(f"no button {label!r} in {[r.choices for r in replies]}")


def labels(replies: list[Reply]) -> list[str]:
    return [c.label for r in replies for row in r.choices for c in row]


NOTHING_STORED = {
    "onboarded": False, "level": "beginner", "training_days": "0,2,5", "reminder_time": "07:00",
    "tz": "UTC", "units": "km", "mile_time_s": None, "goal_s": None, "race_date": None,
    "race_start": None, "quiet": False, "nudges": True, "plan_start": None,
    "conversation": None, "sessions": 0,
}


# --- one line ----------------------------------------------------------------------------------


async def test_one_line_start_sets_everything_up(any_bot: TestBot) -> None:
    text = await any_bot.say(ONE_LINE)
    assert "Welcome to Pacer, Ann!" in text
    assert "Level: First mile (beginner)" in text
    assert "Training days: Mon, Wed, Fri" in text
    assert "Daily session at: 07:00 (Europe/Berlin)" in text
    assert "Units: kilometres" in text.splitlines()
    assert "Mile: now 9:30, goal 8:00" in text
    assert "Today · Mon 2 Nov · Run/walk: run 30 s / walk 1:30" in text.splitlines()
    assert "Log it with /done when you've run." in text.splitlines()
    saved = await stored(any_bot)
    assert saved["onboarded"] is True
    assert (saved["level"], saved["training_days"], saved["tz"]) == (
        "beginner", "0,2,4", "Europe/Berlin")
    assert (saved["reminder_time"], saved["units"]) == ("07:00", "km")
    assert (saved["mile_time_s"], saved["goal_s"]) == (570, 480)
    assert saved["plan_start"] == date(2026, 11, 2)
    assert saved["sessions"] >= 14  # a plan is stored ahead
    assert saved["conversation"] is None


async def test_one_line_accepts_key_aliases(bot: TestBot) -> None:
    text = await bot.say("/start level=improving days=4 reminder=6:30 timezone=Berlin units=mi")
    assert "Daily session at: 06:30 (Europe/Berlin)" in text
    assert "Units: miles" in text.splitlines()
    saved = await stored(bot)
    assert (saved["tz"], saved["reminder_time"], saved["units"]) == (
        "Europe/Berlin", "06:30", "mi")
    await bot.say("/start zone=Asia/Kathmandu")  # an onboarded runner restarts with changes
    assert (await stored(bot))["tz"] == "Asia/Kathmandu"


@pytest.mark.parametrize(
    ("line", "mentions"),
    [
        ("level=expert", "level"),
        ("days=9", "days"),
        ("days=funday", "days"),
        ("time=25:00", "time"),
        ("tz=Mars/Olympus", "tz"),
        ("units=furlongs", "units"),
        ("mile=1:00", "mile"),
        ("goal=fast", "goal"),
        ("race=2020-01-01", "race"),
        ("start=99:99", "start"),
        ("quiet=maybe", "quiet"),
        ("nudges=sometimes", "nudges"),
    ],
)
async def test_each_invalid_value_is_refused_and_nothing_is_stored(
    bot: TestBot, line: str, mentions: str
) -> None:
    good = {"level": "beginner", "days": "3", "tz": "Europe/Berlin"}
    bad_key = line.split("=")[0]
    rest = " ".join(f"{k}={v}" for k, v in good.items() if k != bad_key)
    text = await bot.say(f"/start {rest} {line}")
    assert f"I couldn't set {line}" in text
    assert "Example:" in text
    assert f"{mentions}=" in text.split("Example:")[1]
    assert "Welcome" not in text
    assert await stored(bot) == NOTHING_STORED


async def test_unknown_key_lists_the_keys_that_exist(bot: TestBot) -> None:
    text = await bot.say("/start level=beginner days=3 tz=UTC colour=blue")
    assert "I don't know the setting “colour”" in text
    assert "level, days, time, tz, units, mile, goal, race, start, quiet, nudges" in text
    assert await stored(bot) == NOTHING_STORED


async def test_goal_slower_than_current_mile_is_refused(bot: TestBot) -> None:
    text = await bot.say("/start level=improving days=4 tz=UTC mile=7:00 goal=7:30")
    assert "Welcome" not in text
    assert text == (
        "Your goal (7:30) is slower than your current mile time (7:00): pick a faster goal."
    )
    assert await stored(bot) == NOTHING_STORED


async def test_user_text_in_a_refusal_is_escaped(bot: TestBot) -> None:
    replies = await bot.replies("/start level=<b>boss</b> days=3 tz=UTC")
    assert "&lt;b&gt;boss&lt;/b&gt;" in replies[0].text
    assert "<b>boss" not in replies[0].text


async def test_start_in_a_group_asks_for_a_private_chat(bot: TestBot) -> None:
    assert await bot.say("/start", group="club-1") == (
        "Let's do this privately — message me directly.")
    assert await bot.say("/settings", group="club-1") == (
        "Let's do this privately — message me directly.")


# --- guided -----------------------------------------------------------------------------------


async def test_guided_onboarding_step_by_step(any_bot: TestBot) -> None:
    bot = any_bot
    replies = await bot.replies("/start")
    assert "What are you training for?" in replies[0].text
    assert labels(replies)[:3] == ["First mile", "Faster mile", "Personal record"]

    replies = await bot.replies(button(replies, "Faster mile"))
    assert "✓ Level: Faster mile (improving)" in replies[0].text
    assert "What is your current mile time?" in replies[0].text

    replies = await bot.replies("8:30")
    assert "What mile time are you aiming for?" in replies[0].text

    text = await bot.say("9:00")  # slower than now: the same question again, with the reason
    assert (
        "Hmm, that didn't work: Your goal (9:00) is slower than your current mile time (8:30): "
        "pick a faster goal."
    ) in text.splitlines()
    assert "What mile time are you aiming for?" in text

    text = await bot.say("7:45")
    assert "✓ Goal mile time: 7:45" in text
    assert "How many days a week can you train?" in text

    text = await bot.say("someday")
    assert (
        "Hmm, that didn't work: I don't know the day \"someday\". Try 3 (I pick the days), "
        "mon,wed,sat, mon-fri or tue thu sat."
    ) in text.splitlines()
    assert (
        "How many days a week can you train? Tap a number, or list the days, e.g. mon,wed,sat. "
        "Three is a great start."
    ) in text.splitlines()

    text = await bot.say("tue,thu,sat,sun")
    assert "✓ Training days: Tue, Thu, Sat, Sun" in text
    assert "When should I send you the day's session?" in text

    replies = await bot.replies(button(bot.last, "06:00"))
    assert "Which time zone are you in?" in replies[0].text

    replies = await bot.replies("Berlni")  # a typo: suggestions come as buttons
    assert (
        "Hmm, that didn't work: I don't know the time zone \"Berlni\". Did you mean Europe/Berlin?"
    ) in replies[0].text.splitlines()
    assert "Europe/Berlin" in labels(replies)

    replies = await bot.replies(button(replies, "Europe/Berlin"))
    assert "Kilometres or miles?" in replies[0].text.splitlines()
    assert (await stored(bot))["onboarded"] is False  # nothing applied before the last answer

    text = await bot.say(button(replies, "Miles"))
    assert "Welcome to Pacer, Ann!" in text
    assert "Training days: Tue, Thu, Sat, Sun" in text
    assert "Daily session at: 06:00 (Europe/Berlin)" in text
    assert "Mile: now 8:30, goal 7:45" in text
    saved = await stored(bot)
    assert saved["onboarded"] is True and saved["conversation"] is None
    assert (saved["level"], saved["training_days"], saved["units"]) == (
        "improving", "1,3,5,6", "mi")
    assert (saved["mile_time_s"], saved["goal_s"], saved["reminder_time"]) == (510, 465, "06:00")
    assert saved["sessions"] > 0


async def test_beginners_are_not_asked_for_mile_times(bot: TestBot) -> None:
    await bot.say("/start")
    text = await bot.say("first mile")
    assert "How many days a week can you train?" in text
    assert "mile time" not in text.split("✓ Level")[1]


async def test_partial_one_line_asks_only_what_is_missing(bot: TestBot) -> None:
    text = await bot.say("/start level=beginner tz=Europe/Berlin time=18:00")
    assert "✓ Level: First mile (beginner)" in text
    assert "✓ Time zone: Europe/Berlin" in text
    assert "How many days a week can you train?" in text
    text = await bot.say("3")
    assert "Kilometres or miles?" in text.splitlines()  # time and zone were given already
    text = await bot.say("km")
    assert "Daily session at: 18:00 (Europe/Berlin)" in text
    assert (await stored(bot))["onboarded"] is True


async def test_cancel_stops_and_stores_nothing(bot: TestBot) -> None:
    await bot.say("/start")
    await bot.say("competitive")
    await bot.say("6:10")
    text = await bot.say("cancel")
    assert text == "Cancelled — nothing was changed. Send /start whenever you're ready."
    assert await stored(bot) == NOTHING_STORED
    # With no conversation open, plain text is not mistaken for an answer.
    assert await bot.say("6:00") == (
        "I answer commands. Send /start to set up your plan, or /help to see them all."
    )


async def test_start_again_restarts_the_conversation(bot: TestBot) -> None:
    await bot.say("/start")
    await bot.say("improving")
    text = await bot.say("/start")
    assert "What are you training for?" in text
    assert (await stored(bot))["conversation"] == {
        "flow": "start", "step": "level", "answers": {}, "asked_at": "2026-11-02T08:00:00+00:00"}


async def test_group_chatter_is_never_taken_as_an_answer(bot: TestBot) -> None:
    await bot.say("/start")
    assert await bot.say("beginner", group="club-1") == ""
    assert (await stored(bot))["conversation"]["step"] == "level"


async def test_onboarded_runner_sending_start_is_all_set(bot: TestBot) -> None:
    await bot.say(ONE_LINE)
    replies = await bot.replies("/start")
    assert replies[0].text == (
        "You're all set, Ann — your plan is running. Change anything with /settings (e.g. "
        "<code>/settings time=06:30</code>), or start over."
    )
    assert replies[0].text == (
        "You're all set, Ann — your plan is running. Change anything with /settings (e.g. "
        "<code>/settings time=06:30</code>), or start over."
    )
    assert button(replies, "Start over") == "/start redo"
    text = await bot.say("/start redo")
    assert "What are you training for?" in text
    await bot.say("competitive")
    await bot.say("cancel")
    saved = await stored(bot)
    assert (saved["level"], saved["mile_time_s"], saved["onboarded"]) == ("beginner", 570, True)


async def test_a_typed_answer_to_deleteme_goes_to_deleteme(bot: TestBot) -> None:
    await bot.say("/start")
    await bot.say("beginner")
    assert (
        "Delete everything? This erases your profile, plan, runs, sleep, streak and challenge "
        "memberships on every platform, and cannot be undone. Want a copy first? Send /export."
    ) in (await bot.say("/deleteme")).splitlines()
    assert "Cancelled — nothing was deleted." in await bot.say("no")
    # The onboarding question that was open before resumes.
    assert (await stored(bot))["conversation"]["step"] == "days"
    assert "✓ Training days: Mon, Wed, Sat" in (await bot.say("3")).splitlines()


async def test_unknown_conversation_is_closed_politely(bot: TestBot) -> None:
    await bot.say(ONE_LINE)
    async with bot.uow() as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        # no asking instant: expired
        await u.runners.save(replace(runner, conversation={"flow": "something-old"}), runner)
    assert "My last question timed out" in await bot.say("hello")
    assert (await stored(bot))["conversation"] is None


# --- settings ---------------------------------------------------------------------------------


async def test_settings_before_onboarding_points_to_start(bot: TestBot) -> None:
    assert await bot.say("/settings time=06:00") == (
        "Let's set you up first: send /start. You can give settings there too, e.g. /start "
        "level=beginner days=3 tz=Europe/Berlin."
    )
    assert await stored(bot) == NOTHING_STORED


async def test_settings_summary_with_buttons(bot: TestBot) -> None:
    await bot.say(ONE_LINE)
    replies = await bot.replies("/settings")
    text = replies[0].text
    for line in ("Level: First mile (beginner)", "Training days: Mon, Wed, Fri",
                 "Daily session at: 07:00 (Europe/Berlin)", "Units: kilometres",
                 "Current mile: 9:30", "Goal mile: 8:00", "Race: none", "Quiet mode: off",
                 "Evening nudges: on"):
        assert line in text
    assert button(replies, "Reminder time") == "/settings time"
    assert button(replies, "Quiet mode on") == "/settings quiet=on"


async def test_settings_in_one_line_change_and_replan(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.say(ONE_LINE)
    text = await bot.say("/settings time=06:30 units=mi days=tue,thu,sat")
    assert "Settings updated" in text.splitlines()
    assert "Reminder time: 07:00 → 06:30" in text
    assert "Units: kilometres → miles" in text
    assert "Training days: Mon, Wed, Fri → Tue, Thu, Sat" in text
    assert "Your plan is updated from today on: see /today and /week." in text.splitlines()
    saved = await stored(bot)
    assert (saved["reminder_time"], saved["units"], saved["training_days"]) == (
        "06:30", "mi", "1,3,5")
    async with bot.uow(readonly=True) as u:
        days = set(await u.session.scalars(
            select(PlannedSession.date).where(PlannedSession.run_minutes > 0)
        ))
    assert days and {d.weekday() for d in days} <= {1, 3, 5}


async def test_settings_that_do_not_touch_the_plan_do_not_replan(bot: TestBot) -> None:
    await bot.say(ONE_LINE)
    text = await bot.say("/settings quiet=on nudges=off")
    assert "Quiet mode: off → on" in text.splitlines()
    assert "Evening nudges: on → off" in text
    assert "only the daily session and race-week messages" in text
    assert "plan is updated" not in text
    assert await bot.say("/settings quiet=on") == (
        "Nothing changed — those are already your settings. See them with /settings."
    )


async def test_invalid_settings_change_nothing(bot: TestBot) -> None:
    await bot.say(ONE_LINE)
    text = await bot.say("/settings time=05:00 tz=Atlantis")
    assert "I couldn't set tz=Atlantis" in text
    saved = await stored(bot)
    assert (saved["reminder_time"], saved["tz"]) == ("07:00", "Europe/Berlin")
    refusal = await bot.say("/settings goal=10:00")  # slower than the current 9:30
    assert refusal and "Settings updated" not in refusal
    assert (await stored(bot))["goal_s"] == 480


async def test_guided_settings_change(bot: TestBot) -> None:
    await bot.say(ONE_LINE)
    replies = await bot.replies(button(await bot.replies("/settings"), "Reminder time"))
    assert "Changing your reminder time" in replies[0].text
    text = await bot.say("25:99")
    assert (
        "Hmm, that didn't work: \"25:99\" is not a time on the clock. Try 07:00, 7am or 19:30."
    ) in text.splitlines()
    assert "When should I send you" in text
    text = await bot.say("6pm")
    assert "Reminder time: 07:00 → 18:00" in text
    saved = await stored(bot)
    assert (saved["reminder_time"], saved["conversation"]) == ("18:00", None)


async def test_an_old_race_does_not_block_other_settings(bot: TestBot) -> None:
    await bot.say(ONE_LINE)
    async with bot.uow() as u:
        runner = await find_runner(u, "console", "ann")
        assert runner is not None
        await u.runners.save(replace(runner, race_date=date(2026, 10, 1)), runner)
    assert "Reminder time: 07:00 → 06:00" in await bot.say("/settings time=06:00")


async def test_welcome_on_a_day_without_a_run_does_not_ask_for_a_log(bot: TestBot) -> None:
    text = await bot.say("/start level=beginner days=tue,thu,sat time=07:00 tz=UTC")
    assert "Welcome to Pacer, Ann! Here is your setup:" in text.splitlines()
    assert "Log it with /done" not in text  # Monday is not a training day
    assert "Next run: Tue 3 Nov · Run/walk: run 30 s / walk 1:30" in text.splitlines()


# --- the first day (issue 13, item 7) -----------------------------------------------------------


async def test_signing_up_on_a_training_day_gives_a_short_first_session_that_day(
    bot: TestBot,
) -> None:
    bot.at("2026-11-03 08:00")  # a Tuesday: one of the chosen days, though not a usual run day
    reply = await bot.say("/start level=beginner days=mon,tue,thu,sat tz=UTC")
    assert "Today · Tue 3 Nov · Run/walk: run 30 s / walk 1:30\n26 min · easy" in reply
    assert "Welcome! Your first session is short on purpose" in reply
    week = await bot.say("/week")
    assert "· Wed 4 · Active recovery · 20 min" in week  # no back-to-back runs for beginners
    assert "· Sun 8 · Rest day" in week.splitlines()  # a six-day first week keeps its rest day


async def test_an_improving_runner_starts_with_a_short_easy_run_not_the_key_session(
    bot: TestBot,
) -> None:
    bot.at("2026-11-04 08:00")  # Wednesday: the week's first hard day in this layout
    reply = await bot.say("/start level=improving days=mon,wed,fri,sat tz=UTC mile=7:30")
    assert "Today · Wed 4 Nov · Easy run\n20 min · easy" in reply


async def test_signing_up_on_a_day_off_changes_nothing(bot: TestBot) -> None:
    bot.at("2026-11-03 08:00")  # Tuesday, not a chosen day
    reply = await bot.say("/start level=beginner days=mon,wed,sat tz=UTC")
    assert "Today · Tue 3 Nov · Active recovery" in reply
