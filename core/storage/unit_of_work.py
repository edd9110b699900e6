"""The unit of work: one short transaction that owns commit and rollback.

Repositories (and use cases) only add, read and flush; the unit of work commits when the block
ends without an error and rolls back otherwise. Never hold one across a network call.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

from core.storage.database import READONLY, Database
from core.storage.sqlite_inline import InlineConnection


class UnitOfWork:
    """`async with uow:` opens a transaction; `uow.session` is the SQLAlchemy session."""

    def __init__(self, db: Database, *, readonly: bool = False) -> None:
        self._db = db
        self._readonly = readonly
        self._session: AsyncSession | None = None
        self._inline: InlineConnection | None = None
        # Rows read directly earlier in this unit of work that a later step reuses instead of
        # reading them again, by (table, primary key): e.g. the cached streak, which comes
        # along with the runner lookup. Whoever writes such a row directly updates it here.
        self.loaded: dict[tuple[str, Any], Any] = {}

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    @property
    def dialect(self) -> str:
        return self._db.engine.dialect.name

    @property
    def engine_dialect(self) -> Dialect:
        return self._db.engine.dialect

    async def sqlite_connection(self) -> InlineConnection | None:
        """On SQLite, the connection behind this unit of work's transaction, for statements
        run directly (`core.storage.direct`); None on PostgreSQL."""
        if self._inline is None and self._db.is_sqlite:
            self._inline = await _inline_connection(await self.session.connection())
        return self._inline

    async def rollback(self) -> None:
        """Drop everything written so far; the unit of work may go on in a new transaction."""
        self._inline = None  # the connection goes back to the pool
        self.loaded = {}
        await self.session.rollback()

    async def __aenter__(self) -> UnitOfWork:
        self.loaded = {}
        self._session = self._db.sessions()
        # The first statement procures the connection; its options decide BEGIN vs BEGIN IMMEDIATE.
        connection = await self._session.connection(execution_options={READONLY: self._readonly})
        if self._db.is_sqlite:
            self._inline = await _inline_connection(connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            # One hand-over to SQLAlchemy's sync side for both steps (each costs one).
            await session.run_sync(_finish, exc_type is None and not self._readonly)
        finally:
            self._session = None
            self._inline = None


def _finish(session: Session, commit: bool) -> None:
    """Commit or roll back, then close (the connection goes back to the pool)."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def _inline_connection(connection: AsyncConnection) -> InlineConnection:
    driver = connection.sync_connection.connection.driver_connection if (
        connection.sync_connection is not None
    ) else (await connection.get_raw_connection()).driver_connection
    if not isinstance(driver, InlineConnection):
        raise TypeError("SQLite databases are opened by core.storage.database.create_database")
    return driver


class UnitOfWorkFactory:
    """Makes units of work on one database; what use cases are given."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, *, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(self.db, readonly=readonly)
