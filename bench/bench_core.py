"""Core throughput and latency through `Pacer.handle` on a SQLite file.

(a) `/done 25min` requests per second, sequential, from 50 onboarded runners who each log once
    a day for 40 days (so streaks move, logbooks grow and plans get extended as they would),
    against baselines measured in the same process: `/help` through the same dispatcher
    (one unit of work, update-id record and runner lookup, but no command work), a raw
    single-row INSERT transaction, and the /done floor (only the statements a /done needs,
    run as /done runs them, without domain logic). SQL statements sent per request are
    counted, BEGIN and COMMIT included. Then the latency of `/done` (p50/p99) when requests
    arrive at 100 a second (open loop: each starts at its time whether or not the previous
    one has finished), from the same runners.
(b) `/today` latency (p50/p99) for 1,000 random runners among 100,000, against `/help` for
    the same runners. Runners, identities, plans and planned days are bulk-inserted.

Targets: (a) >= 400 /done per second on SQLite through public APIs only, and p99 < 10 ms at
100 /done a second; (b) p99 < 20 ms.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Float, Integer, String, event, func, insert, select

from bot.migrations import upgrade
from core.app import Pacer
from core.clock import FakeClock
from core.messages import Platform, Request
from core.planning import HORIZON_DAYS, replan
from core.storage import direct
from core.storage.database import Database, create_database
from core.storage.models import (
    Identity,
    Plan,
    PlannedSession,
    ProcessedUpdate,
    RunLog,
    Runner,
    UTCDateTime,
)
from core.storage.unit_of_work import UnitOfWorkFactory
from core.text import SORRY_NOTHING_SAVED as SORRY

DONE_TARGET_PER_S = 400.0
PACED_PER_S = 100
PACED_P99_TARGET_MS = 10.0
TODAY_P99_TARGET_MS = 20.0
DONE_RUNNERS = 50
DONE_DAYS = 40
DONE_REQUESTS = DONE_RUNNERS * DONE_DAYS
POPULATION = 100_000
SAMPLE = 1_000
BATCH = 10_000
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday morning, in UTC
# Same-runner requests must be further apart than /done's duplicate window (2 minutes).
STEP = timedelta(seconds=3)


def run() -> list[str]:
    """Both benchmarks in a temporary directory; the report lines."""
    with tempfile.TemporaryDirectory(prefix="pacer-bench-") as tmp:
        return asyncio.run(_run(Path(tmp)))


async def _run(tmp: Path) -> list[str]:
    return [*await bench_done(tmp / "done.db"), *await bench_today(tmp / "today.db")]


async def _migrated(path: Path) -> Database:
    db = create_database(f"sqlite+aiosqlite:///{path}")
    await upgrade(db)
    return db


def _request(user: str, command: str, text: str = "", update_id: str | None = None) -> Request:
    return Request(platform=Platform.CONSOLE, user_id=user, chat_id=user, command=command,
                   text=text, display_name=user, update_id=update_id)


def _runner(name: str, now: datetime, **profile: Any) -> Runner:
    runner = Runner(display_name=name, level="improving", training_days="0,2,4,6",
                    mile_time_s=420.0, goal_s=390.0, tz="UTC", units="km",
                    reminder_time="07:00", onboarded=True, created_at=now, updated_at=now,
                    **profile)
    runner.identities.append(
        Identity(platform="console", external_id=name, chat_id=name, last_seen_at=now)
    )
    return runner


class StatementCounter:
    """Counts the SQL statements sent to SQLite (BEGIN and COMMIT included), through public
    APIs: on the writers' connection, sqlite3's trace callback (aiosqlite's
    `set_trace_callback`: it sees direct statements too); on the others, SQLAlchemy's engine
    events (their statements all go through SQLAlchemy)."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        self._writer: Any = None
        engine = db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._engine_event)
        event.listen(engine, "commit", self._engine_event)
        event.listen(engine, "rollback", self._engine_event)

    async def watch_writer(self, uow: UnitOfWorkFactory) -> None:
        async with uow() as u:
            self._writer = await u.sqlite_driver()
        await self._writer.set_trace_callback(self._seen)

    def _engine_event(self, conn: Any, *_: object) -> None:
        if conn.connection.driver_connection is not self._writer:
            self.count += 1

    def _seen(self, *_: object) -> None:
        self.count += 1


@dataclass(frozen=True)
class Timing:
    seconds: float
    cpu_seconds: float  # this process, all threads: less sensitive to a busy machine
    failures: int  # requests answered with the dispatcher's error reply
    statements: int

    def rate(self, n: int) -> float:
        return n / self.seconds


