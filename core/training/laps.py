"""Lap splits for a mile goal (`/pace M:SS`)."""

from __future__ import annotations

from core.text import clock, format_pace
from core.training.athlete import PlanError
from core.training.levels import MILE_M, SLOWEST_MILE_S, WORLD_RECORD_MILE_S, Units

LAP_M = 400.0
EXTRA_M = MILE_M - 4 * LAP_M  # 9.344 m: a mile is a little more than four laps


def lap_time(goal_s: float) -> float:
    """Seconds per 400 m at an even mile pace."""
    return goal_s * LAP_M / MILE_M


def lap_splits(goal_s: float, units: Units = "km") -> str:
    """Even-pace splits for each lap of a mile, and the pace per km or mile (reply markup)."""
    if not WORLD_RECORD_MILE_S <= goal_s <= SLOWEST_MILE_S:
        raise PlanError(
            "Give a mile goal between 3:43.13 (the world record) and 30:00, e.g. 7:30."
        )
    lap = lap_time(goal_s)
    per_km = goal_s * 1000 / MILE_M
    lines = [
        f"<b>Mile in {clock(goal_s)}</b>: {clock(lap, tenths=True)} per 400 m lap "
        f"· {format_pace(per_km, units)}",
    ]
    for n in range(1, 5):
        lines.append(f"Lap {n} ({n * 400} m): {clock(n * lap, tenths=True)}")
    lines.append(f"Last {EXTRA_M:.1f} m: {clock(goal_s, tenths=True)}")
    lines.append(
        f"A mile ({MILE_M} m) is 4 laps of a 400 m track plus the last {EXTRA_M:.1f} m: "
        f"on a track, start {EXTRA_M:.1f} m behind the finish line."
    )
    return "\n".join(lines)
