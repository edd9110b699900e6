"""A runner's data as a portable document: JSON, a CSV of logs, and the plan as iCalendar.

`/export` and `pacer export` send the same document (DESIGN.md): `runner` (settings), `logs`
(local ISO dates), `sleep`, `streak`; this module also adds `accounts`, `skips`,
`challenges` (memberships with the runner's totals), `removed_runs` (runs admins removed from
a challenge, with their reasons) and `plan` (the current plan as JSON, or null). User text
(notes, reasons) is exported exactly as typed: these files are data, not chat markup.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from core.markup import to_plain
from core.storage.activities import NewActivity, all_activities
from core.storage.exports import ExportedLog
from core.storage.personal_bests import all_bests
from core.storage.plans import StoredDay
from core.storage.runner_records import (
    Membership,
    PlanRecord,
    Removal,
    current_plan,
    memberships,
    removals,
)
from core.storage.runners import Runner
from core.storage.unit_of_work import UnitOfWork
from core.text import trim
from core.training.render_json import day_outline

EXPORT_VERSION = 1
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOG_COLUMNS = (
    "date", "minutes", "distance_m", "note", "intensity", "as_planned", "session_type",
    "logged_at",
)
MIN_EVENT_MINUTES = 15  # a calendar entry shorter than this is hard to see or tap
ICS_PRODID = "-//Pacer//mile training plan//EN"


def mile_time_text(seconds: float | None) -> str | None:
    """`350.0` → `"5:50"`, `350.3` → `"5:50.3"`; None stays None."""
    if seconds is None:
        return None
    minutes, rest = divmod(round(seconds, 1), 60)
    text = f"{int(minutes)}:{int(rest):02d}"
    tenths = round((rest - int(rest)) * 10)
    return f"{text}.{tenths}" if tenths else text


def runner_settings(runner: Runner) -> dict[str, Any]:
    """The runner's profile as exported: everything they told Pacer about themselves."""
    days = [WEEKDAYS[int(d)] for d in runner.training_days.split(",") if d.strip()]
    race = None
    if runner.race_date is not None:
        race = {"date": runner.race_date.isoformat(), "start": runner.race_start}
    return {
        "name": runner.display_name,
        "level": runner.level,
        "days": days,
        "tz": runner.tz,
        "units": runner.units,
        "reminder_time": runner.reminder_time,
        "mile_time": mile_time_text(runner.mile_time_s),
        "mile_time_s": runner.mile_time_s,
        "goal": mile_time_text(runner.goal_s),
        "goal_s": runner.goal_s,
        "race": race,
        "quiet": runner.quiet,
        "nudges": runner.nudges,
        "onboarded": runner.onboarded,
        "plan_start": runner.plan_start.isoformat() if runner.plan_start else None,
        "joined_at": runner.created_at.isoformat(),
    }


def log_entry(log: ExportedLog) -> dict[str, Any]:
    return {
        "date": log.local_date.isoformat(),
        "minutes": log.minutes,
        "distance_m": log.distance_m,
        "note": log.note,
        "intensity": log.intensity,
        "as_planned": log.as_planned,
        "session_type": log.session_type,
        "logged_at": log.logged_at.isoformat(),
    }


async def collect(uow: UnitOfWork, runner: Runner, now: datetime) -> dict[str, Any]:
    """Read everything stored about `runner` into the export document."""
    exports = uow.exports
    accounts = await exports.accounts(runner.id)
    logs = await exports.logs(runner.id)
    nights = await exports.nights(runner.id)
    skips = await exports.skips(runner.id)
    streak = await uow.streaks.figures(runner.id)
    bests = await all_bests(uow, runner.id)
    activities = await all_activities(uow, runner.id)
    return {
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "runner": runner_settings(runner),
        "accounts": [{"platform": a.platform, "id": a.external_id} for a in accounts],
        "logs": [log_entry(log) for log in logs],
        "sleep": [{"date": s.local_date.isoformat(), "hours": s.hours} for s in nights],
        "skips": [{"date": s.local_date.isoformat(), "reason": s.reason} for s in skips],
        "streak": {
            "current": streak.current if streak else 0,
            "best": streak.best if streak else 0,
        },
        # Every best set, oldest first (the current one per distance is the fastest).
        "personal_bests": [
            {"distance": b.distance, "distance_m": b.distance_m, "seconds": b.seconds,
             "date": b.local_date.isoformat(), "kind": b.kind, "source": b.source}
            for b in bests
        ],
        "challenges": [membership_entry(m) for m in await memberships(uow, runner.id)],
        "removed_runs": [removal_entry(r) for r in await removals(uow, runner.id)],
        "plan": plan_entry(await current_plan(uow, runner.id)),
        # What Pacer kept of activity files (the summary, never the track): issue 18.
        "activities": [activity_entry(a.summary) for a in activities],
    }


