"""The return after time off (core/training/comeback.py; beginners: adaptation.py), checked
over thousands of generated runners who train, stop for a while, and come back.

Each hypothesis example draws a seed, and each seed a batch of runners: level, days, mile time,
start day, weeks trained (logged as planned), weeks off (at most a short jog), then weeks back
logged from the plan as it stood that week — every run, or most, or about half of them — and a
`today` somewhere in the return or after it. Loads are compared on full weeks other than the
one holding `today` (a missed session there makes it smaller, not the plan's load).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from core.training import Athlete, History, Level, Plan, PlanDay, build_plan

SEEDS = settings(max_examples=100, deadline=None)
BATCH = 25  # runners per seed: 100 seeds × 25 = 2,500 returns per property run
BASE = date(2026, 1, 5)
RETURN_WEEKS = {2: 2, 3: 3, 4: 4}  # weeks off (4: four or more) -> weeks of the return
LONG_BREAK = 3  # weeks off from which the first week back has no quality session
MIN_RUN = 20
RETURN_NOTE = re.compile(r"Welcome back — week (\d) of (\d) building back(, again)?")
OFF_NOTE = re.compile(r"After (\d+) weeks with little running")
BACK_TO_FULL = "Back to full load: the return from time off is done."


@dataclass(frozen=True)
class Case:
    athlete: Athlete
    start: date
    length: int
    history: History
    today: date
    off: int


def on_feet(day: PlanDay) -> int:
    return day.minutes - day.strength_minutes if day.run_minutes else 0


def returning_runner(rng: random.Random, level: Level | None = None) -> Case:
    level = level or rng.choice(list(Level))
    days = tuple(sorted(rng.sample(range(7), rng.randint(3, 7))))
    mile = None if rng.random() < 0.3 else rng.uniform(300, 900)
    athlete = Athlete(level, days, mile_time_s=mile)
    start = BASE + timedelta(days=rng.randint(0, 120))
    monday = start - timedelta(days=start.weekday())
    trained, off, back = rng.randint(1, 9), rng.choice((0, 1, 2, 2, 3, 3, 4, 5, 7)), rng.randint(
        0, 6)
    length = 7 * (trained + off + back + rng.randint(1, 6))
    comply = rng.choice((1.0, 1.0, 0.85, 0.5))
    done: dict[date, float] = {}
    for day in build_plan(athlete, start, length).days:
        if day.week <= trained and day.run_minutes and rng.random() < max(comply, 0.9):
            done[day.date] = float(on_feet(day))
    for week in range(trained + 1, trained + off + 1):
        if rng.random() < 0.3:  # a short jog: still time off (under a quarter of the plan)
            done[monday + timedelta(days=7 * (week - 1) + rng.randint(0, 6))] = 10.0
    for week in range(trained + off + 1, trained + off + back + 1):
        that_monday = monday + timedelta(days=7 * (week - 1))
        plan = build_plan(athlete, start, length, History(done=dict(done)), that_monday)
        for day in plan.days:
            if day.week == week and day.run_minutes and rng.random() < comply:
                done[day.date] = float(on_feet(day))
    today = monday + timedelta(days=7 * (trained + off + back) + rng.randint(0, 6))
    return Case(athlete, start, length, History(done=done), today, off)


def batch(seed: int, level: Level | None = None) -> list[tuple[Case, Plan]]:
    rng = random.Random(seed)
    out = []
    for _ in range(BATCH):
        case = returning_runner(rng, level)
        out.append((case, build_plan(case.athlete, case.start, case.length, case.history,
                                     case.today)))
    return out


def by_week(plan: Plan) -> dict[int, list[PlanDay]]:
    weeks: dict[int, list[PlanDay]] = defaultdict(list)
    for day in plan.days:
        weeks[day.week].append(day)
    return weeks


def load(days: list[PlanDay]) -> int:
    return sum(d.run_minutes for d in days)


def notes(days: list[PlanDay]) -> str:
    return " ".join(d.note for d in days if d.note)


def comparable(plan: Plan, week: list[PlanDay], today: date) -> bool:
    """A full week not holding today, before any closing time trial's eve."""
    trial = next((d.date for d in plan.days if d.type == "time_trial"), None)
    return len(week) == 7 and all(d.date != today for d in week) and (
        trial is None or week[-1].date < trial - timedelta(days=3))


def returns(weeks: dict[int, list[PlanDay]]) -> list[list[tuple[int, int, int, bool, int]]]:
    """Each return as its weeks: (plan week, k, n, again, weeks off)."""
    chains: list[list[tuple[int, int, int, bool, int]]] = []
    for number in sorted(weeks):
        match = RETURN_NOTE.search(notes(weeks[number]))
        if match is None:
            continue
        k, n, again = int(match[1]), int(match[2]), match[3] is not None
        if k == 1 and not again:
            off = OFF_NOTE.search(notes(weeks[number]))
            assert off is not None, notes(weeks[number])
            chains.append([(number, k, n, again, int(off[1]))])
            continue
        assert chains and chains[-1][-1][0] == number - 1, (number, notes(weeks[number]))
        chains[-1].append((number, k, n, again, chains[-1][0][4]))
    return chains


