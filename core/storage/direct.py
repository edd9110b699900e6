"""Hand-written SQL statements, run on the unit of work's own transaction.

The statements every message runs (the update-id record, the runner lookup, the logbook, the
log insert, the streak cache) are written once as SQL text with `:named` parameters, valid on
both databases, and typed: the types of the parameters that need converting and of the result
columns. They share the unit of work's transaction (what one writes, the other reads) and are
run through public APIs only:

- PostgreSQL: as a `text()` clause on the session's connection; SQLAlchemy converts the values.
- SQLite: on the aiosqlite connection behind the session's connection (SQLAlchemy's
  `get_raw_connection().driver_connection`), with aiosqlite's `execute_fetchall`: one trip to
  aiosqlite's thread per statement, where SQLAlchemy's cursor adapter makes four (open a
  cursor, execute, fetch, close). Values are converted with SQLAlchemy's own type processors
  (`TypeEngine.bind_processor` / `result_processor`), so they are stored exactly as the ORM
  stores them (`tests/integration/test_direct_sql.py` compares them to the character).

The session does not autoflush: flush pending ORM changes before a statement that must see
them. A statement that writes a row the session may hold must expire that object
(`UnitOfWork.expire`), so the session reads it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import TextClause, bindparam, column, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork

Row = Sequence[Any]
Convert = Callable[[Any], Any]


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

    def converters(self, dialect: Dialect) -> _Converters:
        """The parameter and column conversions for `dialect` (made once per dialect)."""
        found = self._converters.get(dialect.name)
        if found is None:
            found = self._converters[dialect.name] = _Converters.of(self, dialect)
        return found

    @cached_property
    def _converters(self) -> dict[str, _Converters]:
        return {}


@dataclass(frozen=True)
class _Converters:
    """Only the parameters and columns whose values need converting, with SQLAlchemy's own
    processors for the dialect."""

    binds: tuple[tuple[str, Convert], ...]
    results: tuple[tuple[int, Convert], ...]

    @classmethod
    def of(cls, stmt: Statement, dialect: Dialect) -> _Converters:
        binds = ((name, t.dialect_impl(dialect).bind_processor(dialect))
                 for name, t in stmt.params.items())
        results = ((i, t.dialect_impl(dialect).result_processor(dialect, None))
                   for i, t in enumerate(stmt.columns))
        return cls(tuple((n, p) for n, p in binds if p is not None),
                   tuple((i, p) for i, p in results if p is not None))

    def bound(self, params: Mapping[str, Any]) -> Mapping[str, Any]:
        if not self.binds:
            return params
        values = dict(params)
        for name, process in self.binds:
            value = values.get(name)
            if value is not None:
                values[name] = process(value)
        return values

    def row(self, raw: Sequence[Any]) -> Row:
        if not self.results:
            return tuple(raw)
        values = list(raw)
        for i, process in self.results:
            if values[i] is not None:
                values[i] = process(values[i])
        return values


async def rows(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> Sequence[Row]:
    """Every row the statement returns, values converted to Python types."""
    driver = await uow.sqlite_driver()
    if driver is None:
        connection = await uow.connection()
        return list((await connection.execute(stmt.clause, dict(params))).all())
    convert = stmt.converters(uow.engine_dialect)
    found = await driver.execute_fetchall(stmt.sql, convert.bound(params))
    return [convert.row(r) for r in found]


async def first(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> Row | None:
    """The first row, or None."""
    found = await rows(uow, stmt, params)
    return found[0] if found else None


async def run(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> int:
    """Run a statement that returns no rows; how many rows it changed."""
    driver = await uow.sqlite_driver()
    if driver is None:
        connection = await uow.connection()
        return int((await connection.execute(stmt.clause, dict(params))).rowcount)
    cursor = await driver.execute(stmt.sql, stmt.converters(uow.engine_dialect).bound(params))
    return int(cursor.rowcount)


@dataclass(frozen=True)
class Columns:
    """A mapped entity's columns in a direct SELECT: the SQL list, the attribute names and
    the types, in order (from SQLAlchemy's public mapper inspection)."""

    sql: str
    keys: tuple[str, ...]
    types: tuple[TypeEngine[Any], ...]

    @classmethod
    def of(cls, entity: type[Any]) -> Columns:
        mapper = sa_inspect(entity)
        table = mapper.local_table
        return cls(
            ", ".join(f"{table.name}.{c.name}" for c in table.columns),
            tuple(mapper.get_property_by_column(c).key for c in table.columns),
            tuple(c.type for c in table.columns),
        )

    def values(self, row: Row, offset: int = 0) -> dict[str, Any]:
        return dict(zip(self.keys, row[offset:offset + len(self.keys)], strict=True))
