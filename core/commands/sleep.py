"""/sleep 7.5h: log last night's sleep (`/sleep yesterday 7h`: an earlier night, named by the
morning it ended); short sleep makes the next hard session easy.

One entry per local morning: logging again the same day replaces the entry (and says so). When
last night was under `POOR_NIGHT_HOURS` or the 7-day average under `TARGET_HOURS`, the plan is
regenerated — the training engine turns the next hard session into an easy run — and the runner
is told which session changed. A corrected entry that is no longer short replans too, so a hard
session that was eased only because of a typo comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.commands.base import Context, UserError
from core.grammar import GrammarError, parse_sleep_night
from core.messages import Reply, esc
from core.planning import planned_between, replan
from core.storage.plans import StoredDay
from core.storage.unit_of_work import UnitOfWork
from core.text import WEEKDAY_NAMES, format_date, format_hours, plural

TARGET_HOURS = 7.0
POOR_NIGHT_HOURS = 6.0
AVERAGE_DAYS = 7
LOOKAHEAD_DAYS = 7  # how far ahead an eased (or restored) hard session is reported
SESSION_WORDS = {
    "intervals": "intervals",
    "vo2max": "VO2max intervals",
    "threshold": "threshold run",
    "fartlek": "fartlek",
    "mile_pace": "mile-pace repeats",
    "time_trial": "time trial",
}


@dataclass(frozen=True)
class Intensity:
    day: date
    type: str
    title: str
    hard: bool

    @classmethod
    def of(cls, row: StoredDay) -> Intensity:
        return cls(row.date, row.type, row.title, row.intensity == "hard")


async def handle(ctx: Context) -> Reply:
    """Store last night's hours, report the 7-day average, adapt the plan when sleep is short."""
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    try:
        night, hours = parse_sleep_night(ctx.request.text, today)
    except GrammarError as err:
        raise UserError(esc(str(err))) from err
    previous = await uow.sleep.record(runner.id, night, hours, ctx.now)
    average, nights = await sleep_average(uow, runner.id, today)
    if night != today:
        return Reply("\n".join(await _earlier_night(ctx, night, hours, previous, average, nights)))
    if previous is None:
        lines = [f"😴 Logged {format_hours(hours)} for last night."]
    else:
        lines = [
            f"😴 Updated last night's sleep: {format_hours(previous)} → {format_hours(hours)} "
            "(one entry per night; the new one replaces the old)."
        ]
    lines.append(f"7-day average: {format_hours(average)} over {plural(nights, 'night')}.")
    poor = is_poor(hours, average)
    if hours < TARGET_HOURS:
        lines.append(
            "That's under 7 hours. Aim for 7–9 h: sleep is when training turns into fitness."
        )
    elif average < TARGET_HOURS:
        lines.append("Your week's sleep is under 7 h on average — an early night would help.")
    if poor or (previous is not None and is_poor(previous, average)):
        lines += await _adapt(ctx, poor)
    return Reply("\n".join(lines))


async def _earlier_night(
    ctx: Context, night: date, hours: float, previous: float | None, average: float, nights: int
) -> list[str]:
    """The reply for an earlier night: what was stored, the new average and any plan change
    (the average can tip a hard session either way)."""
    which = f"the night before {format_date(night)}"
    if previous is None:
        lines = [f"😴 Logged {format_hours(hours)} for {which}."]
    else:
        lines = [f"😴 Updated {which}: {format_hours(previous)} → {format_hours(hours)}."]
    lines.append(f"7-day average: {format_hours(average)} over {plural(nights, 'night')}.")
    if average < TARGET_HOURS:
        lines.append("Your week's sleep is under 7 h on average — an early night would help.")
    last_night = await ctx.uow.sleep.night(ctx.runner.id, ctx.today)
    poor = is_poor(TARGET_HOURS if last_night is None else last_night, average)
    return lines + await _adapt(ctx, poor)


def is_poor(last_night: float, average: float) -> bool:
    """Short enough that the next hard session should be easy (the training guide's rule)."""
    return last_night < POOR_NIGHT_HOURS or average < TARGET_HOURS


async def sleep_average(uow: UnitOfWork, runner_id: int, today: date) -> tuple[float, int]:
    """The mean of the nights logged for the `AVERAGE_DAYS` mornings ending today, and how many."""
    first = today - timedelta(days=AVERAGE_DAYS - 1)
    hours = await uow.sleep.hours_between(runner_id, first, today)
    return (sum(hours) / len(hours) if hours else 0.0), len(hours)


async def _adapt(ctx: Context, poor: bool) -> list[str]:
    runner, uow, today = ctx.runner, ctx.uow, ctx.today
    last = today + timedelta(days=LOOKAHEAD_DAYS - 1)
    before = {r.date: Intensity.of(r) for r in await planned_between(uow, runner.id, today, last)}
    await replan(uow, runner, today, ctx.now)
    after = [Intensity.of(r) for r in await planned_between(uow, runner.id, today, last)]
    lines = []
    for session in after:
        was = before.get(session.day)
        if was is None or was.hard == session.hard:
            continue
        if was.hard:
            lines.append(f"I've made {_whose(was, today)} an easy run — sleep first.")
        else:
            whose = _whose(session, today)
            lines.append(f"{whose[:1].upper()}{whose[1:]} is back on — you've caught up.")
    if not lines and poor:
        if any(s.hard for s in after):
            lines.append("Keep the effort down until you've caught up on sleep.")
        else:
            lines.append("No hard session is coming up; keep your runs easy and get some sleep.")
    return lines


def _whose(session: Intensity, today: date) -> str:
    what = SESSION_WORDS.get(session.type) or esc(session.title.lower())
    if session.day == today:
        return f"today's {what}"
    if session.day == today + timedelta(days=1):
        return f"tomorrow's {what}"
    return f"{WEEKDAY_NAMES[session.day.weekday()]}'s {what}"

