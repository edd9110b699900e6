"""/done logs a run (as planned, a time, a distance, a past day); /undo takes the last one back.

After a log the runner reads what was stored (in their units, with the pace when both distance
and time are known), their streak, and any training guardrail that the log first set off this
week. The plan is regenerated only when the log can change it: a run for a past day (a missed
key session may no longer need moving; a beginner's finished week may earn the next stage) or a
run on a day that had been skipped.
"""

from __future__ import annotations

from datetime import date

from core.clubs.totals import (
    RUN_METRICS,
    challenges_with_ids,
    refresh_runner,
    runner_challenges,
)
from core.commands.base import Context, UserError
from core.day_summary import more_runs_line
from core.grammar import GrammarError, RunEntry, parse_done
from core.guardrails import new_warnings
from core.logbook import (
    CachedStreak,
    NewLog,
    PlannedRow,
    StoredLog,
    StreakInputs,
    add_log,
    delete_skip,
    find_duplicate,
    last_log,
    load_logbook,
    save_streak,
    streak_inputs,
)
from core.messages import Reply, esc
from core.planning import ensure_plan, replan, requires_run
from core.results import RunToRecord, record_log, undo_result
from core.streaks import BACKFILL_WINDOW, KEPT, Status, StreakReport
from core.text import describe_run, format_date, streak_line

ALREADY_LOGGED = "Already logged — /undo if that was a mistake."


async def handle(ctx: Context) -> Reply:
    """`/done [what]`: store one run and tell the runner what it did for their streak."""
    try:
        entry = parse_done(ctx.request.text, ctx.today, ctx.runner.units)
    except GrammarError as err:
        raise UserError(esc(str(err))) from err
    _, lines = await log_entry(ctx, entry)
    return Reply("\n".join(lines))


async def log_entry(ctx: Context, entry: RunEntry) -> tuple[StoredLog, list[str]]:
    """Store `entry` (typed, or read from an activity file) like `/done` does: the stored log
    and the reply lines (logged, backfill, streak, guardrails, results)."""
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    book = await load_logbook(uow, runner, ctx.now, entry.day, settled=True)
    row = book.planned_on(entry.day)
    if row is None and entry.day == today:  # the stored plan ran out: extend it first
        await ensure_plan(uow, runner, today, ctx.now)
        book = await load_logbook(uow, runner, ctx.now, entry.day, settled=True)
        row = book.planned_on(entry.day)
    earlier = book.logs_on(entry.day)
    new = _new_log(entry, row, earlier, today, ctx.request.platform.value)
    if find_duplicate(earlier, new, ctx.now) is not None:
        raise UserError(ALREADY_LOGGED)
    if entry.as_planned and earlier:
        raise UserError(
            f"{_upper_first(_day_phrase(entry.day, today))} session is already logged. For an "
            f"extra run, tell me how long: {_example(entry.day, today)}"
        )
    challenges = await challenges_with_ids(uow, book.challenge_ids)
    log = await add_log(uow, runner.id, new, ctx.now, challenges)
    skip = book.skip_on(entry.day)
    if skip is not None:  # ran after all: the run replaces the skip
        await delete_skip(uow, skip)
    if entry.day < today or skip is not None:
        # The plan (and so the streak's inputs) may change: replan and read them again.
        await replan(uow, runner, today, ctx.now)
        inputs = await streak_inputs(uow, runner, ctx.now, settled=True)
    else:
        inputs = book.inputs.with_log(log)
    after = inputs.report()
    state = await save_streak(uow, runner.id, inputs, after, ctx.now, challenges)
    warnings = new_warnings(book.guardrail_runs(entry.day, added=log))
    lines = [_logged_line(log, row, today, runner.units)]
    backfill = _backfill_line(entry.day, book.inputs, after, today)
    if backfill:
        lines.append(backfill)
    lines.append(logged_streak_line(after, state))
    lines += [w.text for w in warnings]
    result = await record_log(  # a race or time trial: bests, paces, next goal
        uow, runner, RunToRecord(log.id, entry.day, new.minutes, new.distance_m, new.note,
                               new.as_planned, new.session_type, new.source),
        today=today, now=ctx.now,
    )
    lines += result.lines
    if earlier:  # a second run that day: say what the day holds, in case it was a correction
        lines.append(more_runs_line(entry.day, today, [*earlier, log], runner.units))
    return log, lines


