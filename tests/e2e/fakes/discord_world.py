"""What the fake Discord knows: users, guilds, channels, messages, files, commands, interactions.

Everything here is synchronous and free of HTTP and websockets, so the rules (who may run which
command, resolved option data, loading and ephemeral flags, attachments) sit in one place;
`discord_rest` decodes requests and answers them from this state, `discord_gateway` dispatches
what it builds, and `discord_server.FakeDiscord` is the facade tests drive.
"""

from __future__ import annotations

import copy
import itertools
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .discord_objects import (
    ADMINISTRATOR,
    ATTACHMENT,
    ATTACHMENT_SIZE_LIMIT,
    BOOLEAN,
    DISCORD_EPOCH_MS,
    EPHEMERAL,
    EVERYONE_PERMISSIONS,
    GUILD_MEMBERS_INTENT,
    INTEGER,
    LOADING,
    NUMBER,
    STRING,
    SUBCOMMANDS,
    FakeFile,
    FakeGuild,
    FakeInteraction,
    FakeMember,
    Json,
    Waiter,
    optional_str,
)


class DiscordState:
    """The application, its bot user and everything the tests and the bot created."""

    def __init__(
        self,
        application_id: int,
        bot_user_id: int,
        bot_name: str,
        *,
        now: Callable[[], datetime],
        base_url: Callable[[], str],
    ) -> None:
        self.application_id = application_id
        self.bot_user_id = bot_user_id
        self.bot_name = bot_name
        self._now = now
        self._base_url = base_url  # attachment URLs point at the running server
        self._ids = itertools.count(1)
        self.intents = 0  # of the last IDENTIFY; Discord sends members and DMs by intent
        self.commands: dict[int | None, list[Json]] = {}  # scope (guild id or None) -> synced
        self.guilds: dict[int, FakeGuild] = {}
        self.users: dict[int, FakeMember] = {}
        self.closed_dms: set[int] = set()
        self.channels: dict[int, Json] = {}  # guild and DM channel payloads
        self.dm_channel_of: dict[int, int] = {}
        self.messages: dict[int, Json] = {}
        self.channel_log: dict[int, list[int]] = {}
        self.files: dict[int, FakeFile] = {}  # attachment id -> bytes
        self.interactions: dict[int, FakeInteraction] = {}
        self.by_token: dict[str, FakeInteraction] = {}
        self.modals: dict[str, FakeInteraction] = {}  # custom_id -> interaction that opened it

    # ----- users, guilds, DM channels ------------------------------------------------------------

    def member(
        self, user_id: int, name: str, *, manage_guild: bool = False, locale: str = "en-US"
    ) -> FakeMember:
        """A user the fake knows (for DMs, GET /users/{id}); add them to guilds via `guild`."""
        member = FakeMember(user_id, name, manage_guild, locale)
        self.users[user_id] = member
        return member

    def guild(
        self,
        guild_id: int,
        name: str,
        owner_id: int,
        channels: list[tuple[int, str]],
        members: list[FakeMember],
    ) -> FakeGuild:
        """A guild the bot is in (the facade sends GUILD_CREATE if a bot is connected)."""
        if not channels:
            raise ValueError("a guild needs at least one text channel")
        guild = FakeGuild(
            id=guild_id,
            name=name,
            owner_id=owner_id,
            channels=dict(channels),
            members={m.id: m for m in members},
            admin_role_id=self.snowflake(),
            joined_at=self.timestamp(),
        )
        self.guilds[guild_id] = guild
        for member in members:
            self.users.setdefault(member.id, member)
        for channel_id in guild.channels:
            self.channels[channel_id] = guild.channel_dict(channel_id)
        return guild

    def dm_channel_id(self, user_id: int) -> int:
        """The DM channel between the bot and a user (created on first use, like Discord)."""
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}; declare it with fake.member()")
        if user_id not in self.dm_channel_of:
            channel_id = self.snowflake()
            self.dm_channel_of[user_id] = channel_id
            self.channels[channel_id] = {
                "id": str(channel_id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.users[user_id].user_dict()],
            }
        return self.dm_channel_of[user_id]

    def incoming_dm(self, member: FakeMember, content: str, files: list[FakeFile]) -> Json:
        """The MESSAGE_CREATE payload of `member` writing to the bot in their DM channel."""
        channel_id = self.dm_channel_id(member.id)
        return {
            "id": str(self.snowflake()),
            "channel_id": str(channel_id),
            "author": member.user_dict(),
            "content": content,
            "timestamp": self.timestamp(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self.store_attachment(f) for f in files],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }

    def guild_of_channel(self, channel_id: int) -> int | None:
        guild_id = self.channels[channel_id].get("guild_id")
        return None if guild_id is None else int(guild_id)

    # ----- what the bot posted -------------------------------------------------------------------

    def channel_messages(self, channel_id: int) -> list[Json]:
        """Messages the bot posted in a channel, oldest first.

        Interaction replies and follow-ups are included, ephemeral ones too (`flags & EPHEMERAL`).
        Each dict is the fake's live copy: later edits show up in it.
        """
        return [self.messages[i] for i in self.channel_log.get(channel_id, [])]

    def dms(self, user_id: int) -> list[Json]:
        """Messages the bot posted in its DM channel with a user."""
        channel_id = self.dm_channel_of.get(user_id)
        return [] if channel_id is None else self.channel_messages(channel_id)

    def attachment_data(self, attachment: Json) -> bytes:
        """The bytes behind an attachment object of a message the bot sent."""
        return self.files[int(attachment["id"])].data

    def find_message(
        self, predicate: Callable[[Json], bool], channel_id: int | None, user_id: int | None
    ) -> Json | None:
        """The first bot message matching, in `channel_id` or the DM channel with `user_id`."""
        wanted = self.dm_channel_of.get(user_id) if user_id is not None else channel_id
        if user_id is not None and wanted is None:
            return None
        for message in self.messages.values():
            if wanted is not None and int(message["channel_id"]) != wanted:
                continue
            if predicate(message):
                return message
        return None

    def post_message(
        self,
        channel_id: int,
        body: Json,
        files: list[FakeFile],
        flags: int,
        interaction: FakeInteraction | None,
        message_type: int,
    ) -> Json:
        message_id = self.snowflake()
        channel = self.channels[channel_id]
        message: Json = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": self.bot_user(),
            "content": body.get("content") or "",
            "timestamp": self.timestamp(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self.attachments(body, files, []),
            "embeds": list(body.get("embeds") or []),
            "components": list(body.get("components") or []),
            "pinned": False,
            "type": message_type,
            "flags": flags,
        }
        if "guild_id" in channel:
            message["guild_id"] = channel["guild_id"]
        if interaction is not None:
            message["application_id"] = str(self.application_id)
            message["webhook_id"] = str(self.application_id)
            message["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": interaction.member.user_dict(),
                "authorizing_integration_owners": interaction.payload[
                    "authorizing_integration_owners"
                ],
            }
        self.messages[message_id] = message
        self.channel_log.setdefault(channel_id, []).append(message_id)
        channel["last_message_id"] = str(message_id)
        return message

    def edit_message(self, message: Json, body: Json, files: list[FakeFile]) -> None:
        if "content" in body:
            message["content"] = body["content"] or ""
        for key in ("embeds", "components"):
            if key in body:
                message[key] = list(body[key] or [])
        if "attachments" in body or files:
            keep = message["attachments"]
            if "attachments" in body:
                kept_ids = {str(a.get("id")) for a in body["attachments"] or []}
                keep = [a for a in keep if a["id"] in kept_ids]
            message["attachments"] = self.attachments(body, files, keep)
        if body.get("flags") is not None:  # ephemeral and loading cannot be changed by an edit
            fixed = EPHEMERAL | LOADING
            message["flags"] = (message["flags"] & fixed) | (body["flags"] & ~fixed)
        message["edited_timestamp"] = self.timestamp()

    def delete_message(self, message: Json) -> None:
        message_id = int(message["id"])
        self.messages.pop(message_id, None)
        log = self.channel_log.get(int(message["channel_id"]), [])
        if message_id in log:
            log.remove(message_id)

    def attachments(self, body: Json, files: list[FakeFile], keep: list[Json]) -> list[Json]:
        """Existing attachments kept, plus one per uploaded `files[n]` part."""
        described = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        result = list(keep)
        for upload in files:
            index = upload.field.removeprefix("files[").removesuffix("]")
            meta = described.get(index, {})
            result.append(self.store_attachment(upload, meta.get("description")))
        return result

    def store_attachment(self, upload: FakeFile, description: str | None = None) -> Json:
        attachment_id = self.snowflake()
        self.files[attachment_id] = upload
        url = f"{self._base_url()}/attachments/{attachment_id}/{upload.filename}"
        attachment: Json = {
            "id": str(attachment_id),
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type,
        }
        if description:
            attachment["description"] = description
        return attachment

    # ----- application commands ------------------------------------------------------------------

    def command_object(self, command: Json, scope: int | None, command_id: str | None) -> Json:
        result = dict(command)
        result.update(
            id=command_id or str(self.snowflake()),
            application_id=str(self.application_id),
            version=str(self.snowflake()),
            type=command.get("type", 1),
            default_member_permissions=optional_str(command.get("default_member_permissions")),
            nsfw=command.get("nsfw", False),
            name_localizations=command.get("name_localizations"),
            description_localizations=command.get("description_localizations"),
            integration_types=command.get("integration_types") or [0],
            contexts=command.get("contexts"),
        )
        if scope is not None:
            result["guild_id"] = str(scope)
        return result

    # ----- REST: interactions and webhooks ----------------------------------------------------


    # ----- interactions --------------------------------------------------------------------------

    def command_data(
        self,
        member: FakeMember,
        path: list[str],
        values: Mapping[str, Any],
        guild_id: int | None,
        focused: tuple[str, str] | None,
    ) -> tuple[Json, Json]:
        if not path:
            raise ValueError("no command name")
        guild = self.member_guild(member, guild_id)
        command = self._find_command(path[0], guild_id)
        self._check_can_use(command, member, guild)
        resolved: dict[str, Json] = {}
        schema: list[Json] = command.get("options", [])
        leaf: list[Json] = []
        options = leaf
        for step in path[1:]:
            sub = next((o for o in schema if o["name"] == step and o["type"] in SUBCOMMANDS), None)
            if sub is None:
                raise ValueError(f"/{' '.join(path)}: no subcommand {step!r}")
            inner: list[Json] = []
            options.append({"type": sub["type"], "name": step, "options": inner})
            options, schema = inner, sub.get("options", [])
        if any(o["type"] in SUBCOMMANDS for o in schema):
            names = [o["name"] for o in schema]
            raise ValueError(f"/{' '.join(path)} needs a subcommand, one of {names}")
        options.extend(self._leaf_options(path, schema, values, guild, focused, resolved))
        data: Json = {
            "id": command["id"],
            "name": command["name"],
            "type": command.get("type", 1),
            "options": leaf,
        }
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return command, data

    def _leaf_options(
        self,
        path: list[str],
        schema: list[Json],
        values: Mapping[str, Any],
        guild: FakeGuild | None,
        focused: tuple[str, str] | None,
        resolved: dict[str, Json],
    ) -> list[Json]:
        by_name = {o["name"]: o for o in schema}
        wanted = dict(values)
        if focused is not None:
            wanted.pop(focused[0], None)
            if focused[0] not in by_name:
                raise ValueError(f"/{' '.join(path)} has no option {focused[0]!r}")
        unknown = set(wanted) - set(by_name)
        if unknown:
            raise ValueError(
                f"/{' '.join(path)} has no options {sorted(unknown)}; {list(by_name)}"
            )
        if focused is None:
            missing = [o["name"] for o in schema if o.get("required") and o["name"] not in wanted]
            if missing:
                raise ValueError(f"/{' '.join(path)} is missing required options {missing}")
        result = []
        for option in schema:  # Discord sends options in schema order
            name = option["name"]
            if focused is not None and name == focused[0]:
                if not option.get("autocomplete"):
                    raise ValueError(f"option {name!r} has no autocomplete")
                result.append(
                    {"name": name, "type": option["type"], "value": focused[1], "focused": True}
                )
            elif name in wanted:
                value = self._option_value(option, wanted[name], guild, resolved)
                result.append({"name": name, "type": option["type"], "value": value})
        return result

    def _option_value(
        self, option: Json, value: Any, guild: FakeGuild | None, resolved: dict[str, Json]
    ) -> Any:
        kind, name = option["type"], option["name"]

        def wrong(expected: str) -> ValueError:
            return ValueError(f"option {name!r} wants {expected}, got {value!r}")

        if kind == STRING:
            if not isinstance(value, str):
                raise wrong("a str")
            if not option.get("min_length", 0) <= len(value) <= option.get("max_length", 6000):
                raise wrong("a string within its length limits")
        elif kind in (INTEGER, NUMBER):
            numeric = (int,) if kind == INTEGER else (int, float)
            if isinstance(value, bool) or not isinstance(value, numeric):
                raise wrong("an int" if kind == INTEGER else "a number")
            low, high = option.get("min_value"), option.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise wrong(f"a value in [{low}, {high}]")
        elif kind == BOOLEAN:
            if not isinstance(value, bool):
                raise wrong("a bool")
        elif kind == ATTACHMENT:
            if not isinstance(value, FakeFile):
                raise wrong("a FakeFile")
            attachment = self.store_attachment(value)
            resolved.setdefault("attachments", {})[attachment["id"]] = attachment
            return attachment["id"]
        else:  # USER, CHANNEL, ROLE, MENTIONABLE: Pacer's commands take none of them
            raise ValueError(f"option {name!r} has type {kind}, which the fake does not model")
        choices = option.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise wrong(f"one of the choices {[c['value'] for c in choices]}")
        return value

    def _find_command(self, name: str, guild_id: int | None) -> Json:
        scopes = [guild_id, None] if guild_id is not None else [None]
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        synced = {scope: [c["name"] for c in cmds] for scope, cmds in self.commands.items()}
        where = f"guild {guild_id}" if guild_id is not None else "DMs"
        raise ValueError(f"/{name} is not synced for {where}; synced: {synced}")

    def _check_can_use(self, command: Json, member: FakeMember, guild: FakeGuild | None) -> None:
        if guild is None:
            contexts = command.get("contexts")
            if command.get("dm_permission") is False or (
                contexts is not None and 1 not in contexts
            ):
                raise ValueError(f"/{command['name']} is not available in DMs")
            return
        needed = command.get("default_member_permissions")
        if needed is None:
            return
        permissions = guild.permissions_of(member)
        required = int(needed) or ADMINISTRATOR  # "0" means administrators only
        if permissions & ADMINISTRATOR == 0 and permissions & required != required:
            raise ValueError(f"{member.name} cannot see /{command['name']} (permissions)")

    def member_guild(self, member: FakeMember, guild_id: int | None) -> FakeGuild | None:
        if guild_id is None:
            return None
        guild = self.guilds.get(guild_id)
        if guild is None:
            raise ValueError(f"unknown guild {guild_id}")
        if member.id not in guild.members:
            raise ValueError(f"{member.name} is not a member of guild {guild.name!r}")
        return guild

    def new_interaction(
        self,
        wait_for: Waiter,
        member: FakeMember,
        kind: int,
        data: Json,
        guild_id: int | None,
        channel_id: int | None,
        *,
        name: str,
        message: Json | None = None,
    ) -> FakeInteraction:
        """A new interaction by `member`, registered by id and token; the caller dispatches
        its `payload` as INTERACTION_CREATE."""
        guild = self.member_guild(member, guild_id)
        if guild is None:
            channel_id = self.dm_channel_id(member.id)
        elif channel_id is None:
            channel_id = next(iter(guild.channels))
        elif channel_id not in guild.channels:
            raise ValueError(f"channel {channel_id} is not in guild {guild.name!r}")
        interaction_id = self.snowflake()
        token = f"fake-interaction-{interaction_id}-{secrets.token_urlsafe(24)}"
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": str(channel_id),
            "channel": dict(self.channels[channel_id]),
            "locale": member.locale,
            "app_permissions": str(EVERYONE_PERMISSIONS),
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None:
            payload["guild_id"] = str(guild.id)
            payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
            payload["guild_locale"] = "en-US"
            payload["member"] = guild.member_dict(member, with_permissions=True)
            payload["channel"]["permissions"] = str(guild.permissions_of(member))
            payload["context"] = 0
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
        else:
            payload["user"] = member.user_dict()
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": "0"}
        if message is not None:  # a snapshot: a RESUME replay must not see later edits
            payload["message"] = copy.deepcopy(message)
        interaction = FakeInteraction(
            wait_for,
            id=interaction_id,
            token=token,
            type=kind,
            name=name,
            member=member,
            guild_id=guild.id if guild else None,
            channel_id=channel_id,
            payload=payload,
            original=message,
        )
        self.interactions[interaction_id] = interaction
        self.by_token[token] = interaction
        return interaction

    # ----- payloads ------------------------------------------------------------------------------

    def bot_user(self) -> Json:
        return {
            "id": str(self.bot_user_id),
            "username": self.bot_name.lower(),
            "global_name": self.bot_name,
            "discriminator": "0",
            "avatar": None,
            "bot": True,
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
            "flags": 0,
            "public_flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }

    def bot_member(self, guild: FakeGuild) -> Json:
        return {
            "user": self.bot_user(),
            "nick": None,
            "avatar": None,
            "roles": [],
            "joined_at": guild.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }

    def guild_create(self, guild: FakeGuild) -> Json:
        members = [self.bot_member(guild)]
        if self.intents & GUILD_MEMBERS_INTENT:  # else Discord sends only the bot itself
            members += [guild.member_dict(m) for m in guild.members.values()]
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": guild.roles(),
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(next(iter(guild.channels))),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "max_members": 500000,
            "joined_at": guild.joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(guild.members) + 1,
            "members": members,
            "channels": [guild.channel_dict(c) for c in guild.channels],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def snowflake(self) -> int:
        millis = int(self._now().timestamp() * 1000) - DISCORD_EPOCH_MS
        return (millis << 22) | (next(self._ids) & 0x3FFFFF)

    def timestamp(self) -> str:
        return self._now().isoformat()
