"""How training load grows: weekly running minutes under the 10% rule, run/walk stages, and
whether a past week counts as done (progress is earned by what was logged, not the calendar).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from core.training.levels import Level
from core.training.sessions_easy import STAGES

MAX_STEPS = 160  # a plan never progresses more than once a week: three years is plenty

# Weekly running minutes per run: where each level starts and where it levels off.
BASE_PER_RUN = {Level.BEGINNER: 5, Level.IMPROVING: 32, Level.COMPETITIVE: 45}
CAP_PER_RUN = {Level.BEGINNER: 16, Level.IMPROVING: 45, Level.COMPETITIVE: 60}
# Growth per completed week: the 10% rule is a ceiling, not a target, for trained runners.
GROWTH = {Level.BEGINNER: 1.10, Level.IMPROVING: 1.08, Level.COMPETITIVE: 1.08}
MIN_REPS_TO_ADVANCE = 2  # a run/walk stage is only worth it with at least two full intervals


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of the ladder: the week's running minutes and (beginners) run/walk stage."""

    total: int
    stage: int


@lru_cache(maxsize=64)
def progression(level: Level, runs: int) -> tuple[Step, ...]:
    """The ladder for a level and number of weekly runs; week n of training uses rung n."""
    runs = max(runs, 1)
    total = BASE_PER_RUN[level] * runs
    cap = CAP_PER_RUN[level] * runs
    stage = 0
    steps = [Step(total, stage)]
    for _ in range(MAX_STEPS - 1):
        # floor keeps every increase within the 10% rule in whole minutes
        total = min(cap, max(total, math.floor(total * GROWTH[level])))
        if level is Level.BEGINNER and stage + 1 < len(STAGES):
            shortest_session_s = (total // runs) * 60
            if shortest_session_s >= MIN_REPS_TO_ADVANCE * STAGES[stage + 1][0]:
                stage += 1
        steps.append(Step(total, stage))
    return tuple(steps)


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
