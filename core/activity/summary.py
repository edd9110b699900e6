"""What Pacer keeps of a run: its summary, its splits and its best efforts (never the track).

- moving time: the time spent going at least `MOVING_SPEED` (a slow walk; a watch standing
  at a traffic light drifts slower than that);
- splits: per km or per mile in the runner's units, each the moving time of that stretch
  (as watches and Strava show them), the last one partial;
- elevation gain: climbs summed with a `CLIMB_THRESHOLD_M` hysteresis, so that a few metres of
  GPS or barometer jitter never add up to a hill;
- average heart rate: time-weighted over the samples that carry one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.activity.efforts import BestEffort, best_efforts
from core.activity.track import Track
from core.units import METRES_PER_UNIT

MOVING_SPEED = 0.8  # m/s
CLIMB_THRESHOLD_M = 3.0
HR_GAP_S = 10.0  # a heart-rate sample stands for at most this long


@dataclass(frozen=True)
class Split:
    """One km or mile of the run: its number, length and moving time."""

    number: int
    distance_m: float
    seconds: float


@dataclass(frozen=True)
class Activity:
    """Everything Pacer keeps of an activity file."""

    started_at: datetime  # UTC
    sport: str
    file_format: str
    distance_m: float
    elapsed_s: float
    moving_s: float
    elevation_gain_m: float | None
    avg_heart_rate: int | None
    split_unit: str  # "km" or "mi"
    splits: tuple[Split, ...]
    efforts: tuple[BestEffort, ...]
    smoothed_points: int = 0


def summarise(track: Track, sport: str, file_format: str, units: str) -> Activity:
    moving = cumulative_moving(track.times, track.distances)
    unit = "mi" if units == "mi" else "km"
    return Activity(
        started_at=track.start,
        sport=sport,
        file_format=file_format,
        distance_m=track.distance_m,
        elapsed_s=track.elapsed_s,
        moving_s=moving[-1],
        elevation_gain_m=elevation_gain(track.elevations),
        avg_heart_rate=average_heart_rate(track.times, track.heart_rates),
        split_unit=unit,
        splits=splits(track.distances, moving, METRES_PER_UNIT[unit]),
        efforts=best_efforts(track.times, track.distances),
        smoothed_points=track.smoothed_points,
    )


def cumulative_moving(times: Sequence[float], distances: Sequence[float]) -> list[float]:
    """Moving seconds up to each sample."""
    out = [0.0]
    for k in range(1, len(times)):
        dt, dd = times[k] - times[k - 1], distances[k] - distances[k - 1]
        out.append(out[-1] + (dt if dt > 0 and dd / dt >= MOVING_SPEED else 0.0))
    return out


def splits(
    distances: Sequence[float], moving: Sequence[float], unit_m: float
) -> tuple[Split, ...]:
    """Moving time per `unit_m`, the last split partial (left out when under 10 m)."""
    total = distances[-1]
    marks = [k * unit_m for k in range(1, int(total // unit_m) + 1)]
    if total - (marks[-1] if marks else 0.0) >= 10.0:
        marks.append(total)
    out: list[Split] = []
    last_m, last_s = 0.0, 0.0
    for number, mark in enumerate(marks, start=1):
        at = _moving_at(distances, moving, mark)
        out.append(Split(number, mark - last_m, at - last_s))
        last_m, last_s = mark, at
    return tuple(out)


def _moving_at(distances: Sequence[float], moving: Sequence[float], target: float) -> float:
    k = bisect_left(distances, target)
    if k >= len(distances):
        return moving[-1]
    if distances[k] == target or k == 0:
        return moving[k]
    d0, d1 = distances[k - 1], distances[k]
    return moving[k - 1] + (target - d0) / (d1 - d0) * (moving[k] - moving[k - 1])


def elevation_gain(elevations: Sequence[float | None]) -> float | None:
    """Total climb in metres with hysteresis; None when most samples have no elevation."""
    values = [e for e in elevations if e is not None]
    if not values or len(values) < len(elevations) / 2:
        return None
    gain = 0.0
    ref = values[0]
    for value in values[1:]:
        if value - ref >= CLIMB_THRESHOLD_M:  # a rise past the threshold counts whole
            gain += value - ref
            ref = value
        elif ref - value >= CLIMB_THRESHOLD_M:  # a real descent moves the reference down
            ref = value
    return gain


def average_heart_rate(
    times: Sequence[float], heart_rates: Sequence[float | None]
) -> int | None:
    total = weight = 0.0
    for k, rate in enumerate(heart_rates):
        if rate is None or rate <= 0:
            continue
        span = times[k + 1] - times[k] if k + 1 < len(times) else 1.0
        span = min(max(span, 0.0), HR_GAP_S) or 1.0
        total += rate * span
        weight += span
    return round(total / weight) if weight else None
