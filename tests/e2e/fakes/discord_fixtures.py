"""Pytest fixtures and helpers for end-to-end tests against the fake Discord.

Pytest only sees fixtures imported into a test module (or a conftest); the `x as x` form marks
the import as a deliberate re-export for ruff:

    from tests.e2e.fakes.discord_fixtures import discord_world as discord_world
    from tests.e2e.fakes.discord_fixtures import running_client

    async def test_done(discord_world: DiscordWorld) -> None:
        client = make_bot(guild_ready_timeout=FAST_GUILD_READY_TIMEOUT)
        async with running_client(client, discord_world.fake):
            fake, runner = discord_world.fake, discord_world.runner
            interaction = await fake.slash(runner, "done", {"what": "5k 28:30"})
            text = await interaction.final_text()
            assert text.splitlines()[0] == "✓ Logged today: 5 km in 28:30 · 5:42/km"
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest

from .discord_connect import discord_endpoints_restored, login_through
from .discord_objects import FakeGuild, FakeMember
from .discord_server import FakeDiscord

GUILD_ID = 700000000000000001
GENERAL_ID = 700000000000000011
RUNS_ID = 700000000000000012
OWNER_ID = 710000000000000001
ADMIN_ID = 710000000000000002
RUNNER_ID = 710000000000000003
STRANGER_ID = 710000000000000004

# discord.py waits this long after the last GUILD_CREATE before `on_ready`; its default (2 s)
# would make every test slow, and the fake sends all GUILD_CREATEs right after READY.
FAST_GUILD_READY_TIMEOUT = 0.05


@dataclass(frozen=True)
class DiscordWorld:
    """A fake Discord with one running club: a guild, two channels and four people."""

    fake: FakeDiscord
    guild: FakeGuild
    general_id: int
    runs_id: int
    owner: FakeMember
    admin: FakeMember  # has Manage Server
    runner: FakeMember
    stranger: FakeMember  # shares no guild with the bot; reachable by DM only


def populate(fake: FakeDiscord) -> DiscordWorld:
    """Declare the standard world on a fake (before the bot connects)."""
    owner = fake.member(OWNER_ID, "Olga Owner")
    admin = fake.member(ADMIN_ID, "Ada Admin", manage_guild=True)
    runner = fake.member(RUNNER_ID, "Rui Runner")
    stranger = fake.member(STRANGER_ID, "Sam Stranger")
    guild = fake.guild(
        GUILD_ID,
        "Mile Club",
        OWNER_ID,
        channels=[(GENERAL_ID, "general"), (RUNS_ID, "runs")],
        members=[owner, admin, runner],
    )
    return DiscordWorld(fake, guild, GENERAL_ID, RUNS_ID, owner, admin, runner, stranger)


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started fake Discord; discord.py's endpoints are restored afterwards.

    Fails the test if the fake itself crashed while answering (see `FakeDiscord.errors`).
    """
    with discord_endpoints_restored():
        async with FakeDiscord() as fake:
            yield fake
    assert not fake.errors, f"the fake Discord itself failed: {fake.errors!r}"


@pytest.fixture
async def discord_world(fake_discord: FakeDiscord) -> DiscordWorld:
    """`fake_discord` with the standard club declared."""
    return populate(fake_discord)


@contextlib.asynccontextmanager
async def running_client(
    client: discord.Client,
    fake: FakeDiscord,
    *,
    token: str | None = None,
    timeout: float = 5.0,  # noqa: ASYNC109 - a start-up deadline, not a wrapper around a call
) -> AsyncIterator[discord.Client]:
    """Log `client` in against `fake`, run `connect()` as a task until READY, and always clean up.

    Build the client with `guild_ready_timeout=FAST_GUILD_READY_TIMEOUT`, or `on_ready` waits 2 s.
    If the connection task dies while starting, its exception is raised here.
    """
    task: asyncio.Task[None] | None = None
    try:
        await login_through(client, token or fake.token, fake.api_base)
        task = asyncio.create_task(client.connect(reconnect=True), name="discord-client-connect")
        await _until_ready(client, fake, task, deadline=timeout)
        yield client
    finally:
        await client.close()  # also closes the HTTP session when login itself failed
        if task is not None:
            await _finish(task, deadline=timeout)


async def _until_ready(
    client: discord.Client, fake: FakeDiscord, task: asyncio.Task[None], *, deadline: float
) -> None:
    ready = asyncio.create_task(_both_ready(client, fake))
    try:
        done, _pending = await asyncio.wait(
            {ready, task}, timeout=deadline, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        ready.cancel()
    if task in done:
        task.result()  # raises what stopped the client
        raise RuntimeError("the discord client stopped before it was ready")
    if ready not in done:
        raise TimeoutError(f"the discord client was not ready within {deadline}s")
    ready.result()


async def _finish(task: asyncio.Task[None], *, deadline: float) -> None:
    """Let `connect()` return after `close()`; cancel it if it hangs."""
    try:
        await asyncio.wait_for(task, deadline)
    except (TimeoutError, asyncio.CancelledError):
        pass  # wait_for has cancelled it
    except (discord.ConnectionClosed, discord.GatewayNotFound, OSError):
        pass  # the client was stopped on purpose; a closing socket may say so


async def _both_ready(client: discord.Client, fake: FakeDiscord) -> None:
    await fake.wait_ready()
    await client.wait_until_ready()
    # On a loaded machine a GUILD_CREATE can land after the short guild_ready_timeout; it is
    # then announced as `guild_available` instead of being part of `on_ready`.
    while any(_not_cached(client, guild_id) for guild_id in fake.guilds):
        await client.wait_for("guild_available")


def _not_cached(client: discord.Client, guild_id: int) -> bool:
    guild = client.get_guild(guild_id)
    return guild is None or guild.unavailable
