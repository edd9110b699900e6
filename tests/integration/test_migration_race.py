"""Two workers start together on a fresh database: both migrate it, one after the other.

Real processes (`tests.support.migrate_worker`: `bot.migrations.upgrade`, what `pacer run` and
`pacer db upgrade` do first), released at the same moment.
Without the migration lock, PostgreSQL fails one of them with a duplicate `pg_type` row.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.migrations import schema_drift
from core.storage.database import create_database
from tests.support.databases import empty_postgres, postgres_url_or_skip
from tests.support.pacer_process import pacer_env, sqlite_url

pytestmark = pytest.mark.slow
WORKERS = 3


async def upgrade_at_once(tmp_path: Path, url: str) -> list[tuple[int, str, str]]:
    """WORKERS processes migrate `url`, released at the same moment once all are connected:
    (exit code, stdout, stderr) of each."""
    env = pacer_env({"PACER_DATABASE_URL": url})
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.support.migrate_worker", url, cwd=tmp_path, env=env,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(WORKERS)
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert await asyncio.wait_for(proc.stdout.readline(), 60) == b"ready\n"
    for proc in procs:  # go!
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
    await asyncio.gather(*(proc.stdin.drain() for proc in procs if proc.stdin is not None))
    results = []
    for proc in procs:
        out, err = await asyncio.wait_for(proc.communicate(), 120)
        assert proc.returncode is not None
        results.append((proc.returncode, out.decode(), err.decode()))
    return results


async def assert_migrated_once(url: str) -> None:
    db = create_database(url)
    try:
        assert await schema_drift(db) == []
        async with db.engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert len(versions) == 1
    finally:
        await db.dispose()


@pytest.mark.postgres
async def test_workers_migrating_a_fresh_postgres_database_at_once_all_succeed(
    tmp_path: Path,
) -> None:
    url = postgres_url_or_skip()
    db = create_database(url)
    await empty_postgres(db)  # the workers leave it migrated
    await db.dispose()

    results = await upgrade_at_once(tmp_path, url)

    assert [(code, out) for code, out, _ in results] == [(0, "migrated\n")] * WORKERS
    assert all("Traceback" not in err for _, _, err in results), results
    await assert_migrated_once(url)


async def test_workers_migrating_a_fresh_sqlite_file_at_once_all_succeed(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "fresh.db")

    results = await upgrade_at_once(tmp_path, url)

    assert [(code, out) for code, out, _ in results] == [(0, "migrated\n")] * WORKERS
    assert all("Traceback" not in err for _, _, err in results), results
    await assert_migrated_once(url)