async def _timed(pacer: Pacer, requests: Sequence[Request], clock: FakeClock,
                 counter: StatementCounter, *, daily: int | None = None) -> Timing:
    """Handle the requests in order, the clock moving between them (to the next morning after
    every `daily` requests)."""
    failures, before = 0, counter.count
    started, cpu_started = time.perf_counter(), time.process_time()
    for i, req in enumerate(requests):
        if daily and i and i % daily == 0:
            clock.set(clock.now().replace(hour=START.hour, minute=0, second=0)
                      + timedelta(days=1))
        clock.advance(STEP)
        replies = await pacer.handle(req)
        failures += any(r.text == SORRY for r in replies)
    return Timing(time.perf_counter() - started, time.process_time() - cpu_started, failures,
                  counter.count - before)


async def _raw_inserts(db: Database, n: int) -> float:
    """Seconds for n single-row INSERT transactions: the storage floor under any request."""
    uow = UnitOfWorkFactory(db)
    started = time.perf_counter()
    for i in range(n):
        async with uow() as u:
            await u.session.execute(insert(ProcessedUpdate).values(
                platform="bench", update_id=f"raw{i}", processed_at=START))
    return time.perf_counter() - started


_AT: dict[str, Any] = {"at": UTCDateTime()}
_FIRST: dict[str, Any] = {"first": Date()}
_FLOOR = {  # the statements a /done cannot do without, as `core.storage.direct` runs them
    "record": direct.Statement(
        "INSERT INTO processed_updates (platform, update_id, processed_at) "
        "VALUES ('floor', :update_id, :at) ON CONFLICT DO NOTHING", params=_AT),
    "runner": direct.Statement(
        "SELECT runners.id, runners.tz, runners.plan_start FROM runners JOIN identities "
        "ON identities.runner_id = runners.id WHERE identities.platform = 'console' "
        "AND identities.external_id = :name", columns=(Integer(), String(), Date())),
    "logs and plan": direct.Statement(  # one statement, as /done reads them
        "SELECT id, local_date, logged_at, minutes, NULL FROM run_logs WHERE runner_id = :rid "
        "AND local_date >= :first UNION ALL SELECT NULL, date, NULL, run_minutes, type "
        "FROM planned_sessions WHERE runner_id = :rid AND date >= :first", params=_FIRST,
        columns=(Integer(), Date(), UTCDateTime(), Float(), String())),
    "insert": direct.Statement(
        "INSERT INTO run_logs (runner_id, local_date, logged_at, minutes, note, as_planned, "
        "intensity, source) VALUES (:rid, :day, :at, 25.0, 'floor', 0, 'easy', 'console') "
        "RETURNING id", params={**_AT, "day": Date()}, columns=(Integer(),)),
    "streak": direct.Statement(
        "UPDATE streak_states SET current = :current, updated_at = :at WHERE runner_id = :rid",
        params=_AT),
}


async def _done_floor(db: Database, names: Sequence[str], day: date, n: int) -> float:
    """Seconds for n transactions of only the statements a /done cannot do without (record
    the update id, read the runner, read their logs and plan of the last two weeks — what the
    guardrails and the streak since its checkpoint need — insert the log, write the streak),
    run directly as /done runs them, with no ORM objects and no domain logic: what any /done
    on this stack costs at the least."""
    uow = UnitOfWorkFactory(db)
    started = time.perf_counter()
    for i in range(n):
        async with uow() as u:
            await direct.run(u, _FLOOR["record"], {"update_id": str(i), "at": START})
            found = await direct.first(u, _FLOOR["runner"], {"name": names[i % len(names)]})
            assert found is not None
            rid, first = found[0], day - timedelta(days=13)
            await direct.rows(u, _FLOOR["logs and plan"], {"rid": rid, "first": first})
            await direct.rows(u, _FLOOR["insert"], {"rid": rid, "day": day, "at": START})
            await direct.run(u, _FLOOR["streak"], {"rid": rid, "current": i, "at": START})
    return time.perf_counter() - started


