"""Plans as JSON-ready dicts (DESIGN.md "Plan JSON")."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from core.training.model import Paces, Plan, PlanDay

# The plan JSON's day fields in their order (`day_to_dict`).
DAY_KEYS = (
    "date", "week", "type", "title", "description", "minutes", "run_minutes", "hard_minutes",
    "intensity", "reps", "strides", "strength_minutes", "steps", "tip", "key", "note",
)


class DayOutline(Protocol):
    """What every plan day has, generated (`PlanDay`) or stored (a planned day's columns)."""

    @property
    def date(self) -> date: ...
    @property
    def week(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def run_minutes(self) -> int: ...
    @property
    def intensity(self) -> str: ...
    @property
    def key(self) -> bool: ...


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """`athlete` (the inputs), `paces` (s/km; `goal_mile` s/400 m) and one entry per day."""
    a = plan.athlete
    return {
        "athlete": {
            "level": a.level.value,
            "training_days": list(a.training_days),
            "mile_time_s": a.mile_time_s,
            "goal_s": a.goal_s,
            "race_date": a.race_date.isoformat() if a.race_date else None,
            "race_start": a.race_start.strftime("%H:%M") if a.race_start else None,
            "units": a.units,
            "recent_race": (
                {"distance_m": a.recent_race[0], "time_s": a.recent_race[1]}
                if a.recent_race else None
            ),
        },
        "paces": paces_to_dict(plan.paces),
        "days": [day_to_dict(day) for day in plan.days],
    }


def paces_to_dict(paces: Paces) -> dict[str, Any]:
    return {
        "easy": list(paces.easy) if paces.easy else None,
        "threshold": paces.threshold,
        "interval": paces.interval,
        "repetition": paces.repetition,
        "goal_mile": paces.goal_mile_400,
        "vdot": paces.vdot,
    }


def day_outline(day: DayOutline, into: dict[str, Any] | None = None) -> dict[str, Any]:
    """The fields every rendering of a plan day shares (the export's days are these and the
    stored `detail`), in the plan JSON's order; set in `into` when given."""
    found: dict[str, Any] = {} if into is None else into
    found["date"] = day.date.isoformat()
    found["week"] = day.week
    found["type"] = day.type
    found["title"] = day.title
    found["minutes"] = day.minutes
    found["run_minutes"] = day.run_minutes
    found["intensity"] = day.intensity
    found["key"] = day.key
    return found


def day_to_dict(day: PlanDay) -> dict[str, Any]:
    """One day of the plan JSON: its outline and what the session is made of."""
    found = day_outline(day, _DAY_TEMPLATE.copy())  # the keys in order; the values follow
    found["description"] = day.description
    found["hard_minutes"] = day.hard_minutes
    found["reps"] = [
        {
            "count": r.count,
            "seconds": r.seconds,
            "distance_m": r.distance_m,
            "pace_s_per_km": r.pace_s_per_km,
            "recovery_s": r.recovery_s,
        }
        for r in day.reps
    ]
    if day.strides:
        found["strides"] = {"count": day.strides.count, "distance_m": day.strides.distance_m}
    found["strength_minutes"] = day.strength_minutes
    found["steps"] = list(day.steps)
    found["tip"] = day.tip
    found["note"] = day.note
    return found


_DAY_TEMPLATE: dict[str, Any] = dict.fromkeys(DAY_KEYS)
