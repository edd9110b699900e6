"""Reading and writing times and paces the way runners write them (7:30, 4:15/km)."""

from __future__ import annotations

import math

KM_PER_MILE = 1.609344


def parse_mmss(text: str) -> float:
    """Seconds from `M:SS`, `MM:SS.s` or `H:MM:SS`; raises ValueError on anything else."""
    parts = text.strip().split(":")
    if not 2 <= len(parts) <= 3 or not all(parts):
        raise ValueError(f"{text!r} is not a time like 7:30")
    try:
        *whole, last = parts
        numbers = [int(p) for p in whole]
        seconds = float(last)
    except ValueError:
        raise ValueError(f"{text!r} is not a time like 7:30") from None
    if len(last.split(".")[0]) != 2 or any(not p.isdigit() for p in whole):
        raise ValueError(f"{text!r} is not a time like 7:30")
    if any(n < 0 for n in numbers) or not 0 <= seconds < 60 or not math.isfinite(seconds):
        raise ValueError(f"{text!r} is not a time like 7:30")
    if len(numbers) == 2 and numbers[1] >= 60:
        raise ValueError(f"{text!r} is not a time like 1:05:30")
    total = 0.0
    for n in numbers:
        total = total * 60 + n
    return total * 60 + seconds


def fmt_duration(seconds: float, tenths: bool = False) -> str:
    """`M:SS` (or `H:MM:SS`); with `tenths`, `M:SS.s`."""
    if tenths:
        whole = math.floor(seconds * 10 + 0.5)
        minutes, rest = divmod(whole, 600)
        return f"{minutes}:{rest // 10:02d}.{rest % 10}"
    total = math.floor(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def pace_in(s_per_km: float, units: str) -> float:
    """A pace in seconds per km converted to seconds per the runner's unit."""
    return s_per_km * KM_PER_MILE if units == "mi" else s_per_km


def fmt_pace(s_per_km: float, units: str) -> str:
    """`4:15/km` or `6:50/mi`."""
    return f"{fmt_duration(pace_in(s_per_km, units))}/{units}"


def fmt_pace_range(low: float, high: float, units: str) -> str:
    """`4:56–5:34/km`: fast end first."""
    return f"{fmt_duration(pace_in(low, units))}–{fmt_pace(high, units)}"


def fmt_minutes(minutes: int) -> str:
    """`45 min` or `1 h 20 min`."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def fmt_seconds_short(seconds: int) -> str:
    """A rep length the way coaches say it: `30 s`, `2 min`, `2:30`."""
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes} min" if secs == 0 else f"{minutes}:{secs:02d}"
