"""The tick: find what fell due since the last one and write it to the outbox, once.

Run every minute or so by the scheduler (several workers may run it at once: every write is
`INSERT ... ON CONFLICT (key) DO NOTHING`). Each pass pages through candidate runners in chunks;
reads happen in read-only transactions and each chunk's inserts in one short write transaction,
so a kill at any moment loses nothing that the next tick will not redo. Pushes that fell due
while the bot was down are queued when still relevant and recorded as `stale` otherwise.

Plan upkeep happens here too, because only the scheduler notices time passing: a runner whose
plan has no row for today, or who missed yesterday's key session, is replanned before today's
session is rendered (a bounded number per tick; the rest wait for the next tick).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import Clock
from core.clubs.announcements import ChannelPushes, ClubChannels, ClubFeeds
from core.clubs.totals import refresh_due
from core.messages import Reply
from core.planning import athlete_for, ensure_plan, replan
from core.schedule import outbox
from core.schedule.candidates import (
    Candidate,
    nudge_candidates,
    race_candidates,
    recap_candidates,
    session_candidates,
)
from core.schedule.due import (
    NUDGE_EARLIEST,
    RECAP_TIME,
    RECAP_WEEKDAY,
    DuePush,
    PushKind,
    due_pushes,
    parse_hhmm,
)
from core.schedule.pushes import (
    WeekSummary,
    logged_push,
    nudge_push,
    post_race_push,
    race_morning_push,
    race_week_push,
    recap_push,
    session_push,
)
from core.schedule.recap import week_summaries
from core.schedule.zones import ZoneClock, batches, zone_clocks
from core.storage import outbox as stored_outbox
from core.storage import push_candidates
from core.storage.processed_updates import purge_processed_updates
from core.storage.runners import Runner
from core.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = ["ChannelPushes", "ClubFeeds", "TickReport", "Ticker"]  # feeds re-exported for callers

log = logging.getLogger(__name__)

CandidateQuery = Callable[..., Awaitable[list[Candidate]]]
Renderer = Callable[[Candidate, DuePush], Reply | None]
PageBuilder = Callable[[UnitOfWork, list[Candidate]], Awaitable[list[dict[str, Any]]]]
RACE_KINDS: tuple[PushKind, ...] = ("race_week", "race_morning", "post_race")


@dataclass
class TickReport:
    """What one tick wrote to the outbox."""

    queued: Counter[str] = field(default_factory=Counter)
    stale: int = 0
    skipped: int = 0
    plans_updated: int = 0
    channel: int = 0
    purged: int = 0
    purged_updates: int = 0  # update ids older than a week (`core.storage.processed_updates`)
    challenges_refreshed: int = 0  # streak and adherence boards rebuilt (hourly)

    @property
    def total_queued(self) -> int:
        return sum(self.queued.values())

    def count(self, inserted: Iterable[tuple[str, str]]) -> None:
        for kind, status in inserted:
            if status == outbox.STALE:
                self.stale += 1
            elif status == outbox.SKIPPED:
                self.skipped += 1
            else:
                self.queued[kind] += 1


class Ticker:
    """Decides, for every runner and club channel, what is due now."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        *,
        chunk_size: int = 1000,
        replan_budget: int = 500,
        clubs: ClubFeeds | None = None,
        retention: timedelta = timedelta(days=30),
        purge_every: timedelta = timedelta(hours=1),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.chunk_size = chunk_size
        self.replan_budget = replan_budget
        self.channels = ClubChannels(uow, clubs or ClubFeeds())
        self.retention = retention
        self.purge_every = purge_every
        self._last_purge: datetime | None = None

    async def run(self) -> TickReport:
        """One tick at the clock's current instant."""
        now = self.clock.now()
        report = TickReport()
        budget = [self.replan_budget]
        for group in batches(await self._zone_clocks(now)):
            await self._sessions(group, now, report, budget)
            evening = [c for c in group if c.hm >= f"{NUDGE_EARLIEST:%H:%M}"]
            if evening:
                await self._pass(evening, now, report, nudge_candidates, ("nudge",),
                                 self._render_nudge)
            await self._races(group, now, report)
            sunday = [c for c in group
                      if c.day.weekday() == RECAP_WEEKDAY and c.hm >= f"{RECAP_TIME:%H:%M}"]
            if sunday:
                await self._recaps(sunday, now, report)
        await self._challenge_figures(now, report)
        report.channel = await self.channels.run(now)
        await self._purge(now, report)
        if report.total_queued or report.stale or report.channel:
            log.info(
                "tick: queued %s, %d stale, %d skipped, %d plans updated, %d channel messages",
                dict(report.queued), report.stale, report.skipped, report.plans_updated,
                report.channel,
            )
        return report

    async def _zone_clocks(self, now: datetime) -> list[ZoneClock]:
        async with self.uow(readonly=True) as uow:
            return zone_clocks(await push_candidates.runner_zones(uow), now)

    # --- runner pushes -------------------------------------------------------------------

    async def _sessions(
        self, group: list[ZoneClock], now: datetime, report: TickReport, budget: list[int]
    ) -> None:
        after = 0
        while True:
            async with self.uow(readonly=True) as uow:
                found = await session_candidates(uow, group, after_id=after,
                                                 limit=self.chunk_size)
            if not found:
                return
            after, last_page = found[-1].runner_id, len(found) < self.chunk_size
            ready = await self._with_fresh_plans(group, found, now, report, budget)
            rows = self._rows(ready, now, ("session",), self._render_session)
            await self._enqueue(rows, report)
            # Extend plans that run short, after the pushes: nothing waits for it.
            short = [c.runner_id for c in ready if c.short_plan and not c.needs_replan]
            take = short[: max(0, budget[0])]
            budget[0] -= len(take)
            report.plans_updated += await self._plan_upkeep({rid: False for rid in take}, now)
            if last_page:
                return

    async def _with_fresh_plans(
        self, group: list[ZoneClock], found: list[Candidate], now: datetime, report: TickReport,
        budget: list[int],
    ) -> list[Candidate]:
        """Replan runners whose day needs it, then read them again; over budget: next tick."""
        stale_plans = [c for c in found if c.needs_replan]
        if not stale_plans:
            return found
        take, later = stale_plans[: max(0, budget[0])], stale_plans[max(0, budget[0]):]
        budget[0] -= len(take)
        # Missing today's row: extend the plan; missed key session: adapt it.
        jobs = {c.runner_id: c.facts.planned_type is not None for c in take}
        report.plans_updated += await self._plan_upkeep(jobs, now)
        async with self.uow(readonly=True) as uow:
            fresh = await session_candidates(uow, group, only=list(jobs))
        by_id = {c.runner_id: c for c in fresh}
        skip = {c.runner_id for c in later}
        out = []
        for c in found:
            if c.runner_id in skip:
                continue
            if c.runner_id in jobs:
                refreshed = by_id.get(c.runner_id)
                if refreshed is None:
                    continue
                # Upkeep is done for today: record the decision even if the plan still lacks it.
                c = replace(refreshed, needs_replan=False, short_plan=False)
            out.append(c)
        return out

    async def _plan_upkeep(self, jobs: dict[int, bool], now: datetime) -> int:
        """`ensure_plan` (False) or `replan` (True) each runner; failures are logged, skipped."""
        done = 0
        ids = list(jobs)
        for i in range(0, len(ids), 25):  # small write transactions: never starve commands
            async with self.uow() as uow:
                for runner in await push_candidates.runners(uow, ids[i : i + 25]):
                    today = now.astimezone(ZoneInfo(runner.tz)).date()
                    stored = copy(runner)
                    try:
                        async with push_candidates.savepoint(uow):
                            if jobs[runner.id]:
                                await replan(uow, runner, today, now)
                            else:
                                await ensure_plan(uow, runner, today, now)
                            await uow.runners.save(runner, stored)  # a first plan's start
                        done += 1
                    except Exception:
                        log.exception("plan upkeep failed for runner %d", runner.id)
        return done

    async def _paged(
        self, group: list[ZoneClock], report: TickReport, query: CandidateQuery, build: PageBuilder
    ) -> None:
        """Walk the candidates in keyset pages (by runner id): each page's outbox rows are built
        in a short read-only unit of work, then queued after it has closed."""
        after = 0
        while True:
            async with self.uow(readonly=True) as uow:
                found = await query(uow, group, after_id=after, limit=self.chunk_size)
                if not found:
                    return
                rows = await build(uow, found)
            await self._enqueue(rows, report)
            if len(found) < self.chunk_size:
                return
            after = found[-1].runner_id

    async def _pass(
        self, group: list[ZoneClock], now: datetime, report: TickReport,
        query: CandidateQuery, kinds: tuple[PushKind, ...], render: Renderer,
    ) -> None:
        async def build(uow: UnitOfWork, found: list[Candidate]) -> list[dict[str, Any]]:
            return self._rows(found, now, kinds, render)

        await self._paged(group, report, query, build)

    async def _races(self, group: list[ZoneClock], now: datetime, report: TickReport) -> None:
        """Race week, race morning and post-race pushes (few runners: keys checked here)."""

        async def build(uow: UnitOfWork, found: list[Candidate]) -> list[dict[str, Any]]:
            due = [(c, p) for c in found for p in due_pushes(c.profile, c.facts, now, RACE_KINDS)]
            keys = [p.key for _, p in due]
            existing = await stored_outbox.existing_keys(uow, keys)
            due = [(c, p) for c, p in due if p.key not in existing]
            ids = {c.runner_id for c, _ in due}
            runners = {r.id: r for r in await push_candidates.runners(uow, sorted(ids))}
            render = _race_renderer(runners)
            return [self._row(c, p, now, render) for c, p in due if c.runner_id in runners]

        await self._paged(group, report, race_candidates, build)

    async def _recaps(self, group: list[ZoneClock], now: datetime, report: TickReport) -> None:
        async def build(uow: UnitOfWork, found: list[Candidate]) -> list[dict[str, Any]]:
            summaries: dict[int, WeekSummary] = {}
            for day in {c.day for c in found}:
                same_day = [c for c in found if c.day == day]
                summaries.update(await week_summaries(
                    uow, [c.runner_id for c in same_day], day,
                    {c.runner_id: c.units for c in same_day},
                ))
            return self._rows(found, now, ("recap",), _recap_renderer(summaries))

        await self._paged(group, report, recap_candidates, build)

    async def _enqueue(self, rows: list[dict[str, Any]], report: TickReport) -> None:
        if rows:
            async with self.uow() as uow:
                report.count(await outbox.enqueue(uow, rows))

    def _rows(
        self, found: list[Candidate], now: datetime, kinds: tuple[PushKind, ...],
        render: Renderer,
    ) -> list[dict[str, Any]]:
        rows = []
        for c in found:
            for push in due_pushes(c.profile, c.facts, now, kinds):
                rows.append(self._row(c, push, now, render))
        return rows

    @staticmethod
    def _row(c: Candidate, push: DuePush, now: datetime, render: Renderer) -> dict[str, Any]:
        status, error, reply = outbox.PENDING, None, None
        if push.skip_reason:
            status, error = outbox.SKIPPED, push.skip_reason
        elif push.is_stale(now):
            status, error = outbox.STALE, "due while the bot was not running; too late now"
        else:
            reply = render(c, push)
            if reply is None:
                status, error = outbox.SKIPPED, "nothing to say"
        extra = {"local_date": push.local_date.isoformat()}
        payload = outbox.reply_to_payload(reply, **extra) if reply else extra
        return outbox.outbox_row(
            key=push.key, kind=push.kind, platform=c.platform, chat_id=c.chat_id,
            payload=payload, now=now, due_at=push.due_at, expires_at=push.expires_at,
            runner_id=c.runner_id, status=status, last_error=error,
        )

    @staticmethod
    def _render_session(c: Candidate, push: DuePush) -> Reply | None:
        if c.facts.logged:  # done before the reminder: a well-done, no Done/Skip to press
            return logged_push(c.name, c.title)
        text = c.text or c.title
        if not text:
            return None
        return session_push(
            c.name, c.day, parse_hhmm(c.profile.reminder_time), text,
            requires_run=c.facts.run_minutes > 0, note=c.note,
        )

    @staticmethod
    def _render_nudge(c: Candidate, push: DuePush) -> Reply:
        return nudge_push(c.name, c.title)

    # --- housekeeping ------------------------------------------------------------------

    async def _challenge_figures(self, now: datetime, report: TickReport) -> None:
        """Bring a few streak and adherence boards up to date (before their weekly posts)."""
        try:
            async with self.uow() as uow:
                report.challenges_refreshed = await refresh_due(uow, now)
        except Exception:  # the boards rebuild themselves when read; retried next tick
            log.exception("tick: refreshing challenge figures failed")

    async def _purge(self, now: datetime, report: TickReport) -> None:
        if self._last_purge is not None and now - self._last_purge < self.purge_every:
            return
        self._last_purge = now
        async with self.uow() as uow:
            report.purged = await outbox.purge(uow, now - self.retention)
            report.purged_updates = await purge_processed_updates(uow, now)


def _race_renderer(runners: dict[int, Runner]) -> Renderer:
    def render(c: Candidate, push: DuePush) -> Reply:
        runner = runners[c.runner_id]
        athlete = athlete_for(runner)
        if push.kind == "race_week" and runner.race_date is not None:
            return race_week_push(athlete, runner.race_date, c.day)
        if push.kind == "race_morning":
            return race_morning_push(c.name, athlete, c.day)
        return post_race_push(c.name)

    return render


def _recap_renderer(summaries: dict[int, WeekSummary]) -> Renderer:
    def render(c: Candidate, push: DuePush) -> Reply:
        return recap_push(c.name, summaries[c.runner_id])

    return render
