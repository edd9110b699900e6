"""What a day holds once a second run is logged: "Today: 2 runs, 57 min"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from core.text import format_date, format_distance, run_time


class _Run(Protocol):
    @property
    def minutes(self) -> float | None: ...

    @property
    def distance_m(self) -> float | None: ...


def day_label(day: date, today: date) -> str:
    """`Today`, `Yesterday` or `Sun 1 Nov`, to start a line."""
    if day == today:
        return "Today"
    if (today - day).days == 1:
        return "Yesterday"
    return format_date(day)


def day_total(runs: Sequence[_Run], units: str) -> str:
    """`2 runs, 57 min, 8 km`: how many runs, their known minutes and distance."""
    parts = ["1 run" if len(runs) == 1 else f"{len(runs)} runs"]
    minutes = sum(run.minutes or 0.0 for run in runs)
    metres = sum(run.distance_m or 0.0 for run in runs)
    if minutes:
        parts.append(run_time(minutes))
    if metres:
        parts.append(format_distance(metres, units))
    return ", ".join(parts)


def more_runs_line(day: date, today: date, runs: Sequence[_Run], units: str) -> str:
    """The line a `/done` adds when the day already had a run: what the day now holds, and
    how to take one back if it was a correction rather than another run."""
    return (
        f"{day_label(day, today)}: {day_total(runs, units)}. If one was a correction, /undo "
        "removes the last log (/logs lists them all)."
    )
