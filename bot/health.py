"""Health, readiness and metrics over HTTP, in Pacer's own event loop (aiohttp).

- `GET /healthz`: 200 while the process runs.
- `GET /readyz`: 200 when the database answers, every configured platform is connected and
  the scheduler ticked within two intervals; else 503, with a JSON body naming each failing
  check and why.
- `GET /metrics`: Prometheus text format (`bot.metrics`).

The platform runner (`bot.platform_runner`) puts a probe on the `HealthBoard`
(`board_of(container)`) as it starts a platform: "not connected yet" while it connects, the
adapter's readiness while it serves, "failed: <reason>" after a failure (kept until the process
ends). A platform that is configured but has no probe (yet, or after a clean stop) is "not
connected yet".
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections.abc import Callable
from typing import Protocol

from aiohttp import web

from bot.bootstrap import Container
from bot.config import Settings
from bot.listen_address import DEFAULT_LISTEN, Address, parse_listen
from core.storage.operations import ping

log = logging.getLogger(__name__)

DB_TIMEOUT_SECONDS = 3.0
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"

# A probe answers None when all is well, else the reason in a few words.
Probe = Callable[[], str | None]


class Ticking(Protocol):
    """The scheduler, as readiness sees it: when its last tick finished (Unix time)."""

    last_tick: float | None


class HealthBoard:
    """The platforms Pacer should be connected to, and the probes of those that started."""

    def __init__(self) -> None:
        self.expected: list[str] = []
        self._probes: dict[str, Probe] = {}

    def expect(self, platform: str) -> None:
        if platform not in self.expected:
            self.expected.append(platform)

    def register(self, platform: str, probe: Probe) -> None:
        self._probes[platform] = probe

    def unregister(self, platform: str, probe: Probe) -> None:
        if self._probes.get(platform) == probe:  # bound methods are equal, not identical
            del self._probes[platform]

    def platform_problems(self) -> dict[str, str | None]:
        """Each expected platform's problem (None when it is connected)."""
        found: dict[str, str | None] = {}
        for platform in self.expected:
            probe = self._probes.get(platform)
            found[platform] = "not connected yet" if probe is None else probe()
        return found


def board_of(container: Container) -> HealthBoard:
    """The container's health board (created on first use)."""
    board = container.extras.setdefault("health", HealthBoard())
    if not isinstance(board, HealthBoard):
        raise TypeError("container.extras['health'] must be a HealthBoard")
    return board


def listen_address(settings: Settings, *, platforms: bool) -> Address | None:
    """Where to serve: PACER_HEALTH_LISTEN; unset, the default when a platform runs."""
    configured = settings.health_listen.strip()
    if not configured:
        return parse_listen(DEFAULT_LISTEN) if platforms else None
    return parse_listen(configured)


class Readiness:
    """Runs the readiness checks: database, platforms, scheduler."""

    def __init__(
        self,
        container: Container,
        scheduler: Ticking | None,
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.container = container
        self.scheduler = scheduler
        self.board = board_of(container)
        self.wall = wall

    async def problems(self) -> dict[str, str | None]:
        """Every check by name: None when it passes, else the reason."""
        checks: dict[str, str | None] = {"database": await self._database()}
        checks.update(self.board.platform_problems())
        if self.scheduler is not None:
            checks["scheduler"] = self._scheduler(self.scheduler)
        return checks

    async def _database(self) -> str | None:
        try:
            async with asyncio.timeout(DB_TIMEOUT_SECONDS):
                await ping(self.container.db)
        except TimeoutError:
            return f"no answer within {DB_TIMEOUT_SECONDS:.0f} s"
        except Exception as err:  # any driver error: its first line is the reason
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            return f"unreachable: {first}"
        return None

    def _scheduler(self, scheduler: Ticking) -> str | None:
        interval = self.container.settings.scheduler_tick_seconds
        last = scheduler.last_tick
        if last is None:
            return "no tick yet"
        age = self.wall() - last
        if age > 2 * interval:
            return f"last tick {age:.0f} s ago (ticks every {interval} s)"
        return None


def routes(container: Container, readiness: Readiness) -> list[web.RouteDef]:
    """The three endpoints, for the health server or next to the Telegram webhook."""
    metrics = container.metrics

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_request: web.Request) -> web.Response:
        problems = await readiness.problems()
        failing = [name for name, problem in problems.items() if problem is not None]
        body = {
            "status": "unready" if failing else "ready",
            "failing": failing,
            "checks": {name: problem or "ok" for name, problem in problems.items()},
        }
        return web.json_response(body, status=503 if failing else 200)

    async def metrics_page(_request: web.Request) -> web.Response:
        try:
            await metrics.refresh(container.uow, container.clock)
        except Exception as err:  # the counters are still worth reading without the gauges
            log.warning("metrics: could not read the outbox gauges: %s", err)
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = PROMETHEUS_TEXT
        return response

    return [
        web.get("/healthz", healthz),
        web.get("/readyz", readyz),
        web.get("/metrics", metrics_page),
    ]


def health_routes(container: Container) -> list[web.RouteDef]:
    """The routes `start_health` published for serving next to the Telegram webhook."""
    found = container.extras.get("health_routes", [])
    return list(found) if isinstance(found, list) else []


class HealthServer:
    """The HTTP endpoint; `start()` never raises for an address in use (one warning)."""

    def __init__(self, container: Container, readiness: Readiness, address: Address) -> None:
        self.address = address
        app = web.Application()
        app.add_routes(routes(container, readiness))
        self._runner = web.AppRunner(app, access_log=None)
        self.port: int | None = None

    async def start(self) -> bool:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.address.host, self.address.port)
        try:
            await site.start()
        except OSError as err:
            await self._runner.cleanup()
            why = "address in use" if err.errno == errno.EADDRINUSE else err.strerror or err
            log.warning(
                "health: cannot listen on %s:%d (%s); running without /healthz, /readyz and "
                "/metrics (set PACER_HEALTH_LISTEN to another host:port, or off)",
                self.address.host, self.address.port, why,
            )
            return False
        self.port = _bound_port(self._runner) or self.address.port
        log.info("health: http://%s:%d/healthz, /readyz and /metrics",
                 _url_host(self.address.host), self.port)
        return True

    async def stop(self) -> None:
        await self._runner.cleanup()


def _bound_port(runner: web.AppRunner) -> int | None:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def start_health(
    container: Container, scheduler: Ticking | None, *, platforms: list[str]
) -> HealthServer | None:
    """Start the endpoint where the settings say (None when off or the address is taken); the
    same routes go to `container.extras["health_routes"]` for the Telegram webhook server."""
    board = board_of(container)
    for platform in platforms:
        board.expect(platform)
        container.metrics.platform_up(platform)
    if scheduler is not None:
        container.metrics.last_tick.set_function(lambda: scheduler.last_tick or 0.0)
    readiness = Readiness(container, scheduler)
    container.extras["health_routes"] = routes(container, readiness)
    address = listen_address(container.settings, platforms=bool(platforms))
    if address is None:
        return None
    server = HealthServer(container, readiness, address)
    return server if await server.start() else None
