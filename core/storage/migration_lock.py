"""One migrator at a time: workers that start together on a fresh database take turns.

Two workers creating the same tables at once fail (PostgreSQL: a duplicate `pg_type` row for
the table's row type). The first to arrive migrates; the others wait, then find the schema at
head and do nothing.

- PostgreSQL: `pg_advisory_xact_lock` inside the migration's own transaction. It is released
  at commit or rollback, also when a worker dies, and works through PgBouncer's transaction
  pooling (a session lock would not).
- SQLite: an exclusive `flock` on `<database>.migrate.lock` next to the database file, released
  when the file is closed (or the process dies), so no migration waits out the busy timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from core.storage.database import Database

# Any constant shared by all Pacer processes: the bytes of "pacer-mg" as a signed 64-bit key.
MIGRATION_LOCK_KEY = int.from_bytes(b"pacer-mg", "big", signed=True)


@contextlib.asynccontextmanager
async def migration_transaction(db: Database) -> AsyncIterator[AsyncConnection]:
    """A transaction on `db` that no other process's migration runs alongside."""
    async with _sqlite_file_lock(db), db.engine.begin() as conn:
        if not db.is_sqlite:
            await conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        yield conn


@contextlib.asynccontextmanager
async def _sqlite_file_lock(db: Database) -> AsyncIterator[None]:
    path = db.engine.url.database if db.is_sqlite else None
    if not path:
        yield
        return
    handle = await asyncio.to_thread(Path(f"{path}.migrate.lock").open, "a")
    try:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # releases the lock
