"""Where a push goes when a runner's private chat refuses it: a club channel they joined."""

from __future__ import annotations

from sqlalchemy import select

from core.push_fallback import ClubFallback, club_fallback, note_private_chat_closed
from core.storage.models import Identity
from tests.support.testbot import TestBot

NEW = "/challenge new {name} metric=distance until=2026-11-30"


async def ready(bot: TestBot) -> None:
    """Ann is set up privately; Ada runs challenges in two channels of one platform."""
    await bot.say("/start level=beginner days=3 tz=UTC", user="ann")
    await bot.say(NEW.format(name="Old"), user="ada", group="club-1", admin=True)
    await bot.say(NEW.format(name="Current"), user="ada", group="club-2", admin=True)


async def test_the_channel_of_an_active_challenge_the_runner_joined(any_bot: TestBot) -> None:
    bot = any_bot
    await ready(bot)
    async with bot.uow() as uow:
        assert await club_fallback(uow, "console", "ann") is None  # joined nothing yet

    await bot.say("/challenge join", user="ann", group="club-1")
    bot.advance(minutes=5)
    await bot.say("/challenge join", user="ann", group="club-2")
    async with bot.uow() as uow:
        latest = await club_fallback(uow, "console", "ann")
    assert latest is not None and (latest.external_id, latest.channel_id) == ("ann", "club-2")

    await bot.say("/challenge end", user="ada", group="club-2", admin=True)
    async with bot.uow() as uow:
        found = await club_fallback(uow, "console", "ann")
        assert found == ClubFallback(latest.runner_id, "ann", "club-1")  # active ones first
        assert await club_fallback(uow, "telegram", "ann") is None  # same platform only
        assert await club_fallback(uow, "console", "nobody") is None


async def test_a_closed_private_chat_is_noted_but_stays_reachable(any_bot: TestBot) -> None:
    bot = any_bot
    await ready(bot)
    async with bot.uow() as uow:
        await note_private_chat_closed(uow, "console", "ann", "DMs closed")
    async with bot.uow(readonly=True) as uow:
        identity = await uow.session.scalar(select(Identity).where(Identity.external_id == "ann"))
        assert identity is not None
        assert (identity.reachable, identity.unreachable_reason) == (True, "DMs closed")

    await bot.say("/today", user="ann")  # writing privately again clears it
    async with bot.uow(readonly=True) as uow:
        reason = await uow.session.scalar(
            select(Identity.unreachable_reason).where(Identity.external_id == "ann")
        )
    assert reason is None