def membership_entry(m: Membership) -> dict[str, Any]:
    """A challenge the runner joined, and their totals in it."""
    return {
        "challenge": m.challenge,
        "club": m.club,
        "metric": m.metric,
        "status": m.status,
        "starts_at": m.starts_at.isoformat(),
        "ends_on": m.ends_on.isoformat(),
        "tz": m.tz,
        "goal": m.goal,
        "joined_at": m.joined_at.isoformat(),
        "platform": m.platform,
        "totals": {
            "distance_m": m.distance_m,
            "minutes": m.minutes,
            "sessions": m.sessions,
            "runs": m.runs,
            "streak": m.streak,
            "adherence": m.adherence,
        },
    }


def removal_entry(r: Removal) -> dict[str, Any]:
    """A run an admin removed from a challenge (the admin is not named: their data)."""
    return {
        "challenge": r.challenge,
        "run_date": r.run_date.isoformat(),
        "run_logged_at": r.run_logged_at.isoformat(),
        "removed_at": r.removed_at.isoformat(),
        "reason": r.reason,
    }


def plan_entry(plan: PlanRecord | None) -> dict[str, Any] | None:
    """The current plan: its inputs and every day, as the plan JSON has them."""
    if plan is None:
        return None
    return {
        "start": plan.start_date.isoformat(),
        "end": plan.end_date.isoformat(),
        "generated_at": plan.created_at.isoformat(),
        "inputs": plan.inputs,
        # Each day as the plan JSON outlines it (the title in plain text), and its detail.
        "days": [
            {**day_outline(day), "title": to_plain(day.title), "detail": day.detail}
            for day in plan.days
        ],
    }


def activity_entry(a: NewActivity) -> dict[str, Any]:
    return {"started_at": a.started_at.isoformat(), "date": a.local_date.isoformat(),
            "format": a.file_format, "distance_m": a.distance_m, "elapsed_s": a.elapsed_s,
            "moving_s": a.moving_s, "elevation_gain_m": a.elevation_gain_m,
            "avg_heart_rate": a.avg_heart_rate, "split_unit": a.split_unit,
            "splits": a.splits, "best_efforts": a.best_efforts}


def to_json(document: dict[str, Any]) -> str:
    """Pretty JSON, non-ASCII kept readable (names and notes in any script)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _minutes_cell(value: object) -> str:
    """Minutes to 2 decimals: `/done 5k 28:31` reads as 28.52, not 28.516666666666666."""
    if isinstance(value, float):
        return trim(value)
    return _cell(value)


def logs_csv(document: dict[str, Any]) -> str:
    """The logs as CSV with a header row; one row per log, notes quoted as needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LOG_COLUMNS)
    for log in document["logs"]:
        writer.writerow([
            (_minutes_cell if column == "minutes" else _cell)(log.get(column))
            for column in LOG_COLUMNS
        ])
    return out.getvalue()


def file_stem(name: str) -> str:
    """A safe file name part from a display name: `"Zoë O'Neil"` → `"zoe-o-neil"`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return slug or "runner"


def _event_start(session: StoredDay, tz: ZoneInfo, reminder: time,
                 race_start: time | None) -> datetime:
    at = race_start if session.type == "race" and race_start is not None else reminder
    # A wall time that falls in a DST gap is shifted forward by zoneinfo's fold rules; that is
    # what a calendar app would show for it as well.
    return datetime.combine(session.date, at, tzinfo=tz)


def plan_ics(
    sessions: Sequence[StoredDay],
    tz: str,
    reminder_time: str,
    stamp: datetime,
    race_start: str | None = None,
    uid_prefix: str = "pacer",
) -> bytes:
    """The planned sessions as calendar events at the runner's reminder time in their zone.

    Rest days get no event. UIDs are stable per runner and day, so importing a newer export
    updates the events instead of duplicating them.
    """
    zone = ZoneInfo(tz)
    reminder = time.fromisoformat(reminder_time)
    race_at = time.fromisoformat(race_start) if race_start else None
    cal = Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Pacer training plan")
    days: list[date] = []
    for session in sessions:
        if session.type == "rest":
            continue
        start = _event_start(session, zone, reminder, race_at)
        event = Event()
        event.add("uid", f"{uid_prefix}-{session.date.isoformat()}@pacer")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=max(session.minutes, MIN_EVENT_MINUTES)))
        event.add("summary", session.title)
        text = session.detail.get("text") or session.detail.get("description") or ""
        if text:
            event.add("description", to_plain(str(text)))
        event.add("categories", [session.type])
        cal.add_component(event)
        days.append(session.date)
    if days:
        cal.add_missing_timezones(min(days) - timedelta(days=1), max(days) + timedelta(days=2))
    ics: bytes = cal.to_ical()
    return ics
