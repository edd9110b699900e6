"""The slash command tree: every Pacer command with typed options, choices and autocomplete.

The callbacks do not use their parameters: the bridge reads the options from the interaction's
raw data (`translate.command_options`), so a command's text is built the same way for every
command. The parameters exist to declare the options Discord shows.

`/challenge` is a group (`new`, `join`, `leave`, `board`, `end`, `list`, `link`, `logs`,
`remove`) available in servers only. Managing challenges needs Manage Server; that is checked
in code from the interaction's permissions (see `translate.is_admin`), since
`default_permissions` is only a hint server admins can change — and would hide `join` from
everyone else.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import discord
from discord import app_commands
from discord.app_commands import Choice

from core.commands.table import COMMANDS, Command
from core.grammar import suggest_timezones
from core.profile import LEVEL_WORDS

log = logging.getLogger(__name__)

AUTOCOMPLETE_LIMIT = 25
POPULAR_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
)
CLOCK_TIMES = tuple(f"{h:02d}:{m:02d}" for h in range(4, 23) for m in (0, 30))
METRICS = ("distance", "time", "sessions", "streak", "adherence")
HELP = {c.name: c.summary for c in COMMANDS}


class CommandHandler(Protocol):
    """The bridge the client carries (see `bot.discord.bridge.DiscordBridge`)."""

    async def on_command(self, interaction: discord.Interaction[Any]) -> None: ...

    async def on_attachment(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None: ...

    async def apologise(self, interaction: discord.Interaction[Any]) -> None: ...


def handler_of(interaction: discord.Interaction[Any]) -> CommandHandler:
    handler: CommandHandler | None = getattr(interaction.client, "bridge", None)
    if handler is None:
        raise RuntimeError("this discord client has no Pacer bridge")
    return handler


async def _run(interaction: discord.Interaction[Any]) -> None:
    await handler_of(interaction).on_command(interaction)


def describe(name: str) -> str:
    """A command's description, from the core's /help (Discord allows 100 characters)."""
    what = HELP.get(name, name)
    return (what[:1].upper() + what[1:])[:100]


class PacerTree(app_commands.CommandTree[Any]):
    """The command tree; an error outside the bridge still gets a polite answer."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        log.error(  # ids only: never what the runner typed
            "discord: /%s failed (interaction %s, channel %s, user %s)", _name(interaction),
            interaction.id, interaction.channel_id, interaction.user.id, exc_info=error,
        )
        bridge: CommandHandler | None = getattr(interaction.client, "bridge", None)
        if bridge is not None:
            await bridge.apologise(interaction)


def _name(interaction: discord.Interaction[Any]) -> str:
    command = interaction.command
    return command.qualified_name if command is not None else "?"


# --- autocomplete ------------------------------------------------------------------------------


async def timezone_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[Choice[str]]:
    """Time zones for what the member typed so far (cities or IANA names)."""
    names = suggest_timezones(current, limit=AUTOCOMPLETE_LIMIT) if current.strip() else []
    return [Choice(name=n, value=n) for n in names or POPULAR_ZONES]


