"""Local clocks per time zone, as a small table the tick's queries join runners with.

The tick asks "whose local reminder time has passed today?" for every runner at once. Instead of
converting each runner's time in Python, it computes each distinct zone's local date and wall
time once and joins on `runners.tz`; string comparison of "HH:MM" values then does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, literal, select, union_all
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from core.planning import REFRESH_BELOW_DAYS
from core.schedule.due import NUDGE_AFTER_REMINDER, RACE_WEEK_DAYS, wall_clock
from core.storage.models import Runner

# SQLite refuses compound SELECTs of more than 500 parts; real deployments see far fewer zones.
MAX_ZONES_PER_QUERY = 400


@dataclass(frozen=True)
class ZoneClock:
    """One time zone's local date and wall time at the tick's instant."""

    tz: str
    day: date
    hm: str  # local "HH:MM" now
    hm_before_nudge: str  # local "HH:MM" two hours ago (reminders up to then may be nudged)

    @classmethod
    def at(cls, tz: str, now: datetime) -> ZoneClock:
        zone = ZoneInfo(tz)
        day, hm = wall_clock(now, zone)
        earlier = now.astimezone(zone) - NUDGE_AFTER_REMINDER
        before = earlier.strftime("%H:%M") if earlier.date() == day else "00:00"
        return cls(tz, day, hm, before)


def zone_clocks(zones: list[str], now: datetime) -> list[ZoneClock]:
    """Clocks for the valid zones among `zones` (unknown names are ignored)."""
    clocks = []
    for tz in sorted(set(zones)):
        try:
            clocks.append(ZoneClock.at(tz, now))
        except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            continue
    return clocks


def zone_table(clocks: list[ZoneClock]) -> Subquery:
    """`(tz, day, day_s, hm, hm_nudge, prev_day, race_horizon, plan_horizon)` rows per zone."""
    selects = [
        select(
            literal(c.tz, String).label("tz"),
            literal(c.day, Date).label("day"),
            literal(c.day.isoformat(), String).label("day_s"),
            literal(c.hm, String).label("hm"),
            literal(c.hm_before_nudge, String).label("hm_nudge"),
            literal(c.day - timedelta(days=1), Date).label("prev_day"),
            literal(c.day + timedelta(days=RACE_WEEK_DAYS), Date).label("race_horizon"),
            literal(c.day + timedelta(days=REFRESH_BELOW_DAYS), Date).label("plan_horizon"),
        )
        for c in clocks
    ]
    if len(selects) == 1:
        return selects[0].subquery("zc")
    return union_all(*selects).subquery("zc")


def batches(clocks: list[ZoneClock]) -> list[list[ZoneClock]]:
    return [
        clocks[i : i + MAX_ZONES_PER_QUERY] for i in range(0, len(clocks), MAX_ZONES_PER_QUERY)
    ]


def runner_key(kind: str, zc: Subquery) -> ColumnElement[str]:
    """SQL for `due.push_key(kind, runners.id, zc.day)`."""
    key: ColumnElement[str] = (
        literal(f"{kind}:", String) + Runner.id.cast(String) + literal(":", String) + zc.c.day_s
    )
    return key
