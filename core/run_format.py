"""How runs read in replies: distances and durations in the runner's units, and paces."""

from __future__ import annotations

from typing import Protocol


class _Run(Protocol):
    @property
    def minutes(self) -> float | None: ...

    @property
    def distance_m(self) -> float | None: ...

METRES_PER_UNIT = {"km": 1000.0, "mi": 1609.344}


def describe_log(log: _Run, units: str) -> str:
    return describe_run(log.minutes, log.distance_m, units)


def describe_run(minutes: float | None, distance_m: float | None, units: str) -> str:
    """`5 km in 28:30 · 5:42 /km`, `25 min`, `3.1 mi` — in the runner's units."""
    parts = []
    if distance_m:
        parts.append(format_distance(distance_m, units))
    if minutes:
        parts.append(format_duration(minutes))
    text = " in ".join(parts) or "a run"
    if distance_m and minutes:
        text += f" · {format_pace(minutes, distance_m, units)}"
    return text


def format_distance(metres: float, units: str) -> str:
    unit = "mi" if units == "mi" else "km"
    value = f"{metres / METRES_PER_UNIT[unit]:.2f}".rstrip("0").rstrip(".")
    return f"{value} {unit}"


def format_duration(minutes: float) -> str:
    """`25 min`, `1 h 10 min`, or clock style when seconds matter: `28:30`, `1:05:30`."""
    seconds = round(minutes * 60)
    if seconds % 60 == 0:
        whole = seconds // 60
        return f"{whole // 60} h {whole % 60:02d} min" if whole >= 60 else f"{whole} min"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_pace(minutes: float, metres: float, units: str) -> str:
    unit = "mi" if units == "mi" else "km"
    per_unit = round(minutes * 60 / (metres / METRES_PER_UNIT[unit]))
    return f"{per_unit // 60}:{per_unit % 60:02d} /{unit}"
