"""The platform-neutral request and reply that every adapter translates to and from.

Reply text uses a small HTML subset as its light formatting: `<b>`, `<i>`, `<code>`, `<pre>`
and the entities `&lt; &gt; &amp; &quot;`. Anything a runner typed is passed through `esc()`
before it is put in a reply, so a note such as `<3 _fast_ *pb*` is shown literally everywhere.
Telegram renders it as HTML; Discord and the console convert it (see `core.markup`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum

from core.text_safety import clean_text


class Platform(StrEnum):
    TELEGRAM = "telegram"
    DISCORD = "discord"
    CONSOLE = "console"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Upload:
    """A file a person sent: its name, its size as the platform reported it, and its bytes
    (empty when the adapter did not download it because it is over the size limit)."""

    filename: str
    size: int
    content: bytes = b""


@dataclass(frozen=True)
class Request:
    """One thing a person said to Pacer.

    `command` is the command name without slash or bot suffix, lower-case (`"done"`), or `""`
    for plain text (an answer in a guided conversation). `text` is everything after it.
    """

    platform: Platform
    user_id: str
    chat_id: str
    command: str
    text: str = ""
    display_name: str = ""
    chat_kind: ChatKind = ChatKind.PRIVATE
    is_admin: bool = False
    chat_title: str = ""
    guild_id: str | None = None
    update_id: str | None = None
    upload: Upload | None = None  # a file sent with the message (an activity file)

    @property
    def in_group(self) -> bool:
        return self.chat_kind is ChatKind.GROUP


@dataclass(frozen=True)
class Choice:
    """A button: its label, and the command line it stands for when pressed."""

    label: str
    command: str


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply: a chart image or an export document."""

    filename: str
    content: bytes
    mime: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


@dataclass(frozen=True)
class Reply:
    """What Pacer answers. `private` replies hold personal data: adapters keep them out of
    group channels (ephemeral on Discord)."""

    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    attachments: tuple[Attachment, ...] = field(default=())
    private: bool = False


def esc(value: object) -> str:
    """Escape user-provided text for reply markup (control and bidi override characters go:
    see `core.text_safety`)."""
    return html.escape(clean_text(str(value)), quote=False)
