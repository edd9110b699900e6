"""Paces against Daniels' tables, Riegel, and the effort fallback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.training import Athlete, Level, compute_paces, riegel, vdot
from core.training.levels import MILE_M
from core.training.paces import estimated_mile_s, fraction_sustainable, oxygen_cost

FIVE_FIFTY = 5 * 60 + 50.0


def athlete(**kw: object) -> Athlete:
    return Athlete(Level.COMPETITIVE, (1, 3, 5, 6), **kw)  # type: ignore[arg-type]


def test_daniels_equations_match_published_form() -> None:
    # 1 km in 4 min: v = 250 m/min
    assert oxygen_cost(250) == pytest.approx(-4.60 + 0.182258 * 250 + 0.000104 * 250**2)
    # a very long effort tends to 80% of VO2max
    assert fraction_sustainable(10_000) == pytest.approx(0.8, abs=1e-6)


def test_five_fifty_mile_is_vdot_50() -> None:
    assert vdot(MILE_M, FIVE_FIFTY) == pytest.approx(50, abs=1)


def test_five_fifty_mile_paces_match_daniels_table() -> None:
    paces = compute_paces(athlete(mile_time_s=FIVE_FIFTY))
    assert paces.vdot == pytest.approx(50, abs=1)
    assert paces.threshold == pytest.approx(4 * 60 + 15, abs=5)
    assert paces.easy is not None
    assert paces.easy[0] == pytest.approx(4 * 60 + 56, abs=10)
    assert paces.easy[1] == pytest.approx(5 * 60 + 34, abs=10)
    assert paces.interval == pytest.approx(3 * 60 + 55, abs=5)
    assert paces.repetition == pytest.approx(3 * 60 + 40, abs=5)


def test_goal_mile_pace_is_per_400m() -> None:
    paces = compute_paces(athlete(mile_time_s=400.0, goal_s=360.0))
    assert paces.goal_mile_400 == pytest.approx(360 * 400 / 1609.344, abs=0.05)


def test_goal_pace_falls_back_to_current_mile() -> None:
    paces = compute_paces(athlete(mile_time_s=400.0))
    assert paces.goal_mile_400 == pytest.approx(400 * 400 / 1609.344, abs=0.05)


def test_no_time_means_effort_only() -> None:
    paces = compute_paces(athlete())
    assert (paces.easy, paces.threshold, paces.interval, paces.repetition, paces.vdot) == (
        None, None, None, None, None
    )
    assert paces.goal_mile_400 is None


def test_riegel_formula_and_recent_race_conversion() -> None:
    assert riegel(5000, 1200, 10_000) == pytest.approx(1200 * 2**1.06)
    runner = athlete(recent_race=(5000.0, 20 * 60.0))
    mile = estimated_mile_s(runner)
    assert mile == pytest.approx(1200 * (MILE_M / 5000) ** 1.06)
    # VDOT comes straight from the race: a 20:00 5k is about VDOT 49.8 in Daniels' tables
    assert compute_paces(runner).vdot == pytest.approx(49.8, abs=1)


@given(st.floats(min_value=240, max_value=1500))
def test_paces_are_ordered_from_easy_to_fast(mile_s: float) -> None:
    p = compute_paces(athlete(mile_time_s=mile_s))
    assert p.easy is not None and p.threshold and p.interval and p.repetition
    assert p.easy[1] > p.easy[0] > p.threshold > p.interval > p.repetition
    # the mile itself is raced faster than threshold pace
    assert mile_s * 1000 / MILE_M < p.threshold
