"""/help: the commands with examples, from the command table the dispatcher was given.

Examples with a date are written from the runner's today ({race} eight weeks on, {month_end}
the end of next month), so /help never suggests a race that is already over.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.commands.base import Context
from core.messages import Reply


def example_dates(today: date) -> dict[str, str]:
    """The dates /help's examples use: a race eight weeks on (a Saturday) and next month."""
    race = today + timedelta(weeks=8)
    race += timedelta(days=(5 - race.weekday()) % 7)
    first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    month_end = (first_of_next + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return {"race": race.isoformat(), "month": f"{first_of_next:%B}",
            "month_end": month_end.isoformat()}


async def handle(ctx: Context) -> Reply:
    return Reply(ctx.commands.help_text(example_dates(ctx.today)))
