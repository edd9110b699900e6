"""The dispatcher: one request in, replies out, in one unit of work.

Every command runs inside a single transaction together with the record of the platform update
it came from, so a re-delivered update is recognised and never applied twice, and a failure
leaves nothing half-written. Errors become friendly replies: no traceback ever reaches a chat.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core import log_context, open_question
from core.clock import Clock
from core.commands.base import Context, UserError
from core.commands.table import COMMANDS, Command, CommandTable
from core.messages import Reply, Request
from core.observe import NULL_OBSERVER, Observer, UpdateOutcome
from core.runners import runner_for_request
from core.storage.errors import Conflict
from core.storage.runners import Runner
from core.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from core.text import SORRY_NOTHING_SAVED
from core.text_safety import clean_text

log = logging.getLogger(__name__)

class Pacer:
    """The application service every adapter talks to."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        bot_name: str = "Pacer",
        commands: CommandTable = COMMANDS,
        observer: Observer = NULL_OBSERVER,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.bot_name = bot_name
        self.commands = commands
        self.observer = observer

    async def handle(self, req: Request) -> list[Reply]:
        """Handle one request; returns the replies (empty for an already-handled update).

        The observer hears of each one: its command, how it ended and how long it took. Names
        and text lose control and bidi override characters first (`core.text_safety`).
        """
        req = replace(
            req, command=clean_text(req.command), text=clean_text(req.text),
            display_name=clean_text(req.display_name), chat_title=clean_text(req.chat_title),
        )
        started = time.perf_counter()
        outcome: list[UpdateOutcome] = ["ok"]
        label = self._command_label(req.command)
        with log_context.bound(
            platform=req.platform.value, update_id=req.update_id, command=label
        ):
            try:
                return await self._handle_observed(req, outcome)
            finally:
                seconds = time.perf_counter() - started
                self.observer.update_handled(req.platform.value, label, outcome[0], seconds)
                log.info("update handled (%s): %s in %.1f ms", label, outcome[0],
                         seconds * 1000, extra={"duration": seconds})

    def _command_label(self, command: str) -> str:
        """The command as a metrics label: known commands by their name (aliases resolved),
        plain text as `text`, anything else as `unknown` (labels must not grow with what
        people type)."""
        if not command:
            return "text"
        found = self.commands.resolve(command)
        return found.name if found is not None else "unknown"

    async def _handle_observed(self, req: Request, outcome: list[UpdateOutcome]) -> list[Reply]:
        try:
            return await self._handle(req, outcome)
        except Conflict:
            if req.update_id is not None and await self._seen(req):
                outcome[0] = "duplicate"
                return []  # a concurrent re-delivery of the same update won the race
            log.exception("integrity error handling %s", req.command)
            outcome[0] = "error"
            return [Reply(SORRY_NOTHING_SAVED)]
        except Exception:
            log.exception("error handling /%s", req.command)
            outcome[0] = "error"
            return [Reply(SORRY_NOTHING_SAVED)]

    async def _seen(self, req: Request) -> bool:
        async with self.uow(readonly=True) as uow:
            return req.update_id is not None and await uow.updates.seen(
                req.platform.value, req.update_id
            )

    async def _handle(self, req: Request, outcome: list[UpdateOutcome]) -> list[Reply]:
        name = req.command.lower()
        spec = self.commands.resolve(name) if name else None
        if name and spec is None:
            # In a private chat it still closes an open question; group chatter (another
            # bot's command, say) never reaches the database.
            outcome[0] = "refused"
            closed = False if req.in_group else await self._remember(req)
            return [unknown_command(name, self.commands, closed)]
        async with self.uow() as uow:
            now = self.clock.now()
            if req.update_id is not None and not await _first_delivery(uow, req, now):
                outcome[0] = "duplicate"
                return []
            runner, stored = await runner_for_request(uow, req, now)
            log_context.add(runner_id=runner.id)
            ctx = Context(req, runner, uow, self.clock, self.bot_name, self.commands)
            try:
                replies = await _dispatch(ctx, spec)
            except UserError as refusal:
                refused = refusal
                outcome[0] = "refused"
                await uow.rollback()  # nothing the refused command wrote is kept
            else:
                await uow.runners.save(runner, stored)  # no statement when nothing changed
                return replies
        await self._remember(req)
        return [Reply(str(refused))]

    async def _remember(self, req: Request) -> bool:
        """After a refusal: keep the sender (first contact) and the update id — a refusal is
        an answer too, never to be given twice — but nothing the command wrote. A command
        still closes an open question; True when it did."""
        async with self.uow() as uow:
            now = self.clock.now()
            if req.update_id is None or await _first_delivery(uow, req, now):
                runner, stored = await runner_for_request(uow, req, now)
                found = self.commands.resolve(req.command)
                name = found.name if found is not None else req.command.lower()
                closed = _close_question(runner, name)
                await uow.runners.save(runner, stored)
                return closed
        return False


