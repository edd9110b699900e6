"""Translation between Telegram and the core, both ways, with no I/O.

In: a PTB `Update` (a message, or a button press) becomes a core `Request`, or None when it is
none of Pacer's business (another bot's command, group chatter, a channel post).
Out: a core `Reply` becomes the Bot API messages that show it (`Outgoing`): text in Telegram's
HTML (the core's markup is that subset, user text already escaped), buttons as an inline
keyboard, images as photos, other files as documents, long texts split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot.telegram.callback_data import CallbackCodec
from bot.telegram.textsplit import CAPTION_LIMIT, fits, split_html
from core.messages import Attachment, ChatKind, Choice, Platform, Reply, Request, Upload

# What Telegram shows as a photo; anything else (SVG, GIF, a PDF) goes as a document.
PHOTO_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})
PHOTO_MAX_BYTES = 10 * 1024 * 1024
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)")


# --- in --------------------------------------------------------------------------------------


def split_command(line: str, bot_username: str) -> tuple[str, str] | None:
    """`(command, text)` of a typed line: `("done", "25min")` for `/done@pacer_bot 25min`,
    `("", line)` for plain text, None for a command addressed to another bot."""
    stripped = line.strip()
    match = _COMMAND.match(stripped)
    if match is None:
        return "", stripped
    return _addressed(match, stripped, bot_username)


def command_of(message: Message, bot_username: str) -> tuple[str, str] | None:
    """`(command, text)` of a message, the command taken from its leading `bot_command`."""
    text = message.text or ""
    leading = next(
        (
            e
            for e in message.entities
            if e.type == MessageEntity.BOT_COMMAND and e.offset == 0
        ),
        None,
    )
    if leading is None:
        return "", text.strip()
    token = message.parse_entity(leading)
    match = _COMMAND.fullmatch(token)
    if match is None:  # not a command shape we know; treat it like any text
        return "", text.strip()
    return _addressed(match, text, bot_username)


def _addressed(match: re.Match[str], line: str, bot_username: str) -> tuple[str, str] | None:
    name, addressee = match.group(1), match.group(2)
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return name.lower(), line[match.end() :].strip()


def chat_kind(chat: Chat) -> ChatKind | None:
    """Private chat or group; None for channels, which Pacer does not serve."""
    if chat.type == Chat.PRIVATE:
        return ChatKind.PRIVATE
    if chat.type in (Chat.GROUP, Chat.SUPERGROUP):
        return ChatKind.GROUP
    return None


def request_from_message(update: Update, bot_username: str) -> Request | None:
    """The request a new text message makes, or None if Pacer should ignore it."""
    message = update.message
    if message is None or message.text is None:
        return None
    parsed = command_of(message, bot_username)
    if parsed is None:
        return None
    command, text = parsed
    return _request(update, message.from_user, message.chat, command, text)


def request_from_document(update: Update, upload: Upload) -> Request | None:
    """The request a document sent in a private chat makes: `/import` with the file (an
    activity file from a watch or app); None elsewhere (files in groups are not for Pacer)."""
    message = update.message
    if message is None or message.chat.type != Chat.PRIVATE:
        return None
    caption = (message.caption or "").strip()  # "parkrun, felt strong": the run's note
    return _request(update, message.from_user, message.chat, "import", caption, upload)


def request_from_callback(update: Update, line: str, bot_username: str) -> Request | None:
    """The request a button press makes: as if the runner typed the button's command line."""
    query = update.callback_query
    if query is None or query.message is None:
        return None  # a button under an inline-mode message: not one of Pacer's
    parsed = split_command(line, bot_username)
    if parsed is None:
        return None
    command, text = parsed
    return _request(update, query.from_user, query.message.chat, command, text)


def _request(
    update: Update, user: User | None, chat: Chat, command: str, text: str,
    upload: Upload | None = None,
) -> Request | None:
    kind = chat_kind(chat)
    if user is None or user.is_bot or kind is None:
        return None
    if kind is ChatKind.GROUP and not command:
        return None  # group chatter is not addressed to Pacer
    return Request(
        platform=Platform.TELEGRAM,
        user_id=str(user.id),
        chat_id=str(chat.id),
        command=command,
        text=text,
        display_name=user.full_name,
        chat_kind=kind,
        chat_title=chat.title or "",
        update_id=str(update.update_id),
        upload=upload,
    )


# --- out -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One Bot API message: text (or a file with `text` as caption) and maybe buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    attachment: Attachment | None = None

    @property
    def as_photo(self) -> bool:
        """Send the attachment with sendPhoto (else sendDocument)."""
        file = self.attachment
        if file is None:
            return False
        return file.mime in PHOTO_TYPES and len(file.content) <= PHOTO_MAX_BYTES


def keyboard(
    choices: Sequence[Sequence[Choice]], codec: CallbackCodec
) -> InlineKeyboardMarkup | None:
    """Choice rows as an inline keyboard whose buttons carry their command line."""
    rows = [
        [InlineKeyboardButton(c.label, callback_data=codec.encode(c.command)) for c in row]
        for row in choices
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def render_reply(reply: Reply, codec: CallbackCodec) -> list[Outgoing]:
    """The messages that show `reply`, in order; the buttons go on the last one."""
    text = reply.text.strip()
    markup = keyboard(reply.choices, codec)
    files = reply.attachments
    if len(files) == 1 and fits(text, CAPTION_LIMIT):
        return [Outgoing(text, markup, files[0])]  # one message: the file with its caption
    parts = [Outgoing(piece) for piece in split_html(text)] if text else []
    parts += [Outgoing("", None, file) for file in files]
    if parts and markup is not None:
        last = parts[-1]
        parts[-1] = Outgoing(last.text, markup, last.attachment)
    return parts
