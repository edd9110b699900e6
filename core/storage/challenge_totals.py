"""Queries for `challenge_totals`: each member's stored figures per challenge, and the boards
read from them (`core.clubs.totals` decides when rows are recomputed and what a board shows).

A board reads only what it shows: the top rows through an index on (challenge, figure), one
member's place (how many have more), and sums over every member. Ties are ordered by
`core.clubs.ranking`, so the rows read here are the candidates, not the final order: equal
figures have either all a time or none (zero), so NULL placement never matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, case, delete, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import ColumnElement, Executable, Insert

from core.clubs.ranking import Entry, Metric
from core.storage import direct
from core.storage.club_values import StoredChallenge, columns_of
from core.storage.models import Challenge, ChallengeMember, ChallengeTotal, RunLog, Runner
from core.storage.unit_of_work import UnitOfWork

# The boards read from the table, and the column each ranks by.
STORED: dict[Metric, InstrumentedAttribute[Any]] = {
    Metric.DISTANCE: ChallengeTotal.distance_m,
    Metric.TIME: ChallengeTotal.minutes,
    Metric.SESSIONS: ChallengeTotal.sessions,
    Metric.STREAK: ChallengeTotal.streak,
    Metric.ADHERENCE: ChallengeTotal.adherence,
}


class TotalRow(NamedTuple):
    """A member's `challenge_totals` row."""

    challenge_id: int
    runner_id: int
    distance_m: float
    minutes: float
    sessions: int
    runs: int
    last_counted_at: datetime | None
    adherence_done: int
    adherence_due: int
    adherence: float | None
    streak: int
    figures_at: datetime
    updated_at: datetime


class BoardSums(NamedTuple):
    """Sums over a challenge's members, in one statement."""

    members: int  # members of the challenge
    rows: int  # stored rows
    team_total: float  # the figures added up
    goal_reached: int  # members at the goal
    leaders: int  # members sharing the best figure (above zero)


# --- which challenges -----------------------------------------------------------------------


async def runner_challenges(uow: UnitOfWork, runner_id: int, active: str
                            ) -> list[StoredChallenge]:
    """The challenges with status `active` the runner is a member of. Most runners are in
    none: a direct query finds that, and the challenges are loaded only for members."""
    params = {"runner_id": runner_id, "active": active}
    ids = [row[0] for row in await direct.rows(uow, _RUNNER_CHALLENGE_IDS, params)]
    return await challenges_by_ids(uow, ids)


async def challenges_by_ids(uow: UnitOfWork, ids: Sequence[int]) -> list[StoredChallenge]:
    """The challenges with these ids (no statement for none)."""
    if not ids:
        return []
    rows = await uow.session.execute(_RUNNER_CHALLENGES, {"ids": list(ids)})
    return [StoredChallenge(*row) for row in rows]


_RUNNER_CHALLENGE_IDS = direct.Statement(  # every log and undo runs it
    "SELECT challenges.id FROM challenges JOIN challenge_members "
    "ON challenge_members.challenge_id = challenges.id "
    "WHERE challenge_members.runner_id = :runner_id AND challenges.status = :active"
)
_CHALLENGE = columns_of(StoredChallenge, Challenge)
_RUNNER_CHALLENGES = (
    select(*_CHALLENGE)
    .where(Challenge.id.in_(bindparam("ids", expanding=True)))
    .order_by(Challenge.id)
)


async def stale_challenges(uow: UnitOfWork, active: str, metrics: Iterable[Metric],
                           before: datetime, limit: int) -> list[StoredChallenge]:
    """Up to `limit` challenges with status `active`, ranked by one of `metrics`, with a
    member's figures computed before `before` (or never), by id."""
    rows = await uow.session.execute(
        select(*_CHALLENGE)
        .where(Challenge.status == active, Challenge.metric.in_([m.value for m in metrics]),
               _stale(Challenge.id, before))
        .order_by(Challenge.id)
        .limit(limit)
    )
    return [StoredChallenge(*row) for row in rows]


async def is_stale(uow: UnitOfWork, challenge_id: int, before: datetime) -> bool:
    """Whether a member's figures in the challenge were computed before `before` (or never)."""
    return bool(await uow.session.scalar(select(_stale(challenge_id, before))))


