"""A local fake Telegram Bot API server for end-to-end tests.

The real python-telegram-bot library talks to it over HTTP (point `base_url` and
`base_file_url` at it). Tests inject what users do (`send_text`, `click`), read what the bot did
(`sent`, `calls`, `wait_for`) and script failures (`fail_next`, `hang_next`, `block`). Waiting is
event driven: every recorded call wakes the waiters, nothing polls on a timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from .telegram_objects import (
    DEFAULT_ERRORS,
    ApiError,
    Call,
    FakeGroup,
    FakeUser,
    Fault,
    UploadedFile,
)
from .telegram_world import Files, Params, TelegramWorld, commands_key

_LOG = logging.getLogger(__name__)
DEFAULT_TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Parameters that are free text even when they look like JSON ("123", "true", "null").
_TEXT_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "url",
        "secret_token",
        "language_code",
        "action",
        "photo",
        "document",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "message_effect_id",
        "business_connection_id",
        "ip_address",
    }
)
_MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's limit for bots


class FakeTelegram:
    """A Bot API server for one bot token; records every call."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "pacer_bot",
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.world = TelegramWorld(int(token.split(":", 1)[0]), bot_username, clock)
        self.calls: list[Call] = []
        self._faults: list[Fault] = []
        self._changed = asyncio.Event()
        self._stopping = asyncio.Event()
        self._poll_generation = 0
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        self._stopping.clear()
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a long poll whose client went away must not take updates.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Answer pending long polls and hung calls, then close every connection."""
        self._stopping.set()
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._port

    @property
    def bot_id(self) -> int:
        """The bot's user id (the number before the colon in the token)."""
        return self.world.bot_id

    @property
    def base_url(self) -> str:
        """Bot API base for PTB's `base_url` (PTB appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """File download base for PTB's `base_file_url`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- what users do -----------------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Ann", username: str | None = None) -> FakeUser:
        """A user who can write to the bot (its private chat id is `user_id`)."""
        user = FakeUser(user_id, first_name, username)
        self.world.users[user_id] = user
        return user

    @staticmethod
    def private_chat(user: FakeUser) -> int:
        """The chat id of `user`'s private chat with the bot."""
        return user.id

    def group(
        self,
        chat_id: int,
        title: str,
        admins: set[int] | None = None,
        *,
        owner: int | None = None,
        chat_type: str = "supergroup",
    ) -> FakeGroup:
        """A group the bot is in; `chat_id` must be negative. `owner` is the "creator"."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        group = FakeGroup(chat_id, title, set(admins or ()), owner=owner, type=chat_type)
        self.world.groups[chat_id] = group
        return group

    def set_admins(self, group_chat_id: int, admin_user_ids: set[int]) -> None:
        """Replace the administrators of a group."""
        self.world.groups[group_chat_id].admins = set(admin_user_ids)

    def send_text(
        self,
        user: FakeUser,
        text: str,
        chat_id: int | None = None,
        update_id: int | None = None,
        *,
        date: int | None = None,
    ) -> dict[str, Any]:
        """Enqueue a message from `user` (in a group if `chat_id` is given); return the update.

        Leading and inner /commands (also /cmd@botname) get `bot_command` entities.
        """
        update = self.world.message_update(user, text, chat_id, update_id, date)
        self._notify()
        return update

    def send_document(
        self, user: FakeUser, filename: str, data: bytes, chat_id: int | None = None,
        *, declared_size: int | None = None, caption: str | None = None,
    ) -> dict[str, Any]:
        """Enqueue a document (a file, with an optional caption) from `user`; the bot fetches
        it with getFile and a download from `base_file_url`. Return the update."""
        update = self.world.document_update(user, filename, data, chat_id,
                                            declared_size=declared_size, caption=caption)
        self._notify()
        return update

    def click(
        self, user: FakeUser, message: dict[str, Any], data: str, *, update_id: int | None = None
    ) -> dict[str, Any]:
        """Enqueue a button press on a bot message; `data` must be one of its callback_data."""
        update = self.world.callback_update(user, message, data, update_id)
        self._notify()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Deliver `update` again, same update_id, even if the bot already confirmed it."""
        self.world.enqueue(update, forced=True)
        self._notify()

    async def push_webhook(self, update: dict[str, Any]) -> int:
        """POST `update` to the webhook the bot set, as Telegram would; return the status."""
        webhook = self.world.webhook
        if not webhook:
            raise RuntimeError("the bot has not set a webhook")
        status = await post_update_to(webhook["url"], update, webhook.get("secret_token"))
        if 200 <= status < 300:
            self.world.discard(update["update_id"])
        return status

    # --- what the bot did --------------------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent or edited, oldest first (optionally only in `chat_id`).

        Each is the Message the fake returned plus `method`, `parse_mode`, `reply_markup` (as
        sent), `sent_text` (text or caption before parsing), `at` (time.perf_counter() when the
        request arrived) and, for files, `filename`, `bytes` and `content_type`.
        """
        return [m for m in self.world.sent if chat_id is None or m["chat"]["id"] == chat_id]

    async def wait_for(
        self,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        *,
        chat_id: int | None = None,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - one deadline for the whole wait, like the spec
        since: int = 0,
    ) -> list[dict[str, Any]]:
        """Wait until the bot sent `count` matching messages; return the first `count` of them.

        `since` skips the first entries of `sent()` (pass `len(fake.sent())` taken before an
        action to see only its replies). Raises AssertionError with a dump on timeout.
        """
        found: list[dict[str, Any]] = []
        scanned = since

        def collect() -> bool:
            nonlocal scanned
            records = self.world.sent
            for record in records[scanned:]:
                if (chat_id is None or record["chat"]["id"] == chat_id) and (
                    predicate is None or predicate(record)
                ):
                    found.append(record)
            scanned = max(scanned, len(records))
            return len(found) >= count

        if not await self._wait_until(collect, timeout):
            what = f"{count} message(s) (chat_id={chat_id}, predicate={predicate}, since={since})"
            raise AssertionError(self._timeout_report(what, timeout))
        return found[:count]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - one deadline for the whole wait
        since: int = 0,
        answered: bool = True,
    ) -> list[Call]:
        """Wait until `count` calls of `method` (matching `predicate`) arrived.

        With `answered` (the default) only calls the fake already answered count.
        """

        def matching() -> list[Call]:
            return [
                c
                for c in self.calls[since:]
                if c.method.lower() == method.lower()
                and (c.status is not None or not answered)
                and (predicate is None or predicate(c))
            ]

        if not await self._wait_until(lambda: len(matching()) >= count, timeout):
            raise AssertionError(self._timeout_report(f"{count} {method} call(s)", timeout))
        return matching()[:count]

    def calls_to(self, method: str) -> list[Call]:
        """Every recorded call of `method` (case-insensitive), oldest first."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def my_commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]] | None:
        """The command list set for `scope` and language, or None if never set."""
        return self.world.commands.get(commands_key(scope, language_code))

    @property
    def webhook(self) -> dict[str, Any]:
        """The parameters of the last setWebhook ({} after deleteWebhook)."""
        return self.world.webhook

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        """answerCallbackQuery parameters by callback query id."""
        return self.world.callback_answers

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        return self.world.pending_count

    # --- faults ------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (in `chat_id`, if given) with an error.

        Nothing happens on the server side for those calls, as with Telegram's 429 and 5xx.
        """
        if description is None:
            description = DEFAULT_ERRORS.get(status, "Error")
            if retry_after is not None:
                description = f"Too Many Requests: retry after {retry_after}"
        self._faults.append(
            Fault(method.lower(), status, description, retry_after, times, chat_id)
        )

    def hang_next(
        self, method: str, *, times: int = 1, chat_id: int | None = None, process: bool = False
    ) -> None:
        """Never answer the next `times` calls of `method`: the client times out.

        With `process=True` the call takes effect first (the message is sent), the nasty case
        where the bot cannot know whether Telegram delivered.
        """
        self._faults.append(
            Fault(method.lower(), 504, "Gateway Timeout", None, times, chat_id, True, process)
        )

    def migrate_group(self, old_id: int, new_id: int, by: FakeUser) -> list[dict[str, Any]]:
        """Group `old_id` is upgraded to supergroup `new_id` (by `by`): the two service-message
        updates are queued, and sends to the old id answer 400 with `migrate_to_chat_id`."""
        updates = self.world.migration_updates(old_id, new_id, by)
        self._notify()
        return updates

    def block(self, chat_id: int) -> None:
        """The user blocked the bot (or the group removed it): sends get 403 Forbidden."""
        self.world.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocked the bot."""
        self.world.blocked.discard(chat_id)

    # --- HTTP --------------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params, files = await decode_request(request)
        call = Call(request.match_info["method"], params, files, time.perf_counter())
        self.calls.append(call)
        self._notify()
        try:
            result = await self._answer(call)
        except ApiError as exc:
            call.status, call.error = exc.status, exc.description
            response = web.json_response(exc.body(), status=exc.status)
        except Exception as exc:  # a bug in the fake: make it loud in the test, not a hang
            _LOG.exception("FakeTelegram crashed on %s", call.method)
            call.status, call.error = 500, f"FakeTelegram crashed: {exc!r}"
            response = web.json_response(
                {"ok": False, "error_code": 500, "description": call.error}, status=500
            )
        else:
            call.status, call.result = 200, result
            response = web.json_response({"ok": True, "result": result})
        self._notify()
        return response

    async def _handle_file(self, request: web.Request) -> web.Response:
        data = self.world.file(request.match_info["path"])
        if request.match_info["token"] != self.token or data is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=data, content_type="application/octet-stream")

    async def _answer(self, call: Call) -> Any:
        fault = self._take_fault(call)
        if fault is not None:
            if fault.hang:
                if fault.process:
                    self._run(call)
                    self._notify()
                await self._stopping.wait()
            raise ApiError(fault.status, fault.description, fault.retry_after)
        if call.method.lower() == "getupdates":
            return await self._get_updates(call.params)
        return self._run(call)

    def _run(self, call: Call) -> Any:
        """Let the world handle `call`; stamp the messages it sent with the call's time."""
        before = len(self.world.sent)
        result = self.world.call(call.method, call.params, call.files)
        for record in self.world.sent[before:]:
            record["at"] = call.time
        return result

    def _take_fault(self, call: Call) -> Fault | None:
        for fault in self._faults:
            if fault.matches(call.method, call.params.get("chat_id")):
                fault.times -= 1
                return fault
        return None

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        """Long polling: confirm by `offset`, answer at once if updates wait, else wait."""
        if self.world.webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        self.world.confirm(offset if isinstance(offset, int) else None)
        self.world.set_allowed_updates(params.get("allowed_updates"))
        limit = params.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) and limit > 0 else 100
        timeout = params.get("timeout")
        timeout = float(timeout) if isinstance(timeout, int | float) else 0.0
        self._poll_generation += 1
        generation = self._poll_generation

        def ready() -> bool:
            return self.world.has_updates() or generation != self._poll_generation

        await self._wait_until(ready, timeout)
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return self.world.take_updates(limit)

    # --- waiting -----------------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake everyone waiting for a change (each waiter holds the event it awaits)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, condition: Callable[[], bool], seconds: float) -> bool:
        """Re-check `condition` on every change until it holds (True) or time runs out."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                while not condition():
                    if self._stopping.is_set():
                        return False
                    await self._changed.wait()
                return True
        return condition()

    def _timeout_report(self, what: str, timeout: float) -> str:
        lines = [f"FakeTelegram: timed out after {timeout}s waiting for {what}."]
        lines.append(f"Messages the bot sent ({len(self.world.sent)}, last 20):")
        lines += [
            f"  chat={m['chat']['id']} {m['method']} {m.get('text', m.get('caption'))!r}"
            for m in self.world.sent[-20:]
        ]
        lines.append(f"API calls ({len(self.calls)}, last 20):")
        lines += [
            f"  {c.method} chat_id={c.chat_id} -> {c.status} {c.error or ''}".rstrip()
            for c in self.calls[-20:]
        ]
        lines.append(f"Updates not yet confirmed by the bot: {self.world.pending_count}")
        return "\n".join(lines)


async def decode_request(request: web.Request) -> tuple[Params, Files]:
    """Parameters of a Bot API request: query string, urlencoded or multipart form, or JSON.

    Form values are JSON-decoded the way PTB encodes them (numbers, booleans, nested objects),
    except for parameters that are free text.
    """
    raw: dict[str, str] = dict(request.query)
    files: Files = {}
    body: dict[str, Any] = {}
    if request.can_read_body and request.content_type == "application/json":
        loaded = await request.json()
        body = loaded if isinstance(loaded, dict) else {}
    elif request.can_read_body:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(
                    key, value.filename, value.content_type, value.file.read()
                )
            else:
                raw[key] = value if isinstance(value, str) else bytes(value).decode()
    params = {key: _decode_value(key, value) for key, value in raw.items()}
    return params | body, files


def _decode_value(key: str, value: str) -> Any:
    if key in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def post_update_to(url: str, update: dict[str, Any], secret_token: str | None = None) -> int:
    """POST an update to a webhook URL as Telegram does; return the HTTP status."""
    headers = {SECRET_HEADER: secret_token} if secret_token else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        await response.read()
        return response.status
