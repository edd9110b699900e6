"""/challenge: club challenges and leaderboards, in a group chat or server channel.

    /challenge new NAME metric=distance|time|sessions|streak|adherence until=DATE
               [goal=N] [team=N] [tz=ZONE]                      admins: start one
    /challenge list · join [N|NAME] · leave [N|NAME] · board [N|NAME]
    /challenge end [N|NAME]                                     admins: final results now
    /challenge link · link CODE                                 admins: one club, two platforms
    /challenge logs MEMBER · remove RUN_ID [reason]             admins: take a run off the boards

With one challenge running, N|NAME may be left out. `goal=` is per member, `team=` a total for
everyone together (distance, time, sessions); distances are in the admin's units unless written
with one (`team=500km`), times in hours unless written with one (`goal=20h30`).
"""

from __future__ import annotations

import re
from datetime import datetime

from core.clubs.challenges import (
    ChallengeError,
    NewChallenge,
    active_challenges,
    board_for,
    create_challenge,
    end_challenge,
    join_challenge,
    leave_challenge,
    member_counts,
    pick_challenge,
    tell_linked_channels,
)
from core.clubs.chats import (
    LINK_CODE_TTL,
    LinkError,
    club_for_channel,
    issue_link_code,
    link_channel,
)
from core.clubs.figures import join_day, zone
from core.clubs.moderation import find_member, member_runs, remove_run
from core.clubs.ranking import METRICS, Metric, format_figure
from core.clubs.replies import board_reply, final_reply, goal_text, headline
from core.commands.base import Context, UserError
from core.grammar import (
    GrammarError,
    parse_date,
    parse_distance,
    parse_duration,
    parse_key_values,
    resolve_timezone,
)
from core.messages import Choice, Platform, Reply, esc
from core.storage.club_values import StoredClub, StoredRun
from core.text import format_date, plural

PRIVATE_ONLY = (
    "Challenges live in your club's group or server channel: add me there and send "
    "/challenge. Here in private I keep your own training — /today, /done, /streak."
)
CONSOLE_CLUB = (
    "To try a club in the terminal: <code>pacer run --console --user NAME --club CLUB</code> "
    "(NAME is its admin; lines starting <code>--as OTHER</code> are members)."
)
EXAMPLE_NEW = '/challenge new "October Miles" metric=distance until=2026-10-31 team=500'
USAGE = (
    "<b>Club challenges</b>\n"
    "/challenge list — what's running here\n"
    "/challenge join · leave · board — with a number or name when several run\n"
    "Admins:\n"
    f"<i>{esc(EXAMPLE_NEW)}</i>\n"
    f"    metrics: {', '.join(METRICS)}; optional goal= (each) and team= (together)\n"
    "/challenge end — final results now\n"
    "/challenge link — share this club with your Telegram group or Discord channel\n"
    "/challenge logs NAME · /challenge remove RUN_ID reason — take a run off the boards"
)
KEYS = ("metric", "until", "goal", "team", "tz")
_KEY_START = re.compile(r"(?:^|\s)[A-Za-z][A-Za-z0-9_-]*\s*=")
_QUOTES = "\"'“”‘’"


async def handle(ctx: Context) -> Reply:
    """Dispatch `/challenge SUBCOMMAND ...`."""
    if not ctx.request.in_group:
        if ctx.request.platform is Platform.CONSOLE:
            return Reply(PRIVATE_ONLY + "\n" + CONSOLE_CLUB)
        return Reply(PRIVATE_ONLY)
    sub, _, rest = ctx.request.text.strip().partition(" ")
    action = ACTIONS.get(sub.lower())
    if action is None:
        return Reply(USAGE if sub.lower() in ("", "help") else
                     f"I don't know /challenge {esc(sub)}.\n\n{USAGE}")
    club = await club_for_channel(ctx.uow, ctx.request, ctx.now)
    try:
        return await action(ctx, club, rest.strip())
    except (ChallengeError, LinkError) as err:
        raise UserError(str(err)) from err
    except GrammarError as err:
        raise UserError(esc(str(err))) from err


def _here(ctx: Context) -> tuple[str, str]:
    return ctx.request.platform.value, ctx.request.chat_id


def _admin_only(ctx: Context, what: str) -> None:
    if not ctx.request.is_admin:
        raise UserError(f"Only the group's admins can {what}. Ask one of them!")


# --- everyone -------------------------------------------------------------------------------


async def _list(ctx: Context, club: StoredClub, rest: str) -> Reply:
    running = await active_challenges(ctx.uow, club.id)
    if not running:
        return Reply("No challenge is running here yet. An admin can start one:\n"
                     f"<i>{esc(EXAMPLE_NEW)}</i>")
    counts = await member_counts(ctx.uow, [c.id for c in running])
    lines = ["<b>Running here</b>"]
    for number, challenge in enumerate(running, 1):
        members = counts[challenge.id]
        lines.append(f"{number}. {headline(challenge, ctx.now, icon='')} · "
                     f"{plural(members, 'member')}")
    lines.append("Join with /challenge join" + (" 1 (or its name)" if len(running) > 1 else ""))
    return Reply("\n".join(lines))