async def bench_done(path: Path) -> list[str]:
    """(a) /done 25min per second vs /help per second, 50 runners with real plans."""
    db = await _migrated(path)
    counter = StatementCounter(db)
    try:
        uow = UnitOfWorkFactory(db)
        clock = FakeClock(START)
        names = [f"done{i}" for i in range(DONE_RUNNERS)]
        async with uow() as u:
            for name in names:
                runner = _runner(name, START)
                u.session.add(runner)
                await u.session.flush()
                await replan(u, runner, START.date(), START)
        pacer = Pacer(uow, clock)
        await counter.watch_writer(uow)
        ids = iter(range(1, 10 * DONE_REQUESTS))
        warm = [_request(n, "help", update_id=f"w{next(ids)}") for n in names]
        await _timed(pacer, warm, clock, counter)
        helps = [_request(names[i % DONE_RUNNERS], "help", update_id=str(next(ids)))
                 for i in range(DONE_REQUESTS)]
        dones = [_request(names[i % DONE_RUNNERS], "done", "25min", update_id=str(next(ids)))
                 for i in range(DONE_REQUESTS)]
        raw_rate = DONE_REQUESTS / await _raw_inserts(db, DONE_REQUESTS)
        helped = await _timed(pacer, helps, clock, counter)
        done = await _timed(pacer, dones, clock, counter, daily=DONE_RUNNERS)
        async with uow(readonly=True) as u:
            stored = await u.session.scalar(select(func.count()).select_from(RunLog)) or 0
        floor_rate = DONE_REQUESTS / await _done_floor(db, names, clock.now().date(),
                                                       DONE_REQUESTS)
        clock.set(clock.now().replace(hour=START.hour, minute=0, second=0) + timedelta(days=1))
        paced = [_request(names[i % DONE_RUNNERS], "done", "25min", update_id=str(next(ids)))
                 for i in range(PACED_PER_S * 5)]
        paced_ms = await _paced(pacer, paced, clock)
    finally:
        await db.dispose()
    n = DONE_REQUESTS
    done_rate, help_rate = done.rate(n), helped.rate(n)
    ok = done_rate >= DONE_TARGET_PER_S and stored == n and not done.failures
    p50, p99 = _percentile(paced_ms, 50), _percentile(paced_ms, 99)
    return [
        f"/done 25min: {done_rate:,.0f} req/s ({n} sequential requests: {DONE_RUNNERS} runners "
        f"once a day for {DONE_DAYS} days, "
        f"{done.seconds * 1000 / n:.2f} ms wall, {done.cpu_seconds * 1000 / n:.2f} ms CPU and "
        f"{done.statements / n:.1f} SQL statements each); "
        f"logs stored {stored}/{n}, error replies {done.failures}",
        f"  baseline /help: {help_rate:,.0f} req/s ({helped.cpu_seconds * 1000 / n:.2f} ms CPU, "
        f"{helped.statements / n:.1f} statements each); /done runs at "
        f"{done_rate / help_rate:.2f}x the baseline",
        f"  baseline raw single-row INSERT transaction: {raw_rate:,.0f} tx/s; /done runs at "
        f"{done_rate / raw_rate:.2f}x it",
        f"  floor: only the statements a /done cannot do without (update id, runner, logs, "
        f"plan, insert, streak), run directly in one transaction: {floor_rate:,.0f} tx/s; "
        f"/done runs at {done_rate / floor_rate:.2f}x it",
        f"  target >= {DONE_TARGET_PER_S:,.0f} req/s: {'PASS' if ok else 'FAIL'} "
        f"({done_rate / DONE_TARGET_PER_S:.2f}x target)",
        f"/done at {PACED_PER_S} req/s ({len(paced_ms)} requests, open loop): p50 {p50:.2f} ms, "
        f"p99 {p99:.2f} ms; target p99 < {PACED_P99_TARGET_MS:.0f} ms: "
        f"{'PASS' if p99 < PACED_P99_TARGET_MS else 'FAIL'} "
        f"({p99 / PACED_P99_TARGET_MS:.2f}x target)",
    ]


