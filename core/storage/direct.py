"""Hand-written SQL statements, run on the unit of work's own transaction.

The statements every message runs (the update-id record, the logbook, the log insert, the
streak cache's checks) are written once as SQL text with `:named` parameters, valid on both
databases, and run as Core statements (`text()` with typed parameters and result columns)
on the connection behind the unit of work's session: SQLAlchemy converts the values exactly as
the ORM does, and what one writes the other reads. The session does not autoflush: flush
pending ORM changes before a statement that must see them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import TextClause, bindparam, column, text
from sqlalchemy.types import TypeEngine

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork

Row = Sequence[Any]


@dataclass(frozen=True, eq=False)
class Statement:
    """One statement: its SQL, the types of the parameters that need converting (dates,
    instants, booleans, JSON; the others are passed as they are) and of its result columns."""

    sql: str
    params: Mapping[str, TypeEngine[Any]] = field(default_factory=dict)
    columns: Sequence[TypeEngine[Any]] = ()

    @cached_property
    def clause(self) -> TextClause:
        """The typed text clause (built once; SQLAlchemy caches its compiled form)."""
        clause = text(self.sql).bindparams(
            *(bindparam(name, type_=type_) for name, type_ in self.params.items())
        )
        if self.columns:
            clause = clause.columns(  # type: ignore[assignment]
                *(column(f"c{i}", type_) for i, type_ in enumerate(self.columns))
            )
        return clause


async def rows(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> Sequence[Row]:
    """Every row the statement returns, values converted to Python types."""
    connection = await uow.connection()
    result = await connection.execute(stmt.clause, dict(params))
    return list(result.all())


async def first(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> Row | None:
    """The first row, or None."""
    found = await rows(uow, stmt, params)
    return found[0] if found else None


async def run(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> int:
    """Run a statement that returns no rows; how many rows it changed."""
    connection = await uow.connection()
    result = await connection.execute(stmt.clause, dict(params))
    return int(result.rowcount)