async def _first_delivery(uow: UnitOfWork, req: Request, now: datetime) -> bool:
    """Record the platform update id; False when it was recorded before (a re-delivery; see
    `core.storage.processed_updates` for when a number may come back as a new update)."""
    if req.update_id is None:
        return True
    return await uow.updates.record(req.platform.value, req.update_id, now)


async def _dispatch(ctx: Context, spec: Command | None) -> list[Reply]:
    if spec is None:
        return await _plain(ctx)
    _close_question(ctx.runner, spec.name)
    if spec.needs_profile and not ctx.runner.onboarded:
        return [Reply("Let's set you up first: send /start (it takes a minute).")]
    replies = _as_list(await spec.handler(ctx))
    return [_private(r) for r in replies] if spec.personal else replies


def _close_question(runner: Runner, command: str) -> bool:
    """Any command closes an open question (except those that keep it); True when it did."""
    if runner.conversation and open_question.closed_by(runner.conversation, command):
        runner.conversation = None
        return True
    return False


async def _plain(ctx: Context) -> list[Reply]:
    """A plain line: the answer to the open question, if one is open and still fresh."""
    question = ctx.runner.conversation
    if question and open_question.expired(question, ctx.now):
        ctx.runner.conversation = None
        return [] if ctx.request.in_group else [Reply(open_question.timed_out(question))]
    return await _answer(ctx) if question else await _conversation(ctx)


async def _answer(ctx: Context) -> list[Reply]:
    """Plain text while a guided conversation is open: it is the answer to its question."""
    from core.commands.onboarding import handle_answer

    return _as_list(await handle_answer(ctx))


async def _conversation(ctx: Context) -> list[Reply]:
    if ctx.request.in_group:
        return []  # ordinary group chatter is none of our business
    return [Reply(POINTER if ctx.runner.onboarded else POINTER_NEW)]


POINTER = "I answer commands. Send /help to see them, or /today for today's session."
POINTER_NEW = "I answer commands. Send /start to set up your plan, or /help to see them all."


def unknown_command(
    name: str, commands: CommandTable = COMMANDS, closed_question: bool = False
) -> Reply:
    if name == "cancel":  # "type cancel to stop" — with a slash too
        return Reply("Cancelled — nothing was changed." if closed_question
                     else "There is nothing to cancel. Send /help to see the commands.")
    hint = commands.suggest(name)
    text = f"I don't know /{name}."
    if hint:
        text += f" Did you mean /{hint}?"
    return Reply(text + " Send /help for the list of commands.")


def _as_list(result: Reply | Sequence[Reply]) -> list[Reply]:
    return [result] if isinstance(result, Reply) else list(result)


def _private(reply: Reply) -> Reply:
    if reply.private:
        return reply
    return Reply(reply.text, reply.choices, reply.attachments, private=True)
