"""The plan's value types: what a day holds, the runner's paces, and the plan itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.training.athlete import Athlete

# Session types (DESIGN.md "Plan JSON") and how hard each one is.
HARD_TYPES = frozenset(
    {"fartlek", "intervals", "threshold", "vo2max", "mile_pace", "time_trial", "race"}
)
EASY_TYPES = frozenset(
    {"run_walk", "easy", "long", "shakeout", "strength", "active_recovery"}
)
SESSION_TYPES = HARD_TYPES | EASY_TYPES | {"rest"}


def intensity_of(session_type: str) -> str:
    """`"hard"`, `"easy"` or `"rest"` for a session type."""
    if session_type in HARD_TYPES:
        return "hard"
    return "rest" if session_type == "rest" else "easy"


@dataclass(frozen=True, slots=True)
class Rep:
    """One block of structured work: `count` × (`seconds` or `distance_m`), then recovery."""

    count: int
    seconds: int | None
    distance_m: int | None
    pace_s_per_km: float | None  # None: run it by effort
    recovery_s: int


@dataclass(frozen=True, slots=True)
class Strides:
    """Short relaxed bursts after an easy run."""

    count: int
    distance_m: int


@dataclass(frozen=True)
class PlanDay:
    """One calendar day of a plan (rest days included).

    `minutes` is the whole planned time (walking and strength included), `run_minutes` the time
    spent running, and `hard_minutes` the part of it run faster than easy, which is what the
    80/20 rule counts.
    """

    date: date
    week: int
    type: str
    title: str
    description: str
    minutes: int
    run_minutes: int
    intensity: str
    reps: tuple[Rep, ...]
    strides: Strides | None
    strength_minutes: int
    steps: tuple[str, ...]
    tip: str
    key: bool
    note: str | None
    hard_minutes: int = 0

    @classmethod
    def from_fields(cls, values: dict[str, Any]) -> PlanDay:
        """Build from a complete field dict, skipping the frozen `__init__`.

        The generated frozen `__init__` sets each of the 16 fields through
        `object.__setattr__`, which is most of the cost of a plan; installing the dict at once
        is about seven times faster. `values` must hold exactly the dataclass fields.
        """
        day = object.__new__(cls)
        object.__setattr__(day, "__dict__", values)
        return day


@dataclass(frozen=True, slots=True)
class Paces:
    """Training paces in seconds per km (`goal_mile_400`: seconds per 400 m); None if unknown."""

    easy: tuple[float, float] | None
    threshold: float | None
    interval: float | None
    repetition: float | None
    goal_mile_400: float | None
    vdot: float | None

    @property
    def known(self) -> bool:
        return self.vdot is not None


NO_PACES = Paces(None, None, None, None, None, None)


@dataclass(frozen=True, slots=True)
class Plan:
    """A generated plan: the inputs it was built from, the paces, and one entry per day."""

    athlete: Athlete
    paces: Paces
    days: tuple[PlanDay, ...]
