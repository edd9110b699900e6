"""Local clocks per time zone, as a small table the tick's queries join runners with.

The tick asks "whose local reminder time has passed today?" for every runner at once. Instead of
converting each runner's time in Python, it computes each distinct zone's local date and wall
time once (`zone_rows`), and the queries (`core.storage.push_candidates`) join them on
`runners.tz`; string comparison of "HH:MM" values then does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.planning import REFRESH_BELOW_DAYS
from core.schedule.due import NUDGE_AFTER_REMINDER, RACE_WEEK_DAYS, wall_clock
from core.storage.push_candidates import ZoneRow

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


def zone_rows(clocks: list[ZoneClock]) -> list[ZoneRow]:
    """The rows the tick's queries join runners with: each zone's clock, the day before, and
    the race-week and plan horizons."""
    return [
        ZoneRow(c.tz, c.day, c.hm, c.hm_before_nudge, c.day - timedelta(days=1),
                c.day + timedelta(days=RACE_WEEK_DAYS), c.day + timedelta(days=REFRESH_BELOW_DAYS))
        for c in clocks
    ]


def batches(clocks: list[ZoneClock]) -> list[list[ZoneClock]]:
    return [
        clocks[i : i + MAX_ZONES_PER_QUERY] for i in range(0, len(clocks), MAX_ZONES_PER_QUERY)
    ]
