"""Training-plan throughput: `build_plan` for 12-week plans over many varied runners.

Figures are measured against two references taken in the same process: the 2,000 plans/s
target, and a trivial loop that builds one tuple per day of the same 84 days (the Python
floor for anything that touches every day). Also: JSON rendering of the same plans.

Times are CPU time of this process (`time.process_time`), so the figure is "per core" even
on a busy machine. Plans are dropped as they are built, as the app does.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from core.training import Athlete, History, Level, build_plan, plan_to_dict
from core.training.model import Plan

TARGET_PER_S = 2_000
PLAN_DAYS = 12 * 7
RUNNERS = 2_000
SEED = 20260601
MIN_SECONDS = 1.0  # repeat each measurement for at least this much CPU time

Case = tuple[Athlete, date, History | None, date | None]


def cases(count: int = RUNNERS, seed: int = SEED) -> list[Case]:
    """Varied runners: every level, day set, mile time or none, races, some with history."""
    rng = random.Random(seed)
    out: list[Case] = []
    for _ in range(count):
        level = rng.choice(list(Level))
        days = tuple(sorted(rng.sample(range(7), rng.randint(3, 7))))
        mile = None if rng.random() < 0.3 else round(rng.uniform(300, 900), 1)
        goal = None if mile is None or rng.random() < 0.5 else round(mile * 0.95, 1)
        start = date(2026, 1, 5) + timedelta(days=rng.randrange(365))
        race = start + timedelta(days=rng.randint(30, 120)) if rng.random() < 0.4 else None
        athlete = Athlete(level, days, mile_time_s=mile, goal_s=goal, race_date=race,
                          units=rng.choice(("km", "mi")))
        history, today = None, None
        if rng.random() < 0.25:
            today = start + timedelta(days=rng.randint(0, PLAN_DAYS - 1))
            span = [start + timedelta(days=k) for k in range((today - start).days + 1)]
            history = History(
                done={d: 30.0 for d in span if rng.random() < 0.5},
                sleep={d: rng.choice((5.5, 7.0, 8.0)) for d in span[-7:]},
            )
        out.append((athlete, start, history, today))
    return out


def per_second(work: Callable[[], int]) -> float:
    """Items per CPU second of `work` (which returns how many items it did), repeated."""
    done, started = 0, time.process_time()
    while True:
        done += work()
        elapsed = time.process_time() - started
        if elapsed >= MIN_SECONDS:
            return done / elapsed


def build_all(batch: Sequence[Case]) -> int:
    """Build every plan and let it go; returns the number of days planned."""
    days = 0
    for athlete, start, history, today in batch:
        days += len(build_plan(athlete, start, PLAN_DAYS, history, today).days)
    return days


def trivial_days(batch: Sequence[Case]) -> int:
    """The floor: one small tuple per day of each plan, nothing else."""
    one = timedelta(days=1)
    for _, start, _, _ in batch:
        day, week = start, []
        for i in range(PLAN_DAYS):
            week.append((day, i // 7 + 1, "easy", i))
            day += one
        tuple(week)
    return len(batch)


def run() -> list[str]:
    batch = cases()
    started = time.process_time()
    days = build_all(batch) / len(batch)  # first pass: layouts and texts not cached yet
    cold = len(batch) / (time.process_time() - started)
    warm = per_second(lambda: build_all(batch) and len(batch))
    floor = per_second(lambda: trivial_days(batch))
    plans: list[Plan] = [build_plan(a, s, PLAN_DAYS, h, t) for a, s, h, t in batch[:200]]
    as_json = per_second(lambda: len([plan_to_dict(p) for p in plans]))
    return [
        f"build_plan, 12-week plans over {len(batch):,} varied runners: {warm:,.0f} plans/s "
        f"({1000 / warm:.2f} ms each, {days:.0f} days avg)",
        f"  vs target {TARGET_PER_S:,}/s: x{warm / TARGET_PER_S:.2f}"
        + ("" if warm >= TARGET_PER_S else "  BELOW TARGET"),
        f"  first pass, cold caches: {cold:,.0f} plans/s (x{cold / TARGET_PER_S:.2f} of target)",
        f"  baseline, one tuple per day: {floor:,.0f} plans/s; build_plan costs "
        f"x{floor / warm:.1f} the floor",
        f"plan_to_dict: {as_json:,.0f} plans/s",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
