"""The discord.py client Pacer runs, and how it reaches Discord (or a REST proxy).

discord.py has no per-client endpoint settings, only class attributes (see
`tests/e2e/fakes/discord_connect.py`, which found this out):

- REST goes to `discord.http.Route.BASE`, read whenever a request is built. `use_api_base`
  sets it from `PACER_DISCORD_API_URL`; call it before `login()`, and after anything that
  calls `discord.http._set_api_version()` (which resets it to discord.com).
- A plain `Client` dials `DiscordWebSocket.DEFAULT_GATEWAY` (wss://gateway.discord.gg/),
  ignoring the REST base. So when the REST base is not Discord's own, `setup_hook` (run by
  `login()`, before `connect()`) asks `GET /gateway/bot` through it and points
  `DEFAULT_GATEWAY` at the answer; reconnects after an invalidated session use it as well.
  `AutoShardedClient` without a fixed shard count asks `GET /gateway/bot` itself.

Both are process-wide, which suits one bot per process.

The client carries the `bridge` that components and commands hand their interactions to, and
handles submissions of the answer modal itself (`on_interaction`), so that a modal opened
before a restart is still answered after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import Settings
from bot.discord.commands import PacerTree, build_tree
from bot.discord.components import ANSWER_MODAL, DYNAMIC_ITEMS

log = logging.getLogger(__name__)

DISCORD_API_URL = "https://discord.com/api/v10"


@dataclass(frozen=True)
class ClientOptions:
    """Client tuning that is not worth an environment variable."""

    guild_ready_timeout: float = 2.0  # discord.py's wait for GUILD_CREATEs before on_ready
    # A 429 asking for a longer wait raises `discord.RateLimited` instead of sleeping, so the
    # outbox can reschedule a push rather than hold a worker (and a reply isn't held forever).
    max_ratelimit_timeout: float = 60.0
    gateway: bool = True  # False: REST only (e.g. `pacer discord sync`)


def is_custom_api(api_url: str) -> bool:
    """Is `api_url` something other than Discord's own REST base (a proxy, a fake)?"""
    return api_url.rstrip("/") != DISCORD_API_URL


def use_api_base(api_url: str) -> None:
    """Send every discord.py REST request (interaction callbacks too) to `api_url`."""
    Route.BASE = api_url.rstrip("/")


async def use_gateway_from_api(client: discord.Client) -> yarl.URL:
    """Ask `GET /gateway/bot` through the REST base and make `connect()` dial that URL."""
    _shards, url, _limits = await client.http.get_bot_gateway()
    gateway = yarl.URL(url)
    DiscordWebSocket.DEFAULT_GATEWAY = gateway
    return gateway


def shard_setting(settings: Settings) -> tuple[bool, int | None]:
    """`(sharded, shard_count)` from PACER_DISCORD_SHARDS: "auto" lets Discord say how many
    (GET /gateway/bot); a number above 1 fixes it; 0 or 1 is one plain connection."""
    value = settings.discord_shards.strip().lower()
    if value == "auto":
        return True, None
    count = int(value)
    return (True, count) if count > 1 else (False, None)


class _PacerClientMixin:
    """What Pacer adds to a discord.py client (plain or auto-sharded)."""

    bridge: Any  # bot.discord.bridge.DiscordBridge | None; Any: no import cycle
    tree: PacerTree
    api_url: str
    options: ClientOptions

    def _setup_pacer(self, bridge: Any, api_url: str, options: ClientOptions) -> None:
        self.bridge = bridge
        self.api_url = api_url
        self.options = options
        self.tree = build_tree(self)  # type: ignore[arg-type]

    async def setup_hook(self) -> None:
        """Runs inside `login()`: buttons of earlier runs keep working, and the gateway is
        the one the REST base names."""
        client: discord.Client = self  # type: ignore[assignment]
        client.add_dynamic_items(*DYNAMIC_ITEMS)
        asks_itself = isinstance(self, discord.AutoShardedClient) and self.shard_count is None
        if self.options.gateway and is_custom_api(self.api_url) and not asks_itself:
            gateway = await use_gateway_from_api(client)
            log.info("discord: gateway %s (from %s)", gateway, self.api_url)

    async def on_message(self, message: discord.Message) -> None:
        """A DM with files (a watch's activity file); everything else is not for Pacer."""
        if (self.bridge is not None and message.guild is None and message.attachments
                and not message.author.bot):
            await self.bridge.on_dm(message)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Answer-modal submissions; everything else is routed by discord.py itself."""
        if interaction.type is not discord.InteractionType.modal_submit or self.bridge is None:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        if data.get("custom_id") == ANSWER_MODAL:
            await self.bridge.on_modal(interaction)


class PacerClient(_PacerClientMixin, discord.Client):
    """One gateway connection."""

    def __init__(
        self, *, bridge: Any, api_url: str, options: ClientOptions, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._setup_pacer(bridge, api_url, options)


class PacerShardedClient(_PacerClientMixin, discord.AutoShardedClient):
    """Several shards in this process, for bots in many servers."""

    def __init__(
        self, *, bridge: Any, api_url: str, options: ClientOptions, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._setup_pacer(bridge, api_url, options)


AnyPacerClient = PacerClient | PacerShardedClient


def intents() -> discord.Intents:
    """Guilds (the guild cache names channels) and DM messages (a runner's activity files);
    interactions need no intent, and DMs carry their attachments without the privileged
    message-content intent."""
    return discord.Intents(guilds=True, dm_messages=True)


def make_client(
    settings: Settings, bridge: Any = None, options: ClientOptions | None = None
) -> AnyPacerClient:
    """The client for these settings: `AutoShardedClient` when PACER_DISCORD_SHARDS asks."""
    opts = options or ClientOptions()
    common: dict[str, Any] = {
        "bridge": bridge,
        "api_url": settings.discord_api_url,
        "options": opts,
        "intents": intents(),
        # User text is shown literally: a note saying @everyone must never ping anyone.
        "allowed_mentions": discord.AllowedMentions.none(),
        "guild_ready_timeout": opts.guild_ready_timeout,
        "max_ratelimit_timeout": opts.max_ratelimit_timeout,
        "chunk_guilds_at_startup": False,
    }
    sharded, count = shard_setting(settings)
    if sharded:
        return PacerShardedClient(shard_count=count, **common)
    return PacerClient(**common)
