"""NUL bytes and bidi overrides never reach the database or a board, on any platform."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from core.messages import Platform
from core.storage.models import RunLog, Runner, Skip
from core.text_safety import clean_text
from tests.support.testbot import TestBot

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


def test_clean_text_keeps_right_to_left_letters_and_line_breaks() -> None:
    assert clean_text(f"{RLO}mk 05{PDF}") == "mk 05"
    assert clean_text("5 × 400\x00 m\tfast\nthen easy") == "5 × 400 m\tfast\nthen easy"
    assert clean_text(f"{LRI}שירה{PDI} \u200fכהן") == "שירה \u200fכהן"  # RLM is kept


async def test_nul_bytes_in_notes_are_dropped_not_an_error(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.add_runner("ann")
    await bot.add_runner("bob")  # Monday is a run day for both

    done = await bot.say("/done 5k 28:30 felt\x00 good", user="ann")
    skip = await bot.say(f"/skip {RLO}sick{PDF}\x00", user="bob")

    assert done == "✓ Logged today: 5 km in 28:30 · 5:42/km — “felt good”\n🔥 Streak: 1 day"
    assert skip.startswith("↷ Skipped today's Run/walk")
    async with bot.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(RunLog.note)) == "felt good"
        assert await uow.session.scalar(select(Skip.reason)) == "sick"


@pytest.mark.parametrize("platform", [Platform.TELEGRAM, Platform.DISCORD])
async def test_names_lose_overrides_and_nul_on_every_platform(
    any_bot: TestBot, platform: Platform
) -> None:
    bot = any_bot
    spoof = f"Bob{RLO}mk 05{PDF}\x00"
    request = replace(bot.request("/pace 7:00", "42", platform=platform), display_name=spoof)

    [reply] = await bot.pacer.handle(request)

    assert reply.text.startswith("<b>Mile in 7:00</b>")
    async with bot.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(Runner.display_name)) == "Bobmk 05"


async def test_a_board_shows_a_name_stored_before_without_its_override(bot: TestBot) -> None:
    ann = await bot.add_runner("ann")
    await bot.say("/challenge new Miles metric=distance until=2026-11-30", user="ada",
                  group="club", admin=True)
    await bot.say("/challenge join", group="club")
    await bot.say("/done 5k 28:30", group="club")
    async with bot.uow() as uow:
        runner = await uow.session.get(Runner, ann)
        assert runner is not None
        runner.display_name = f"Ann{RLO}mk 05"  # stored by an older version

    board = await bot.say("/challenge board", user="ada", group="club")

    assert board.splitlines()[1:] == ["1. Annmk 05 — 5.0 km"]