async def _join(ctx: Context, club: StoredClub, rest: str) -> Reply:
    challenge = pick_challenge(await active_challenges(ctx.uow, club.id), rest, "join")
    runner = ctx.runner
    if not await join_challenge(ctx.uow, challenge, runner.id, ctx.request.platform.value,
                                ctx.now):
        return Reply(f"You're already in <b>{esc(challenge.name)}</b> — "
                     "/challenge board shows where you stand.")
    first = join_day(ctx.now, runner.tz)
    lines = [
        f"Welcome to <b>{esc(challenge.name)}</b>, {esc(runner.display_name or 'runner')}! "
        f"Your runs count from today ({format_date(first)}) until "
        f"{format_date(challenge.ends_on)}. Log them with /done, here or in private."
    ]
    if not runner.onboarded:
        lines.append("You have no plan yet: send me /start privately to get a plan"
                     + (" — adherence is measured against it." if
                        challenge.metric == Metric.ADHERENCE else "."))
    return Reply("\n".join(lines))


async def _leave(ctx: Context, club: StoredClub, rest: str) -> Reply:
    challenge = pick_challenge(await active_challenges(ctx.uow, club.id), rest, "leave")
    if not await leave_challenge(ctx.uow, challenge, ctx.runner.id):
        return Reply(f"You're not in <b>{esc(challenge.name)}</b>.")
    return Reply(f"You've left <b>{esc(challenge.name)}</b> and are off its board. "
                 "Rejoin any time with /challenge join — runs then count from that day.")


async def _board(ctx: Context, club: StoredClub, rest: str) -> Reply:
    challenge = pick_challenge(await active_challenges(ctx.uow, club.id), rest, "board")
    board = await board_for(ctx.uow, challenge, ctx.now, ctx.runner.id)
    return board_reply(challenge, board, viewer_id=ctx.runner.id, units=ctx.runner.units,
                       now=ctx.now)


# --- admins ---------------------------------------------------------------------------------


async def _new(ctx: Context, club: StoredClub, rest: str) -> Reply:
    _admin_only(ctx, "start a challenge")
    runner = ctx.runner
    default_tz = runner.tz if runner.onboarded else "UTC"
    spec = parse_new(rest, default_tz, runner.units, ctx.now)
    today = ctx.now.astimezone(zone(spec.tz)).date()
    challenge = await create_challenge(ctx.uow, club, spec, runner.id, today, ctx.now)
    goals = goal_text(challenge, runner.units, team=True)
    lines = [
        f"🏁 New challenge: <b>{esc(challenge.name)}</b> — {spec.metric.blurb}, until "
        f"{format_date(challenge.ends_on)}.",
        *([f"<i>{goals}</i>"] if goals else []),
        f"It ends at midnight {esc(challenge.tz)} time after its last day. "
        "Runs count from the day you join: /challenge join",
    ]
    join = Choice("Join", f"/challenge join {challenge.name}")
    board = Choice("Board", f"/challenge board {challenge.name}")
    reply = Reply("\n".join(lines), choices=((join, board),))
    await tell_linked_channels(ctx.uow, club.id, _here(ctx), reply, ctx.now, kind="club_news",
                               tag=f"challenge-{challenge.id}-new")
    return reply


async def _end(ctx: Context, club: StoredClub, rest: str) -> Reply:
    _admin_only(ctx, "end a challenge")
    challenge = pick_challenge(await active_challenges(ctx.uow, club.id), rest, "end")
    ended = await end_challenge(ctx.uow, challenge, ctx.now)
    reply = final_reply(ended.challenge, ended.final, ctx.runner.units)
    await tell_linked_channels(ctx.uow, club.id, _here(ctx), reply, ctx.now, kind="club_final",
                               tag=f"challenge-{challenge.id}")
    return reply


async def _link(ctx: Context, club: StoredClub, rest: str) -> Reply:
    _admin_only(ctx, "link channels")
    if rest:
        result = await link_channel(ctx.uow, club, rest, ctx.now)
        shared = await active_challenges(ctx.uow, result.club.id)
        names = ", ".join(f"<b>{esc(c.name)}</b>" for c in shared) or "none yet"
        return Reply(f"Linked! This channel is now part of the club <b>"
                     f"{esc(result.club.name)}</b>: one leaderboard across its channels. "
                     f"Challenges running: {names}.")
    code = await issue_link_code(ctx.uow, club, ctx.now)
    other = {Platform.TELEGRAM: "your Discord channel",
             Platform.DISCORD: "your Telegram group"}.get(ctx.request.platform,
                                                            "the other channel")
    minutes = LINK_CODE_TTL.seconds // 60
    return Reply(f"Link code: <code>{code}</code> (valid {minutes} min).\n"
                 f"Paste <code>/challenge link {code}</code> in {other} (as an admin there) "
                 "to share this club's challenges and leaderboards.")


