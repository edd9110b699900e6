"""/today: the day's planned session, and whether it is already done or skipped."""

from __future__ import annotations

from datetime import date

from core.commands.base import Context
from core.logbook import logs_on
from core.messages import Choice, Reply, esc
from core.planning import ensure_plan, planned_day, requires_run
from core.storage.plans import StoredDay
from core.storage.unit_of_work import UnitOfWork
from core.text import describe_run, format_date

LOG_IT = "Log it with /done when you've run."
RUN_DAY_CHOICES = ((Choice("Done as planned", "/done"), Choice("Skip", "/skip")),)


async def handle(ctx: Context) -> Reply:
    return await today_reply(ctx)


async def today_reply(ctx: Context) -> Reply:
    """Today's session for the runner, in their local day, with Done/Skip buttons on run days."""
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    await ensure_plan(uow, runner, today, ctx.now)
    row = await planned_day(uow, runner.id, today)
    after_race = await _after_race_line(ctx)
    if row is None:
        text = after_race or "Nothing is planned for today. Send /week to see what's coming."
        return Reply(f"<b>Today · {format_date(today)}</b>\n{text}")
    lines = [after_race, ""] if after_race else []
    lines.append(session_markup(row, today))
    logs = await logs_on(uow, runner.id, today)
    if logs:
        done = ", ".join(describe_run(log.minutes, log.distance_m, runner.units) for log in logs)
        lines.append(f"\n✓ Already logged today: {done}. Nice work!")
        return Reply("\n".join(lines))
    skip = await uow.skips.on(runner.id, today)
    if skip is not None:
        why = f" ({esc(skip.reason)})" if skip.reason else ""
        lines.append(f"\nYou skipped today's session{why}. Rest up — /week shows what's next.")
        return Reply("\n".join(lines))
    if not requires_run(row):
        lines.append("\n" + _no_run_text(row))
        upcoming = await next_run(uow, runner.id, today)
        if upcoming is not None:
            lines.append(f"Next run: {format_date(upcoming.date)} · {esc(upcoming.title)}")
        return Reply("\n".join(lines))
    lines.append("\n" + LOG_IT)
    return Reply("\n".join(lines), choices=RUN_DAY_CHOICES)


def session_markup(row: StoredDay, today: date) -> str:
    """The stored session text under a "Today" heading, plus the plan's adaptation note when
    the text lacks it."""
    text = str(row.detail.get("text") or "") or f"<b>{esc(row.title)}</b>"
    dated = f"<b>{format_date(today)} · "
    if text.startswith(dated):  # the engine's own heading: make it say "Today" once
        text = "<b>Today · " + text[len("<b>"):]
    else:
        text = f"<b>Today · {format_date(today)}</b>\n{text}"
    note = row.detail.get("note")
    if note and str(note) not in text:
        text += f"\n<i>Plan change: {esc(note)}</i>"
    return text


def _no_run_text(row: StoredDay) -> str:
    if row.type == "rest":
        return "Rest day — nothing to log today."
    return "No run to log today: this keeps your streak going."


async def _after_race_line(ctx: Context) -> str | None:
    """In the week after a race nobody logged, ask how it went."""
    race, today = ctx.runner.race_date, ctx.today
    if race is None or not (0 < (today - race).days <= 7):
        return None
    if await logs_on(ctx.uow, ctx.runner.id, race):
        return None
    return (
        f"🏁 Your race on {format_date(race)} is behind you — how did it go? Log it with "
        f"/done {race.isoformat()} 1mi 7:45 (your time), and set the next one with /race DATE."
    )


async def next_run(uow: UnitOfWork, runner_id: int, after: date) -> StoredDay | None:
    """The first planned day after `after` that asks for a run."""
    return await uow.plans.next_run(runner_id, after)
