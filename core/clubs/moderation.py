"""Admins keeping a board honest: review a member's runs, take one off the boards.

A removal never deletes the run (it stays in the runner's own log book and streak); it writes a
`ChallengeExclusion` per challenge — who removed it, when and why — and the boards skip it (the
member's stored totals are recomputed in the same transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.clubs.challenges import ChallengeError
from core.clubs.figures import join_day
from core.clubs.totals import lock_runners, refresh_members
from core.storage import challenges as stored
from core.storage.challenges import Removal
from core.storage.club_values import StoredChallenge, StoredRun
from core.storage.unit_of_work import UnitOfWork

LOG_LIST_LIMIT = 20


@dataclass(frozen=True)
class MemberRun:
    """One of a member's runs within a club's challenges, as an admin reviews them."""

    log: StoredRun
    removed_reason: str | None  # set when an admin removed it (from any of the challenges)


@dataclass(frozen=True)
class RemovedRun:
    """A run an admin removed, and the challenges it no longer counts in."""

    log: StoredRun
    runner_name: str
    challenges: tuple[StoredChallenge, ...]
    already: tuple[StoredChallenge, ...]  # it had been removed from these before


async def find_member(
    uow: UnitOfWork, challenges: list[StoredChallenge], name: str
) -> list[tuple[int, str]]:
    """Members of these challenges whose display name is `name` (case-insensitive, an
    optional leading @), as (runner id, name)."""
    wanted = name.strip().lstrip("@").casefold()
    if not wanted or not challenges:
        return []
    rows = await stored.members_named(uow, [c.id for c in challenges])
    return [(rid, shown) for rid, shown in rows if shown.casefold() == wanted]


async def member_runs(
    uow: UnitOfWork, challenges: list[StoredChallenge], runner_id: int
) -> list[MemberRun]:
    """The member's most recent runs that can count in these challenges, newest first, with
    the removal reason for those an admin removed."""
    members = await stored.memberships_of(uow, runner_id, [c.id for c in challenges])
    spans = {m.challenge_id: join_day(m.joined_at, m.tz) for m in members}
    if not spans:
        return []
    last = max(c.ends_on for c in challenges if c.id in spans)
    logs = await stored.runs_between(uow, runner_id, min(spans.values()), last, LOG_LIST_LIMIT)
    reasons: dict[int, str] = {}
    if logs:
        reasons = await stored.removal_reasons(uow, list(spans), [log.id for log in logs])
    return [MemberRun(log, reasons.get(log.id)) for log in logs]


async def remove_run(
    uow: UnitOfWork, challenges: list[StoredChallenge], log_id: int, admin_id: int, reason: str,
    now: datetime,
) -> RemovedRun:
    """Remove a run from every one of these challenges it counts in, recording who removed
    it, when and why. Raises ChallengeError when it counts in none of them."""
    log = await stored.run(uow, log_id)
    if log is not None:
        # The member's lock first, as their own requests take it: a concurrent /undo of this
        # run then finishes before we look again (and find it gone), never deadlocking on it.
        await lock_runners(uow, [log.runner_id])
        log = await stored.run(uow, log_id)
    members = []
    if log is not None:
        members = await stored.memberships_of(uow, log.runner_id, [c.id for c in challenges])
    by_id = {c.id: c for c in challenges}
    hit = [
        by_id[cid] for cid, joined_at, tz, _ in members
        if log is not None and join_day(joined_at, tz) <= log.local_date <= by_id[cid].ends_on
    ]
    if log is None or not hit:
        raise ChallengeError(f"Run #{log_id} doesn't count in any challenge running here. "
                             "See a member's runs with /challenge logs NAME.")
    done = await stored.removed_from(uow, log.id, [c.id for c in hit])
    await stored.add_removals(uow, [
        Removal(challenge.id, log.id, admin_id, reason[:500], now)
        for challenge in hit if challenge.id not in done
    ])
    for challenge in hit:
        if challenge.id not in done:
            await refresh_members(uow, challenge, now, [log.runner_id])
    return RemovedRun(
        log, members[0].display_name,
        tuple(c for c in hit if c.id not in done), tuple(c for c in hit if c.id in done),
    )
