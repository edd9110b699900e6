"""Fields that log lines carry while one piece of work runs: platform, runner, update, command.

`bound(...)` sets them for a block (asyncio tasks each see their own, through contextvars);
`add(...)` adds to the innermost block. Formatters read `current()` (`bot.log_format` writes
them as JSON fields). Only identifiers go here, never what a runner wrote.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

_EMPTY: Mapping[str, object] = MappingProxyType({})
_fields: ContextVar[Mapping[str, object]] = ContextVar("pacer_log_fields", default=_EMPTY)


def current() -> Mapping[str, object]:
    """The fields bound where the caller runs."""
    return _fields.get()


@contextmanager
def bound(**fields: object) -> Iterator[None]:
    """Bind `fields` (None values are left out) for the block, on top of the outer ones."""
    token = _fields.set(MappingProxyType({**_fields.get(), **_present(fields)}))
    try:
        yield
    finally:
        _fields.reset(token)


def add(**fields: object) -> None:
    """Add `fields` to the innermost `bound` block (they end with it)."""
    _fields.set(MappingProxyType({**_fields.get(), **_present(fields)}))


def _present(fields: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in fields.items() if v is not None}
