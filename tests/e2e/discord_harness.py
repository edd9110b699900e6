"""Pacer's real Discord adapter (real discord.py) against the fake Discord, for e2e tests.

`dc` (from `discord_pacer`) is a started adapter on a fresh SQLite database with a fake clock
(Mon 2026-11-02 08:00 UTC), in the standard world of `discord_fixtures.populate`: the guild
"Mile Club" with #general and #runs, an admin with Manage Server, a runner, and a stranger
reachable by DM only. Tests act as members and read what they would see:

    interaction = await dc.slash(dc.world.runner, "done", {"what": "5k 28:30"})
    text = await dc.text(interaction)
    assert text.splitlines() == ["✓ Logged today: 5 km in 28:30 · 5:42/km", "🔥 Streak: 1 day"]

Waiting is event based (the fake's conditions); nothing sleeps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.discord.bridge import BridgeOptions
from bot.discord.client import ClientOptions
from bot.discord.service import DiscordAdapter, DiscordOptions
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database
from core.storage.models import Identity, Runner
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.fakes.discord_connect import discord_endpoints_restored
from tests.e2e.fakes.discord_fixtures import (
    FAST_GUILD_READY_TIMEOUT,
    GUILD_ID,
    DiscordWorld,
    populate,
)
from tests.e2e.fakes.discord_objects import EPHEMERAL, FakeInteraction, FakeMember
from tests.e2e.fakes.discord_server import FakeDiscord

Json = dict[str, Any]
# Shaped like a real bot token, so that `load_settings()` accepts it too.
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.Gpacer.fake-token-for-the-tests"
CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
TIMEOUT = 10.0  # generous for a slow CI box; never a sleep
UPDATE_MESSAGE = 7


def discord_settings(fake: FakeDiscord, **overrides: Any) -> Settings:
    """Settings pointing Pacer's Discord adapter at `fake`."""
    values: dict[str, Any] = {
        "discord_token": fake.token,
        "discord_api_url": fake.api_base,
        "database_url": "sqlite+aiosqlite:///unused.db",
    }
    return Settings(**values | overrides)


def fast_options(**bridge: Any) -> DiscordOptions:
    return DiscordOptions(
        client=ClientOptions(guild_ready_timeout=FAST_GUILD_READY_TIMEOUT),
        bridge=BridgeOptions(**bridge),
        stop_timeout=5.0,
    )


