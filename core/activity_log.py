"""Logging a run from an activity file: the `/done` path, plus splits and best efforts.

- The same run twice (the same start time, to the second: the same file, or its GPX and its
  FIT) is "already logged".
- A run logged by hand the same local day with a similar distance and time (within
  `SIMILAR`) is matched, not doubled: the file's summary waits and the runner chooses which
  figures to keep (`/import keep N` or `/import mine N`, offered as buttons).
- Otherwise the run is logged as `/done` would log it (`core.commands.done.log_entry`: plan
  session, streak, guardrails, races and time trials), its summary is stored, and its best
  efforts go to the personal-bests store (`core.results.record_efforts`).
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from core.activity.efforts import EFFORT_NAMES
from core.activity.summary import Activity
from core.clubs.totals import RUN_METRICS, refresh_runner, runner_challenges
from core.commands.base import Context, UserError
from core.commands.done import log_entry, when
from core.grammar import RunEntry
from core.logbook import logs_on, refresh_streak
from core.messages import Choice, Reply
from core.results import Effort, record_efforts
from core.storage.activities import (
    NewActivity,
    StoredActivity,
    activity_by_id,
    activity_starting,
    add_activity,
    delete_activity,
    link_to_log,
    logs_with_activity,
    set_log_figures,
)
from core.storage.logbook import StoredLog
from core.text import clock, describe_run, format_distance, run_time
from core.units import METRES_PER_UNIT

SIMILAR = 0.10


def new_activity(activity: Activity, day: date, source: str) -> NewActivity:
    """The row to store for `activity`: summary, splits and best efforts (no track)."""
    return NewActivity(
        started_at=activity.started_at.replace(microsecond=0),
        local_date=day,
        file_format=activity.file_format,
        distance_m=round(activity.distance_m, 1),
        elapsed_s=round(activity.elapsed_s, 1),
        moving_s=round(activity.moving_s, 1),
        elevation_gain_m=None if activity.elevation_gain_m is None
        else round(activity.elevation_gain_m, 1),
        avg_heart_rate=activity.avg_heart_rate,
        split_unit=activity.split_unit,
        splits=[[round(s.distance_m, 1), round(s.seconds, 1)] for s in activity.splits],
        best_efforts=[
            {"distance_m": e.distance_m, "seconds": round(e.seconds, 1),
             "start_m": round(e.start_m, 1)}
            for e in activity.efforts
        ],
        source=source,
    )


def local_day(activity: Activity, tz: str) -> date:
    return activity.started_at.astimezone(ZoneInfo(tz)).date()


def similar(log: StoredLog, activity: Activity) -> bool:
    """A hand-logged run that is probably this file's run: every figure both have agrees
    within `SIMILAR` (a log with neither figure matches nothing)."""
    pairs = [(log.distance_m, activity.distance_m), (log.minutes, activity.moving_s / 60)]
    known = [(mine, theirs) for mine, theirs in pairs if mine]
    return bool(known) and all(abs(theirs - mine) <= SIMILAR * mine for mine, theirs in known)


async def log_activity(ctx: Context, activity: Activity, note: str = "") -> list[Reply]:
    """Log `activity` for the runner of `ctx` (module docstring); `note`: what the runner
    wrote with the file (a Telegram caption), kept as the run's note."""
    runner, uow = ctx.runner, ctx.uow
    day = local_day(activity, runner.tz)
    known = await activity_starting(uow, runner.id, activity.started_at.replace(microsecond=0))
    if known is not None:
        if known.matched_log_id is not None:
            return [await _ask(ctx, known)]
        raise UserError(
            f"Already logged — that run {when(day, ctx.today)} "
            f"({describe_run(known.moving_s / 60, known.distance_m, runner.units)}) is in your "
            "log. /undo if you want it out."
        )
    new = new_activity(activity, day, ctx.request.platform.value)
    hand_logged = await _hand_logged(ctx, day)
    match = next((log for log in hand_logged if similar(log, activity)), None)
    if match is not None:
        waiting = await add_activity(uow, runner.id, new, ctx.now, matched_log_id=match.id)
        return [await _ask(ctx, waiting)]
    entry = RunEntry(day, round(activity.moving_s / 60, 2), round(activity.distance_m, 1),
                     note, as_planned=False)
    log, lines = await log_entry(ctx, entry)
    await add_activity(uow, runner.id, new, ctx.now, run_log_id=log.id)
    lines += detail_lines(new, runner.units, activity.smoothed_points)
    lines += await _record(ctx, activity, day, log.id)
    return [Reply("\n".join(lines))]