async def handle_undo(ctx: Context) -> Reply:
    """`/undo`: remove the runner's most recently made log."""
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    log = await last_log(uow, runner.id)
    if log is None:
        raise UserError("Nothing to undo — you haven't logged a run yet. Log one with /done.")
    day, what = log.local_date, describe_run(log.minutes, log.distance_m, runner.units)
    restored = await undo_result(uow, runner, log.id, today=today, now=ctx.now)
    await uow.logs.remove(runner.id, log.id)
    # The run no longer counts in challenges (streak boards follow save_streak below).
    challenges = await runner_challenges(uow, runner.id)
    await refresh_runner(uow, runner.id, ctx.now, metrics=RUN_METRICS, within=challenges)
    if day < today or restored:  # restored: the mile time changed back
        await replan(uow, runner, today, ctx.now)
    inputs = await streak_inputs(uow, runner, ctx.now)
    report = inputs.report()
    state = await save_streak(uow, runner.id, inputs, report, ctx.now, challenges)
    lines = [f"↩️ Removed your run {when(day, today)}: {what}.", logged_streak_line(report, state)]
    return Reply("\n".join(lines + restored))


def _new_log(
    entry: RunEntry,
    row: PlannedRow | None,
    earlier: list[StoredLog],
    today: date,
    platform: str,
) -> NewLog:
    """Decide what to store; refuse an as-planned log that has no plan to stand on."""
    planned_run = requires_run(row)
    if entry.as_planned and (row is None or not planned_run):
        raise UserError(_nothing_planned(entry.day, row, today))
    # The first run on a planned run day is that session; anything more is an extra easy run.
    matches_plan = row is not None and planned_run and not earlier
    return NewLog(
        day=entry.day,
        minutes=float(row.minutes) if entry.as_planned and row is not None else entry.minutes,
        distance_m=entry.distance_m,
        note=entry.note,
        as_planned=entry.as_planned,
        intensity=row.intensity if matches_plan and row is not None else "easy",
        session_type=row.type if matches_plan and row is not None else None,
        source=platform,
    )


def _nothing_planned(day: date, row: PlannedRow | None, today: date) -> str:
    example = _example(day, today)
    if row is None:
        return f"There's no planned session {when(day, today)} — tell me what you ran: {example}"
    if row.type == "rest":
        subject = "Today is" if day == today else f"{format_date(day)} was"
        return f"{subject} a rest day — if you ran anyway, tell me how long: {example}"
    return (
        f"No run was planned {when(day, today)} ({esc(row.title)}) — if you ran anyway, tell me "
        f"how long: {example}"
    )


def _example(day: date, today: date) -> str:
    if day == today:
        return "/done 20min"
    if (today - day).days == 1:
        return "/done yesterday 20min"
    return f"/done {day.isoformat()} 20min"


def _day_phrase(day: date, today: date) -> str:
    if day == today:
        return "today's"
    if (today - day).days == 1:
        return "yesterday's"
    return f"{format_date(day)}'s"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def when(day: date, today: date) -> str:
    """`today`, `yesterday (Sun 1 Nov)` or `for Thu 29 Oct`, for a sentence."""
    if day == today:
        return "today"
    if (today - day).days == 1:
        return f"yesterday ({format_date(day)})"
    return f"for {format_date(day)}"


def _logged_line(log: StoredLog, row: PlannedRow | None, today: date, units: str) -> str:
    what = describe_run(log.minutes, log.distance_m, units)
    if log.as_planned and row is not None:
        what = f"{esc(row.title)} as planned · {what}"
    note = f" — “{esc(log.note)}”" if log.note else ""
    return f"✓ Logged {when(log.local_date, today)}: {what}{note}"


def _backfill_line(
    day: date, before: StreakInputs, after: StreakReport, today: date
) -> str | None:
    if day >= today:
        return None
    was, now = before.report().on(day), after.on(day)
    if was is None or now is None:
        return None  # before the plan started: stats only
    if was.status not in KEPT and now.status is Status.DONE:
        return f"That fills in {format_date(day)} — your streak is repaired."
    if now.status not in KEPT and now.late_log:
        hours = int(BACKFILL_WINDOW.total_seconds() // 3600)
        return (
            f"It counts in your stats, but it's too late to repair your streak: a missed day "
            f"can be logged up to {hours} hours after it ends."
        )
    return None


def logged_streak_line(report: StreakReport, state: CachedStreak) -> str:
    """The streak line every log and undo ends with (`core.text.streak_line`)."""
    line = streak_line(report.current, state.best)
    return f"{line} — your next planned run starts a new one." if report.current == 0 else line
