"""Update ids: a re-delivery is ignored, a number Telegram reuses after a quiet week is not,
and the hourly housekeeping forgets ids after a week."""

from __future__ import annotations

from sqlalchemy import func, select

from core.messages import Platform
from core.schedule.tick import Ticker
from core.storage.models import ProcessedUpdate
from tests.support.testbot import TestBot

TG = Platform.TELEGRAM


async def remembered(bot: TestBot) -> int:
    async with bot.uow(readonly=True) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(ProcessedUpdate)))


async def test_a_redelivered_update_is_ignored_but_a_reused_id_after_a_quiet_week_is_answered(
    any_bot: TestBot,
) -> None:
    bot = any_bot
    assert (await bot.say("/pace 7:00", platform=TG, update_id="777")).startswith("Mile in 7:00")
    bot.advance(hours=23)
    assert await bot.say("/pace 7:00", platform=TG, update_id="777") == ""  # the same update

    bot.advance(days=8)  # a quiet week: Telegram numbers new updates afresh
    assert (await bot.say("/pace 6:30", platform=TG, update_id="777")).startswith("Mile in 6:30")
    assert await bot.say("/pace 6:30", platform=TG, update_id="777") == ""  # remembered anew


async def test_the_tick_forgets_update_ids_after_a_week(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.say("/pace 7:00", platform=TG, update_id="1")
    bot.advance(days=5)
    await bot.say("/pace 7:00", platform=TG, update_id="2")
    bot.advance(days=2, hours=1)

    report = await Ticker(bot.uow, bot.clock).run()

    assert report.purged_updates == 1
    async with bot.uow(readonly=True) as uow:
        assert list(await uow.session.scalars(select(ProcessedUpdate.update_id))) == ["2"]
    assert await remembered(bot) == 1
