"""Reading times the way runners write them (7:30, 1:05:30); writing them is `core.text`."""

from __future__ import annotations

import math


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
