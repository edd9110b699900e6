"""Prometheus metrics: the core's `Observer` port, the scheduler's heartbeat and the database
gauges, in a registry of their own (`/metrics` shows Pacer's series and the process's).

Counters move as the bot works; the outbox and runner gauges are read from the database when
`/metrics` is scraped (`refresh`), so every worker reports the shared backlog.
"""

from __future__ import annotations

import time

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)

from core.clock import Clock
from core.observe import SendResult, UpdateOutcome
from core.storage.operations import outbox_backlog, runner_count
from core.storage.unit_of_work import UnitOfWorkFactory

# Chat replies take from a few milliseconds (a cached /today) to seconds (a chart, a slow
# database): buckets cover both ends.
REPLY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

# No `*_created` series next to each counter: Prometheus does not need them, they only double
# what is scraped.
disable_created_metrics()  # type: ignore[no-untyped-call]


class PacerMetrics:
    """Pacer's metrics; implements `core.observe.Observer`."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry = registry or CollectorRegistry()
        ProcessCollector(registry=registry)
        self.updates = Counter(
            "pacer_updates", "Chat updates handled, by platform, command and outcome "
            "(ok, refused, duplicate, error)", ("platform", "command", "outcome"),
            registry=registry,
        )
        self.reply_seconds = Histogram(
            "pacer_reply_seconds", "Time from an update reaching Pacer to its replies being "
            "ready, by platform", ("platform",), buckets=REPLY_BUCKETS, registry=registry,
        )
        self.sends = Counter(
            "pacer_sends", "Outbox send attempts, by platform, push kind and result "
            "(sent, retry, dead, blocked)", ("platform", "kind", "result"), registry=registry,
        )
        self.dead_letters = Counter(
            "pacer_dead_letters", "Pushes given up on (permanent error or retries exhausted)",
            ("platform",), registry=registry,
        )
        self.outbox_pending = Gauge(
            "pacer_outbox_pending", "Pushes waiting in the outbox, by platform", ("platform",),
            registry=registry,
        )
        self.outbox_oldest_due = Gauge(
            "pacer_outbox_oldest_due_seconds", "How long the oldest due pending push has "
            "waited (0 when none is due)", ("platform",), registry=registry,
        )
        self.last_tick = Gauge(
            "pacer_scheduler_last_tick_timestamp_seconds", "Unix time of the scheduler's last "
            "completed tick (0 before the first)", registry=registry,
        )
        self.runners = Gauge("pacer_runners", "Runners in the database", registry=registry)
        self._known_platforms: set[str] = set()

    # --- core.observe.Observer ----------------------------------------------------------------

    def update_handled(
        self, platform: str, command: str, outcome: UpdateOutcome, seconds: float
    ) -> None:
        self.updates.labels(platform, command, outcome).inc()
        self.reply_seconds.labels(platform).observe(seconds)

    def push_sent(self, platform: str, kind: str, result: SendResult) -> None:
        self.sends.labels(platform, kind, result).inc()
        if result == "dead":
            self.dead_letters.labels(platform).inc()

    # --- the rest -----------------------------------------------------------------------------

    def ticked(self, at: float | None = None) -> None:
        """The scheduler finished a tick (at Unix time `at`, default now)."""
        self.last_tick.set(time.time() if at is None else at)

    def platform_up(self, platform: str) -> None:
        """Show the platform's series at 0 before its first event (rates need a start)."""
        self.dead_letters.labels(platform)
        self.outbox_pending.labels(platform).set(0)
        self.outbox_oldest_due.labels(platform).set(0)
        self._known_platforms.add(platform)

    async def refresh(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        """Read the outbox backlog and the runner count from the database."""
        async with uow(readonly=True) as work:
            backlog = await outbox_backlog(work, clock.now())
            runners = await runner_count(work)
        seen = set()
        for row in backlog:
            self.outbox_pending.labels(row.platform).set(row.pending)
            self.outbox_oldest_due.labels(row.platform).set(row.oldest_due_seconds)
            seen.add(row.platform)
        for platform in self._known_platforms - seen:
            self.outbox_pending.labels(platform).set(0)
            self.outbox_oldest_due.labels(platform).set(0)
        self._known_platforms |= seen
        self.runners.set(runners)

    def exposition(self) -> bytes:
        """The Prometheus text format of every series."""
        return generate_latest(self.registry)
