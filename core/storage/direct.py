"""The statements every message runs, as plain SQL on the unit of work's own transaction.

Through the ORM a single-row SELECT costs ~100 µs of Python here, while SQLite answers it in a
few µs; a `/done` ran a dozen of them. The statements on that path (the update-id record, the
runner lookup, the logbook, the log insert, the streak cache) are written once as SQL text with
`:named` parameters, valid on both databases:

- SQLite: executed straight on the sqlite3 connection behind the session (inline, a lock wait
  on aiosqlite's thread: `core.storage.sqlite_inline`), parameters and results converted as
  the ORM converts them — with SQLAlchemy's own type processors, except dates and instants,
  written and parsed here in the same ISO text — so values are stored exactly as the ORM does
  (`tests/integration/test_direct_sql.py` compares them to the character);
- PostgreSQL: executed through the session as a `text()` clause with the same types.

They share the session's transaction: what one writes, the other reads. Objects already in the
session are not told about direct writes; the functions that write directly keep the session's
copies current (`core.logbook.save_streak`) or work with rows the session never loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import TextClause, bindparam, column, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeDecorator, TypeEngine

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork

T = TypeVar("T")
Row = Sequence[Any]


@dataclass(frozen=True, eq=False)
class Statement:
    """One statement: its SQL, the types of the parameters that need converting (dates,
    instants, booleans, JSON; the others are passed as they are) and of its result columns."""

    sql: str
    params: Mapping[str, TypeEngine[Any]] = field(default_factory=dict)
    columns: Sequence[TypeEngine[Any]] = ()
    _compiled: dict[str, _Compiled] = field(default_factory=dict, init=False, repr=False)

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _Compiled.of(self, dialect)
        return found


@dataclass(frozen=True)
class _Compiled:
    """A statement prepared for one dialect: the text clause (PostgreSQL) and the converters
    (SQLite, whose rows are converted here: only the columns that need it)."""

    clause: TextClause
    binds: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    results: tuple[tuple[int, Callable[[Any], Any]], ...] = ()

    @classmethod
    def of(cls, stmt: Statement, dialect: Dialect) -> _Compiled:
        clause = text(stmt.sql).bindparams(
            *(bindparam(name, type_=type_) for name, type_ in stmt.params.items())
        )
        if stmt.columns:
            clause = clause.columns(  # type: ignore[assignment]
                *(column(f"c{i}", type_) for i, type_ in enumerate(stmt.columns))
            )
        if dialect.name != "sqlite":  # executed through the session, which converts
            return cls(clause)
        binds = ((name, _writer(type_, dialect)) for name, type_ in stmt.params.items())
        results = ((i, _reader(type_, dialect)) for i, type_ in enumerate(stmt.columns))
        return cls(
            clause,
            tuple((name, p) for name, p in binds if p is not None),
            tuple((i, p) for i, p in results if p is not None),
        )

    def bound(self, params: Mapping[str, Any]) -> Mapping[str, Any]:
        if not self.binds:
            return params
        values = dict(params)
        for name, process in self.binds:
            value = values.get(name)
            if value is not None:
                values[name] = process(value)
        return values

    def row(self, raw: Sequence[Any]) -> list[Any]:
        values = list(raw)
        for i, process in self.results:
            value = values[i]
            if value is not None:
                values[i] = process(value)
        return values


def _reader(type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """How SQLite's value of this type becomes Python's: SQLAlchemy's own conversion, except
    for dates and instants, stored as ISO text, which the C parser reads (SQLAlchemy's uses a
    regular expression, ten times slower) — then a decorator's own step, as SQLAlchemy does."""
    decorator = type_ if isinstance(type_, TypeDecorator) else None
    inner = decorator.impl_instance if decorator is not None else type_
    iso = next((read for kind, read in _ISO_READERS if isinstance(inner, kind)), None)
    if iso is None:
        converter: Callable[[Any], Any] | None = type_.dialect_impl(dialect).result_processor(
            dialect, None
        )
        return converter
    if decorator is None:
        return iso
    finish = decorator.process_result_value
    return lambda value: finish(iso(value), dialect)


