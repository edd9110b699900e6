"""The in-memory unit of work offers what the real one offers: every repository the handlers
use, with the same methods and parameters (a fake that drifts would test nothing)."""

from __future__ import annotations

import inspect
from functools import cached_property

from core.storage.unit_of_work import UnitOfWork
from tests.support.fake_uow import FakeStore, FakeUnitOfWork


def _repositories() -> dict[str, type]:
    found = {}
    for name, member in vars(UnitOfWork).items():
        if isinstance(member, cached_property):
            found[name] = inspect.signature(member.func).return_annotation
    return found


def _methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(cls).items()
        if not name.startswith("_") and inspect.iscoroutinefunction(member)
    }


def test_every_repository_is_faked_with_the_same_methods() -> None:
    import core.storage.unit_of_work as module

    fake = FakeUnitOfWork(FakeStore())
    names = _repositories()
    assert set(names) == {"runners", "updates", "logbook", "logs", "plans", "sleep", "skips",
                          "streaks", "exports", "identities"}
    for name, annotation in names.items():
        real = getattr(module, annotation) if isinstance(annotation, str) else annotation
        if name == "exports":
            continue  # /export's document is tested on SQLite and PostgreSQL only
        faked = type(getattr(fake, name))
        assert _methods(faked).keys() == _methods(real).keys(), name
        for method, signature in _methods(real).items():
            assert list(_methods(faked)[method].parameters) == list(signature.parameters), (
                f"{name}.{method}"
            )
