"""A local fake Discord (REST + gateway) that the real discord.py 2.7.1 talks to in e2e tests.

One aiohttp server on 127.0.0.1 plays one application with one bot user in N guilds:

- REST under `/api/v10` (see `_ROUTES` for every implemented path). Unknown paths answer
  Discord's `{"message": "404: Not Found", "code": 0}`; every request is recorded in `calls`.
- The gateway at `/gateway`: HELLO, heartbeats, IDENTIFY -> READY + one GUILD_CREATE per guild,
  RESUME -> missed events + RESUMED, member chunk requests, and `zlib-stream` transport
  compression when the client asks for it (discord.py does unless `zstandard` is installed).
- Members act through `slash`, `autocomplete`, `click` and `submit_modal`, which send real
  INTERACTION_CREATE dispatches; `FakeInteraction` then waits for what the bot answered.
- Faults: `rate_limit_next`, `fail_next`, `close_dms`, `drop_gateway`.

Waiting is event based (one `asyncio.Condition` notified on every change), never sleep polling;
waits take `timeout=` like discord.py's own `wait_for` (hence the ASYNC109 exemptions).
discord.py sleeps `1 + 2 * try` seconds before retrying a 5xx, so prefer 4xx faults in fast tests.
A crash inside the fake is kept in `errors` and answered 400 (the fixtures fail the test on it).
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import itertools
import json
import math
import re
import secrets
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypeVar

from aiohttp import BodyPartReader, WSMsgType, web

Json = dict[str, Any]
T = TypeVar("T")

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
_ALLOWED_CALLBACKS = {
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
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
_SELECTS = {3, 5, 6, 7, 8}  # string, user, role, mentionable, channel select menus


class DiscordApiError(Exception):
    """A Discord-shaped error answer: HTTP status plus `{"message", "code"}` JSON."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.body: Json = {"message": message, "code": code}
        if errors is not None:
            self.body["errors"] = errors


def _not_found(code: int, what: str) -> DiscordApiError:
    return DiscordApiError(404, code, f"Unknown {what}")


def _invalid_form(errors: Json) -> DiscordApiError:
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
            _role(self.id, "@everyone", EVERYONE_PERMISSIONS, position=0),
            _role(self.admin_role_id, "Club admin", EVERYONE_PERMISSIONS | MANAGE_GUILD, 1),
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


def _role(role_id: int, name: str, permissions: int, position: int) -> Json:
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


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Json
    headers: dict[str, str]
    remaining: int

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and self.pattern.search(path) is not None


@dataclass
class _ApiRequest:
    call: Call
    params: dict[str, str]

    @property
    def body(self) -> Json:
        return self.call.json if isinstance(self.call.json, dict) else {}


Reply = tuple[int, Any]  # HTTP status and JSON body (None = 204 No Content)
Handler = Callable[["FakeDiscord", _ApiRequest], Awaitable[Reply]]

# (method, path pattern relative to /api/v10, needs "Authorization: Bot <token>", handler)
_ROUTES: list[tuple[str, re.Pattern[str], bool, Handler]] = []


def _route(method: str, path: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
    """Register a REST handler of `FakeDiscord` for one method and path pattern."""

    def register(handler: Handler) -> Handler:
        _ROUTES.append((method, re.compile(path), auth, handler))
        return handler

    return register


_COMMANDS = r"/applications/(?P<app_id>\d+)/commands"
_GUILD_COMMANDS = r"/applications/(?P<app_id>\d+)/guilds/(?P<guild_id>\d+)/commands"
_WEBHOOK = r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)"
_WEBHOOK_MESSAGE = _WEBHOOK + r"/messages/(?P<message_id>@original|\d+)"
_CHANNEL_MESSAGE = r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)"


