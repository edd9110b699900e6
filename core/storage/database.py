"""Engine and session factory, with the SQLite settings that make concurrent writers safe.

SQLite: WAL journal, a busy timeout, and write transactions opened with `BEGIN IMMEDIATE` so a
read-then-write transaction takes the write lock up front instead of failing with "database is
locked" when it upgrades (Python's sqlite3 emits no BEGIN for reads). Read-only units of work
use a deferred `BEGIN` and never block writers. Statements run on the event loop's thread
(`core.storage.sqlite_inline`): lock waits and `offloaded()` work go to aiosqlite's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

from core.storage.sqlite_inline import InlineConnection, inline_connector

SQLITE_BUSY_TIMEOUT_MS = 30_000
READONLY = "pacer_readonly"


@dataclass(frozen=True)
class Database:
    """An engine and its session factory."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Take transaction control away from the sqlite3 module; `_sqlite_begin` emits BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    readonly = conn.get_execution_options().get(READONLY, False)
    # Straight to the connection (a lock wait goes to its thread): every unit of work runs
    # this, and SQLAlchemy's statement machinery cost ten times what SQLite does.
    inline = cast(InlineConnection, conn.connection.driver_connection)
    await_(inline.run("BEGIN" if readonly else "BEGIN IMMEDIATE", {}))


def create_database(url: str, *, echo: bool = False, pgbouncer: bool = False) -> Database:
    """Create the engine for a SQLAlchemy async URL (SQLite via aiosqlite or PostgreSQL)."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("use a file database: an in-memory SQLite shares one connection")
        kwargs["async_creator"] = inline_connector(parsed.database, SQLITE_BUSY_TIMEOUT_MS)
    elif parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
        kwargs["pool_size"] = 10
        # JIT compilation costs more than it saves on our short queries (the board's aggregates
        # spent most of their time compiling).
        connect_args: dict[str, Any] = {"server_settings": {"jit": "off"}}
        if pgbouncer:
            connect_args |= {"prepared_statement_cache_size": 0, "statement_cache_size": 0}
        kwargs["connect_args"] = connect_args
    engine = create_async_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    return Database(engine, sessions)
