"""Leases on both backends: a send never outlives its lease, a 429 pauses what it should, a
live worker keeps its lease, and outcomes are recorded only under the claim that holds a row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.clock import FakeClock
from core.delivery import DeliveryError, RecordingMessenger
from core.schedule import outbox
from core.schedule.ratelimit import TELEGRAM_LIMITS, UNLIMITED, RateLimits
from core.schedule.sender import Sender
from core.storage.database import Database
from core.storage.models import OutboxMessage
from core.storage.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 11, 2, 7, 0, 30, tzinfo=UTC)
LEASE = timedelta(seconds=30)


async def queue(uow: UnitOfWorkFactory, *chats: str) -> None:
    async with uow() as u:
        await outbox.enqueue(u, [
            outbox.outbox_row(
                key=f"session:{chat}:2026-11-02", kind="session", platform="telegram",
                chat_id=chat, payload={"text": f"Good morning {chat}"}, now=NOW, due_at=NOW,
                expires_at=NOW + timedelta(hours=6),
            )
            for chat in chats
        ])


async def rows(uow: UnitOfWorkFactory) -> dict[str, tuple[str, str | None]]:
    async with uow(readonly=True) as u:
        found = await u.session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.status, OutboxMessage.claimed_by))
        return {chat: (status, by) for chat, status, by in found}


class Worker:
    """A sender on the shared fake clock whose waits let time (and other workers) move on."""

    def __init__(self, uow: UnitOfWorkFactory, clock: FakeClock, name: str,
                 failures: list[DeliveryError | None] | None = None,
                 messenger: RecordingMessenger | None = None,
                 limits: RateLimits = UNLIMITED) -> None:
        self.clock = clock
        self.messenger = messenger or RecordingMessenger("telegram", failures)
        self.waited: list[float] = []
        self.while_waiting: Callable[[], Awaitable[object]] | None = None
        self.sender = Sender(
            uow, self.messenger, clock, worker=name, limits=limits, concurrency=1,
            lease=LEASE, monotonic=lambda: clock.now().timestamp(), sleep=self.wait,
        )

    async def wait(self, seconds: float) -> None:
        self.waited.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))
        if self.while_waiting is not None:
            other, self.while_waiting = self.while_waiting, None
            await other()


async def test_a_global_429_longer_than_the_lease_releases_instead_of_sending_late(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database)
    await queue(uow, "c2", "c1")  # c2 first: its 429 comes before c1's turn
    clock = FakeClock(NOW)
    a = Worker(uow, clock, "worker-a",
               [DeliveryError("retry_after", "Too Many Requests", retry_after=60)])
    b = Worker(UnitOfWorkFactory(database), clock, "worker-b")
    a.while_waiting = lambda: b.sender.drain_once()  # b claims whatever a's lease let go

    report = await a.sender.drain_once()
    clock.advance(timedelta(seconds=61))
    await b.sender.drain_once()  # c2's retry, after its 429

    sent = Counter(d.key for w in (a, b) for d in w.messenger.sent)
    assert sent == {"session:c1:2026-11-02": 1, "session:c2:2026-11-02": 1}
    assert (report.retried, report.released, report.sent) == (1, 1, 0)
    assert a.waited == []  # a never waited into a pause it could not outlive
    assert await rows(uow) == {"c1": ("sent", "worker-b"), "c2": ("sent", "worker-b")}


async def test_a_chats_429_pauses_that_chat_only(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    await queue(uow, "c2", "c1", "c3")
    clock = FakeClock(NOW)
    a = Worker(uow, clock, "worker-a", [
        DeliveryError("retry_after", "Too Many Requests: retry after 8", retry_after=8,
                      scope="chat"),
    ])

    report = await a.sender.drain_once()

    assert [d.chat_id for d in a.messenger.sent] == ["c1", "c3"]
    assert a.waited == []  # the other chats went out at once
    assert (report.sent, report.retried) == (2, 1)
    assert await rows(uow) == {"c1": ("sent", "worker-a"), "c2": ("pending", "worker-a"),
                               "c3": ("sent", "worker-a")}


async def test_a_global_429_holds_every_chat_within_the_lease(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    await queue(uow, "c2", "c1")
    clock = FakeClock(NOW)
    a = Worker(uow, clock, "worker-a",
               [DeliveryError("retry_after", "Too Many Requests", retry_after=3)])

    report = await a.sender.drain_once()

    assert [d.chat_id for d in a.messenger.sent] == ["c1"]
    assert sum(a.waited) == 3.0  # c1 waited out the pause, well inside the lease
    assert (report.sent, report.retried) == (1, 1)


async def test_a_live_worker_renews_its_lease_so_nobody_takes_its_rows(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database)
    chats = [f"c{i}" for i in range(6)]
    await queue(uow, *chats)
    clock = FakeClock(NOW)
    b = Worker(UnitOfWorkFactory(database), clock, "worker-b")

    class Slow(RecordingMessenger):
        """Each send takes 12 s; halfway through the batch, worker b tries to claim."""

        async def send_keyed(self, key: str, chat_id: str, reply: object) -> None:
            clock.advance(timedelta(seconds=12))
            if chat_id == "c3":
                await b.sender.drain_once()
            await super().send_keyed(key, chat_id, reply)  # type: ignore[arg-type]

    a = Worker(uow, clock, "worker-a", messenger=Slow("telegram"))

    report = await a.sender.drain_once()

    assert report.sent == 6  # 72 s of sending under a 30 s lease, renewed as it went
    assert b.messenger.sent == []
    assert {status for status, _ in (await rows(uow)).values()} == {"sent"}


async def test_a_stopped_sender_releases_the_rest_of_its_batch(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    await queue(uow, "c1", "c2", "c3")
    clock = FakeClock(NOW)

    class StopsAfterFirst(RecordingMessenger):
        async def send_keyed(self, key: str, chat_id: str, reply: object) -> None:
            await super().send_keyed(key, chat_id, reply)  # type: ignore[arg-type]
            a.sender.stop()  # SIGTERM arrives while this send is in flight

    a = Worker(uow, clock, "worker-a", messenger=StopsAfterFirst("telegram"))

    report = await a.sender.drain_once()

    assert (report.sent, report.released) == (1, 2)
    async with uow(readonly=True) as u:
        found = await u.session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.status, OutboxMessage.claimed_until))
        assert {c: (s, until) for c, s, until in found} == {
            "c1": ("sent", None), "c2": ("pending", None), "c3": ("pending", None)}


async def test_a_wait_longer_than_the_lease_defers_the_push_instead_of_reclaiming_it(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database)
    async with uow() as u:  # 21 club posts for one group: Telegram takes 20 a minute there
        await outbox.enqueue(u, [
            outbox.outbox_row(
                key=f"post:{i}", kind="weekly", platform="telegram", chat_id="-100",
                payload={"text": f"post {i}", "group": True}, now=NOW, due_at=NOW,
                expires_at=NOW + timedelta(hours=6),
            )
            for i in range(21)
        ])
    clock = FakeClock(NOW)
    a = Worker(uow, clock, "worker-a", limits=TELEGRAM_LIMITS)

    report = await a.sender.drain()

    assert len(a.messenger.sent) == 20  # one a second, the lease renewed as it went
    assert (report.claimed, report.released) == (21, 1)  # claimed once: no spinning
    async with uow(readonly=True) as u:
        row = (await u.session.execute(
            select(OutboxMessage.status, OutboxMessage.next_attempt_at,
                   OutboxMessage.claimed_until).where(OutboxMessage.key == "post:20"))).one()
    assert tuple(row) == ("pending", NOW + timedelta(seconds=60), None)
