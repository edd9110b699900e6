"""What a runner's export needs beyond their own rows: challenge memberships with their
totals, the runs admins removed from challenges (and why), and the current plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, select

from core.storage.models import (
    Challenge,
    ChallengeExclusion,
    ChallengeMember,
    ChallengeTotal,
    Club,
    Plan,
    PlannedSession,
    RunLog,
)
from core.storage.plans import StoredDay
from core.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Membership:
    """One challenge the runner is in, and their figures in it (zero before a counted run)."""

    challenge: str
    club: str
    metric: str
    status: str
    starts_at: datetime
    ends_on: date
    tz: str
    goal: float | None
    joined_at: datetime
    platform: str
    distance_m: float
    minutes: float
    sessions: int
    runs: int
    streak: int
    adherence: float | None


@dataclass(frozen=True)
class Removal:
    """A run of theirs an admin removed from a challenge's board."""

    challenge: str
    run_date: date
    run_logged_at: datetime
    removed_at: datetime
    reason: str


@dataclass(frozen=True)
class PlanRecord:
    """The current plan: the inputs it was made from and its days (rest days included)."""

    start_date: date
    end_date: date
    created_at: datetime
    inputs: dict[str, Any]
    days: list[StoredDay]


async def memberships(uow: UnitOfWork, runner_id: int) -> list[Membership]:
    rows = await uow.session.execute(
        select(Challenge, Club.name, ChallengeMember, ChallengeTotal)
        .join(ChallengeMember, ChallengeMember.challenge_id == Challenge.id)
        .join(Club, Club.id == Challenge.club_id)
        .outerjoin(ChallengeTotal, and_(
            ChallengeTotal.challenge_id == Challenge.id, ChallengeTotal.runner_id == runner_id
        ))
        .where(ChallengeMember.runner_id == runner_id)
        .order_by(ChallengeMember.joined_at, Challenge.id)
    )
    found = []
    for challenge, club, member, total in rows:
        found.append(Membership(
            challenge=challenge.name, club=club, metric=challenge.metric,
            status=challenge.status, starts_at=challenge.starts_at, ends_on=challenge.ends_on,
            tz=challenge.tz, goal=challenge.goal, joined_at=member.joined_at,
            platform=member.platform,
            distance_m=total.distance_m if total else 0.0,
            minutes=total.minutes if total else 0.0,
            sessions=total.sessions if total else 0, runs=total.runs if total else 0,
            streak=total.streak if total else 0, adherence=total.adherence if total else None,
        ))
    return found


async def removals(uow: UnitOfWork, runner_id: int) -> list[Removal]:
    rows = await uow.session.execute(
        select(Challenge.name, RunLog.local_date, RunLog.logged_at,
               ChallengeExclusion.removed_at, ChallengeExclusion.reason)
        .join(ChallengeExclusion, ChallengeExclusion.challenge_id == Challenge.id)
        .join(RunLog, RunLog.id == ChallengeExclusion.run_log_id)
        .where(RunLog.runner_id == runner_id)
        .order_by(ChallengeExclusion.removed_at, ChallengeExclusion.id)
    )
    return [Removal(*row) for row in rows]


async def current_plan(uow: UnitOfWork, runner_id: int) -> PlanRecord | None:
    days = await uow.plans.all_days(runner_id)
    if not days:
        return None
    plan = await uow.session.scalar(  # the latest plan holds the future: the last day's
        select(Plan).join(PlannedSession, PlannedSession.plan_id == Plan.id)
        .where(PlannedSession.runner_id == runner_id, PlannedSession.date == days[-1].date)
    )
    if plan is None:
        return None
    return PlanRecord(days[0].date, days[-1].date, plan.created_at, dict(plan.athlete), days)
