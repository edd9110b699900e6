"""/pace M:SS: lap splits for a mile goal (no setup needed)."""

from __future__ import annotations

from core.commands.base import Context, UserError
from core.grammar import GrammarError, parse_mile_time
from core.messages import Reply, esc
from core.training import lap_splits

EXAMPLE = "Example: <code>/pace 7:30</code>"


async def handle(ctx: Context) -> Reply:
    text = ctx.request.text.strip()
    if not text:
        raise UserError(f"Which mile time should I split? {EXAMPLE}")
    try:
        goal_s = parse_mile_time(text)
    except GrammarError as err:
        raise UserError(f"{esc(str(err))} {EXAMPLE}") from err
    return Reply(lap_splits(goal_s, "mi" if ctx.runner.units == "mi" else "km"))
