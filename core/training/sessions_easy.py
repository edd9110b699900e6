"""Builders for the easy side of a week: rest, recovery, strength, easy and long runs, run/walk.

Texts speak in effort (conversational, RPE); `session_text` adds the runner's paces in their
units, so one cached session serves every runner.
"""

from __future__ import annotations

from functools import lru_cache

from core.text import rep_length
from core.training import tips
from core.training.levels import Level
from core.training.model import Rep, Strides
from core.training.session import Session, minutes_of

# Run/walk stages (run seconds, walk seconds): the guide's 30 s/90 s, 1/1, 2/1, 3/1, then
# Couch to 5K's longer segments with short walks; CONTINUOUS is the stage after the last one.
STAGES: tuple[tuple[int, int], ...] = ((30, 90), (60, 60), (120, 60), (180, 60), (300, 60),
                                       (480, 60), (600, 60))
CONTINUOUS = len(STAGES)
BRIDGE_WALK_MIN = 5  # brisk-walk warm-up and easy-walk cool-down around every main set
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
def run_walk(main_min: int, stage: int, strength_min: int, index: int, light: bool = False
             ) -> Session:
    """A beginner session: 5 min brisk walk, a main set of at least `main_min` minutes in the
    stage's run/walk intervals (or running continuously), 5 min easy walk.

    Source: the seed guide (run/walk, 15–20 min main sets, conversational) and NHS Couch to 5K
    (warm-up and cool-down walks, run segments growing to continuous running).
    """
    warm = cool = BRIDGE_WALK_MIN
    if stage >= CONTINUOUS:
        run_min = main_min
        reps: tuple[Rep, ...] = (Rep(1, main_min * 60, None, None, 0),)
        title = f"Continuous run: {main_min} min"
        main = f"Main set: run {main_min} min without stopping, conversational"
        pattern = "continuous"
        main_total = main_min
    else:
        run_s, walk_s = STAGES[stage]
        count, rem = divmod(main_min * 60, run_s + walk_s)
        if rem >= run_s:  # a whole rep more rather than a main set under the minutes asked
            count, rem = count + 1, 0
        pattern = f"run {rep_length(run_s)} / walk {rep_length(walk_s)}"
        reps = (Rep(count, run_s, None, None, walk_s),)
        main = f"Main set: {count} × ({pattern})"
        if rem:
            reps += (Rep(1, rem, None, None, 0),)
            main += f", then run {rep_length(rem)}"
        run_min = minutes_of(count * run_s + rem)
        title = f"Run/walk: {pattern}"
        main_total = minutes_of(count * (run_s + walk_s) + rem)
    steps = [f"Warm up: {warm} min brisk walk", main, f"Cool down: {cool} min easy walk"]
    if strength_min:
        steps.append(f"Strength: {strength_min} min — {STRENGTH_WORK}")
    if light:
        description = (
            f"A lighter session: {main_total} min of {pattern} running and walking, nice and "
            "easy — your body absorbs the last weeks' work."
        )
    elif stage >= CONTINUOUS:
        description = (
            f"{main_min} min of running without a walk break, at a pace you could chat at. "
            "Slow down rather than stop."
        )
    else:
        description = (
            f"Alternate running and walking: {run_min} min of running in all ({pattern}), at a "
            "conversational pace. No speed work — just keep moving."
        )
    return Session(
        "run_walk", title, description,
        warm + main_total + cool + strength_min, run_min, reps=reps,
        strength_minutes=strength_min, steps=tuple(steps),
        tip=tips.tip_for("run_walk", Level.BEGINNER, index),
    )


def stage_of(session: Session) -> int:
    """The run/walk stage a run/walk session uses (0 for anything else)."""
    if not session.reps:
        return 0
    rep = session.reps[0]
    if rep.recovery_s == 0 and len(session.reps) == 1:
        return CONTINUOUS
    return next((n for n, (s, _) in enumerate(STAGES) if s == rep.seconds), 0)


def longest_run_s(session: Session) -> int:
    """The longest stretch of running without a walk in a beginner session (seconds)."""
    if session.type != "run_walk":
        return 0
    return max((r.seconds or 0 for r in session.reps), default=0)


@lru_cache(maxsize=64)
def shakeout(level: Level) -> Session:
    return Session(
        "shakeout", "Shakeout run",
        "Race tomorrow: 15 min very easy with a few strides, just to loosen up.",
        15 + STRIDE_MINUTES, 15, strides=Strides(4, 80),
        steps=("Run 15 min very easy", "Strides: 4 × 80 m relaxed, walk back between"),
        tip=tips.tip_for("shakeout", level, 0),
    )
