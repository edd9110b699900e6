"""Builders for the plan's finales: the beginner's time trial and race day."""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from core.training import tips
from core.training.levels import MILE_M, Level
from core.training.model import Rep
from core.training.race_week import pacing_advice, race_warmup_timeline
from core.training.session import Session, minutes_of
from core.training.timefmt import fmt_duration

RACE_JOG_MIN = 12  # warm-up jog, 10–15 min in the guide
RACE_DRILLS_MIN = 8  # dynamic stretches
RACE_STRIDES_MIN = 4
RACE_COOL_MIN = 10


@lru_cache(maxsize=256)
def time_trial(run_min: int, index: int) -> Session:
    """The beginner plan's finale: a first continuous mile."""
    return Session(
        "time_trial", "Time trial: your first continuous mile",
        "Run one mile without stopping, at a pace you could chat at. If you need to walk, walk "
        "briefly and carry on to the end. Next step: the Couch to 5K program builds from here.",
        10 + run_min + 8, run_min,
        reps=(Rep(1, None, round(MILE_M), None, 0),),
        steps=(
            "Warm up: 10 min brisk walk with a few 30 s easy jogs",
            "Main set: 1 mile continuous, conversational; pick up only in the last 400 m if "
            "you feel strong",
            "Cool down: 8 min easy walk",
        ),
        tip=tips.tip_for("time_trial", Level.BEGINNER, index), hard_minutes=run_min,
    )


@lru_cache(maxsize=1024)
def race(level: Level, race_s: float, goal_s: float | None, start: time | None) -> Session:
    """Race day: the guide's warm-up, the race, and pacing advice for the level."""
    race_min = minutes_of(race_s)
    if start is not None:
        timeline = race_warmup_timeline(start)
        warmup = tuple(f"{at.strftime('%H:%M')} {what}" for at, what in timeline)
    else:
        warmup = (
            f"Warm up: {RACE_JOG_MIN} min easy jog (10–15), then dynamic stretches (leg swings, "
            "walking lunges), then 4–6 strides of 50–100 m — finish 5–10 min before the start",
        )
    cool = 0 if level is Level.BEGINNER else RACE_COOL_MIN
    steps = (
        *warmup,
        f"Race: one mile — {pacing_advice(level, goal_s)}",
        f"Cool down: {cool} min easy jog" if cool else "Cool down: walk 10 min",
    )
    target = f" Target: {fmt_duration(goal_s)}." if goal_s is not None else ""
    pace = None if goal_s is None else round(goal_s * 1000 / MILE_M, 1)
    warm_run = 10 if level is Level.BEGINNER else RACE_JOG_MIN
    return Session(
        "race", "Race day: the mile",
        f"Race day! Warm up well, run your plan, enjoy it.{target}",
        RACE_JOG_MIN + RACE_DRILLS_MIN + RACE_STRIDES_MIN + race_min + (cool or 10),
        warm_run + race_min + cool,
        reps=(Rep(1, None, round(MILE_M), pace, 0),), steps=steps,
        tip=tips.tip_for("race", level, 0), hard_minutes=race_min,
    )
