"""Translation between Discord and the core, both ways, with no I/O.

In: an interaction (a slash command with its options, a pressed button, a typed answer)
becomes a core `Request` whose text is what the core grammar reads when the same command is
typed: `/done what:"5k 28:30"` → `done` + "5k 28:30"; `/start level:beginner days:3
tz:Europe/Berlin` → `start` + "level=beginner days=3 tz=Europe/Berlin"; `/challenge new
name:X metric:distance until:2026-12-31` → `challenge` + "new X metric=distance until=...".
Whether the member may manage challenges comes from the permissions Discord put in the
interaction (Manage Server), checked here in code, never from `default_permissions` alone.

Out: a core `Reply` becomes Discord messages (`Outgoing`): the core's markup as Discord
markdown, split at 2,000 characters, choices as persistent buttons (or a select menu for a
row too long for buttons), a "Type an answer" button under guided questions, files attached.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.discord.components import (
    OPTION_LABEL_LIMIT,
    SELECT_VALUE_LIMIT,
    AnswerButton,
    ChoiceButton,
    ChoiceMenu,
    encode_line,
)
from core.activity.unpack import MAX_FILE_BYTES
from core.commands.table import COMMANDS
from core.markup import to_markdown
from core.messages import Attachment, ChatKind, Choice, Platform, Reply, Request, Upload

MESSAGE_LIMIT = 2000  # characters of message content
FILES_PER_MESSAGE = 10
MAX_ROWS = 5  # action rows per message
ROW_WIDTH = 5  # buttons per action row
MENU_OPTIONS = 25  # options per select menu
FENCE = "```"

SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2
KEY_VALUE_COMMANDS = frozenset({"start", "settings"})
# Commands whose options read as one line in this order: `/sleep yesterday 7h`, `/edit 3 5k`.
ORDERED_OPTIONS = {"sleep": ("night", "hours"), "edit": ("run", "what"), "undo": ("run",)}
RACE_KEYWORDS = ("goal", "start")  # `/race DATE goal M:SS start HH:MM`


# --- in: interactions to requests --------------------------------------------------------------


def is_admin(permissions: discord.Permissions) -> bool:
    """May this member manage the club's challenges? Manage Server (or Administrator)."""
    return bool(permissions.manage_guild or permissions.administrator)


def command_options(data: Mapping[str, Any]) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """`(command, subcommand path, {option: value})` of an application command's `data`."""
    name = str(data.get("name", "")).lower()
    path: list[str] = []
    options: list[Any] = list(data.get("options") or [])
    while options and options[0].get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP):
        path.append(str(options[0]["name"]))
        options = list(options[0].get("options") or [])
    values = {str(o["name"]): o["value"] for o in options if o.get("value") is not None}
    return name, tuple(path), values


def command_text(command: str, path: Sequence[str], values: Mapping[str, Any]) -> str:
    """The text after the command, as a runner would type it (see the module docstring)."""
    given = {name: _word(value) for name, value in values.items() if _word(value)}
    if command in KEY_VALUE_COMMANDS:
        return " ".join(f"{key}={quote_value(value)}" for key, value in given.items())
    found = COMMANDS.resolve(command)
    if found is not None and found.text_option is not None:
        # Its one option is the whole text after the command, as typed.
        return given.get(found.text_option, "")
    if command in ORDERED_OPTIONS:
        return " ".join(given[key] for key in ORDERED_OPTIONS[command] if key in given)
    if command == "race":
        parts = [given.get("date", "")]
        parts += [f"{key} {given[key]}" for key in RACE_KEYWORDS if key in given]
        return " ".join(p for p in parts if p)
    if command == "challenge" and path:
        return _challenge_text(path[0], given)
    return " ".join([*path, *given.values()])


def _challenge_text(sub: str, given: dict[str, str]) -> str:
    if sub == "new":
        name = given.pop("name", "")
        settings = " ".join(f"{key}={quote_value(value)}" for key, value in given.items())
        return " ".join(p for p in ("new", quote_value(name) if name else "", settings) if p)
    return " ".join([sub, *given.values()])


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def quote_value(value: str) -> str:
    """A `key=value` value as the core grammar reads it: bare if it is one word, else quoted."""
    if value and not re.search(r"""[\s"'“”=]""", value):
        return value
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "'") + '"'


