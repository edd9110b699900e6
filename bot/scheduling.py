"""Scheduler wiring: a handful of periodic APScheduler jobs, never one job per runner.

- `tick` (every `scheduler_tick_seconds`, and once at start to catch up after downtime):
  the core decides what fell due and writes it to the outbox.
- `drain:<platform>` (every `outbox_poll_seconds`): one job per registered messenger sends
  that platform's outbox. Adapters register their `Messenger` in
  `container.extras["messengers"]` when they are up; a small `watch` job notices new ones.

The job store is in memory and private to this process (APScheduler job stores must never be
shared between processes); coordination between workers happens in the database: unique
outbox keys and leased claims (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.bootstrap import Container
from bot.console import Console
from core import log_context
from core.clubs.announcements import ClubFeeds
from core.clubs.challenges import finish_due_challenges, weekly_standings
from core.delivery import ConsoleMessenger, Messenger
from core.messages import Reply
from core.schedule import outbox
from core.schedule.sender import Sender
from core.schedule.tick import Ticker

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10.0


def worker_name(configured: str) -> str:
    """This process's name in outbox claims: the setting, else host:pid."""
    return (configured or f"{socket.gethostname()}:{os.getpid()}")[:64]


def club_feeds(default_tz: str) -> ClubFeeds:
    """Weekly standings and final results from the clubs module."""
    return ClubFeeds(weekly=weekly_standings, finals=finish_due_challenges, tz=default_tz)


def console_messenger(container: Container) -> ConsoleMessenger:
    """Every console runner's pushes printed in the terminal with the console's rendering."""
    console = Console(container.pacer, "console")

    def show(chat_id: str, reply: Reply) -> None:
        console.out.write(f"⏰ (Pacer, to {chat_id})\n")
        console.show(reply, files_of=chat_id)

    return ConsoleMessenger(show)


def registered_messengers(container: Container) -> dict[str, Messenger]:
    """The platform → Messenger registry adapters fill in `container.extras`."""
    found = container.extras.setdefault("messengers", {})
    if not isinstance(found, dict):
        raise TypeError("container.extras['messengers'] must be a dict")
    return found


class SchedulerService:
    """The running scheduler; `await stop()` finishes in-flight work, then shuts it down."""

    def __init__(self, container: Container) -> None:
        settings = container.settings
        self.container = container
        self.worker = worker_name(settings.worker_name)
        self.ticker = Ticker(container.uow, container.clock,
                             clubs=club_feeds(settings.default_timezone))
        self.senders: dict[str, Sender] = {}
        self.scheduler = AsyncIOScheduler(
            jobstores={"default": MemoryJobStore()},
            job_defaults={
                "coalesce": True,  # a late job runs once, not once per missed interval
                "max_instances": 1,
                "misfire_grace_time": settings.scheduler_tick_seconds,
            },
            timezone=UTC,
        )
        self._running: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._released = False
        self.last_tick: float | None = None  # Unix time the last tick finished (readiness)

    def messengers(self) -> dict[str, Messenger]:
        return registered_messengers(self.container)

    def start(self) -> None:
        settings = self.container.settings
        now = datetime.now(UTC)
        self.scheduler.add_job(
            self._guarded(self.tick), IntervalTrigger(seconds=settings.scheduler_tick_seconds),
            id="tick", name="tick", next_run_time=now,
        )
        self.scheduler.add_job(
            self._guarded(self.watch), IntervalTrigger(seconds=settings.outbox_poll_seconds),
            id="watch", name="watch messengers", next_run_time=now,
        )
        self.scheduler.start()
        log.info("scheduler started as worker %s", self.worker)

    async def tick(self) -> None:
        await self.ticker.run()
        self.last_tick = time.time()

    async def watch(self) -> None:
        """Keep one drain job per registered messenger: add new ones, retire stopped ones."""
        settings = self.container.settings
        if not self._released and settings.worker_name:
            # A restarted worker with a stable name takes back its old leases at once; only
            # before its first drain, never while its own sends hold leases.
            async with self.container.uow() as uow:
                await outbox.release_worker_claims(uow, self.worker)
        self._released = True
        registered = dict(self.messengers())
        for platform, sender in list(self.senders.items()):
            if registered.get(platform) is not sender.messenger:
                # The adapter stopped (or restarted with a new messenger): retire its drain.
                sender.stop()
                with contextlib.suppress(JobLookupError):
                    self.scheduler.remove_job(f"drain:{platform}")
                del self.senders[platform]
        for platform, messenger in registered.items():
            if platform in self.senders:
                continue
            sender = Sender(
                self.container.uow, messenger, self.container.clock, worker=self.worker,
                max_attempts=settings.outbox_max_attempts,
                lease=timedelta(seconds=settings.outbox_lease_seconds),
                chats=messenger.chats if isinstance(messenger, ConsoleMessenger) else None,
                observer=self.container.metrics,
            )
            self.senders[platform] = sender
            self.scheduler.add_job(
                self._guarded(sender.drain, platform=platform),
                IntervalTrigger(seconds=settings.outbox_poll_seconds),
                id=f"drain:{platform}", name=f"drain {platform}",
                next_run_time=datetime.now(UTC) + timedelta(milliseconds=10),
            )
            log.info("delivering %s pushes", platform)

    def _guarded(
        self, job: Callable[[], Awaitable[object]], **log_fields: object
    ) -> Callable[[], Awaitable[None]]:
        """Track the job for a clean stop, and log (not raise) its errors; its log lines
        carry `log_fields` (e.g. the platform a drain sends to)."""

        async def run() -> None:
            if self._stopping:
                return
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                with log_context.bound(**log_fields):
                    await job()
            except Exception:
                log.exception("scheduled job failed; it runs again at its next interval")
            finally:
                if task is not None:
                    self._running.discard(task)

        run.__name__ = getattr(job, "__name__", "job")
        return run

    async def stop(self) -> None:
        self._stopping = True
        with contextlib.suppress(Exception):
            self.scheduler.pause()
        for sender in self.senders.values():
            sender.stop()
        # Jobs already handed to the loop start now, see `_stopping` and return, rather than be
        # cancelled by the shutdown below (which APScheduler would log as a failed job).
        await asyncio.sleep(0)
        if self._running:
            await asyncio.wait(set(self._running), timeout=STOP_GRACE_SECONDS)
        with contextlib.suppress(Exception):
            self.scheduler.shutdown(wait=False)


def start_scheduler(container: Container, *, console: bool | Console) -> SchedulerService:
    """Start the periodic jobs; with `console`, pushes to console runners print here (a
    `Console`: only its own runner's and club channel's, where its buttons can be pressed)."""
    if console:
        messenger = console.messenger() if isinstance(console, Console) else None
        registered_messengers(container).setdefault(
            "console", messenger or console_messenger(container)
        )
    service = SchedulerService(container)
    service.start()
    return service
