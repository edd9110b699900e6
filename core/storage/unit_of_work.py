"""The unit of work: one short transaction that owns commit and rollback.

Repositories (and use cases) only add, read and flush; the unit of work commits when the block
ends without an error and rolls back otherwise. Never hold one across a network call.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import Any

import aiosqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.pool import PoolProxiedConnection

from core.storage.database import READONLY, Database, WriterConnection
from core.storage.exports import ExportRepository
from core.storage.identities import IdentityRepository
from core.storage.logbook import LogbookRepository
from core.storage.plans import PlanRepository
from core.storage.processed_updates import UpdateRepository
from core.storage.run_logs import LogRepository
from core.storage.runners import RunnerRepository
from core.storage.skips import SkipRepository
from core.storage.sleep import SleepRepository
from core.storage.streaks import StreakRepository


class UnitOfWork:
    """`async with uow:` opens a transaction; `uow.session` is the SQLAlchemy session (for
    repositories in `core.storage` only: handlers and domain modules use the repositories
    below, which `tests/support/fake_uow.py` fakes in memory)."""

    def __init__(self, db: Database, *, readonly: bool = False) -> None:
        self._db = db
        self._readonly = readonly
        self._session: AsyncSession | None = None
        self._driver: aiosqlite.Connection | None = None  # SQLite: behind the transaction
        self._writer: WriterConnection | None = None  # SQLite writes: the turn taken
        self._connection: AsyncConnection | None = None  # and its connection

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    @cached_property
    def runners(self) -> RunnerRepository:
        return RunnerRepository(self)

    @cached_property
    def updates(self) -> UpdateRepository:
        return UpdateRepository(self)

    @cached_property
    def logbook(self) -> LogbookRepository:
        return LogbookRepository(self)

    @cached_property
    def logs(self) -> LogRepository:
        return LogRepository(self)

    @cached_property
    def plans(self) -> PlanRepository:
        return PlanRepository(self)

    @cached_property
    def sleep(self) -> SleepRepository:
        return SleepRepository(self)

    @cached_property
    def skips(self) -> SkipRepository:
        return SkipRepository(self)

    @cached_property
    def streaks(self) -> StreakRepository:
        return StreakRepository(self)

    @cached_property
    def exports(self) -> ExportRepository:
        return ExportRepository(self)

    @cached_property
    def identities(self) -> IdentityRepository:
        return IdentityRepository(self)

    @property
    def dialect(self) -> str:
        return self._db.engine.dialect.name

    @property
    def engine_dialect(self) -> Dialect:
        return self._db.engine.dialect

    async def connection(self) -> AsyncConnection:
        """The connection behind this unit of work's transaction (for Core statements)."""
        return await self.session.connection()

    async def sqlite_driver(self) -> aiosqlite.Connection | None:
        """On SQLite, the aiosqlite connection behind this unit of work's transaction (for
        `core.storage.direct`); None on PostgreSQL."""
        if self._driver is None and self._db.is_sqlite:
            self._driver = _aiosqlite(await (await self.connection()).get_raw_connection())
        return self._driver

    def written(self, entity: type[Any], key: tuple[Any, ...], values: Mapping[str, Any]) -> None:
        """After a direct write to a row: if the session holds that row's object, it now
        shows `values` as loaded (no history, nothing to write back, no I/O — an expired
        attribute would need a query, which async code cannot make on attribute access).
        Public APIs: `Session.identity_map`, `orm.attributes.set_committed_value`."""
        found = self.session.identity_map.get(self.session.identity_key(entity, key))
        if found is not None:
            for name, value in values.items():
                set_committed_value(found, name, value)

    async def rollback(self) -> None:
        """Drop everything written so far; the unit of work may go on in a new transaction."""
        self._driver = None  # a pooled connection may be given back
        await self.session.rollback()

    async def __aenter__(self) -> UnitOfWork:
        writer = None if self._readonly else self._db.writer
        if writer is not None:
            await self._take_turn(writer)
            return self
        self._session = self._db.sessions()
        # The first statement procures the connection; its options decide BEGIN vs BEGIN IMMEDIATE.
        await self._session.connection(execution_options={READONLY: self._readonly})
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, writer = self.session, self._writer
        commit = exc_type is None and not self._readonly
        try:
            if writer is None:
                # One hand-over to SQLAlchemy's sync side for both steps (each costs one).
                await session.run_sync(_finish, commit)
            else:
                await self._end_turn(writer, session, commit)
        finally:
            self._session = None
            self._driver = None
            self._writer = self._connection = None

    async def _take_turn(self, writer: WriterConnection) -> None:
        """SQLite writes: the writers' connection, a transaction (BEGIN IMMEDIATE) and a
        session that joins it."""
        connection = await writer.take(self._db.engine)
        try:
            self._driver = _aiosqlite(await connection.get_raw_connection())
            await self._driver.execute("BEGIN IMMEDIATE")  # one trip to aiosqlite's thread
            await connection.begin()  # SQLAlchemy's side; its "begin" event sees it is begun
            # rollback_only: the session's rollback is the transaction's; its commit is ours.
            self._session = self._db.sessions(
                bind=connection, join_transaction_mode="rollback_only"
            )
        except BaseException:
            await writer.discard()
            writer.give_back()
            raise
        self._writer, self._connection = writer, connection

    async def _end_turn(
        self, writer: WriterConnection, session: AsyncSession, commit: bool
    ) -> None:
        connection = self._connection
        if connection is None:  # pragma: no cover - set with the turn
            raise RuntimeError("a writer's turn without its connection")
        try:
            await connection.run_sync(_finish_on, session.sync_session, commit)
        except BaseException:
            await writer.discard()  # whatever state it was left in, it is not reused
            raise
        finally:
            writer.give_back()


def _aiosqlite(raw: PoolProxiedConnection) -> aiosqlite.Connection:
    driver = raw.driver_connection
    if not isinstance(driver, aiosqlite.Connection):
        raise TypeError(f"unexpected SQLite driver connection: {type(driver)!r}")
    return driver


def _finish_on(
    connection: Connection, session: Session, commit: bool
) -> None:
    """Flush and commit the writers' connection, or roll back; the session is closed either
    way (the connection stays open for the next turn)."""
    try:
        if commit:
            session.flush()
            connection.commit()
        else:
            connection.rollback()
    finally:
        session.close()


def _finish(session: Session, commit: bool) -> None:
    """Commit or roll back, then close (the connection goes back to the pool)."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


class UnitOfWorkFactory:
    """Makes units of work on one database; what use cases are given."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, *, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(self.db, readonly=readonly)
