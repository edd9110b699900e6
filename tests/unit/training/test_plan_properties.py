"""The guide's rules, checked over whole plans for many generated runners.

Weeks are calendar weeks; "full" weeks have all seven days inside the plan. A partial first
week is a lead-in and the taper is an intended drop, so load comparisons skip them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations, pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from core.training import Athlete, History, Level, Plan, PlanDay, build_plan
from core.training.model import EASY_TYPES, HARD_TYPES

EXAMPLES = settings(max_examples=150, deadline=None)
BASE = date(2026, 1, 5)

day_sets = st.lists(st.integers(0, 6), min_size=3, max_size=7, unique=True).map(
    lambda days: tuple(sorted(days))
)


@st.composite
def runners(draw: st.DrawFn, race: bool | None = None) -> tuple[Athlete, date, int]:
    level = draw(st.sampled_from(list(Level)))
    mile = draw(st.none() | st.floats(min_value=240, max_value=1500))
    goal = None
    if mile is not None and draw(st.booleans()):
        goal = max(224.0, mile * draw(st.floats(min_value=0.8, max_value=1.0)))
    start = BASE + timedelta(days=draw(st.integers(0, 365)))
    days = draw(st.integers(1, 120))
    want_race = draw(st.booleans()) if race is None else race
    race_date = start + timedelta(days=draw(st.integers(0, 140))) if want_race else None
    athlete = Athlete(
        level, draw(day_sets), mile_time_s=mile, goal_s=goal, race_date=race_date,
        units=draw(st.sampled_from(["km", "mi"])),
    )
    return athlete, start, days


@st.composite
def histories(draw: st.DrawFn, start: date, days: int) -> tuple[History, date]:
    """Logs, skips and sleep over the plan (a seeded generator keeps big histories cheap)."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    done_rate, skip_rate = draw(st.sampled_from([0.0, 0.3, 0.6, 0.9])), rng.random() * 0.1
    span = [start + timedelta(days=k) for k in range(-7, days)]
    done = {d: rng.choice([1.0, 25.0, 40.0]) for d in span if rng.random() < done_rate}
    skipped = frozenset(d for d in span if rng.random() < skip_rate)
    sleep = {d: rng.choice([4.5, 5.5, 6.5, 7.5, 8.5]) for d in span if rng.random() < 0.5}
    today = start + timedelta(days=draw(st.integers(-3, days + 3)))
    return History(done=done, skipped=skipped, sleep=sleep), today


def by_week(plan: Plan) -> dict[int, list[PlanDay]]:
    weeks: dict[int, list[PlanDay]] = defaultdict(list)
    for day in plan.days:
        weeks[day.week].append(day)
    return weeks


def in_taper(plan: Plan, days: list[PlanDay]) -> bool:
    race = plan.athlete.race_date
    return race is not None and any(race - timedelta(days=13) <= d.date <= race for d in days)


def runs(days: list[PlanDay]) -> int:
    return sum(d.run_minutes for d in days)


def check_always(plan: Plan, start: date, length: int) -> None:
    """Rules that hold for every plan, adapted or not."""
    days = plan.days
    race = plan.athlete.race_date
    assert days[0].date == start
    for a, b in pairwise(days):
        assert b.date - a.date == timedelta(days=1)
        assert not (a.intensity == "hard" and b.intensity == "hard"), (a.date, a.type, b.type)
        if plan.athlete.level is Level.BEGINNER:
            assert not (a.run_minutes and b.run_minutes), (a.date, a.type, b.type)
    if race is not None and start <= race <= start + timedelta(days=length - 1):
        assert days[-1].date == race and days[-1].type == "race"
    else:
        assert len(days) == length
    monday = start - timedelta(days=start.weekday())
    for day in days:
        assert day.week == (day.date - monday).days // 7 + 1
        easy = "easy" if day.type in EASY_TYPES else "rest"
        assert day.intensity == ("hard" if day.type in HARD_TYPES else easy)
        assert day.minutes >= day.run_minutes >= day.hard_minutes >= 0
        if day.type == "rest":
            assert day.minutes == 0
        else:
            assert day.minutes > 0 and day.tip
        if day.run_minutes == 0:
            assert day.type in ("rest", "active_recovery", "strength")
    for week in by_week(plan).values():
        if not (len(week) == 1 and week[0].type == "race"):
            assert any(d.type == "rest" for d in week), [d.type for d in week]
        assert sum(d.key for d in week) <= 1


