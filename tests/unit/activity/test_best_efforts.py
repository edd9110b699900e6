"""The fastest mile / 5 km inside a run: sliding window over the time/distance stream."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.activity.clean import to_track
from core.activity.efforts import FIVE_K_M, MILE_M, best_efforts, fastest_segment
from core.activity.readers import read_raw
from core.activity.unpack import unpack
from tests.support.activity_files import Leg, Pause, gpx, run


def stream(*legs: Leg | Pause, step: float = 1.0) -> tuple[list[float], list[float]]:
    samples = run(*legs, step=step)
    return [s.t for s in samples], [s.d for s in samples]


def test_even_pace_mile_is_the_pace_times_the_distance() -> None:
    times, distances = stream(Leg(5000, 300))  # 5:00 /km

    mile = fastest_segment(times, distances, MILE_M)

    assert mile is not None
    assert mile.seconds == pytest.approx(MILE_M * 0.3, abs=1e-6)  # 482.8 s


def test_negative_split_finds_the_fast_second_half() -> None:
    times, distances = stream(Leg(2500, 330), Leg(2500, 270))

    mile = fastest_segment(times, distances, MILE_M)

    assert mile is not None
    assert mile.seconds == pytest.approx(MILE_M * 0.27, abs=1e-6)
    assert mile.start_m >= 2500 - 1e-6


def test_a_mile_pr_inside_a_5k_is_interpolated_between_samples() -> None:
    # 1.2 km easy, a fast 1.7 km (a mile and then some) at 3:40 /km, then easy to 5 km —
    # sampled every 5 s, so the mile's ends fall between samples.
    times, distances = stream(Leg(1200, 330), Leg(1700, 220), Leg(2100, 330), step=5.0)

    mile = fastest_segment(times, distances, MILE_M)

    assert mile is not None
    assert mile.seconds == pytest.approx(MILE_M * 0.22, abs=1e-6)  # 5:54.1
    assert 1200 - 1e-6 <= mile.start_m <= 1200 + 1700 - MILE_M + 1e-6


def test_a_pause_counts_in_the_effort_as_on_a_stopwatch() -> None:
    times, distances = stream(Leg(800, 300), Pause(60), Leg(1200, 300))

    mile = fastest_segment(times, distances, MILE_M)

    assert mile is not None
    assert mile.seconds == pytest.approx(MILE_M * 0.3 + 60, abs=1e-6)


def test_a_pause_at_the_start_or_end_of_the_window_is_left_out() -> None:
    times, distances = stream(Leg(400, 300), Pause(120), Leg(MILE_M, 300), Pause(120),
                              Leg(400, 300))

    mile = fastest_segment(times, distances, MILE_M)

    assert mile is not None
    assert mile.seconds == pytest.approx(MILE_M * 0.3, abs=1e-6)


def test_a_run_shorter_than_the_distance_has_no_effort() -> None:
    times, distances = stream(Leg(1500, 300))

    assert fastest_segment(times, distances, MILE_M) is None
    assert [e.distance_m for e in best_efforts(times, distances)] == []


def test_a_5k_covers_the_mile_and_the_5k() -> None:
    times, distances = stream(Leg(5000, 300))

    efforts = best_efforts(times, distances)

    assert [(e.distance_m, round(e.seconds, 6)) for e in efforts] == [
        (MILE_M, round(MILE_M * 0.3, 6)), (FIVE_K_M, 1500.0)
    ]


def test_gps_noise_moves_the_mile_by_little() -> None:
    samples = run(Leg(1000, 330), Leg(MILE_M, 250), Leg(1400, 330), noise=2.5, seed=3)
    track = to_track(read_raw(unpack("noisy.gpx", gpx(samples))))

    mile = fastest_segment(track.times, track.distances, MILE_M)

    assert mile is not None
    assert mile.seconds == pytest.approx(MILE_M * 0.25, rel=0.03)


@given(
    paces=st.lists(st.floats(min_value=200, max_value=600), min_size=1, max_size=6),
    lengths=st.lists(st.floats(min_value=100, max_value=2000), min_size=6, max_size=6),
    step=st.sampled_from([1.0, 2.0, 7.0]),
)
def test_the_window_is_never_slower_than_any_leg_fully_inside_it_nor_faster_than_the_best(
    paces: list[float], lengths: list[float], step: float
) -> None:
    legs = [Leg(length, pace) for length, pace in zip(lengths, paces, strict=False)]
    times, distances = stream(*legs, step=step)
    mile = fastest_segment(times, distances, MILE_M)
    if distances[-1] < MILE_M:
        assert mile is None
        return
    assert mile is not None
    fastest, slowest = min(paces) / 1000, max(paces) / 1000
    assert MILE_M * fastest - 1e-6 <= mile.seconds <= MILE_M * slowest + 1e-6
    # A brute-force check on a fine grid of start points never beats it.
    for k in range(0, 200):
        start = k * (distances[-1] - MILE_M) / 199
        assert _time_at(times, distances, start + MILE_M) - _time_at(
            times, distances, start) >= mile.seconds - 1e-6


def _time_at(times: list[float], distances: list[float], target: float) -> float:
    for k in range(1, len(distances)):
        if distances[k] >= target:
            d0, d1 = distances[k - 1], distances[k]
            return times[k - 1] + (target - d0) / (d1 - d0) * (times[k] - times[k - 1])
    return times[-1]