def split_line(line: str) -> tuple[str, str]:
    """`(command, text)` of a choice's line: `("settings", "quiet=off")` for
    "/settings quiet=off", `("", "beginner")` for a guided answer."""
    stripped = line.strip()
    if not stripped.startswith("/"):
        return "", stripped
    head, _, rest = stripped[1:].partition(" ")
    return head.lower(), rest.strip()


def request_for(interaction: discord.Interaction[Any], command: str, text: str) -> Request:
    """The core request an interaction makes; `update_id` is the interaction's id, so a
    re-delivered interaction is recognised by the core and never applied twice."""
    user = interaction.user
    in_guild = interaction.guild_id is not None
    return Request(
        platform=Platform.DISCORD,
        user_id=str(user.id),
        chat_id=str(interaction.channel_id),
        command=command,
        text=text,
        display_name=user.display_name,
        chat_kind=ChatKind.GROUP if in_guild else ChatKind.PRIVATE,
        is_admin=in_guild and is_admin(interaction.permissions),
        chat_title=chat_title(interaction) if in_guild else "",
        guild_id=str(interaction.guild_id) if in_guild else None,
        update_id=str(interaction.id),
    )


def request_from_dm(message: discord.Message, upload: Upload, number: int = 0) -> Request:
    """File `number` of a DM to the bot: `/import` with the file; `update_id` is the message
    id and the file's number (a re-delivered message is handled once)."""
    return Request(
        platform=Platform.DISCORD,
        user_id=str(message.author.id),
        chat_id=str(message.channel.id),
        command="import",
        display_name=message.author.display_name,
        update_id=f"message:{message.id}:{number}",
        upload=upload,
    )


async def upload_of(attachment: discord.Attachment) -> Upload:
    """The attachment's bytes, fetched with discord.py (from the URL Discord gives it);
    not fetched when it is over the size limit."""
    if attachment.size > MAX_FILE_BYTES:
        return Upload(attachment.filename, attachment.size)
    content = await attachment.read()
    return Upload(attachment.filename, max(attachment.size, len(content)), content)


def chat_title(interaction: discord.Interaction[Any]) -> str:
    """"Mile Club #runs": the server and channel a club lives in, as far as they are known."""
    guild = interaction.guild
    channel = getattr(interaction.channel, "name", None)
    parts = [guild.name if guild is not None and guild.name else ""]
    if channel:
        parts.append(f"#{channel}")
    return " ".join(p for p in parts if p)


