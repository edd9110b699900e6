"""Drains one platform's outbox through its `Messenger`, politely and durably.

One round: mark expired rows stale, claim a batch under a short lease (short transaction), send
concurrently under the platform's rate limits with no transaction open while a heartbeat renews
the lease, and record outcomes in small groups (short transactions, fenced by the claim's
token) so that a crash repeats at most a handful of sends. Failures
follow their `DeliveryError` kind: retry-after and transient errors are retried with exponential
backoff and jitter, blocked recipients are marked unreachable, permanent errors and exhausted
retries become dead letters with the reason kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from core.clock import Clock
from core.delivery import DeliveryError, Messenger, keyed_send
from core.observe import NULL_OBSERVER, Observer
from core.schedule import outbox
from core.schedule.outbox import Claimed, Failure
from core.schedule.ratelimit import (
    Monotonic,
    RateLimiter,
    RateLimits,
    SharesBudget,
    Sleep,
    limits_for,
)
from core.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: base · factor^(attempt-1), capped, times U(0.5, 1)."""

    base: float = 10.0
    factor: float = 2.0
    cap: float = 3600.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        raw = min(self.cap, self.base * self.factor ** max(0, attempt - 1))
        return raw * rng.uniform(0.5, 1.0)


@dataclass
class DrainReport:
    """What one drain did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    blocked: int = 0
    stale: int = 0
    cancelled: int = 0
    released: int = 0

    def add(self, other: DrainReport) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class _Outcomes:
    sent: list[int] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    blocked: list[tuple[Claimed, str]] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    deferred: list[tuple[int, datetime]] = field(default_factory=list)

    def __len__(self) -> int:
        return (len(self.sent) + len(self.failed) + len(self.blocked) + len(self.released)
                + len(self.deferred))

    def take(self) -> _Outcomes:
        """The outcomes gathered so far; this one starts empty again."""
        taken = _Outcomes(self.sent[:], self.failed[:], self.blocked[:], self.released[:],
                          self.deferred[:])
        for outcomes in (self.sent, self.failed, self.blocked, self.released, self.deferred):
            outcomes.clear()
        return taken


@dataclass
class _Batch:
    """One claimed batch: its token and how long its lease is known to hold (monotonic)."""

    token: str
    lease_until: float
    renewed_at: float
    renewing: asyncio.Lock = field(default_factory=asyncio.Lock)
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Sender:
    """Sends one platform's due outbox rows through a messenger.

    Leases are short (`lease`, 30 s by default) and renewed every `lease / 3` while the batch
    is being sent: by a heartbeat task and before each send. A send starts only while at least
    `lease / 3` of the lease remains, a rate-limit wait never runs past that point (the row is
    released instead), and outcomes are recorded under the claim's token, so a row another
    worker took over after a lost lease is never recorded twice. A killed worker's rows are
    claimable again once its lease runs out.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        messenger: Messenger,
        clock: Clock,
        *,
        worker: str,
        limits: RateLimits | None = None,
        max_attempts: int = 8,
        batch_size: int = 200,
        concurrency: int = 16,
        lease: timedelta = timedelta(seconds=30),
        record_every: int = 20,
        backoff: Backoff | None = None,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        chats: Collection[str] | None = None,
        observer: Observer = NULL_OBSERVER,
    ) -> None:
        self.uow = uow
        self.messenger = messenger
        self._deliver = keyed_send(messenger)
        self.platform = messenger.platform
        self.clock = clock
        self.worker = worker
        self.max_attempts = max_attempts
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.lease = lease
        self.record_every = record_every
        self.backoff = backoff or Backoff()
        # The platform's budget: the messenger's when replies spend it too, else our own.
        self.limiter = (
            messenger.budget if limits is None and isinstance(messenger, SharesBudget)
            else RateLimiter(limits if limits is not None else limits_for(self.platform),
                             monotonic=monotonic, sleep=sleep)
        )
        self._monotonic = monotonic
        self._rng = rng or random.Random()
        self.observer = observer
        self._stopping = False
        self._record_lock = asyncio.Lock()
        self.chats = chats  # only these chats' rows (a console's own), else every chat

    @property
    def renew_every(self) -> float:
        """Seconds between lease renewals; also the least lease left to start a send."""
        return self.lease.total_seconds() / 3

    def stop(self) -> None:
        """Finish the sends in flight, release the rest of the batch, claim nothing more."""
        self._stopping = True

    async def drain(self, *, max_batches: int | None = None) -> DrainReport:
        """Send batches until nothing is ready (or `max_batches`)."""
        total = DrainReport()
        batches = 0
        while not self._stopping and (max_batches is None or batches < max_batches):
            report = await self.drain_once()
            total.add(report)
            batches += 1
            if report.claimed == 0:
                break
        return total

    async def drain_once(self) -> DrainReport:
        """One batch: expire, claim, send (renewing the lease), record."""
        report = DrainReport()
        if self._stopping:
            return report
        started = self._monotonic()
        now = self.clock.now()
        async with self.uow() as uow:
            report.stale = await outbox.expire_stale(uow, self.platform, now)
            claimed = await outbox.claim(
                uow, self.platform, self.worker, now, limit=self.batch_size, lease=self.lease,
                chats=self.chats,
            )
            report.claimed = len(claimed)
            batch = await outbox.cancel_obsolete(uow, claimed)
            report.cancelled = len(claimed) - len(batch)
        if report.stale:
            log.info("%s outbox: %d stale messages dropped", self.platform, report.stale)
        if not batch:
            return report
        lease = _Batch(batch[0].token, started + self.lease.total_seconds(), started)
        pending = _Outcomes()
        # One message at a time per chat, in claim order; chats seen once need no lock.
        repeated = {chat for chat, n in Counter(c.chat_id for c in batch).items() if n > 1}
        chat_locks = {chat: asyncio.Lock() for chat in repeated}
        queue = iter(batch)  # shared by the workers: each item is taken once

        async def worker() -> None:
            for item in queue:
                lock = chat_locks.get(item.chat_id)
                if lock is None:
                    await self._send(item, lease, pending)
                else:
                    async with lock:
                        await self._send(item, lease, pending)
                if len(pending) >= self.record_every:
                    await self._record(pending, lease, report)

        heartbeat = asyncio.create_task(self._heartbeat(lease))
        try:
            await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(batch)))))
        finally:
            lease.done.set()
            await heartbeat
            await self._record(pending, lease, report)
        return report

    # --- the lease -----------------------------------------------------------------------

    async def _heartbeat(self, lease: _Batch) -> None:
        """Renew the lease every `renew_every` seconds (real time) until the batch is done."""
        while not lease.done.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.renew_every):
                    await lease.done.wait()
            if not lease.done.is_set():
                await self._renew(lease)

    async def _renew_if_due(self, lease: _Batch) -> None:
        if self._monotonic() - lease.renewed_at >= self.renew_every:
            await self._renew(lease)

    async def _renew(self, lease: _Batch) -> None:
        async with lease.renewing:
            started = self._monotonic()
            if started - lease.renewed_at < self.renew_every / 2:
                return  # renewed meanwhile
            try:
                async with self.uow() as uow:
                    held = await outbox.renew(uow, lease.token, self.clock.now(), self.lease)
            except Exception:  # the old deadline stands; sends stop before it
                log.exception("%s outbox: renewing the lease failed", self.platform)
                return
            lease.renewed_at = started
            if held:
                lease.lease_until = started + self.lease.total_seconds()

    def _send_by(self, lease: _Batch) -> float:
        """The last moment a send (or a wait before one) may start under this lease."""
        return lease.lease_until - self.renew_every

    # --- sending ---------------------------------------------------------------------------

    async def _send(self, item: Claimed, lease: _Batch, out: _Outcomes) -> None:
        if not self._stopping:
            await self._renew_if_due(lease)
        # Re-checked after every wait: a 429 pause or a slow chat must not outlive the lease.
        admitted = not self._stopping and await self.limiter.acquire(
            item.chat_id, group=item.group, deadline=lambda: self._send_by(lease),
            abandon=lambda: self._stopping, step=1.0,
        )
        if self._stopping:
            out.released.append(item.id)
            return
        if not admitted or self._monotonic() > self._send_by(lease):
            # Not within this lease: ready again when the limits allow, not at once.
            wait = self.limiter.wait_time(item.chat_id, group=item.group)
            out.deferred.append((item.id, self.clock.now() + timedelta(seconds=wait)))
            return
        try:
            await self._deliver(item.key, item.chat_id, item.reply)
        except DeliveryError as err:
            self._failed(item, err, out)
        except Exception as err:  # a bug in an adapter must not stop the other sends
            log.exception("%s send of %s failed unexpectedly", self.platform, item.key)
            self._failed(item, DeliveryError("transient", f"{type(err).__name__}: {err}"), out)
        else:
            out.sent.append(item.id)
            self.observer.push_sent(self.platform, item.kind, "sent")

    def _failed(self, item: Claimed, err: DeliveryError, out: _Outcomes) -> None:
        attempt = item.attempts + 1
        if err.kind == "blocked":
            out.blocked.append((item, err.reason))
            self.observer.push_sent(self.platform, item.kind, "blocked")
            return
        if err.kind == "permanent" or attempt >= self.max_attempts:
            reason = (
                f"permanent: {err.reason}" if err.kind == "permanent"
                else f"gave up after {attempt} attempts: {err.kind}: {err.reason}"
            )
            out.failed.append(Failure(item.id, reason, None))
            self.observer.push_sent(self.platform, item.kind, "dead")
            return
        self.observer.push_sent(self.platform, item.kind, "retry")
        if err.kind == "retry_after" and err.retry_after is not None:
            delay = err.retry_after
            # A chat's 429 holds that chat; a global one holds every send of this platform.
            self.limiter.pause(delay, item.chat_id if err.scope == "chat" else None)
        else:
            delay = self.backoff.delay(attempt, self._rng)
        retry_at = self.clock.now() + timedelta(seconds=delay)
        out.failed.append(Failure(item.id, f"{err.kind}: {err.reason}", retry_at))

    async def _record(self, pending: _Outcomes, lease: _Batch, report: DrainReport) -> None:
        async with self._record_lock:
            if not len(pending):
                return
            # Take the outcomes gathered so far; sends finishing meanwhile start a new group.
            taken = pending.take()
            now = self.clock.now()
            async with self.uow() as uow:
                held = await outbox.mark_sent(uow, taken.sent, lease.token, now)
                await outbox.mark_failed(uow, taken.failed, lease.token)
                for item, reason in taken.blocked:
                    await outbox.mark_unreachable(uow, item, reason)
                await outbox.release(uow, taken.released, lease.token)
                await outbox.defer(uow, taken.deferred, lease.token)
        if held < len(taken.sent):
            log.warning(
                "%s outbox: %d sends finished after their lease was lost; another worker may "
                "send them again", self.platform, len(taken.sent) - held,
            )
        report.sent += len(taken.sent)
        report.retried += sum(1 for f in taken.failed if f.retry_at is not None)
        report.dead += sum(1 for f in taken.failed if f.retry_at is None)
        report.blocked += len(taken.blocked)
        report.released += len(taken.released) + len(taken.deferred)
        for item, reason in taken.blocked:
            log.info("%s chat %s blocked the bot (%s): pushes paused", self.platform,
                     item.chat_id, reason)
        for failure in taken.failed:
            if failure.retry_at is None:
                log.warning("%s outbox message %d dead: %s", self.platform, failure.id,
                            failure.reason)
