"""Paces after time off (core/training/detraining.py, used by comeback.py): Daniels' FVDOT-1,
the days off it is read at, and return paces that are never faster than before the break and
slower the longer it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.training import Athlete, History, Level, Plan, build_plan
from core.training.detraining import days_off, fvdot1
from core.training.model import Paces
from core.training.paces import compute_paces, slowed

MON = date(2026, 6, 1)
PROPERTY = settings(max_examples=60, deadline=None)
PACED = ("intervals", "vo2max", "threshold", "mile_pace")

# Daniels' Running Formula, "VDOT adjustments – time off" (VDOT O2), column FVDOT-1
DANIELS_FVDOT1 = {
    0: 1.000, 5: 1.000, 6: 0.997, 7: 0.994, 10: 0.985, 14: 0.973, 21: 0.952, 28: 0.931,
    35: 0.910, 42: 0.889, 49: 0.868, 56: 0.847, 63: 0.826, 70: 0.805, 72: 0.800, 100: 0.800,
}


@pytest.mark.parametrize(("days", "factor"), DANIELS_FVDOT1.items())
def test_fvdot1_is_daniels_table(days: int, factor: float) -> None:
    assert fvdot1(days) == factor


def test_days_off_run_from_the_last_run_before_the_break_to_the_return() -> None:
    sunday = MON - timedelta(days=1)
    history = History(done={sunday - timedelta(days=2): 40.0, MON + timedelta(days=3): 10.0})
    # last run Friday before the break; two weeks off; back on the Monday after: 16 days
    assert days_off(history, MON, MON + timedelta(weeks=2)) == 16
    assert days_off(History(), MON, MON + timedelta(weeks=2)) == 14  # nothing logged before


def paces_of(mile_s: float) -> Paces:
    return compute_paces(Athlete(Level.IMPROVING, (1, 3, 5), mile_time_s=mile_s))


def pace_fields(paces: Paces) -> tuple[float, ...]:
    values = (paces.threshold, paces.interval, paces.repetition, paces.goal_mile_400,
              *(paces.easy or ()))
    return tuple(v for v in values if v is not None)


@PROPERTY
@given(st.floats(300, 900), st.integers(0, 120), st.integers(0, 120))
def test_slower_paces_never_faster_and_slower_the_longer_the_break(
    mile_s: float, days_a: int, days_b: int
) -> None:
    before = paces_of(mile_s)
    short, long = sorted((days_a, days_b))
    after_short, after_long = slowed(before, fvdot1(short)), slowed(before, fvdot1(long))
    for old, a, b in zip(pace_fields(before), pace_fields(after_short), pace_fields(after_long),
                         strict=True):
        assert old <= a <= b


def returning_plan(athlete: Athlete, on: int, off: int) -> tuple[Plan, int]:
    """The plan of a runner who ran `on` weeks as planned, then nothing for `off` weeks; today
    is the first day back. Also the first week back."""
    length = 7 * (on + off + 4)
    plain = build_plan(athlete, MON, length).days
    done = {d.date: float(d.minutes) for d in plain if d.run_minutes and d.week <= on}
    today = MON + timedelta(weeks=on + off)
    return build_plan(athlete, MON, length, History(done=done), today), on + off + 1


def rep_paces(plan: Plan, weeks: range) -> dict[str, list[float]]:
    paces: dict[str, list[float]] = {}
    for day in plan.days:
        if day.week in weeks and day.type in PACED:
            paces.setdefault(day.type, []).extend(
                r.pace_s_per_km for r in day.reps if r.pace_s_per_km is not None)
    return paces


@PROPERTY
@given(
    st.sampled_from([Level.IMPROVING, Level.COMPETITIVE]),
    st.sets(st.integers(0, 6), min_size=3, max_size=6).map(lambda s: tuple(sorted(s))),
    st.floats(300, 900),
    st.integers(4, 9),
    st.integers(2, 8),
)
def test_return_paces_never_faster_than_before_and_slower_after_longer_breaks(
    level: Level, days: tuple[int, ...], mile_s: float, on: int, off: int
) -> None:
    athlete = Athlete(level, days, mile_time_s=mile_s)
    plan, back = returning_plan(athlete, on, off)
    longer, _ = returning_plan(athlete, on, off + 1)
    before = rep_paces(plan, range(1, on + 1))
    returning = rep_paces(plan, range(back, back + 4))
    for kind, paces in returning.items():
        if before.get(kind):
            assert min(paces) >= min(before[kind]), kind  # never faster than before the break
    start = build_plan(athlete, MON, 7).paces
    for fresh, short, long in zip(pace_fields(start), pace_fields(plan.paces),
                                  pace_fields(longer.paces), strict=True):
        assert fresh <= short <= long


def test_the_first_interval_session_back_is_slower_by_daniels_factor() -> None:
    """Two weeks off (last run the Sunday before, back on a Monday: 14 days, FVDOT-1 0.973):
    the first return week's VO2max intervals run at the pace of 0.973 × the VDOT before."""
    athlete = Athlete(Level.COMPETITIVE, (1, 3, 5, 6), mile_time_s=420.0)
    plan, back = returning_plan(athlete, 8, 2)
    before = rep_paces(plan, range(8, 9))["vo2max"][0]
    first_back = rep_paces(plan, range(back, back + 1))["vo2max"][0]
    fresh = build_plan(athlete, MON, 7).paces
    assert fresh.vdot is not None and fresh.interval == before  # same VDOT up to the break
    assert first_back == slowed(fresh, 0.973).interval
    assert first_back / before == pytest.approx(1 / 0.973, rel=0.01)  # a touch over 2.7 % slower
    note = next(d.note for d in plan.days if d.week == back and d.note)
    assert note.endswith(
        "Paces are a little easier for now (about 3% after 2 weeks off); a time trial will set "
        "them again."
    )


def test_a_result_from_the_break_on_sets_the_paces_as_they_are() -> None:
    """Daniels: once you resume racing, use race times — a mile time set on or after the first
    day of the break is not slowed."""
    athlete = Athlete(Level.COMPETITIVE, (1, 3, 5, 6), mile_time_s=420.0)
    fresh = build_plan(athlete, MON, 7).paces
    tested = Athlete(Level.COMPETITIVE, (1, 3, 5, 6), mile_time_s=420.0,
                     fitness_on=MON + timedelta(weeks=10))
    plan, _ = returning_plan(tested, 8, 2)
    assert plan.paces == fresh
    assert not any("Paces are" in (d.note or "") for d in plan.days)
    before, _ = returning_plan(
        Athlete(Level.COMPETITIVE, (1, 3, 5, 6), mile_time_s=420.0, fitness_on=MON), 8, 2)
    assert before.paces == slowed(fresh, 0.973)  # a result before the break is slowed


def test_beginners_and_runners_without_a_time_are_unaffected() -> None:
    for athlete in (Athlete(Level.BEGINNER, (1, 3, 5)), Athlete(Level.IMPROVING, (1, 3, 5, 6))):
        plan, _ = returning_plan(athlete, 8, 3)
        assert plan.paces == build_plan(athlete, MON, 7).paces
        assert not any("Paces are" in (d.note or "") for d in plan.days)