# --- out: replies to messages ------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One Discord message: markdown content (or None), buttons, files."""

    content: str | None
    choices: tuple[tuple[Choice, ...], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    answer_hint: str | None = None  # set under a guided question: offer "Type an answer"

    @property
    def has_components(self) -> bool:
        return bool(self.choices) or self.answer_hint is not None


def render_reply(reply: Reply, *, limit: int = MESSAGE_LIMIT) -> list[Outgoing]:
    """The messages that show `reply`, in order; buttons and files go on the last one.

    `limit` is the room for each message's text (less than Discord's, to add a mention).
    """
    text = to_markdown(reply.text).strip()
    pieces: list[str | None] = list(split_markdown(text, limit)) if text else []
    files = list(reply.attachments)
    step = FILES_PER_MESSAGE
    groups = [tuple(files[i : i + step]) for i in range(0, len(files), step)]
    messages = [Outgoing(piece) for piece in pieces]
    if groups:
        if messages:
            messages[-1] = Outgoing(messages[-1].content, attachments=groups[0])
            groups = groups[1:]
        messages += [Outgoing(None, attachments=group) for group in groups]
    hint = answer_hint(reply) if is_question(reply) else None
    if (reply.choices or hint is not None) and not messages:
        messages = [Outgoing("…")]
    if messages:
        last = messages[-1]
        messages[-1] = Outgoing(last.content, reply.choices, last.attachments, hint)
    return messages


def is_question(reply: Reply) -> bool:
    """A guided question: some choice is a plain answer rather than a command."""
    return any(not c.command.startswith("/") for row in reply.choices for c in row)


def answer_hint(reply: Reply) -> str:
    """"e.g. 8:30" from the question's first `<code>` example, for the answer modal."""
    match = re.search(r"<code>(.*?)</code>", reply.text, re.DOTALL)
    return f"e.g. {html.unescape(match.group(1)).strip()}" if match else ""


def split_markdown(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line breaks where possible; a
    code block open at a cut is closed there and opened again in the next piece."""
    if len(text) <= limit:
        return [text]
    reserve = len(FENCE) + 1  # room to close a code block at the cut
    pieces: list[str] = []
    lines: list[str] = []
    size = 0
    fenced = False
    for line in _wrapped(text.split("\n"), limit - 2 * reserve):
        extra = len(line) + (1 if lines else 0)
        if lines and size + extra > limit - reserve:
            pieces.append("\n".join(lines) + ("\n" + FENCE if fenced else ""))
            lines, size = ([FENCE], len(FENCE)) if fenced else ([], 0)
            extra = len(line) + (1 if lines else 0)
        lines.append(line)
        size += extra
        if line.count(FENCE) % 2:
            fenced = not fenced
    pieces.append("\n".join(lines))
    return [piece for piece in pieces if piece.strip() and piece.strip() != FENCE]


def _wrapped(lines: list[str], width: int) -> list[str]:
    """Lines no longer than `width`: long ones cut at a space, else anywhere but right after
    a markdown escape (a trailing backslash would escape the next piece's first character)."""
    out: list[str] = []
    for line in lines:
        while len(line) > width:
            cut = line.rfind(" ", 0, width + 1)
            if cut <= 0:
                cut = width
                while cut > 1 and line[cut - 1] == "\\":
                    cut -= 1
            out.append(line[:cut].rstrip(" "))
            line = line[cut:].lstrip(" ")
        out.append(line)
    return out


def discord_files(attachments: Sequence[Attachment]) -> list[discord.File]:
    """Fresh `discord.File`s (each can be read once per request)."""
    return [discord.File(io.BytesIO(a.content), filename=a.filename) for a in attachments]


def build_view(message: Outgoing) -> discord.ui.View | None:
    """The persistent view showing a message's choices (None when it has none).

    A row of up to five choices becomes buttons; a longer row a select menu. Past five rows,
    the rest is folded into one last select menu. "Type an answer" joins the last row of
    buttons if there is room, else gets a row of its own.
    """
    if not message.has_components:
        return None
    view = discord.ui.View(timeout=None)
    rows = _layout(message.choices)
    menus = 0
    for index, (kind, choices) in enumerate(rows):
        if kind == "buttons":
            for choice in choices:
                view.add_item(
                    ChoiceButton.for_line(
                        choice.label, choice.command, style=button_style(choice), row=index
                    )
                )
        else:
            view.add_item(ChoiceMenu(menus, _menu_options(choices), row=index))
            menus += 1
    if message.answer_hint is not None:
        last = rows[-1] if rows else None
        if last is not None and last[0] == "buttons" and len(last[1]) < ROW_WIDTH:
            view.add_item(AnswerButton(message.answer_hint, row=len(rows) - 1))
        elif len(rows) < MAX_ROWS:
            view.add_item(AnswerButton(message.answer_hint, row=len(rows)))
    return view


def _layout(choices: Sequence[Sequence[Choice]]) -> list[tuple[str, list[Choice]]]:
    seen: set[str] = set()
    rows: list[list[Choice]] = []
    for row in choices:
        fresh: list[Choice] = []
        for choice in row:  # a message's custom_ids must be unique: one button per line
            if choice.command not in seen:
                seen.add(choice.command)
                fresh.append(choice)
        if fresh:
            rows.append(fresh)
    if len(rows) > MAX_ROWS:  # fold the overflow into one menu
        rows = [*rows[: MAX_ROWS - 1], [c for row in rows[MAX_ROWS - 1 :] for c in row]]
    return [("buttons" if len(row) <= ROW_WIDTH else "menu", row) for row in rows]


def _menu_options(choices: Sequence[Choice]) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(
            label=choice.label[:OPTION_LABEL_LIMIT] or "…",
            value=encode_line(choice.command, SELECT_VALUE_LIMIT),
        )
        for choice in choices[:MENU_OPTIONS]
    ]


def button_style(choice: Choice) -> discord.ButtonStyle:
    """Green for logging a run, red for confirming a deletion, grey for backing out."""
    line = choice.command.strip().lower()
    if line.endswith(" confirm"):
        return discord.ButtonStyle.danger
    if line.startswith("/done"):
        return discord.ButtonStyle.success
    if line in ("cancel", "skip", "/skip") or line.endswith(" cancel"):
        return discord.ButtonStyle.secondary
    return discord.ButtonStyle.primary
