"""/help: the commands with examples."""

from __future__ import annotations

import difflib

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
    (
        "done",
        "log a run — or send your watch's GPX, FIT or TCX file",
        "/done · /done 25min · /done 5k 28:30 · /done yesterday 30min",
    ),
    ("undo", "remove your last log", "/undo"),
    ("skip", "skip today's session; the plan adapts", "/skip sore calves"),
    ("sleep", "log last night's sleep", "/sleep 7.5h · /sleep 7h30"),
    ("streak", "current and best streak, and which days counted", "/streak"),
    ("stats", "weekly volume, 80/20 split and sleep, with a chart", "/stats"),
    (
        "race",
        "set a race: race week and race day follow",
        "/race 2026-05-10 goal 6:45 start 09:30",
    ),
    ("pace", "lap splits for a mile goal", "/pace 7:30"),
    ("pr", "your personal bests, current mile and next goal", "/pr"),
    (
        "settings",
        "reminder time, time zone, units, level, quiet mode",
        "/settings time=06:30 tz=America/New_York quiet=on",
    ),
    (
        "challenge",
        "club challenges in a group or server",
        "/challenge new October-Miles metric=distance until=2026-10-31 · join · board",
    ),
    ("export", "your data (JSON, CSV) and your plan as a calendar file", "/export"),
    ("deleteme", "erase everything Pacer knows about you", "/deleteme"),
    ("help", "this list", "/help"),
)

NAMES = tuple(name for name, _, _ in COMMAND_HELP)


def help_text() -> str:
    lines = ["<b>Pacer</b> coaches you to run a mile: a first mile, a faster mile, or a PR.", ""]
    for name, what, example in COMMAND_HELP:
        lines.append(f"/{name} — {what}\n    <i>{example}</i>")
    return "\n".join(lines)


def suggest(name: str) -> str | None:
    """The closest real command to a mistyped one."""
    close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.6)
    return close[0] if close else None


async def handle(ctx: Context) -> Reply:
    return Reply(help_text())
