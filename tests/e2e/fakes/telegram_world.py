"""What the fake Telegram knows: chats, messages, pending updates, and the Bot API methods.

Everything here is synchronous and free of HTTP so that the rules (message ids per chat, offset
confirmation, "message is not modified", blocked users...) sit in one place; the aiohttp server
in `telegram_server` only decodes requests, injects faults and waits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .telegram_formatting import EntityParseError, format_text
from .telegram_objects import (
    ApiError,
    FakeGroup,
    FakeUser,
    UploadedFile,
    bad_request,
    bot_user_dict,
    chat_full_info,
    chat_member_dict,
    command_entities,
    image_size,
)

Params = dict[str, Any]
Files = dict[str, UploadedFile]

# Telegram's default when allowed_updates was never set (or set to []).
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_TEXT_LIMITS = {
    "text": ("entities", 4096, "message is too long"),
    "caption": ("caption_entities", 1024, "message caption is too long"),
}
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def update_type(update: dict[str, Any]) -> str:
    """The kind of an update: its one key besides `update_id`."""
    return next((key for key in update if key != "update_id"), "")


@dataclass
class _Pending:
    update: dict[str, Any]
    forced: bool = False  # a redelivery: delivered even though its id was confirmed
    delivered: bool = False


class TelegramWorld:
    """The state behind one bot token, and the Bot API methods that read and change it."""

    def __init__(self, bot_id: int, bot_username: str, clock: Callable[[], float]) -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.clock = clock
        self.users: dict[int, FakeUser] = {}
        self.groups: dict[int, FakeGroup] = {}
        self.blocked: set[int] = set()
        self.migrated: dict[int, int] = {}  # group id -> the supergroup it became
        self.sent: list[dict[str, Any]] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._queue: list[_Pending] = []
        self._next_update_id = 100_000_001
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._last_message_id: dict[int, int] = {}
        self._open_queries: set[str] = set()
        self._next_query_id = 5_000_000_000_000_000_001
        self._files: dict[str, tuple[str, UploadedFile]] = {}
        self._methods: dict[str, Callable[[Params, Files], Any]] = {
            "getme": self._get_me,
            "logout": _ok,
            "close": _ok,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendchataction": self._send_chat_action,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getchat": self._get_chat,
            "getchatadministrators": self._get_chat_administrators,
            "getchatmember": self._get_chat_member,
            "getfile": self._get_file,
        }

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot's `User` object, as it appears in `from` of its messages."""
        return bot_user_dict(self.bot_id, self.bot_username)

    # --- what users do ----------------------------------------------------------------------

    def message_update(
        self,
        user: FakeUser,
        text: str,
        chat_id: int | None,
        update_id: int | None,
        date: int | None,
    ) -> dict[str, Any]:
        """Build and enqueue a `message` update from `user`."""
        self.users.setdefault(user.id, user)
        chat = self._user_chat(user, chat_id)
        if chat["id"] in self.groups:
            self.groups[chat["id"]].members.add(user.id)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat["id"]),
            "from": user.to_dict(),
            "chat": chat,
            "date": self._now() if date is None else date,
            "text": text,
        }
        if entities := command_entities(text):
            message["entities"] = entities
        self._messages[(chat["id"], message["message_id"])] = message
        return self.enqueue({"update_id": self._take_update_id(update_id), "message": message})

    def migration_updates(self, old_id: int, new_id: int, user: FakeUser) -> list[dict[str, Any]]:
        """`old_id` becomes supergroup `new_id`: the service message in each chat, as Telegram
        sends them (old chat first); sends to the old id fail with `migrate_to_chat_id`."""
        old = self.groups[old_id]
        self.groups[new_id] = FakeGroup(new_id, old.title, set(old.admins), owner=old.owner,
                                        type="supergroup", members=set(old.members))
        self.migrated[old_id] = new_id
        updates = []
        for chat, field in ((old, {"migrate_to_chat_id": new_id}),
                            (self.groups[new_id], {"migrate_from_chat_id": old_id})):
            message = {"message_id": self._new_message_id(chat.id), "from": user.to_dict(),
                       "chat": chat.to_dict(), "date": self._now(), **field}
            updates.append(self.enqueue({"update_id": self._take_update_id(None),
                                         "message": message}))
        return updates

    def document_update(
        self, user: FakeUser, filename: str, data: bytes, chat_id: int | None,
        *, declared_size: int | None = None, caption: str | None = None,
    ) -> dict[str, Any]:
        """Build and enqueue a `message` update: `user` sends a file (a document). Its bytes
        are kept for getFile and the file download; `declared_size` overrides `file_size`."""
        self.users.setdefault(user.id, user)
        chat = self._user_chat(user, chat_id)
        number = len(self._files) + 1
        file_id = f"D{number:06d}"
        upload = UploadedFile("document", filename, "application/octet-stream", data)
        self._files[file_id] = (f"documents/file_{number}_{filename}", upload)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat["id"]),
            "from": user.to_dict(),
            "chat": chat,
            "date": self._now(),
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": filename,
                "mime_type": "application/octet-stream",
                "file_size": len(data) if declared_size is None else declared_size,
            },
        }
        if caption is not None:
            message["caption"] = caption
        self._messages[(chat["id"], message["message_id"])] = message
        return self.enqueue({"update_id": self._take_update_id(None), "message": message})

    def callback_update(
        self, user: FakeUser, message: dict[str, Any], data: str, update_id: int | None
    ) -> dict[str, Any]:
        """Build and enqueue a `callback_query` update: `user` pressed a button of `message`."""
        key = (message["chat"]["id"], message["message_id"])
        current = self._messages.get(key)
        if current is None:
            raise ValueError(f"no message {key} (chat id, message id) to click on")
        offered = [
            button.get("callback_data")
            for row in (current.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]
        if data not in offered:
            raise ValueError(f"message {key} has no button with callback_data {data!r}: {offered}")
        query_id = str(self._next_query_id)
        self._next_query_id += 1
        self._open_queries.add(query_id)
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": current,
            "chat_instance": str(abs(current["chat"]["id"]) * 7919),
            "data": data,
        }
        update_id = self._take_update_id(update_id)
        return self.enqueue({"update_id": update_id, "callback_query": query})

    def enqueue(self, update: dict[str, Any], *, forced: bool = False) -> dict[str, Any]:
        """Queue `update` for getUpdates; `forced` delivers it even if already confirmed."""
        self._queue.append(_Pending(update, forced=forced))
        return update

    # --- getUpdates --------------------------------------------------------------------------

    def confirm(self, offset: int | None) -> None:
        """Forget updates confirmed by `offset`, as getUpdates does (negative: keep the last)."""
        if offset is None:
            return
        if offset < 0:
            del self._queue[: max(0, len(self._queue) + offset)]
            return
        self._queue = [
            p
            for p in self._queue
            if p.update["update_id"] >= offset or (p.forced and not p.delivered)
        ]

    def has_updates(self) -> bool:
        """True if a getUpdates call would return something now."""
        return any(update_type(p.update) in self.allowed_updates for p in self._queue)

    def take_updates(self, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` deliverable updates, oldest first; they stay until confirmed."""
        self._queue = [p for p in self._queue if update_type(p.update) in self.allowed_updates]
        batch = self._queue[:limit]
        for pending in batch:
            pending.delivered = True
        return [p.update for p in batch]

    def set_allowed_updates(self, allowed: object) -> None:
        """Remember `allowed_updates` (it persists between calls); [] restores the default."""
        if isinstance(allowed, list):
            self.allowed_updates = frozenset(allowed) or DEFAULT_ALLOWED_UPDATES

    @property
    def pending_count(self) -> int:
        """Updates waiting to be fetched or confirmed."""
        return len(self._queue)

    # --- dispatch ----------------------------------------------------------------------------

    def knows(self, method: str) -> bool:
        """True if `method` (any case, as in Telegram) is implemented."""
        return method.lower() in self._methods

    def call(self, method: str, params: Params, files: Files) -> Any:
        """Run one Bot API method; raise ApiError for an error answer."""
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(params, files)

    def discard(self, update_id: int) -> None:
        """Forget a pending update (it reached the bot another way, e.g. by webhook)."""
        self._queue = [p for p in self._queue if p.update["update_id"] != update_id]

    def file(self, file_path: str) -> bytes | None:
        """The bytes served at `base_file_url/<file_path>`, if known."""
        for path, upload in self._files.values():
            if path == file_path:
                return upload.data
        return None

    # --- bot and webhook ---------------------------------------------------------------------

    def _get_me(self, params: Params, files: Files) -> dict[str, Any]:
        return bot_user_dict(self.bot_id, self.bot_username, full=True)

    def _delete_webhook(self, params: Params, files: Files) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    def _set_webhook(self, params: Params, files: Files) -> bool:
        url = params.get("url")
        if not url:
            return self._delete_webhook(params, files)
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {key: value for key, value in params.items() if key != "certificate"}
        self.set_allowed_updates(params.get("allowed_updates"))
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    def _get_webhook_info(self, params: Params, files: Files) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self.webhook:
            info["max_connections"] = self.webhook.get("max_connections", 40)
            info["allowed_updates"] = sorted(self.allowed_updates)
        return info

    # --- sending -----------------------------------------------------------------------------

    def _send_message(self, params: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        content = self._formatted(text, params, "text")
        return self._deliver("sendMessage", chat, params, content, text)

    def _send_photo(self, params: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(params)
        file_id, upload = self._input_file("photo", params, files, "photo.jpg")
        width, height = image_size(upload.data)
        photo = [
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "width": width,
                "height": height,
                "file_size": len(upload.data),
            }
        ]
        return self._deliver_media("sendPhoto", chat, params, {"photo": photo}, upload)

    def _send_document(self, params: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(params)
        file_id, upload = self._input_file("document", params, files, "document")
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": upload.filename,
            "mime_type": upload.content_type,
            "file_size": len(upload.data),
        }
        return self._deliver_media("sendDocument", chat, params, {"document": document}, upload)

    def _send_chat_action(self, params: Params, files: Files) -> bool:
        self._writable_chat(params)
        if not params.get("action"):
            raise bad_request("wrong parameter action in request")
        return True

    def _deliver_media(
        self,
        method: str,
        chat: dict[str, Any],
        params: Params,
        media: dict[str, Any],
        upload: UploadedFile,
    ) -> dict[str, Any]:
        caption = params.get("caption")
        content = dict(media)
        if isinstance(caption, str) and caption.strip():
            content |= self._formatted(caption, params, "caption")
        extra = {
            "filename": upload.filename,
            "bytes": upload.data,
            "content_type": upload.content_type,
        }
        return self._deliver(method, chat, params, content, caption, extra)

    def _deliver(
        self,
        method: str,
        chat: dict[str, Any],
        params: Params,
        content: dict[str, Any],
        source: object,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store a new bot message, record it in `sent` and return the Message object."""
        markup = self._reply_markup(params)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat["id"]),
            "from": self.bot_user,
            "chat": chat,
            "date": self._now(),
        }
        if replied := self._replied_message(chat["id"], params):
            message["reply_to_message"] = replied
        message |= content
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        self._record(method, message, params, markup, source, extra)
        return message

    def _record(
        self,
        method: str,
        message: dict[str, Any],
        params: Params,
        markup: dict[str, Any] | None,
        source: object,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.sent.append(
            message
            | {
                "method": method,
                "parse_mode": params.get("parse_mode"),
                "reply_markup": markup,
                "sent_text": source,
            }
            | (extra or {})
        )

    # --- editing -----------------------------------------------------------------------------

    def _edit_message_text(self, params: Params, files: Files) -> dict[str, Any]:
        _, message = self._editable_message(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        content = self._formatted(text, params, "text")
        markup = self._reply_markup(params)
        edited = {k: v for k, v in message.items() if k not in ("entities", "reply_markup")}
        edited |= content
        if markup and "inline_keyboard" in markup:
            edited["reply_markup"] = markup
        return self._store_edit("editMessageText", message, edited, params, markup, text)

    def _edit_message_reply_markup(self, params: Params, files: Files) -> dict[str, Any]:
        _, message = self._editable_message(params)
        markup = self._reply_markup(params)
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        if markup and "inline_keyboard" in markup:
            edited["reply_markup"] = markup
        return self._store_edit("editMessageReplyMarkup", message, edited, params, markup, None)

    def _store_edit(
        self,
        method: str,
        message: dict[str, Any],
        edited: dict[str, Any],
        params: Params,
        markup: dict[str, Any] | None,
        source: str | None,
    ) -> dict[str, Any]:
        if {k: v for k, v in edited.items() if k != "edit_date"} == {
            k: v for k, v in message.items() if k != "edit_date"
        }:
            raise bad_request(_NOT_MODIFIED)
        edited["edit_date"] = self._now()
        self._messages[(message["chat"]["id"], message["message_id"])] = edited
        self._record(method, edited, params, markup, source)
        return edited

    def _delete_message(self, params: Params, files: Files) -> bool:
        chat = self._chat(params.get("chat_id"))
        key = (chat["id"], _int(params.get("message_id"), "message_id"))
        if self._messages.pop(key, None) is None:
            raise bad_request("message to delete not found")
        return True

    def _editable_message(self, params: Params) -> tuple[dict[str, Any], dict[str, Any]]:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the fake server")
        chat = self._writable_chat(params)
        message = self._messages.get((chat["id"], _int(params.get("message_id"), "message_id")))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        return chat, message

    # --- callbacks, commands, chats, files ----------------------------------------------------

    def _answer_callback_query(self, params: Params, files: Files) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise bad_request(_QUERY_TOO_OLD)
        self._open_queries.discard(query_id)
        self.callback_answers[query_id] = dict(params)
        return True

    def _set_my_commands(self, params: Params, files: Files) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request('parameter "commands" is required')
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_NAME.fullmatch(
                str(command.get("command", ""))
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, params: Params, files: Files) -> list[dict[str, Any]]:
        return self.commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: Params, files: Files) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _commands_key(params: Params) -> tuple[str, str]:
        return commands_key(params.get("scope"), params.get("language_code"))

    def _get_chat(self, params: Params, files: Files) -> dict[str, Any]:
        return chat_full_info(self._chat(params.get("chat_id")))

    def _get_chat_administrators(self, params: Params, files: Files) -> list[dict[str, Any]]:
        chat = self._chat(params.get("chat_id"))
        group = self.groups.get(chat["id"])
        if group is None:
            raise bad_request("there are no administrators in the private chat")
        ids = ([group.owner] if group.owner is not None else []) + sorted(
            group.admins - {group.owner}
        )
        return [chat_member_dict(self._user_dict(i), self._status(group, i)) for i in ids]

    def _get_chat_member(self, params: Params, files: Files) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        user_id = _int(params.get("user_id"), "user_id")
        group = self.groups.get(chat["id"])
        staff = group is not None and (user_id in group.admins or user_id == group.owner)
        if user_id != self.bot_id and user_id not in self.users and not staff:
            raise bad_request("PARTICIPANT_ID_INVALID")
        if group is None:
            status = "member" if user_id in (chat["id"], self.bot_id) else "left"
            if user_id == self.bot_id and chat["id"] in self.blocked:
                status = "kicked"
        else:
            status = self._status(group, user_id)
        return chat_member_dict(self._user_dict(user_id), status)

    def _status(self, group: FakeGroup, user_id: int) -> str:
        if user_id == group.owner:
            return "creator"
        if user_id in group.admins:
            return "administrator"
        if user_id == self.bot_id:
            return "kicked" if group.id in self.blocked else "member"
        return "member" if user_id in group.members else "left"

    def _get_file(self, params: Params, files: Files) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self._files:
            raise bad_request("invalid file_id")
        path, upload = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(upload.data),
            "file_path": path,
        }

    # --- helpers -----------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self.clock())

    def _take_update_id(self, update_id: int | None) -> int:
        if update_id is None:
            update_id = self._next_update_id
        self._next_update_id = max(self._next_update_id, update_id + 1)
        return update_id

    def _new_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _user_chat(self, user: FakeUser, chat_id: int | None) -> dict[str, Any]:
        if chat_id is None or chat_id == user.id:
            return user.private_chat()
        if chat_id not in self.groups:
            raise ValueError(f"unknown group {chat_id}: create it with group() first")
        return self.groups[chat_id].to_dict()

    def _user_dict(self, user_id: int) -> dict[str, Any]:
        if user_id == self.bot_id:
            return self.bot_user
        user = self.users.get(user_id) or FakeUser(user_id, first_name=f"User{user_id}")
        return user.to_dict()

    def _chat(self, chat_id: object) -> dict[str, Any]:
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if isinstance(chat_id, int):
            if chat_id in self.users:
                return self.users[chat_id].private_chat()
            if chat_id in self.groups:
                return self.groups[chat_id].to_dict()
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        raise bad_request("chat not found")

    def _writable_chat(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        if chat["id"] in self.migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           migrate_to_chat_id=self.migrated[chat["id"]])
        if chat["id"] in self.blocked:
            if chat["type"] == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat['type']} chat")
        return chat

    @staticmethod
    def _formatted(text: str, params: Params, text_key: str) -> dict[str, Any]:
        """`text` or `caption` as Telegram stores it: parsed, trimmed, with its entities."""
        entities_key, limit, too_long = _TEXT_LIMITS[text_key]
        entities = params.get(entities_key)
        try:
            formatted = format_text(
                text, params.get("parse_mode"), entities if isinstance(entities, list) else None
            )
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
        except ValueError as exc:
            raise bad_request(str(exc)) from exc
        if len(formatted.text) > limit:
            raise bad_request(too_long)
        content: dict[str, Any] = {text_key: formatted.text}
        if formatted.entities:
            content[entities_key] = formatted.entities
        return content

    def _replied_message(self, chat_id: int, params: Params) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict):
            legacy = params.get("reply_to_message_id")
            if legacy is None:
                return None
            reply = {"message_id": legacy}
        message = self._messages.get((chat_id, _int(reply.get("message_id"), "message_id")))
        if message is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in message.items() if k != "reply_to_message"}

    def _reply_markup(self, params: Params) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            _check_inline_keyboard(markup["inline_keyboard"])
        elif not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    def _input_file(
        self, field: str, params: Params, files: Files, default_name: str
    ) -> tuple[str, UploadedFile]:
        """The file sent as `field`: a new upload, an attach:// part, or a known file_id."""
        value = params.get(field)
        upload = files.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is None and isinstance(value, str):
            if value in self._files:
                return value, self._files[value][1]
            if value.startswith(("http://", "https://")):
                name = value.rsplit("/", 1)[-1] or default_name
                upload = UploadedFile(field, name, "application/octet-stream", b"")
        if upload is None:
            raise bad_request(f"there is no {field} in the request")
        number = len(self._files) + 1
        file_id = f"F{number:06d}"
        self._files[file_id] = (f"{field}s/file_{number}_{upload.filename}", upload)
        return file_id, upload


def commands_key(scope: object, language_code: object) -> tuple[str, str]:
    """How setMyCommands lists are keyed: (scope as canonical JSON, language code)."""
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")


def _check_inline_keyboard(rows: object) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = button.keys() - {"text", "style", "icon_custom_emoji_id"}
            if not actions:
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _int(value: object, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise bad_request(f"{name} is empty" if value in (None, "") else f"invalid {name} specified")


def _ok(params: Params, files: Files) -> bool:
    return True
