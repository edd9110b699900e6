"""Scheduler wiring: a few interval jobs on a real APScheduler; console pushes printed."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import Container, build
from bot.config import load_settings
from bot.scheduling import SchedulerService, start_scheduler, worker_name
from core.clock import FakeClock
from core.delivery import RecordingMessenger
from core.messages import Platform, Request
from core.schedule import outbox


@pytest.fixture
async def container(tmp_path: Path) -> AsyncIterator[Container]:
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/pacer.db",
                             scheduler_tick_seconds=60, outbox_poll_seconds=1)
    built = await build(settings, clock=FakeClock(datetime(2026, 11, 2, 6, 0, tzinfo=UTC)))
    yield built
    await built.close()


async def say(container: Container, text: str, user: str = "ann") -> None:
    command, _, rest = text[1:].partition(" ")
    await container.pacer.handle(Request(Platform.CONSOLE, user, user, command, rest,
                                         display_name=user.capitalize()))


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Poll (up to 5 s) until the scheduler's background jobs have done their work."""
    for _ in range(500):
        if await check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the scheduler did not get there")


async def test_console_pushes_print_with_buttons(
    container: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    await say(container, "/start level=beginner days=mon,wed,fri time=07:00 tz=UTC units=km")
    clock = container.clock
    assert isinstance(clock, FakeClock)
    clock.set(datetime(2026, 11, 2, 7, 1, tzinfo=UTC))
    service = start_scheduler(container, console=True)
    try:
        async def delivered() -> bool:
            async with container.uow(readonly=True) as uow:
                return (await outbox.status_counts(uow)).get("sent", 0) == 1

        await eventually(delivered)  # the first tick runs at start, then the console drain
        printed = capsys.readouterr().out
        assert "⏰ (Pacer, to ann)" in printed.splitlines()
        assert "Good morning, Ann! Here's today's session:" in printed.splitlines()
        assert "  [1] Done ✓  (/done)" in printed.splitlines()
        assert "  [2] Skip  (/skip)" in printed.splitlines()
    finally:
        await service.stop()


async def test_jobs_are_few_and_never_pile_up(container: Container) -> None:
    messengers = container.extras.setdefault("messengers", {})
    assert isinstance(messengers, dict)
    messengers["telegram"] = RecordingMessenger("telegram")
    service = start_scheduler(container, console=False)
    try:
        await service.watch()
        jobs = {job.id: job for job in service.scheduler.get_jobs()}
        assert set(jobs) == {"tick", "watch", "drain:telegram"}  # never one job per runner
        for job in jobs.values():
            assert job.coalesce is True and job.max_instances == 1
        assert jobs["tick"].trigger.interval.total_seconds() == 60
        messengers["discord"] = RecordingMessenger("discord")  # an adapter came up later
        await service.watch()
        assert "drain:discord" in {job.id for job in service.scheduler.get_jobs()}
        telegram = service.senders["telegram"]
        del messengers["telegram"]  # that adapter stopped
        await service.watch()
        assert "drain:telegram" not in {job.id for job in service.scheduler.get_jobs()}
        assert telegram._stopping and "telegram" not in service.senders
    finally:
        await service.stop()
    assert service.senders["discord"]._stopping


def test_worker_name_defaults_to_host_and_pid() -> None:
    assert worker_name("worker-0") == "worker-0"
    assert worker_name("") == f"{socket.gethostname()}:{os.getpid()}"
    assert len(worker_name("x" * 100)) == 64
    assert SchedulerService.__doc__ == (
        "The running scheduler; `await stop()` finishes in-flight work, then shuts it down."
    )
