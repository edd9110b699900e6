"""A session's content before it is placed on a date, and how it becomes a `PlanDay`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.training.model import PlanDay, Rep, Strides, intensity_of


@dataclass(frozen=True)
class Session:
    """Everything a `PlanDay` holds except where it falls in the calendar.

    Builders cache these: the same session content repeats across weeks and across runners.
    """

    type: str
    title: str
    description: str
    minutes: int
    run_minutes: int
    reps: tuple[Rep, ...] = ()
    strides: Strides | None = None
    strength_minutes: int = 0
    steps: tuple[str, ...] = ()
    tip: str = ""
    hard_minutes: int = 0
    # Derived in __post_init__ (not init arguments, not compared).
    day_fields: dict[str, Any] = field(init=False, repr=False, compare=False)
    is_run: bool = field(init=False, repr=False, compare=False)
    is_hard: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The PlanDay fields this session fills, built once: placing a session on a date then
        # costs one dict merge (see `place`).
        fields = {
            "type": self.type, "title": self.title, "description": self.description,
            "minutes": self.minutes, "run_minutes": self.run_minutes,
            "intensity": intensity_of(self.type), "reps": self.reps, "strides": self.strides,
            "strength_minutes": self.strength_minutes, "steps": self.steps, "tip": self.tip,
            "hard_minutes": self.hard_minutes,
        }
        object.__setattr__(self, "day_fields", fields)
        object.__setattr__(self, "is_run", self.run_minutes > 0)
        object.__setattr__(self, "is_hard", fields["intensity"] == "hard")

    @property
    def intensity(self) -> str:
        return intensity_of(self.type)

    def with_pace(self, pace_s_per_km: float | None) -> Session:
        """The same session with every rep at `pace_s_per_km` (cached texts stay shared).

        Builds the copy without the frozen `__init__`, as `PlanDay.from_fields` does: this
        runs for every quality session of every plan.
        """
        if pace_s_per_km is None:
            return self
        reps = tuple(
            Rep(r.count, r.seconds, r.distance_m, pace_s_per_km, r.recovery_s) for r in self.reps
        )
        values = dict(self.__dict__)
        values["reps"] = reps
        values["day_fields"] = {**self.day_fields, "reps": reps}
        copy = object.__new__(Session)
        object.__setattr__(copy, "__dict__", values)
        return copy


def with_tip(session: Session, tip: str) -> Session:
    """The same session with another tip (built without the frozen `__init__`)."""
    values = dict(session.__dict__)
    values["tip"] = tip
    values["day_fields"] = {**session.day_fields, "tip": tip}
    copy = object.__new__(Session)
    object.__setattr__(copy, "__dict__", values)
    return copy


def place(session: Session, day: date, week: int, key: bool = False, note: str | None = None
          ) -> PlanDay:
    """The session on a calendar day."""
    return PlanDay.from_fields(
        {"date": day, "week": week, **session.day_fields, "key": key, "note": note}
    )


def minutes_of(seconds: float) -> int:
    """Whole minutes, rounding part minutes up: a plan never under-states the time needed."""
    return max(0, math.ceil(seconds / 60 - 1e-9))
