"""`pacer discord sync [--guild ID]`: publish the slash commands, over REST only."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import aiohttp
import discord

from bot.config import ConfigError, Settings, load_settings


def register(subparsers: Any) -> None:
    """Add `pacer discord ...` to the CLI."""
    discord_parser = subparsers.add_parser("discord", help="Discord maintenance")
    commands = discord_parser.add_subparsers(dest="discord_command", required=True)
    sync = commands.add_parser(
        "sync",
        help="publish the slash commands (globally, or at once in one server with --guild)",
    )
    sync.add_argument("--guild", type=int, default=None, help="a server (guild) id")
    sync.set_defaults(func=_sync)


def _sync(args: argparse.Namespace) -> int:
    names = asyncio.run(sync_now(load_settings(), args.guild))
    where = "globally" if args.guild is None else f"in server {args.guild}"
    print(f"published {len(names)} slash commands {where}: {', '.join(sorted(names))}")
    return 0


async def sync_now(settings: Settings, guild_id: int | None = None) -> list[str]:
    """Log in over REST (no gateway), publish the command tree, log out; the names synced."""
    from bot.discord.client import ClientOptions, is_custom_api, make_client, use_api_base
    from bot.discord.service import token_of
    from bot.discord.sync import sync_commands

    token = token_of(settings)
    client = make_client(settings, None, ClientOptions(gateway=False))
    if is_custom_api(settings.discord_api_url):
        use_api_base(settings.discord_api_url)
    try:
        await client.login(token)
        synced = await sync_commands(client.tree, guild_id)
    except discord.LoginFailure:
        raise ConfigError(
            "PACER_DISCORD_TOKEN was rejected by Discord (401 Unauthorized)"
        ) from None
    except (aiohttp.ClientError, OSError) as err:
        where = settings.discord_api_url
        raise ConfigError(f"PACER_DISCORD_API_URL: cannot reach {where}: {err}") from None
    finally:
        await client.close()
    return [command.name for command in synced]
