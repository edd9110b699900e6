"""SQLite writers: they take turns on one kept connection, a lock held elsewhere is waited
for off the event loop, and a failed turn leaves nothing behind for the next."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.storage.database import Database
from core.storage.models import ProcessedUpdate
from core.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
async def db(sqlite_db: Database) -> AsyncIterator[Database]:
    yield sqlite_db


async def _driver(u: UnitOfWork) -> Any:
    """The DBAPI connection behind a unit of work (through SQLAlchemy's public API)."""
    raw = await (await u.connection()).get_raw_connection()
    return raw.driver_connection


async def _record(uow: UnitOfWorkFactory, update_id: str) -> None:
    async with uow() as u:
        u.session.add(ProcessedUpdate(platform="test", update_id=update_id, processed_at=NOW))


async def _count(uow: UnitOfWorkFactory) -> int:
    async with uow(readonly=True) as u:
        return await u.session.scalar(select(func.count()).select_from(ProcessedUpdate)) or 0


def _hold_write_lock(path: Path, locked: threading.Event, release: threading.Event) -> None:
    """Another writer (as another process would be): take the write lock until told."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(10)
        other.execute("COMMIT")
    finally:
        other.close()


async def test_a_locked_database_is_waited_for_off_the_loop(db: Database) -> None:
    uow = UnitOfWorkFactory(db)
    await _record(uow, "warm")
    path = Path(db.engine.url.database or "")
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, locked, release))
    holder.start()
    assert await asyncio.to_thread(locked.wait, 5)

    ticks = 0

    async def loop_keeps_running() -> None:
        nonlocal ticks
        while not release.is_set():
            ticks += 1
            if ticks == 20:  # the loop ran 20 times while our write waited: let it in
                release.set()
            await asyncio.sleep(0.005)

    await asyncio.gather(_record(uow, "after the lock"), loop_keeps_running())
    await asyncio.to_thread(holder.join, 5)
    assert ticks >= 20
    assert await _count(uow) == 2


async def test_a_writer_awaiting_mid_transaction_does_not_lock_out_another(db: Database) -> None:
    """One unit of work holds the write lock across an await; a second one waits its turn
    (on the event loop) instead of failing, and both land."""
    uow = UnitOfWorkFactory(db)
    first_inside = asyncio.Event()

    async def slow_writer() -> None:
        async with uow() as u:
            u.session.add(ProcessedUpdate(platform="test", update_id="slow", processed_at=NOW))
            await u.session.flush()
            first_inside.set()
            await asyncio.sleep(0.05)  # e.g. a chart rendered in a thread

    async def second_writer() -> None:
        await first_inside.wait()
        await _record(uow, "second")

    await asyncio.gather(slow_writer(), second_writer())
    assert await _count(uow) == 2


async def test_writers_take_turns_on_one_kept_connection(db: Database) -> None:
    uow = UnitOfWorkFactory(db)
    order: list[str] = []
    drivers: list[Any] = []

    async def writer(name: str) -> None:
        async with uow() as u:
            order.append(f"{name} in")
            drivers.append(await _driver(u))
            u.session.add(ProcessedUpdate(platform="test", update_id=name, processed_at=NOW))
            await u.session.flush()
            await asyncio.sleep(0)  # a turn is not given up at an await
            order.append(f"{name} out")

    await asyncio.gather(writer("a"), writer("b"), writer("c"))
    assert order == ["a in", "a out", "b in", "b out", "c in", "c out"]
    assert drivers[0] is drivers[1] is drivers[2] is not None
    assert await _count(uow) == 3


async def test_a_failed_commit_leaves_nothing_behind_for_the_next_writer(db: Database) -> None:
    uow = UnitOfWorkFactory(db)
    with pytest.raises(IntegrityError):
        async with uow() as u:  # the clash shows at the commit's flush
            u.session.add(ProcessedUpdate(platform="test", update_id="y", processed_at=NOW))
            await u.session.flush()
            for _ in range(2):
                u.session.add(ProcessedUpdate(platform="test", update_id="x", processed_at=NOW))
    await _record(uow, "x")
    assert await _count(uow) == 1  # "y" went with the failed unit of work


async def test_a_refusal_rolled_back_mid_way_keeps_the_turn(db: Database) -> None:
    uow = UnitOfWorkFactory(db)
    async with uow() as u:
        u.session.add(ProcessedUpdate(platform="test", update_id="dropped", processed_at=NOW))
        await u.session.flush()
        await u.rollback()  # as the dispatcher does after a refusal
        u.session.add(ProcessedUpdate(platform="test", update_id="kept", processed_at=NOW))
    async with uow(readonly=True) as u:
        kept = list(await u.session.scalars(select(ProcessedUpdate.update_id)))
    assert kept == ["kept"]
