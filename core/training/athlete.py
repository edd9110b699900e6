"""The runner as the training engine sees them, what they actually did, and input checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

from core.text import clock
from core.training.levels import MILE_M, SLOWEST_MILE_S, WORLD_RECORD_MILE_S, Level, Units

MIN_TRAINING_DAYS = 3  # the guide: three sessions a week to start, "at least three" to improve
MIN_RACE_M = 400.0
MAX_RACE_M = 50_000.0
GOAL_MAX_GAIN = 0.25  # a goal more than 25% faster than today is not one plan's work


class PlanError(ValueError):
    """Input a plan cannot be built from; the message is one clear sentence for the runner."""


@dataclass(frozen=True, slots=True)
class Athlete:
    """The inputs of a plan. `training_days` are weekdays, 0=Mon..6=Sun, sorted and unique."""

    level: Level
    training_days: tuple[int, ...]
    mile_time_s: float | None = None
    goal_s: float | None = None
    race_date: date | None = None
    race_start: time | None = None
    units: Units = "km"
    recent_race: tuple[float, float] | None = None  # (distance_m, time_s) of another race
    # the runner's local day of the result behind the mile time, when known: a result from a
    # break on wins over the slower paces after it (`core.training.comeback`)
    fitness_on: date | None = None


@dataclass(frozen=True)
class History:
    """What the runner actually did, by local date (all optional).

    `done` maps a day to the minutes logged (>0 means done), `skipped` holds days the runner
    explicitly skipped, and `sleep` maps the date of a *morning* to the hours slept the night
    before.
    """

    done: Mapping[date, float] = field(default_factory=dict)
    skipped: frozenset[date] = frozenset()
    sleep: Mapping[date, float] = field(default_factory=dict)


def check_structure(athlete: Athlete) -> None:
    """Reject inputs no plan can be built from, whatever today is (raises `PlanError`)."""
    if not isinstance(athlete.level, Level):
        raise PlanError("The level must be beginner, improving or competitive.")
    days = athlete.training_days
    if not days:
        raise PlanError("Pick the days you can train: at least three a week.")
    if any(not 0 <= d <= 6 for d in days) or tuple(sorted(set(days))) != tuple(days):
        raise PlanError("Training days must be weekdays from 0 (Mon) to 6 (Sun), each once.")
    if len(days) < MIN_TRAINING_DAYS:
        raise PlanError(
            f"Pick at least {MIN_TRAINING_DAYS} training days a week: the plans in the guide "
            "start at three sessions a week."
        )
    if athlete.units not in ("km", "mi"):
        raise PlanError("Units must be km or mi.")
    _check_mile("current mile time", athlete.mile_time_s)
    _check_mile("goal", athlete.goal_s)
    if athlete.recent_race is not None:
        _check_recent_race(athlete.recent_race)
    if athlete.goal_s is not None and athlete.mile_time_s is not None:
        if athlete.goal_s > athlete.mile_time_s:
            raise PlanError(
                f"Your goal ({clock(athlete.goal_s)}) is slower than your current mile "
                f"time ({clock(athlete.mile_time_s)}): pick a faster goal."
            )
        if athlete.goal_s < athlete.mile_time_s * (1 - GOAL_MAX_GAIN):
            raise PlanError(
                f"A goal of {clock(athlete.goal_s)} is more than "
                f"{GOAL_MAX_GAIN:.0%} faster than your {clock(athlete.mile_time_s)}: "
                "set a nearer goal and raise it later."
            )


def validate_athlete(athlete: Athlete, today: date) -> None:
    """Check a runner's inputs against the guide and the calendar (raises `PlanError`)."""
    check_structure(athlete)
    if athlete.race_date is not None and athlete.race_date < today:
        raise PlanError(f"The race date {athlete.race_date.isoformat()} is in the past.")


def _check_mile(what: str, seconds: float | None) -> None:
    if seconds is None:
        return
    if seconds != seconds or seconds <= 0:  # NaN or nonsense
        raise PlanError(f"The {what} must be a time like 7:30.")
    if seconds < WORLD_RECORD_MILE_S:
        raise PlanError(
            f"A {what} of {clock(seconds)} would beat the 3:43.13 world record: "
            "write it as M:SS, e.g. 7:30."
        )
    if seconds > SLOWEST_MILE_S:
        raise PlanError(
            f"A {what} slower than 30:00 is walking pace: leave it out and train by effort."
        )


def _check_recent_race(race: tuple[float, float]) -> None:
    distance_m, time_s = race
    if not MIN_RACE_M <= distance_m <= MAX_RACE_M:
        raise PlanError("A recent race must be between 400 m and 50 km long.")
    if time_s <= 0:
        raise PlanError("A recent race needs a positive finishing time.")
    # Judge the race by its mile equivalent (Riegel), the same bounds as a mile time.
    mile = time_s * (MILE_M / distance_m) ** 1.06
    if mile < WORLD_RECORD_MILE_S:
        raise PlanError("That recent race would be faster than world-record pace: check it.")
    if mile > SLOWEST_MILE_S:
        raise PlanError("That recent race is walking pace: leave it out and train by effort.")
