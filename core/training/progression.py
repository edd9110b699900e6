"""How training load grows: the beginner's run/walk bridge, weekly running minutes under the
10% rule with a lighter week every fourth week, and whether a past week counts as done
(progress is earned by what was logged, not the calendar).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from core.training.levels import Level
from core.training.sessions_easy import CONTINUOUS

MAX_STEPS = 160  # a plan never progresses more than once a week: three years is plenty

# Weekly running minutes per run: where each level starts and where it levels off.
BASE_PER_RUN = {Level.BEGINNER: 5, Level.IMPROVING: 32, Level.COMPETITIVE: 45}
CAP_PER_RUN = {Level.BEGINNER: 16, Level.IMPROVING: 45, Level.COMPETITIVE: 60}
# Growth per completed week: the 10% rule is a ceiling, not a target, for trained runners.
GROWTH = {Level.BEGINNER: 1.10, Level.IMPROVING: 1.08, Level.COMPETITIVE: 1.08}
BLOCK = 4  # every fourth week is lighter
LIGHT_SHARE = 0.75  # a lighter week: about a quarter less running than the week before

# The beginner's bridge, one rung per completed week: (main-set minutes, run/walk stage).
# Sessions are a 5-min brisk-walk warm-up, the main set and a 5-min walk: 25 → 30 min on feet,
# growing within 10% a week, while the run segments grow 30 s → 1 → 2 → 3 → 5 → 8 → 10 min →
# continuous. Every fourth week repeats the stage with the shortest main set (15 min).
BRIDGE = ((15, 0), (17, 1), (19, 2), (15, 2), (20, 3), (20, 4), (20, 5), (15, 5), (20, 6),
          (20, CONTINUOUS), (20, CONTINUOUS), (15, CONTINUOUS))
BRIDGE_LIGHT_MAIN = 15


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of the ladder.

    Runners: `total` is the week's running minutes and `quality` how far the quality sessions
    have progressed. Beginners: `total` is each session's main-set minutes and `stage` the
    run/walk stage. `light` marks the lighter week of a block. `hard_cap` limits the week's
    quality sessions (None: as many as the layout has): a return from time off holds one, the
    first week back after a long break none (`core.training.comeback`); there a session the
    week's volume cannot carry with 20-minute easy runs beside it is run easy.
    """

    total: int
    stage: int
    light: bool = False
    quality: int = 0
    hard_cap: int | None = None


@lru_cache(maxsize=64)
def progression(level: Level, runs: int) -> tuple[Step, ...]:
    """The ladder for a level and number of weekly runs; week n of training uses rung n.

    Sources: the seed guide (10% rule; run/walk 30 s/90 s → 1/1 → 2/1 …; 15–20 min main sets),
    NHS Couch to 5K (run segments grown week by week to continuous running, 20–30 min sessions)
    and Daniels' Running Formula (a lighter week every 3–4 weeks; quality progresses by reps,
    then rep length, then pace).
    """
    if level is Level.BEGINNER:
        steps = [Step(main, stage, light=main == BRIDGE_LIGHT_MAIN and n > 0)
                 for n, (main, stage) in enumerate(BRIDGE)]
        while len(steps) < MAX_STEPS:
            light = len(steps) % BLOCK == BLOCK - 1
            steps.append(Step(BRIDGE_LIGHT_MAIN if light else 20, CONTINUOUS, light))
        return tuple(steps)
    runs = max(runs, 1)
    total = BASE_PER_RUN[level] * runs
    cap = CAP_PER_RUN[level] * runs
    quality, last = 0, total
    out: list[Step] = []
    while len(out) < MAX_STEPS:
        if len(out) % BLOCK == BLOCK - 1:
            out.append(Step(round(last * LIGHT_SHARE), 0, True, max(0, quality - 2)))
            continue
        out.append(Step(total, 0, False, quality))
        last = total
        quality += 1
        # floor keeps every increase within the 10% rule in whole minutes
        total = min(cap, max(total, math.floor(total * GROWTH[level])))
    return tuple(out)


def needed_sessions(level: Level, planned: int) -> int:
    """Logged days that make a week count: all of them for beginners, ~75% for others."""
    if level is Level.BEGINNER:
        return planned
    return math.ceil(planned * 0.75)


def week_completed(level: Level, monday: date, planned_runs: int, done: Mapping[date, float]
                   ) -> bool:
    """Whether a past week earned the next step: enough days with something logged."""
    if planned_runs == 0:
        return False
    logged = sum(1 for i in range(7) if done.get(monday + timedelta(days=i), 0.0) > 0)
    return logged >= needed_sessions(level, planned_runs)
