"""Publishing the slash commands: explicitly, or on start only when they changed.

Discord limits how often commands may be created, and a bulk overwrite on every start of
every worker is wasteful, so `sync_if_changed` first reads the published global commands
(`GET /applications/{id}/commands`) and compares them with the local tree, field by field
on what Pacer declares (`signature`). No state is kept anywhere: several workers agree
because they all compare against Discord.

`pacer discord sync [--guild ID]` (`bot.cli_discord`) publishes explicitly; with a guild, the
global commands are copied into that one server, where they show up at once (handy while
developing; global commands can take a while to appear everywhere).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)

# Option fields compared, with the value Discord leaves out when it is the default.
_OPTION_DEFAULTS: dict[str, Any] = {
    "description": "",
    "required": False,
    "autocomplete": False,
    "choices": None,
    "min_value": None,
    "max_value": None,
    "min_length": None,
    "max_length": None,
    "channel_types": None,
}


def local_commands(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """The global command payloads the tree would publish."""
    return [command.to_dict(tree) for command in tree.get_commands()]


def signature(commands: Iterable[Mapping[str, Any]]) -> str:
    """A canonical text of command payloads, equal for the local tree and what Discord
    returns for it (ids, versions and Discord's defaults left out)."""
    normal = sorted(
        (_command(c) for c in commands), key=lambda c: (c["type"], str(c["name"]))
    )
    return json.dumps(normal, sort_keys=True)


def _command(command: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": command.get("name"),
        "type": command.get("type") or 1,
        "description": command.get("description") or "",
        "options": [_option(o) for o in command.get("options") or []],
        "default_member_permissions": _str_or_none(command.get("default_member_permissions")),
        "dms": _allowed_in_dms(command),
        "nsfw": bool(command.get("nsfw", False)),
    }


def _option(option: Mapping[str, Any]) -> dict[str, Any]:
    normal: dict[str, Any] = {"type": option.get("type"), "name": option.get("name")}
    for key, default in _OPTION_DEFAULTS.items():
        value = option.get(key, default)
        if key in ("min_value", "max_value") and value is not None:
            value = float(value)
        if key == "choices" and value:
            value = [[c.get("name"), c.get("value")] for c in value]
        normal[key] = default if value is None or value == [] else value
    normal["options"] = [_option(o) for o in option.get("options") or []]
    return normal


def _allowed_in_dms(command: Mapping[str, Any]) -> bool:
    contexts = command.get("contexts")
    if isinstance(contexts, list):
        return 1 in contexts  # 1 = the bot's DMs
    return command.get("dm_permission") is not False


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


async def sync_if_changed(client: discord.Client, tree: app_commands.CommandTree[Any]) -> bool:
    """Publish the global commands if Discord's differ from the tree; True if it did."""
    if client.application_id is None:
        raise discord.ClientException("log in before syncing commands")
    published = await client.http.get_global_commands(client.application_id)
    if signature(published) == signature(local_commands(tree)):
        log.info("discord: slash commands are up to date (%d)", len(published))
        return False
    synced = await tree.sync()
    log.info("discord: published %d slash commands", len(synced))
    return True


async def sync_commands(
    tree: app_commands.CommandTree[Any], guild_id: int | None = None
) -> list[app_commands.AppCommand]:
    """Publish now: globally, or (with `guild_id`) the global commands in that one server."""
    if guild_id is None:
        return await tree.sync()
    guild = discord.Object(guild_id)
    tree.copy_global_to(guild=guild)
    return await tree.sync(guild=guild)
