"""Guided questions on Telegram (issue 14, items 2 and 3): buttons set what they say, any
command closes an open question, and an expired one never swallows a later line."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import TelegramHarness, labels

POINTER = "I answer commands. Send /help to see them, or /today for today's session."


async def test_a_pressed_time_button_sets_that_time(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann", "ann")
    await tg.onboard(ann)
    [question] = await tg.say(ann, "/settings time")
    assert labels(question) == ["06:00", "07:00", "18:00", "Cancel"]  # no numbers to mix up
    _, changed = await tg.press(ann, question, "18:00")
    assert "Reminder time: 07:00 → 18:00" in changed["text"]
    assert (await tg.runner(ann)).reminder_time == "18:00"


async def test_a_command_closes_the_question_and_hi_gets_a_pointer(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann", "ann")
    await tg.onboard(ann)
    await tg.say(ann, "/settings time")
    await tg.say(ann, "/today")
    await tg.say(ann, "/done 30min")
    [pointer] = await tg.say(ann, "hi")
    assert pointer["text"] == POINTER
    [pointer] = await tg.say(ann, "4")
    assert pointer["text"] == POINTER
    runner = await tg.runner(ann)
    assert (runner.reminder_time, runner.conversation) == ("07:00", None)


async def test_an_answer_after_half_an_hour_is_not_taken(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann", "ann")
    await tg.onboard(ann)
    await tg.say(ann, "/settings time")
    tg.clock.advance(timedelta(minutes=31))
    [late] = await tg.say(ann, "6")
    assert late["text"] == (
        "My last question timed out, so I didn't take that as an answer. Send /settings to "
        "change a setting. Send /help to see everything I can do.")
    assert (await tg.runner(ann)).reminder_time == "07:00"
