"""From a reader's `RawTrack` to a trustworthy time/distance stream (`Track`), or a refusal.

Rules, in order:
- only samples with a time stamp count; a file with fewer than two is not a recorded run
  (a planned route, a waypoint list) and is refused;
- samples are put in time order; repeats of the same second keep the last one;
- distance comes from the device's own distance stream (FIT, TCX) when most samples carry it,
  else from the GPS positions;
- GPS spikes: a sample that jumps away faster than the 100 m world record (100 m in 9.58 s)
  and comes back within `EXCURSION_S` seconds is dropped (smoothed away); a jump that does not
  come back — or one in the device's distance stream — refuses the run with the reason;
- GPS noise: positions are averaged over ±`SMOOTH_S` seconds before distances are measured,
  or white noise of a few metres would add a third to a run's distance.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import datetime

from core.activity.errors import ActivityError
from core.activity.track import RawPoint, RawTrack, Track
from core.text import clock

WORLD_RECORD_SPEED = 100 / 9.58  # m/s: the 100 m world record, the fastest a human has run
JUMP_MIN_M = 50.0  # displacements shorter than this are GPS noise, never a "jump"
EXCURSION_S = 30.0  # a spike must come back within this long to be smoothed away
SMOOTH_S = 3.0
EARTH_RADIUS_M = 6_371_008.8
DEVICE_DISTANCE_SHARE = 0.9


def to_track(raw: RawTrack) -> Track:
    """The cleaned stream of `raw`; ActivityError when it cannot be trusted."""
    points = _timed(raw.points)
    if len(points) < 2:
        raise ActivityError(
            "That file has no time stamps, so it's a route rather than a recorded run — "
            "send the activity your watch or app recorded."
        )
    start = points[0].time
    times = [(p.time - start).total_seconds() for p in points]
    with_distance = sum(1 for p in points if p.distance is not None)
    smoothed = 0
    if with_distance >= DEVICE_DISTANCE_SHARE * len(points):
        distances = _device_distances(points, times, start)
    elif any(p.lat is not None and p.lon is not None for p in points):
        distances, smoothed = _gps_distances(points, times, start)
    else:
        raise ActivityError(
            "That file has times but no distance or GPS positions — log it by hand, "
            "e.g. /done 30min."
        )
    return Track(
        start=start,
        times=tuple(times),
        distances=tuple(distances),
        elevations=tuple(p.elevation for p in points),
        heart_rates=tuple(p.heart_rate for p in points),
        smoothed_points=smoothed,
    )


def _timed(points: Sequence[RawPoint]) -> list[RawPoint]:
    ordered = sorted(points, key=lambda p: p.time)
    out: list[RawPoint] = []
    for point in ordered:
        if out and out[-1].time == point.time:
            out[-1] = point
        else:
            out.append(point)
    return out


def _device_distances(points: list[RawPoint], times: list[float], start: datetime) -> list[float]:
    """The device's cumulative distance, gaps carried forward, never decreasing."""
    out: list[float] = []
    last = 0.0
    for i, point in enumerate(points):
        value = last if point.distance is None else max(point.distance, last)
        if out and _is_jump(value - last, times[i] - times[i - 1]):
            raise jump_error(value - last, times[i] - times[i - 1], times[i - 1])
        out.append(value)
        last = value
    first = out[0]
    return [d - first for d in out]


def _gps_distances(
    points: list[RawPoint], times: list[float], start: datetime
) -> tuple[list[float], int]:
    located = [i for i, p in enumerate(points) if p.lat is not None and p.lon is not None]
    lat0 = math.radians(points[located[0]].lat or 0.0)
    xs = [math.radians(points[i].lon or 0.0) * EARTH_RADIUS_M * math.cos(lat0) for i in located]
    ys = [math.radians(points[i].lat or 0.0) * EARTH_RADIUS_M for i in located]
    ts = [times[i] for i in located]
    kept = _without_spikes(xs, ys, ts)
    smoothed = len(located) - len(kept)
    xs, ys, ts = [xs[i] for i in kept], [ys[i] for i in kept], [ts[i] for i in kept]
    located = [located[i] for i in kept]
    xs, ys = _moving_average(xs, ts), _moving_average(ys, ts)
    at_located = [0.0]
    for k in range(1, len(xs)):
        at_located.append(at_located[-1] + math.hypot(xs[k] - xs[k - 1], ys[k] - ys[k - 1]))
    # Every sample gets the distance of the last located, kept sample at or before it.
    distances: list[float] = []
    k = -1
    for i in range(len(points)):
        while k + 1 < len(located) and located[k + 1] <= i:
            k += 1
        distances.append(at_located[k] if k >= 0 else 0.0)
    return distances, smoothed


def _without_spikes(xs: list[float], ys: list[float], ts: list[float]) -> list[int]:
    """Indexes of the samples to keep: excursions that come back are dropped."""
    keep = [0]
    i = 1
    n = len(xs)
    while i < n:
        prev = keep[-1]

        def jumps(j: int, a: int = prev) -> bool:
            return _is_jump(math.hypot(xs[j] - xs[a], ys[j] - ys[a]), ts[j] - ts[a])

        if not jumps(i):
            keep.append(i)
            i += 1
            continue
        back = i + 1
        while back < n and ts[back] - ts[prev] <= EXCURSION_S and jumps(back):
            back += 1
        if back < n and ts[back] - ts[prev] <= EXCURSION_S:
            i = back  # the excursion i..back-1 is a spike: drop it
            continue
        size = math.hypot(xs[i] - xs[prev], ys[i] - ys[prev])
        raise jump_error(size, ts[i] - ts[prev], ts[prev])
    return keep


def _moving_average(values: list[float], ts: list[float]) -> list[float]:
    """Each value averaged with its neighbours within ±SMOOTH_S seconds — a window narrowed
    near the ends so that it stays centred (the start and finish stay where they were)."""
    prefix = [0.0]
    for value in values:
        prefix.append(prefix[-1] + value)
    out: list[float] = []
    first, last = ts[0], ts[-1]
    for t in ts:
        half = min(SMOOTH_S, t - first, last - t)
        lo, hi = bisect_left(ts, t - half), bisect_right(ts, t + half)
        out.append((prefix[hi] - prefix[lo]) / (hi - lo))
    return out


def _is_jump(metres: float, seconds: float) -> bool:
    if metres <= JUMP_MIN_M:
        return False
    return seconds <= 0 or metres / seconds > WORLD_RECORD_SPEED


def jump_error(metres: float, seconds: float, at: float) -> ActivityError:
    span = f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"
    return ActivityError(
        f"Your track jumps {span} in {max(seconds, 0):.0f} s, {clock(at)} into the run — faster "
        "than the 100 m world record, so the GPS or the file went wrong. I didn't log it; "
        "log the run by hand instead, e.g. /done 5k 28:30."
    )
