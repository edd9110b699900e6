"""Builders for the plan's finales: the beginner's time trial and race day."""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from core.text import clock
from core.training import tips
from core.training.levels import MILE_M, Level
from core.training.model import Rep
from core.training.race_week import BEGINNER_WARMUP_TEXT, pacing_advice, race_warmup_timeline
from core.training.session import Session, minutes_of

RACE_JOG_MIN = 12  # warm-up jog, 10–15 min in the guide
RACE_DRILLS_MIN = 8  # dynamic stretches
RACE_STRIDES_MIN = 4
RACE_COOL_MIN = 10
BEGINNER_WARM_MIN = 10  # brisk walk with a few 20–30 s jogs
BEGINNER_JOGS_MIN = 2


@lru_cache(maxsize=256)
def time_trial(run_min: int, index: int, ready: bool = True) -> Session:
    """The beginner plan's finale: a first continuous mile, at a pace they could chat at (so
    none of it counts as hard running). When the bridge did not reach it (`ready` False), run
    as far as is comfortable, then walk (seed guide; NHS Couch to 5K)."""
    if ready:
        title = "Time trial: your first continuous mile"
        description = (
            "Run one mile without stopping, at a pace you could chat at. If you need to walk, "
            "walk briefly and carry on to the end. Next step: the Couch to 5K program builds "
            "from here."
        )
        main = (
            "Main set: 1 mile continuous, conversational; pick up only in the last 400 m if "
            "you feel strong"
        )
    else:
        title = "Mile check: run as far as you comfortably can"
        description = (
            "Cover one mile: run as far as you comfortably can at a pace you could chat at, "
            "then walk, and run again when you are ready. Note how far you ran: that is your "
            "new longest run."
        )
        main = (
            "Main set: 1 mile — run as far as you comfortably can, then walk; jog again when "
            "you can"
        )
    return Session(
        "time_trial", title, description,
        10 + run_min + 8, run_min,
        reps=(Rep(1, None, round(MILE_M), None, 0),),
        steps=(
            "Warm up: 10 min brisk walk with a few 30 s easy jogs", main,
            "Cool down: 8 min easy walk",
        ),
        tip=tips.tip_for("time_trial", Level.BEGINNER, index), hard_minutes=0,
    )


@lru_cache(maxsize=256)
def runner_time_trial(level: Level, goal_s: float | None, index: int) -> Session:
    """A plan without a race ends with a mile time trial: the guide's race warm-up, one mile
    all-out with a pacing plan, a cool-down; the result sets the next block's paces."""
    mile_s = goal_s if goal_s is not None else DEFAULT_MILE_S[level]
    mile_min = minutes_of(mile_s)
    warm = RACE_JOG_MIN + RACE_DRILLS_MIN + RACE_STRIDES_MIN
    return Session(
        "time_trial", "Mile time trial",
        "One mile flat out, on a track or a measured flat route: see what the block built. Log "
        "it with /done 1mi M:SS and your paces follow.",
        warm + mile_min + RACE_COOL_MIN, RACE_JOG_MIN + mile_min + RACE_COOL_MIN,
        reps=(Rep(1, None, round(MILE_M), None, 0),),
        steps=(
            f"Warm up: {RACE_JOG_MIN} min easy jog, dynamic stretches, 4–6 strides of 50–100 m",
            f"Main set: 1 mile time trial — {pacing_advice(level, goal_s)}",
            f"Cool down: {RACE_COOL_MIN} min easy jog",
        ),
        tip=tips.tip_for("race", level, index), hard_minutes=mile_min,
    )


DEFAULT_MILE_S = {Level.BEGINNER: 780.0, Level.IMPROVING: 480.0, Level.COMPETITIVE: 380.0}


@lru_cache(maxsize=1024)
def race(level: Level, race_s: float, goal_s: float | None, start: time | None) -> Session:
    """Race day: the guide's warm-up (beginners: a brisk walk with a few short jogs), the race,
    pacing advice for the level, and the cool-down."""
    race_min = minutes_of(race_s)
    beginner = level is Level.BEGINNER
    if start is not None:
        timeline = race_warmup_timeline(start, level)
        warmup = tuple(f"{at.strftime('%H:%M')} {what}" for at, what in timeline)
    elif beginner:
        warmup = (BEGINNER_WARMUP_TEXT,)
    else:
        warmup = (
            f"Warm up: {RACE_JOG_MIN} min easy jog (10–15), then dynamic stretches (leg swings, "
            "walking lunges), then 4–6 strides of 50–100 m — finish 5–10 min before the start",
        )
    steps = (
        *warmup,
        f"Race: one mile — {pacing_advice(level, goal_s)}",
        "Cool down: walk 10 min" if beginner else f"Cool down: {RACE_COOL_MIN} min easy jog",
    )
    target = f" Target: {clock(goal_s)}." if goal_s is not None else ""
    pace = None if goal_s is None else round(goal_s * 1000 / MILE_M, 1)
    if beginner:
        minutes = BEGINNER_WARM_MIN + race_min + RACE_COOL_MIN
        run = BEGINNER_JOGS_MIN + race_min
    else:
        minutes = RACE_JOG_MIN + RACE_DRILLS_MIN + RACE_STRIDES_MIN + race_min + RACE_COOL_MIN
        run = RACE_JOG_MIN + race_min + RACE_COOL_MIN
    return Session(
        "race", "Race day: the mile",
        f"Race day! Warm up well, run your plan, enjoy it.{target}",
        minutes, run,
        reps=(Rep(1, None, round(MILE_M), pace, 0),), steps=steps,
        tip=tips.tip_for("race", level, 0), hard_minutes=race_min,
    )
