"""/streak: current and best streak, weekly consistency, and why — the last days, one a line."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.commands.base import Context
from core.logbook import refresh_streak
from core.messages import Reply, esc
from core.planning import ensure_plan
from core.streaks import BACKFILL_WINDOW, DayResult, Status, StreakReport
from core.text import WEEKDAYS, format_date, plural, run_time, streak_line

RECENT_DAYS = 10


async def handle(ctx: Context) -> Reply:
    runner, uow = ctx.runner, ctx.uow
    await ensure_plan(uow, runner, ctx.today, ctx.now)
    report, state = await refresh_streak(uow, runner, ctx.now)
    if not report.days:
        return Reply("Your streak starts with your plan — send /today to see the first session.")
    lines = [f"<b>{streak_line(report.current, state.best)}</b>"]
    lines.append(f"📅 Weekly consistency: {_weeks(report)}")
    lines.append("\n<b>Why</b> — the last days:")
    lines += [day_line(result, report.today, runner.tz) for result in report.recent(RECENT_DAYS)]
    hours = int(BACKFILL_WINDOW.total_seconds() // 3600)
    lines.append(
        "\n<i>A streak counts the days with every planned run done; rest days keep it going "
        "once it has started. Today counts once it's done. Forgot to log? A day can be filled "
        f"in up to {hours} h after it ends.</i>"
    )
    return Reply("\n".join(lines))


def _weeks(report: StreakReport) -> str:
    if report.weeks_total == 0:
        return "no complete week yet — every planned run in a week makes one."
    in_a_row, total = plural(report.weeks_in_a_row, "week"), plural(report.weeks_total, "week")
    return f"{in_a_row} in a row with every planned run done ({total} in total)."


def day_line(result: DayResult, today: date, tz: str) -> str:
    """One day of the explanation, e.g. `Mon 2 Nov ✓ 25 min` or `Tue 3 Nov · rest`."""
    label = "Today" if result.day == today else format_date(result.day)
    status = result.status
    if status is Status.DONE:
        minutes = run_time(result.minutes) if result.minutes else "done"
        extra = "" if result.planned is not None and result.planned.requires_run else " (extra)"
        return f"{label} ✓ {minutes}{extra}"
    if status is Status.REST:
        kind = result.planned.label if result.planned is not None else "rest"
        return f"{label} · rest" if kind == "rest" else f"{label} · {esc(_words(kind))}, no run"
    if status is Status.PENDING:
        return f"{label} … pending — log it with /done"
    if status is Status.SKIPPED:
        return f"{label} ↷ skipped"
    if status is Status.UNPLANNED:
        return f"{label} · nothing planned"
    text = f"{label} ✗ missed"
    if result.late_log:
        text += " (logged too late to count)"
    elif result.repair_deadline is not None:
        hint, until = _repair_hint(result.day, today), _deadline(result.repair_deadline, tz)
        text += f" — ran? {hint} until {until}"
    return text


def _repair_hint(day: date, today: date) -> str:
    if (today - day).days == 1:
        return "/done yesterday"
    return f"/done {WEEKDAYS[day.weekday()].lower()}"


def _deadline(deadline: datetime, tz: str) -> str:
    # The window closes at an instant; the minute before it is the last one that counts.
    last = (deadline - timedelta(minutes=1)).astimezone(ZoneInfo(tz))
    return f"{format_date(last.date())} {last:%H:%M}"


def _words(kind: str) -> str:
    return kind.replace("_", " ")
