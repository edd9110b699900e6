"""Discord, Telegram and the scheduler in one process and one event loop, as `pacer run` has
them: a runner set up on Discord gets the scheduler's daily session in their DMs while a
Telegram runner is served alongside."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import pytest

from bot.bootstrap import Container
from bot.config import Settings
from bot.discord.service import run_discord
from bot.scheduling import start_scheduler
from bot.telegram.service import run_telegram
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.discord_harness import TIMEOUT, fast_options, labels
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc
from tests.e2e.fakes.discord_fixtures import DiscordWorld
from tests.e2e.fakes.telegram_server import FakeTelegram

pytestmark = pytest.mark.slow


async def test_both_platforms_and_the_scheduler_share_one_loop(
    dc_world: DiscordWorld, fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> None:
    fake = dc_world.fake
    settings = Settings(
        database_url="sqlite+aiosqlite:///unused.db",
        discord_token=fake.token,
        discord_api_url=fake.api_base,
        telegram_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        outbox_poll_seconds=0.05,
    )
    uow = UnitOfWorkFactory(sqlite_db)
    container = Container(settings, sqlite_db, uow, clock, Pacer(uow, clock))
    stop = asyncio.Event()
    services = [
        asyncio.create_task(run_discord(container, stop, options=fast_options())),
        asyncio.create_task(run_telegram(container, stop)),
    ]
    scheduler = start_scheduler(container, console=False)
    try:
        await fake.wait_ready(TIMEOUT)
        rui = dc_world.runner
        clock.set(datetime(2026, 11, 2, 6, 30, tzinfo=UTC))  # set up before the 07:00 reminder
        started = await fake.slash(
            rui, "start", {"level": "beginner", "days": "3", "time": "07:00", "tz": "UTC"}
        )
        assert "Welcome to Pacer" in await started.final_text(TIMEOUT)

        ann = fake_telegram.user(1001, "Ann")
        fake_telegram.send_text(ann, "/help")
        [help_] = await fake_telegram.wait_for(chat_id=ann.id)
        assert (
            "/done — log a run — or send your watch's GPX, FIT or TCX file"
        ) in help_["text"].splitlines()

        clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
        await scheduler.tick()  # 08:00 UTC: Rui's 07:00 session is due
        push = await fake.wait_for_message(
            lambda m: "Good morning" in m["content"], user_id=rui.id, timeout=TIMEOUT
        )
        assert labels(push) == ["Done ✓", "Skip"]
    finally:
        stop.set()
        await scheduler.stop()
        for service in services:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(service, TIMEOUT)
    assert container.extras["messengers"] == {}
