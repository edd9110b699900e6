"""/race DATE [goal M:SS] [start HH:MM]: set a race (or `/race off`); the plan tapers to it.

A new date keeps the start time already set (moving a race rarely moves its start); `start off`
clears it. Examples are dated from the runner's today, so they never name a past race.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from core.commands.base import Context, UserError
from core.commands.help import example_dates
from core.goals import goal_advice
from core.messages import Reply, esc
from core.planning import planned_between, replan
from core.profile import (
    SETTINGS,
    ProfileError,
    apply_profile,
    athlete_of,
    check_profile,
    format_mile,
    parse_value,
    profile_of,
)
from core.text import format_date
from core.training import race_warmup_timeline, race_week_checklist


def example(today: date) -> str:
    """`Example: /race <a Saturday eight weeks on> goal 6:45 start 09:30`."""
    return f"Example: <code>/race {example_dates(today)['race']} goal 6:45 start 09:30</code>"

OFF_WORDS = frozenset({"off", "none", "clear", "cancel", "remove", "delete"})
KEYWORDS = {"goal": "goal", "start": "start", "at": "start"}
MAX_DAYS_AHEAD = 366
RACE_WEEK_DAYS = 7


def split_race_text(text: str, today: date) -> dict[str, str]:
    """`2026-12-12 goal 6:45 start 09:30` (or `goal=6:45`) -> {"race": ..., "goal": ...}."""
    parts: dict[str, list[str]] = {"race": []}
    current = "race"
    for token in text.replace("=", " ").split():
        keyword = KEYWORDS.get(token.lower())
        if keyword is not None:
            if keyword in parts:
                raise UserError(f"You gave {keyword} twice. {example(today)}")
            current = keyword
            parts[current] = []
        else:
            parts[current].append(token)
    return {key: " ".join(words) for key, words in parts.items()}


def _read(key: str, raw: str, today: date) -> Any:
    if not raw:
        raise UserError(f"The {SETTINGS[key].label} is missing. {example(today)}")
    try:
        return parse_value(SETTINGS[key], raw, today, answer=True)
    except ProfileError as err:
        raise UserError(f"{err} {example(today)}") from err


async def handle(ctx: Context) -> Reply:
    text = ctx.request.text.strip()
    if not text:
        return _current(ctx)
    if text.lower() in OFF_WORDS:
        return await _clear(ctx)
    today = ctx.today
    parts = split_race_text(text, today)
    race_date: date | None = _read("race", parts["race"], today)
    if race_date is None:
        return await _clear(ctx)
    if race_date > today + timedelta(days=MAX_DAYS_AHEAD):
        raise UserError("That's more than a year away: set it when it's within a year.")
    changes: dict[str, Any] = {"race_date": race_date}  # an earlier start time stays
    if "goal" in parts:
        changes["goal_s"] = _read("goal", parts["goal"], today)
    if "start" in parts:
        changes["race_start"] = _read("start", parts["start"], today)
    profile = profile_of(ctx.runner).updated(changes)
    try:
        check_profile(profile, today, changes.keys())
    except ProfileError as err:
        raise UserError(str(err)) from err
    apply_profile(ctx.runner, profile)
    ctx.runner.updated_at = ctx.now
    await replan(ctx.uow, ctx.runner, today, ctx.now)
    kept = "start" not in parts and ctx.runner.race_start is not None
    return Reply(await _race_text(ctx, race_date, today, kept_start=kept))


def _current(ctx: Context) -> Reply:
    race = ctx.runner.race_date
    if race is None or race < ctx.today:
        return Reply(
            "No race set. Tell me about one and your plan will build to it. "
            + example(ctx.today)
        )
    start = f", start {ctx.runner.race_start}" if ctx.runner.race_start else ""
    return Reply(
        f"Your race: {format_date(race, year=True)}{start} — {_countdown(race, ctx.today)}. "
        "Change it with /race DATE, or clear it with /race off."
    )


async def _clear(ctx: Context) -> Reply:
    if ctx.runner.race_date is None:
        return Reply("You have no race set. " + example(ctx.today))
    ctx.runner.race_date = None
    ctx.runner.race_start = None
    ctx.runner.updated_at = ctx.now
    await replan(ctx.uow, ctx.runner, ctx.today, ctx.now)
    return Reply("Race cleared: your plan goes back to regular training. See /week.")


async def _race_text(ctx: Context, race: date, today: date, *, kept_start: bool = False) -> str:
    runner = ctx.runner
    lines = [f"🏁 <b>Race set: {format_date(race, year=True)}</b> — {_countdown(race, today)}."]
    facts = []
    if runner.goal_s is not None:
        goal = format_mile(runner.goal_s)
        facts.append(f"Goal: {goal} (lap splits: /pace {goal})")
    if runner.race_start:
        kept = " (kept; change it with start HH:MM, or start off)" if kept_start else ""
        facts.append(f"Start: {runner.race_start}{kept}")
    if facts:
        lines.append(" · ".join(facts))
    advice = goal_advice(runner.mile_time_s, runner.goal_s, race, today)
    if advice:
        lines.append(advice)
    week_start = max(today, race - timedelta(days=RACE_WEEK_DAYS - 1))
    rows = await planned_between(ctx.uow, runner.id, week_start, race)
    lines.append(
        "\n<b>Race week</b>: less running (about two thirds of a normal week), one short sharp "
        "session early on, nothing hard in the last two days, a shakeout or rest the day before."
    )
    for row in rows:
        minutes = f" · {row.minutes} min" if row.minutes else ""
        lines.append(f"{format_date(row.date)} · {esc(row.title)}{minutes}")
    if (race - today).days < RACE_WEEK_DAYS:
        lines.append("\n" + race_week_checklist(athlete_of(profile_of(runner)), race, today))
    else:
        lines.append("From 7 days out you'll get a race-week checklist each day.")
    if runner.race_start:
        lines.append(f"\n<b>Race morning</b> (start {runner.race_start}):")
        timeline = race_warmup_timeline(time.fromisoformat(runner.race_start))
        lines += [f"{at:%H:%M} {what}" for at, what in timeline]
    else:
        lines.append(
            "Add the start time for a warm-up timeline: <code>/race "
            f"{race.isoformat()} start 09:30</code>"
        )
    return "\n".join(lines)


def _countdown(race: date, today: date) -> str:
    days = (race - today).days
    if days == 0:
        return "it's today, good luck"
    if days == 1:
        return "it's tomorrow"
    return f"{days} days to go"
