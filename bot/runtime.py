"""`pacer run`: every adapter that has a token, plus the scheduler, in one event loop.

Shutdown (SIGTERM, SIGINT, end of the console) goes in order, so that no push is cut off:
the scheduler stops claiming, its senders finish the sends in flight, release the rest of their
batch and record every outcome; only then are the platform adapters told to stop and close
their HTTP clients; the database goes last.

A platform that fails for good while running (Discord's gateway closed with a fatal code, a
token Telegram rejects) is off for this process: its service has unregistered its messenger
and its status (`bot.platform_status`) says why. If another platform is still serving, Pacer
keeps running for it; if none is left, `pacer run` exits with code 1 so a supervisor restarts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from bot.bootstrap import Container, build, configure_logging
from bot.config import Settings
from bot.console import Console, ConsoleChannel, run_console
from bot.health import start_health
from bot.platform_status import status_of
from bot.scheduling import start_scheduler

log = logging.getLogger(__name__)

Service = Callable[[Container, asyncio.Event], Coroutine[Any, Any, None]]
PLATFORM_FAILED = 1  # exit code: every configured platform failed


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


async def serve(
    container: Container, tasks: dict[str, asyncio.Task[None]], stop: asyncio.Event
) -> int:
    """Wait for `stop`, or until no platform is left; the exit code."""
    running = dict(tasks)
    waiter = asyncio.create_task(stop.wait())
    try:
        while running and not stop.is_set():
            await asyncio.wait({waiter, *running.values()}, return_when=asyncio.FIRST_COMPLETED)
            if stop.is_set():
                break
            for name, task in list(running.items()):
                if not task.done():
                    continue
                del running[name]
                status = status_of(container.extras, name)
                if task.exception() is not None:
                    status.fail(f"{type(task.exception()).__name__}: {task.exception()}")
                    log.error("%s stopped with an error", name, exc_info=task.exception())
                elif not status.failed:
                    status.fail("the service ended by itself")
                if running:  # the service logged why; the reason is in its status
                    log.warning("%s is off; still serving %s", name, ", ".join(running))
        if stop.is_set():
            return 0
        log.error("no chat platform is left running; exiting with code %d", PLATFORM_FAILED)
        return PLATFORM_FAILED
    finally:
        waiter.cancel()


async def run(
    settings: Settings, *, force_console: bool = False, user: str = "runner",
    club: str | None = None,
) -> int:
    services = [] if force_console else platform_services(settings)
    # In the terminal chat, log lines would interleave with the conversation: warnings only.
    quiet = not services and settings.log_level != "DEBUG"
    configure_logging(
        "WARNING" if quiet else settings.log_level, settings.secrets(), settings.log_format
    )
    container = await build(settings)
    stop = asyncio.Event()
    adapters_stop = asyncio.Event()  # set only once the scheduler has stopped sending
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    for name, _ in services:
        status_of(container.extras, name)  # "starting": visible to health checks at once
    terminal = None if services else Console(
        container.pacer, user, channel=ConsoleChannel(club) if club else None
    )
    scheduler = start_scheduler(container, console=terminal or False)
    # Before the adapters: the Telegram webhook server serves the health routes too.
    health = await start_health(container, scheduler, platforms=[name for name, _ in services])
    tasks = {
        name: asyncio.create_task(svc(container, adapters_stop), name=name)
        for name, svc in services
    }
    code = 0
    try:
        if terminal is not None:
            console = asyncio.create_task(run_console(terminal))
            waiter = asyncio.create_task(stop.wait())
            await asyncio.wait({console, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if console.done():
                console.result()
        else:
            log.info("Pacer running: %s", ", ".join(name for name, _ in services))
            code = await serve(container, tasks, stop)
    finally:
        stop.set()
        if health is not None:
            await health.stop()
        await scheduler.stop()  # stop claiming; finish, release and record the batch
        adapters_stop.set()  # only now may the adapters close their clients
        for task in tasks.values():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=10)
        await container.close()
        log.info("Pacer stopped")
    return code
