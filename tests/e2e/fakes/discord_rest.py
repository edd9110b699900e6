"""The fake Discord's REST API under `/api/v10`: routing, faults, and one handler per route.

Unknown paths answer Discord's `{"message": "404: Not Found", "code": 0}`; every request is
recorded in `calls`. Handlers read and change `DiscordState`; faults (`rate_limit`, `fail`)
answer before any route. A crash inside the fake is kept in `errors` and answered 400 (the
fixtures fail the test on it) because discord.py would retry a 5xx for many seconds.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import BodyPartReader, web

from .discord_objects import (
    ALLOWED_CALLBACKS,
    APPLICATION_COMMAND,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    EPHEMERAL,
    LOADING,
    MODAL,
    UPDATE_MESSAGE,
    Call,
    DiscordApiError,
    FakeFile,
    FakeGuild,
    FakeInteraction,
    Json,
    command_errors,
    invalid_form,
    not_found,
)
from .discord_world import DiscordState


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
Handler = Callable[["DiscordRest", _ApiRequest], Awaitable[Reply]]

# (method, path pattern relative to /api/v10, needs "Authorization: Bot <token>", handler)
_ROUTES: list[tuple[str, re.Pattern[str], bool, Handler]] = []


def _route(method: str, path: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
    """Register a REST handler of `DiscordRest` for one method and path pattern."""

    def register(handler: Handler) -> Handler:
        _ROUTES.append((method, re.compile(path), auth, handler))
        return handler

    return register


_COMMANDS = r"/applications/(?P<app_id>\d+)/commands"
_GUILD_COMMANDS = r"/applications/(?P<app_id>\d+)/guilds/(?P<guild_id>\d+)/commands"
_WEBHOOK = r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)"
_WEBHOOK_MESSAGE = _WEBHOOK + r"/messages/(?P<message_id>@original|\d+)"



class DiscordRest:
    """The REST side of one fake Discord: `handle` answers `/api/v{n}/...` from `state`."""

    def __init__(
        self,
        state: DiscordState,
        token: str,
        *,
        gateway_url: Callable[[], str],
        notify: Callable[[], Awaitable[None]],
        errors: list[Exception],
    ) -> None:
        self.state = state
        self.token = token
        self._gateway_url = gateway_url
        self._notify = notify
        self.errors = errors
        self.calls: list[Call] = []
        self._faults: list[_Fault] = []

    # ----- faults ------------------------------------------------------------------------------

    def rate_limit(
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
        self.add_fault(method, path_regex, 429, body, headers, times)

    def fail(
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
        self.add_fault(method, path_regex, status, {"message": text, "code": code}, {}, times)

    def add_fault(
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

    def calls_to(self, method: str, path_regex: str) -> list[Call]:
        """Recorded calls whose method matches (or "*") and whose path matches the regex."""
        pattern = re.compile(path_regex)
        return [c for c in self.calls if method in ("*", c.method) and pattern.search(c.path)]

    # ----- plumbing ----------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
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

    async def download(self, request: web.Request) -> web.StreamResponse:
        stored = self.state.files.get(int(request.match_info["attachment_id"]))
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.data, content_type=stored.content_type)

    # ----- REST: users, application, gateway ---------------------------------------------------

    @_route("GET", r"/users/@me")
    async def _get_me(self, req: _ApiRequest) -> Reply:
        return 200, self.state.bot_user()

    @_route("GET", r"/users/(?P<user_id>\d+)")
    async def _get_user(self, req: _ApiRequest) -> Reply:
        user_id = int(req.params["user_id"])
        if user_id == self.state.bot_user_id:
            return 200, self.state.bot_user()
        if user_id not in self.state.users:
            raise not_found(10013, "User")
        return 200, self.state.users[user_id].user_dict()

    @_route("GET", r"/oauth2/applications/@me")
    @_route("GET", r"/applications/@me")
    async def _get_application(self, req: _ApiRequest) -> Reply:
        owner = {"id": "1", "username": "owner", "discriminator": "0", "avatar": None}
        return 200, {
            "id": str(self.state.application_id),
            "name": self.state.bot_name,
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": owner,
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "bot": self.state.bot_user(),
            "summary": "",
            "interactions_endpoint_url": None,
            "redirect_uris": [],
        }

    @_route("GET", r"/gateway", auth=False)
    async def _get_gateway(self, req: _ApiRequest) -> Reply:
        return 200, {"url": self._gateway_url()}

    @_route("GET", r"/gateway/bot")
    async def _get_gateway_bot(self, req: _ApiRequest) -> Reply:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return 200, {"url": self._gateway_url(), "shards": 1, "session_start_limit": limit}

    @_route("POST", r"/users/@me/channels")
    async def _create_dm(self, req: _ApiRequest) -> Reply:
        recipient = req.body.get("recipient_id")
        if recipient is None or int(recipient) not in self.state.users:
            raise DiscordApiError(400, 50033, "Invalid Recipient(s)")
        return 200, self.state.channels[self.state.dm_channel_id(int(recipient))]

    # ----- REST: application commands ----------------------------------------------------------

    def _check_application(self, req: _ApiRequest) -> None:
        if int(req.params["app_id"]) != self.state.application_id:
            raise DiscordApiError(403, 50001, "Missing Access")

    def _command_scope(self, req: _ApiRequest) -> int | None:
        self._check_application(req)
        if "guild_id" not in req.params:
            return None
        guild_id = int(req.params["guild_id"])
        if guild_id not in self.state.guilds:
            raise DiscordApiError(403, 50001, "Missing Access")
        return guild_id

    @_route("GET", _COMMANDS)
    @_route("GET", _GUILD_COMMANDS)
    async def _get_commands(self, req: _ApiRequest) -> Reply:
        return 200, self.state.commands.get(self._command_scope(req), [])

    @_route("PUT", _COMMANDS)
    @_route("PUT", _GUILD_COMMANDS)
    async def _put_commands(self, req: _ApiRequest) -> Reply:
        scope = self._command_scope(req)
        payload = req.call.json
        if not isinstance(payload, list):
            raise invalid_form({"_errors": [{"code": "LIST_TYPE_CONVERT", "message": "list"}]})
        errors: Json = {str(i): e for i, c in enumerate(payload) if (e := command_errors(c))}
        if len(payload) > 100:
            errors["_errors"] = [{"code": "BASE_TYPE_MAX_LENGTH", "message": "100 at most"}]
        if errors:
            raise invalid_form(errors)
        current = self.state.commands.get(scope, [])
        existing = {(c["name"], c.get("type", 1)): c["id"] for c in current}
        synced = []
        for command in payload:
            key = (command["name"], command.get("type", 1))
            synced.append(self.state.command_object(command, scope, existing.get(key)))
        self.state.commands[scope] = synced
        return 200, synced

    # ----- REST: interactions and webhooks ----------------------------------------------------

    @_route("POST", r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback", auth=False)
    async def _callback(self, req: _ApiRequest) -> Reply:
        interaction = self.state.interactions.get(int(req.params["interaction_id"]))
        if interaction is None or interaction.token != req.params["token"]:
            raise not_found(10062, "interaction")
        if interaction.callback is not None:
            raise DiscordApiError(400, 40060, "Interaction has already been acknowledged.")
        body = req.body
        kind = body.get("type")
        if kind not in ALLOWED_CALLBACKS[interaction.type]:
            raise invalid_form({"type": {"_errors": [{"code": "INTERACTION_CALLBACK_TYPE"}]}})
        data: Json = body.get("data") or {}
        if kind == CHANNEL_MESSAGE:
            flags = (data.get("flags") or 0) & ~LOADING
            message_type = 20 if interaction.type == APPLICATION_COMMAND else 0
            interaction.original = self.state.post_message(
                interaction.channel_id, data, req.call.files, flags, interaction, message_type
            )
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            flags = LOADING | ((data.get("flags") or 0) & EPHEMERAL)
            interaction.original = self.state.post_message(
                interaction.channel_id, {"content": ""}, [], flags, interaction, 20
            )
        elif kind == UPDATE_MESSAGE:
            if interaction.original is None:
                raise invalid_form({"type": {"_errors": [{"code": "NO_MESSAGE_TO_UPDATE"}]}})
            self.state.edit_message(interaction.original, data, req.call.files)
        elif kind == MODAL:
            self.state.modals[str(data.get("custom_id"))] = interaction
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
        interaction = self.state.by_token.get(req.params["token"])
        if int(req.params["app_id"]) != self.state.application_id or interaction is None:
            raise not_found(10015, "Webhook")
        if interaction.callback is None:  # Discord knows no webhook before the callback
            raise not_found(10015, "Webhook")
        return interaction

    @_route("POST", _WEBHOOK, auth=False)
    async def _followup(self, req: _ApiRequest) -> Reply:
        interaction = self._webhook_interaction(req)
        original = interaction.original
        deferred = interaction.callback is not None and interaction.callback["type"] == 5
        if deferred and original is not None and original["flags"] & LOADING:
            # The first follow-up after a "thinking" defer replaces the loading message.
            self.state.edit_message(original, req.body, req.call.files)
            original["flags"] &= ~LOADING
            interaction.original_edited = True
            message = original
        else:
            flags = (req.body.get("flags") or 0) & ~LOADING
            message = self.state.post_message(
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
        if message is None or int(message["id"]) not in self.state.messages:
            raise not_found(10008, "Message")
        return interaction, message

    @_route("GET", _WEBHOOK_MESSAGE, auth=False)
    async def _get_webhook_message(self, req: _ApiRequest) -> Reply:
        return 200, self._webhook_message(req)[1]

    @_route("PATCH", _WEBHOOK_MESSAGE, auth=False)
    async def _edit_webhook_message(self, req: _ApiRequest) -> Reply:
        interaction, message = self._webhook_message(req)
        self.state.edit_message(message, req.body, req.call.files)
        message["flags"] &= ~LOADING
        if message is interaction.original:
            interaction.original_edited = True
        return 200, message

    @_route("DELETE", _WEBHOOK_MESSAGE, auth=False)
    async def _delete_webhook_message(self, req: _ApiRequest) -> Reply:
        _interaction, message = self._webhook_message(req)
        self.state.delete_message(message)
        return 204, None

    # ----- REST: channels, messages, guilds -----------------------------------------------------

    def _channel(self, req: _ApiRequest) -> Json:
        channel = self.state.channels.get(int(req.params["channel_id"]))
        if channel is None:
            raise not_found(10003, "Channel")
        return channel

    @_route("POST", r"/channels/(?P<channel_id>\d+)/messages")
    async def _send_message(self, req: _ApiRequest) -> Reply:
        channel = self._channel(req)
        if channel["type"] == 1 and int(channel["recipients"][0]["id"]) in self.state.closed_dms:
            raise DiscordApiError(403, 50007, "Cannot send messages to this user")
        body = req.body
        parts = ("content", "embeds", "components", "sticker_ids", "poll")
        if not (req.call.files or any(body.get(part) for part in parts)):
            raise DiscordApiError(400, 50006, "Cannot send an empty message")
        flags = (body.get("flags") or 0) & ~(EPHEMERAL | LOADING)  # ephemeral: interactions only
        message = self.state.post_message(int(channel["id"]), body, req.call.files, flags, None, 0)
        return 200, message

    def _guild(self, req: _ApiRequest) -> FakeGuild:
        guild = self.state.guilds.get(int(req.params["guild_id"]))
        if guild is None:
            raise not_found(10004, "Guild")
        return guild

    @_route("GET", r"/guilds/(?P<guild_id>\d+)/members/(?P<user_id>\d+)")
    async def _get_member(self, req: _ApiRequest) -> Reply:
        guild = self._guild(req)
        user_id = int(req.params["user_id"])
        if user_id == self.state.bot_user_id:
            return 200, self.state.bot_member(guild)
        if user_id not in guild.members:
            raise not_found(10007, "Member")
        return 200, guild.member_dict(guild.members[user_id])



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