async def keep(ctx: Context, activity_id: int, *, file: bool) -> Reply:
    """The runner's answer to a match: keep the file's figures (`file`) or their own."""
    runner, uow = ctx.runner, ctx.uow
    waiting = await activity_by_id(uow, runner.id, activity_id)
    if waiting is None or waiting.matched_log_id is None:
        raise UserError("That question is already answered — nothing to change.")
    log_id = waiting.matched_log_id
    when_text = when(waiting.local_date, ctx.today)
    if not file:
        await delete_activity(uow, waiting.id)
        return Reply(f"✓ Kept your own log {when_text}; the file's figures are dropped.")
    minutes = round(waiting.moving_s / 60, 2)
    await set_log_figures(uow, log_id, minutes, waiting.distance_m)
    await link_to_log(uow, waiting.id, log_id)
    challenges = await runner_challenges(uow, runner.id)
    await refresh_runner(uow, runner.id, ctx.now, metrics=RUN_METRICS, within=challenges)
    await refresh_streak(uow, runner, ctx.now)
    what = describe_run(minutes, waiting.distance_m, runner.units)
    lines = [f"✓ Kept the file's figures {when_text}: {what}",
             *detail_lines(waiting.summary, runner.units)]
    efforts = [Effort(e["distance_m"], e["seconds"], "best_effort")
               for e in waiting.best_efforts]
    outcome = await record_efforts(uow, runner, efforts, waiting.local_date,
                                   waiting.file_format, log_id, today=ctx.today, now=ctx.now)
    return Reply("\n".join([*lines, *outcome.lines]))


async def _hand_logged(ctx: Context, day: date) -> list[StoredLog]:
    logs = await logs_on(ctx.uow, ctx.runner.id, day)
    from_files = await logs_with_activity(ctx.uow, [log.id for log in logs])
    return [log for log in logs if log.id not in from_files]


async def _ask(ctx: Context, waiting: StoredActivity) -> Reply:
    runner = ctx.runner
    logs = await logs_on(ctx.uow, runner.id, waiting.local_date)
    mine = next((log for log in logs if log.id == waiting.matched_log_id), None)
    mine_text = "a run" if mine is None else describe_run(mine.minutes, mine.distance_m,
                                                           runner.units)
    theirs = describe_run(waiting.moving_s / 60, waiting.distance_m, runner.units)
    return Reply(
        f"You logged {mine_text} by hand {when(waiting.local_date, ctx.today)}. This file "
        f"looks like the same run: {theirs}. Which should I keep?",
        choices=((Choice("Keep the file's", f"/import keep {waiting.id}"),
                  Choice("Keep mine", f"/import mine {waiting.id}")),),
    )


async def _record(ctx: Context, activity: Activity, day: date, log_id: int) -> list[str]:
    efforts = [Effort(e.distance_m, e.seconds, "best_effort") for e in activity.efforts]
    outcome = await record_efforts(ctx.uow, ctx.runner, efforts, day, activity.file_format,
                                   log_id, today=ctx.today, now=ctx.now)
    return list(outcome.lines)


def detail_lines(summary: NewActivity, units: str, smoothed: int = 0) -> list[str]:
    """Moving/elapsed time, climb, heart rate, the splits and the fastest segments."""
    facts = [f"moving {run_time(summary.moving_s / 60)}"]
    if abs(summary.elapsed_s - summary.moving_s) >= 30:
        facts.append(f"elapsed {run_time(summary.elapsed_s / 60)}")
    if summary.elevation_gain_m:
        facts.append(f"climb {summary.elevation_gain_m:.0f} m")
    if summary.avg_heart_rate is not None:
        facts.append(f"avg HR {summary.avg_heart_rate}")
    lines = ["⏱ " + " · ".join(facts)]
    if summary.splits:
        lines.append(f"Splits per {summary.split_unit}: " + split_text(summary, units))
    for effort in summary.best_efforts:
        lines.append(
            f"⚡ Fastest {EFFORT_NAMES[effort['distance_m']]} in this run: "
            f"{clock(effort['seconds'])} (from {format_distance(effort['start_m'], units)})"
        )
    if smoothed:
        lines.append(f"(Smoothed away {smoothed} GPS spike point(s).)")
    return lines


def split_text(summary: NewActivity, units: str) -> str:
    parts: list[str] = []
    unit_m = METRES_PER_UNIT[summary.split_unit]
    for metres, seconds in summary.splits:
        text = clock(seconds)
        if metres < unit_m - 0.5:
            text = f"{format_distance(metres, units)} {text}"
        parts.append(text)
    return " · ".join(parts)


def parse_choice(text: str) -> tuple[str, int] | None:
    """`keep 12` / `mine 12` → ("keep", 12)."""
    words = text.split()
    if len(words) == 2 and words[0].lower() in ("keep", "mine") and words[1].isdigit():
        return words[0].lower(), int(words[1])
    return None
