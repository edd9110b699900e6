"""The health endpoint in the event loop: what /healthz, /readyz and /metrics answer, and a
taken address that costs one warning line, never the bot."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from bot.bootstrap import Container
from bot.config import ConfigError, Settings, load_settings
from bot.health import HealthServer, Readiness, board_of, listen_address, start_health
from bot.listen_address import Address
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database, create_database
from core.storage.unit_of_work import UnitOfWorkFactory

NOW = 1_796_000_000.0


@dataclass
class FakeScheduler:
    last_tick: float | None = NOW - 30


def container_for(db: Database, clock: FakeClock, **settings: object) -> Container:
    uow = UnitOfWorkFactory(db)
    values = {"database_url": "sqlite+aiosqlite:///unused.db", **settings}
    return Container(Settings(**values), db, uow, clock, Pacer(uow, clock))  # type: ignore[arg-type]


@pytest.fixture
async def served(sqlite_db: Database, clock: FakeClock
                 ) -> AsyncIterator[tuple[Container, FakeScheduler, str]]:
    container = container_for(sqlite_db, clock)
    scheduler = FakeScheduler()
    readiness = Readiness(container, scheduler, wall=lambda: NOW)
    server = HealthServer(container, readiness, Address("127.0.0.1", 0))
    assert await server.start()
    yield container, scheduler, f"http://127.0.0.1:{server.port}"
    await server.stop()


async def get(url: str) -> tuple[int, object]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


async def test_ready_when_database_platforms_and_scheduler_are(served: tuple[
        Container, FakeScheduler, str]) -> None:
    container, _scheduler, base = served
    board = board_of(container)
    board.expect("telegram")
    board.register("telegram", lambda: None)

    assert await get(f"{base}/healthz") == (200, {"status": "ok"})
    assert await get(f"{base}/readyz") == (200, {
        "status": "ready", "failing": [],
        "checks": {"database": "ok", "telegram": "ok", "scheduler": "ok"},
    })


async def test_unready_names_each_failing_check(served: tuple[
        Container, FakeScheduler, str]) -> None:
    container, scheduler, base = served
    board = board_of(container)
    board.expect("telegram")
    board.expect("discord")
    board.register("discord", lambda: "gateway not ready (connecting or resuming)")
    scheduler.last_tick = NOW - 300

    assert await get(f"{base}/readyz") == (503, {
        "status": "unready", "failing": ["telegram", "discord", "scheduler"],
        "checks": {
            "database": "ok",
            "telegram": "not connected yet",
            "discord": "gateway not ready (connecting or resuming)",
            "scheduler": "last tick 300 s ago (ticks every 60 s)",
        },
    })
    scheduler.last_tick = None
    _status, body = await get(f"{base}/readyz")
    assert isinstance(body, dict)
    assert body["checks"]["scheduler"] == "no tick yet"


async def test_a_database_that_does_not_answer_is_named(clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = create_database(f"postgresql+asyncpg://nobody@127.0.0.1:{port}/none")
    container = container_for(db, clock)
    problems = await Readiness(container, FakeScheduler(), wall=lambda: NOW).problems()
    await db.dispose()
    assert problems["scheduler"] is None
    assert problems["database"] == (
        f"unreachable: [Errno 111] Connect call failed ('127.0.0.1', {port})"
    )


async def test_metrics_are_prometheus_text(served: tuple[Container, FakeScheduler, str]
                                           ) -> None:
    _container, _scheduler, base = served
    async with aiohttp.ClientSession() as http, http.get(f"{base}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        text = await response.text()
    assert "# TYPE pacer_updates_total counter" in text.splitlines()
    assert "# TYPE pacer_reply_seconds histogram" in text.splitlines()
    assert "pacer_runners 0.0" in text.splitlines()


async def test_an_address_in_use_is_one_warning_and_the_bot_goes_on(
    sqlite_db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        container = container_for(sqlite_db, clock, health_listen=f"127.0.0.1:{port}")
        with caplog.at_level(logging.WARNING):
            server = await start_health(container, FakeScheduler(), platforms=["telegram"])
    assert server is None
    assert [r.getMessage() for r in caplog.records] == [
        f"health: cannot listen on 127.0.0.1:{port} (address in use); running without "
        "/healthz, /readyz and /metrics (set PACER_HEALTH_LISTEN to another host:port, or off)"
    ]


def test_where_it_listens(sqlite_db: Database, clock: FakeClock) -> None:
    def where(platforms: bool, **settings: object) -> Address | None:
        return listen_address(container_for(sqlite_db, clock, **settings).settings,
                              platforms=platforms)

    assert where(True) == Address("127.0.0.1", 9464)
    assert where(False) is None  # the console alone starts none
    assert where(False, health_listen="127.0.0.1:9500") == Address("127.0.0.1", 9500)
    assert where(True, health_listen="off") is None
    assert where(True, health_listen="OFF") is None
    assert where(True, health_listen="0.0.0.0:9464") == Address("0.0.0.0", 9464)
    assert where(True, health_listen="[::1]:9464") == Address("::1", 9464)


@pytest.mark.parametrize(("value", "message"), [
    ("9464", "PACER_HEALTH_LISTEN: '9464' is not host:port (e.g. 127.0.0.1:9464) or off"),
    ("localhost:99999", "PACER_HEALTH_LISTEN: port 99999 is out of range (0-65535)"),
    ("on", "PACER_HEALTH_LISTEN: 'on' is not host:port (e.g. 127.0.0.1:9464) or off"),
])
def test_a_bad_listen_address_is_a_config_error(value: str, message: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACER_HEALTH_LISTEN", value)
    with pytest.raises(ConfigError) as err:
        load_settings(database_url="sqlite+aiosqlite:///unused.db")
    assert str(err.value) == message