def check_trained_return(case: Case, plan: Plan) -> int:
    """Every rule of a trained runner's return; how many returns the plan holds."""
    weeks = by_week(plan)
    chains = returns(weeks)
    last_week = max(weeks)
    for chain in chains:
        first, _, n, _, off = chain[0]
        assert n == RETURN_WEEKS[min(off, 4)], (off, n)
        before = [load(weeks[w]) for w in weeks
                  if w < first and comparable(plan, weeks[w], case.today)]
        carried = max(before, default=None)
        for (a, ka, _, _, _), (b, kb, _, again, _) in pairwise(chain):
            assert kb == (ka if again else ka + 1), chain  # one step a week run, else repeated
            if comparable(plan, weeks[a], case.today) and comparable(plan, weeks[b], case.today):
                assert load(weeks[a]) <= load(weeks[b]), (chain, load(weeks[a]), load(weeks[b]))
        for number, k, _, _, _ in chain:
            week = weeks[number]
            hard = [d for d in week if d.intensity == "hard"]
            assert len(hard) <= (0 if k == 1 and off >= LONG_BREAK else 1), (number, off, hard)
            assert not any(d.type == "time_trial" for d in week)
            assert all(d.run_minutes >= MIN_RUN for d in week if d.run_minutes)
            if carried is not None and comparable(plan, week, case.today):
                assert load(week) <= carried, (number, load(week), carried)
        end, k_end = chain[-1][0], chain[-1][1]
        starts = {c[0][0] for c in chains}
        if k_end < n:  # only the end of the plan or a new break cuts a return short
            assert end + 1 in starts or not any(
                d.run_minutes for w in range(end + 1, last_week + 1) for d in weeks[w]), chain
        elif end < last_week and RETURN_NOTE.search(notes(weeks[end + 1])) is None:
            after = weeks[end + 1]  # (a last week of the plan without a run has no note)
            assert BACK_TO_FULL in notes(after) or not any(d.run_minutes for d in after)
            if comparable(plan, after, case.today):
                assert all(load(after) >= load(weeks[w]) for w, *_ in chain
                           if comparable(plan, weeks[w], case.today))
    last_run = next((d for d in reversed(plan.days) if d.run_minutes), None)
    inside = {w: (k, n) for chain in chains for w, k, n, _, _ in chain}
    if last_run is not None and last_run.week in inside:  # the plan ends inside a return
        assert not any(d.type == "time_trial" for d in plan.days)
        k, n = inside[last_run.week]
        assert last_run.note is not None and (
            f"You're building back after time off (week {k} of {n}), so the mile time trial "
            "waits" in last_run.note), last_run.note
    return len(chains)


def check_week_rules(plan: Plan) -> None:
    """Rules every plan keeps (tests/unit/training/test_plan_properties.py has them all)."""
    for a, b in pairwise(plan.days):
        assert not (a.intensity == "hard" and b.intensity == "hard"), (a.date, a.type, b.type)
        if plan.athlete.level is Level.BEGINNER:
            assert not (a.run_minutes and b.run_minutes), (a.date, a.type, b.type)
    for week in by_week(plan).values():
        assert sum(d.key for d in week) <= 1


@SEEDS
@given(st.integers(0, 2**32))
def test_a_trained_runner_builds_back_gradually_and_tests_only_at_full_load(seed: int) -> None:
    """Return weeks: as many as the rule gives for the break, load non-decreasing and never
    above the load carried before it, one step a week run (a week not run is repeated), at most
    one quality session (none in the first week after three or more weeks off), every run 20
    minutes or more, no mile time trial; then a week back at full load, saying so."""
    rng = random.Random(seed)
    level = rng.choice([Level.IMPROVING, Level.COMPETITIVE])
    seen = 0
    for case, plan in batch(seed, level):
        check_week_rules(plan)
        seen += check_trained_return(case, plan)
    assert seen, "a batch without a single return tests nothing"


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32))
def test_a_beginner_never_returns_to_more_than_before_the_break(seed: int) -> None:
    """Beginners keep their rule: back to the last run/walk stage they finished, never more
    running nor more time on feet than the week before the return."""
    seen = 0
    for _, plan in batch(seed, Level.BEGINNER):
        check_week_rules(plan)
        weeks = by_week(plan)
        assert not any(RETURN_NOTE.search(notes(w)) for w in weeks.values())
        for number, week in weeks.items():
            if "Welcome back!" not in notes(week):
                continue
            seen += 1
            previous = weeks.get(number - 1, [])
            if len(previous) == 7:
                assert load(week) <= load(previous), (number, load(week), load(previous))
                assert sum(map(on_feet, week)) <= sum(map(on_feet, previous))
    assert seen, "a batch without a single return tests nothing"


def test_the_rule_grows_with_the_break() -> None:
    """Two weeks off: two weeks back; three: three; four or more: four, from lower."""
    athlete = Athlete(Level.COMPETITIVE, (0, 1, 3, 5, 6), mile_time_s=360.0)
    monday = BASE
    plain = build_plan(athlete, monday, 7 * 20).days
    done = {d.date: float(d.minutes) for d in plain if d.run_minutes and d.week <= 6}
    shares = {}
    for off in (2, 3, 4, 6):
        today = monday + timedelta(days=7 * (6 + off))
        plan = build_plan(athlete, monday, 7 * 20, History(done=done), today)
        weeks = by_week(plan)
        held = load(weeks[7])
        chain = returns(weeks)[0]
        shares[off] = [round(load(weeks[w]) / held, 2) for w, *_ in chain]
        assert BACK_TO_FULL in notes(weeks[chain[-1][0] + 1])
        assert load(weeks[chain[-1][0] + 1]) == held
    assert shares == {
        2: [0.5, 0.75],
        3: [0.5, 0.5, 0.75],
        4: [0.33, 0.5, 0.5, 0.75],
        6: [0.33, 0.5, 0.5, 0.75],
    }
