"""The fake Discord's vocabulary: constants, errors, users, guilds, files and interactions.

Plain data and pure helpers shared by `discord_world` (state), `discord_rest` (the HTTP routes)
and `discord_gateway` (the websocket); nothing here does I/O.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

Json = dict[str, Any]
T = TypeVar("T")


class Waiter(Protocol):
    """The fake's event-driven wait: the first non-None `probe()` within `timeout` seconds."""

    def __call__(
        self, probe: Callable[[], T | None], timeout: float, what: str
    ) -> Awaitable[T]: ...


API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000
HEARTBEAT_INTERVAL_MS = 41_250
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# Message flags.
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1  # every bit Discord defines today; what an owner gets
EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)

GUILD_MEMBERS_INTENT = 1 << 1
DIRECT_MESSAGES_INTENT = 1 << 12

# Interaction types and callback types.
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
    },
}

# Application command option types.
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
SUBCOMMANDS = (SUB_COMMAND, SUB_COMMAND_GROUP)
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
# Message component types Pacer sends (action rows hold them; modals hold text inputs).
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4



class DiscordApiError(Exception):
    """A Discord-shaped error answer: HTTP status plus `{"message", "code"}` JSON."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.body: Json = {"message": message, "code": code}
        if errors is not None:
            self.body["errors"] = errors


def not_found(code: int, what: str) -> DiscordApiError:
    return DiscordApiError(404, code, f"Unknown {what}")


def invalid_form(errors: Json) -> DiscordApiError:
    return DiscordApiError(400, 50035, "Invalid Form Body", errors)


@dataclass(frozen=True)
class FakeFile:
    """An uploaded multipart file part, kept byte for byte."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    """One HTTP request the bot made; `status` is filled in once the fake has answered."""

    method: str
    path: str  # relative to the API base, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any
    files: list[FakeFile]
    headers: dict[str, str]
    status: int = 0


@dataclass
class FakeMember:
    """A Discord user; `manage_guild` grants the Manage Server permission in every guild."""

    id: int
    name: str
    manage_guild: bool = False
    locale: str = "en-US"

    def user_dict(self) -> Json:
        return {
            "id": str(self.id),
            "username": re.sub(r"[^a-z0-9_.]", "_", self.name.lower()),
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "bot": False,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass
class FakeGuild:
    """A guild: text channels (id -> name) in order, members, and two roles."""

    id: int
    name: str
    owner_id: int
    channels: dict[int, str]
    members: dict[int, FakeMember]
    admin_role_id: int
    joined_at: str

    def permissions_of(self, member: FakeMember) -> int:
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        return EVERYONE_PERMISSIONS | (MANAGE_GUILD if member.manage_guild else 0)

    def role_ids_of(self, member: FakeMember) -> list[str]:
        return [str(self.admin_role_id)] if member.manage_guild else []

    def roles(self) -> list[Json]:
        return [
            role_dict(self.id, "@everyone", EVERYONE_PERMISSIONS, position=0),
            role_dict(self.admin_role_id, "Club admin", EVERYONE_PERMISSIONS | MANAGE_GUILD, 1),
        ]

    def channel_dict(self, channel_id: int) -> Json:
        return {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(self.id),
            "name": self.channels[channel_id],
            "position": list(self.channels).index(channel_id),
            "permission_overwrites": [],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    def member_dict(self, member: FakeMember, *, with_permissions: bool = False) -> Json:
        data: Json = {
            "user": member.user_dict(),
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": self.role_ids_of(member),
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_permissions:
            data["permissions"] = str(self.permissions_of(member))
        return data


def role_dict(role_id: int, name: str, permissions: int, position: int) -> Json:
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


class FakeInteraction:
    """One interaction a member started, and everything the bot answered to it."""

    def __init__(
        self,
        wait_for: Waiter,
        *,
        id: int,
        token: str,
        type: int,
        name: str,
        member: FakeMember,
        guild_id: int | None,
        channel_id: int,
        payload: Json,
        original: Json | None = None,
    ) -> None:
        self._wait_for = wait_for  # the fake's event-driven wait (probe, timeout, what)
        self.id = id
        self.token = token
        self.type = type
        self.name = name  # command path ("club new") or component/modal custom_id
        self.member = member
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.payload = payload  # the INTERACTION_CREATE data sent to the bot
        self.callback: Json | None = None  # {"type", "data"} as the bot posted it
        self.callback_files: list[FakeFile] = []
        # The message "@original" refers to: the reply (or the clicked message for components).
        self.original: Json | None = original
        self.original_edited = False
        self.followup_messages: list[Json] = []

    def __repr__(self) -> str:
        return f"<FakeInteraction {self.id} type={self.type} {self.name!r}>"

    async def response(self, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """The interaction callback the bot sent: `{"type": 4|5|6|7|8|9, "data": ...}`."""
        return await self._wait_for(lambda: self.callback, timeout, f"a callback to {self}")

    async def followups(self, count: int = 1, timeout: float = 5.0) -> list[Json]:  # noqa: ASYNC109
        """The first `count` follow-up messages (POST /webhooks/{app}/{token})."""

        def ready() -> list[Json] | None:
            done = len(self.followup_messages) >= count
            return self.followup_messages[:count] if done else None

        return await self._wait_for(ready, timeout, f"{count} follow-up(s) to {self}")

    async def final_message(self, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """The message the member ends up seeing (`flags & EPHEMERAL` tells if only they do)."""
        return await self._wait_for(self._visible, timeout, f"a visible reply to {self}")

    async def final_text(self, timeout: float = 5.0) -> str:  # noqa: ASYNC109
        """The text of `final_message`."""
        return str((await self.final_message(timeout))["content"])

    def _visible(self) -> Json | None:
        kind = None if self.callback is None else self.callback["type"]
        if kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            return self.original
        if kind == DEFERRED_CHANNEL_MESSAGE and self.original is not None:
            return None if self.original["flags"] & LOADING else self.original
        if kind == DEFERRED_UPDATE_MESSAGE:
            if self.original_edited:
                return self.original
            return self.followup_messages[0] if self.followup_messages else None
        return None



def command_errors(command: Json) -> Json:
    """Discord's main validation of a command in a bulk overwrite (empty when it is valid)."""
    errors: Json = {}
    name = command.get("name", "")
    kind = command.get("type", 1)
    if kind == 1 and (not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower()):
        errors["name"] = {"_errors": [{"code": "APPLICATION_COMMAND_INVALID_NAME"}]}
    if kind == 1 and not 1 <= len(command.get("description", "")) <= 100:
        errors["description"] = {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH"}]}
    nested = options_errors(command.get("options") or [])
    if nested:
        errors["options"] = nested
    return errors


def options_errors(options: list[Json]) -> Json:
    errors: Json = {}
    if len(options) > 25:
        errors["_errors"] = [{"code": "BASE_TYPE_MAX_LENGTH", "message": "25 at most"}]
    seen_optional = False
    for index, option in enumerate(options):
        problems: Json = {}
        if not re.fullmatch(r"[-_\w]{1,32}", option.get("name", "")):
            problems["name"] = {"_errors": [{"code": "APPLICATION_COMMAND_INVALID_NAME"}]}
        if option.get("required") and seen_optional:
            problems["required"] = {"_errors": [{"code": "APPLICATION_COMMAND_OPTIONS_ORDER"}]}
        if option.get("type") not in SUBCOMMANDS and not option.get("required"):
            seen_optional = True
        if len(option.get("choices") or []) > 25:
            problems["choices"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}
        nested = options_errors(option.get("options") or [])
        if nested:
            problems["options"] = nested
        if problems:
            errors[str(index)] = problems
    return errors


def optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def walk_components(components: list[Json]) -> Iterator[Json]:
    """Every component, depth first (action rows, labels, containers, sections...)."""
    for component in components:
        yield component
        yield from walk_components(component.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(component.get(key), dict):
                yield from walk_components([component[key]])


def find_component(components: list[Json], custom_id: str) -> Json | None:
    return next((c for c in walk_components(components) if c.get("custom_id") == custom_id), None)


def custom_ids(components: list[Json]) -> set[str]:
    return {c["custom_id"] for c in walk_components(components) if "custom_id" in c}


def modal_answer(components: list[Json], values: Mapping[str, str]) -> list[Json]:
    """The MODAL_SUBMIT `components`: the modal's layout with each input's submitted value."""
    answer = []
    for component in components:
        if component["type"] == ACTION_ROW:
            inner = modal_answer(component["components"], values)
            answer.append({"type": ACTION_ROW, "components": inner})
        elif component["type"] == TEXT_INPUT:
            value = values.get(component["custom_id"], component.get("value") or "")
            if component.get("required", True) and not value:
                raise ValueError(f"modal input {component['custom_id']!r} is required")
            custom_id = component["custom_id"]
            answer.append({"type": TEXT_INPUT, "custom_id": custom_id, "value": value})
        else:  # labels and selects in modals: Pacer's answer modal holds a text input only
            raise ValueError(f"modal component type {component['type']} is not modelled")
    return answer
