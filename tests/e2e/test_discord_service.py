"""Starting, publishing and stopping Pacer on Discord, through real discord.py and the fake."""

from __future__ import annotations

import asyncio
import logging
import socket

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.bootstrap import Container
from bot.cli import main
from bot.discord.client import PacerShardedClient
from bot.discord.delivery import DiscordMessenger
from bot.discord.service import run_discord
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.discord_harness import (
    TIMEOUT,
    DiscordHarness,
    discord_settings,
    fast_options,
)
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc
from tests.e2e.fakes.discord_fixtures import GUILD_ID, DiscordWorld
from tests.e2e.fakes.discord_server import FakeDiscord

pytestmark = pytest.mark.slow

COMMAND_PUTS = r"^/applications/\d+/(guilds/\d+/)?commands$"
NAMES = {
    "start", "settings", "today", "week", "done", "undo", "logs", "edit", "skip", "sleep",
    "streak", "stats", "pr", "import",
    "race", "pace", "challenge", "export", "deleteme", "help",
}


async def test_the_gateway_is_the_one_the_api_base_names_and_commands_publish_once(
    dc_world: DiscordWorld, sqlite_db: Database, clock: FakeClock
) -> None:
    fake = dc_world.fake
    first = DiscordHarness(dc_world, sqlite_db, clock)
    await first.start()
    await first.stop()

    assert fake.api_base == Route.BASE
    assert yarl.URL(fake.gateway_url) == DiscordWebSocket.DEFAULT_GATEWAY
    assert [c.path for c in fake.calls[:3]] == ["/users/@me", "/oauth2/applications/@me",
                                               "/gateway/bot"]
    published = {c["name"]: c for c in fake.commands[None]}
    assert set(published) == NAMES
    subcommands = [o["name"] for o in published["challenge"]["options"]]
    assert subcommands[:5] == ["new", "join", "leave", "board", "end"]
    assert published["challenge"]["dm_permission"] is False  # club business: servers only
    start = {o["name"]: o for o in published["start"]["options"]}
    assert [c["value"] for c in start["level"]["choices"]] == [
        "beginner", "improving", "competitive"
    ]
    assert start["tz"]["autocomplete"] and not start["tz"]["required"]

    second = DiscordHarness(dc_world, sqlite_db, clock)  # a restart with the same commands
    await second.start()
    await second.stop()
    assert len(fake.calls_to("PUT", COMMAND_PUTS)) == 1
    assert len(fake.calls_to("GET", r"^/applications/\d+/commands$")) == 2
    assert len(fake.identify_payloads) == 2


async def test_run_discord_registers_the_messenger_and_stops_cleanly(
    dc_world: DiscordWorld, sqlite_db: Database, clock: FakeClock
) -> None:
    fake = dc_world.fake
    uow = UnitOfWorkFactory(sqlite_db)
    container = Container(discord_settings(fake), sqlite_db, uow, clock, Pacer(uow, clock))
    stop = asyncio.Event()

    service = asyncio.create_task(run_discord(container, stop, options=fast_options()))
    await fake.wait_ready()
    messengers = container.extras["messengers"]
    assert isinstance(messengers, dict)
    assert isinstance(messengers["discord"], DiscordMessenger)

    stop.set()
    await asyncio.wait_for(service, 10)
    assert "discord" not in messengers
    assert messengers == {}


async def test_a_rejected_token_is_a_platform_failure_like_on_telegram(
    dc_world: DiscordWorld, sqlite_db: Database, clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = dc_world.fake
    uow = UnitOfWorkFactory(sqlite_db)
    settings = discord_settings(fake, discord_token="bad0123456.bad.token0123456789")
    container = Container(settings, sqlite_db, uow, clock, Pacer(uow, clock))

    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(run_discord(container, asyncio.Event()), 10)

    reason = "PACER_DISCORD_TOKEN was rejected by Discord (401 Unauthorized)"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        f"discord: {reason}; Discord is off (pushes wait in the outbox)"]
    status = container.extras["platforms"]["discord"]  # type: ignore[index]
    assert (status.state, status.reason) == ("failed", reason)
    assert container.extras.get("messengers") == {}


