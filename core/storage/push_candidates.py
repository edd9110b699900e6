"""The tick's queries: which runners might have a push due, with what their pushes need.

Each query narrows in SQL (local time passed, no outbox row with today's key yet, a reachable
identity, the day's facts) and pages by runner id, so 100,000 runners are read in bounded
chunks with no per-runner round trips. `core.schedule.due` then decides exactly.

The runners' local clocks come in as a small table of zones (`ZoneRow`, one per distinct
`runners.tz`, made by `core.schedule.zones`): each zone's local date and wall time are computed
once and joined on `runners.tz`; string comparison of "HH:MM" values then does the rest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Date, Select, String, and_, exists, literal, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from core.schedule.due import DayFacts, PushProfile
from core.storage.models import Identity, OutboxMessage, PlannedSession, RunLog, Runner, Skip
from core.storage.runners import Runner as PlainRunner
from core.storage.runners import runners_by_id
from core.storage.unit_of_work import UnitOfWork


class ZoneRow(NamedTuple):
    """One time zone's local clock at the tick's instant, and the days the queries compare."""

    tz: str
    day: date  # the local date
    hm: str  # local "HH:MM" now
    hm_nudge: str  # local "HH:MM" when a reminder may be nudged (two hours ago)
    prev_day: date
    race_horizon: date  # the last day a race makes this race week
    plan_horizon: date  # a plan without a row for this day runs out soon


def zone_table(zones: Sequence[ZoneRow]) -> Subquery:
    """`(tz, day, day_s, hm, hm_nudge, prev_day, race_horizon, plan_horizon)` rows per zone."""
    selects = [
        select(
            literal(z.tz, String).label("tz"),
            literal(z.day, Date).label("day"),
            literal(z.day.isoformat(), String).label("day_s"),
            literal(z.hm, String).label("hm"),
            literal(z.hm_nudge, String).label("hm_nudge"),
            literal(z.prev_day, Date).label("prev_day"),
            literal(z.race_horizon, Date).label("race_horizon"),
            literal(z.plan_horizon, Date).label("plan_horizon"),
        )
        for z in zones
    ]
    if len(selects) == 1:
        return selects[0].subquery("zc")
    return union_all(*selects).subquery("zc")


def runner_key(kind: str, zc: Subquery) -> ColumnElement[str]:
    """SQL for `due.push_key(kind, runners.id, zc.day)`."""
    key: ColumnElement[str] = (
        literal(f"{kind}:", String) + Runner.id.cast(String) + literal(":", String) + zc.c.day_s
    )
    return key


async def runner_zones(uow: UnitOfWork) -> list[str]:
    """The distinct time zones of onboarded runners."""
    return list(await uow.session.scalars(
        select(Runner.tz).where(Runner.onboarded.is_(True)).distinct()
    ))


async def runners(uow: UnitOfWork, ids: Sequence[int]) -> list[PlainRunner]:
    """These runners, as plain values (for plan upkeep and rendering race pushes)."""
    return await runners_by_id(uow, ids)


@asynccontextmanager
async def savepoint(uow: UnitOfWork) -> AsyncIterator[None]:
    """A nested transaction: an error inside rolls back only what the block wrote."""
    async with uow.session.begin_nested():
        yield


@dataclass(frozen=True)
class Candidate:
    """A runner who may have a push due, and what rendering it needs."""

    profile: PushProfile
    facts: DayFacts
    name: str
    units: str
    platform: str
    chat_id: str
    day: date  # the runner's local date
    title: str = ""
    text: str | None = None  # the planned session as the runner reads it
    note: str | None = None  # the plan's adaptation note for the day
    needs_replan: bool = False  # no plan row today, or yesterday's key session was missed
    short_plan: bool = False  # the stored plan runs out soon

    @property
    def runner_id(self) -> int:
        return self.profile.runner_id


AnySelect = Select[*tuple[Any, ...]]

_PROFILE = (
    Runner.id, Runner.tz, Runner.reminder_time, Runner.quiet, Runner.nudges, Runner.race_date,
    Runner.race_start, Runner.display_name, Runner.units,
)


def _best_identity() -> ColumnElement[int]:
    """The runner's most recently used reachable private chat."""
    return (
        select(Identity.id)
        .where(
            Identity.runner_id == Runner.id,
            Identity.reachable.is_(True),
            Identity.chat_id.is_not(None),
        )
        .order_by(Identity.last_seen_at.desc(), Identity.id.desc())
        .limit(1)
        .correlate(Runner)
        .scalar_subquery()
    )


def _base(zc: Subquery, *columns: Any) -> AnySelect:
    stmt: AnySelect = (
        select(*_PROFILE, Identity.platform, Identity.chat_id, zc.c.day, *columns)
        .select_from(Runner)
        .join(zc, zc.c.tz == Runner.tz)
        .join(Identity, Identity.id == _best_identity())
        .where(Runner.onboarded.is_(True))
    )
    return stmt


def _page(stmt: AnySelect, after_id: int, limit: int, only: Sequence[int] | None) -> AnySelect:
    if only is not None:
        return stmt.where(Runner.id.in_(only)).order_by(Runner.id)
    return stmt.where(Runner.id > after_id).order_by(Runner.id).limit(limit)


def _not_race_day(zc: Subquery) -> ColumnElement[bool]:
    return or_(Runner.race_date.is_(None), Runner.race_date != zc.c.day)


def _no_key(kind: str, zc: Subquery) -> ColumnElement[bool]:
    return ~exists().where(OutboxMessage.key == runner_key(kind, zc))


