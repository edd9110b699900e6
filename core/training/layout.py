"""The shape of a training week: which weekday holds which kind of session.

A layout is chosen once per runner (it depends only on level and training days) by trying every
arrangement of the available days: there are at most a few hundred, and the result is cached.
Weekdays wrap around (Sunday is next to Monday), so rules hold across week boundaries too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from core.training.levels import Level

REST, RECOVERY, STRENGTH = "rest", "recovery", "strength"
RUN, EASY, LONG, KEY, HARD = "run", "easy", "long", "key", "hard"
RUN_ROLES = frozenset({RUN, EASY, LONG, KEY, HARD})
HARD_ROLES = frozenset({KEY, HARD})

MAX_RUNS = {Level.BEGINNER: 3, Level.IMPROVING: 5, Level.COMPETITIVE: 6}
WEEKEND_LONG = {6: 0, 5: 1}  # long run on Sunday, else Saturday, else whenever it fits


@dataclass(frozen=True, eq=False)
class WeekLayout:
    """Roles by weekday (0=Mon), plus which run days carry strength work or strides.

    Layouts are cached singletons, so identity equality (and the cheap identity hash it gives
    for the session caches) is exact.
    """

    roles: tuple[str, ...]
    strength_on: frozenset[int]
    strides_on: frozenset[int]
    # Derived from `roles`, kept as fields because every week of every plan reads them.
    run_days: tuple[int, ...] = field(init=False)
    hard_days: tuple[int, ...] = field(init=False)
    easy_days: tuple[int, ...] = field(init=False)
    long_day: int | None = field(init=False)

    def __post_init__(self) -> None:
        roles = self.roles
        object.__setattr__(self, "run_days", tuple(d for d in range(7) if roles[d] in RUN_ROLES))
        object.__setattr__(self, "hard_days", tuple(d for d in range(7) if roles[d] in HARD_ROLES))
        object.__setattr__(self, "easy_days", tuple(d for d in range(7) if roles[d] == EASY))
        object.__setattr__(self, "long_day", roles.index(LONG) if LONG in roles else None)


def adjacent(a: int, b: int) -> bool:
    """Whether two weekdays are consecutive days (Sunday and Monday are)."""
    return (a - b) % 7 in (1, 6)


def hard_sessions_for(level: Level, runs: int) -> int:
    """The guide: one faster session a week at three runs, two at four or more."""
    if level is Level.BEGINNER:
        return 0
    return 1 if runs <= 3 else 2


@lru_cache(maxsize=512)
def week_layout(level: Level, training_days: tuple[int, ...]) -> WeekLayout:
    """The best week for a level and a set of available weekdays."""
    long_day: int | None
    hard: tuple[int, ...]
    if level is Level.BEGINNER:
        runs, long_day, hard = _beginner_runs(training_days), None, ()
    else:
        runs, long_day, hard = _runner_week(level, training_days)
    roles = [RECOVERY] * 7
    for d in runs:
        roles[d] = RUN if level is Level.BEGINNER else EASY
    if long_day is not None:
        roles[long_day] = LONG
    for i, d in enumerate(hard):
        roles[d] = KEY if i == 0 else HARD
    if level is Level.BEGINNER and runs:
        roles[runs[0]] = KEY
    roles[_rest_day(level, training_days, runs, long_day)] = REST
    strength_on = _strength(roles, level)
    strides_on = _strides(roles) if level is Level.COMPETITIVE else frozenset()
    return WeekLayout(tuple(roles), strength_on, strides_on)


def _beginner_runs(days: tuple[int, ...]) -> tuple[int, ...]:
    """Up to three sessions with at least one full day between each, across weeks too (the
    guide: three sessions a week, a day of full rest between each)."""
    for size in range(min(3, len(days)), 0, -1):
        for combo in combinations(days, size):
            if not any(adjacent(a, b) for a, b in combinations(combo, 2)):
                return combo
    return ()


def _runner_week(level: Level, days: tuple[int, ...]
                 ) -> tuple[tuple[int, ...], int, tuple[int, ...]]:
    n = min(len(days), MAX_RUNS[level])
    want_hard = hard_sessions_for(level, n)
    best: tuple[object, ...] | None = None
    choice: tuple[tuple[int, ...], int, tuple[int, ...]] = ((), 0, ())
    for runs in combinations(days, n):
        run_pairs = sum(adjacent(a, b) for a, b in combinations(runs, 2))
        for long_day in runs:
            others = [d for d in runs if d != long_day]
            for count in range(min(want_hard, len(others)), -1, -1):
                for hard in combinations(others, count):
                    if any(adjacent(a, b) for a, b in combinations(hard, 2)):
                        continue
                    spacing = min(((b - a) % 7 for a, b in combinations(hard, 2)), default=0)
                    spacing = min(spacing, 7 - spacing) if count > 1 else 0
                    cost = (
                        -count,
                        sum(adjacent(h, long_day) for h in hard),
                        run_pairs,
                        WEEKEND_LONG.get(long_day, 2),
                        -spacing,
                        hard,
                        runs,
                    )
                    if best is None or cost < best:
                        best, choice = cost, (runs, long_day, hard)
    return choice


def _rest_day(level: Level, days: tuple[int, ...], runs: tuple[int, ...], long_day: int | None
              ) -> int:
    """A full rest day (the guide: one full rest day every week): a day the runner can't train
    if there is one, after the long run if possible (beginners: Sunday first)."""
    free = [d for d in range(7) if d not in runs]
    after_long = None if long_day is None else (long_day + 1) % 7

    def cost(d: int) -> tuple[int, int, int]:
        preferred = 6 if level is Level.BEGINNER else after_long
        return (d in days, d != preferred, -d if level is Level.BEGINNER else d)

    return min(free, key=cost)


def _strength(roles: list[str], level: Level) -> frozenset[int]:
    """Strength twice a week (the guide: 15–20 min twice a week wards off injuries): after easy
    runs, else as its own (gentle) day."""
    hard = {d for d, r in enumerate(roles) if r in HARD_ROLES}
    easy_roles = {RUN, KEY} if level is Level.BEGINNER else {EASY}
    candidates = sorted(
        (d for d, r in enumerate(roles) if r in easy_roles),
        key=lambda d: ((d + 1) % 7 in hard, d),
    )
    chosen = candidates[:2]
    if len(chosen) < 2:
        spare = sorted(
            (d for d, r in enumerate(roles) if r == RECOVERY),
            key=lambda d: ((d + 1) % 7 in hard, any(adjacent(d, c) for c in chosen), d),
        )
        for d in spare[: 2 - len(chosen)]:
            roles[d] = STRENGTH
    return frozenset(chosen)


def _strides(roles: list[str]) -> frozenset[int]:
    """Strides twice a week after easy runs, the long run if there is only one easy day (the
    guide: 4–6 × 50–100 m, twice a week, for competitive runners)."""
    easy = [d for d, r in enumerate(roles) if r == EASY]
    longs = [d for d, r in enumerate(roles) if r == LONG]
    return frozenset((easy + longs)[:2])
