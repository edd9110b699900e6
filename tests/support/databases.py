"""Fresh, migrated databases for tests: SQLite files, and PostgreSQL when configured.

Migrations run once per test session per backend; each test then starts from an empty schema
(a copy of the migrated SQLite template, or truncated PostgreSQL tables).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.migrations import upgrade
from core.storage.database import Database, create_database
from core.storage.models import Base

PG_URL_ENV = "PACER_TEST_DATABASE_URL"
_sqlite_template: Path | None = None
_pg_migrated = False


def postgres_url() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


def postgres_url_or_skip() -> str:
    """The test database's URL; the calling test is skipped when none is set."""
    url = postgres_url()
    if url is None:
        pytest.skip(f"{PG_URL_ENV} is not set (CI always sets it)")
    return url


async def fresh_sqlite(directory: Path, template_dir: Path) -> Database:
    global _sqlite_template
    if _sqlite_template is None or not _sqlite_template.exists():  # noqa: ASYNC240
        template = template_dir / "template.db"
        db = create_database(f"sqlite+aiosqlite:///{template}")
        await upgrade(db)
        await db.dispose()
        _sqlite_template = template
    target = directory / "pacer.db"
    shutil.copy(_sqlite_template, target)
    return create_database(f"sqlite+aiosqlite:///{target}")


async def empty_postgres(db: Database) -> None:
    """No schema at all: not a table, not a type (what a new PostgreSQL database holds).
    Whoever empties it leaves it migrated again for the tests that come after."""
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


async def fresh_postgres(url: str) -> Database:
    global _pg_migrated
    db = create_database(url)
    if not _pg_migrated:
        await empty_postgres(db)
        await upgrade(db)
        _pg_migrated = True
    else:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with db.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return db
