"""The shared platform runner (`bot.platform_runner`) with a scripted fake adapter: backoff,
a rejected token, a connection that ends by itself, a clean stop and its order."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import cast

import pytest

from bot.bootstrap import Container
from bot.health import board_of
from bot.platform_runner import PlatformRunner, Rejected, Unreachable, run_platform
from bot.platform_status import status_of
from core.messages import Reply


@dataclass
class FakeMessenger:
    platform: str = "chirp"

    async def send(self, chat_id: str, reply: Reply) -> None:
        raise AssertionError("no push in these tests")


@dataclass
class FakeAdapter:
    """Connects as scripted: each entry is an error to raise, or None to connect."""

    extras: dict[str, object]
    script: list[Exception | None] = field(default_factory=list)
    platform: str = "chirp"
    messenger: FakeMessenger = field(default_factory=FakeMessenger)
    log: list[str] = field(default_factory=list)
    end: asyncio.Future[str] | None = None
    health: str | None = None
    began: asyncio.Event = field(default_factory=asyncio.Event)

    async def connect(self) -> None:
        self.log.append("connect")
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome

    async def begin(self) -> None:
        self.log.append("begin")
        self.end = asyncio.get_running_loop().create_future()
        self.began.set()

    async def ended(self) -> str:
        assert self.end is not None
        return await self.end

    def problem(self) -> str | None:
        return self.health

    def greeting(self) -> str:
        return "chirp: serving as @pacer"

    async def stop(self) -> None:
        messengers = cast(dict[str, object], self.extras.get("messengers", {}))
        registered = "registered" if "chirp" in messengers else "unregistered"
        self.log.append(f"stop (messenger {registered})")


class Pauses:
    """Waits recorded, not waited; `stop_after` waits, the stop event is set."""

    def __init__(self, stop_after: int = 100) -> None:
        self.waits: list[float] = []
        self.stop_after = stop_after

    async def __call__(self, stop: asyncio.Event | None, seconds: float) -> bool:
        self.waits.append(seconds)
        if stop is not None and len(self.waits) >= self.stop_after:
            stop.set()
        return stop is not None and stop.is_set()


def container() -> Container:
    return cast(Container, SimpleNamespace(extras={}))


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_unreachable_platform_is_retried_with_doubling_waits_until_it_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box = container()
    adapter = FakeAdapter(box.extras, [Unreachable("connection refused")] * 5)
    pauses = Pauses()
    stop = asyncio.Event()
    runner = PlatformRunner(box, adapter, pause=pauses, retry_cap=8.0)

    with caplog.at_level(logging.INFO):
        task = asyncio.create_task(runner.run(stop))
        await adapter.began.wait()
        messengers = cast(dict[str, object], box.extras["messengers"])
        serving = (status_of(box.extras, "chirp").state, dict(messengers))
        stop.set()
        await task

    assert pauses.waits == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert adapter.log == ["connect"] * 6 + ["begin", "stop (messenger unregistered)"]
    assert serving == ("running", {"chirp": adapter.messenger})
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings[0] == "chirp: cannot connect (connection refused); trying again in 1 s"
    assert len(warnings) == 5
    assert "chirp: serving as @pacer" in [r.getMessage() for r in caplog.records]
    assert status_of(box.extras, "chirp").state == "stopped"


async def test_stopping_while_unreachable_ends_quietly_without_connecting() -> None:
    box = container()
    adapter = FakeAdapter(box.extras, [Unreachable("timed out")] * 10)
    pauses = Pauses(stop_after=3)

    await run_platform(box, asyncio.Event(), adapter, pause=pauses)

    assert pauses.waits == [1.0, 2.0, 4.0]
    assert adapter.log == ["connect"] * 3 + ["stop (messenger unregistered)"]
    assert status_of(box.extras, "chirp").state == "stopped"
    assert box.extras["messengers"] == {}


async def test_while_retrying_the_board_says_why_it_is_not_connected() -> None:
    box = container()
    board = board_of(box)
    board.expect("chirp")
    seen: list[str | None] = []

    async def look(stop: asyncio.Event | None, seconds: float) -> bool:
        seen.append(board.platform_problems()["chirp"])
        assert stop is not None
        stop.set()
        return True

    adapter = FakeAdapter(box.extras, [Unreachable("503 Service Unavailable")])
    await run_platform(box, asyncio.Event(), adapter, pause=look)

    assert seen == ["not connected yet (last try: 503 Service Unavailable)"]
    assert board.platform_problems() == {"chirp": "not connected yet"}  # stopped: probe gone


async def test_a_rejected_token_fails_the_platform_at_once_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box = container()
    board = board_of(box)
    board.expect("chirp")
    adapter = FakeAdapter(box.extras, [Rejected("PACER_CHIRP_TOKEN was rejected by chirp.test")])
    pauses = Pauses()

    with caplog.at_level(logging.WARNING):
        await run_platform(box, asyncio.Event(), adapter, pause=pauses)

    status = status_of(box.extras, "chirp")
    assert (status.state, status.reason) == (
        "failed", "PACER_CHIRP_TOKEN was rejected by chirp.test")
    assert [r.getMessage() for r in caplog.records] == [
        "chirp: PACER_CHIRP_TOKEN was rejected by chirp.test; Chirp is off "
        "(pushes wait in the outbox)"]
    assert pauses.waits == []
    assert adapter.log == ["connect", "stop (messenger unregistered)"]
    assert box.extras["messengers"] == {}
    assert board.platform_problems() == {
        "chirp": "failed: PACER_CHIRP_TOKEN was rejected by chirp.test"}


async def test_a_connection_that_ends_by_itself_is_a_failure_and_the_messenger_goes_first(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box = container()
    board = board_of(box)
    board.expect("chirp")
    adapter = FakeAdapter(box.extras, health="gateway not ready")
    stop = asyncio.Event()

    with caplog.at_level(logging.ERROR):
        task = asyncio.create_task(run_platform(box, stop, adapter))
        await adapter.began.wait()
        readiness = board.platform_problems()
        assert adapter.end is not None
        adapter.end.set_result("the gateway closed the connection with code 4004")
        await task

    assert readiness == {"chirp": "gateway not ready"}  # the adapter's own probe while serving
    assert errors(caplog) == [
        "chirp: the gateway closed the connection with code 4004; Chirp is off "
        "(pushes wait in the outbox)"]
    assert adapter.log == ["connect", "begin", "stop (messenger unregistered)"]
    assert status_of(box.extras, "chirp").state == "failed"
    assert board.platform_problems() == {
        "chirp": "failed: the gateway closed the connection with code 4004"}
    assert not stop.is_set()


async def test_an_adapter_whose_ended_raises_is_a_failure_with_the_error_as_reason() -> None:
    box = container()
    adapter = FakeAdapter(box.extras)
    task = asyncio.create_task(run_platform(box, asyncio.Event(), adapter))
    await adapter.began.wait()
    assert adapter.end is not None
    adapter.end.set_exception(OSError("socket closed"))
    await task

    assert status_of(box.extras, "chirp").reason == "OSError: socket closed"


async def test_a_clean_stop_unregisters_the_messenger_before_the_adapter_stops() -> None:
    box = container()
    board = board_of(box)
    board.expect("chirp")
    adapter = FakeAdapter(box.extras)
    stop = asyncio.Event()
    task = asyncio.create_task(run_platform(box, stop, adapter))
    await adapter.began.wait()
    assert box.extras["messengers"] == {"chirp": adapter.messenger}
    assert board.platform_problems() == {"chirp": None}

    stop.set()
    await task

    assert adapter.log == ["connect", "begin", "stop (messenger unregistered)"]
    assert status_of(box.extras, "chirp").state == "stopped"
    assert board.platform_problems() == {"chirp": "not connected yet"}
