"""Queries for each member's figure in a challenge: the counting rules, in SQL.

The domain rule (which runs count, and how) — see also `core.clubs.figures`, which turns the
rows read here into figures:
- only a member's own runs (`run_logs.runner_id`), for local days from the day they joined
  (their own local date when they joined) through the challenge's last day (`ends_on`,
  inclusive);
- never a run an admin removed from the challenge (`challenge_exclusions`); duplicates (same
  day, minutes and distance) count once;
- distance and time are sums (a run without a distance, or a time, adds nothing); sessions are
  local days with at least one run;
- adherence: planned run days (run_minutes > 0) done / planned run days due; a day is due once
  it is done or once it is over on the club's calendar;
- streak: the runner's cached streak (`streak_states`), with the rest days since its day and
  the first planned run since then that has no log.

SQL has no portable time-zone arithmetic, and the join day is the member's local date at
`joined_at`: always the UTC date of `joined_at` (U) give or take a day. So every figure comes
back split three ways — the total over the days from U - 1, the part on U - 1, the part on U —
and `core.clubs.figures` keeps the parts that lie on or after the real join day. Exact, with
no per-member query. Rows come back as plain named tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

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

from core.clubs.ranking import Metric
from core.storage.models import (
    ChallengeExclusion,
    ChallengeMember,
    PlannedSession,
    RunLog,
    Runner,
    StreakState,
)
from core.storage.unit_of_work import UnitOfWork


class Window(NamedTuple):
    """The challenge whose members are read, and the days its runs may lie on."""

    challenge_id: int
    first_day: date  # no member's runs count before this
    ends_on: date


class SplitRow(NamedTuple):
    """One member's figures, each split three ways (total from U - 1, part on U - 1, part on
    U), with what is needed to find their real join day."""

    runner_id: int
    tz: str
    joined_at: datetime
    parts: tuple[Any, ...]


class StreakRow(NamedTuple):
    """One member's cached streak and what happened in their plan since its day."""

    runner_id: int
    tz: str
    joined_at: datetime
    current: int | None  # the cached streak (None: never logged)
    as_of: date | None  # the day it was cached for
    open_day: date | None  # the first planned run day since then without a log
    rests: tuple[int | None, ...]  # rest days since `as_of` up to each of the given days


async def run_total_parts(
    uow: UnitOfWork, metric: Metric, window: Window, runner_ids: Collection[int] | None = None
) -> list[SplitRow]:
    """Per member (or only `runner_ids`), in one query: distance, minutes, runs, sessions
    (3 parts each), then when the last run moving `metric`'s figure was logged (after U, on
    U, before U). Members without a counted run come back with empty parts."""
    stmt = _run_totals_query(metric, uow.dialect, runner_ids is not None)
    params: dict[str, Any] = {"challenge_id": window.challenge_id,
                              "first_day": window.first_day, "ends_on": window.ends_on}
    if runner_ids is not None:
        params["runner_ids"] = list(runner_ids)
    # Core execution: plain rows, none of the ORM's per-row bookkeeping.
    rows = (await (await uow.connection()).execute(stmt, params)).all()
    return [SplitRow(row[0], row[1], row[2], tuple(row[3:])) for row in rows]


async def adherence_parts(
    uow: UnitOfWork, window: Window, club_today: date, runner_ids: Collection[int] | None = None
) -> list[SplitRow]:
    """Per member (or only `runner_ids`), in one query: planned run days done, then due as of
    `club_today` (3 parts each)."""
    cm = ChallengeMember
    figures = _adherence_figures(window, club_today, _utc_day(uow.dialect), runner_ids)
    stmt = (
        select(cm.runner_id, Runner.tz, cm.joined_at, *list(figures.c)[1:])
        .join_from(cm, Runner, Runner.id == cm.runner_id)
        .outerjoin(figures, figures.c.runner_id == cm.runner_id)
        .where(cm.challenge_id == window.challenge_id)
    )
    if runner_ids is not None:
        stmt = stmt.where(cm.runner_id.in_(list(runner_ids)))
    rows = (await (await uow.connection()).execute(stmt)).all()
    return [SplitRow(row[0], row[1], row[2], tuple(row[3:])) for row in rows]


async def streak_rows(
    uow: UnitOfWork, challenge_id: int, days: Sequence[date],
    runner_ids: Collection[int] | None = None,
) -> list[StreakRow]:
    """Per member (or only `runner_ids`): the cached streak, the first planned run since its
    day (up to the last of `days`) that has no log, and the rest days since it up to each of
    `days`. Planned days after the last of `days` are never read."""
    cm, ss, ps, rl = ChallengeMember, StreakState, PlannedSession, RunLog
    first_open = (
        select(func.min(ps.date))
        .where(
            ps.runner_id == cm.runner_id,
            ps.date.between(ss.as_of, days[-1]),
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
        for day in days
    ]
    stmt = (
        select(cm.runner_id, Runner.tz, cm.joined_at, ss.current, ss.as_of, first_open,
               *rest_until)
        .join_from(cm, Runner, Runner.id == cm.runner_id)
        .outerjoin(ss, ss.runner_id == cm.runner_id)
        .where(cm.challenge_id == challenge_id)
    )
    if runner_ids is not None:
        stmt = stmt.where(cm.runner_id.in_(list(runner_ids)))
    rows = await (await uow.connection()).execute(stmt)
    return [StreakRow(runner_id, tz, joined_at, current, as_of, open_day, tuple(rests))
            for runner_id, tz, joined_at, current, as_of, open_day, *rests in rows]


async def member_names(uow: UnitOfWork, challenge_id: int) -> dict[int, str]:
    """Each member's display name, by runner id."""
    rows = await (await uow.connection()).execute(
        select(ChallengeMember.runner_id, Runner.display_name)
        .join(Runner, Runner.id == ChallengeMember.runner_id)
        .where(ChallengeMember.challenge_id == challenge_id)
    )
    return {runner_id: name for runner_id, name in rows}


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


def _adherence_figures(window: Window, club_today: date,
                       utc_day: tuple[ColumnElement[Any], ColumnElement[Any]],
                       runner_ids: Collection[int] | None) -> Subquery:
    """Planned run days done and due per member.

    Whether a day is done is decided once per planned day, in a materialised CTE (inlined,
    the check would run again for every sum that uses it).
    """
    cm, ps, rl = ChallengeMember, PlannedSession, RunLog
    u, u0 = utc_day
    done = exists().where(
        rl.runner_id == ps.runner_id, rl.local_date == ps.date, _countable(window.challenge_id)
    )
    days = (
        select(cm.runner_id, ps.date.label("day"), u.label("u"), done.label("done"))
        .join_from(cm, ps, and_(
            ps.runner_id == cm.runner_id,
            ps.date >= u0,
            ps.date.between(window.first_day, window.ends_on),
        ))
        .where(cm.challenge_id == window.challenge_id, ps.run_minutes > 0,
               *([] if runner_ids is None else [cm.runner_id.in_(list(runner_ids))]))
        .cte("planned_days")
        .prefix_with("MATERIALIZED")
    )
    due = or_(days.c.done, days.c.day < club_today)
    parts = []
    for counted in (days.c.done, due):
        parts += [
            func.sum(case((counted, 1), else_=0)),
            func.sum(case((and_(days.c.day < days.c.u, counted), 1), else_=0)),
            func.sum(case((and_(days.c.day == days.c.u, counted), 1), else_=0)),
        ]
    return select(days.c.runner_id, *parts).group_by(days.c.runner_id).subquery("figures")
