"""Each member's figure for a challenge: one SQL aggregate per board, however many members.

What counts for a member:
- only their own runs (`run_logs.runner_id`), for local days from the day they joined (their own
  local date when they joined) through the challenge's last day (`ends_on`, inclusive);
- never a run an admin removed from the challenge (`challenge_exclusions`); duplicates (same
  day, minutes and distance) once. Implausible runs (world-record paces, over 24 h or 250 km)
  are refused by `/done` and never stored.

The join day is the member's local date at `joined_at`, but SQL has no portable time-zone
arithmetic. It is always the UTC date of `joined_at` (U) give or take a day, so the query
returns each figure split three ways — days before U, U itself, days after U — and Python adds
the parts that lie on or after the real join day. Exact, with no per-member query.

Metrics (see `core.leaderboard.Metric` for units):
- distance, time: sums (runs without a distance, or without a time, add nothing);
- sessions: local days with at least one run;
- adherence: planned run days (run_minutes > 0) done / planned run days due, from the join day
  to `ends_on`. A day is due once it is done or once it is over on the club's calendar (the
  challenge's time zone); today is pending until then. No planned run due yet: no figure ("—").
- streak: the runner's current streak as `/streak` shows it (cached in `streak_states` by every
  log, brought up to today with the rest days since), counting at most the days since joining;
  0 once a planned run was missed. It comes from the runner's whole log book, so an admin's
  removal of a run does not change it (cheap: no per-day work for thousands of members).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from core.leaderboard import Entry, Metric
from core.storage.models import (
    ChallengeExclusion,
    ChallengeMember,
    PlannedSession,
    RunLog,
    Runner,
    StreakState,
)
from core.storage.unit_of_work import UnitOfWork

# Figures are compared exactly after this rounding (it removes float noise from SQL sums).
PRECISION = {Metric.DISTANCE: 0, Metric.TIME: 2, Metric.SESSIONS: 0, Metric.STREAK: 0,
             Metric.ADHERENCE: 1}


@dataclass(frozen=True)
class Scope:
    """The challenge being measured, and the day the club's calendar is on."""

    challenge_id: int
    metric: Metric
    first_day: date  # no member's runs count before this (the day before it started, in UTC)
    ends_on: date
    club_today: date  # today in the challenge's time zone


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` (UTC if unknown), cached: boards convert thousands of instants."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def join_day(joined_at: datetime, tz: str) -> date:
    """The member's local date when they joined: their runs count from this day."""
    return joined_at.astimezone(zone(tz)).date()


async def member_entries(uow: UnitOfWork, scope: Scope, now: datetime) -> list[Entry]:
    """Every member's figure (unranked), in one query."""
    if scope.metric is Metric.STREAK:
        return await _streak_entries(uow, scope, now)
    utc_day = _utc_day(uow.dialect)
    if scope.metric is Metric.ADHERENCE:
        figures = _adherence_figures(scope, utc_day)
    else:
        figures = _log_figures(scope, utc_day)
    cm = ChallengeMember
    stmt = (
        select(cm.runner_id, Runner.display_name, Runner.tz, cm.joined_at,
               *list(figures.c)[1:])
        .join_from(cm, Runner, Runner.id == cm.runner_id)
        .outerjoin(figures, figures.c.runner_id == cm.runner_id)
        .where(cm.challenge_id == scope.challenge_id)
    )
    # Core execution: plain rows, none of the ORM's per-row bookkeeping.
    rows = (await (await uow.session.connection()).execute(stmt)).all()
    return [_entry(row, scope.metric) for row in rows]


# --- SQL ------------------------------------------------------------------------------------
# Every figure is (total over the days from U - 1, the part on U - 1, the part on U): Python
# subtracts the parts that fall before the member's real join day.


def _utc_day(dialect: str) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """SQL for U (the UTC date of `joined_at`) and U - 1."""
    joined = ChallengeMember.joined_at
    if dialect == "sqlite":
        return func.date(joined), func.date(joined, "-1 day")
    day = cast(func.timezone("UTC", joined), Date)
    return day, day - literal_column("1")


def _countable(challenge_id: int) -> ColumnElement[bool]:
    """A run not removed from the challenge by an admin. (Implausible runs never get this far:
    `/done` refuses them; checking again here would cost every board a test per run.)"""
    removed = select(ChallengeExclusion.run_log_id).where(
        ChallengeExclusion.challenge_id == challenge_id
    )
    return RunLog.id.not_in(removed)  # one list for the whole query, not a probe per run


def _first_of_its_kind() -> ColumnElement[bool]:
    """No earlier log by the runner with the same day, minutes and distance: a duplicate
    (a message sent twice, a log repeated later) counts once."""
    rl, twin = RunLog, aliased(RunLog)
    return ~exists().where(
        twin.runner_id == rl.runner_id,
        twin.local_date == rl.local_date,
        twin.id < rl.id,
        twin.minutes.is_not_distinct_from(rl.minutes),
        twin.distance_m.is_not_distinct_from(rl.distance_m),
    )


def _log_figures(scope: Scope, utc_day: tuple[ColumnElement[Any], ColumnElement[Any]]
                 ) -> Subquery:
    """Distance, time or sessions per member, and when their last counted run was logged.

    The members are scanned in runner order and their runs through the (runner, day) index,
    so SQLite groups as it goes, without sorting.
    """
    cm, rl = ChallengeMember, RunLog
    u, u0 = utc_day
    conditions = [cm.challenge_id == scope.challenge_id, _countable(scope.challenge_id)]
    if scope.metric is Metric.SESSIONS:
        parts = [
            func.count(distinct(rl.local_date)),
            func.max(case((rl.local_date < u, 1), else_=0)),
            func.max(case((rl.local_date == u, 1), else_=0)),
        ]
    else:
        measure = rl.distance_m if scope.metric is Metric.DISTANCE else rl.minutes
        conditions += [measure.is_not(None), _first_of_its_kind()]
        parts = [
            func.sum(measure),
            func.sum(case((rl.local_date < u, measure), else_=0)),
            func.sum(case((rl.local_date == u, measure), else_=0)),
        ]
    return (
        select(cm.runner_id, *parts, func.max(rl.logged_at))
        .join_from(cm, rl, and_(
            rl.runner_id == cm.runner_id,
            rl.local_date >= u0,
            # The same bound as a constant: planners then see how few runs are in the window.
            rl.local_date.between(scope.first_day, scope.ends_on),
        ))
        .where(*conditions)
        .group_by(cm.runner_id)
        .subquery("figures")
    )


def _adherence_figures(scope: Scope, utc_day: tuple[ColumnElement[Any], ColumnElement[Any]]
                       ) -> Subquery:
    """Planned run days done and due per member.

    Whether a day is done is decided once per planned day, in a materialised CTE (inlined,
    the check would run again for every sum that uses it).
    """
    cm, ps, rl = ChallengeMember, PlannedSession, RunLog
    u, u0 = utc_day
    done = exists().where(
        rl.runner_id == ps.runner_id, rl.local_date == ps.date, _countable(scope.challenge_id)
    )
    days = (
        select(cm.runner_id, ps.date.label("day"), u.label("u"), done.label("done"))
        .join_from(cm, ps, and_(
            ps.runner_id == cm.runner_id,
            ps.date >= u0,
            ps.date.between(scope.first_day, scope.ends_on),
        ))
        .where(cm.challenge_id == scope.challenge_id, ps.run_minutes > 0)
        .cte("planned_days")
        .prefix_with("MATERIALIZED")
    )
    due = or_(days.c.done, days.c.day < scope.club_today)
    parts = []
    for counted in (days.c.done, due):
        parts += [
            func.sum(case((counted, 1), else_=0)),
            func.sum(case((and_(days.c.day < days.c.u, counted), 1), else_=0)),
            func.sum(case((and_(days.c.day == days.c.u, counted), 1), else_=0)),
        ]
    return select(days.c.runner_id, *parts).group_by(days.c.runner_id).subquery("figures")


def _entry(row: Sequence[Any], metric: Metric) -> Entry:
    runner_id, name, tz, joined_at = row[0], row[1], row[2], row[3]
    shift = (join_day(joined_at, tz) - joined_at.date()).days  # joined_at comes back in UTC

    def counted(total: Any, before: Any, on: Any) -> float:
        # shift -1: joined on U - 1 (local), everything counts; 0: not U - 1; 1: neither.
        value = float(total or 0)
        if shift >= 0:
            value -= float(before or 0)
        if shift >= 1:
            value -= float(on or 0)
        return value

    if metric is Metric.ADHERENCE:
        done, due = counted(*row[4:7]), counted(*row[7:10])
        value = None if due <= 0 else round(100.0 * done / due, PRECISION[metric])
        return Entry(runner_id, name, value)
    total = round(counted(*row[4:7]), PRECISION[metric])
    return Entry(runner_id, name, total, row[7] if total else None)


# --- streak ---------------------------------------------------------------------------------


async def _streak_entries(uow: UnitOfWork, scope: Scope, now: datetime) -> list[Entry]:
    """The cached streak brought up to today: the cache is refreshed by every log, so after
    its day only rest days (which extend a streak) or missed runs (which break it) can have
    passed. Each member's today is one of three dates around the UTC date; the rest days up
    to each are counted, and Python picks the member's own."""
    cm, ss, ps, rl = ChallengeMember, StreakState, PlannedSession, RunLog
    # The first planned run on or after the cached day that has no log: once that day is
    # over, the streak is broken.
    first_open = (
        select(func.min(ps.date))
        .where(
            ps.runner_id == cm.runner_id,
            ps.date >= ss.as_of,
            ps.run_minutes > 0,
            ~exists().where(rl.runner_id == ps.runner_id, rl.local_date == ps.date),
        )
        .scalar_subquery()
    )
    utc_today = now.astimezone(UTC).date()
    todays = [utc_today + timedelta(days=shift) for shift in (-1, 0, 1)]
    rest_until = [
        select(func.count())
        .where(ps.runner_id == cm.runner_id, ps.date > ss.as_of, ps.date <= day,
               ps.run_minutes == 0)
        .scalar_subquery()
        for day in todays
    ]
    stmt = (
        select(cm.runner_id, Runner.display_name, Runner.tz, cm.joined_at, ss.current,
               ss.as_of, first_open, *rest_until)
        .join_from(cm, Runner, Runner.id == cm.runner_id)
        .outerjoin(ss, ss.runner_id == cm.runner_id)
        .where(cm.challenge_id == scope.challenge_id)
    )
    entries = []
    rows = await (await uow.session.connection()).execute(stmt)
    for runner_id, name, tz, joined_at, current, as_of, open_day, *rests in rows:
        today = now.astimezone(zone(tz)).date()
        value = 0
        if current and as_of is not None and (open_day is None or open_day >= today):
            rest = int(rests[todays.index(today)] or 0) if today in todays else 0
            since_join = (today - join_day(joined_at, tz)).days + 1
            value = max(0, min(int(current) + rest, since_join))
        entries.append(Entry(runner_id, name, float(value)))
    return entries
