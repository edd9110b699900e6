"""A parsed activity before any judgement: when it started, what sport, and its samples.

Every reader (GPX, FIT, TCX) produces a `RawTrack`; `core.activity.clean` turns it into a
`Track` — a monotone time/distance stream — that summaries and best efforts are computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RawPoint:
    """One recorded sample. `time` is aware (UTC); positions in degrees; `distance` is the
    device's own cumulative distance in metres when the file has one (FIT, TCX)."""

    time: datetime
    lat: float | None = None
    lon: float | None = None
    distance: float | None = None
    elevation: float | None = None
    heart_rate: float | None = None


@dataclass(frozen=True)
class RawTrack:
    """What a reader found. `sport` is normalised: "running", "cycling", "swimming",
    "walking", "hiking", another lower-case word, or "" when the file does not say."""

    file_format: str  # "gpx", "fit" or "tcx"
    sport: str
    points: tuple[RawPoint, ...]


@dataclass(frozen=True)
class Track:
    """The cleaned stream: `times` in seconds since `start`, `distances` cumulative metres
    (never decreasing), both the same length (at least two samples)."""

    start: datetime
    times: tuple[float, ...]
    distances: tuple[float, ...]
    elevations: tuple[float | None, ...]
    heart_rates: tuple[float | None, ...]
    smoothed_points: int = 0  # GPS spikes removed while cleaning

    @property
    def distance_m(self) -> float:
        return self.distances[-1]

    @property
    def elapsed_s(self) -> float:
        return self.times[-1]
