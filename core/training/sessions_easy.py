"""Builders for the easy side of a week: rest, recovery, strength, easy and long runs, run/walk.

Texts speak in effort (conversational, RPE); `session_text` adds the runner's paces in their
units, so one cached session serves every runner.
"""

from __future__ import annotations

from functools import lru_cache

from core.training import tips
from core.training.levels import Level
from core.training.model import Rep, Strides
from core.training.session import Session, minutes_of
from core.training.timefmt import fmt_seconds_short

# Run/walk stages (run seconds, walk seconds), from the guide: 30 s/90 s, 1/1, 2/1, 3/1, 5/1, …
STAGES: tuple[tuple[int, int], ...] = ((30, 90), (60, 60), (120, 60), (180, 60), (300, 60),
                                       (480, 60))
RUN_WALK_SESSION_MIN = 20  # brisk-walk warm-up and cool-down fill a session to about this
STRENGTH_WORK = "squats, lunges, glute bridges, calf raises, plank"
STRIDE_MINUTES = 4  # 4–6 strides with walk-back recoveries


@lru_cache(maxsize=64)
def rest(level: Level, index: int) -> Session:
    return Session(
        "rest", "Rest day",
        "Full rest: no running and no training. Your body gets stronger while it recovers.",
        0, 0, tip=tips.tip_for("rest", level, index),
    )


@lru_cache(maxsize=64)
def active_recovery(level: Level, index: int) -> Session:
    minutes = 20 if level is Level.BEGINNER else 30
    return Session(
        "active_recovery", "Active recovery",
        f"{minutes} min of something gentle — walking, easy cycling or swimming — to get the "
        "blood flowing. Optional, and never hard.",
        minutes, 0,
        steps=(f"{minutes} min walk, easy spin or swim at a very easy effort",),
        tip=tips.tip_for("active_recovery", level, index),
    )


@lru_cache(maxsize=64)
def strength_day(level: Level, index: int, minutes: int = 20) -> Session:
    return Session(
        "strength", "Strength", f"{minutes} min of strength work: {STRENGTH_WORK}.",
        minutes, 0, strength_minutes=minutes,
        steps=(f"Strength: {minutes} min — {STRENGTH_WORK}, 2–3 rounds",),
        tip=tips.tip_for("strength", level, index),
    )


@lru_cache(maxsize=2048)
def easy(level: Level, run_min: int, strength_min: int, strides: int, index: int) -> Session:
    """An easy run, optionally followed by strides and/or strength work."""
    title = "Easy run + strides" if strides else "Easy run"
    steps = [f"Run {run_min} min easy: conversational (RPE 3–4/10)"]
    minutes = run_min
    if strides:
        steps.append(f"Strides: {strides} × 80 m quick but relaxed, walk back between")
        minutes += STRIDE_MINUTES
    if strength_min:
        steps.append(f"Strength: {strength_min} min — {STRENGTH_WORK}")
        minutes += strength_min
    return Session(
        "easy", title,
        f"{run_min} min at a conversational pace: you can talk in full sentences.",
        minutes, run_min,
        strides=Strides(strides, 80) if strides else None, strength_minutes=strength_min,
        steps=tuple(steps),
        tip=tips.tip_for("easy", level, index, "strides" if strides and index % 2 else ""),
    )


@lru_cache(maxsize=1024)
def long_run(level: Level, run_min: int, strides: int, index: int) -> Session:
    steps = [f"Run {run_min} min easy and steady: conversational (RPE 3–4/10)"]
    minutes = run_min
    if strides:
        steps.append(f"Strides: {strides} × 80 m quick but relaxed, walk back between")
        minutes += STRIDE_MINUTES
    return Session(
        "long", "Long easy run",
        f"{run_min} min easy: the longest run of your week, at a pace you could keep chatting at.",
        minutes, run_min, strides=Strides(strides, 80) if strides else None,
        steps=tuple(steps), tip=tips.tip_for("long", level, index),
    )


@lru_cache(maxsize=2048)
def run_walk(run_min: int, stage: int, strength_min: int, index: int, light: bool = False
             ) -> Session:
    """Alternate running and walking; `run_min` minutes of running in the stage's intervals."""
    run_s, walk_s = STAGES[stage]
    total = run_min * 60
    full, rem = divmod(total, run_s)
    reps = [Rep(full, run_s, None, None, walk_s)] if full else []
    if rem:
        reps.append(Rep(1, rem, None, None, 0))
    main_s = full * (run_s + walk_s) + rem
    main_min = minutes_of(main_s)
    walk_min = max(5, -(-(RUN_WALK_SESSION_MIN - main_min) // 2))
    pattern = f"run {fmt_seconds_short(run_s)} / walk {fmt_seconds_short(walk_s)}"
    main = f"Main set: {full} × ({pattern})"
    if rem:
        main += f", then run {fmt_seconds_short(rem)}"
    steps = [f"Warm up: {walk_min} min brisk walk", main, f"Cool down: {walk_min} min easy walk"]
    if strength_min:
        steps.append(f"Strength: {strength_min} min — {STRENGTH_WORK}")
    if light:
        description = f"A lighter session: {run_min} min of running ({pattern}), nice and easy."
    else:
        description = (
            f"Alternate running and walking: {run_min} min of running in all ({pattern}), at a "
            "conversational pace. No speed work — just keep moving."
        )
    return Session(
        "run_walk", f"Run/walk: {pattern}", description,
        walk_min * 2 + main_min + strength_min, run_min, reps=tuple(reps),
        strength_minutes=strength_min, steps=tuple(steps),
        tip=tips.tip_for("run_walk", Level.BEGINNER, index),
    )


def stage_of(session: Session) -> int:
    """The run/walk stage a run/walk session uses (0 for anything else)."""
    run_s = session.reps[0].seconds if session.reps else None
    return next((n for n, (s, _) in enumerate(STAGES) if s == run_s), 0)


@lru_cache(maxsize=64)
def shakeout(level: Level) -> Session:
    return Session(
        "shakeout", "Shakeout run",
        "Race tomorrow: 15 min very easy with a few strides, just to loosen up.",
        15 + STRIDE_MINUTES, 15, strides=Strides(4, 80),
        steps=("Run 15 min very easy", "Strides: 4 × 80 m relaxed, walk back between"),
        tip=tips.tip_for("shakeout", level, 0),
    )
