"""What is due for one runner right now: pure rules, no database, no clock of its own.

Every push belongs to the runner's local date and has a key `kind:runner_id:YYYY-MM-DD`; the
outbox stores each key once, so a push fires at most once per local day whatever the tick
frequency, restarts or DST. Wall-clock times are resolved in the runner's IANA zone:

- in a spring-forward gap a time that does not exist fires at the first instant after the gap
  (a 02:30 reminder on 8 March 2026 in New York fires at 03:00 EDT);
- in a fall-back overlap it fires at the first occurrence (the key stops the second).

A push is due once `now >= due_at`; when `now >= expires_at` it is no longer worth sending
(a 07:00 session still goes out at 09:00 after downtime, not at 23:00) and is recorded as stale.
No push outlives its local day.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

PushKind = Literal["session", "nudge", "race_week", "race_morning", "post_race", "recap"]
PUSH_KINDS: tuple[PushKind, ...] = (
    "session", "nudge", "race_week", "race_morning", "post_race", "recap"
)

SESSION_TTL = timedelta(hours=6)  # a morning session is still useful before lunch, not at night
NUDGE_EARLIEST = time(19, 0)
NUDGE_LATEST = time(21, 0)  # never nudge after this, local
NUDGE_AFTER_REMINDER = timedelta(hours=2)
RACE_WEEK_DAYS = 7  # checklists from 7 days out until the day before
RACE_MORNING_LEAD = timedelta(hours=2)  # before the start, if earlier than the reminder
RACE_MORNING_EARLIEST = time(4, 0)  # nobody wants a push in the middle of the night
RACE_MORNING_NO_START_EXPIRY = time(12, 0)
POST_RACE_DELAY = timedelta(hours=2)  # after the start: time to race, cool down and get home
POST_RACE_NO_START = time(16, 0)
RECAP_WEEKDAY = 6  # Sunday
RECAP_TIME = time(18, 0)


@dataclass(frozen=True)
class PushProfile:
    """The scheduling-relevant part of a runner's settings."""

    runner_id: int
    tz: str
    reminder_time: str  # local "HH:MM"
    quiet: bool = False  # quiet mode: no nudges and no recaps
    nudges: bool = True
    race_date: date | None = None
    race_start: str | None = None  # local "HH:MM"


@dataclass(frozen=True)
class DayFacts:
    """The runner's local day as far as pushes care (filled in by the tick's queries)."""

    planned_type: str | None = None  # today's planned session type; None = no plan row
    run_minutes: int = 0  # > 0: the day asks for a logged run
    logged: bool = False
    skipped: bool = False


@dataclass(frozen=True)
class DuePush:
    """One push that has fallen due. `skip_reason` set: decided, but nothing to send."""

    key: str
    kind: PushKind
    runner_id: int
    local_date: date
    due_at: datetime
    expires_at: datetime
    skip_reason: str | None = None

    def is_stale(self, now: datetime) -> bool:
        return now >= self.expires_at


def push_key(kind: str, owner: int | str, day: date) -> str:
    """The outbox key: one push of a kind per runner (or channel) per local date."""
    return f"{kind}:{owner}:{day.isoformat()}"


