"""/stats: weekly volume, the 80/20 split, sleep and the streak, with a chart."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from core.charts import weekly_chart
from core.commands.base import Context
from core.messages import Attachment, Reply
from core.stats import (
    EASY_TARGET,
    SLEEP_TARGET_HOURS,
    LoggedRun,
    RunCount,
    SleepSummary,
    Split,
    StatsReport,
    WeekStats,
    build_report,
    runs_against_plan,
    week_mondays,
)
from core.storage.unit_of_work import UnitOfWork
from core.text import format_minutes, format_total_distance, plural, short_date, streak_line
from core.units import monday_of

HARD_HEAVY_BELOW = 0.75  # some slack around 80/20 before calling a week hard-heavy

NO_RUNS_YET = (
    "No runs logged yet, so there is nothing to chart. Log one with /done (as planned) or "
    "/done 25min, and /stats will show your weekly volume, the 80/20 split and your sleep."
)


async def handle(ctx: Context) -> Reply:
    """The runner's recent weeks as text, with a chart once there is something to draw."""
    runner = ctx.runner
    today = ctx.today
    first_log = await ctx.uow.logs.first_day(runner.id)
    streak = await ctx.uow.streaks.figures(runner.id)
    current = streak.current if streak else 0
    best = max(streak.best, current) if streak else 0  # never show a best below the current
    starts = [d for d in (first_log, runner.plan_start) if d is not None]
    started = min(starts) if starts else None
    mondays = week_mondays(today, started)
    first_day = min(mondays[0], today - timedelta(days=6))  # the sleep window may reach back
    runs, planned, sleep = await _load(ctx.uow, runner.id, first_day, mondays[-1])
    report = build_report(today, runs, planned, sleep, started)

    if first_log is None:
        lines = [NO_RUNS_YET]
        if report.sleep.nights:
            lines.append(_sleep_line(report.sleep))
        lines.append(_streak_line(current, best))
        return Reply("\n\n".join(lines), private=True)

    units = "mi" if runner.units == "mi" else "km"
    text = render(report, units, current, best)
    attachments: tuple[Attachment, ...] = ()
    # The chart starts at the runner's first week: no empty bars from before they began.
    weeks = [w for w in report.weeks if started is None or w.monday >= monday_of(started)]
    if any(w.minutes > 0 or w.sleep_average is not None for w in weeks):
        png = await asyncio.to_thread(weekly_chart, weeks)  # keeps the event loop free
        attachments = (Attachment("stats.png", png, "image/png"),)
    return Reply(text, attachments=attachments, private=True)


async def _load(
    uow: UnitOfWork, runner_id: int, first: date, last_monday: date
) -> tuple[list[LoggedRun], list[date], dict[date, float]]:
    last = last_monday + timedelta(days=6)
    logs = await uow.logs.efforts_between(runner_id, first, last)
    runs = [LoggedRun(r.local_date, r.minutes, r.distance_m, r.intensity == "hard") for r in logs]
    planned = await uow.plans.run_days_between(runner_id, first, last)
    nights = await uow.sleep.nights_between(runner_id, first, last)
    return runs, planned, nights


def render(report: StatsReport, units: str, current: int, best: int) -> str:
    """The /stats text: one line per week since the runner started, then effort, sleep and
    streak."""
    weeks = report.active_weeks
    heading = f"Your last {len(weeks)} weeks" if len(weeks) > 1 else "Your first week"
    lines = [f"<b>{heading}</b>"]
    this_monday = report.weeks[-1].monday
    lines += [_week_line(w, units, w.monday == this_monday) for w in weeks]
    lines += ["", _split_line(report.split), _sleep_line(report.sleep),
              _streak_line(current, best)]
    return "\n".join(lines)


def _week_line(week: WeekStats, units: str, is_current: bool) -> str:
    label = "This week" if is_current else f"Week of {short_date(week.monday)}"
    parts = [format_minutes(week.minutes)]
    if week.distance_m > 0:
        parts.append(format_total_distance(week.distance_m, units))
    if week.planned_runs:
        count = RunCount(week.sessions_done, week.extra_runs)
        runs = runs_against_plan(count, week.planned_runs)  # as /week counts them
        parts.append(runs + (" so far" if is_current else ""))
    else:
        parts.append(plural(week.runs, "run"))
    if week.minutes > 0 and week.hard_minutes > 0:
        parts.append(f"{format_minutes(week.hard_minutes)} hard")
    return f"{label}: " + " · ".join(parts)


def _split_line(split: Split) -> str:
    share = split.easy_share
    if share is None:
        return "<b>Effort</b>: no run times logged yet — add a duration, e.g. /done 25min."
    easy = round(share * 100)
    text = f"<b>Effort</b>: {easy}% easy · {100 - easy}% hard (target 80/20)"
    if share < HARD_HEAVY_BELOW:
        return text + (" — more hard running than 80/20 suggests: keep easy runs truly "
                       "conversational so the hard ones can be hard.")
    if share >= EASY_TARGET or split.hard_minutes == 0:
        return text + " — well balanced."
    return text + " — close to the target."


def _sleep_line(sleep: SleepSummary) -> str:
    if sleep.average is None:
        return "<b>Sleep</b>: nothing logged in the last 7 nights — try /sleep 7.5h each morning."
    text = (f"<b>Sleep</b>, last 7 nights: {sleep.average:.1f} h average over "
            f"{plural(sleep.nights, 'night')} logged")
    if sleep.short_nights:
        text += f", {sleep.short_nights} under {SLEEP_TARGET_HOURS:.0f} h"
    if sleep.average < SLEEP_TARGET_HOURS:
        text += ". Aim for 7–9 h: sleep is when training turns into fitness."
    return text + ("" if text.endswith(".") else ".")


def _streak_line(current: int, best: int) -> str:
    line = streak_line(current, best)
    return f"{line} — today is a good day to start one." if current == 0 else line
