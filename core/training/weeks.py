"""One ordinary training week: the layout's roles filled with sessions for the week's load."""

from __future__ import annotations

from functools import lru_cache

from core.training import sessions_easy as easy
from core.training import sessions_hard as hard
from core.training.layout import REST, STRENGTH, WeekLayout
from core.training.levels import Level
from core.training.model import Paces
from core.training.progression import Step
from core.training.session import Session

STRENGTH_ADD_ON_MIN = 15
STRIDES_EARLY, STRIDES_LATER = 4, 6


def quality_sessions(level: Level, paces: Paces, step: int, week: int, hard_count: int,
                     specific: int | None) -> tuple[Session, ...]:
    """The week's hard sessions, key first.

    Improving: fartlek for three weeks, then structured intervals as the key session.
    Competitive: VO2max and threshold, then (within four weeks of a race, or every other week
    without one) 400s at goal mile pace as the key session.
    """
    if level is Level.IMPROVING:
        key = (hard.fartlek(level, step, week) if step < 3
               else hard.intervals(level, step - 3, paces.interval, week))
        if hard_count == 1:
            return (key,)
        return (key, hard.fartlek(level, step + 1, week + 1))
    if hard_count == 1:
        if specific is not None or step % 3 == 2:
            return (hard.mile_pace(level, specific or 0, paces.goal_mile_400, week),)
        if step % 3 == 0:
            return (hard.vo2max(level, step, paces.interval, week),)
        return (hard.threshold(level, step // 2, paces.threshold, week),)
    if specific is not None:
        second = (hard.vo2max(level, step, paces.interval, week) if week % 2
                  else hard.threshold(level, step // 2, paces.threshold, week + 1))
        return (hard.mile_pace(level, specific, paces.goal_mile_400, week), second)
    key = (hard.mile_pace(level, 0, paces.goal_mile_400, week) if step >= 2 and step % 2
           else hard.vo2max(level, step, paces.interval, week))
    return (key, hard.threshold(level, step // 2, paces.threshold, week + 1))


@lru_cache(maxsize=4096)
def _non_running_days(level: Level, layout: WeekLayout, week: int) -> tuple[Session, ...]:
    """Rest, strength and recovery days of a week (run days get recovery as a placeholder)."""
    out = []
    for d, role in enumerate(layout.roles):
        if role == REST:
            out.append(easy.rest(level, week))
        elif role == STRENGTH:
            out.append(easy.strength_day(level, week))
        else:
            out.append(easy.active_recovery(level, week + d))
    return tuple(out)


def week_sessions(level: Level, paces: Paces, layout: WeekLayout, rung: Step, step: int,
                  week: int, specific: int | None) -> list[Session]:
    """Sessions for Monday..Sunday; running minutes add up to the rung's weekly total."""
    out = list(_non_running_days(level, layout, week))
    strength_on, strides_on = layout.strength_on, layout.strides_on
    runs = layout.run_days
    if level is Level.BEGINNER:
        per, extra = divmod(rung.total, len(runs))
        for i, d in enumerate(runs):
            strength = STRENGTH_ADD_ON_MIN if d in strength_on else 0
            out[d] = easy.run_walk(per + (i < extra), rung.stage, strength, week + i)
        return out
    quality = quality_sessions(level, paces, step, week, len(layout.hard_days), specific)
    budget = rung.total
    for d, session in zip(layout.hard_days, quality, strict=True):
        out[d] = session
        budget -= session.run_minutes
    easy_days = layout.easy_days
    # The long run is worth 1.5 easy runs; integer split so the week adds up exactly.
    each = budget * 2 // (2 * len(easy_days) + 3)
    strides = STRIDES_EARLY if step < 3 else STRIDES_LATER
    for d in easy_days:
        out[d] = easy.easy(
            level, each, STRENGTH_ADD_ON_MIN if d in strength_on else 0,
            strides if d in strides_on else 0, week + d,
        )
    long_day = layout.long_day
    if long_day is not None:
        out[long_day] = easy.long_run(
            level, budget - each * len(easy_days), strides if long_day in strides_on else 0, week
        )
    return out

