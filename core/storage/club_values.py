"""Clubs, challenges, memberships and runs as the club repositories hand them out: plain frozen
values, never ORM objects (`core.storage.challenges`, `clubs` and `challenge_totals` take and
return these). Nothing is written back by changing one: a change is an explicit repository
call (`challenges.set_last_day`, `challenges.set_status`, `clubs.set_link_code`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class StoredClub:
    """A running club: one or more linked group chats / server channels."""

    id: int
    name: str
    link_code: str | None
    link_code_expires_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class StoredChallenge:
    """A club challenge with a metric and an end date (inclusive, club-local)."""

    id: int
    club_id: int
    name: str
    metric: str
    goal: float | None
    team_goal: float | None
    starts_at: datetime
    ends_on: date
    tz: str
    status: str
    created_by: int | None
    ended_at: datetime | None


@dataclass(frozen=True)
class StoredMember:
    """A runner's membership of a challenge; runs count from `joined_at`."""

    id: int
    challenge_id: int
    runner_id: int
    joined_at: datetime
    platform: str


@dataclass(frozen=True)
class StoredRun:
    """A logged run as club admins review it."""

    id: int
    runner_id: int
    local_date: date
    minutes: float | None
    distance_m: float | None


def columns_of(value: type[Any], model: type[Any]) -> tuple[Any, ...]:
    """The model's columns for each field of `value`, in order (`value(*row)` builds one)."""
    return tuple(getattr(model, f.name) for f in fields(value))
