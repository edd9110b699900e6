"""/skip [reason]: skip today's planned run; the plan adapts and the runner sees how.

A skip is honest, not a loophole: streaks count days on which the planned run was done, so a
skipped run day ends the current streak (planned rest days never need skipping). Running after
all is still possible: `/done` on the same day replaces the skip and repairs the streak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.commands.base import Context, UserError
from core.logbook import logs_on, save_streak, streak_inputs
from core.messages import Reply, esc
from core.planning import (
    ensure_plan,
    planned_between,
    planned_day,
    replan,
    requires_run,
    week_bounds,
)
from core.storage.plans import StoredDay
from core.text import format_date

MAX_REASON = 500


@dataclass(frozen=True)
class Session:
    """What a planned day looked like, to compare the week before and after adapting."""

    day: date
    title: str
    minutes: int
    runs: bool
    note: str

    @classmethod
    def of(cls, row: StoredDay) -> Session:
        note = row.detail.get("note") or ""
        return cls(row.date, row.title, row.minutes, requires_run(row), str(note))

    def text(self) -> str:
        return f"{esc(self.title)} · {self.minutes} min" if self.minutes else esc(self.title)


async def handle(ctx: Context) -> Reply:
    """Mark today's run skipped, replan, and say what that means for the streak and the week."""
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    await ensure_plan(uow, runner, today, ctx.now)
    row = await _skippable_session(ctx)
    title = row.title  # as planned before the replan
    streak_before = (await streak_inputs(uow, runner, ctx.now)).report().current
    _, sunday = week_bounds(today)
    tomorrow = today + timedelta(days=1)
    week_before = [Session.of(r) for r in await planned_between(uow, runner.id, tomorrow, sunday)]
    reason = ctx.request.text.strip()[:MAX_REASON]
    await uow.skips.add(runner.id, today, reason, ctx.now)
    await replan(uow, runner, today, ctx.now)
    decision = await planned_day(uow, runner.id, today)
    week_after = [Session.of(r) for r in await planned_between(uow, runner.id, tomorrow, sunday)]
    inputs = await streak_inputs(uow, runner, ctx.now)
    await save_streak(uow, runner.id, inputs, inputs.report(), ctx.now)
    why = f" (reason: {esc(reason)})" if reason else ""
    lines = [f"↷ Skipped today's {esc(title)}{why}. Rest well.", _streak_note(streak_before)]
    note = decision.detail.get("note") if decision is not None else None
    if note:  # the plan's word on the skipped session: moved, or let go
        lines.append(f"<i>{esc(note)}</i>")
    lines += week_changes(week_before, week_after)
    return Reply("\n".join(lines))


async def _skippable_session(ctx: Context) -> StoredDay:
    """Today's planned run, or a friendly refusal saying why there is nothing to skip."""
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    row = await planned_day(uow, runner.id, today)
    if row is None:
        raise UserError("Nothing is planned for today, so there's nothing to skip.")
    if not requires_run(row):
        if row.type == "rest":
            raise UserError("Nothing to skip today — it's a rest day. Enjoy it!")
        raise UserError(
            f"Nothing to skip today — there's no run planned, just {esc(row.title)}. "
            "It's optional and keeps your streak going either way."
        )
    if await logs_on(uow, runner.id, today):
        raise UserError(
            "You've already logged a run today, so there's nothing to skip. "
            "If that log was a mistake, /undo it first."
        )
    if await uow.skips.on(runner.id, today) is not None:
        raise UserError("Today's session is already skipped. Ran after all? /done still counts.")
    return row


def _streak_note(streak_before: int) -> str:
    if streak_before > 0:
        return (
            f"Your {streak_before}-day streak ends here — a skipped run doesn't count, and "
            "your next run starts a new one. (Ran after all? /done today still counts.)"
        )
    return "A skipped run doesn't count for your streak; your next run starts a new one."


def week_changes(before: list[Session], after: list[Session]) -> list[str]:
    """What the adaptation changed for the rest of the week, in lines the runner reads."""
    if not after:
        return ["That was the last session this week — next week starts fresh."]
    was = {s.day: s for s in before}
    changed = [s for s in after if was.get(s.day) != s]
    if not changed:
        runs = [s for s in after if s.runs]
        lines = ["The rest of your week stays as planned."]
        if runs:
            lines.append(f"Next run: {format_date(runs[0].day)} · {runs[0].text()}")
        return lines
    lines = ["I've adapted the rest of your week:"]
    for session in changed:
        line = f"• {format_date(session.day)}: {session.text()}"
        old = was.get(session.day)
        if old is not None and (old.title, old.minutes) != (session.title, session.minutes):
            line += f" (was: {old.text()})"
        if session.note:
            line += f" — <i>{esc(session.note)}</i>"
        lines.append(line)
    return lines
