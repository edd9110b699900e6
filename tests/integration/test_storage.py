"""Storage on SQLite and PostgreSQL: migrations match the models, units of work are atomic,
and many concurrent writers never see "database is locked"."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.migrations import schema_drift
from core.logbook import refresh_streak
from core.storage.database import Database, create_database
from core.storage.models import Identity, RunLog, Runner, StreakState
from core.storage.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


async def _runner(uow: UnitOfWorkFactory, name: str = "ann") -> int:
    async with uow() as u:
        runner = Runner(display_name=name, created_at=NOW, updated_at=NOW)
        runner.identities.append(
            Identity(platform="console", external_id=name, chat_id=name, last_seen_at=NOW)
        )
        u.session.add(runner)
        await u.session.flush()
        return runner.id


async def test_migrations_and_models_agree(database: Database) -> None:
    assert await schema_drift(database) == []


async def test_unit_of_work_commits_on_success(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    runner_id = await _runner(uow)
    async with uow(readonly=True) as u:
        runner = await u.session.get(Runner, runner_id)
        assert runner is not None and runner.display_name == "ann"
        assert runner.created_at == NOW  # aware UTC round trip on both backends


async def test_unit_of_work_rolls_back_on_error(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    runner_id = await _runner(uow)
    with pytest.raises(RuntimeError):
        async with uow() as u:
            u.session.add(RunLog(runner_id=runner_id, local_date=date(2026, 11, 2),
                                 logged_at=NOW, minutes=25))
            await u.session.flush()
            raise RuntimeError("boom")
    async with uow(readonly=True) as u:
        assert await u.session.scalar(select(func.count()).select_from(RunLog)) == 0


async def test_deleting_a_runner_cascades(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    runner_id = await _runner(uow)
    async with uow() as u:
        u.session.add(RunLog(runner_id=runner_id, local_date=date(2026, 11, 2), logged_at=NOW))
    async with uow() as u:
        runner = await u.session.get(Runner, runner_id)
        await u.session.delete(runner)
    async with uow(readonly=True) as u:
        assert await u.session.scalar(select(func.count()).select_from(RunLog)) == 0
        assert await u.session.scalar(select(func.count()).select_from(Identity)) == 0


async def test_fifty_concurrent_read_then_write_transactions(database: Database) -> None:
    """Each writer reads, then writes (the pattern that fails without BEGIN IMMEDIATE)."""
    uow = UnitOfWorkFactory(database)
    runner_id = await _runner(uow)

    async def writer(i: int) -> None:
        async with uow() as u:
            await u.session.scalar(
                select(func.count()).select_from(RunLog).where(RunLog.runner_id == runner_id)
            )
            u.session.add(RunLog(runner_id=runner_id, local_date=date(2026, 11, 2),
                                 logged_at=NOW, minutes=float(i + 1)))

    await asyncio.gather(*(writer(i) for i in range(50)))
    async with uow(readonly=True) as u:
        assert await u.session.scalar(select(func.count()).select_from(RunLog)) == 50


def test_in_memory_sqlite_is_refused() -> None:
    with pytest.raises(ValueError, match="in-memory"):
        create_database("sqlite+aiosqlite:///:memory:")


async def test_sqlite_runs_in_wal_mode(sqlite_db: Database) -> None:
    async with sqlite_db.engine.connect() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
        timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
    assert mode == "wal"
    # Lock waits happen on aiosqlite's thread (tests/integration/test_sqlite_writer.py).
    assert timeout == 30_000


async def test_the_streak_cache_is_created_once_in_a_unit_of_work(database: Database) -> None:
    """A runner's first streak, saved twice in one unit of work, is one row."""
    uow = UnitOfWorkFactory(database)
    runner_id = await _runner(uow)
    async with uow() as u:
        runner = await u.session.get(Runner, runner_id)
        assert runner is not None
        await refresh_streak(u, runner, NOW)
        await refresh_streak(u, runner, NOW)
    async with uow(readonly=True) as u:
        assert await u.session.scalar(select(func.count()).select_from(StreakState)) == 1
