"""The standard race distances Pacer knows by name: personal bests are kept for these, and a
runner can give their fitness as a recent race over one (`/start 5k=24:30`)."""

from __future__ import annotations

from typing import Literal

from core.training.levels import MILE_M

EffortKind = Literal["race", "time_trial", "best_effort"]

# key -> (metres, label); the keys are also what a runner types (`5k=24:30`).
DISTANCES: dict[str, tuple[float, str]] = {
    "400m": (400.0, "400 m"),
    "800m": (800.0, "800 m"),
    "1500m": (1500.0, "1500 m"),
    "mile": (MILE_M, "mile"),
    "3k": (3000.0, "3 km"),
    "2mi": (2 * MILE_M, "2 miles"),
    "5k": (5000.0, "5 km"),
    "10k": (10_000.0, "10 km"),
    "half": (21_097.5, "half marathon"),
    "marathon": (42_195.0, "marathon"),
}
# Other spellings of the keys a runner may type.
ALIASES = {
    "1mi": "mile", "1500": "1500m", "3000m": "3k", "5km": "5k", "5000m": "5k", "10km": "10k",
    "10000m": "10k", "hm": "half", "halfmarathon": "half", "half_marathon": "half",
    "2mile": "2mi", "2miles": "2mi", "3km": "3k", "parkrun": "5k",
}
RACE_TOLERANCE = 0.01  # a race or time trial: course measurement
BEST_EFFORT_TOLERANCE = 0.005  # a segment found in a track


def distance_key(word: str) -> str | None:
    """The key a typed distance name stands for (`5k`, `5km`, `half`), or None."""
    word = word.strip().lower()
    key = ALIASES.get(word, word)
    return key if key in DISTANCES else None


def standard_distance(distance_m: float, kind: EffortKind) -> str | None:
    """The key of the standard distance `distance_m` stands for, or None."""
    tolerance = BEST_EFFORT_TOLERANCE if kind == "best_effort" else RACE_TOLERANCE
    for key, (metres, _label) in DISTANCES.items():
        if abs(distance_m - metres) <= metres * tolerance:
            return key
    return None


def distance_label(key: str) -> str:
    return DISTANCES[key][1] if key in DISTANCES else key
