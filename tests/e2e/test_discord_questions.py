"""Guided questions on Discord (issue 14, items 2 and 3): buttons set what they say, and a
command closes an open question, so a late typed answer is not taken for it."""

from __future__ import annotations

import pytest

from tests.e2e.discord_harness import DiscordHarness, labels
from tests.e2e.discord_harness import dc as dc
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc

pytestmark = pytest.mark.slow

POINTER = "I answer commands. Send /help to see them, or /today for today's session."


async def test_a_pressed_time_button_sets_that_time(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    menu = await dc.answer(await dc.slash(rui, "settings"))
    question = await dc.answer(await dc.press(rui, menu, "Reminder time"))
    assert labels(question) == ["06:00", "07:00", "18:00", "Cancel", "Type an answer…"]
    changed = await dc.answer(await dc.press(rui, question, "18:00"))
    assert "Reminder time: 07:00 → 18:00" in changed["content"]
    assert (await dc.runner(rui)).reminder_time == "18:00"


async def test_a_command_closes_the_question_a_late_typed_answer_gets_a_pointer(
    dc: DiscordHarness,
) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    menu = await dc.answer(await dc.slash(rui, "settings"))
    question = await dc.answer(await dc.press(rui, menu, "Reminder time"))
    await dc.answer(await dc.slash(rui, "today"))
    opened = await dc.press(rui, question, "Type an answer…")
    assert (await opened.response())["type"] == 9  # the answer modal
    late = await dc.answer(await dc.fake.submit_modal(rui, "pacer-answer-modal", {"answer": "6"}))
    assert late["content"] == POINTER
    runner = await dc.runner(rui)
    assert (runner.reminder_time, runner.conversation) == ("07:00", None)
