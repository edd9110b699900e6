"""One chatty group member does not stall everybody (real PTB, real flood limits).

Ann sends 40 /pace in a group. Telegram allows a bot 20 messages a minute in a group, so most
of her replies must wait; Bob's private /help must not wait with them. The assertion is about
order, not time: Bob is answered while the group has had at most the 20 messages its first
minute allows (before, Bob's turn came after Ann's 25th reply, 15 s of waiting later).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from core.clock import FakeClock
from core.messages import Reply
from core.storage.database import Database
from tests.e2e.conftest import TIMEOUT, TelegramHarness
from tests.e2e.fakes.telegram_server import FakeTelegram

pytestmark = pytest.mark.slow
CLUB = -100777
FLOOD = 40
GROUP_MINUTE = 20  # Telegram's messages per minute in one group


@pytest.fixture
async def limited(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> AsyncIterator[TelegramHarness]:
    """The adapter with Telegram's flood limits on, as in production."""
    harness = TelegramHarness(fake_telegram, sqlite_db, clock, rate_limit=True)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def test_a_flooded_group_does_not_hold_up_a_private_reply(limited: TelegramHarness) -> None:
    fake = limited.fake
    ann, bob = fake.user(1001, "Ann"), fake.user(1002, "Bob")
    fake.group(CLUB, "Morning Milers", owner=ann.id)

    for _ in range(FLOOD):
        fake.send_text(ann, "/pace 7:00", CLUB)
    fake.send_text(bob, "/help")

    [help_reply] = await fake.wait_for(chat_id=bob.id, timeout=TIMEOUT)
    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in help_reply["text"].splitlines()
    group_so_far = len(fake.sent(CLUB))
    assert group_so_far <= GROUP_MINUTE  # Bob did not wait for the group's limit

    # Ann's flood costs one update slot and a short queue: her extra /pace are dropped
    # rather than answered minutes late, and what is answered is answered in order.
    answered = await fake.wait_for(chat_id=CLUB, count=max(group_so_far, 1), timeout=TIMEOUT)
    assert all(m["text"].startswith("Mile in 7:00") for m in answered)
    assert len(fake.sent(CLUB)) <= 1 + 8  # the one handled, and the 8 that may wait


async def test_pushes_pass_one_limiter_only_the_outbox_s(limited: TelegramHarness) -> None:
    """The outbox sender already held each push to Telegram's limits (`core.schedule.ratelimit`)
    before it reaches the messenger; PTB's limiter lets it through instead of holding it again
    (before, the 21st push to a group waited 3 s there, the 25th 15 s)."""
    fake = limited.fake
    ann = fake.user(1001, "Ann")
    fake.group(CLUB, "Morning Milers", owner=ann.id)
    pushes = GROUP_MINUTE + 5

    async with asyncio.timeout(TIMEOUT):  # held twice, they would need 15 s
        for n in range(pushes):
            await limited.adapter.messenger.send(str(CLUB), Reply(f"Club news {n}"))

    assert [m["text"] for m in fake.sent(CLUB)] == [f"Club news {n}" for n in range(pushes)]