def _stale(challenge_id: Any, before: datetime) -> ColumnElement[bool]:
    ct = ChallengeTotal
    return exists().where(ct.challenge_id == challenge_id, or_(
        ct.figures_at.is_(None), ct.figures_at < before))


# --- members --------------------------------------------------------------------------------


async def members_with_runs_between(
    uow: UnitOfWork, challenge_id: int, first: date, last: date
) -> list[int]:
    """Members of the challenge with a run on a local day `first`..`last`."""
    cm, rl = ChallengeMember, RunLog
    rows = await uow.session.scalars(
        select(cm.runner_id)
        .distinct()
        .join(rl, and_(rl.runner_id == cm.runner_id, rl.local_date.between(first, last)))
        .where(cm.challenge_id == challenge_id)
    )
    return list(rows)


async def members_without_row(uow: UnitOfWork, challenge_id: int) -> list[int]:
    """Members of the challenge who have no stored row."""
    ct, cm = ChallengeTotal, ChallengeMember
    stored = exists().where(ct.challenge_id == cm.challenge_id, ct.runner_id == cm.runner_id)
    return list(await uow.session.scalars(
        select(cm.runner_id).where(cm.challenge_id == challenge_id, ~stored)))


async def drop_non_members(uow: UnitOfWork, challenge_id: int) -> None:
    """Delete the stored rows of runners no longer members of the challenge."""
    ct, cm = ChallengeTotal, ChallengeMember
    member = exists().where(cm.challenge_id == ct.challenge_id, cm.runner_id == ct.runner_id)
    await uow.session.execute(delete(ct).where(ct.challenge_id == challenge_id, ~member))


async def forget_member(uow: UnitOfWork, challenge_id: int, runner_id: int) -> None:
    """Delete the member's row."""
    await uow.session.execute(delete(ChallengeTotal).where(
        ChallengeTotal.challenge_id == challenge_id, ChallengeTotal.runner_id == runner_id
    ))


async def lock_runners(uow: UnitOfWork, runner_ids: Iterable[int]) -> None:
    """Hold these runners' rows until the transaction ends (PostgreSQL), in id order so two
    transactions never wait on each other; a no-op on SQLite, whose writers are serial."""
    ids = sorted(set(runner_ids))
    if ids and uow.dialect == "postgresql":
        await uow.session.execute(
            select(Runner.id).where(Runner.id.in_(ids)).order_by(Runner.id).with_for_update()
        )


async def lock_members(uow: UnitOfWork, challenge_id: int) -> None:
    """`lock_runners` for every member of the challenge."""
    if uow.dialect == "postgresql":
        members = select(ChallengeMember.runner_id).where(
            ChallengeMember.challenge_id == challenge_id)
        await uow.session.execute(select(Runner.id).where(Runner.id.in_(members))
                                  .order_by(Runner.id).with_for_update())


# --- reading a board ------------------------------------------------------------------------


async def sums(uow: UnitOfWork, challenge_id: int, metric: Metric, goal: float | None
               ) -> BoardSums:
    """Members, stored rows, the figures added up, members at `goal` (none without one) and
    members sharing the best figure, in one statement."""
    figure = STORED[metric]
    ct, cm = ChallengeTotal, ChallengeMember
    mine = ct.challenge_id == challenge_id
    members = select(func.count()).where(cm.challenge_id == challenge_id).scalar_subquery()
    best = select(func.max(figure)).where(mine).scalar_subquery()
    at_goal = (func.sum(case((figure >= goal, 1), else_=0)) if goal is not None
               else literal(0))
    row = (await _rows(uow, select(
        members, func.count(), func.coalesce(func.sum(figure), 0), at_goal,
        func.sum(case((and_(figure == best, figure > 0), 1), else_=0)),
    ).where(mine)))[0]
    return BoardSums(int(row[0]), int(row[1]), float(row[2]), int(row[3] or 0),
                     int(row[4] or 0))


async def entries(uow: UnitOfWork, challenge_id: int, metric: Metric) -> list[Entry]:
    """Every member's stored figure (unranked)."""
    return [_entry(row) for row in await _rows(uow, _base(challenge_id, metric))]


