"""The dispatcher: one request in, replies out, in one unit of work.

Every command runs inside a single transaction together with the record of the platform update
it came from, so a re-delivered update is recognised and never applied twice, and a failure
leaves nothing half-written. Errors become friendly replies: no traceback ever reaches a chat.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from core import log_context
from core.clock import Clock
from core.commands.base import Context, Handler, UserError
from core.messages import Reply, Request
from core.observe import NULL_OBSERVER, Observer, UpdateOutcome
from core.runners import runner_for_request
from core.storage import direct
from core.storage.models import ProcessedUpdate, UTCDateTime
from core.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and nothing was saved. Please try again in a moment."
)


@dataclass(frozen=True)
class CommandSpec:
    """Where a command's handler lives and how it may be used."""

    module: str
    function: str = "handle"
    needs_profile: bool = False  # refused with a pointer to /start until onboarding is done
    private_reply: bool = False  # personal data: kept out of group channels


COMMANDS: dict[str, CommandSpec] = {
    "start": CommandSpec("core.commands.onboarding", "handle_start"),
    "settings": CommandSpec("core.commands.onboarding", "handle_settings"),
    "help": CommandSpec("core.commands.help"),
    "today": CommandSpec("core.commands.today", needs_profile=True),
    "week": CommandSpec("core.commands.week", needs_profile=True),
    "done": CommandSpec("core.commands.done", needs_profile=True),
    "undo": CommandSpec("core.commands.done", "handle_undo", needs_profile=True),
    "skip": CommandSpec("core.commands.skip", needs_profile=True),
    "sleep": CommandSpec("core.commands.sleep", needs_profile=True),
    "streak": CommandSpec("core.commands.streak", needs_profile=True),
    "stats": CommandSpec("core.commands.stats", needs_profile=True, private_reply=True),
    "race": CommandSpec("core.commands.race", needs_profile=True),
    "pace": CommandSpec("core.commands.pace"),
    "challenge": CommandSpec("core.commands.challenge"),
    "export": CommandSpec("core.commands.export", private_reply=True),
    "deleteme": CommandSpec("core.commands.deleteme", private_reply=True),
}
ALIASES = {"rest": "skip", "log": "done", "stop": "deleteme"}


def resolve(name: str) -> CommandSpec | None:
    return COMMANDS.get(ALIASES.get(name, name))


def load_handler(spec: CommandSpec) -> Handler:
    handler: Handler = getattr(importlib.import_module(spec.module), spec.function)
    return handler


class Pacer:
    """The application service every adapter talks to."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        bot_name: str = "Pacer",
        observer: Observer = NULL_OBSERVER,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.bot_name = bot_name
        self.observer = observer

    async def handle(self, req: Request) -> list[Reply]:
        """Handle one request; returns the replies (empty for an already-handled update).

        The observer hears of each one: its command, how it ended and how long it took.
        """
        started = time.perf_counter()
        outcome: list[UpdateOutcome] = ["ok"]
        label = _command_label(req.command)
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

    async def _handle_observed(self, req: Request, outcome: list[UpdateOutcome]) -> list[Reply]:
        try:
            return await self._handle(req, outcome)
        except IntegrityError:
            if req.update_id is not None and await self._seen(req):
                outcome[0] = "duplicate"
                return []  # a concurrent re-delivery of the same update won the race
            log.exception("integrity error handling %s", req.command)
            outcome[0] = "error"
            return [Reply(SORRY)]
        except Exception:
            log.exception("error handling /%s", req.command)
            outcome[0] = "error"
            return [Reply(SORRY)]

    async def _seen(self, req: Request) -> bool:
        async with self.uow(readonly=True) as uow:
            row = await uow.session.get(ProcessedUpdate, (req.platform.value, req.update_id))
            return row is not None

    async def _handle(self, req: Request, outcome: list[UpdateOutcome]) -> list[Reply]:
        name = req.command.lower()
        spec = resolve(name) if name else None
        if name and spec is None:
            outcome[0] = "refused"
            return [unknown_command(name)]
        async with self.uow() as uow:
            now = self.clock.now()
            if req.update_id is not None and not await _first_delivery(uow, req, now):
                outcome[0] = "duplicate"
                return []
            runner = await runner_for_request(uow, req, now)
            log_context.add(runner_id=runner.id)
            ctx = Context(req, runner, uow, self.clock, self.bot_name)
            try:
                return await _dispatch(ctx, spec)
            except UserError as refusal:
                refused = refusal
                outcome[0] = "refused"
                await uow.rollback()  # nothing the refused command wrote is kept
        await self._remember(req)
        return [Reply(str(refused))]

    async def _remember(self, req: Request) -> None:
        """After a refusal: keep the sender (first contact) and the update id — a refusal is
        an answer too, never to be given twice — but nothing the command wrote."""
        async with self.uow() as uow:
            now = self.clock.now()
            if req.update_id is None or await _first_delivery(uow, req, now):
                await runner_for_request(uow, req, now)


def _command_label(command: str) -> str:
    """The command as a metrics label: known commands by their name (aliases resolved), plain
    text as `text`, anything else as `unknown` (labels must not grow with what people type)."""
    name = command.lower()
    if not name:
        return "text"
    return ALIASES.get(name, name) if resolve(name) is not None else "unknown"


async def _first_delivery(uow: UnitOfWork, req: Request, now: datetime) -> bool:
    """Record the platform update id; False when it was recorded before (a re-delivery).

    An insert that ignores conflicts is one statement; a concurrent duplicate still waits on
    the row lock and then finds it taken.
    """
    values = {"platform": req.platform.value, "update_id": req.update_id, "processed_at": now}
    return await direct.run(uow, _RECORD_UPDATE, values) > 0


_RECORD_UPDATE = direct.Statement(  # every message with an update id runs it
    "INSERT INTO processed_updates (platform, update_id, processed_at) "
    "VALUES (:platform, :update_id, :processed_at) ON CONFLICT DO NOTHING",
    params={"processed_at": UTCDateTime()},
)


async def _dispatch(ctx: Context, spec: CommandSpec | None) -> list[Reply]:
    if spec is None:
        return await _answer(ctx) if ctx.runner.conversation else await _conversation(ctx)
    if spec.needs_profile and not ctx.runner.onboarded:
        return [Reply("Let's set you up first: send /start (it takes a minute).")]
    replies = _as_list(await load_handler(spec)(ctx))
    return [_private(r) for r in replies] if spec.private_reply else replies


async def _answer(ctx: Context) -> list[Reply]:
    """Plain text while a guided conversation is open: it is the answer to its question."""
    from core.commands.onboarding import handle_answer

    return _as_list(await handle_answer(ctx))


async def _conversation(ctx: Context) -> list[Reply]:
    if ctx.request.in_group:
        return []  # ordinary group chatter is none of our business
    return [Reply("I answer commands. Send /help to see them, or /today for today's session.")]


def unknown_command(name: str) -> Reply:
    from core.commands.help import suggest

    hint = suggest(name)
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
