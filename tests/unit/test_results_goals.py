"""The rules behind results and goals (core/results.py, core/goals.py), over generated inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.goals import (
    MAX_BLOCK_GAIN,
    MAX_GAIN_PER_WEEK,
    check_goal,
    counter_proposal,
    equivalent_mile_s,
    realistic_goal,
    weeks_available,
)
from core.race_distances import DISTANCES, distance_key, standard_distance
from core.results import (
    RECENT_DAYS,
    Effort,
    _fitness_update,
    _new_bests,
    effort_kind,
)
from core.storage.personal_bests import BestRecord
from core.storage.runners import Runner
from core.training.levels import MILE_M
from core.training.paces import vdot

PROPERTY = settings(max_examples=400, deadline=None)
TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, tzinfo=UTC)
miles = st.floats(min_value=240.0, max_value=1500.0)
weeks = st.floats(min_value=1.0, max_value=52.0)
kinds = st.sampled_from(["race", "time_trial", "best_effort"])


@PROPERTY
@given(st.sampled_from([k for k in DISTANCES if DISTANCES[k][0] >= 1500]), miles)
def test_a_race_converts_to_the_mile_of_the_same_vdot(key: str, mile: float) -> None:
    """Daniels: equivalent performances share a VDOT (1500 m and longer)."""
    metres = DISTANCES[key][0]
    # a race time of about the runner's level over that distance
    seconds = mile * (metres / MILE_M) ** 1.06
    converted = equivalent_mile_s(metres, seconds)
    assert vdot(MILE_M, converted) == pytest.approx(vdot(metres, seconds), abs=0.05)
    assert equivalent_mile_s(metres, seconds * 1.01) > converted  # slower race, slower mile


@PROPERTY
@given(miles, weeks)
def test_the_proposed_goal_is_always_realistic_and_faster(mile: float, span: float) -> None:
    goal = realistic_goal(mile, span)
    assert goal < mile
    assert check_goal(mile, goal, span).realistic
    assert counter_proposal(mile, goal, span) is None


@PROPERTY
@given(miles, st.floats(min_value=0.5, max_value=1.0), weeks)
def test_a_goal_gets_a_counter_proposal_exactly_when_it_asks_too_much(
    mile: float, ratio: float, span: float
) -> None:
    goal = mile * ratio
    needed = (1 - ratio) / span
    line = counter_proposal(mile, goal, span)
    too_much = needed > MAX_GAIN_PER_WEEK + 1e-6 or (1 - ratio) > MAX_BLOCK_GAIN + 1e-6
    if abs(needed - MAX_GAIN_PER_WEEK) < 1e-6 or abs(1 - ratio - MAX_BLOCK_GAIN) < 1e-6:
        return  # at the limit itself, float noise decides
    assert (line is not None) == too_much
    if line is not None:
        assert "I'd aim for" in line
        assert "your call" in line


def test_weeks_available_count_to_the_race_or_a_block() -> None:
    assert weeks_available(TODAY, TODAY + timedelta(days=21)) == 3.0
    assert weeks_available(TODAY, None) == 8.0
    assert weeks_available(TODAY, TODAY + timedelta(days=2)) == 1.0


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(list(DISTANCES)), st.floats(0.5, 3.0), kinds),
                min_size=1, max_size=6),
       st.dictionaries(st.sampled_from(list(DISTANCES)), st.floats(0.5, 3.0)))
def test_a_best_is_only_ever_faster_than_the_one_before(
    efforts: list[tuple[str, float, str]], before: dict[str, float]
) -> None:
    def seconds(key: str, minutes_per_km: float) -> float:
        return DISTANCES[key][0] / 1000 * minutes_per_km * 60

    old = {
        key: BestRecord(key, DISTANCES[key][0], seconds(key, pace), TODAY, "race", "console")
        for key, pace in before.items()
    }
    new = _new_bests(
        [Effort(DISTANCES[k][0], seconds(k, pace), kind) for k, pace, kind in efforts],  # type: ignore[arg-type]
        old, TODAY, "console", None,
    )
    assert len({b.distance for b in new}) == len(new)  # one per distance
    for best in new:
        if best.distance in old:
            assert best.seconds < old[best.distance].seconds
        fastest = min(seconds(k, p) for k, p, _ in efforts if k == best.distance)
        assert best.seconds == round(fastest, 1)
    # the same efforts again set nothing new
    again = {**old, **{b.distance: b for b in new}}
    assert _new_bests(
        [Effort(DISTANCES[k][0], seconds(k, p), kind) for k, p, kind in efforts],  # type: ignore[arg-type]
        again, TODAY, "console", None,
    ) == []


@PROPERTY
@given(st.none() | miles, st.sampled_from(list(DISTANCES)), st.floats(0.7, 1.4), kinds,
       st.integers(0, 120))
def test_fitness_follows_recent_results_and_only_a_time_trial_lowers_it(
    mile: float | None, key: str, factor: float, kind: str, days_ago: int
) -> None:
    runner = Runner(id=1, mile_time_s=mile, created_at=NOW, updated_at=NOW)
    metres = DISTANCES[key][0]
    seconds = (mile or 480.0) * factor * (metres / MILE_M) ** 1.06
    effort = Effort(metres, seconds, kind)  # type: ignore[arg-type]
    on = TODAY - timedelta(days=days_ago)
    best = BestRecord(key, metres, seconds, on, kind, "console")
    updated = _fitness_update(runner, [effort], [best], on, TODAY)
    if days_ago > RECENT_DAYS or not 400 <= metres <= 50_000:
        assert updated is None
        return
    if updated is not None and mile is not None and updated > mile:
        assert kind == "time_trial"


@pytest.mark.parametrize(("session_type", "note", "kind"), [
    ("race", "", "race"),
    ("time_trial", "", "time_trial"),
    (None, "race", "race"),
    (None, "Parkrun PB!", "race"),
    (None, "time trial on the track", "time_trial"),
    (None, "TT", "time_trial"),
    (None, "felt strong", None),
    ("easy", "racing thoughts", "race"),
    (None, "", None),
])
def test_which_logs_are_results(session_type: str | None, note: str, kind: str | None) -> None:
    assert effort_kind(session_type, note) == kind


def test_distance_names_and_tolerances() -> None:
    assert distance_key("5km") == "5k" and distance_key("Half") == "half"
    assert distance_key("7k") is None
    assert standard_distance(5040.0, "race") == "5k"  # 0.8 %: a course
    assert standard_distance(5040.0, "best_effort") is None  # a segment must be exact
    assert standard_distance(1609.0, "best_effort") == "mile"