async def test_start_gives_up_quietly_when_stopped_while_discord_is_unreachable(
    sqlite_db: Database, clock: FakeClock, fake_dc: FakeDiscord
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = discord_settings(
        fake_dc, discord_api_url=f"http://127.0.0.1:{closed_port}/api/v10"
    )
    uow = UnitOfWorkFactory(sqlite_db)
    container = Container(settings, sqlite_db, uow, clock, Pacer(uow, clock))
    stop = asyncio.Event()
    stop.set()

    await asyncio.wait_for(run_discord(container, stop, options=fast_options()), 10)

    assert container.extras.get("messengers") == {}


async def test_auto_sharding_asks_discord_how_many_shards(
    dc_world: DiscordWorld, sqlite_db: Database, clock: FakeClock
) -> None:
    fake = dc_world.fake
    harness = DiscordHarness(
        dc_world, sqlite_db, clock, settings=discord_settings(fake, discord_shards="auto")
    )
    await harness.start()
    try:
        client = harness.adapter.client
        assert isinstance(client, PacerShardedClient)
        assert client.shard_count == 1  # what GET /gateway/bot said
        assert fake.identify is not None and fake.identify["shard"] == [0, 1]
        answer = await harness.say(dc_world.runner, "help", guild=True)
        assert (
            "**Pacer** coaches you to run a mile: a first mile, a faster mile, or a PR."
        ) in answer.splitlines()
    finally:
        await harness.stop()


async def test_cli_sync_publishes_globally_or_in_one_server(
    fake_dc: FakeDiscord, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.e2e.fakes.discord_fixtures import populate

    populate(fake_dc)
    monkeypatch.setenv("PACER_DISCORD_TOKEN", fake_dc.token)
    monkeypatch.setenv("PACER_DISCORD_API_URL", fake_dc.api_base)

    # The CLI runs its own event loop, as `pacer discord sync` does; the fake serves this one.
    code = await asyncio.to_thread(main, ["discord", "sync", "--guild", str(GUILD_ID)])

    assert code == 0
    assert {c["name"] for c in fake_dc.commands[GUILD_ID]} == NAMES
    assert None not in fake_dc.commands
    assert f"published {len(NAMES)} slash commands in server {GUILD_ID}" in capsys.readouterr().out
    assert fake_dc.gateway_queries == []  # REST only: no gateway connection
    assert await asyncio.to_thread(main, ["discord", "sync"]) == 0
    assert {c["name"] for c in fake_dc.commands[None]} == NAMES


async def test_cli_sync_reports_a_rejected_token_in_one_line(
    fake_dc: FakeDiscord, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PACER_DISCORD_TOKEN", "bad0123456.bad.token0123456789")
    monkeypatch.setenv("PACER_DISCORD_API_URL", fake_dc.api_base)

    code = await asyncio.to_thread(main, ["discord", "sync"])

    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "pacer: PACER_DISCORD_TOKEN was rejected by Discord (401 Unauthorized)"
    )


def test_discord_client_asks_for_guilds_and_dm_messages_only() -> None:
    from bot.discord.client import intents

    # DM messages carry a runner's activity files; nothing privileged is asked for.
    assert intents() == discord.Intents(guilds=True, dm_messages=True)


@pytest.mark.parametrize("code", [4004, 4010, 4011, 4012, 4013, 4014])
async def test_a_fatal_gateway_close_turns_discord_off_and_says_why(
    dc_world: DiscordWorld, sqlite_db: Database, clock: FakeClock, code: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = dc_world.fake
    uow = UnitOfWorkFactory(sqlite_db)
    container = Container(discord_settings(fake), sqlite_db, uow, clock, Pacer(uow, clock))
    stop = asyncio.Event()
    service = asyncio.create_task(run_discord(container, stop, options=fast_options()))
    await fake.wait_ready(TIMEOUT)
    status = container.extras["platforms"]["discord"]  # type: ignore[index]
    assert status.state == "running"

    with caplog.at_level(logging.ERROR):
        await fake.drop_gateway(code)
        await asyncio.wait_for(service, TIMEOUT)  # it ends by itself: `stop` was never set

    assert container.extras["messengers"] == {}  # no push tries a closed session
    assert status.state == "failed"
    assert status.reason.startswith(f"the gateway closed the connection with code {code} (")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        f"discord: {status.reason}; Discord is off (pushes wait in the outbox)"]
    assert not stop.is_set()
