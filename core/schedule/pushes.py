"""The texts of scheduled pushes. Pure: data in, `Reply` out.

Names the runner typed go through `esc()`; texts from the training engine are Pacer's own
markup and are used as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from core.messages import Choice, Reply, esc
from core.text import format_date, format_minutes, format_total_distance, streak_line
from core.training import Athlete, PlanError, lap_splits, race_week_checklist

DONE_SKIP = ((Choice("Done ✓", "/done"), Choice("Skip", "/skip")),)
SPLITS_DAYS = (6, 1)  # race-week days whose checklist is about the pacing plan


def _greeting(name: str, wall: time) -> str:
    part = "morning" if wall.hour < 12 else "afternoon" if wall.hour < 17 else "evening"
    return f"Good {part}, {esc(name)}!" if name else f"Good {part}!"


def session_push(
    name: str,
    day: date,
    wall: time,
    session_text: str,
    *,
    requires_run: bool,
    note: str | None = None,
) -> Reply:
    """The daily session at the runner's reminder time, with Done / Skip buttons."""
    label = format_date(day)
    # The planned session's text usually starts with its date: then don't repeat it.
    intro = "Here's today's session:" if label in session_text else f"Today, {label}:"
    lines = [f"<b>{_greeting(name, wall)}</b> {intro}", "", session_text]
    if note and note not in session_text:
        lines += ["", f"<i>{note}</i>"]
    if not requires_run:
        lines += ["", "No run to log today: enjoy it."]
        return Reply("\n".join(lines))
    lines += [
        "",
        "When you've run, tap Done (or send /done 25min). "
        "Not today? Skip it and the plan adapts.",
    ]
    return Reply("\n".join(lines), choices=DONE_SKIP)


def logged_push(name: str, title: str) -> Reply:
    """The daily session's slot when the day's run is already logged: a short well-done."""
    who = f", {esc(name)}" if name else ""
    what = f"today's <b>{title}</b>" if title else "today's run"
    return Reply(
        f"Already done{who}: {what} is logged ✓. Nice work — recover well. "
        "See /week for what's next."
    )


def nudge_push(name: str, title: str) -> Reply:
    """The evening nudge: today's planned session is not logged yet."""
    who = f", {esc(name)}" if name else ""
    text = (
        f"Evening check-in{who}: today's <b>{title}</b> isn't logged yet.\n\n"
        "Ran already? Tap Done. Still time? Even a short easy run keeps the habit. "
        "Not today? Skip it and I'll adjust the plan."
    )
    return Reply(text, choices=DONE_SKIP)


def race_week_push(athlete: Athlete, race_date: date, today: date) -> Reply:
    """The race-week checklist for one of the 7 days before the race."""
    days = (race_date - today).days
    parts = ["🏁 " + race_week_checklist(athlete, race_date, today)]
    # The checklist asks for lap times 6 days out and for the pacing plan the day before.
    splits = _splits(athlete) if days in SPLITS_DAYS else None
    if splits:
        parts += ["", "<b>Your pacing plan</b>", splits]
    return Reply("\n".join(parts))


def race_morning_push(name: str, athlete: Athlete, race_date: date) -> Reply:
    """Race morning: the warm-up timeline counted back from the start time, pacing, splits.

    The training engine's race-day checklist builds the timeline with `race_warmup_timeline`
    from `athlete.race_start` (set with `/race DATE start HH:MM`).
    """
    parts = [f"Good morning{', ' + esc(name) if name else ''}."]
    if athlete.race_start is not None:
        parts.append(f"The gun goes at <b>{athlete.race_start:%H:%M}</b>.")
    parts += ["", "🏁 " + race_week_checklist(athlete, race_date, race_date)]
    splits = _splits(athlete)
    if splits:
        parts += ["", splits]
    return Reply("\n".join(parts))


def _splits(athlete: Athlete) -> str | None:
    goal = athlete.goal_s if athlete.goal_s is not None else athlete.mile_time_s
    if goal is None:
        return None
    try:
        return lap_splits(goal, athlete.units)
    except PlanError:  # a goal outside the plausible range has no useful splits
        return None


def post_race_push(name: str) -> Reply:
    """After the race: log the result."""
    who = f", {esc(name)}" if name else ""
    return Reply(
        f"<b>How did the race go{who}?</b>\n\n"
        "Log your result so it counts: <code>/done 1mi 6:45 race</code> "
        "(your distance and time). Whatever the clock said, you showed up: that's the win."
    )


@dataclass(frozen=True)
class WeekSummary:
    """One runner's week, Monday to Sunday, for the Sunday recap."""

    first: date
    last: date
    planned_runs: int
    done_runs: int
    logged_minutes: float
    logged_distance_m: float
    streak: int
    best_streak: int
    sleep_hours: float | None
    next_key: str | None
    units: str = "km"


def recap_push(name: str, week: WeekSummary) -> Reply:
    """The weekly recap on Sunday evening: sessions, volume and sleep, private to the runner."""
    who = f", {esc(name)}" if name else ""
    lines = [f"<b>Your week{who}</b> ({format_date(week.first)} – {format_date(week.last)})", ""]
    if week.planned_runs:
        lines.append(f"Sessions: {week.done_runs} of {week.planned_runs} done")
    else:
        lines.append(f"Sessions: {week.done_runs} logged")
    volume = f"Time: {format_minutes(week.logged_minutes)}"
    if week.logged_distance_m > 0:
        volume += f" · distance: {format_total_distance(week.logged_distance_m, week.units)}"
    lines.append(volume)
    lines.append(streak_line(week.streak, week.best_streak))
    if week.sleep_hours is not None:
        sleep = f"Sleep: {week.sleep_hours:.1f} h a night on average"
        if week.sleep_hours < 7:
            sleep += " (aim for 7–9 h: it's when the training sinks in)"
        lines.append(sleep)
    lines += ["", _verdict(week)]
    if week.next_key:
        lines.append(f"Next week's key session: <b>{week.next_key}</b>.")
    return Reply("\n".join(lines), private=True)


def _verdict(week: WeekSummary) -> str:
    if week.planned_runs == 0:
        return "A quiet week. Check /week for what's coming."
    share = week.done_runs / week.planned_runs
    if share >= 1:
        return "Every planned session done. That's how milers are made."
    if share >= 0.6:
        return "Solid week. Consistency beats heroics: keep stacking them."
    return "A lighter week than planned. No guilt: next week is a fresh start."


