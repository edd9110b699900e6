"""What the scheduler tells operators: its heartbeat for /readyz and the metrics, and the
platform on the log lines of a drain."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import Container, build
from bot.config import load_settings
from bot.scheduling import SchedulerService
from core import log_context
from core.clock import FakeClock


@pytest.fixture
async def container(tmp_path: Path) -> AsyncIterator[Container]:
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/pacer.db")
    built = await build(settings, clock=FakeClock(datetime(2026, 11, 2, 6, 0, tzinfo=UTC)))
    yield built
    await built.close()


async def test_a_finished_tick_is_the_heartbeat(container: Container) -> None:
    service = SchedulerService(container)
    assert service.last_tick is None
    before = time.time()
    await service.tick()
    assert service.last_tick is not None and before <= service.last_tick <= time.time()


async def test_a_drain_logs_with_its_platform(container: Container) -> None:
    service = SchedulerService(container)
    seen: list[dict[str, object]] = []

    async def drain() -> None:
        seen.append(dict(log_context.current()))

    await service._guarded(drain, platform="telegram")()
    assert seen == [{"platform": "telegram"}]
    assert log_context.current() == {}
