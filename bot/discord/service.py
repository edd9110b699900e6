"""The Discord service: Pacer's client in the shared event loop, next to Telegram and the
scheduler.

`run_discord(container, stop)` is what `bot.runtime` starts. It points discord.py at
PACER_DISCORD_API_URL, logs in over REST (retrying while Discord is unreachable; a rejected
token turns Discord off with one clear log line), publishes the slash commands if they
changed, registers the push `Messenger`, and runs the gateway connection as a task (discord.py
reconnects and resumes by itself). When `stop` is set it closes the client cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import cast

import aiohttp
import discord

from bot.bootstrap import Container
from bot.config import ConfigError, Settings
from bot.discord.bridge import BridgeOptions, DiscordBridge
from bot.discord.client import (
    AnyPacerClient,
    ClientOptions,
    is_custom_api,
    make_client,
    use_api_base,
)
from bot.discord.delivery import DiscordMessenger
from bot.discord.sync import sync_if_changed
from bot.health import board_of
from core.app import Pacer
from core.delivery import Messenger
from core.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

_UNREACHABLE = (aiohttp.ClientError, OSError, TimeoutError, discord.DiscordServerError)


@dataclass(frozen=True)
class DiscordOptions:
    """Tuning that is not worth an environment variable (tests change it)."""

    client: ClientOptions = field(default_factory=ClientOptions)
    bridge: BridgeOptions = field(default_factory=BridgeOptions)
    sync_on_start: bool = True  # publish the commands when Discord's differ from ours
    startup_retry_cap: float = 60.0  # seconds between login tries while Discord is down
    stop_timeout: float = 10.0


def token_of(settings: Settings) -> str:
    if settings.discord_token is None:
        raise ConfigError("PACER_DISCORD_TOKEN is not set")
    return settings.discord_token.get_secret_value()


class DiscordAdapter:
    """Pacer on Discord: the client (commands, components), its bridge and the Messenger."""

    def __init__(
        self,
        settings: Settings,
        pacer: Pacer,
        uow: UnitOfWorkFactory,
        options: DiscordOptions | None = None,
    ) -> None:
        self.settings = settings
        self.options = options or DiscordOptions()
        self.bridge = DiscordBridge(pacer, self.options.bridge)
        self.client: AnyPacerClient = make_client(settings, self.bridge, self.options.client)
        self.messenger = DiscordMessenger(self.client, uow)
        self._connection: asyncio.Task[None] | None = None

    async def start(self, stop: asyncio.Event | None = None) -> bool:
        """Log in, publish changed commands, connect in the background. False if `stop` was
        set before Discord could be reached; `ConfigError` if the token is rejected."""
        token = token_of(self.settings)
        if is_custom_api(self.settings.discord_api_url):
            use_api_base(self.settings.discord_api_url)
        if not await self._login(token, stop):
            return False
        if self.options.sync_on_start:
            try:
                await sync_if_changed(self.client, self.client.tree)
            except discord.HTTPException as err:  # commands stay as they were; not fatal
                log.warning("discord: could not publish the slash commands: %s", err)
        self._connection = asyncio.create_task(self._connect(), name="discord-gateway")
        return True

    async def _login(self, token: str, stop: asyncio.Event | None) -> bool:
        delay = 1.0
        while True:
            try:
                await self.client.login(token)
                return True
            except discord.LoginFailure:
                raise ConfigError(
                    "PACER_DISCORD_TOKEN was rejected by Discord (401 Unauthorized)"
                ) from None
            except _UNREACHABLE as err:
                log.warning("discord: cannot log in (%s); trying again in %.0f s", err, delay)
                await self.client.http.close()
            if await _pause(stop, delay):
                return False
            delay = min(delay * 2, self.options.startup_retry_cap)

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except asyncio.CancelledError:
            raise
        except Exception:
            # Fatal for the gateway only (e.g. a revoked token): pushes still go over REST.
            log.exception("discord: the gateway connection ended; slash commands are off")

    async def wait_ready(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Until the gateway connection is ready (READY and the guilds received)."""
        async with asyncio.timeout(timeout):
            await self.client.wait_until_ready()

    def problem(self) -> str | None:
        """Readiness: None while the gateway is ready (discord.py's public state)."""
        if self.client.is_closed():
            return "gateway connection closed"
        if not self.client.is_ready():
            return "gateway not ready (connecting or resuming)"
        return None

    async def stop(self) -> None:
        """Close the gateway connection and the HTTP session."""
        await self.client.close()
        task, self._connection = self._connection, None
        if task is None:
            return
        done, _pending = await asyncio.wait({task}, timeout=self.options.stop_timeout)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _pause(stop: asyncio.Event | None, seconds: float) -> bool:
    """Wait `seconds` (or until `stop` is set: then True)."""
    if stop is None:
        await asyncio.sleep(seconds)
        return False
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await stop.wait()
    return stop.is_set()


async def run_discord(
    container: Container, stop: asyncio.Event, *, options: DiscordOptions | None = None
) -> None:
    """Serve Discord until `stop` is set; the push messenger is registered meanwhile."""
    adapter = DiscordAdapter(container.settings, container.pacer, container.uow, options)
    messengers = cast(dict[str, Messenger], container.extras.setdefault("messengers", {}))
    board = board_of(container)
    board.register("discord", adapter.problem)
    try:
        try:
            started = await adapter.start(stop)
        except ConfigError as err:
            log.error("%s; Discord is off until it is fixed", err)
            return
        if not started:
            return
        messengers["discord"] = adapter.messenger
        user = adapter.client.user
        log.info("discord: logged in as %s", user.name if user else "?")
        await stop.wait()
    finally:
        board.unregister("discord", adapter.problem)
        if messengers.get("discord") is adapter.messenger:
            del messengers["discord"]
        await adapter.stop()