async def _paced(pacer: Pacer, requests: Sequence[Request], clock: FakeClock) -> list[float]:
    """Latency (ms) of each request when they arrive at PACED_PER_S a second, each started at
    its own time (open loop) and measured from then to its replies."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    latencies: list[float] = []

    async def one(i: int, req: Request) -> None:
        due = start + i / PACED_PER_S
        await asyncio.sleep(max(0.0, due - loop.time()))
        begun = loop.time()
        clock.advance(STEP)
        replies = await pacer.handle(req)
        latencies.append((loop.time() - max(begun, due)) * 1000)
        if any(r.text == SORRY for r in replies):
            raise RuntimeError("a paced /done failed")

    await asyncio.gather(*(one(i, r) for i, r in enumerate(requests)))
    return latencies


async def _populate(db: Database, today: date, now: datetime) -> None:
    """100,000 onboarded runners with today's planned session (copied from a real plan)."""
    uow = UnitOfWorkFactory(db)
    async with uow() as u:
        template = _runner("r1", now, plan_start=today)
        u.session.add(template)
        await u.session.flush()
        await replan(u, template, today, now)
        today_row = await u.session.scalar(
            select(PlannedSession).where(PlannedSession.runner_id == template.id,
                                         PlannedSession.date == today)
        )
    if today_row is None:
        raise RuntimeError("the template runner has no session planned for today")
    session_columns = {c: getattr(today_row, c) for c in (
        "week", "type", "title", "minutes", "run_minutes", "intensity", "key", "detail")}
    last_day = today + timedelta(days=HORIZON_DAYS - 1)  # so /today's ensure_plan won't replan
    runner_defaults = {c.name: getattr(template, c.name) for c in Runner.__table__.columns
                       if c.name not in ("id", "display_name", "conversation")}
    async with db.engine.begin() as conn:
        for first in range(2, POPULATION + 1, BATCH):
            ids = range(first, min(first + BATCH, POPULATION + 1))
            await conn.execute(insert(Runner), [
                {**runner_defaults, "id": i, "display_name": f"r{i}"} for i in ids])
            await conn.execute(insert(Identity), [
                {"id": i, "runner_id": i, "platform": "console", "external_id": f"r{i}",
                 "chat_id": f"r{i}", "reachable": True, "last_seen_at": now} for i in ids])
            await conn.execute(insert(Plan), [
                {"id": i, "runner_id": i, "start_date": today, "end_date": last_day,
                 "athlete": {}, "created_at": now} for i in ids])
            await conn.execute(insert(PlannedSession), [
                {"runner_id": i, "plan_id": i, "date": today, **session_columns} for i in ids])
            await conn.execute(insert(PlannedSession), [
                {"runner_id": i, "plan_id": i, "date": last_day, "week": 4, "type": "rest",
                 "title": "Rest", "minutes": 0, "run_minutes": 0, "intensity": "rest",
                 "key": False, "detail": {}} for i in ids])
        await conn.exec_driver_sql("ANALYZE")


def _percentile(samples: Sequence[float], q: int) -> float:
    """The q-th percentile (1..99) of the samples."""
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


async def _latencies(pacer: Pacer, users: Sequence[str], command: str) -> list[float]:
    out = []
    for user in users:
        started = time.perf_counter()
        replies = await pacer.handle(_request(user, command))
        out.append((time.perf_counter() - started) * 1000)
        if any(r.text == SORRY for r in replies):
            raise RuntimeError(f"/{command} failed for {user}")
    return out


async def bench_today(path: Path) -> list[str]:
    """(b) /today p50/p99 among 100,000 runners vs /help for the same runners."""
    db = await _migrated(path)
    counter = StatementCounter(db)
    try:
        clock = FakeClock(START)
        setup_started = time.perf_counter()
        await _populate(db, START.date(), START)
        setup_s = time.perf_counter() - setup_started
        pacer = Pacer(UnitOfWorkFactory(db), clock)
        await counter.watch_writer(pacer.uow)
        rng = random.Random(2026)
        users = [f"r{i}" for i in rng.sample(range(1, POPULATION + 1), SAMPLE)]
        await _latencies(pacer, [f"r{i}" for i in range(1, 21)], "today")  # warm-up
        before = counter.count
        today_ms = await _latencies(pacer, users, "today")
        statements = (counter.count - before) / SAMPLE
        help_ms = await _latencies(pacer, users, "help")
    finally:
        await db.dispose()
    p50, p99 = _percentile(today_ms, 50), _percentile(today_ms, 99)
    h50, h99 = _percentile(help_ms, 50), _percentile(help_ms, 99)
    return [
        f"/today among {POPULATION:,} runners ({SAMPLE:,} random): p50 {p50:.2f} ms, "
        f"p99 {p99:.2f} ms, {statements:.1f} SQL statements each (bulk setup {setup_s:.1f} s)",
        f"  baseline /help, same runners: p50 {h50:.2f} ms, p99 {h99:.2f} ms; "
        f"/today p50 is {p50 / h50:.2f}x the baseline",
        f"  target p99 < {TODAY_P99_TARGET_MS:.0f} ms: "
        f"{'PASS' if p99 < TODAY_P99_TARGET_MS else 'FAIL'} "
        f"({p99 / TODAY_P99_TARGET_MS:.2f}x target)",
    ]
