"""/week: this calendar week (Mon–Sun, the runner's local days), planned and done."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from core.commands.base import Context
from core.messages import Reply, esc
from core.planning import ensure_plan, planned_between, requires_run, week_bounds
from core.stats import count_runs, runs_against_plan
from core.storage.plans import StoredDay
from core.text import WEEKDAYS, format_date, format_minutes, plural, run_time


@dataclass(frozen=True)
class DayStatus:
    """One line of the week: what was planned and what happened."""

    day: date
    row: StoredDay | None
    logged_minutes: float
    logged: bool
    skip_reason: str | None  # None: not skipped
    logs: int = 0  # how many runs were logged that day

    def mark(self, today: date) -> str:
        if self.logged:
            return "✓"
        if self.skip_reason is not None:
            return "↷"
        if self.day < today and requires_run(self.row):
            return "✗"
        if self.day == today:
            return "▶"
        return "·"

    def what(self, today: date) -> str:
        row = self.row
        if row is None:
            text = "extra run" if self.logged else "not planned"
        else:
            text = esc(row.title)
            if row.minutes > 0:
                text += f" · {format_minutes(row.minutes)}"
        status = self._status(today)
        return f"{text} — {status}" if status else text

    def _status(self, today: date) -> str:
        if self.logged:
            extra = "" if requires_run(self.row) else " (extra)"
            minutes = f" {run_time(self.logged_minutes)}" if self.logged_minutes else ""
            return f"done{minutes}{extra}"
        if self.skip_reason is not None:
            return f"skipped ({esc(self.skip_reason)})" if self.skip_reason else "skipped"
        if self.day == today:
            return "today" if requires_run(self.row) else "today (no run)"
        if self.day < today and requires_run(self.row):
            return "missed"
        return ""


async def handle(ctx: Context) -> Reply:
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    await ensure_plan(uow, runner, today, ctx.now)
    monday, sunday = week_bounds(today)
    rows = {row.date: row for row in await planned_between(uow, runner.id, monday, sunday)}
    minutes: dict[date, float] = defaultdict(float)
    logs: dict[date, int] = defaultdict(int)
    for day, mins in await uow.logs.minutes_between(runner.id, monday, sunday):
        logs[day] += 1
        minutes[day] += mins or 0.0
    skips = dict(await uow.skips.between(runner.id, monday, sunday))
    days = [
        DayStatus(d, rows.get(d), minutes[d], logs[d] > 0, skips.get(d), logs[d])
        for d in (monday + timedelta(days=i) for i in range(7))
    ]
    return Reply(render_week(days, today))


def render_week(days: list[DayStatus], today: date) -> str:
    """The week as the runner reads it: one line a day, notes, then planned vs done totals."""
    first, last = days[0].day, days[-1].day
    lines = [f"<b>This week · {format_date(first)} – {format_date(last)}</b>"]
    for status in days:
        label = f"{WEEKDAYS[status.day.weekday()]} {status.day.day}"
        lines.append(f"{status.mark(today)} {label} · {status.what(today)}")
    notes = [
        f"<i>{WEEKDAYS[s.day.weekday()]}: {esc(s.row.detail.get('note'))}</i>"
        for s in days
        if s.row is not None and s.day >= today and s.row.detail.get("note")
    ]
    lines += notes
    run_days = [s for s in days if requires_run(s.row)]
    planned = sum(s.row.minutes for s in run_days if s.row is not None)
    done_minutes = sum(s.logged_minutes for s in days)
    count = count_runs(
        (s.day for s in days for _ in range(s.logs)), (s.day for s in run_days)
    )  # as /stats counts them
    lines.append(
        f"\nPlanned: {format_minutes(planned)} in {plural(len(run_days), 'run')} · "
        f"done: {run_time(done_minutes)} ({runs_against_plan(count, len(run_days))})"
    )
    lines.append("✓ done · ✗ missed · ↷ skipped · ▶ today")
    return "\n".join(lines)