async def clock_choices(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    """Half-hour times starting with what was typed ("7" → 07:00, 07:30)."""
    typed = current.strip()
    wanted = [t for t in CLOCK_TIMES if t.startswith(typed) or t.startswith("0" + typed)]
    return [Choice(name=t, value=t) for t in (wanted or list(CLOCK_TIMES))[:AUTOCOMPLETE_LIMIT]]


LEVELS = [Choice(name=words, value=level) for level, words in LEVEL_WORDS.items()]
UNITS = [Choice(name="Kilometres", value="km"), Choice(name="Miles", value="mi")]


# --- the tree ----------------------------------------------------------------------------------


def build_tree(client: discord.Client) -> PacerTree:
    """Pacer's command tree for `client` (a client holds exactly one)."""
    tree = PacerTree(client)
    _add_onboarding(tree)
    _add_training(tree)
    tree.add_command(challenge_group())
    for command in COMMANDS:  # every other command of the table, as it is typed
        if tree.get_command(command.name) is None:
            tree.add_command(_generic(command))
    return tree


def _add_onboarding(tree: PacerTree) -> None:
    @tree.command(name="start", description=describe("start"))
    @app_commands.describe(
        level="What you train for",
        days="Training days a week (3) or which ones (mon,wed,sat)",
        time="When the day's session arrives, your local time (07:00)",
        tz="Your time zone: a city or IANA name (Europe/Berlin)",
        units="Kilometres or miles",
        mile="Your current mile time, M:SS (9:30)",
        goal="The mile time you aim for, M:SS (8:00)",
    )
    @app_commands.choices(level=LEVELS, units=UNITS)
    @app_commands.autocomplete(tz=timezone_choices, time=clock_choices)
    async def start(
        interaction: discord.Interaction[Any],
        level: str | None = None,
        days: str | None = None,
        time: str | None = None,
        tz: str | None = None,
        units: str | None = None,
        mile: str | None = None,
        goal: str | None = None,
    ) -> None:
        await _run(interaction)

    @tree.command(name="settings", description=describe("settings"))
    @app_commands.describe(
        time="Reminder time, your local time (06:30)",
        tz="Time zone: a city or IANA name",
        days="Training days a week (3) or which ones (mon,wed,sat)",
        level="What you train for",
        units="Kilometres or miles",
        mile="Current mile time, M:SS (or skip)",
        goal="Goal mile time, M:SS (or skip)",
        race="Race date (2026-12-12, or off)",
        start="Race start time (09:30)",
        quiet="Quiet mode: only the daily session and race week",
        nudges="The evening nudge when a session isn't logged",
    )
    @app_commands.choices(level=LEVELS, units=UNITS)
    @app_commands.autocomplete(tz=timezone_choices, time=clock_choices, start=clock_choices)
    async def settings(
        interaction: discord.Interaction[Any],
        time: str | None = None,
        tz: str | None = None,
        days: str | None = None,
        level: str | None = None,
        units: str | None = None,
        mile: str | None = None,
        goal: str | None = None,
        race: str | None = None,
        start: str | None = None,
        quiet: bool | None = None,
        nudges: bool | None = None,
    ) -> None:
        await _run(interaction)


def _add_training(tree: PacerTree) -> None:
    @tree.command(name="done", description=describe("done"))
    @app_commands.describe(
        what="As planned if empty; or 25min · 5k 28:30 · yesterday 30min",
        file="Or your watch's activity file (GPX, FIT or TCX): logged with splits",
    )
    async def done(
        interaction: discord.Interaction[Any], what: str | None = None,
        file: discord.Attachment | None = None,
    ) -> None:
        if file is not None:
            await handler_of(interaction).on_attachment(interaction, file)
        else:
            await _run(interaction)

    @tree.command(name="import", description=describe("import"))
    @app_commands.describe(file="Your watch's or app's activity file: GPX, FIT or TCX")
    async def import_file(interaction: discord.Interaction[Any], file: discord.Attachment) -> None:
        await handler_of(interaction).on_attachment(interaction, file)

    @tree.command(name="skip", description=describe("skip"))
    @app_commands.describe(reason="Why (optional): sore calves, travel…")
    async def skip(interaction: discord.Interaction[Any], reason: str | None = None) -> None:
        await _run(interaction)

    @tree.command(name="sleep", description=describe("sleep"))
    @app_commands.describe(
        hours="Hours slept: 7.5h, 7h30 or 7:30",
        night="An earlier night, by the morning it ended: yesterday, sun (empty: last night)",
    )
    async def sleep(
        interaction: discord.Interaction[Any], hours: str, night: str | None = None
    ) -> None:
        await _run(interaction)

    @tree.command(name="undo", description=describe("undo"))
    @app_commands.describe(run="The run's number from /logs; empty removes your last log")
    async def undo(
        interaction: discord.Interaction[Any], run: app_commands.Range[int, 1] | None = None
    ) -> None:
        await _run(interaction)

    @tree.command(name="edit", description=describe("edit"))
    @app_commands.describe(
        run="The run's number from /logs",
        what="What it was, as for /done: 5k 27:50 · 40min · a new note",
    )
    async def edit(
        interaction: discord.Interaction[Any], run: app_commands.Range[int, 1], what: str
    ) -> None:
        await _run(interaction)

    @tree.command(name="race", description=describe("race"))
    @app_commands.describe(
        date="Race day (2026-05-10, sat), or off; empty shows your race",
        goal="Goal mile time, M:SS",
        start="Start time, HH:MM: the race-morning timeline counts back from it",
    )
    @app_commands.autocomplete(start=clock_choices)
    async def race(
        interaction: discord.Interaction[Any],
        date: str | None = None,
        goal: str | None = None,
        start: str | None = None,
    ) -> None:
        await _run(interaction)

    @tree.command(name="pace", description=describe("pace"))
    @app_commands.describe(goal="A mile time, M:SS (7:30)")
    async def pace(interaction: discord.Interaction[Any], goal: str) -> None:
        await _run(interaction)


def _generic(command: Command) -> app_commands.Command[Any, ..., None]:
    """A command with no options, or with its one optional free-text option (named as the
    table says, described by its example)."""
    if command.text_option is None:

        async def plain(interaction: discord.Interaction[Any]) -> None:
            await _run(interaction)

        return app_commands.Command(
            name=command.name, description=describe(command.name), callback=plain
        )

    @app_commands.rename(text=command.text_option)
    @app_commands.describe(text=command.example[:100])
    async def with_text(interaction: discord.Interaction[Any], text: str | None = None) -> None:
        await _run(interaction)

    return app_commands.Command(
        name=command.name, description=describe(command.name), callback=with_text
    )


def challenge_group() -> app_commands.Group:
    """`/challenge new|join|leave|board|end|list|link|logs|remove`, in servers only."""
    group = app_commands.Group(
        name="challenge", description=describe("challenge"), guild_only=True
    )

    @group.command(name="new", description="Start a club challenge (needs Manage Server)")
    @app_commands.describe(
        name="The challenge's name (October Miles)",
        metric="What counts; adherence is fair across levels",
        until="The last day, YYYY-MM-DD",
        goal="Each member's target (optional): 100km, 20h, 12 sessions, 80%",
        team="A target for everyone together (optional): 500km, 100h",
        tz="The club's time zone for the last day (default: yours)",
    )
    @app_commands.choices(metric=[Choice(name=m.capitalize(), value=m) for m in METRICS])
    @app_commands.autocomplete(tz=timezone_choices)
    async def new(
        interaction: discord.Interaction[Any],
        name: str,
        metric: str,
        until: str,
        goal: str | None = None,
        team: str | None = None,
        tz: str | None = None,
    ) -> None:
        await _run(interaction)

    for sub, what in (
        ("join", "Join a challenge: your runs count from now"),
        ("leave", "Leave a challenge and its boards"),
        ("board", "The leaderboard, with a chart"),
        ("end", "End a challenge: final results (needs Manage Server)"),
    ):
        group.add_command(_named(sub, what))

    @group.command(name="list", description="The challenges running in this channel")
    async def list_(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction)

    @group.command(name="link", description="Link this channel with a Telegram group's club")
    @app_commands.describe(code="The code made in the other chat; empty makes a new code")
    async def link(interaction: discord.Interaction[Any], code: str | None = None) -> None:
        await _run(interaction)

    @group.command(name="logs", description="A member's runs on the boards (Manage Server)")
    @app_commands.describe(member="The member's name, as shown on the board")
    async def logs(interaction: discord.Interaction[Any], member: str) -> None:
        await _run(interaction)

    @group.command(name="remove", description="Take a run off the boards (Manage Server)")
    @app_commands.describe(run="The run's number, from /challenge logs", reason="Why")
    async def remove(
        interaction: discord.Interaction[Any],
        run: app_commands.Range[int, 1],
        reason: str | None = None,
    ) -> None:
        await _run(interaction)

    return group


def _named(sub: str, what: str) -> app_commands.Command[Any, ..., None]:
    """A challenge subcommand taking an optional challenge name."""

    @app_commands.describe(name="Which challenge, when several are running")
    async def callback(interaction: discord.Interaction[Any], name: str | None = None) -> None:
        await _run(interaction)

    return app_commands.Command(name=sub, description=what, callback=callback)
