"""Two workers on one PostgreSQL database: disjoint claims, every message sent once.

Each worker has its own engine and connection pool, as separate processes would. Skipped
without PACER_TEST_DATABASE_URL.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.clock import FakeClock
from core.delivery import RecordingMessenger
from core.messages import Reply
from core.schedule import outbox
from core.schedule.ratelimit import UNLIMITED
from core.schedule.sender import Sender
from core.schedule.tick import Ticker
from core.storage.database import Database, create_database
from core.storage.models import OutboxMessage
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.support.databases import fresh_postgres, postgres_url_or_skip
from tests.support.seeding import seed_due_runners

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 2, 7, 0, 30, tzinfo=UTC)
MESSAGES = 2_000


class YieldingMessenger(RecordingMessenger):
    """Gives the other worker a chance between sends, like a network round trip would."""

    async def send_keyed(self, key: str, chat_id: str, reply: Reply) -> None:
        await asyncio.sleep(0)
        await super().send_keyed(key, chat_id, reply)


@pytest.fixture
async def pg() -> AsyncIterator[tuple[Database, Database]]:
    url = postgres_url_or_skip()
    first = await fresh_postgres(url)
    second = create_database(url)
    yield first, second
    await first.dispose()
    await second.dispose()


async def test_two_drainers_send_each_message_once(pg: tuple[Database, Database]) -> None:
    one, two = (UnitOfWorkFactory(db) for db in pg)
    async with one() as uow:
        await outbox.enqueue(uow, [
            outbox.outbox_row(
                key=f"session:{i}:2026-11-02", kind="session", platform="telegram",
                chat_id=str(i), payload={"text": f"hello {i}"}, now=NOW, due_at=NOW,
                expires_at=NOW + timedelta(hours=6),
            )
            for i in range(MESSAGES)
        ])
    clock = FakeClock(NOW)
    messengers = [YieldingMessenger("telegram"), YieldingMessenger("telegram")]
    senders = [
        Sender(uow, m, clock, worker=f"worker-{n}", limits=UNLIMITED, batch_size=50,
               concurrency=8, record_every=25)
        for n, (uow, m) in enumerate(zip((one, two), messengers, strict=True))
    ]
    reports = await asyncio.gather(*(s.drain() for s in senders))

    sent = Counter(d.key for m in messengers for d in m.sent)
    assert len(sent) == MESSAGES
    assert max(sent.values()) == 1  # no message went out twice
    assert all(m.sent for m in messengers)  # both workers really took part
    assert sum(r.sent for r in reports) == MESSAGES
    async with one(readonly=True) as uow:
        counts = dict((await uow.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all())
        workers = dict((await uow.session.execute(
            select(OutboxMessage.claimed_by, func.count()).group_by(OutboxMessage.claimed_by)
        )).all())
    assert counts == {"sent": MESSAGES}
    assert workers.keys() == {"worker-0", "worker-1"}


async def test_two_tickers_write_each_push_once(pg: tuple[Database, Database]) -> None:
    joined = NOW - timedelta(days=1)
    await seed_due_runners(pg[0], MESSAGES, date(2026, 11, 2), joined, platform="telegram")
    clock = FakeClock(NOW)
    tickers = [Ticker(UnitOfWorkFactory(db), clock, chunk_size=250) for db in pg]
    reports = await asyncio.gather(*(t.run() for t in tickers))
    assert sum(r.queued["session"] for r in reports) == MESSAGES
    async with UnitOfWorkFactory(pg[0])(readonly=True) as uow:
        total = await uow.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert total == MESSAGES
