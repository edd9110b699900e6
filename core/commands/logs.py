"""/logs lists the last 14 days' runs with short numbers; `/undo N` removes one and `/edit N
…` fixes one. Streaks, the plan and challenge totals follow every change.

Numbers count from the newest day (1 = the latest run of the latest day), so `/logs` and the
`/undo 3` or `/edit 3` typed after it agree. A bare `/undo` still takes back the log made last
(`core.commands.done.handle_undo`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from core.clubs.totals import RUN_METRICS, refresh_runner, runner_challenges
from core.commands.base import Context, UserError
from core.commands.done import handle_undo as undo_last
from core.commands.done import logged_streak_line
from core.day_summary import day_label, day_total
from core.grammar import GrammarError, parse_done
from core.logbook import save_streak, streak_inputs
from core.messages import Reply, esc
from core.planning import replan
from core.storage.logbook import StoredLog
from core.storage.run_logs import LogChange
from core.text import describe_run, format_date

EDIT_DAYS = 14  # how far back `/logs`, `/undo N` and `/edit N` reach, today included
_NUMBER = re.compile(r"#?([0-9]+)(?=\s|$)")
EDIT_EXAMPLE = "/edit 3 5k 27:50"


async def handle(ctx: Context) -> Reply:
    """`/logs`: the recent runs, numbered, with how to fix or remove one."""
    logs = await _recent(ctx)
    if not logs:
        return Reply(
            f"No runs logged in the last {EDIT_DAYS} days. Log one with /done 25min."
        )
    lines = [f"Your runs in the last {EDIT_DAYS} days, newest first:"]
    for number, log in enumerate(logs, start=1):
        lines.append(f"{number}. {_line(log, ctx.today, ctx.runner.units)}")
    shown = min(len(logs), 3)  # an example number that is in the list
    lines.append(f"Fix one: /edit {shown} 5k 27:50 · remove one: /undo {shown}")
    return Reply("\n".join(lines))


async def handle_undo(ctx: Context) -> Reply:
    """`/undo`: remove the last log made; `/undo N`: remove run N of `/logs`."""
    text = ctx.request.text.strip()
    if not text:
        return await undo_last(ctx)
    number, rest = _number(text, "/undo 3")
    if rest:
        raise UserError(f"/undo takes only a run's number from /logs, e.g. /undo {number}.")
    log = await _numbered(ctx, number, "/undo 3")
    await ctx.uow.logs.remove(ctx.runner.id, log.id)
    units, today = ctx.runner.units, ctx.today
    lines = [
        f"↩️ Removed run {number} ({format_date(log.local_date)}): "
        f"{describe_run(log.minutes, log.distance_m, units)}."
    ]
    left = [other for other in await _recent(ctx) if other.local_date == log.local_date]
    if left:
        lines.append(f"{day_label(log.local_date, today)} now: {day_total(left, units)}.")
    lines.append(await _follow(ctx, log.local_date))
    return Reply("\n".join(lines))


async def handle_edit(ctx: Context) -> Reply:
    """`/edit N what`: run N of `/logs` becomes `what` (as `/done` reads it). Given measures
    (time, distance) replace the old ones together; a given note replaces the note; the day
    stays."""
    text = ctx.request.text.strip()
    if not text:
        raise UserError(
            f"Which run, and what was it? {EDIT_EXAMPLE} changes run 3 of /logs to 5 km in "
            "27:50."
        )
    number, rest = _number(text, EDIT_EXAMPLE)
    log = await _numbered(ctx, number, EDIT_EXAMPLE)
    today = ctx.today
    try:
        entry = parse_done(rest, today, ctx.runner.units)
    except GrammarError as err:
        raise UserError(esc(str(err).replace("/done ", f"/edit {number} "))) from err
    if entry.day != today:
        raise UserError(
            f"/edit keeps a run on its day. To move run {number} to another day, remove it "
            f"(/undo {number}) and log it again: /done {entry.day.isoformat()} 30min."
        )
    if entry.as_planned and not entry.note:
        raise UserError(
            f"Tell me what run {number} was: /edit {number} 5k 27:50, /edit {number} 40min "
            f"or /edit {number} felt strong (a new note)."
        )
    measured = not entry.as_planned
    change = LogChange(
        local_date=log.local_date,
        minutes=entry.minutes if measured else log.minutes,
        distance_m=entry.distance_m if measured else log.distance_m,
        note=entry.note or log.note,
        as_planned=log.as_planned and not measured,
    )
    units = ctx.runner.units
    was = describe_run(log.minutes, log.distance_m, units)
    now = describe_run(change.minutes, change.distance_m, units)
    if (change.minutes, change.distance_m, change.note) == (log.minutes, log.distance_m,
                                                             log.note):
        return Reply(f"Run {number} ({format_date(log.local_date)}) is already {now}.")
    await ctx.uow.logs.change(ctx.runner.id, log.id, change)
    note = f" — “{esc(change.note)}”" if change.note else ""
    lines = [f"✏️ Run {number} ({format_date(log.local_date)}) is now {now}{note}"
             + (f" (was {was})." if now != was else ".")]
    lines.append(await _follow(ctx, log.local_date))
    return Reply("\n".join(lines))


async def _recent(ctx: Context) -> list[StoredLog]:
    today = ctx.today
    first = today - timedelta(days=EDIT_DAYS - 1)
    return await ctx.uow.logs.recent(ctx.runner.id, first, today)


def _number(text: str, example: str) -> tuple[int, str]:
    match = _NUMBER.match(text)
    if match is None:
        raise UserError(
            f"Start with the run's number from /logs, e.g. {example}. Send /logs to see them."
        )
    return int(match.group(1)), text[match.end() :].strip()


async def _numbered(ctx: Context, number: int, example: str) -> StoredLog:
    logs = await _recent(ctx)
    if not logs:
        raise UserError(f"You have no runs in the last {EDIT_DAYS} days to change.")
    if not 1 <= number <= len(logs):
        command = example.split()[0]
        if len(logs) == 1:
            raise UserError(
                f"There's no run {number}: your one run of the last {EDIT_DAYS} days is run 1 "
                f"({command} 1). Send /logs to see it."
            )
        raise UserError(
            f"There's no run {number}: /logs numbers your last {EDIT_DAYS} days' runs 1 to "
            f"{len(logs)}. Send /logs to see them."
        )
    return logs[number - 1]


async def _follow(ctx: Context, day: date) -> str:
    """After a run changed or went: challenge totals, the plan (for a past day) and the streak
    follow. The streak is counted from the plan start, so its checkpoint is rebuilt even when
    the changed run is older than it (an edit keeps the log's id, which the checkpoint's check
    cannot see)."""
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    challenges = await runner_challenges(uow, runner.id)
    await refresh_runner(uow, runner.id, ctx.now, metrics=RUN_METRICS, within=challenges)
    if day < today:
        await replan(uow, runner, today, ctx.now)
    inputs = await streak_inputs(uow, runner, ctx.now)
    report = inputs.report()
    state = await save_streak(uow, runner.id, inputs, report, ctx.now, challenges)
    return logged_streak_line(report, state)


def _line(log: StoredLog, today: date, units: str) -> str:
    what = describe_run(log.minutes, log.distance_m, units)
    if log.as_planned:
        what = f"as planned · {what}"
    note = f" — “{esc(log.note)}”" if log.note else ""
    return f"{day_label(log.local_date, today)} · {what}{note}"