class DiscordHarness:
    """A running adapter plus what a transcript test needs."""

    def __init__(
        self,
        world: DiscordWorld,
        db: Database,
        clock: FakeClock,
        *,
        settings: Settings | None = None,
        options: DiscordOptions | None = None,
    ) -> None:
        self.world = world
        self.fake = world.fake
        self.clock = clock
        self.uow = UnitOfWorkFactory(db)
        self.pacer = Pacer(self.uow, clock)
        self.adapter = DiscordAdapter(
            settings or discord_settings(self.fake), self.pacer, self.uow,
            options or fast_options(),
        )

    @property
    def messenger(self) -> Any:
        return self.adapter.messenger

    async def start(self) -> None:
        assert await self.adapter.start()
        await self.fake.wait_ready(TIMEOUT)
        await self.adapter.wait_ready(TIMEOUT)
        client = self.adapter.client
        for guild_id in self.fake.guilds:  # a late GUILD_CREATE is announced separately
            while (guild := client.get_guild(guild_id)) is None or guild.unavailable:
                await client.wait_for("guild_available", timeout=TIMEOUT)

    async def stop(self) -> None:
        await self.adapter.stop()

    # --- what members do ---------------------------------------------------------------------

    async def slash(
        self,
        member: FakeMember,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        guild: bool = False,
        channel_id: int | None = None,
    ) -> FakeInteraction:
        """`member` runs `/name` in DMs, or in the guild's #general with `guild=True`."""
        guild_id = GUILD_ID if guild or channel_id is not None else None
        return await self.fake.slash(
            member, name, options, guild_id=guild_id, channel_id=channel_id
        )

    async def say(
        self, member: FakeMember, name: str, options: Mapping[str, Any] | None = None,
        **where: Any,
    ) -> str:
        """Run a command; the text of the answer the member sees."""
        return await self.text(await self.slash(member, name, options, **where))

    async def press(self, member: FakeMember, message: Json, label: str) -> FakeInteraction:
        """`member` presses the button labelled `label` on `message`."""
        return await self.fake.click(member, message, custom_id(message, label))

    async def pick(self, member: FakeMember, message: Json, label: str) -> FakeInteraction:
        """`member` picks the option labelled `label` in the select menu on `message`."""
        menu, value = menu_option(message, label)
        return await self.fake.click(member, message, menu, values=[value])

    async def onboard(self, member: FakeMember, tz: str = "UTC") -> str:
        """Set `member` up in one line, in DMs (3 days a week, beginner)."""
        options = {"level": "beginner", "days": "3", "time": "07:00", "tz": tz}
        text = await self.say(member, "start", options)
        assert "Welcome to Pacer" in text, text
        return text

    # --- what members see --------------------------------------------------------------------

    async def answer(self, interaction: FakeInteraction) -> Json:
        """The message that answers `interaction`: the reply, the deferred original once
        edited, or (after a press whose buttons were removed) the first follow-up."""
        response = await interaction.response(TIMEOUT)
        if response["type"] == UPDATE_MESSAGE:
            (message,) = await interaction.followups(1, TIMEOUT)
            return message
        return await interaction.final_message(TIMEOUT)

    async def text(self, interaction: FakeInteraction) -> str:
        return str((await self.answer(interaction))["content"])

    # --- what is stored ----------------------------------------------------------------------

    async def identity(self, member: FakeMember) -> Identity:
        async with self.uow(readonly=True) as uow:
            found = await uow.session.scalar(
                select(Identity).where(
                    Identity.platform == "discord", Identity.external_id == str(member.id)
                )
            )
            assert found is not None, f"no runner for Discord user {member.id}"
            uow.session.expunge(found)
        return found

    async def runner(self, member: FakeMember) -> Runner:
        identity = await self.identity(member)
        async with self.uow(readonly=True) as uow:
            runner = await uow.session.get(Runner, identity.runner_id)
            assert runner is not None
            uow.session.expunge(runner)
        return runner


# --- reading messages ---


def components(message: Json) -> list[Json]:
    """Every component on a message, depth first."""
    found: list[Json] = []
    stack = list(reversed(message.get("components") or []))
    while stack:
        component = stack.pop()
        found.append(component)
        stack.extend(reversed(component.get("components") or []))
    return found


def labels(message: Json) -> list[str]:
    """The button labels on a message, in order."""
    return [str(c.get("label")) for c in components(message) if c.get("type") == 2]


def custom_id(message: Json, label: str) -> str:
    for component in components(message):
        if component.get("type") == 2 and component.get("label") == label:
            return str(component["custom_id"])
    raise AssertionError(f"no button {label!r} on {message.get('content')!r}: {labels(message)}")


def menu_option(message: Json, label: str) -> tuple[str, str]:
    """(menu custom_id, option value) of the select option labelled `label`."""
    for component in components(message):
        for option in component.get("options") or []:
            if option["label"] == label:
                return str(component["custom_id"]), str(option["value"])
    raise AssertionError(f"no menu option {label!r} on {message.get('content')!r}")


def is_ephemeral(message: Json) -> bool:
    return bool(message.get("flags", 0) & EPHEMERAL)


# --- fixtures ---


@pytest.fixture
async def fake_dc() -> AsyncIterator[FakeDiscord]:
    """A started fake Discord with a realistic token; discord.py's endpoints are restored."""
    with discord_endpoints_restored():
        async with FakeDiscord(token=TOKEN) as fake:
            yield fake
    assert not fake.errors, f"the fake Discord itself failed: {fake.errors!r}"


@pytest.fixture
def dc_world(fake_dc: FakeDiscord) -> DiscordWorld:
    return populate(fake_dc)


@pytest.fixture
async def dc(
    dc_world: DiscordWorld, sqlite_db: Database, clock: FakeClock
) -> AsyncIterator[DiscordHarness]:
    """Pacer's Discord adapter, started against the fake and ready."""
    harness = DiscordHarness(dc_world, sqlite_db, clock)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