@lru_cache(maxsize=2048)
def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@lru_cache(maxsize=8192)  # a tick resolves the same few times for thousands of runners
def resolve_local(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The UTC instant a local wall time happens on `day`.

    Ambiguous (fall-back) times take their first occurrence; times inside a spring-forward gap
    move to the first instant after the gap.
    """
    naive = datetime.combine(day, wall)
    earlier = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if earlier.astimezone(tz).replace(tzinfo=None) == naive:
        return earlier
    # In a gap the two folds give the instants on either side of the transition; bisect to it.
    later = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = sorted((earlier, later))
    after = hi.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0)


def wall_clock(now: datetime, tz: ZoneInfo) -> tuple[date, str]:
    """The local date and "HH:MM" wall time of `now` in `tz`."""
    local = now.astimezone(tz)
    return local.date(), local.strftime("%H:%M")


def _add_wall(wall: time, delta: timedelta) -> time | None:
    """`wall + delta` on the same day, or None when it spills past midnight."""
    minutes = wall.hour * 60 + wall.minute + int(delta.total_seconds() // 60)
    if not 0 <= minutes < 24 * 60:
        return None
    return time(minutes // 60, minutes % 60)


def nudge_time(reminder: time) -> time | None:
    """When the evening nudge goes out: 19:00, or 2 h after a late reminder; None after 21:00."""
    after_reminder = _add_wall(reminder, NUDGE_AFTER_REMINDER)
    if after_reminder is None:
        return None
    at = max(NUDGE_EARLIEST, after_reminder)
    return at if at < NUDGE_LATEST else None


def due_pushes(
    profile: PushProfile,
    facts: DayFacts,
    now: datetime,
    kinds: Collection[PushKind] = PUSH_KINDS,
) -> list[DuePush]:
    """Every push of `kinds` due at `now` (stale ones included: the caller records them)."""
    day = _Day(profile.runner_id, ZoneInfo(profile.tz), now)
    return [p for p in _candidates(profile, facts, day, kinds) if p.due_at <= now]


class _Day:
    """The runner's local day at `now`: wall times resolved, pushes keyed."""

    def __init__(self, runner_id: int, tz: ZoneInfo, now: datetime) -> None:
        self.runner_id = runner_id
        self.tz = tz
        self.date = now.astimezone(tz).date()
        self.end = resolve_local(self.date + timedelta(days=1), time(0, 0), tz)

    def at(self, wall: time) -> datetime:
        return resolve_local(self.date, wall, self.tz)

    def push(
        self, kind: PushKind, due: datetime, expires: datetime, skip: str | None = None
    ) -> DuePush:
        key = push_key(kind, self.runner_id, self.date)
        return DuePush(key, kind, self.runner_id, self.date, due, min(expires, self.end), skip)


def _candidates(
    profile: PushProfile, facts: DayFacts, day: _Day, kinds: Collection[PushKind]
) -> list[DuePush]:
    reminder = day.at(parse_hhmm(profile.reminder_time))
    race_day = profile.race_date == day.date
    out: list[DuePush] = []
    if race_day:
        out.extend(p for p in _race_day(profile, reminder, day) if p.kind in kinds)
    elif "session" in kinds:
        skip = {None: "no plan for today", "rest": "rest day"}.get(facts.planned_type)
        if skip is None and facts.skipped:
            skip = "skipped today"  # the runner said so: no reminder of what they skipped
        elif skip is None and facts.logged and profile.quiet:
            skip = "already logged (quiet mode)"
        out.append(day.push("session", reminder, reminder + SESSION_TTL, skip))
    wants_nudge = profile.nudges and not profile.quiet and not race_day and "nudge" in kinds
    if wants_nudge and facts.run_minutes > 0 and not (facts.logged or facts.skipped):
        nudge = nudge_time(parse_hhmm(profile.reminder_time))
        if nudge is not None:
            out.append(day.push("nudge", day.at(nudge), day.at(NUDGE_LATEST)))
    days_to_race = (profile.race_date - day.date).days if profile.race_date else 0
    if 1 <= days_to_race <= RACE_WEEK_DAYS and "race_week" in kinds:
        out.append(day.push("race_week", reminder, day.end))
    if day.date.weekday() == RECAP_WEEKDAY and not profile.quiet and "recap" in kinds:
        out.append(day.push("recap", day.at(RECAP_TIME), day.end))
    return [p for p in out if p.due_at < p.expires_at]


def _race_day(profile: PushProfile, reminder: datetime, day: _Day) -> list[DuePush]:
    """Race morning (warm-up timeline before the start) and the post-race prompt."""
    if profile.race_start:
        start = day.at(parse_hhmm(profile.race_start))
        morning = max(min(reminder, start - RACE_MORNING_LEAD), day.at(RACE_MORNING_EARLIEST))
        return [
            day.push("race_morning", morning, start),
            day.push("post_race", start + POST_RACE_DELAY, day.end),
        ]
    noon = day.at(RACE_MORNING_NO_START_EXPIRY)
    return [
        day.push("race_morning", reminder, noon),
        day.push("post_race", day.at(POST_RACE_NO_START), day.end),
    ]
