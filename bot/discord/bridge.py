"""One interaction through the core and back, answered within Discord's three seconds.

Per interaction: translate it (`translate`), start `Pacer.handle` (one transaction; a
re-delivered interaction is recognised by its id), and make sure Discord hears from us in
time: a command known to be slow (charts, exports, boards) is deferred at once, any other is
deferred when the core has not answered within `answer_within` seconds. The replies then
follow as the interaction's response, its edited original, or follow-ups.

Where answers show:
- In DMs everything is an ordinary message. A pressed button's message loses its buttons (a
  private question is answered once), then the answer follows.
- In a server channel, answers about one runner are ephemeral (only they see them): replies
  the core marks `private`, which are every reply of a command the command table
  (`core.commands.table`) calls personal — all but club business (`/challenge`) and general
  information (`/help`, `/pace`) — and a public command's replies about the asker alone.

Nothing that goes wrong here stops the bot: the member gets a short apology and the next
interaction is served as usual.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import discord

from bot.discord.components import EXPIRED, answer_modal, submitted_answer
from bot.discord.translate import (
    Outgoing,
    build_view,
    command_options,
    command_text,
    discord_files,
    render_reply,
    request_for,
    request_from_dm,
    split_line,
    upload_of,
)
from core.app import Pacer
from core.commands.table import COMMANDS, CommandTable
from core.messages import Reply, Request
from core.text import SORRY

log = logging.getLogger(__name__)

SLOW_CHALLENGE = frozenset({"board", "end"})  # leaderboard images
# What sending to Discord can raise: refusals, exhausted retries, network trouble.
SEND_ERRORS = (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError)


@dataclass(frozen=True)
class BridgeOptions:
    """Timing. Discord drops an interaction not answered (or deferred) within 3 s."""

    answer_within: float = 2.0  # seconds the core may take before the answer is deferred


def is_slow(command: str, text: str, commands: CommandTable = COMMANDS) -> bool:
    """Known to take a while (a chart, a file): defer before even trying."""
    found = commands.resolve(command) if command else None
    if found is not None and found.slow:
        return True
    return command == "challenge" and text.split(" ", 1)[0] in SLOW_CHALLENGE


def ephemeral_for(request: Request, reply: Reply, commands: CommandTable = COMMANDS) -> bool:
    """Should this reply be visible to its asker only?"""
    return request.in_group and (reply.private or commands.is_personal(request.command))


def defers_ephemeral(request: Request, commands: CommandTable = COMMANDS) -> bool:
    """Ephemerality must be chosen when deferring, before the replies are known."""
    return request.in_group and commands.is_personal(request.command)


class DiscordBridge:
    """Serves slash commands, pressed components and typed answers through the core."""

    def __init__(self, pacer: Pacer, options: BridgeOptions | None = None) -> None:
        self.pacer = pacer
        self.options = options or BridgeOptions()
        self._work: set[asyncio.Task[list[Reply]]] = set()

    # --- entry points (the command tree, the components and the client call these) --------------

    async def on_command(self, interaction: discord.Interaction[Any]) -> None:
        """A slash command."""

        def parse() -> tuple[str, str]:
            name, path, values = command_options(interaction.data or {})
            return name, command_text(name, path, values)

        request = await self._request(interaction, parse)
        if request is not None:
            await self._serve(interaction, request)

    async def on_attachment(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None:
        """`/done` with a file: the activity file is fetched and logged like `/import`."""
        request = await self._request(interaction, lambda: ("import", ""))
        if request is not None:
            await self._serve(interaction, request, attachment=file)

    async def on_dm(self, message: discord.Message) -> None:
        """A DM with files: each is an activity file to log; the answers go to the DM."""
        for number, attachment in enumerate(message.attachments):
            try:
                request = request_from_dm(message, await upload_of(attachment), number)
                for reply in await self.pacer.handle(request):
                    for out in render_reply(reply):
                        view, files = build_view(out), discord_files(out.attachments)
                        await message.channel.send(**_content(out.content),
                                                   **_extras(view, files))
            except Exception:
                log.exception("discord: DM file %s of message %s failed", number, message.id)
                try:
                    await message.channel.send(SORRY)
                except SEND_ERRORS as err:
                    log.warning("discord: could not apologise in a DM: %s", err)

    async def on_choice(self, interaction: discord.Interaction[Any], line: str | None) -> None:
        """A button or menu choice: as if the member typed its command line."""
        if line is None:
            await self._say(interaction, EXPIRED)
            return
        request = await self._request(interaction, lambda: split_line(line))
        if request is not None:
            await self._serve(interaction, request, clear_buttons=not request.in_group)

    async def on_type_answer(self, interaction: discord.Interaction[Any], hint: str) -> None:
        """'Type an answer' under a guided question: the answer modal opens."""
        try:
            await interaction.response.send_modal(answer_modal(hint))
        except SEND_ERRORS as err:
            log.warning("discord: could not open the answer modal: %s", err)

    async def on_modal(self, interaction: discord.Interaction[Any]) -> None:
        """The answer modal was submitted: the text is the answer to the open question."""
        answer = submitted_answer(interaction.data)
        if answer is None:
            return  # not Pacer's modal
        request = await self._request(interaction, lambda: ("", answer))
        if request is not None:
            in_dm_message = interaction.message is not None and not request.in_group
            await self._serve(interaction, request, clear_buttons=in_dm_message)

    async def apologise(self, interaction: discord.Interaction[Any]) -> None:
        """Tell the member something went wrong, however far the answer got."""
        await Responder(interaction, in_guild=interaction.guild_id is not None).apologise()

    # --- the work ----------------------------------------------------------------------------

    async def _request(
        self, interaction: discord.Interaction[Any], parse: Callable[[], tuple[str, str]]
    ) -> Request | None:
        """The core request for `(command, text)` from `parse`, or None (after an apology)
        when the interaction cannot be read."""
        try:
            command, text = parse()
            return request_for(interaction, command, text)
        except Exception:
            log.exception("discord: cannot read interaction %s", interaction.id)
            await self.apologise(interaction)
            return None

    async def _serve(
        self,
        interaction: discord.Interaction[Any],
        request: Request,
        *,
        clear_buttons: bool = False,
        attachment: discord.Attachment | None = None,
    ) -> None:
        responder = Responder(interaction, in_guild=request.in_group)
        try:
            if clear_buttons:
                await responder.clear_buttons()  # acknowledges the press at once
            work = asyncio.create_task(self._handle(request, attachment),
                                       name="pacer-discord-handle")
            self._work.add(work)
            work.add_done_callback(self._work.discard)
            if not responder.acknowledged:
                await self._in_time(responder, request, work)
            replies = await work
            messages = [
                (message, ephemeral_for(request, reply, self.pacer.commands))
                for reply in replies
                for message in render_reply(reply)
            ]
            await responder.send(messages)
        except Exception:
            log.exception("discord: interaction %s (/%s) failed", interaction.id, request.command)
            await responder.apologise()

    async def _handle(
        self, request: Request, attachment: discord.Attachment | None
    ) -> list[Reply]:
        if attachment is not None:  # fetched after the answer was deferred
            request = replace(request, upload=await upload_of(attachment))
        return await self.pacer.handle(request)

    async def _in_time(
        self, responder: Responder, request: Request, work: asyncio.Task[list[Reply]]
    ) -> None:
        """Defer now if the work is known to be slow, or once it has run out of time."""
        if not is_slow(request.command, request.text, self.pacer.commands):
            done, _pending = await asyncio.wait({work}, timeout=self.options.answer_within)
            if done:
                return
            log.info("discord: /%s is taking a while; deferring", request.command)
        await responder.defer(ephemeral=defers_ephemeral(request, self.pacer.commands))

    async def _say(self, interaction: discord.Interaction[Any], text: str) -> None:
        responder = Responder(interaction, in_guild=interaction.guild_id is not None)
        try:
            await responder.send([(Outgoing(text), True)])
        except SEND_ERRORS as err:
            log.warning("discord: could not answer interaction %s: %s", interaction.id, err)


class Responder:
    """Sends an interaction's messages in the one order Discord accepts: the response first
    (or the deferred original, edited), then follow-ups."""

    def __init__(self, interaction: discord.Interaction[Any], *, in_guild: bool) -> None:
        self.interaction = interaction
        self.in_guild = in_guild
        self.loading = False  # a deferred "thinking…" message is waiting for its content
        self.loading_ephemeral = False

    @property
    def acknowledged(self) -> bool:
        return self.interaction.response.is_done()

    async def clear_buttons(self) -> None:
        """Remove the pressed message's buttons (this acknowledges the interaction)."""
        await self.interaction.response.edit_message(view=None)

    async def defer(self, *, ephemeral: bool) -> None:
        await self.interaction.response.defer(ephemeral=ephemeral, thinking=True)
        self.loading, self.loading_ephemeral = True, ephemeral

    async def send(self, messages: list[tuple[Outgoing, bool]]) -> None:
        """Send each `(message, ephemeral)`; with none, tidy up what the member sees."""
        if not messages:
            await self._nothing()
        for message, ephemeral in messages:
            await self._one(message, ephemeral)

    async def _one(self, message: Outgoing, ephemeral: bool) -> None:
        interaction = self.interaction
        view = build_view(message)
        files = discord_files(message.attachments)
        if not interaction.response.is_done():
            await interaction.response.send_message(
                message.content, ephemeral=ephemeral, **_extras(view, files)
            )
        elif self.loading and (self.loading_ephemeral or not ephemeral):
            self.loading = False
            edits: dict[str, Any] = {"content": message.content}
            if view is not None:
                edits["view"] = view
            if files:
                edits["attachments"] = files
            await interaction.edit_original_response(**edits)
        else:
            if self.loading:  # a public "thinking…" cannot turn private: replace it
                self.loading = False
                await interaction.delete_original_response()
            await interaction.followup.send(
                ephemeral=ephemeral, **_extras(view, files), **_content(message.content)
            )

    async def _nothing(self) -> None:
        """No replies (e.g. an interaction handled before): leave nothing hanging."""
        if self.loading:
            self.loading = False
            await self.interaction.delete_original_response()
        elif not self.acknowledged and self.interaction.type is discord.InteractionType.component:
            await self.interaction.response.defer()

    async def apologise(self) -> None:
        try:
            if not self.acknowledged:
                await self.interaction.response.send_message(SORRY, ephemeral=True)
            elif self.loading:
                self.loading = False
                await self.interaction.edit_original_response(content=SORRY)
            else:
                await self.interaction.followup.send(SORRY, ephemeral=self.in_guild)
        except SEND_ERRORS as err:
            log.warning("discord: could not apologise for %s: %s", self.interaction.id, err)


def _extras(view: discord.ui.View | None, files: list[discord.File]) -> dict[str, Any]:
    """Optional send arguments: discord.py wants them absent rather than None."""
    extras: dict[str, Any] = {}
    if view is not None:
        extras["view"] = view
    if files:
        extras["files"] = files
    return extras


def _content(content: str | None) -> dict[str, Any]:
    return {} if content is None else {"content": content}
