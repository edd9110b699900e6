"""What a command handler receives: the request, its runner, and the services around it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from core.clock import Clock, local_now, local_today
from core.messages import Reply, Request
from core.storage.runners import Runner
from core.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from core.commands.table import CommandTable


@dataclass
class Context:
    """Everything a handler may use. `uow` is already open; the dispatcher commits it, and
    saves `runner` when the handler changed it."""

    request: Request
    runner: Runner
    uow: UnitOfWork
    clock: Clock
    bot_name: str = "Pacer"
    commands: CommandTable = field(default_factory=lambda: _default_table())  # for /help

    @property
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def local_now(self) -> datetime:
        return local_now(self.clock, self.runner.tz)

    @property
    def today(self) -> date:
        return local_today(self.clock, self.runner.tz)


def _default_table() -> CommandTable:
    from core.commands.table import COMMANDS  # the table imports every handler module

    return COMMANDS


Handler = Callable[[Context], Awaitable[Reply | Sequence[Reply]]]


class UserError(Exception):
    """A friendly refusal: the message is shown to the runner and nothing is stored."""
