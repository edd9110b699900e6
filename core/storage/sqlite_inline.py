"""aiosqlite connections that run Pacer's short statements on the event loop's own thread.

aiosqlite hands every call (open a cursor, execute, fetch, close the cursor, commit) to a worker
thread and waits for the answer. On a small VM each round trip costs ~0.2 ms of CPU (a queue
wake-up and a self-pipe write), while Pacer's indexed statements take 10–50 µs inside SQLite:
a `/done` spent most of its time on hand-offs. These connections call sqlite3 directly instead,
with two exceptions that still use aiosqlite's worker thread:

- **work marked `offloaded()`**: long statements (a whole challenge recounted) run there, so
  the loop keeps answering messages meanwhile;
- **a lock wait**: inline calls use no busy timeout, and a call that finds the database locked
  (another process writing, or one of our transactions waiting on something else) is retried on
  the worker thread, which waits up to the real busy timeout. The loop never blocks on a lock.

A statement that failed with SQLITE_BUSY had no effect, so running it again is safe. The one
exception is `executemany` inside a transaction (rows before the failure stay); it is not
retried, and cannot meet a lock there anyway: writers take the lock with `BEGIN IMMEDIATE`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite

_OFFLOADED: ContextVar[bool] = ContextVar("pacer_sqlite_offloaded", default=False)


@contextmanager
def offloaded() -> Iterator[None]:
    """Run this block's SQLite statements on the worker thread (for long-running queries)."""
    token = _OFFLOADED.set(True)
    try:
        yield
    finally:
        _OFFLOADED.reset(token)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run inline unless offloaded or locked out."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], busy_timeout_ms: int) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._thread.daemon = True  # as SQLAlchemy does for aiosqlite: never hold up exit
        self.busy_timeout_ms = busy_timeout_ms
        self.inline_calls = 0
        self.thread_calls = 0

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._connection is None or not self._running:
            raise ValueError("Connection closed")
        if not _OFFLOADED.get():
            self.inline_calls += 1
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as err:
                if not _is_busy(err) or (
                    getattr(fn, "__name__", "") == "executemany"
                    and self._connection.in_transaction
                ):
                    raise
        self.thread_calls += 1
        return await super()._execute(self._waiting, fn, args, kwargs)  # type: ignore[no-untyped-call]

    async def fetch_all(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """All rows of one statement (`core.storage.direct`), inline unless offloaded or locked."""
        rows: list[tuple[Any, ...]] = await self._execute(self._fetch_all, sql, params)
        return rows

    async def run(self, sql: str, params: Mapping[str, Any]) -> int:
        """Run one statement; how many rows it changed."""
        count: int = await self._execute(self._run, sql, params)
        return count

    def _fetch_all(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def _run(self, sql: str, params: Mapping[str, Any]) -> int:
        return self._conn.execute(sql, params).rowcount

    def _waiting(self, fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        """On the worker thread: call `fn`, waiting for a lock up to the busy timeout."""
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        try:
            return fn(*args, **kwargs)
        finally:
            conn.execute("PRAGMA busy_timeout = 0")


def _is_busy(err: sqlite3.OperationalError) -> bool:
    code: int | None = getattr(err, "sqlite_errorcode", None)
    if code is None:  # an sqlite3 module without error codes: go by the message
        return "locked" in str(err)
    return code & 0xFF == sqlite3.SQLITE_BUSY


def inline_connector(path: str | Path, busy_timeout_ms: int) -> Callable[[], Any]:
    """An `async_creator` for SQLAlchemy's aiosqlite dialect: opens `path` inline-first."""

    def connect() -> sqlite3.Connection:
        # No busy timeout inline (see above); the loop's thread uses the connection too.
        return sqlite3.connect(path, timeout=0, check_same_thread=False, isolation_level=None)

    async def create() -> aiosqlite.Connection:
        return await InlineConnection(connect, busy_timeout_ms)

    return create
