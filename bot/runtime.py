"""`pacer run`: every adapter that has a token, plus the scheduler, in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from bot.bootstrap import Container, build, configure_logging
from bot.config import Settings
from bot.console import run_console
from bot.health import start_health
from bot.scheduling import start_scheduler

log = logging.getLogger(__name__)

Service = Callable[[Container, asyncio.Event], Coroutine[Any, Any, None]]


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
    services = [] if force_console else platform_services(settings)
    # In the terminal chat, log lines would interleave with the conversation: warnings only.
    quiet = not services and settings.log_level != "DEBUG"
    configure_logging("WARNING" if quiet else settings.log_level, settings.log_format)
    container = await build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    scheduler = start_scheduler(container, console=not services)
    # Before the adapters: the Telegram webhook server serves the health routes too.
    health = await start_health(container, scheduler, platforms=[name for name, _ in services])
    tasks: list[asyncio.Task[None]] = [
        asyncio.create_task(svc(container, stop), name=name) for name, svc in services
    ]
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
        if health is not None:
            await health.stop()
        await scheduler.stop()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=10)
        await container.close()
    return 0
