"""Queries for club challenges: the challenges, their members and the runs admins removed.

Everything runs in the caller's unit of work (add, flush and read; never commit). Who may do
what, names, dates and limits are decided by `core.clubs.challenges` and
`core.clubs.moderation`; these functions only read and write the rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select

from core.storage.models import Challenge, ChallengeExclusion, ChallengeMember, RunLog, Runner
from core.storage.unit_of_work import UnitOfWork


class MemberSpan(NamedTuple):
    """A runner's membership of one challenge: when they joined, in which zone, their name."""

    challenge_id: int
    joined_at: datetime
    tz: str
    display_name: str


class Removal(NamedTuple):
    """A run an admin removes from one challenge."""

    challenge_id: int
    run_log_id: int
    removed_by: int
    reason: str
    removed_at: datetime


# --- challenges -----------------------------------------------------------------------------


async def club_challenges(uow: UnitOfWork, club_id: int, status: str) -> list[Challenge]:
    """The club's challenges with `status`, oldest first."""
    rows = await uow.session.scalars(
        select(Challenge)
        .where(Challenge.club_id == club_id, Challenge.status == status)
        .order_by(Challenge.id)
    )
    return list(rows)


async def challenges_with_status(uow: UnitOfWork, status: str) -> list[Challenge]:
    """Every challenge with `status`, oldest first."""
    return list(await uow.session.scalars(
        select(Challenge).where(Challenge.status == status).order_by(Challenge.id)
    ))


async def ending_before(uow: UnitOfWork, status: str, day: date) -> list[Challenge]:
    """The challenges with `status` whose last day is before `day`."""
    return list(await uow.session.scalars(
        select(Challenge).where(Challenge.status == status, Challenge.ends_on < day)
    ))


async def add_challenge(uow: UnitOfWork, challenge: Challenge) -> Challenge:
    """Store a new challenge (it gets its id)."""
    uow.session.add(challenge)
    await uow.session.flush()
    return challenge


async def save(uow: UnitOfWork) -> None:
    """Write the changes made to challenges loaded in this unit of work."""
    await uow.session.flush()


async def member_counts(uow: UnitOfWork, challenge_ids: Collection[int]) -> dict[int, int]:
    """How many members each challenge has (0 for none), in one query."""
    counts = dict.fromkeys(challenge_ids, 0)
    if challenge_ids:
        rows = await uow.session.execute(
            select(ChallengeMember.challenge_id, func.count())
            .where(ChallengeMember.challenge_id.in_(list(challenge_ids)))
            .group_by(ChallengeMember.challenge_id)
        )
        counts.update({cid: int(n) for cid, n in rows})
    return counts


async def units_of(uow: UnitOfWork, runner_ids: Collection[int]) -> dict[int, str]:
    """Each runner's distance units."""
    if not runner_ids:
        return {}
    rows = await uow.session.execute(
        select(Runner.id, Runner.units).where(Runner.id.in_(list(runner_ids)))
    )
    return {rid: u for rid, u in rows}


# --- members --------------------------------------------------------------------------------


async def membership(uow: UnitOfWork, challenge_id: int, runner_id: int) -> ChallengeMember | None:
    """The runner's membership of the challenge, if any."""
    member: ChallengeMember | None = await uow.session.scalar(
        select(ChallengeMember).where(
            ChallengeMember.challenge_id == challenge_id, ChallengeMember.runner_id == runner_id
        )
    )
    return member


async def add_member(uow: UnitOfWork, challenge_id: int, runner_id: int, joined_at: datetime,
                     platform: str) -> None:
    uow.session.add(ChallengeMember(challenge_id=challenge_id, runner_id=runner_id,
                                    joined_at=joined_at, platform=platform))
    await uow.session.flush()


async def remove_member(uow: UnitOfWork, member: ChallengeMember) -> None:
    await uow.session.delete(member)
    await uow.session.flush()


async def members_named(uow: UnitOfWork, challenge_ids: Collection[int]) -> list[tuple[int, str]]:
    """(runner id, display name) of every member of these challenges, once each."""
    rows = await uow.session.execute(
        select(Runner.id, Runner.display_name)
        .join(ChallengeMember, ChallengeMember.runner_id == Runner.id)
        .where(ChallengeMember.challenge_id.in_(list(challenge_ids)))
        .distinct()
    )
    return [(rid, shown) for rid, shown in rows]


async def memberships_of(uow: UnitOfWork, runner_id: int, challenge_ids: Collection[int]
                         ) -> list[MemberSpan]:
    """The runner's memberships of these challenges."""
    rows = await uow.session.execute(
        select(ChallengeMember.challenge_id, ChallengeMember.joined_at, Runner.tz,
               Runner.display_name)
        .join(Runner, Runner.id == ChallengeMember.runner_id)
        .where(ChallengeMember.runner_id == runner_id,
               ChallengeMember.challenge_id.in_(list(challenge_ids)))
    )
    return [MemberSpan(*row) for row in rows]


# --- runs and removals ----------------------------------------------------------------------


async def runs_between(uow: UnitOfWork, runner_id: int, first: date, last: date, limit: int
                       ) -> list[RunLog]:
    """The runner's most recent `limit` runs on local days `first`..`last`, newest first."""
    return list(await uow.session.scalars(
        select(RunLog)
        .where(RunLog.runner_id == runner_id, RunLog.local_date.between(first, last))
        .order_by(RunLog.local_date.desc(), RunLog.id.desc())
        .limit(limit)
    ))


async def run(uow: UnitOfWork, log_id: int, *, fresh: bool = False) -> RunLog | None:
    """One logged run (`fresh`: read again even if this unit of work has it)."""
    return await uow.session.get(RunLog, log_id, populate_existing=fresh)


async def removal_reasons(uow: UnitOfWork, challenge_ids: Collection[int],
                          log_ids: Collection[int]) -> dict[int, str]:
    """Why each of these runs was removed from one of these challenges (run id: reason)."""
    rows = await uow.session.execute(
        select(ChallengeExclusion.run_log_id, ChallengeExclusion.reason).where(
            ChallengeExclusion.challenge_id.in_(list(challenge_ids)),
            ChallengeExclusion.run_log_id.in_(list(log_ids)),
        )
    )
    return {log_id: reason for log_id, reason in rows}


async def removed_from(uow: UnitOfWork, log_id: int, challenge_ids: Collection[int]) -> set[int]:
    """Those of these challenges the run was already removed from."""
    return set(await uow.session.scalars(
        select(ChallengeExclusion.challenge_id).where(
            ChallengeExclusion.run_log_id == log_id,
            ChallengeExclusion.challenge_id.in_(list(challenge_ids)),
        )
    ))


async def add_removals(uow: UnitOfWork, removals: Iterable[Removal]) -> None:
    for removal in removals:
        uow.session.add(ChallengeExclusion(**removal._asdict()))
    await uow.session.flush()