def _writer(type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """How a Python value of this type is stored in SQLite: as `_reader`, SQLAlchemy's own
    conversion except for dates and instants, formatted here to the same ISO text."""
    decorator = type_ if isinstance(type_, TypeDecorator) else None
    inner = decorator.impl_instance if decorator is not None else type_
    iso = next((write for kind, write in _ISO_WRITERS if isinstance(inner, kind)), None)
    if iso is None:
        converter: Callable[[Any], Any] | None = type_.dialect_impl(dialect).bind_processor(
            dialect
        )
        return converter
    if decorator is None:
        return iso
    prepare = decorator.process_bind_param
    return lambda value: iso(prepare(value, dialect))


def _instant_text(value: datetime) -> str:
    # SQLAlchemy's SQLite format: always the microseconds, never an offset.
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


_ISO_WRITERS: tuple[tuple[type[Any], Callable[[Any], str]], ...] = (
    (sqltypes.DateTime, _instant_text),
    (sqltypes.Date, date.isoformat),
)
_ISO_READERS: tuple[tuple[type[Any], Callable[[str], Any]], ...] = (
    (sqltypes.DateTime, datetime.fromisoformat),
    (sqltypes.Date, date.fromisoformat),
)


async def rows(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> Sequence[Row]:
    """Every row the statement returns, values converted to Python types."""
    compiled = stmt.compiled(uow.engine_dialect)
    inline = await uow.sqlite_connection()
    if inline is None:
        result = await uow.session.execute(compiled.clause, dict(params))
        return list(result.all())
    raw = await inline.fetch_all(stmt.sql, compiled.bound(params))
    if not compiled.results:
        return raw
    return [compiled.row(r) for r in raw]


async def first(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> Row | None:
    """The first row, or None."""
    found = await rows(uow, stmt, params)
    return found[0] if found else None


async def run(uow: UnitOfWork, stmt: Statement, params: Mapping[str, Any]) -> int:
    """Run a statement that returns no rows; how many rows it changed."""
    compiled = stmt.compiled(uow.engine_dialect)
    inline = await uow.sqlite_connection()
    if inline is None:
        result = await uow.session.execute(compiled.clause, dict(params))
        return int(getattr(result, "rowcount", 0))
    return await inline.run(stmt.sql, compiled.bound(params))


@dataclass(frozen=True)
class Columns:
    """An entity's columns in a direct SELECT: the SQL list and the attribute names, in order."""

    sql: str
    keys: tuple[str, ...]
    types: tuple[TypeEngine[Any], ...]

    @classmethod
    def of(cls, entity: type[Any]) -> Columns:
        mapper = sa_inspect(entity)
        table = mapper.local_table
        names = [c.name for c in table.columns]
        return cls(
            ", ".join(f"{table.name}.{name}" for name in names),
            tuple(mapper.get_property_by_column(c).key for c in table.columns),
            tuple(c.type for c in table.columns),
        )

    def values(self, row: Row, offset: int = 0) -> dict[str, Any]:
        return dict(zip(self.keys, row[offset:offset + len(self.keys)], strict=True))


def attach(session: AsyncSession, entity: type[T], values: Mapping[str, Any]) -> T:
    """The ORM object for a row read directly, put in the session as if a query had loaded it
    (the session's own copy when it has one already: as with a query, its state wins)."""
    mapper = sa_inspect(entity)
    key = mapper.identity_key_from_primary_key(
        tuple(values[mapper.get_property_by_column(c).key] for c in mapper.primary_key)
    )
    existing = session.sync_session.identity_map.get(key)
    if existing is not None:
        found: T = existing
        return found
    # As the ORM's loader does: a bare instance, its values set as loaded (no change events;
    # the constructor's cost more than the query), then known to the session by its key.
    obj: T = mapper.class_manager.new_instance()
    instance_state(obj).dict.update(values)
    make_transient_to_detached(obj)  # loaded, unchanged: nothing to write back
    session.add(obj)
    return obj