async def _logs(ctx: Context, club: StoredClub, rest: str) -> Reply:
    _admin_only(ctx, "review members' runs")
    if not rest:
        raise UserError("Whose runs? Send /challenge logs NAME (as shown on the board).")
    running = await active_challenges(ctx.uow, club.id)
    found = await find_member(ctx.uow, running, rest)
    if not found:
        raise UserError(f"No member called {esc(rest)} in the challenges running here.")
    lines = []
    for runner_id, name in found:
        runs = await member_runs(ctx.uow, running, runner_id)
        lines.append(f"<b>{esc(name)}</b> — runs that can count here, newest first:")
        lines += [_run_line(r.log, ctx.runner.units, r.removed_reason) for r in runs]
        if not runs:
            lines.append("none yet")
    lines.append("Take one off the boards: /challenge remove RUN_ID reason")
    return Reply("\n".join(lines), private=True)


async def _remove(ctx: Context, club: StoredClub, rest: str) -> Reply:
    _admin_only(ctx, "remove runs")
    number, _, reason = rest.partition(" ")
    if not number.lstrip("#").isdigit():
        raise UserError("Which run? Send /challenge remove RUN_ID reason — "
                        "/challenge logs NAME shows the ids.")
    running = await active_challenges(ctx.uow, club.id)
    removed = await remove_run(ctx.uow, running, int(number.lstrip("#")), ctx.runner.id,
                               reason.strip(), ctx.now)
    if not removed.challenges:
        names = ", ".join(esc(c.name) for c in removed.already)
        return Reply(f"Run #{removed.log.id} was already removed from {names}.")
    names = ", ".join(f"<b>{esc(c.name)}</b>" for c in removed.challenges)
    why = f" Reason: {esc(reason.strip())}." if reason.strip() else ""
    return Reply(
        f"Removed run #{removed.log.id} ({esc(removed.runner_name)}, "
        f"{_run_line(removed.log, ctx.runner.units, None, with_id=False)}) from {names}."
        f"{why} Recorded by {esc(ctx.runner.display_name or 'an admin')}."
    )


def _run_line(log: StoredRun, units: str, removed: str | None, *, with_id: bool = True) -> str:
    parts = []
    if log.distance_m is not None:
        parts.append(format_figure(Metric.DISTANCE, log.distance_m, units))
    if log.minutes is not None:
        parts.append(f"{log.minutes:g} min")
    what = " · ".join(parts) or "as planned"
    text = f"{format_date(log.local_date)} — {what}"
    if with_id:
        text = f"#{log.id} {text}"
    if removed is not None:
        text += f" · <i>removed{': ' + esc(removed) if removed else ''}</i>"
    return text


# --- parsing `new` --------------------------------------------------------------------------


def parse_new(text: str, default_tz: str, units: str, now: datetime) -> NewChallenge:
    """`NAME metric=... until=... [goal=] [team=] [tz=]` -> NewChallenge. Raises UserError
    (GrammarError for unreadable values)."""
    found = _KEY_START.search(text)
    name_part, settings = (text, "") if found is None else (text[:found.start()],
                                                            text[found.start():])
    name = " ".join(name_part.strip().strip(_QUOTES).split())
    values = parse_key_values(settings) if settings.strip() else {}
    unknown = [k for k in values if k not in KEYS]
    if unknown:
        raise UserError(f"I don't know the setting {esc(unknown[0])}= — use metric=, until=, "
                        f"goal=, team= or tz=. Example: <i>{esc(EXAMPLE_NEW)}</i>")
    if not name or "metric" not in values or "until" not in values:
        raise UserError(f"A challenge needs a name, metric= and until=. Example: "
                        f"<i>{esc(EXAMPLE_NEW)}</i>")
    try:
        metric = Metric(values["metric"].lower())
    except ValueError:
        raise UserError(f"metric= is one of {', '.join(METRICS)} — adherence (share of "
                        "one's own planned runs done) is fair across levels.") from None
    tz = resolve_timezone(values["tz"]) if "tz" in values else default_tz
    ends_on = parse_date(values["until"], now.astimezone(zone(tz)).date())
    goal = _amount(metric, values["goal"], units) if "goal" in values else None
    team = _amount(metric, values["team"], units) if "team" in values else None
    return NewChallenge(name, metric, ends_on, tz, goal, team)


def _amount(metric: Metric, raw: str, units: str) -> float:
    """A goal in the metric's stored unit (metres, minutes, count, days, percent)."""
    text = raw.strip().lower()
    if metric is Metric.DISTANCE:
        return parse_distance(text, units)
    if metric is Metric.TIME:
        number = _number(text)
        return number * 60 if number is not None else parse_duration(text) / 60
    number = _number(text.rstrip("%").strip())
    if number is None or number <= 0 or (metric is not Metric.ADHERENCE and number % 1):
        raise UserError(f"goal= and team= take a whole number for {metric.value}.")
    if metric is Metric.ADHERENCE and number > 100:
        raise UserError("An adherence goal is a share: at most 100%.")
    return number


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if value > 0 and value < 1e6 else None


ACTIONS = {
    "list": _list, "join": _join, "leave": _leave, "board": _board, "new": _new,
    "end": _end, "link": _link, "logs": _logs, "remove": _remove,
}
