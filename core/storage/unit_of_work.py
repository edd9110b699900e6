"""The unit of work: one short transaction that owns commit and rollback.

Repositories (and use cases) only add, read and flush; the unit of work commits when the block
ends without an error and rolls back otherwise. Never hold one across a network call.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession

from core.storage.database import READONLY, Database


class UnitOfWork:
    """`async with uow:` opens a transaction; `uow.session` is the SQLAlchemy session."""

    def __init__(self, db: Database, *, readonly: bool = False) -> None:
        self._db = db
        self._readonly = readonly
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    @property
    def dialect(self) -> str:
        return self._db.engine.dialect.name

    async def __aenter__(self) -> UnitOfWork:
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
        session = self.session
        try:
            if exc_type is None and not self._readonly:
                await session.commit()
            else:
                await session.rollback()
        finally:
            await session.close()
            self._session = None


class UnitOfWorkFactory:
    """Makes units of work on one database; what use cases are given."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, *, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(self.db, readonly=readonly)
