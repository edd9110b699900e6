"""The people, chats and records of the fake Telegram, and Bot API JSON builders for them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .telegram_formatting import utf16_len

_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")

DEFAULT_ERRORS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """A Bot API error answer: `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        *,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends with this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: ..." description."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user who talks to the bot."""

    id: int
    first_name: str = "Ann"
    username: str | None = None
    language_code: str | None = "en"

    def to_dict(self) -> dict[str, Any]:
        """The Bot API `User` object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def private_chat(self) -> dict[str, Any]:
        """The Bot API `Chat` of this user's private chat with the bot."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class FakeGroup:
    """A group or supergroup the bot is a member of."""

    id: int
    title: str
    admins: set[int] = field(default_factory=set)
    owner: int | None = None
    type: str = "supergroup"
    members: set[int] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        """The Bot API `Chat` object."""
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    """One Bot API request as the fake received it, and how it was answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    time: float  # time.perf_counter() when the request arrived
    status: int | None = None  # HTTP status once answered
    result: Any = None  # "result" of a successful answer
    error: str | None = None  # "description" of an error answer

    @property
    def chat_id(self) -> int | str | None:
        """The `chat_id` parameter, if any."""
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None


@dataclass
class Fault:
    """A scripted error answer for the next matching calls."""

    method: str  # lower-case method name
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None
    hang: bool = False  # never answer (the client times out) instead of an error
    process: bool = False  # with hang: do the work first, so the effect happens anyway

    def matches(self, method: str, chat_id: object) -> bool:
        """True if this fault applies to a call of `method` in `chat_id`."""
        return (
            self.times > 0
            and self.method == method.lower()
            and (self.chat_id is None or self.chat_id == chat_id)
        )


def command_entities(text: str) -> list[dict[str, Any]]:
    """`bot_command` entities for every /command (or /command@bot) word, as Telegram adds."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def bot_user_dict(bot_id: int, username: str, *, full: bool = False) -> dict[str, Any]:
    """The bot's `User` object; `full` adds the flags only getMe returns."""
    user: dict[str, Any] = {
        "id": bot_id,
        "is_bot": True,
        "first_name": username.removesuffix("_bot").removesuffix("bot").capitalize() or "Bot",
        "username": username,
    }
    if full:
        user |= {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
    return user


def chat_member_dict(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A `ChatMember` of the given status with every field PTB requires for it."""
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member |= dict.fromkeys(
            (
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
                "can_pin_messages",
            ),
            True,
        ) | {"can_be_edited": False, "is_anonymous": False, "can_promote_members": False}
    elif status == "kicked":
        member["until_date"] = 0
    return member


def chat_full_info(chat: dict[str, Any]) -> dict[str, Any]:
    """A `ChatFullInfo` (what getChat returns) for a plain `Chat` object."""
    return chat | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (the bot's charts); (1, 1) for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 1, 1
