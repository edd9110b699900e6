"""Every chat command in one table: its handler, its help, where it is offered, who sees it.

The dispatcher (`core.app.Pacer`, which is given a table), `/help`, Telegram's command menus
and Discord's slash commands all read this table, so a command is described once. Privacy is
decided here for every platform alike: a *personal* command's replies are about one runner,
so in a group chat or server channel they reach only that runner (Telegram: their private
chat, with a short note in the group; Discord: an ephemeral reply).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from core.commands import (
    activity,
    challenge,
    deleteme,
    done,
    export,
    help,
    logs,
    onboarding,
    pace,
    pr,
    race,
    skip,
    sleep,
    stats,
    streak,
    today,
    week,
)
from core.commands.base import Handler


@dataclass(frozen=True)
class Command:
    """One chat command."""

    name: str
    handler: Handler
    summary: str  # one line for /help and the platforms' menus
    example: str  # shown in /help
    needs_profile: bool = False  # refused with a pointer to /start until onboarding is done
    personal: bool = True  # replies about one runner: only they see them in a group
    in_private: bool = True  # offered in private chats (club business is for groups only)
    in_groups: bool = False  # offered in group chats' command menus too
    slow: bool = False  # a chart or a file: platforms with a deadline answer "working on it"
    text_option: str | None = None  # the name of its one free-text argument, if it has one


@dataclass(frozen=True)
class CommandTable:
    """The commands in the order /help lists them, and the other names they answer to."""

    commands: Sequence[Command]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [c.name for c in self.commands]
        if len(set(names)) != len(names):
            raise ValueError("a command name appears twice")
        unknown = set(self.aliases.values()) - set(names)
        if unknown:
            raise ValueError(f"aliases for unknown commands: {sorted(unknown)}")

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.commands)

    def resolve(self, name: str) -> Command | None:
        """The command called `name` (or one of its aliases), any case."""
        name = name.lower()
        wanted = self.aliases.get(name, name)
        return next((c for c in self.commands if c.name == wanted), None)

    def is_personal(self, name: str) -> bool:
        """Unknown names count as personal: nothing is shown to a group by mistake."""
        found = self.resolve(name)
        return found is None or found.personal

    def suggest(self, name: str) -> str | None:
        """The closest real command to a mistyped one."""
        close = difflib.get_close_matches(name.lower(), self.names, n=1, cutoff=0.6)
        return close[0] if close else None

    def replacing(self, name: str, handler: Handler) -> CommandTable:
        """The same table with `name` served by `handler` (tests: a failing or long reply)."""
        swapped = [replace(c, handler=handler) if c.name == name else c for c in self.commands]
        return replace(self, commands=tuple(swapped))

    def help_text(self, dates: Mapping[str, str]) -> str:
        """The commands with their examples, dated examples filled in from `dates`
        (`core.commands.help.example_dates`)."""
        lines = ["<b>Pacer</b> coaches you to run a mile: a first mile, a faster mile, or a PR.",
                 ""]
        for c in self.commands:
            lines.append(f"/{c.name} — {c.summary}\n    <i>{c.example.format(**dates)}</i>")
        return "\n".join(lines)


COMMANDS = CommandTable(
    (
        Command(
            "start", onboarding.handle_start, "set up your plan (guided, or in one line)",
            "/start level=beginner days=3 time=07:00 tz=Europe/Berlin units=km mile=9:30 "
            "goal=8:00",
        ),
        Command("today", today.handle, "today's session, with paces and a tip", "/today",
                needs_profile=True, in_groups=True),
        Command("week", week.handle, "this week's plan and what is done", "/week",
                needs_profile=True),
        Command("done", done.handle, "log a run — or send your watch's GPX, FIT or TCX file",
                "/done · /done 25min · /done 5k 28:30 · /done yesterday 30min",
                needs_profile=True, in_groups=True, text_option="what"),
        Command("import", activity.handle, "log a run from an activity file (GPX, FIT, TCX)",
                "send the file · /import PATH in the console", needs_profile=True, slow=True),
        Command("undo", logs.handle_undo, "remove your last log, or run N of /logs",
                "/undo · /undo 3", needs_profile=True),
        Command("logs", logs.handle, "your runs of the last 14 days, numbered", "/logs",
                needs_profile=True),
        Command("edit", logs.handle_edit, "fix run N of /logs",
                "/edit 3 5k 27:50 · /edit 3 felt strong", needs_profile=True),
        Command("skip", skip.handle, "skip today's session; the plan adapts",
                "/skip sore calves", needs_profile=True, in_groups=True, text_option="reason"),
        Command("sleep", sleep.handle, "log last night's sleep (or an earlier night's)",
                "/sleep 7.5h · /sleep yesterday 7h", needs_profile=True),
        Command("streak", streak.handle, "current and best streak, and which days counted",
                "/streak", needs_profile=True, in_groups=True),
        Command("stats", stats.handle, "weekly volume, 80/20 split and sleep, with a chart",
                "/stats", needs_profile=True, in_groups=True, slow=True),
        Command("pr", pr.handle, "your personal bests, current mile and next goal", "/pr",
                needs_profile=True),
        Command("race", race.handle, "set a race: race week and race day follow",
                "/race {race} goal 6:45 start 09:30", needs_profile=True),
        Command("settings", onboarding.handle_settings,
                "reminder time, time zone, units, level, quiet mode",
                "/settings time=06:30 tz=America/New_York quiet=on"),
        Command("challenge", challenge.handle, "club challenges in a group or server",
                "/challenge new {month}-Miles metric=distance until={month_end} · join · board",
                personal=False, in_private=False, in_groups=True),
        Command("pace", pace.handle, "lap splits for a mile goal", "/pace 7:30",
                personal=False, in_groups=True, text_option="goal"),
        Command("export", export.handle,
                "your data (JSON, CSV) and your plan as a calendar file", "/export", slow=True),
        Command("deleteme", deleteme.handle, "erase everything Pacer knows about you",
                "/deleteme"),
        Command("help", help.handle, "this list", "/help", personal=False, in_groups=True),
    ),
    aliases={"rest": "skip", "log": "done", "stop": "deleteme", "pb": "pr", "prs": "pr"},
)
