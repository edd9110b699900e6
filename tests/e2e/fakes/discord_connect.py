"""How a discord.py 2.7.1 client is pointed at another Discord (the fake, or a REST proxy).

discord.py has no per-client setting for either endpoint, so both are class attributes:

1. REST: every request URL is built from `discord.http.Route.BASE` when a `Route` is created
   (webhook and interaction-callback routes too: they use the same `Route` class). Set it before
   `login()`, which already calls GET /users/@me. `discord.http._set_api_version()` rewrites it
   to discord.com, so call it first if at all.
2. Gateway: a plain `Client` (and `commands.Bot`) never asks GET /gateway/bot: `connect()` calls
   `DiscordWebSocket.from_client()` without a URL, which falls back to the class attribute
   `DiscordWebSocket.DEFAULT_GATEWAY` (`wss://gateway.discord.gg/`). The same attribute is used
   again after an INVALIDATE_SESSION, while RESUMEs go to READY's `resume_gateway_url`. So ask
   the URL through the REST base (`client.http.get_bot_gateway()`, after login) and store it in
   `DEFAULT_GATEWAY`; `connect()` then dials it with `?v=10&encoding=json&compress=zlib-stream`.
   (Only `AutoShardedClient` with `shard_count=None` asks GET /gateway/bot on its own.)

Both settings are process wide, which suits one bot per process; tests restore them with
`discord_endpoints_restored()`. A bot mirrors this with, in its `Client` subclass:

    async def setup_hook(self) -> None:          # runs inside login(), before connect()
        if api_url is not None:
            await use_gateway_from_api(self)

after `use_api_base(api_url)` and before `await client.start(token)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


def use_api_base(api_base: str) -> None:
    """Send every discord.py REST request to `api_base`, e.g. "http://127.0.0.1:8080/api/v10"."""
    Route.BASE = api_base.rstrip("/")


async def use_gateway_from_api(client: discord.Client) -> yarl.URL:
    """Ask GET /gateway/bot through the REST base and make `client.connect()` dial that URL.

    Call it after `login()` (it needs the token), for example from `setup_hook`.
    """
    _shards, url, _limits = await client.http.get_bot_gateway()
    gateway = yarl.URL(url)
    DiscordWebSocket.DEFAULT_GATEWAY = gateway
    return gateway


async def login_through(client: discord.Client, token: str, api_base: str) -> yarl.URL:
    """Log `client` in against `api_base` and aim its gateway; `client.connect()` comes next."""
    use_api_base(api_base)
    await client.login(token)
    return await use_gateway_from_api(client)


@contextmanager
def discord_endpoints_restored() -> Iterator[None]:
    """Put discord.py's REST base and default gateway back as they were on exit."""
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield
    finally:
        Route.BASE = base
        DiscordWebSocket.DEFAULT_GATEWAY = gateway
