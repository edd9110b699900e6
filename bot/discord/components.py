"""Persistent message components: the core's choices as buttons and select menus.

A core `Choice` stands for a command line ("/done", "/settings quiet=off") or a plain answer
in a guided conversation ("beginner"). On Discord it becomes a button whose `custom_id`
carries that line, so a press means the same thing after a restart: the buttons are
`DynamicItem`s, found by their `custom_id` pattern, not by a view kept in memory.

- `pacer:<line>`: a button standing for `line` (`pacer#<key>` when the line is too long for
  the 100-character `custom_id`; those live in the process-wide `LONG_LINES`, a
  `bot.payload_cache.PayloadCache`, and expire on restart).
- `pacer-menu:<n>`: a select menu for a row with more choices than a row of buttons holds;
  each option's value is the same token.
- `pacer-answer[:hint]`: "Type an answer" under a guided question; it opens the answer modal,
  whose submission is handled by the client (`ANSWER_MODAL`), so it survives restarts too.

Pressing anything hands the line to the bridge the client carries (`ComponentHandler`).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol

import discord

from bot.payload_cache import PayloadCache

log = logging.getLogger(__name__)

CUSTOM_ID_LIMIT = 100
SELECT_VALUE_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
OPTION_LABEL_LIMIT = 100
PLACEHOLDER_LIMIT = 100  # a text input's placeholder
LONG_LINES_KEPT = 10_000

CHOICE_PREFIX = "pacer"
MENU_PREFIX = "pacer-menu:"
ANSWER_BUTTON = "pacer-answer"
ANSWER_MODAL = "pacer-answer-modal"
ANSWER_INPUT = "answer"
ANSWER_LIMIT = 200

EXPIRED = "That button has expired — please use the slash command instead."

# Lines too long for a custom_id; process-wide, since components are found by pattern alone.
LONG_LINES = PayloadCache(LONG_LINES_KEPT)


class ComponentHandler(Protocol):
    """What a pressed component needs: the bridge between Discord and the core."""

    async def on_choice(self, interaction: discord.Interaction[Any], line: str | None) -> None:
        """A choice was picked; `line` is None when its token has expired."""

    async def on_type_answer(self, interaction: discord.Interaction[Any], hint: str) -> None:
        """'Type an answer' was pressed: open the answer modal."""


def handler_of(interaction: discord.Interaction[Any]) -> ComponentHandler:
    """The bridge of the client that received `interaction`."""
    handler: ComponentHandler | None = getattr(interaction.client, "bridge", None)
    if handler is None:
        raise RuntimeError("this discord client has no Pacer bridge")
    return handler


# --- tokens: a choice's line inside a custom_id or a select option value -----------------------


def encode_line(line: str, room: int) -> str:
    """`:line` if it fits in `room` characters, else `#key` (remembered in this process)."""
    direct = ":" + line
    if len(direct) <= room:
        return direct
    return "#" + LONG_LINES.remember(line)


def decode_line(token: str) -> str | None:
    """The line behind a token; None for a key this process does not know (expired)."""
    if token.startswith(":"):
        return token[1:]
    if token.startswith("#"):
        return LONG_LINES.recall(token[1:])
    return None


def answer_custom_id(hint: str) -> str:
    """The 'Type an answer' button's id; the hint (e.g. "e.g. 8:30") rides along if it fits."""
    full = f"{ANSWER_BUTTON}:{hint}"
    return full if hint and len(full) <= CUSTOM_ID_LIMIT else ANSWER_BUTTON


# --- the items ------------------------------------------------------------------------------


class ChoiceButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.compile(r"pacer(?P<token>[:#].+)", re.DOTALL),
):
    """A button standing for one command line or guided answer (see `for_line`)."""

    def __init__(
        self,
        label: str,
        token: str,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label[:BUTTON_LABEL_LIMIT] or "…", custom_id=CHOICE_PREFIX + token, style=style
        )
        super().__init__(button, row=row)
        self.line = decode_line(token)

    @classmethod
    def for_line(
        cls,
        label: str,
        line: str,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> ChoiceButton:
        token = encode_line(line, CUSTOM_ID_LIMIT - len(CHOICE_PREFIX))
        return cls(label, token, style=style, row=row)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ChoiceButton:
        label, style = _button_look(item)
        return cls(label, match["token"], style=style)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await handler_of(interaction).on_choice(interaction, self.line)


class ChoiceMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=re.compile(r"pacer-menu:(?P<index>\d+)"),
):
    """A select menu for a row of more choices than fit as buttons."""

    def __init__(
        self,
        index: int,
        options: list[discord.SelectOption],
        *,
        placeholder: str = "Choose…",
        row: int | None = None,
    ) -> None:
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=f"{MENU_PREFIX}{index}", options=options, placeholder=placeholder
        )
        super().__init__(select, row=row)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ChoiceMenu:
        options = list(item.options) if isinstance(item, discord.ui.Select) else []
        return cls(int(match["index"]), options)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        picked = self.item.values
        line = decode_line(picked[0]) if picked else None
        await handler_of(interaction).on_choice(interaction, line)


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.compile(r"pacer-answer(?::(?P<hint>.*))?", re.DOTALL),
):
    """'Type an answer': opens a modal with one text input, for answers no button offers."""

    def __init__(self, hint: str = "", *, row: int | None = None) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Type an answer…",
            custom_id=answer_custom_id(hint),
            style=discord.ButtonStyle.secondary,
            emoji="✏️",
        )
        super().__init__(button, row=row)
        self.hint = hint

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        return cls(match["hint"] or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await handler_of(interaction).on_type_answer(interaction, self.hint)


def _button_look(item: discord.ui.Item[Any]) -> tuple[str, discord.ButtonStyle]:
    if isinstance(item, discord.ui.Button):
        return item.label or "", item.style
    return "", discord.ButtonStyle.secondary


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    ChoiceButton,
    ChoiceMenu,
    AnswerButton,
)


def answer_modal(hint: str = "") -> discord.ui.Modal:
    """The modal a typed answer is given in; its submission reaches the client's
    `on_interaction` (custom_id `ANSWER_MODAL`), which does not depend on this object."""
    modal = discord.ui.Modal(title="Your answer", custom_id=ANSWER_MODAL, timeout=None)
    modal.add_item(
        discord.ui.TextInput(
            label="Answer",
            custom_id=ANSWER_INPUT,
            placeholder=hint[:PLACEHOLDER_LIMIT] or None,
            max_length=ANSWER_LIMIT,
        )
    )
    return modal


def submitted_answer(data: Any) -> str | None:
    """The text typed into the answer modal, from a MODAL_SUBMIT interaction's `data`."""
    if not isinstance(data, dict) or data.get("custom_id") != ANSWER_MODAL:
        return None
    for component in _walk(data.get("components") or []):
        if component.get("custom_id") == ANSWER_INPUT:
            value = component.get("value")
            return value if isinstance(value, str) else None
    return None


def _walk(components: list[Any]) -> list[dict[str, Any]]:
    """Every component of a submitted modal: action rows (type 1) and labels (type 18) nest."""
    found: list[dict[str, Any]] = []
    for component in components:
        if not isinstance(component, dict):
            continue
        found.append(component)
        found += _walk(component.get("components") or [])
        inner = component.get("component")
        if isinstance(inner, dict):
            found += _walk([inner])
    return found
