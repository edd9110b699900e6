"""/help: the commands with examples.

Examples with a date are written from the runner's today ({race} eight weeks on, {month_end}
the end of next month), so /help never suggests a race that is already over.
"""

from __future__ import annotations

import difflib
from datetime import date, timedelta

from core.commands.base import Context
from core.messages import Reply

COMMAND_HELP: tuple[tuple[str, str, str], ...] = (
    (
        "start",
        "set up your plan (guided, or in one line)",
        "/start level=beginner days=3 time=07:00 tz=Europe/Berlin units=km mile=9:30 goal=8:00",
    ),
    ("today", "today's session, with paces and a tip", "/today"),
    ("week", "this week's plan and what is done", "/week"),
    ("done", "log a run", "/done · /done 25min · /done 5k 28:30 · /done yesterday 30min"),
    ("undo", "remove your last log, or run N of /logs", "/undo · /undo 3"),
    ("logs", "your runs of the last 14 days, numbered", "/logs"),
    ("edit", "fix run N of /logs", "/edit 3 5k 27:50 · /edit 3 felt strong"),
    ("skip", "skip today's session; the plan adapts", "/skip sore calves"),
    (
        "sleep",
        "log last night's sleep (or an earlier night's)",
        "/sleep 7.5h · /sleep yesterday 7h",
    ),
    ("streak", "current and best streak, and which days counted", "/streak"),
    ("stats", "weekly volume, 80/20 split and sleep, with a chart", "/stats"),
    (
        "race",
        "set a race: race week and race day follow",
        "/race {race} goal 6:45 start 09:30",
    ),
    ("pace", "lap splits for a mile goal", "/pace 7:30"),
    (
        "settings",
        "reminder time, time zone, units, level, quiet mode",
        "/settings time=06:30 tz=America/New_York quiet=on",
    ),
    (
        "challenge",
        "club challenges in a group or server",
        "/challenge new {month}-Miles metric=distance until={month_end} · join · board",
    ),
    ("export", "your data (JSON, CSV) and your plan as a calendar file", "/export"),
    ("deleteme", "erase everything Pacer knows about you", "/deleteme"),
    ("help", "this list", "/help"),
)

NAMES = tuple(name for name, _, _ in COMMAND_HELP)


def example_dates(today: date) -> dict[str, str]:
    """The dates /help's examples use: a race eight weeks on (a Saturday) and next month."""
    race = today + timedelta(weeks=8)
    race += timedelta(days=(5 - race.weekday()) % 7)
    first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    month_end = (first_of_next + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return {"race": race.isoformat(), "month": f"{first_of_next:%B}",
            "month_end": month_end.isoformat()}


def help_text(today: date) -> str:
    lines = ["<b>Pacer</b> coaches you to run a mile: a first mile, a faster mile, or a PR.", ""]
    dates = example_dates(today)
    for name, what, example in COMMAND_HELP:
        lines.append(f"/{name} — {what}\n    <i>{example.format(**dates)}</i>")
    return "\n".join(lines)


def suggest(name: str) -> str | None:
    """The closest real command to a mistyped one."""
    close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.6)
    return close[0] if close else None


async def handle(ctx: Context) -> Reply:
    return Reply(help_text(ctx.today))
