"""Queries for club challenges: the challenges, their members and the runs admins removed.

Everything runs in the caller's unit of work (add, flush and read; never commit). Who may do
what, names, dates and limits are decided by `core.clubs.challenges` and
`core.clubs.moderation`; these functions only read and write the rows. They take and return
plain values (`core.storage.club_values`), never ORM objects: a change is written by the
function that makes it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import delete, func, select, update

from core.storage.club_values import StoredChallenge, StoredMember, StoredRun, columns_of
from core.storage.models import Challenge, ChallengeExclusion, ChallengeMember, RunLog, Runner
from core.storage.unit_of_work import UnitOfWork

_CHALLENGE = columns_of(StoredChallenge, Challenge)
_MEMBER = columns_of(StoredMember, ChallengeMember)
_RUN = columns_of(StoredRun, RunLog)


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


async def challenge(uow: UnitOfWork, challenge_id: int) -> StoredChallenge | None:
    """One challenge, if it exists."""
    found = (await uow.session.execute(
        select(*_CHALLENGE).where(Challenge.id == challenge_id)
    )).first()
    return StoredChallenge(*found) if found is not None else None


async def club_challenges(uow: UnitOfWork, club_id: int, status: str) -> list[StoredChallenge]:
    """The club's challenges with `status`, oldest first."""
    rows = await uow.session.execute(
        select(*_CHALLENGE)
        .where(Challenge.club_id == club_id, Challenge.status == status)
        .order_by(Challenge.id)
    )
    return [StoredChallenge(*row) for row in rows]


async def challenges_with_status(uow: UnitOfWork, status: str) -> list[StoredChallenge]:
    """Every challenge with `status`, oldest first."""
    rows = await uow.session.execute(
        select(*_CHALLENGE).where(Challenge.status == status).order_by(Challenge.id)
    )
    return [StoredChallenge(*row) for row in rows]


async def ending_before(uow: UnitOfWork, status: str, day: date) -> list[StoredChallenge]:
    """The challenges with `status` whose last day is before `day`."""
    rows = await uow.session.execute(
        select(*_CHALLENGE).where(Challenge.status == status, Challenge.ends_on < day)
    )
    return [StoredChallenge(*row) for row in rows]


async def add_challenge(
    uow: UnitOfWork, *, club_id: int, name: str, metric: str, goal: float | None,
    team_goal: float | None, starts_at: datetime, ends_on: date, tz: str, status: str,
    created_by: int | None,
) -> StoredChallenge:
    """Store a new challenge; it comes back with its id."""
    row = Challenge(club_id=club_id, name=name, metric=metric, goal=goal, team_goal=team_goal,
                    starts_at=starts_at, ends_on=ends_on, tz=tz, status=status,
                    created_by=created_by)
    uow.session.add(row)
    await uow.session.flush()
    return StoredChallenge(row.id, club_id, name, metric, goal, team_goal, starts_at, ends_on,
                           tz, status, created_by, None)


async def set_last_day(uow: UnitOfWork, challenge_id: int, ends_on: date) -> None:
    """Store the challenge's new last day."""
    await _update(uow, challenge_id, ends_on=ends_on)


async def set_status(uow: UnitOfWork, challenge_id: int, status: str,
                     ended_at: datetime | None) -> None:
    """Store the challenge's status (and when it ended)."""
    await _update(uow, challenge_id, status=status, ended_at=ended_at)


async def rename(uow: UnitOfWork, names: Mapping[int, str]) -> None:
    """Store new names (challenge id: name), in one statement."""
    if names:
        await uow.session.execute(
            update(Challenge), [{"id": cid, "name": name} for cid, name in names.items()]
        )


async def _update(uow: UnitOfWork, challenge_id: int, **values: object) -> None:
    await uow.session.execute(
        update(Challenge).where(Challenge.id == challenge_id).values(**values)
    )


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


async def membership(uow: UnitOfWork, challenge_id: int, runner_id: int) -> StoredMember | None:
    """The runner's membership of the challenge, if any."""
    found = (await uow.session.execute(
        select(*_MEMBER).where(
            ChallengeMember.challenge_id == challenge_id, ChallengeMember.runner_id == runner_id
        )
    )).first()
    return StoredMember(*found) if found is not None else None


async def add_member(uow: UnitOfWork, challenge_id: int, runner_id: int, joined_at: datetime,
                     platform: str) -> None:
    uow.session.add(ChallengeMember(challenge_id=challenge_id, runner_id=runner_id,
                                    joined_at=joined_at, platform=platform))
    await uow.session.flush()


async def remove_member(uow: UnitOfWork, challenge_id: int, runner_id: int) -> bool:
    """End the runner's membership of the challenge; False if they were not a member."""
    result = await uow.session.execute(
        delete(ChallengeMember).where(
            ChallengeMember.challenge_id == challenge_id, ChallengeMember.runner_id == runner_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


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
                       ) -> list[StoredRun]:
    """The runner's most recent `limit` runs on local days `first`..`last`, newest first."""
    rows = await uow.session.execute(
        select(*_RUN)
        .where(RunLog.runner_id == runner_id, RunLog.local_date.between(first, last))
        .order_by(RunLog.local_date.desc(), RunLog.id.desc())
        .limit(limit)
    )
    return [StoredRun(*row) for row in rows]


async def run(uow: UnitOfWork, log_id: int) -> StoredRun | None:
    """One logged run, as stored now (always read from the database)."""
    found = (await uow.session.execute(select(*_RUN).where(RunLog.id == log_id))).first()
    return StoredRun(*found) if found is not None else None


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