class FakeInteraction:
    """One interaction a member started, and everything the bot answered to it."""

    def __init__(
        self,
        fake: FakeDiscord,
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
        self._fake = fake
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
        return await self._fake._wait_for(lambda: self.callback, timeout, f"a callback to {self}")

    async def followups(self, count: int = 1, timeout: float = 5.0) -> list[Json]:  # noqa: ASYNC109
        """The first `count` follow-up messages (POST /webhooks/{app}/{token})."""

        def ready() -> list[Json] | None:
            done = len(self.followup_messages) >= count
            return self.followup_messages[:count] if done else None

        return await self._fake._wait_for(ready, timeout, f"{count} follow-up(s) to {self}")

    async def final_message(self, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """The message the member ends up seeing (`flags & EPHEMERAL` tells if only they do)."""
        return await self._fake._wait_for(self._visible, timeout, f"a visible reply to {self}")

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


class _GatewayConnection:
    """One websocket; sends are serialised because the zlib stream must stay in order."""

    def __init__(self, ws: web.WebSocketResponse, *, compress: bool) -> None:
        self.ws = ws
        self._zlib = zlib.compressobj() if compress else None
        self._lock = asyncio.Lock()

    async def send(self, frame: Json) -> None:
        text = json.dumps(frame, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._zlib is None:
                await self.ws.send_str(text)
            else:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)


@dataclass
class _Session:
    id: str
    seq: int = 0
    history: list[Json] = field(default_factory=list)  # dispatched frames, for RESUME


class FakeDiscord:
    """A local Discord for one application, one bot user and the guilds a test declares."""

    def __init__(
        self,
        token: str = "MTIz.fake.token",
        application_id: int = 900000000000000001,
        bot_user_id: int = 900000000000000001,
        *,
        bot_name: str = "Pacer",
        compress_gateway: bool = True,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.token = token
        self.application_id = application_id
        self.bot_user_id = bot_user_id
        self.bot_name = bot_name
        self.compress_gateway = compress_gateway  # False: plain text frames even if asked
        self._now = now
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

        self.calls: list[Call] = []
        self.commands: dict[int | None, list[Json]] = {}
        self.guilds: dict[int, FakeGuild] = {}
        self.users: dict[int, FakeMember] = {}
        self.identify_payloads: list[Json] = []
        self.gateway_queries: list[dict[str, str]] = []  # query string of each connection
        self.resumes = 0
        self.errors: list[Exception] = []  # the fake's own failures; tests should keep it empty

        self._changed = asyncio.Condition()
        self._faults: list[_Fault] = []
        self._closed_dms: set[int] = set()
        self._channels: dict[int, Json] = {}  # guild and DM channel payloads
        self._dm_channel_of: dict[int, int] = {}
        self._messages: dict[int, Json] = {}
        self._channel_log: dict[int, list[int]] = {}
        self._files: dict[int, FakeFile] = {}  # attachment id -> bytes
        self._interactions: dict[int, FakeInteraction] = {}
        self._by_token: dict[str, FakeInteraction] = {}
        self._modals: dict[str, FakeInteraction] = {}  # custom_id -> interaction that opened it
        self._session: _Session | None = None
        self._connection: _GatewayConnection | None = None
        self._connections: set[_GatewayConnection] = set()
        self._ready = asyncio.Event()
        self._background: set[asyncio.Task[None]] = set()

    # ----- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free 127.0.0.1 port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/v{version:\\d+}/{tail:.*}", self._api)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._download)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close every gateway connection, then the server."""
        for connection in list(self._connections):
            await connection.ws.close(code=1001, message=b"fake Discord stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ----- the world ---------------------------------------------------------------------------

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
        """A guild the bot is in; sent in GUILD_CREATE (at once if a bot is connected)."""
        if not channels:
            raise ValueError("a guild needs at least one text channel")
        guild = FakeGuild(
            id=guild_id,
            name=name,
            owner_id=owner_id,
            channels=dict(channels),
            members={m.id: m for m in members},
            admin_role_id=self._snowflake(),
            joined_at=self._timestamp(),
        )
        self.guilds[guild_id] = guild
        for member in members:
            self.users.setdefault(member.id, member)
        for channel_id in guild.channels:
            self._channels[channel_id] = guild.channel_dict(channel_id)
        if self._session is not None:
            self._dispatch_soon("GUILD_CREATE", self._guild_create(guild))
        return guild

    async def send_dm(
        self, member: FakeMember, content: str = "", files: Sequence[FakeFile] = ()
    ) -> Json:
        """`member` writes to the bot in their DM channel, with files; the bot hears it as
        MESSAGE_CREATE when it identified with the DIRECT_MESSAGES intent (as on Discord).
        The message is not in `dms()` (that lists what the bot posted)."""
        channel_id = self.dm_channel_id(member.id)
        message: Json = {
            "id": str(self._snowflake()),
            "channel_id": str(channel_id),
            "author": member.user_dict(),
            "content": content,
            "timestamp": self._timestamp(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self._store_attachment(f) for f in files],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if self._intents() & DIRECT_MESSAGES_INTENT:
            await self._dispatch("MESSAGE_CREATE", message)
        return message

    def close_dms(self, user_id: int) -> None:
        """The user blocks DMs: posting in their DM channel answers 403 code 50007."""
        self._closed_dms.add(user_id)

    def open_dms(self, user_id: int) -> None:
        self._closed_dms.discard(user_id)

    def dm_channel_id(self, user_id: int) -> int:
        """The DM channel between the bot and a user (created on first use, like Discord)."""
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}; declare it with fake.member()")
        if user_id not in self._dm_channel_of:
            channel_id = self._snowflake()
            self._dm_channel_of[user_id] = channel_id
            self._channels[channel_id] = {
                "id": str(channel_id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.users[user_id].user_dict()],
            }
        return self._dm_channel_of[user_id]

    # ----- what the bot did --------------------------------------------------------------------

    def channel_messages(self, channel_id: int) -> list[Json]:
        """Messages the bot posted in a channel, oldest first.

        Interaction replies and follow-ups are included, ephemeral ones too (`flags & EPHEMERAL`).
        Each dict is the fake's live copy: later edits show up in it.
        """
        return [self._messages[i] for i in self._channel_log.get(channel_id, [])]

    def dms(self, user_id: int) -> list[Json]:
        """Messages the bot posted in its DM channel with a user."""
        channel_id = self._dm_channel_of.get(user_id)
        return [] if channel_id is None else self.channel_messages(channel_id)

    def attachment_data(self, attachment: Json) -> bytes:
        """The bytes behind an attachment object of a message the bot sent."""
        return self._files[int(attachment["id"])].data

    def calls_to(self, method: str, path_regex: str) -> list[Call]:
        """Recorded calls whose method matches (or "*") and whose path matches the regex."""
        pattern = re.compile(path_regex)
        return [c for c in self.calls if method in ("*", c.method) and pattern.search(c.path)]

    @property
    def identify(self) -> Json | None:
        """The last IDENTIFY payload (token, intents, properties...)."""
        return self.identify_payloads[-1] if self.identify_payloads else None

    async def wait_for_message(
        self,
        predicate: Callable[[Json], bool],
        *,
        channel_id: int | None = None,
        user_id: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Json:
        """The first bot message (already posted or yet to come) matching; `user_id` = DMs."""

        def find() -> Json | None:
            wanted = self._dm_channel_of.get(user_id) if user_id is not None else channel_id
            if user_id is not None and wanted is None:
                return None
            for message in self._messages.values():
                if wanted is not None and int(message["channel_id"]) != wanted:
                    continue
                if predicate(message):
                    return message
            return None

        return await self._wait_for(find, timeout, "a matching message")

    async def wait_ready(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """A client identified and was sent READY and every GUILD_CREATE."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(f"no client identified within {timeout}s") from None

    async def wait_resumed(self, count: int = 1, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """At least `count` RESUMEs were answered with RESUMED."""
        await self._wait_for(lambda: True if self.resumes >= count else None, timeout, "RESUME")

    # ----- faults ------------------------------------------------------------------------------

    def rate_limit_next(
        self,
        method: str,
        path_regex: str,
        *,
        retry_after: float = 0.2,
        times: int = 1,
        global_: bool = False,
    ) -> None:
        """The next `times` matching requests get a Discord 429 (discord.py waits and retries)."""
        scope = "global" if global_ else "user"
        bucket = hashlib.sha1(f"{method} {path_regex}".encode()).hexdigest()[:16]
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Scope": scope,
            # discord.py treats a 429 without `Via` as a Cloudflare ban and gives up.
            "Via": "1.1 google",
        }
        if global_:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": retry_after}
        body["global"] = global_
        self._add_fault(method, path_regex, 429, body, headers, times)

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        code: int = 0,
        message: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` matching requests fail, e.g. 403 code 50013 "Missing Permissions"."""
        text = message or f"{status}: {HTTPStatus(status).phrase}"
        self._add_fault(method, path_regex, status, {"message": text, "code": code}, {}, times)

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's websocket; discord.py reconnects and RESUMEs (codes 4000-4003...)."""
        if self._connection is not None:
            await self._connection.ws.close(code=code, message=b"fake Discord dropped you")

    def _add_fault(
        self,
        method: str,
        path_regex: str,
        status: int,
        body: Json,
        headers: dict[str, str],
        times: int,
    ) -> None:
        fault = _Fault(
            method.upper(),
            re.compile(path_regex),
            status,
            body,
            headers | {"Via": "1.1 google"},
            times,
        )
        self._faults.append(fault)

    # ----- what members do ---------------------------------------------------------------------

    async def slash(
        self,
        member: FakeMember,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        subcommand: str | None = None,
    ) -> FakeInteraction:
        """The member runs a synced slash command (`"club new"` or `subcommand=`); no guild = DM.

        Option values follow the synced schema: str, int, bool, float, a FakeMember or user id
        for users, a channel id, a role id, or a FakeFile for attachments.
        """
        path = name.split() + (subcommand.split() if subcommand else [])
        _command, data = self._command_data(member, path, options or {}, guild_id, None)
        return await self._interact(
            member, APPLICATION_COMMAND, data, guild_id, channel_id, name=" ".join(path)
        )

    async def autocomplete(
        self,
        member: FakeMember,
        name: str,
        focused_option: str,
        value: str,
        *,
        options: Mapping[str, Any] | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        subcommand: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Json]:
        """The member types `value` into an autocomplete option; the choices the bot offered."""
        path = name.split() + (subcommand.split() if subcommand else [])
        focused = (focused_option, value)
        _command, data = self._command_data(member, path, options or {}, guild_id, focused)
        interaction = await self._interact(
            member, AUTOCOMPLETE, data, guild_id, channel_id, name=" ".join(path)
        )
        response = await interaction.response(timeout)
        return list(response.get("data", {}).get("choices", []))

    async def click(
        self,
        member: FakeMember,
        message: Json,
        custom_id: str,
        *,
        values: list[Any] | None = None,
    ) -> FakeInteraction:
        """The member presses a button (or picks `values` in a select) on a bot message."""
        stored = self._messages.get(int(message["id"]))
        if stored is None:
            raise ValueError(f"message {message['id']} was not sent by the bot through the fake")
        component = _find_component(stored.get("components", []), custom_id)
        if component is None:
            known = sorted(_custom_ids(stored.get("components", [])))
            raise ValueError(f"no component {custom_id!r} on the message; it has {known}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; it cannot be clicked")
        channel_id = int(stored["channel_id"])
        guild_id = self._guild_of_channel(channel_id)
        data: Json = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] in _SELECTS:
            picked = [str(v.id if isinstance(v, FakeMember) else v) for v in values or []]
            data["values"] = picked
            if component["type"] != 3:
                data["resolved"] = self._resolve_ids(picked, guild_id)
        return await self._interact(
            member,
            MESSAGE_COMPONENT,
            data,
            guild_id,
            channel_id,
            name=custom_id,
            message=stored,
        )

    async def submit_modal(
        self,
        member: FakeMember,
        custom_id: str,
        values: Mapping[str, str | list[str]],
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
    ) -> FakeInteraction:
        """The member fills in and submits a modal the bot opened (callback type 9)."""
        opener = self._modals.get(custom_id)
        if opener is None:
            raise ValueError(
                f"the bot never opened a modal {custom_id!r}; open: {list(self._modals)}"
            )
        modal = opener.callback["data"] if opener.callback else {}
        components = _modal_answer(modal.get("components", []), values)
        unknown = set(values) - _custom_ids(modal.get("components", []))
        if unknown:
            raise ValueError(f"modal {custom_id!r} has no inputs {sorted(unknown)}")
        data = {"custom_id": custom_id, "components": components}
        in_guild = guild_id if guild_id is not None else opener.guild_id
        channel = channel_id if channel_id is not None else opener.channel_id
        message = opener.original if opener.type == MESSAGE_COMPONENT else None
        return await self._interact(
            member, MODAL_SUBMIT, data, in_guild, channel, name=custom_id, message=message
        )

    # ----- interactions: building ----------------------------------------------------------------

    def _command_data(
        self,
        member: FakeMember,
        path: list[str],
        values: Mapping[str, Any],
        guild_id: int | None,
        focused: tuple[str, str] | None,
    ) -> tuple[Json, Json]:
        if not path:
            raise ValueError("no command name")
        guild = self._member_guild(member, guild_id)
        command = self._find_command(path[0], guild_id)
        self._check_can_use(command, member, guild)
        resolved: dict[str, Json] = {}
        schema: list[Json] = command.get("options", [])
        leaf: list[Json] = []
        options = leaf
        for step in path[1:]:
            sub = next((o for o in schema if o["name"] == step and o["type"] in (1, 2)), None)
            if sub is None:
                raise ValueError(f"/{' '.join(path)}: no subcommand {step!r}")
            inner: list[Json] = []
            options.append({"type": sub["type"], "name": step, "options": inner})
            options, schema = inner, sub.get("options", [])
        if any(o["type"] in (1, 2) for o in schema):
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
            attachment = self._store_attachment(value)
            resolved.setdefault("attachments", {})[attachment["id"]] = attachment
            return attachment["id"]
        else:  # USER, CHANNEL, ROLE, MENTIONABLE: snowflakes with resolved objects
            snowflake = str(value.id if isinstance(value, FakeMember) else value)
            if not snowflake.isdigit():
                raise wrong("an id")
            for key, items in self._resolve_ids([snowflake], guild.id if guild else None).items():
                resolved.setdefault(key, {}).update(items)
            return snowflake
        choices = option.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise wrong(f"one of the choices {[c['value'] for c in choices]}")
        return value

    def _resolve_ids(self, ids: list[str], guild_id: int | None) -> dict[str, Json]:
        """`resolved` data for user, member, role and channel ids, as Discord sends it."""
        guild = self.guilds.get(guild_id) if guild_id is not None else None
        resolved: dict[str, Json] = {}
        for snowflake in ids:
            number = int(snowflake)
            if number in self.users:
                user = self.users[number]
                resolved.setdefault("users", {})[snowflake] = user.user_dict()
                if guild is not None and number in guild.members:
                    member = guild.member_dict(user, with_permissions=True)
                    del member["user"]
                    resolved.setdefault("members", {})[snowflake] = member
            elif guild is not None and number in (guild.id, guild.admin_role_id):
                role = next(r for r in guild.roles() if r["id"] == snowflake)
                resolved.setdefault("roles", {})[snowflake] = role
            elif number in self._channels:
                channel = dict(self._channels[number])
                channel["permissions"] = str(EVERYONE_PERMISSIONS)
                resolved.setdefault("channels", {})[snowflake] = channel
            else:
                raise ValueError(f"id {snowflake} is no user, role or channel the fake knows")
        return resolved

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

    def _member_guild(self, member: FakeMember, guild_id: int | None) -> FakeGuild | None:
        if guild_id is None:
            return None
        guild = self.guilds.get(guild_id)
        if guild is None:
            raise ValueError(f"unknown guild {guild_id}")
        if member.id not in guild.members:
            raise ValueError(f"{member.name} is not a member of guild {guild.name!r}")
        return guild

    async def _interact(
        self,
        member: FakeMember,
        kind: int,
        data: Json,
        guild_id: int | None,
        channel_id: int | None,
        *,
        name: str,
        message: Json | None = None,
    ) -> FakeInteraction:
        guild = self._member_guild(member, guild_id)
        if guild is None:
            channel_id = self.dm_channel_id(member.id)
        elif channel_id is None:
            channel_id = next(iter(guild.channels))
        elif channel_id not in guild.channels:
            raise ValueError(f"channel {channel_id} is not in guild {guild.name!r}")
        interaction_id = self._snowflake()
        token = f"fake-interaction-{interaction_id}-{secrets.token_urlsafe(24)}"
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": str(channel_id),
            "channel": dict(self._channels[channel_id]),
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
            self,
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
        self._interactions[interaction_id] = interaction
        self._by_token[token] = interaction
        await self._dispatch("INTERACTION_CREATE", payload)
        return interaction

    # ----- REST plumbing -----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        call = Call(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=None,
            files=[],
            headers=dict(request.headers),
        )
        self.calls.append(call)
        try:
            call.json, call.files = await _read_body(request)
            status, body, headers = await self._answer(call)
        except DiscordApiError as error:
            status, body, headers = error.status, error.body, {}
        except Exception as error:
            # A bug in the fake: keep it for the fixture to report, and answer 400 because
            # discord.py would retry a 5xx for many seconds.
            self.errors.append(error)
            status, body, headers = 400, {"message": f"fake Discord failed: {error!r}"}, {}
        call.status = status
        await self._notify()
        if body is None:
            return web.Response(status=status, headers=headers)
        # Exactly "application/json": discord.py compares the header verbatim, so aiohttp's
        # json_response ("...; charset=utf-8") would hand it a str instead of a dict.
        content = json.dumps(body).encode()
        headers = {**headers, "Content-Type": "application/json"}
        return web.Response(status=status, body=content, headers=headers)

    async def _answer(self, call: Call) -> tuple[int, Any, dict[str, str]]:
        for fault in self._faults:
            if fault.matches(call.method, call.path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault.status, fault.body, fault.headers
        allowed: set[str] = set()
        for method, pattern, needs_auth, handler in _ROUTES:
            match = pattern.fullmatch(call.path)
            if match is None:
                continue
            if method != call.method:
                allowed.add(method)
                continue
            if needs_auth and call.headers.get("Authorization") != f"Bot {self.token}":
                raise DiscordApiError(401, 0, "401: Unauthorized")
            status, body = await handler(self, _ApiRequest(call, match.groupdict()))
            return status, body, {}
        if allowed:
            raise DiscordApiError(405, 0, "405: Method Not Allowed")
        raise DiscordApiError(404, 0, "404: Not Found")

    async def _download(self, request: web.Request) -> web.StreamResponse:
        stored = self._files.get(int(request.match_info["attachment_id"]))
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.data, content_type=stored.content_type)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _wait_for(self, probe: Callable[[], T | None], timeout: float, what: str) -> T:  # noqa: ASYNC109
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    while (found := probe()) is None:
                        await self._changed.wait()
            except TimeoutError:
                recent = ", ".join(f"{c.method} {c.path} -> {c.status}" for c in self.calls[-8:])
                raise TimeoutError(
                    f"no {what} within {timeout}s; last REST calls: {recent or 'none'}"
                ) from None
        return found

    # ----- REST: users, application, gateway ---------------------------------------------------

    def _bot_user(self) -> Json:
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

    @_route("GET", r"/users/@me")
    async def _get_me(self, req: _ApiRequest) -> Reply:
        return 200, self._bot_user()

    @_route("GET", r"/users/(?P<user_id>\d+)")
    async def _get_user(self, req: _ApiRequest) -> Reply:
        user_id = int(req.params["user_id"])
        if user_id == self.bot_user_id:
            return 200, self._bot_user()
        if user_id not in self.users:
            raise _not_found(10013, "User")
        return 200, self.users[user_id].user_dict()

    @_route("GET", r"/oauth2/applications/@me")
    @_route("GET", r"/applications/@me")
    async def _get_application(self, req: _ApiRequest) -> Reply:
        owner = {"id": "1", "username": "owner", "discriminator": "0", "avatar": None}
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_name,
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": owner,
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "bot": self._bot_user(),
            "summary": "",
            "interactions_endpoint_url": None,
            "redirect_uris": [],
        }

    @_route("GET", r"/gateway", auth=False)
    async def _get_gateway(self, req: _ApiRequest) -> Reply:
        return 200, {"url": self.gateway_url}

    @_route("GET", r"/gateway/bot")
    async def _get_gateway_bot(self, req: _ApiRequest) -> Reply:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    @_route("POST", r"/users/@me/channels")
    async def _create_dm(self, req: _ApiRequest) -> Reply:
        recipient = req.body.get("recipient_id")
        if recipient is None or int(recipient) not in self.users:
            raise DiscordApiError(400, 50033, "Invalid Recipient(s)")
        return 200, self._channels[self.dm_channel_id(int(recipient))]

    # ----- REST: application commands ----------------------------------------------------------

    def _check_application(self, req: _ApiRequest) -> None:
        if int(req.params["app_id"]) != self.application_id:
            raise DiscordApiError(403, 50001, "Missing Access")

    def _command_scope(self, req: _ApiRequest) -> int | None:
        self._check_application(req)
        if "guild_id" not in req.params:
            return None
        guild_id = int(req.params["guild_id"])
        if guild_id not in self.guilds:
            raise DiscordApiError(403, 50001, "Missing Access")
        return guild_id

    @_route("GET", _COMMANDS)
    @_route("GET", _GUILD_COMMANDS)
    async def _get_commands(self, req: _ApiRequest) -> Reply:
        return 200, self.commands.get(self._command_scope(req), [])

    @_route("PUT", _COMMANDS)
    @_route("PUT", _GUILD_COMMANDS)
    async def _put_commands(self, req: _ApiRequest) -> Reply:
        scope = self._command_scope(req)
        payload = req.call.json
        if not isinstance(payload, list):
            raise _invalid_form({"_errors": [{"code": "LIST_TYPE_CONVERT", "message": "list"}]})
        errors: Json = {str(i): e for i, c in enumerate(payload) if (e := _command_errors(c))}
        if len(payload) > 100:
            errors["_errors"] = [{"code": "BASE_TYPE_MAX_LENGTH", "message": "100 at most"}]
        if errors:
            raise _invalid_form(errors)
        existing = {(c["name"], c.get("type", 1)): c["id"] for c in self.commands.get(scope, [])}
        synced = []
        for command in payload:
            key = (command["name"], command.get("type", 1))
            synced.append(self._command_object(command, scope, existing.get(key)))
        self.commands[scope] = synced
        return 200, synced

    def _command_object(self, command: Json, scope: int | None, command_id: str | None) -> Json:
        result = dict(command)
        result.update(
            id=command_id or str(self._snowflake()),
            application_id=str(self.application_id),
            version=str(self._snowflake()),
            type=command.get("type", 1),
            default_member_permissions=_optional_str(command.get("default_member_permissions")),
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

    @_route("POST", r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback", auth=False)
    async def _callback(self, req: _ApiRequest) -> Reply:
        interaction = self._interactions.get(int(req.params["interaction_id"]))
        if interaction is None or interaction.token != req.params["token"]:
            raise _not_found(10062, "interaction")
        if interaction.callback is not None:
            raise DiscordApiError(400, 40060, "Interaction has already been acknowledged.")
        body = req.body
        kind = body.get("type")
        if kind not in _ALLOWED_CALLBACKS[interaction.type]:
            raise _invalid_form({"type": {"_errors": [{"code": "INTERACTION_CALLBACK_TYPE"}]}})
        data: Json = body.get("data") or {}
        if kind == CHANNEL_MESSAGE:
            flags = (data.get("flags") or 0) & ~LOADING
            message_type = 20 if interaction.type == APPLICATION_COMMAND else 0
            interaction.original = self._post_message(
                interaction.channel_id, data, req.call.files, flags, interaction, message_type
            )
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            flags = LOADING | ((data.get("flags") or 0) & EPHEMERAL)
            interaction.original = self._post_message(
                interaction.channel_id, {"content": ""}, [], flags, interaction, 20
            )
        elif kind == UPDATE_MESSAGE:
            if interaction.original is None:
                raise _invalid_form({"type": {"_errors": [{"code": "NO_MESSAGE_TO_UPDATE"}]}})
            self._edit_message(interaction.original, data, req.call.files)
        elif kind == MODAL:
            self._modals[str(data.get("custom_id"))] = interaction
        interaction.callback = {"type": kind, "data": data}
        interaction.callback_files = req.call.files
        if req.call.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        return 200, self._callback_response(interaction, kind)

    def _callback_response(self, interaction: FakeInteraction, kind: int) -> Json:
        """The body of `?with_response=true`, which discord.py 2.7 always asks for."""
        message = interaction.original if kind in (4, 5, 7) else None
        summary: Json = {"id": str(interaction.id), "type": interaction.type}
        if message is not None:
            summary["response_message_id"] = message["id"]
            summary["response_message_loading"] = bool(message["flags"] & LOADING)
            summary["response_message_ephemeral"] = bool(message["flags"] & EPHEMERAL)
        reply: Json = {"interaction": summary}
        if message is not None:
            reply["resource"] = {"type": kind, "message": message}
        elif kind == MODAL:
            reply["resource"] = {"type": kind}
        return reply

    def _webhook_interaction(self, req: _ApiRequest) -> FakeInteraction:
        interaction = self._by_token.get(req.params["token"])
        if int(req.params["app_id"]) != self.application_id or interaction is None:
            raise _not_found(10015, "Webhook")
        if interaction.callback is None:  # Discord knows no webhook before the callback
            raise _not_found(10015, "Webhook")
        return interaction

    @_route("POST", _WEBHOOK, auth=False)
    async def _followup(self, req: _ApiRequest) -> Reply:
        interaction = self._webhook_interaction(req)
        original = interaction.original
        deferred = interaction.callback is not None and interaction.callback["type"] == 5
        if deferred and original is not None and original["flags"] & LOADING:
            # The first follow-up after a "thinking" defer replaces the loading message.
            self._edit_message(original, req.body, req.call.files)
            original["flags"] &= ~LOADING
            interaction.original_edited = True
            message = original
        else:
            flags = (req.body.get("flags") or 0) & ~LOADING
            message = self._post_message(
                interaction.channel_id, req.body, req.call.files, flags, interaction, 0
            )
        interaction.followup_messages.append(message)
        if req.call.query.get("wait", "").lower() in ("1", "true"):
            return 200, message
        return 204, None

    def _webhook_message(self, req: _ApiRequest) -> tuple[FakeInteraction, Json]:
        interaction = self._webhook_interaction(req)
        wanted = req.params["message_id"]
        if wanted == "@original":
            message = interaction.original
        else:
            candidates = [interaction.original, *interaction.followup_messages]
            message = next((m for m in candidates if m and m["id"] == wanted), None)
        if message is None or int(message["id"]) not in self._messages:
            raise _not_found(10008, "Message")
        return interaction, message

    @_route("GET", _WEBHOOK_MESSAGE, auth=False)
    async def _get_webhook_message(self, req: _ApiRequest) -> Reply:
        return 200, self._webhook_message(req)[1]

    @_route("PATCH", _WEBHOOK_MESSAGE, auth=False)
    async def _edit_webhook_message(self, req: _ApiRequest) -> Reply:
        interaction, message = self._webhook_message(req)
        self._edit_message(message, req.body, req.call.files)
        message["flags"] &= ~LOADING
        if message is interaction.original:
            interaction.original_edited = True
        return 200, message

    @_route("DELETE", _WEBHOOK_MESSAGE, auth=False)
    async def _delete_webhook_message(self, req: _ApiRequest) -> Reply:
        _interaction, message = self._webhook_message(req)
        self._delete_message(message)
        return 204, None

    # ----- REST: channels, messages, guilds -----------------------------------------------------

    def _channel(self, req: _ApiRequest) -> Json:
        channel = self._channels.get(int(req.params["channel_id"]))
        if channel is None:
            raise _not_found(10003, "Channel")
        return channel

    def _channel_message(self, req: _ApiRequest) -> Json:
        channel = self._channel(req)
        message = self._messages.get(int(req.params["message_id"]))
        if message is None or message["channel_id"] != channel["id"]:
            raise _not_found(10008, "Message")
        return message

    @_route("GET", r"/channels/(?P<channel_id>\d+)")
    async def _get_channel(self, req: _ApiRequest) -> Reply:
        return 200, self._channel(req)

    @_route("POST", r"/channels/(?P<channel_id>\d+)/typing")
    async def _typing(self, req: _ApiRequest) -> Reply:
        self._channel(req)
        return 204, None

    @_route("POST", r"/channels/(?P<channel_id>\d+)/messages")
    async def _send_message(self, req: _ApiRequest) -> Reply:
        channel = self._channel(req)
        if channel["type"] == 1 and int(channel["recipients"][0]["id"]) in self._closed_dms:
            raise DiscordApiError(403, 50007, "Cannot send messages to this user")
        body = req.body
        parts = ("content", "embeds", "components", "sticker_ids", "poll")
        if not (req.call.files or any(body.get(part) for part in parts)):
            raise DiscordApiError(400, 50006, "Cannot send an empty message")
        flags = (body.get("flags") or 0) & ~(EPHEMERAL | LOADING)  # ephemeral: interactions only
        message = self._post_message(int(channel["id"]), body, req.call.files, flags, None, 0)
        return 200, message

    @_route("GET", _CHANNEL_MESSAGE)
    async def _get_message(self, req: _ApiRequest) -> Reply:
        return 200, self._channel_message(req)

    @_route("PATCH", _CHANNEL_MESSAGE)
    async def _edit_channel_message(self, req: _ApiRequest) -> Reply:
        message = self._channel_message(req)
        self._edit_message(message, req.body, req.call.files)
        return 200, message

    @_route("DELETE", _CHANNEL_MESSAGE)
    async def _delete_channel_message(self, req: _ApiRequest) -> Reply:
        self._delete_message(self._channel_message(req))
        return 204, None

    def _guild(self, req: _ApiRequest) -> FakeGuild:
        guild = self.guilds.get(int(req.params["guild_id"]))
        if guild is None:
            raise _not_found(10004, "Guild")
        return guild

    @_route("GET", r"/guilds/(?P<guild_id>\d+)")
    async def _get_guild(self, req: _ApiRequest) -> Reply:
        guild = self._guild(req)
        data = {k: v for k, v in self._guild_create(guild).items() if k not in _GATEWAY_ONLY}
        return 200, data

    @_route("GET", r"/guilds/(?P<guild_id>\d+)/channels")
    async def _get_guild_channels(self, req: _ApiRequest) -> Reply:
        guild = self._guild(req)
        return 200, [guild.channel_dict(channel_id) for channel_id in guild.channels]

    @_route("GET", r"/guilds/(?P<guild_id>\d+)/members/(?P<user_id>\d+)")
    async def _get_member(self, req: _ApiRequest) -> Reply:
        guild = self._guild(req)
        user_id = int(req.params["user_id"])
        if user_id == self.bot_user_id:
            return 200, self._bot_member(guild)
        if user_id not in guild.members:
            raise _not_found(10007, "Member")
        return 200, guild.member_dict(guild.members[user_id])

    # ----- messages -----------------------------------------------------------------------------

    def _post_message(
        self,
        channel_id: int,
        body: Json,
        files: list[FakeFile],
        flags: int,
        interaction: FakeInteraction | None,
        message_type: int,
    ) -> Json:
        message_id = self._snowflake()
        channel = self._channels[channel_id]
        message: Json = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": self._bot_user(),
            "content": body.get("content") or "",
            "timestamp": self._timestamp(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(body, files, []),
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
        self._messages[message_id] = message
        self._channel_log.setdefault(channel_id, []).append(message_id)
        channel["last_message_id"] = str(message_id)
        return message

    def _edit_message(self, message: Json, body: Json, files: list[FakeFile]) -> None:
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
            message["attachments"] = self._attachments(body, files, keep)
        if body.get("flags") is not None:  # ephemeral and loading cannot be changed by an edit
            fixed = EPHEMERAL | LOADING
            message["flags"] = (message["flags"] & fixed) | (body["flags"] & ~fixed)
        message["edited_timestamp"] = self._timestamp()

    def _delete_message(self, message: Json) -> None:
        message_id = int(message["id"])
        self._messages.pop(message_id, None)
        log = self._channel_log.get(int(message["channel_id"]), [])
        if message_id in log:
            log.remove(message_id)

    def _attachments(self, body: Json, files: list[FakeFile], keep: list[Json]) -> list[Json]:
        """Existing attachments kept, plus one per uploaded `files[n]` part."""
        described = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        result = list(keep)
        for upload in files:
            index = upload.field.removeprefix("files[").removesuffix("]")
            meta = described.get(index, {})
            result.append(self._store_attachment(upload, meta.get("description")))
        return result

    def _store_attachment(self, upload: FakeFile, description: str | None = None) -> Json:
        attachment_id = self._snowflake()
        self._files[attachment_id] = upload
        url = f"{self.base_url}/attachments/{attachment_id}/{upload.filename}"
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

    # ----- gateway ------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.gateway_queries.append(dict(request.query))
        wants_zlib = request.query.get("compress") == "zlib-stream"
        connection = _GatewayConnection(ws, compress=wants_zlib and self.compress_gateway)
        self._connections.add(connection)
        try:
            await connection.send(
                {
                    "op": 10,
                    "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS},
                    "s": None,
                    "t": None,
                }
            )
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await self._on_gateway_frame(connection, json.loads(message.data))
                elif message.type == WSMsgType.ERROR:
                    break
        except Exception as error:
            self.errors.append(error)
            await ws.close(code=1011, message=b"fake Discord failed")
        finally:
            self._connections.discard(connection)
            if self._connection is connection:
                self._connection = None
        return ws

    async def _on_gateway_frame(self, connection: _GatewayConnection, frame: Json) -> None:
        op, payload = frame.get("op"), frame.get("d")
        data: Json = payload if isinstance(payload, dict) else {}
        if op == 1:  # heartbeat
            await connection.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:  # identify
            await self._on_identify(connection, data)
        elif op == 6:  # resume
            await self._on_resume(connection, data)
        elif op == 8:  # request guild members
            await self._on_request_members(connection, data)
        # op 3 (presence) and 4 (voice state) change nothing the fake models.

    async def _on_identify(self, connection: _GatewayConnection, data: Json) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identify_payloads.append(data)
        self._session = _Session(id=secrets.token_hex(16))
        self._connection = connection
        ready: Json = {
            "v": 10,
            "user": self._bot_user(),
            "user_settings": {},
            "session_id": self._session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
            "application": {"id": str(self.application_id), "flags": 0},
            "_trace": ["fake-discord"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self._dispatch("READY", ready)
        for guild in self.guilds.values():
            await self._dispatch("GUILD_CREATE", self._guild_create(guild))
        self._ready.set()
        await self._notify()

    async def _on_resume(self, connection: _GatewayConnection, data: Json) -> None:
        session = self._session
        valid = session is not None and data.get("session_id") == session.id
        if not valid or data.get("token") != self.token or session is None:
            await connection.send({"op": 9, "d": False, "s": None, "t": None})
            return
        seen = data.get("seq") or 0
        replayed = 0
        while replayed < len(session.history):  # dispatches may be appended while we send
            frame = session.history[replayed]
            replayed += 1
            if frame["s"] > seen:
                await connection.send(frame)
        # No await between the last length check and this line, so no dispatch is lost.
        self._connection = connection
        await self._dispatch("RESUMED", {"_trace": ["fake-discord"]})
        self.resumes += 1
        await self._notify()

    async def _on_request_members(self, connection: _GatewayConnection, data: Json) -> None:
        guild_ids = data.get("guild_id")
        ids = guild_ids if isinstance(guild_ids, list) else [guild_ids]
        for raw_id in ids:
            guild = self.guilds.get(int(raw_id)) if raw_id is not None else None
            if guild is None:
                continue
            members = [guild.member_dict(m) for m in guild.members.values()]
            members.append(self._bot_member(guild))
            chunk = {
                "guild_id": str(guild.id),
                "members": members,
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
            }
            if data.get("nonce"):
                chunk["nonce"] = data["nonce"]
            await self._dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _dispatch(self, event: str, data: Json) -> None:
        """Send a DISPATCH with the next sequence number; kept for RESUME if the socket is down."""
        session = self._session
        if session is None:
            raise RuntimeError(f"cannot send {event}: no bot has identified on the fake gateway")
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.history.append(frame)
        if self._connection is not None:
            await self._connection.send(frame)

    def _dispatch_soon(self, event: str, data: Json) -> None:
        task = asyncio.get_running_loop().create_task(self._dispatch(event, data))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _bot_member(self, guild: FakeGuild) -> Json:
        return {
            "user": self._bot_user(),
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

    def _guild_create(self, guild: FakeGuild) -> Json:
        members = [self._bot_member(guild)]
        if self._intents() & GUILD_MEMBERS_INTENT:  # else Discord sends only the bot itself
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

    # ----- small helpers ------------------------------------------------------------------------

    def _snowflake(self) -> int:
        millis = int(self._now().timestamp() * 1000) - DISCORD_EPOCH_MS
        return (millis << 22) | (next(self._ids) & 0x3FFFFF)

    def _timestamp(self) -> str:
        return self._now().isoformat()

    def _intents(self) -> int:
        return int(self.identify["intents"]) if self.identify and "intents" in self.identify else 0

    def _guild_of_channel(self, channel_id: int) -> int | None:
        guild_id = self._channels[channel_id].get("guild_id")
        return None if guild_id is None else int(guild_id)


_GATEWAY_ONLY = frozenset(
    {
        "joined_at",
        "large",
        "unavailable",
        "member_count",
        "members",
        "channels",
        "threads",
        "presences",
        "voice_states",
        "stage_instances",
        "guild_scheduled_events",
        "soundboard_sounds",
    }
)


async def _read_body(request: web.Request) -> tuple[Any, list[FakeFile]]:
    """JSON, or multipart with `payload_json` and `files[n]` parts, as discord.py sends them."""
    if not request.can_read_body:
        return None, []
    if request.content_type == "multipart/form-data":
        payload: Any = None
        files: list[FakeFile] = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):  # nested multipart: not used by Discord
                continue
            data = await part.read()
            if part.name == "payload_json":
                payload = json.loads(data)
            elif part.filename is not None:
                content_type = part.headers.get("Content-Type", "application/octet-stream")
                files.append(FakeFile(part.name or "", part.filename, content_type, bytes(data)))
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        raise DiscordApiError(400, 50109, "The request body contains invalid JSON.") from None


def _command_errors(command: Json) -> Json:
    """Discord's main validation of a command in a bulk overwrite (empty when it is valid)."""
    errors: Json = {}
    name = command.get("name", "")
    kind = command.get("type", 1)
    if kind == 1 and (not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower()):
        errors["name"] = {"_errors": [{"code": "APPLICATION_COMMAND_INVALID_NAME"}]}
    if kind == 1 and not 1 <= len(command.get("description", "")) <= 100:
        errors["description"] = {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH"}]}
    options_errors = _options_errors(command.get("options") or [])
    if options_errors:
        errors["options"] = options_errors
    return errors


def _options_errors(options: list[Json]) -> Json:
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
        if option.get("type") not in (1, 2) and not option.get("required"):
            seen_optional = True
        if len(option.get("choices") or []) > 25:
            problems["choices"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}
        nested = _options_errors(option.get("options") or [])
        if nested:
            problems["options"] = nested
        if problems:
            errors[str(index)] = problems
    return errors


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _walk(components: list[Json]) -> Iterator[Json]:
    """Every component, depth first (action rows, labels, containers, sections...)."""
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(component.get(key), dict):
                yield from _walk([component[key]])


def _find_component(components: list[Json], custom_id: str) -> Json | None:
    return next((c for c in _walk(components) if c.get("custom_id") == custom_id), None)


def _custom_ids(components: list[Json]) -> set[str]:
    return {c["custom_id"] for c in _walk(components) if "custom_id" in c}


def _modal_answer(components: list[Json], values: Mapping[str, str | list[str]]) -> list[Json]:
    """The MODAL_SUBMIT `components`: the modal's layout with each input's submitted value."""
    answer = []
    for component in components:
        if component["type"] == 1:
            answer.append(
                {"type": 1, "components": _modal_answer(component["components"], values)}
            )
        elif component["type"] == 18:
            inner = _modal_answer([component["component"]], values)
            if inner:
                answer.append({"type": 18, "component": inner[0]})
        elif component["type"] == 4:
            value = values.get(component["custom_id"], component.get("value") or "")
            if component.get("required", True) and not value:
                raise ValueError(f"modal input {component['custom_id']!r} is required")
            answer.append({"type": 4, "custom_id": component["custom_id"], "value": value})
        elif component["type"] in _SELECTS:
            picked = values.get(component["custom_id"], [])
            chosen = [picked] if isinstance(picked, str) else list(picked)
            answer.append(
                {"type": component["type"], "custom_id": component["custom_id"], "values": chosen}
            )
    return answer
