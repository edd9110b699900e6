"""Each member's figure for a challenge: the counting rules, in SQL, for any number of members.

What counts for a member:
- only their own runs (`run_logs.runner_id`), for local days from the day they joined (their own
  local date when they joined) through the challenge's last day (`ends_on`, inclusive);
- never a run an admin removed from the challenge (`challenge_exclusions`); duplicates (same
  day, minutes and distance) once. Implausible runs (world-record paces, over 24 h or 250 km)
  are refused by `/done` and never stored.

The join day is the member's local date at `joined_at`, but SQL has no portable time-zone
arithmetic. It is always the UTC date of `joined_at` (U) give or take a day, so the queries
return each figure split three ways — days before U, U itself, days after U — and Python adds
the parts that lie on or after the real join day. Exact, with no per-member query.

Metrics (see `core.clubs.ranking.Metric` for units):
- distance, time: sums (runs without a distance, or without a time, add nothing);
- sessions: local days with at least one run. These three are `run_totals`: computed for one
  member whenever their runs change, stored in `challenge_totals` (`core.clubs.totals`),
  and read from there by the boards;
- adherence: planned run days (run_minutes > 0) done / planned run days due, from the join day
  to `ends_on`. A day is due once it is done or once it is over on the club's calendar (the
  challenge's time zone); today is pending until then. No planned run due yet: no figure ("—").
- streak: the runner's current streak as `/streak` shows it (cached in `streak_states` by every
  log, brought up to today with the rest days since), counting at most the days since joining;
  0 once a planned run was missed. It comes from the runner's whole log book, so an admin's
  removal of a run does not change it (cheap: no per-day work for thousands of members).
  Adherence and streak depend on the plan and on the date: `plan_figures` computes them for
  any number of members as of an instant, and `core.clubs.totals` stores them too, for
  the challenges ranked by them (so they may lag by up to an hour for members who did not
  log; see there). `live_entries` is the same computation, unstored.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
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
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.selectable import CTE, Select, Subquery

from core.clubs.ranking import Entry, Metric
from core.storage.models import (
    Challenge,
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


@dataclass(frozen=True)
class RunTotals:
    """A member's counted runs in one challenge (what `challenge_totals` stores)."""

    runner_id: int
    distance_m: float  # metres, to the metre
    minutes: float  # to the hundredth
    sessions: int  # local days with a counted run
    runs: int  # counted runs, a duplicate once
    last_counted_at: datetime | None  # when the last run adding to the metric was logged

    def figure(self, metric: Metric) -> float:
        """The figure a board of `metric` ranks by (runs for the boards computed live)."""
        return {Metric.DISTANCE: self.distance_m, Metric.TIME: self.minutes,
                Metric.SESSIONS: float(self.sessions)}.get(metric, float(self.runs))


# The metrics that depend on the plan and the date as well as on the runs.
PLANNED = (Metric.STREAK, Metric.ADHERENCE)


@dataclass(frozen=True)
class PlanFigures:
    """A member's adherence and streak figures in one challenge, as of an instant. Only the
    one the challenge ranks by is computed; the other stays 0."""

    runner_id: int
    done: int = 0  # planned run days done
    due: int = 0  # planned run days due
    streak: int = 0

    @property
    def adherence(self) -> float | None:
        """Percent of the due planned runs done; None before one is due."""
        if self.due <= 0:
            return None
        return round(100.0 * self.done / self.due, PRECISION[Metric.ADHERENCE])

    def figure(self, metric: Metric) -> float | None:
        """The figure a board of `metric` (streak or adherence) ranks by."""
        return float(self.streak) if metric is Metric.STREAK else self.adherence


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


def scope_of(challenge: Challenge, now: datetime) -> Scope:
    """What a board of `challenge` measures at `now`."""
    today = min(now.astimezone(zone(challenge.tz)).date(),
                challenge.ends_on + timedelta(days=1))
    first_day = challenge.starts_at.date() - timedelta(days=1)
    return Scope(challenge.id, Metric(challenge.metric), first_day, challenge.ends_on, today)


async def run_totals(
    uow: UnitOfWork, scope: Scope, runner_ids: Collection[int] | None = None
) -> list[RunTotals]:
    """The counted runs of every member (or only of `runner_ids`), in one query. Members
    without a counted run get zeros."""
    stmt = _run_totals_query(scope.metric, uow.dialect, runner_ids is not None)
    params: dict[str, Any] = {"challenge_id": scope.challenge_id,
                              "first_day": scope.first_day, "ends_on": scope.ends_on}
    if runner_ids is not None:
        params["runner_ids"] = list(runner_ids)
    rows = (await (await uow.session.connection()).execute(stmt, params)).all()
    return [_run_totals(row, scope.metric) for row in rows]


