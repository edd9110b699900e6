"""Plans as iCalendar files: one event per training day (rest days have none)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

from core.markup import to_plain
from core.training.athlete import PlanError
from core.training.model import Plan
from core.training.race_week import warmup_lead_min
from core.training.render_text import session_text
from core.training.sessions_race import RACE_COOL_MIN

PRODID = "-//Pacer//Mile training plan//EN"
MIN_EVENT_MIN = 15


def plan_to_ics(plan: Plan, tz: str = "UTC", default_start: time = time(7, 0)) -> bytes:
    """An iCalendar file of the plan, events at `default_start` local time in zone `tz`.

    Race day starts with the warm-up jog, counted back from the race's start time when known.
    Output is deterministic (UIDs and DTSTAMP derive from the plan), so re-imports update
    events instead of duplicating them.
    """
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PlanError(f"Unknown time zone {tz!r}: use a name like Europe/Berlin.") from None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Pacer mile plan")
    units, paces = plan.athlete.units, plan.paces
    stamp = datetime.combine(plan.days[0].date, time(0), UTC) if plan.days else datetime(
        2000, 1, 1, tzinfo=UTC
    )
    race_start = plan.athlete.race_start
    for day in plan.days:
        if day.type == "rest":
            continue
        start = datetime.combine(day.date, default_start, zone)
        minutes = max(day.minutes, MIN_EVENT_MIN)
        if day.type == "race" and race_start is not None:
            # From the start of the warm-up to the end of the cool-down after the race.
            lead = warmup_lead_min(plan.athlete.level)
            start = datetime.combine(day.date, race_start, zone) - timedelta(minutes=lead)
            minutes = lead + day.hard_minutes + RACE_COOL_MIN
        event = Event()
        event.add("uid", f"{day.date.isoformat()}-{day.type}@pacer")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=minutes))
        event.add("summary", day.title)
        event.add("description", to_plain(session_text(day, paces, units)))
        event.add("categories", [day.type])
        cal.add_component(event)
    cal.add_missing_timezones()
    ical: bytes = cal.to_ical()
    return ical
