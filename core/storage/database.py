"""Engine and session factory, with the SQLite settings that make concurrent writers safe.

SQLite: WAL journal, a busy timeout, and write transactions opened with `BEGIN IMMEDIATE` so a
read-then-write transaction takes the write lock up front instead of failing with "database is
locked" when it upgrades. This is SQLAlchemy's documented recipe for the aiosqlite driver: the
driver's own BEGIN is switched off (`isolation_level = None` on connect) and the engine's
"begin" event emits ours (writers' units of work send theirs to the driver themselves).
Read-only units of work use a deferred `BEGIN` and never block writers. Every statement runs on
aiosqlite's worker thread, so a lock wait never blocks the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 30_000
READONLY = "pacer_readonly"


class WriterConnection:
    """SQLite: the connection write units of work take turns on, kept open between them.

    A SQLite file has one writer at a time anyway; checking a connection out of the pool and
    back for each one cost as much as a small transaction. Units of work wait their turn here,
    on the event loop, in order (a lock held by another process is still waited for off the
    loop, on aiosqlite's thread). Read-only units of work use the pool.
    """

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._turn = asyncio.Lock()
        self._connection: AsyncConnection | None = None

    async def take(self, engine: AsyncEngine) -> AsyncConnection:
        """Wait for the turn (at most the busy timeout) and get the connection."""
        async with asyncio.timeout(self.timeout_s):
            await self._turn.acquire()
        try:
            if self._connection is None or self._connection.closed:
                self._connection = await engine.connect()
            return self._connection
        except BaseException:
            self._turn.release()
            raise

    def give_back(self) -> None:
        self._turn.release()

    async def discard(self) -> None:
        """Close the connection (after a failure that may have left it in doubt); the next
        turn opens a new one."""
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()


@dataclass(frozen=True)
class Database:
    """An engine and its session factory (and, on SQLite, the writers' connection)."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    writer: WriterConnection | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    async def dispose(self) -> None:
        if self.writer is not None:
            await self.writer.discard()
        await self.engine.dispose()


def _sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Take transaction control away from the driver; `_sqlite_begin` emits BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Emit BEGIN (IMMEDIATE for writers), unless the driver connection is in a transaction
    already: a writer's unit of work sends its BEGIN IMMEDIATE straight to aiosqlite (one
    trip to its thread, where SQLAlchemy's cursor adapter makes three)."""
    driver = conn.connection.driver_connection
    if driver is not None and driver.in_transaction:
        return
    readonly = conn.get_execution_options().get(READONLY, False)
    conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def create_database(url: str, *, echo: bool = False, pgbouncer: bool = False) -> Database:
    """Create the engine for a SQLAlchemy async URL (SQLite via aiosqlite or PostgreSQL)."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("use a file database: an in-memory SQLite shares one connection")
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
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
    sqlite = engine.dialect.name == "sqlite"
    writer = WriterConnection(SQLITE_BUSY_TIMEOUT_MS / 1000) if sqlite else None
    return Database(engine, sessions, writer)
