"""Discord's part of /readyz: discord.py's public `is_ready()` and `is_closed()`."""

from __future__ import annotations

import pytest

from bot.discord.service import DiscordAdapter
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import discord_settings, fast_options
from tests.e2e.discord_harness import fake_dc as fake_dc
from tests.e2e.fakes.discord_fixtures import DiscordWorld

pytestmark = pytest.mark.slow


async def test_ready_only_while_the_gateway_is(
    dc_world: DiscordWorld, sqlite_db: Database, clock: FakeClock
) -> None:
    uow = UnitOfWorkFactory(sqlite_db)
    adapter = DiscordAdapter(discord_settings(dc_world.fake), Pacer(uow, clock), uow,
                             fast_options())
    assert adapter.problem() == "gateway not ready (connecting or resuming)"
    assert await adapter.start()
    try:
        await adapter.wait_ready(10)
        assert adapter.problem() is None
    finally:
        await adapter.stop()
    assert adapter.problem() == "gateway connection closed"