def check_load(plan: Plan, today: date | None = None) -> None:
    """10% rule and 80/20, week over week, for full weeks outside the taper. The week holding
    `today` is not a base: a missed session makes it smaller, not the plan's load."""
    weeks = by_week(plan)
    full = {n: w for n, w in weeks.items() if len(w) == 7}
    for n, week in full.items():
        base_is_today = n - 1 in full and today is not None and any(
            d.date == today for d in full[n - 1])
        if n - 1 in full and not in_taper(plan, week) and not base_is_today:
            assert runs(week) <= runs(full[n - 1]) * 1.10, (n, runs(full[n - 1]), runs(week))
        if plan.athlete.level is not Level.BEGINNER and not in_taper(plan, week):
            hard = sum(d.hard_minutes for d in week)
            assert hard <= 0.25 * runs(week), (n, hard, runs(week))


@EXAMPLES
@given(runners())
def test_every_plan_follows_the_guide(runner: tuple[Athlete, date, int]) -> None:
    athlete, start, length = runner
    plan = build_plan(athlete, start, length)
    check_always(plan, start, length)
    check_load(plan)


@EXAMPLES
@given(st.data())
def test_adapted_plans_still_follow_the_guide(data: st.DataObject) -> None:
    athlete, start, length = data.draw(runners())
    history, today = data.draw(histories(start, length))
    plan = build_plan(athlete, start, length, history, today)
    check_always(plan, start, length)
    check_load(plan, today)


@EXAMPLES
@given(runners())
def test_plans_are_deterministic(runner: tuple[Athlete, date, int]) -> None:
    athlete, start, length = runner
    assert build_plan(athlete, start, length) == build_plan(athlete, start, length)


def max_spaced(days: tuple[int, ...]) -> int:
    """Most sessions (up to 3) with a full day between each, Sunday next to Monday."""
    for size in (3, 2, 1):
        for combo in combinations(days, size):
            if all((a - b) % 7 not in (1, 6) for a, b in combinations(combo, 2)):
                return size
    return 0


@EXAMPLES
@given(runners(race=False))
def test_session_counts_per_level(runner: tuple[Athlete, date, int]) -> None:
    athlete, start, _ = runner
    plan = build_plan(athlete, start, 84)
    available = set(athlete.training_days)
    weeks = [w for w in by_week(plan).values() if len(w) == 7]
    if athlete.level is Level.BEGINNER:
        weeks = weeks[:-1]  # the last week holds the time trial
    for week in weeks:
        run_days = [d for d in week if d.run_minutes > 0]
        hard = [d for d in run_days if d.intensity == "hard"]
        assert all(d.date.weekday() in available for d in run_days)
        assert sum(d.strength_minutes > 0 for d in week) == 2
        assert all(15 <= d.strength_minutes <= 20 for d in week if d.strength_minutes)
        if athlete.level is Level.BEGINNER:
            assert len(run_days) == max_spaced(athlete.training_days)
            assert {d.type for d in run_days} == {"run_walk"} and not hard
        elif athlete.level is Level.IMPROVING:
            assert len(run_days) == min(len(available), 5)
            assert len(hard) == (1 if len(run_days) == 3 else 2)
            assert sum(d.type == "long" for d in run_days) == 1
        else:
            assert len(run_days) == min(len(available), 6)
            assert len(hard) == (1 if len(run_days) == 3 else 2)
            with_strides = [d for d in week if d.strides is not None]
            assert len(with_strides) == 2
            assert all(d.intensity == "easy" and d.run_minutes for d in with_strides)
            assert all(
                4 <= d.strides.count <= 6 and 50 <= d.strides.distance_m <= 100
                for d in with_strides if d.strides
            )
        assert sum(d.key for d in week) == 1


@EXAMPLES
@given(runners(race=False))
def test_load_grows_without_history(runner: tuple[Athlete, date, int]) -> None:
    athlete, start, _ = runner
    plan = build_plan(athlete, start, 12 * 7)
    full = [runs(w) for w in by_week(plan).values() if len(w) == 7]
    if athlete.level is Level.BEGINNER:
        full = full[:-1]
    assert full[1] > full[0]  # it progresses when weeks are completed
    assert all(b >= a for a, b in pairwise(full))
