"""Plans as JSON-ready dicts (DESIGN.md "Plan JSON")."""

from __future__ import annotations

from typing import Any

from core.training.model import Paces, Plan, PlanDay


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


def day_to_dict(day: PlanDay) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "week": day.week,
        "type": day.type,
        "title": day.title,
        "description": day.description,
        "minutes": day.minutes,
        "run_minutes": day.run_minutes,
        "hard_minutes": day.hard_minutes,
        "intensity": day.intensity,
        "reps": [
            {
                "count": r.count,
                "seconds": r.seconds,
                "distance_m": r.distance_m,
                "pace_s_per_km": r.pace_s_per_km,
                "recovery_s": r.recovery_s,
            }
            for r in day.reps
        ],
        "strides": (
            {"count": day.strides.count, "distance_m": day.strides.distance_m}
            if day.strides else None
        ),
        "strength_minutes": day.strength_minutes,
        "steps": list(day.steps),
        "tip": day.tip,
        "key": day.key,
        "note": day.note,
    }
