"""`pacer run`: every adapter that has a token, plus the scheduler, in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable

from bot.bootstrap import Container, build, configure_logging
from bot.config import Settings
from bot.console import run_console

log = logging.getLogger(__name__)

Service = Callable[[Container, asyncio.Event], Awaitable[None]]


def platform_services(settings: Settings) -> list[tuple[str, Service]]:
    """The chat platforms whose tokens are set."""
    services: list[tuple[str, Service]] = []
    if settings.telegram_token is not None:
        from bot.telegram.service import run_telegram

        services.append(("telegram", run_telegram))
    if settings.discord_token is not None:
        from bot.discord.service import run_discord

        services.append(("discord", run_discord))
    return services


async def run(settings: Settings, *, force_console: bool = False, user: str = "runner") -> int:
    configure_logging(settings.log_level)
    container = await build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    services = [] if force_console else platform_services(settings)
    tasks = [asyncio.create_task(svc(container, stop), name=name) for name, svc in services]
    scheduler = _start_scheduler(container, console=not services)
    try:
        if not services:
            console = asyncio.create_task(run_console(container.pacer, user))
            waiter = asyncio.create_task(stop.wait())
            await asyncio.wait({console, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if console.done():
                console.result()
        else:
            log.info("Pacer running: %s", ", ".join(name for name, _ in services))
            await stop.wait()
    finally:
        stop.set()
        if scheduler is not None:
            await scheduler.stop()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=10)
        await container.close()
    return 0


class _Stoppable:
    async def stop(self) -> None: ...


def _start_scheduler(container: Container, *, console: bool) -> _Stoppable | None:
    try:
        from bot.scheduling import start_scheduler
    except ImportError:
        return None
    result: _Stoppable = start_scheduler(container, console=console)
    return result
