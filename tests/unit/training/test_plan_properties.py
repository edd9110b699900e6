"""The coaching rules, checked over whole plans for thousands of generated runners.

Each hypothesis example draws a seed, and each seed a batch of runners (level, days, mile time,
goal, start, length, race), so every rule below meets a few thousand profiles per run.
Weeks are calendar weeks; "full" weeks have all seven days inside the plan. A partial first
week is a lead-in, and the taper and the closing time trial are intended drops, so load
comparisons skip them.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.training import Athlete, History, Level, Plan, PlanDay, build_plan
from core.training.model import EASY_TYPES, HARD_TYPES
from core.training.paces import estimated_mile_s

SEEDS = settings(max_examples=100, deadline=None)
BATCH = 25  # runners per seed: 100 seeds × 25 = 2,500 profiles per rule
EXAMPLES = settings(max_examples=150, deadline=None)
BASE = date(2026, 1, 5)
Runner = tuple[Athlete, date, int]


def random_runner(rng: random.Random, race: bool | None = None, level: Level | None = None,
                  length: int | None = None) -> Runner:
    level = level or rng.choice(list(Level))
    days = tuple(sorted(rng.sample(range(7), rng.randint(3, 7))))
    mile = None if rng.random() < 0.3 else rng.uniform(240, 1500)
    goal = None
    if mile is not None and rng.random() < 0.5:
        goal = max(224.0, mile * rng.uniform(0.8, 1.0))
    start = BASE + timedelta(days=rng.randint(0, 365))
    length = length or rng.randint(1, 140)
    want_race = rng.random() < 0.5 if race is None else race
    race_date = start + timedelta(days=rng.randint(0, 140)) if want_race else None
    athlete = Athlete(level, days, mile_time_s=mile, goal_s=goal, race_date=race_date,
                      units=rng.choice(["km", "mi"]))
    return athlete, start, length


def batch(seed: int, **kwargs: object) -> Iterator[tuple[Runner, Plan]]:
    rng = random.Random(seed)
    for _ in range(BATCH):
        runner = random_runner(rng, **kwargs)  # type: ignore[arg-type]
        athlete, start, length = runner
        yield runner, build_plan(athlete, start, length)


@st.composite
def runners(draw: st.DrawFn, race: bool | None = None) -> Runner:
    return random_runner(random.Random(draw(st.integers(0, 2**32))), race)


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


def special(plan: Plan, days: list[PlanDay]) -> bool:
    """A week in the last two before a race, or holding the closing time trial (or the week
    before it, whose load the time trial's light week is compared with)."""
    race = plan.athlete.race_date
    if race is not None and any(race - timedelta(days=13) <= d.date <= race for d in days):
        return True
    trials = [d.date for d in plan.days if d.type == "time_trial"]
    return any(t - timedelta(days=3) <= d.date <= t for t in trials for d in days)


def runs(days: list[PlanDay]) -> int:
    return sum(d.run_minutes for d in days)


def on_feet(days: list[PlanDay]) -> int:
    """A beginner's time on feet: the run/walk sessions, strength add-ons left out."""
    return sum(d.minutes - d.strength_minutes for d in days if d.run_minutes)


def load(plan: Plan, days: list[PlanDay]) -> int:
    """What the 10% rule is applied to: running time, or time on feet for beginners."""
    return on_feet(days) if plan.athlete.level is Level.BEGINNER else runs(days)


def full_weeks(plan: Plan) -> list[tuple[int, list[PlanDay]]]:
    return [(n, w) for n, w in sorted(by_week(plan).items()) if len(w) == 7]


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
    weeks = by_week(plan)
    for number, week in weeks.items():
        short_first = number == 1 and len(week) < 4
        if not (len(week) == 1 and week[0].type == "race") and not short_first:
            assert any(d.type == "rest" for d in week), [d.type for d in week]
        assert sum(d.key for d in week) <= 1


def check_load(plan: Plan, today: date | None = None) -> None:
    """The 10% rule (time on feet for beginners) against the higher of the two weeks before
    (so a week after a lighter one returns to where the runner was), and 80/20. The week
    holding `today` is not a base: a missed session makes it smaller, not the plan's load."""
    full = dict(full_weeks(plan))
    for n, week in full.items():
        if special(plan, week):
            continue
        if today is not None and any(
            d.date == today for k in (n - 1, n - 2) if k in full for d in full[k]
        ):
            continue
        before = [load(plan, full[k]) for k in (n - 1, n - 2) if k in full]
        # the first-day session may take a run from the week after a one-to-three-day start
        first_day_week = n - 1 in full and full[n - 1][0].date <= plan.days[0].date + timedelta(
            days=3)
        # after a lighter or repeated week the plan returns to the step it had reached: the
        # 10% is counted from that step, not from the lighter weeks
        reached = max((load(plan, full[k]) for k in full if k < n), default=0)
        if n - 1 in full and before and not first_day_week:
            assert load(plan, week) <= max(max(before), reached) * 1.10 + 1, (
                n, before, load(plan, week))
        if plan.athlete.level is not Level.BEGINNER:
            hard = sum(d.hard_minutes for d in week)
            assert hard <= 0.25 * runs(week), (n, hard, runs(week))


@EXAMPLES
@given(runners())
def test_every_plan_follows_the_guide(runner: Runner) -> None:
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
def test_plans_are_deterministic(runner: Runner) -> None:
    athlete, start, length = runner
    assert build_plan(athlete, start, length) == build_plan(athlete, start, length)


@SEEDS
@given(st.integers(0, 2**32))
def test_thousands_of_plans_follow_the_guide_and_the_10_percent_rule(seed: int) -> None:
    for (_, start, length), plan in batch(seed):
        check_always(plan, start, length)
        check_load(plan)


# --- 1. The beginner's bridge -------------------------------------------------------------


def longest_continuous_s(day: PlanDay) -> int:
    if day.type != "run_walk":
        return 0
    return max((r.seconds or 0 for r in day.reps), default=0)


@SEEDS
@given(st.integers(0, 2**32))
def test_beginner_mile_comes_only_after_a_long_enough_continuous_run(seed: int) -> None:
    for (athlete, _, _), plan in batch(seed, level=Level.BEGINNER, race=False):
        mile_s = estimated_mile_s(athlete) or 12 * 60.0
        finale = [i for i, d in enumerate(plan.days) if d.type == "time_trial"]
        assert len(finale) == (1 if len(plan.days) >= 28 else 0)
        if not finale:
            continue
        i = finale[0]
        longest = max((longest_continuous_s(d) for d in plan.days[:i]), default=0)
        trial = plan.days[i]
        assert trial.hard_minutes == 0  # conversational: not "hard" in the 80/20 header
        if trial.title == "Time trial: your first continuous mile":
            assert longest >= 0.75 * mile_s, (longest, mile_s)
            assert trial.note is None
        else:
            assert longest < 0.75 * mile_s
            assert trial.title == "Mile check: run as far as you comfortably can"
            assert trial.note is not None and "ran out of weeks" in trial.note


@SEEDS
@given(st.integers(0, 2**32))
def test_beginner_sessions_are_20_to_30_minutes_with_a_main_set_of_15_or_more(seed: int
                                                                            ) -> None:
    for _, plan in batch(seed, level=Level.BEGINNER):
        for day in plan.days:
            if day.type != "run_walk":
                continue
            feet = day.minutes - day.strength_minutes
            main = feet - 10  # 5 min brisk walk before, 5 min easy walk after
            assert main >= 15 and 20 <= feet <= 31, (day.date, day.title, feet)
            assert day.steps[0] == "Warm up: 5 min brisk walk"


def test_a_12_week_beginner_bridge_reaches_continuous_running_in_the_guides_stages() -> None:
    plan = build_plan(Athlete(Level.BEGINNER, (0, 2, 5)), BASE, 84)
    segments = []
    for _, week in full_weeks(plan):
        longest = max(longest_continuous_s(d) for d in week)
        if not segments or segments[-1] != longest:
            segments.append(longest)
    assert segments[:9] == [30, 60, 120, 180, 300, 480, 600, 1200, 900]
    assert plan.days[-2].title == "Time trial: your first continuous mile"


# --- 3. The long run ------------------------------------------------------------------------


def long_run(week: list[PlanDay]) -> int:
    return max((d.run_minutes for d in week if d.type == "long"), default=0)


@SEEDS
@given(st.integers(0, 2**32))
def test_long_run_is_a_quarter_to_a_third_of_the_week_and_grows_at_most_10_percent(seed: int
                                                                                   ) -> None:
    for _, plan in batch(seed, level=random.Random(seed).choice(
            [Level.IMPROVING, Level.COMPETITIVE])):
        weeks = dict(full_weeks(plan))
        for n, week in weeks.items():
            if special(plan, week) or not long_run(week) or week[0].date < plan.days[0].date + (
                    timedelta(days=4)):  # the first-day session may stand in for a run
                continue
            per_week = sum(1 for d in week if d.run_minutes)
            share = long_run(week) / runs(week)
            assert 0.2 <= share <= (0.40 if per_week <= 3 else 0.34), (n, share, per_week)
            assert all(d.run_minutes <= long_run(week) + 1 for d in week if d.type == "easy")
            before = [long_run(weeks[k]) for k in (n - 1, n - 2)
                      if k in weeks and not special(plan, weeks[k])]
            if n - 1 in weeks and before:
                assert long_run(week) <= max(before) * 1.10 + 1, (n, before, long_run(week))


# --- 4. Periodization -------------------------------------------------------------------------


@SEEDS
@given(st.integers(0, 2**32))
def test_a_lighter_week_in_every_five(seed: int) -> None:
    for _, plan in batch(seed, race=False, length=140):
        weeks = [w for _, w in full_weeks(plan) if not special(plan, w)]
        loads = [load(plan, w) for w in weeks]
        for k in range(len(loads) - 4):
            window = loads[k:k + 5]
            assert any(x <= 0.85 * max(window) for x in window), window


def quality_signature(week: list[PlanDay]) -> tuple[tuple[str, float | None], ...]:
    return tuple((d.title, d.reps[0].pace_s_per_km if d.reps else None)
                 for d in week if d.intensity == "hard")


@SEEDS
@given(st.integers(0, 2**32))
def test_quality_sessions_progress_instead_of_repeating(seed: int) -> None:
    rng = random.Random(seed)
    for _, plan in batch(seed, race=False, length=16 * 7,
                         level=rng.choice([Level.IMPROVING, Level.COMPETITIVE])):
        weeks = [w for _, w in full_weeks(plan) if not special(plan, w)]
        signatures = [quality_signature(w) for w in weeks]
        run = 1
        for a, b in pairwise(signatures):
            run = run + 1 if a == b else 1
            assert run <= 3, signatures
        first = sum(d.hard_minutes for w in weeks[:3] for d in w)
        last = sum(d.hard_minutes for w in weeks[-4:-1] for d in w)
        assert last >= first


@SEEDS
@given(st.integers(0, 2**32))
def test_a_plan_without_a_race_ends_with_a_mile_time_trial(seed: int) -> None:
    for (_, _, length), plan in batch(seed, race=False):
        trials = [d for d in plan.days if d.type == "time_trial"]
        if not any(d.run_minutes for d in plan.days) or length < 28:
            assert not trials
            continue
        assert len(trials) == 1 and trials[0].date >= plan.days[-1].date - timedelta(days=6)
        i = plan.days.index(trials[0])
        assert all(d.intensity != "hard" for d in plan.days[max(0, i - 2):i])
        assert all(d.intensity != "hard" for d in plan.days[i + 1:])


# --- 2. Taper, for each race weekday -----------------------------------------------------------


@pytest.mark.parametrize("weekday", range(7))
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_taper_for_every_race_weekday(weekday: int, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(BATCH):
        athlete, start, _ = random_runner(rng, race=True)
        race = start + timedelta(days=rng.randint(14, 120))
        race += timedelta(days=(weekday - race.weekday()) % 7)
        athlete = Athlete(athlete.level, athlete.training_days, athlete.mile_time_s,
                          athlete.goal_s, race, units=athlete.units)
        days = build_plan(athlete, start, 200).days
        assert days[-1].date == race and days[-1].type == "race"
        by_date = {race - d.date: d for d in days}

        def at(k: int, by_date: dict[timedelta, PlanDay] = by_date) -> PlanDay | None:
            return by_date.get(timedelta(days=k))

        beginner = athlete.level is Level.BEGINNER
        cap = 30 if beginner else 45
        for k in (1, 2, 3):
            day = at(k)
            if day is not None:
                assert day.run_minutes <= cap, (k, day.title, day.run_minutes)
                if beginner and day.run_minutes:
                    assert day.minutes - day.strength_minutes <= cap
                if k <= 2:
                    assert day.intensity != "hard"
        week_before = [d for k in range(7, 14) if (d := at(k)) is not None]
        taper = [d for k in range(1, 7) if (d := at(k)) is not None]
        if beginner:  # one lighter run/walk early in race week, otherwise walks and rest
            runs_in_taper = [d for d in taper if d.run_minutes]
            assert len(runs_in_taper) <= 1
            assert all(d.description.startswith("A lighter session") for d in runs_in_taper)
        elif len(week_before) == 7:
            before = runs(week_before)
            assert runs(taper) <= 0.70 * before, (before, runs(taper))
            # every easy run at most 60% of its usual length (the long run grows ≤ 10% a week)
            longest = max(d.run_minutes for k in range(7, 21) if (d := at(k)) is not None)
            assert all(d.run_minutes <= 0.66 * longest + 2 for d in taper
                       if d.type in ("easy", "long")), (longest, [d.title for d in taper])
        # never three hard sessions (the race counts) in any seven days
        last = [d for k in range(0, 14) if (d := at(k)) is not None][::-1]
        for lo in range(len(last)):
            assert sum(d.intensity == "hard" for d in last[lo:lo + 7]) <= 2
        sharp = [d for d in taper if d.intensity == "hard"]
        assert len(sharp) <= (0 if beginner else 1)
        if beginner:
            race_day = days[-1]
            assert race_day.steps[0].startswith("Warm up: 10 min brisk walk")
            assert "strides" not in race_day.steps[0]


# --- 7. First day, 8. tips --------------------------------------------------------------------


@SEEDS
@given(st.integers(0, 2**32))
def test_a_runner_who_starts_on_a_training_day_runs_that_day(seed: int) -> None:
    for (athlete, start, _), plan in batch(seed):
        race = athlete.race_date
        if race is not None and (race - start).days < 7:
            continue
        first = plan.days[0]
        if start.weekday() in athlete.training_days:
            assert first.run_minutes > 0 and first.intensity == "easy", first.title
            if athlete.level is Level.BEGINNER:
                assert first.title == "Run/walk: run 30 s / walk 1:30"
            else:
                assert first.type == "easy" and first.run_minutes <= 30
        week_one = [d for d in plan.days if d.week == 1]
        if len(week_one) >= 4 and len(plan.days) > len(week_one):
            assert any(d.type == "rest" for d in week_one)


@SEEDS
@given(st.integers(0, 2**32))
def test_no_tip_more_than_twice_a_week(seed: int) -> None:
    for _, plan in batch(seed):
        for week in by_week(plan).values():
            counts = Counter(d.tip for d in week)
            assert max(counts.values()) <= 2, counts.most_common(2)


# --- Layout ----------------------------------------------------------------------------------


def max_spaced(days: tuple[int, ...]) -> int:
    """Most sessions (up to 3) with a full day between each, Sunday next to Monday."""
    for size in (3, 2, 1):
        for combo in combinations(days, size):
            if all((a - b) % 7 not in (1, 6) for a, b in combinations(combo, 2)):
                return size
    return 0


@EXAMPLES
@given(runners(race=False))
def test_session_counts_per_level(runner: Runner) -> None:
    athlete, start, _ = runner
    start -= timedelta(days=start.weekday())  # a Monday: no first-day session in the way
    plan = build_plan(athlete, start, 84)
    available = set(athlete.training_days)
    # the first week holds the first-day session, the last two the time trial and its eve
    weeks = [w for w in by_week(plan).values() if len(w) == 7][1:-2]
    for week in weeks:
        run_days = [d for d in week if d.run_minutes > 0]
        hard = [d for d in run_days if d.intensity == "hard"]
        assert all(d.date.weekday() in available for d in run_days)
        assert sum(d.strength_minutes > 0 for d in week) == 2
        assert all(15 <= d.strength_minutes <= 20 for d in week if d.strength_minutes)
        if athlete.level is Level.BEGINNER:
            if start.weekday() not in available:
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
def test_load_grows_without_history(runner: Runner) -> None:
    athlete, start, _ = runner
    plan = build_plan(athlete, start, 12 * 7)
    full = [load(plan, w) for _, w in full_weeks(plan) if not special(plan, w)]
    assert full[1] > full[0]  # it progresses when weeks are completed
    assert max(full) > full[0]


def test_a_rolling_horizon_has_no_closing_time_trial() -> None:
    """The app's rolling plan has no closing time trial (its end moves on); a beginner's first
    mile comes once the bridge is ready instead (`passes.add_first_mile`), not at the end."""
    for level in Level:
        athlete = Athlete(level, (0, 2, 5))
        types = [d.type for d in build_plan(athlete, BASE, 84).days]
        assert types.count("time_trial") == 1 and "time_trial" in types[-7:]
        rolling = build_plan(athlete, BASE, 84, finale=False).days
        trials = [i for i, d in enumerate(rolling) if d.type == "time_trial"]
        if level is Level.BEGINNER:
            assert len(trials) == 1 and trials[0] < len(rolling) - 7
            assert rolling[trials[0]].title == "Time trial: your first continuous mile"
        else:
            assert trials == []
