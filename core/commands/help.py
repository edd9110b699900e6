"""/help: the commands with examples, from the command table the dispatcher was given."""

from __future__ import annotations

from core.commands.base import Context
from core.messages import Reply


async def handle(ctx: Context) -> Reply:
    return Reply(ctx.commands.help_text())