async def plan_figures(
    uow: UnitOfWork, scope: Scope, now: datetime, runner_ids: Collection[int] | None = None
) -> list[PlanFigures]:
    """The adherence or streak (`scope.metric`) of every member, or only of `runner_ids`, as
    of `now`, in one query. The one computation of these figures: boards, refreshes and
    rebuilds all use it."""
    if scope.metric is Metric.STREAK:
        return await _streaks(uow, scope, now, runner_ids)
    if scope.metric is not Metric.ADHERENCE:
        raise ValueError(f"{scope.metric} is counted by run_totals")
    cm = ChallengeMember
    figures = _adherence_figures(scope, _utc_day(uow.dialect), runner_ids)
    stmt = (
        select(cm.runner_id, Runner.tz, cm.joined_at, *list(figures.c)[1:])
        .join_from(cm, Runner, Runner.id == cm.runner_id)
        .outerjoin(figures, figures.c.runner_id == cm.runner_id)
        .where(cm.challenge_id == scope.challenge_id)
    )
    if runner_ids is not None:
        stmt = stmt.where(cm.runner_id.in_(list(runner_ids)))
    # Core execution: plain rows, none of the ORM's per-row bookkeeping.
    rows = (await (await uow.session.connection()).execute(stmt)).all()
    return [_adherence(row) for row in rows]


async def live_entries(uow: UnitOfWork, scope: Scope, now: datetime) -> list[Entry]:
    """Every member's adherence or streak (unranked) computed now, without the stored rows."""
    names = {runner_id: name for runner_id, name in await uow.session.execute(
        select(ChallengeMember.runner_id, Runner.display_name)
        .join(Runner, Runner.id == ChallengeMember.runner_id)
        .where(ChallengeMember.challenge_id == scope.challenge_id)
    )}
    return [Entry(f.runner_id, names[f.runner_id], f.figure(scope.metric))
            for f in await plan_figures(uow, scope, now)]


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


def _countable(challenge_id: int | BindParameter[int]) -> ColumnElement[bool]:
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


@lru_cache(maxsize=32)
def _run_totals_query(metric: Metric, dialect: str, some: bool) -> Select[Any]:
    """The `run_totals` statement, built once (it is run on every log): the challenge, its
    dates and the members (`some`) are bound parameters."""
    cm = ChallengeMember
    figures = _run_figures(metric, _utc_day(dialect), some)
    stmt = (
        select(cm.runner_id, Runner.tz, cm.joined_at, *list(figures.c)[1:])
        .join_from(cm, Runner, Runner.id == cm.runner_id)
        .outerjoin(figures, figures.c.runner_id == cm.runner_id)
        .where(cm.challenge_id == bindparam("challenge_id", type_=Integer))
    )
    if some:
        stmt = stmt.where(cm.runner_id.in_(bindparam("runner_ids", expanding=True)))
    return stmt


def _counted_runs(utc_day: tuple[ColumnElement[Any], ColumnElement[Any]], some: bool) -> CTE:
    """The members' countable runs from U - 1, each marked whether it is the first of its
    kind — decided once per run, in a materialised CTE (inlined, the check would run again
    for every sum that uses it).

    The members are scanned in runner order and their runs through the (runner, day) index.
    """
    cm, rl = ChallengeMember, RunLog
    u, u0 = utc_day
    challenge_id = bindparam("challenge_id", type_=Integer)
    conditions = [cm.challenge_id == challenge_id, _countable(challenge_id)]
    if some:
        conditions.append(cm.runner_id.in_(bindparam("runner_ids", expanding=True)))
    return (
        select(cm.runner_id, u.label("u"), rl.local_date.label("day"), rl.logged_at,
               rl.minutes, rl.distance_m, case((_first_of_its_kind(), 1), else_=0).label("first"))
        .join_from(cm, rl, and_(
            rl.runner_id == cm.runner_id,
            rl.local_date >= u0,
            # The same bound as a constant: planners then see how few runs are in the window.
            rl.local_date.between(bindparam("first_day", type_=Date),
                                  bindparam("ends_on", type_=Date)),
        ))
        .where(*conditions)
        .cte("counted_runs")
        .prefix_with("MATERIALIZED")
    )


