"""The Discord service: Pacer's client in the shared event loop, next to Telegram and the
scheduler.

`run_discord(container, stop)` is what `bot.runtime` starts. It points discord.py at
PACER_DISCORD_API_URL, logs in over REST (retrying while Discord is unreachable; a rejected
token turns Discord off with one clear log line), publishes the slash commands if they
changed, registers the push `Messenger`, and runs the gateway connection as a task (discord.py
reconnects and resumes by itself). When `stop` is set it closes the client cleanly.

A gateway connection that ends on its own is fatal for Discord: discord.py gives up only on
close codes it cannot recover from (4004 authentication failed, 4010-4014 bad shard, version or
intents) and closes its HTTP session as it does, so no push could go out either. Then the
messenger is unregistered, the failure is logged once and kept in the platform status
(`bot.platform_status`), and `run_discord` returns; `pacer run` decides whether to exit. The
running, retrying and failing are `bot.platform_runner`'s, the same as Telegram's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

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
from bot.platform_runner import (
    Pause,
    Rejected,
    Unreachable,
    connect_with_backoff,
    pause_until_stop,
    run_platform,
)
from core.app import Pacer
from core.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

_UNREACHABLE = (aiohttp.ClientError, OSError, TimeoutError, discord.DiscordServerError)
# Close codes discord.py does not reconnect after (Discord's gateway documentation).
FATAL_CLOSE_CODES = {
    4004: "authentication failed: the token is wrong or was reset",
    4010: "invalid shard",
    4011: "sharding required",
    4012: "invalid API version",
    4013: "invalid intents",
    4014: "disallowed intents: enable them in the developer portal",
}


@dataclass(frozen=True)
class DiscordOptions:
    """Tuning that is not worth an environment variable (tests change it)."""

    client: ClientOptions = field(default_factory=ClientOptions)
    bridge: BridgeOptions = field(default_factory=BridgeOptions)
    sync_on_start: bool = True  # publish the commands when Discord's differ from ours
    startup_retry_cap: float = 60.0  # seconds between login tries while Discord is down
    startup_pause: Pause = pause_until_stop  # waiting between those tries (or until stop)
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
        self.uow = uow
        self.bridge = DiscordBridge(pacer, self.options.bridge)
        self.client: AnyPacerClient = make_client(settings, self.bridge, self.options.client)
        self.messenger = DiscordMessenger(self.client, uow)
        self._connection: asyncio.Task[None] | None = None
        self.failure: str | None = None  # why the gateway connection ended by itself

    @property
    def platform(self) -> str:
        return "discord"

    async def start(self, stop: asyncio.Event | None = None) -> bool:
        """Log in, publish changed commands, connect in the background. False if `stop` was
        set before Discord could be reached; `Rejected` if the token is rejected."""
        if not await connect_with_backoff(
            self, stop, pause=self.options.startup_pause, cap=self.options.startup_retry_cap
        ):
            return False
        await self.begin()
        return True

    async def connect(self) -> None:
        """Log in over REST: checks the token and learns who the bot is."""
        token = token_of(self.settings)
        if is_custom_api(self.settings.discord_api_url):
            use_api_base(self.settings.discord_api_url)
        try:
            await self.client.login(token)
        except discord.LoginFailure:
            raise Rejected(
                "PACER_DISCORD_TOKEN was rejected by Discord (401 Unauthorized)"
            ) from None
        except _UNREACHABLE as err:
            await self._replace_client()
            raise Unreachable(str(err) or type(err).__name__) from None

    async def _replace_client(self) -> None:
        """A fresh client for the next login: closing a client's HTTP session also closes
        its connection pool, which discord.py would reuse (`Session is closed`)."""
        await self.client.close()
        self.client = make_client(self.settings, self.bridge, self.options.client)
        self.messenger = DiscordMessenger(self.client, self.uow)

    async def begin(self) -> None:
        """Publish the slash commands if they changed, then connect to the gateway."""
        if self.options.sync_on_start:
            try:
                await sync_if_changed(self.client, self.client.tree)
            except discord.HTTPException as err:  # commands stay as they were; not fatal
                log.warning("discord: could not publish the slash commands: %s", err)
        self._connection = asyncio.create_task(self._connect(), name="discord-gateway")

    async def ended(self) -> str:
        """When the gateway connection ended for good: why (see `FATAL_CLOSE_CODES`)."""
        if self._connection is not None:
            await asyncio.shield(self._connection)
        return self.failure or "the gateway connection ended"

    def greeting(self) -> str:
        user = self.client.user
        return f"discord: logged in as {user.name if user else '?'}"

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except asyncio.CancelledError:
            raise
        except discord.ConnectionClosed as err:
            self.failure = f"the gateway closed the connection with code {err.code}"
            if err.code in FATAL_CLOSE_CODES:
                self.failure += f" ({FATAL_CLOSE_CODES[err.code]})"
        except discord.PrivilegedIntentsRequired:
            self.failure = (
                f"the gateway closed the connection with code 4014 ({FATAL_CLOSE_CODES[4014]})"
            )
        except Exception as err:  # discord.py gave up for another reason
            self.failure = f"the gateway connection ended: {type(err).__name__}: {err}"
        else:
            if not self.client.is_closed():
                self.failure = "the gateway connection ended"

    @property
    def connection(self) -> asyncio.Task[None] | None:
        """The gateway connection task (done when the connection ended for good)."""
        return self._connection

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


async def run_discord(
    container: Container, stop: asyncio.Event, *, options: DiscordOptions | None = None
) -> None:
    """Serve Discord until `stop` is set, or until it fails (a rejected token, a fatal gateway
    close: see `bot.platform_runner`); the push messenger is registered meanwhile."""
    adapter = DiscordAdapter(container.settings, container.pacer, container.uow, options)
    await run_platform(
        container, stop, adapter,
        pause=adapter.options.startup_pause, retry_cap=adapter.options.startup_retry_cap,
    )
