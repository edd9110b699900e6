"""Best efforts: the fastest segment of a given length anywhere inside a run.

A runner's mile PR can come from the middle of a 5 km race. The search slides a window of
exactly `length` metres along the time/distance stream, interpolating linearly between
samples: time as a function of distance is piecewise linear, so the fastest window starts or
ends on a sample — both families are tried, by binary search (O(n log n)). Pauses count:
a best effort is elapsed time, as a stopwatch (and a race) would measure it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from core.units import METRES_PER_MILE

MILE_M = METRES_PER_MILE
FIVE_K_M = 5000.0
TEN_K_M = 10_000.0
BEST_EFFORT_DISTANCES = (MILE_M, FIVE_K_M, TEN_K_M)
# Men's outdoor world records (World Athletics): El Guerrouj 3:43.13 (1999), Cheptegei
# 12:35.36 and 26:11.00 (2020). A "best effort" faster than these is a broken file, not a PR.
WORLD_RECORD_S = {MILE_M: 223.13, FIVE_K_M: 755.36, TEN_K_M: 1571.0}
ROUNDING_M = 0.05  # coordinates rounded to 1e-7 degrees lose millimetres
EFFORT_NAMES = {MILE_M: "mile", FIVE_K_M: "5 km", TEN_K_M: "10 km"}


@dataclass(frozen=True)
class BestEffort:
    """The fastest `distance_m` inside a run: `seconds`, starting `start_m` metres (and
    `start_s` seconds) into it."""

    distance_m: float
    seconds: float
    start_m: float
    start_s: float


def fastest_segment(
    times: Sequence[float], distances: Sequence[float], length: float
) -> BestEffort | None:
    """The fastest `length` metres of the stream, or None when it is shorter than that.
    `distances` must never decrease; `times` must increase with the index."""
    covered = distances[-1] - distances[0]
    if len(times) < 2 or length <= 0 or covered < length - ROUNDING_M:
        return None
    wanted, length = length, min(length, covered)  # a 10 km run measured 9999.9999… m
    best: BestEffort | None = None
    n = len(times)
    for i in range(n):
        # Leave from sample i (the latest moment at that distance wins: a pause before it
        # is not part of the effort) ...
        if i + 1 < n and distances[i + 1] == distances[i]:
            continue
        target = distances[i] + length
        if target > distances[-1]:
            break
        end = _first_time_at(times, distances, target)
        if best is None or end - times[i] < best.seconds:
            best = BestEffort(wanted, end - times[i], distances[i], times[i])
    for j in range(n):
        # ... or arrive at sample j.
        target = distances[j] - length
        if target < distances[0]:
            continue
        start = _last_time_at(times, distances, target)
        if best is None or times[j] - start < best.seconds:
            best = BestEffort(wanted, times[j] - start, target, start)
    return best


def best_efforts(
    times: Sequence[float], distances: Sequence[float],
    lengths: Sequence[float] = BEST_EFFORT_DISTANCES,
) -> tuple[BestEffort, ...]:
    """The fastest segment for each of `lengths` the run covers."""
    found = (fastest_segment(times, distances, length) for length in lengths)
    return tuple(effort for effort in found if effort is not None)


def _first_time_at(times: Sequence[float], distances: Sequence[float], target: float) -> float:
    """The earliest moment the stream reaches `target` metres."""
    k = bisect_left(distances, target)
    if distances[k] == target or k == 0:
        return times[k]
    return _interpolate(times, distances, k - 1, target)


def _last_time_at(times: Sequence[float], distances: Sequence[float], target: float) -> float:
    """The latest moment the stream is still at `target` metres."""
    k = bisect_right(distances, target) - 1
    if distances[k] == target or k == len(distances) - 1:
        return times[k]
    return _interpolate(times, distances, k, target)


def _interpolate(
    times: Sequence[float], distances: Sequence[float], k: int, target: float
) -> float:
    d0, d1 = distances[k], distances[k + 1]
    return times[k] + (target - d0) / (d1 - d0) * (times[k + 1] - times[k])