def _run_figures(metric: Metric, utc_day: tuple[ColumnElement[Any], ColumnElement[Any]],
                 some: bool) -> Subquery:
    """Distance, time, runs and sessions per member, each split three ways, and when the last
    run counting towards the metric was logged (after U, on U, before U)."""
    runs = _counted_runs(utc_day, some)
    c = runs.c
    first = c.first == 1

    def split(value: ColumnElement[Any],
              agg: Callable[[ColumnElement[Any]], ColumnElement[Any]] = func.sum
              ) -> list[ColumnElement[Any]]:
        return [agg(value), agg(case((c.day < c.u, value))), agg(case((c.day == c.u, value)))]

    def count_days(value: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.count(distinct(value))

    adds = {  # the runs whose logging moves the metric's figure
        Metric.DISTANCE: and_(first, c.distance_m.is_not(None)),
        Metric.TIME: and_(first, c.minutes.is_not(None)),
    }.get(metric)
    reached = c.logged_at if adds is None else case((adds, c.logged_at))
    return (
        select(
            c.runner_id,
            *split(case((first, c.distance_m))),
            *split(case((first, c.minutes))),
            *split(case((first, 1))),
            *split(c.day, count_days),
            func.max(case((c.day > c.u, reached))),
            func.max(case((c.day == c.u, reached))),
            func.max(case((c.day < c.u, reached))),
        )
        .group_by(c.runner_id)
        .subquery("figures")
    )


def _adherence_figures(scope: Scope, utc_day: tuple[ColumnElement[Any], ColumnElement[Any]],
                       runner_ids: Collection[int] | None) -> Subquery:
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
        .where(cm.challenge_id == scope.challenge_id, ps.run_minutes > 0,
               *([] if runner_ids is None else [cm.runner_id.in_(list(runner_ids))]))
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


# --- from split parts to figures ------------------------------------------------------------


def _shift(joined_at: datetime, tz: str) -> int:
    """The member's join day minus U: -1, 0 or 1 (joined_at comes back in UTC)."""
    return (join_day(joined_at, tz) - joined_at.date()).days


def _counted(shift: int, total: Any, before: Any, on: Any) -> float:
    # shift -1: joined on U - 1 (local), everything counts; 0: not U - 1; 1: neither.
    value = float(total or 0)
    if shift >= 0:
        value -= float(before or 0)
    if shift >= 1:
        value -= float(on or 0)
    return value


def _run_totals(row: Sequence[Any], metric: Metric) -> RunTotals:
    runner_id, tz, joined_at = row[0], row[1], row[2]
    shift = _shift(joined_at, tz)
    distance, minutes, runs, days = (_counted(shift, *row[i:i + 3]) for i in (3, 6, 9, 12))
    after, on, before = row[15:18]
    reached = [after, *([on] if shift <= 0 else []), *([before] if shift < 0 else [])]
    totals = RunTotals(
        runner_id=runner_id,
        distance_m=round(distance, PRECISION[Metric.DISTANCE]),
        minutes=round(minutes, PRECISION[Metric.TIME]),
        sessions=round(days),
        runs=round(runs),
        last_counted_at=max((at for at in reached if at is not None), default=None),
    )
    if not totals.figure(metric):  # nothing reached yet: no time (so ties order by name)
        totals = replace(totals, last_counted_at=None)
    return totals


def _adherence(row: Sequence[Any]) -> PlanFigures:
    runner_id, tz, joined_at = row[0], row[1], row[2]
    shift = _shift(joined_at, tz)
    done, due = _counted(shift, *row[3:6]), _counted(shift, *row[6:9])
    return PlanFigures(runner_id, done=round(done), due=round(due))


# --- streak ---------------------------------------------------------------------------------


async def _streaks(uow: UnitOfWork, scope: Scope, now: datetime,
                   runner_ids: Collection[int] | None) -> list[PlanFigures]:
    """The cached streak brought up to today: the cache is refreshed by every log, so after
    its day only rest days (which extend a streak) or missed runs (which break it) can have
    passed. Each member's today is one of three dates around the UTC date; the rest days up
    to each are counted, and Python picks the member's own. Planned days after the latest of
    those todays cannot matter yet and are never read."""
    cm, ss, ps, rl = ChallengeMember, StreakState, PlannedSession, RunLog
    utc_today = now.astimezone(UTC).date()
    todays = [utc_today + timedelta(days=shift) for shift in (-1, 0, 1)]
    # The first planned run since the cached day that has no log: once that day is over,
    # the streak is broken.
    first_open = (
        select(func.min(ps.date))
        .where(
            ps.runner_id == cm.runner_id,
            ps.date.between(ss.as_of, todays[-1]),
            ps.run_minutes > 0,
            ~exists().where(rl.runner_id == ps.runner_id, rl.local_date == ps.date),
        )
        .scalar_subquery()
    )
    rest_until = [
        select(func.count())
        .where(ps.runner_id == cm.runner_id, ps.date > ss.as_of, ps.date <= day,
               ps.run_minutes == 0)
        .scalar_subquery()
        for day in todays
    ]
    stmt = (
        select(cm.runner_id, Runner.tz, cm.joined_at, ss.current, ss.as_of, first_open,
               *rest_until)
        .join_from(cm, Runner, Runner.id == cm.runner_id)
        .outerjoin(ss, ss.runner_id == cm.runner_id)
        .where(cm.challenge_id == scope.challenge_id)
    )
    if runner_ids is not None:
        stmt = stmt.where(cm.runner_id.in_(list(runner_ids)))
    figures = []
    rows = await (await uow.session.connection()).execute(stmt)
    for runner_id, tz, joined_at, current, as_of, open_day, *rests in rows:
        today = now.astimezone(zone(tz)).date()
        value = 0
        if current and as_of is not None and (open_day is None or open_day >= today):
            rest = int(rests[todays.index(today)] or 0) if today in todays else 0
            since_join = (today - join_day(joined_at, tz)).days + 1
            value = max(0, min(int(current) + rest, since_join))
        figures.append(PlanFigures(runner_id, streak=value))
    return figures