def _candidate(base: Sequence[Any], facts: DayFacts, **extra: Any) -> Candidate:
    """A candidate from the leading columns of `_base()` (unpacked by position: it is hot)."""
    (rid, tz, reminder, quiet, nudges, race_date, race_start, name, units, platform, chat,
     day) = base
    profile = PushProfile(rid, tz, reminder, quiet, nudges, race_date, race_start)
    return Candidate(profile, facts, name, units, platform, chat, day, **extra)


async def session_candidates(
    uow: UnitOfWork, zones: Sequence[ZoneRow], *, after_id: int = 0, limit: int = 1000,
    only: Sequence[int] | None = None,
) -> list[Candidate]:
    """Runners whose reminder time has passed today and who have no session row yet, with
    whether today is already logged or skipped."""
    zc = zone_table(zones)
    today = aliased(PlannedSession, name="today_plan")
    yesterday = aliased(PlannedSession, name="yesterday_plan")
    horizon = aliased(PlannedSession, name="horizon_plan")
    missed_key = exists().where(
        yesterday.runner_id == Runner.id,
        yesterday.date == zc.c.prev_day,
        yesterday.key.is_(True),
        yesterday.run_minutes > 0,
        # Correlated to the enclosing EXISTS (yesterday's row), not to the outer query.
        ~exists().where(RunLog.runner_id == yesterday.runner_id,
                        RunLog.local_date == yesterday.date),
        ~exists().where(Skip.runner_id == yesterday.runner_id, Skip.local_date == yesterday.date),
    )
    stmt = (
        _base(
            zc, today.id.label("plan_id"), today.type, today.run_minutes, today.title,
            today.detail["text"].as_string().label("text"),
            today.detail["note"].as_string().label("note"),
            missed_key.label("missed_key"),
            exists().where(
                horizon.runner_id == Runner.id, horizon.date == zc.c.plan_horizon
            ).label("has_horizon"),
            exists().where(RunLog.runner_id == Runner.id, RunLog.local_date == zc.c.day)
            .label("logged"),
            exists().where(Skip.runner_id == Runner.id, Skip.local_date == zc.c.day)
            .label("skipped"),
        )
        .outerjoin(today, and_(today.runner_id == Runner.id, today.date == zc.c.day))
        .where(
            Runner.reminder_time <= zc.c.hm,
            _not_race_day(zc),
            # Rest days have nothing to send, unless a missed key session may move onto today.
            or_(today.id.is_(None), today.type != "rest", missed_key),
            _no_key("session", zc),
        )
    )
    out = []
    for *base, plan_id, kind, minutes, title, text, note, missed, has_horizon, logged, skipped in (
        await uow.session.execute(_page(stmt, after_id, limit, only))
    ):
        facts = DayFacts(planned_type=kind, run_minutes=minutes or 0, logged=bool(logged),
                         skipped=bool(skipped))
        out.append(_candidate(
            base, facts, title=title or "",
            text=text, note=note, needs_replan=plan_id is None or bool(missed),
            short_plan=not has_horizon,
        ))
    return out


async def nudge_candidates(
    uow: UnitOfWork, zones: Sequence[ZoneRow], *, after_id: int = 0, limit: int = 1000
) -> list[Candidate]:
    """Runners with an unlogged, unskipped run planned today and no nudge row yet."""
    zc = zone_table(zones)
    today = aliased(PlannedSession, name="today_plan")
    stmt = (
        _base(zc, today.type, today.run_minutes, today.title)
        .join(today, and_(today.runner_id == Runner.id, today.date == zc.c.day))
        .where(
            Runner.nudges.is_(True),
            Runner.quiet.is_(False),
            Runner.reminder_time <= zc.c.hm_nudge,
            today.run_minutes > 0,
            _not_race_day(zc),
            ~exists().where(RunLog.runner_id == Runner.id, RunLog.local_date == zc.c.day),
            ~exists().where(Skip.runner_id == Runner.id, Skip.local_date == zc.c.day),
            _no_key("nudge", zc),
        )
    )
    return [
        _candidate(base, DayFacts(planned_type=kind, run_minutes=minutes), title=title)
        for *base, kind, minutes, title in await uow.session.execute(
            _page(stmt, after_id, limit, None)
        )
    ]


async def race_candidates(
    uow: UnitOfWork, zones: Sequence[ZoneRow], *, after_id: int = 0, limit: int = 1000
) -> list[Candidate]:
    """Runners racing today or within the race-week window (few: no key filter in SQL)."""
    zc = zone_table(zones)
    today = aliased(PlannedSession, name="today_plan")
    stmt = (
        _base(zc, today.type, today.run_minutes, today.title,
              today.detail["text"].as_string().label("text"))
        .outerjoin(today, and_(today.runner_id == Runner.id, today.date == zc.c.day))
        .where(Runner.race_date.between(zc.c.day, zc.c.race_horizon))
    )
    return [
        _candidate(base, DayFacts(planned_type=kind, run_minutes=minutes or 0),
                   title=title or "", text=text)
        for *base, kind, minutes, title, text in await uow.session.execute(
            _page(stmt, after_id, limit, None)
        )
    ]


async def recap_candidates(
    uow: UnitOfWork, zones: Sequence[ZoneRow], *, after_id: int = 0, limit: int = 1000
) -> list[Candidate]:
    """Runners not in quiet mode without this Sunday's recap row (zones: Sunday evening)."""
    zc = zone_table(zones)
    stmt = _base(zc).where(
        Runner.quiet.is_(False),
        Runner.plan_start < zc.c.day,  # a runner who started today has no week to look back on
        _no_key("recap", zc),
    )
    return [
        _candidate(row, DayFacts())
        for row in await uow.session.execute(_page(stmt, after_id, limit, None))
    ]
