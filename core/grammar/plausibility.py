"""Sanity limits for a logged run: nothing longer than a day, further than 250 km, or faster
than the world record for its distance. They catch typos ("5k 2:50"), not ambition."""

from __future__ import annotations

import math
from bisect import bisect_left

from core.grammar.errors import GrammarError
from core.text import format_seconds, trim
from core.units import HALF_MARATHON_M, MARATHON_M, METRES_PER_MILE

MAX_RUN_SECONDS = 24 * 3600.0
MAX_RUN_METRES = 250_000.0

# Men's world records (distance in metres, time in seconds), ascending by distance.
WORLD_RECORDS: tuple[tuple[float, float], ...] = (
    (400.0, 43.03),
    (800.0, 100.91),
    (1500.0, 206.00),
    (METRES_PER_MILE, 223.13),
    (3000.0, 437.55),
    (5000.0, 755.36),
    (10000.0, 1571.00),
    (HALF_MARATHON_M, 3450.00),
    (MARATHON_M, 7235.00),
)
_DISTANCES = [d for d, _ in WORLD_RECORDS]


def fastest_seconds(distance_m: float) -> float:
    """The world-record time for `distance_m`, interpolated in log-log between table entries.

    Below 400 m the 400 m speed applies (a 100 m at 400 m speed is still plausible); beyond
    the marathon the last segment's trend continues, which stays well under the ultra records.
    """
    if distance_m <= 0:
        raise ValueError("distance must be positive")
    first_d, first_t = WORLD_RECORDS[0]
    if distance_m <= first_d:
        return first_t * distance_m / first_d
    index = min(bisect_left(_DISTANCES, distance_m), len(WORLD_RECORDS) - 1)
    (d0, t0), (d1, t1) = WORLD_RECORDS[index - 1], WORLD_RECORDS[index]
    slope = math.log(t1 / t0) / math.log(d1 / d0)
    return t0 * math.exp(slope * math.log(distance_m / d0))


def describe_distance(distance_m: float) -> str:
    """A distance as a runner says it: "5 km", "1 mile", "400 m"."""
    if math.isclose(distance_m, METRES_PER_MILE, rel_tol=1e-6):
        return "1 mile"
    if math.isclose(distance_m, MARATHON_M, rel_tol=1e-6):
        return "a marathon"
    if math.isclose(distance_m, HALF_MARATHON_M, rel_tol=1e-6):
        return "a half marathon"
    if distance_m < 1000:
        return f"{trim(distance_m)} m"
    return f"{trim(distance_m / 1000)} km"


def check_duration(seconds: float, shown: str = "That") -> None:
    """Refuse a run time that is zero, negative, not finite or longer than 24 hours.

    `shown` is how the time was written, for the message.
    """
    if not seconds > 0:  # also catches NaN
        raise GrammarError("A run needs a time above zero.")
    if seconds > MAX_RUN_SECONDS:
        raise GrammarError(f"{shown} is longer than 24 hours, so I think it's a typo.")


def check_distance(distance_m: float, shown: str = "That") -> None:
    """Refuse a distance that is zero, negative, not finite or over 250 km.

    `shown` is how the distance was written, for the message.
    """
    if not distance_m > 0:
        raise GrammarError("A run needs a distance above zero.")
    if distance_m > MAX_RUN_METRES:
        raise GrammarError(f"{shown} is more than 250 km, so I think it's a typo.")


def check_speed(distance_m: float, seconds: float) -> None:
    """Refuse `distance_m` in `seconds` if that beats the world record for the distance."""
    record = fastest_seconds(distance_m)
    if seconds < record:
        raise GrammarError(
            f"{describe_distance(distance_m)} in {format_seconds(seconds)} would beat the world "
            f"record ({format_seconds(record)}), so I think that's a typo."
        )
