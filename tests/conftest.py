"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings

from core.clock import FakeClock
from core.storage.database import Database
from tests.support.databases import fresh_postgres, fresh_sqlite, postgres_url_or_skip
from tests.support.testbot import TestBot

# CI runs a fixed set of examples (derandomized) so a submission's result never depends on the
# draw; local runs keep exploring new ones. No deadlines: a busy 2-core machine is not a bug.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("template")


async def _open(backend: str, tmp_path: Path, template_dir: Path) -> Database:
    if backend == "sqlite":
        return await fresh_sqlite(tmp_path, template_dir)
    url = postgres_url_or_skip()
    return await fresh_postgres(url)


@pytest.fixture(params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, tmp_path: Path, template_dir: Path
) -> AsyncIterator[Database]:
    """A fresh, migrated database on each backend."""
    db = await _open(request.param, tmp_path, template_dir)
    yield db
    await db.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path, template_dir: Path) -> AsyncIterator[Database]:
    db = await _open("sqlite", tmp_path, template_dir)
    yield db
    await db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))  # a Monday


@pytest.fixture
async def bot(sqlite_db: Database, clock: FakeClock) -> TestBot:
    """The transcript bot on SQLite."""
    return TestBot(sqlite_db, clock)


@pytest.fixture
async def any_bot(database: Database, clock: FakeClock) -> TestBot:
    """The transcript bot on each backend."""
    return TestBot(database, clock)