async def top_entries(uow: UnitOfWork, challenge_id: int, metric: Metric, limit: int
                      ) -> list[Entry]:
    """The `limit` rows with the highest figure (no figure last), the earliest reached first
    among equals."""
    figure = STORED[metric]
    stmt = _base(challenge_id, metric).order_by(
        figure.desc().nulls_last(), ChallengeTotal.last_counted_at).limit(limit)
    return [_entry(row) for row in await _rows(uow, stmt)]


async def entries_tied_with(uow: UnitOfWork, challenge_id: int, metric: Metric, entry: Entry
                            ) -> list[Entry]:
    """Every row with `entry`'s figure and time."""
    figure, ct = STORED[metric], ChallengeTotal
    same_time = (ct.last_counted_at.is_(None) if entry.reached_at is None
                 else ct.last_counted_at == entry.reached_at)
    same_figure = figure.is_(None) if entry.value is None else figure == entry.value
    stmt = _base(challenge_id, metric).where(same_figure, same_time)
    return [_entry(row) for row in await _rows(uow, stmt)]


async def entry_of(uow: UnitOfWork, challenge_id: int, metric: Metric, runner_id: int
                   ) -> Entry | None:
    """One member's stored figure (None: not a member)."""
    stmt = _base(challenge_id, metric).where(ChallengeTotal.runner_id == runner_id)
    found = await _rows(uow, stmt)
    return _entry(found[0]) if found else None


async def counts_around(uow: UnitOfWork, challenge_id: int, metric: Metric,
                        value: float | None) -> tuple[int, int]:
    """(rows with a figure above `value`, rows with `value`); for None: (rows with a figure,
    rows without one)."""
    figure, ct = STORED[metric], ChallengeTotal
    if value is None:
        stmt = select(func.count(figure), func.count() - func.count(figure)).where(
            ct.challenge_id == challenge_id)
    else:
        stmt = select(
            func.sum(case((figure > value, 1), else_=0)),
            func.sum(case((figure == value, 1), else_=0)),
        ).where(ct.challenge_id == challenge_id, figure >= value)
    above, same = (await _rows(uow, stmt))[0]
    return int(above or 0), int(same or 0)


def _base(challenge_id: int, metric: Metric) -> Any:
    ct = ChallengeTotal
    return (
        select(ct.runner_id, Runner.display_name, STORED[metric], ct.last_counted_at)
        .join(Runner, Runner.id == ct.runner_id)
        .where(ct.challenge_id == challenge_id)
    )


def _entry(row: Sequence[Any]) -> Entry:
    runner_id, name, value, reached = row
    if value is None:
        return Entry(runner_id, name, None)
    return Entry(runner_id, name, float(value), reached if value else None)


async def _rows(uow: UnitOfWork, stmt: Executable) -> Sequence[Sequence[Any]]:
    # Core execution: plain rows, none of the ORM's per-row bookkeeping.
    return (await (await uow.connection()).execute(stmt)).all()


# --- writing --------------------------------------------------------------------------------


async def store(uow: UnitOfWork, rows: Sequence[TotalRow], *, replace: bool) -> None:
    """Write the rows; an existing row is overwritten (`replace`) or kept."""
    if not rows:
        return
    conn = await uow.connection()
    await conn.execute(_upsert(uow.dialect, replace), [row._asdict() for row in rows])


@lru_cache(maxsize=4)
def _upsert(dialect: str, replace: bool) -> Insert:
    """INSERT ... ON CONFLICT for the dialect, built once (it is run on every log)."""
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(ChallengeTotal)
    keys = [ChallengeTotal.challenge_id, ChallengeTotal.runner_id]
    if not replace:
        return stmt.on_conflict_do_nothing(index_elements=keys)
    return stmt.on_conflict_do_update(index_elements=keys, set_={
        name: stmt.excluded[name]
        for name in ("distance_m", "minutes", "sessions", "runs", "last_counted_at",
                     "adherence_done", "adherence_due", "adherence", "streak", "figures_at",
                     "updated_at")
    })


