"""Metrics move as the bot works: updates by command and outcome, sends by kind and result,
the outbox backlog and the runner count read from the database (both backends)."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.metrics import PacerMetrics
from core.clock import FakeClock
from core.delivery import DeliveryError, RecordingMessenger
from core.schedule import outbox
from core.schedule.sender import Sender
from core.storage.database import Database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.support.testbot import TestBot


def sample(metrics: PacerMetrics, name: str, **labels: str) -> float | None:
    for line in metrics.exposition().decode().splitlines():
        if line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        series, _, rest = head.partition("{")
        if series == name and dict(re.findall(r'(\w+)="([^"]*)"', rest)) == labels:
            return float(value)
    return None


async def test_updates_are_counted_by_command_and_outcome(database: Database, clock: FakeClock
                                                          ) -> None:
    bot = TestBot(database, clock)
    metrics = PacerMetrics()
    bot.pacer.observer = metrics

    await bot.say("/done 5k 28:30")  # not set up yet: pointed to /start
    await bot.say("/start level=beginner days=mon,wed,sat tz=UTC units=km")
    await bot.say("/done 5k 28:30")
    await bot.say("/done 99 bananas")  # refused, nothing stored
    await bot.say("/frobnicate")
    await bot.say("hello there")
    await bot.say("/log 3k", update_id="u-1")
    await bot.say("/log 3k", update_id="u-1")  # a re-delivery

    def updates(command: str, outcome: str) -> float | None:
        return sample(metrics, "pacer_updates_total", platform="console", command=command,
                      outcome=outcome)

    assert updates("done", "ok") == 3.0  # the pointer to /start, the log, and /log 3k
    assert updates("done", "refused") == 1.0
    assert updates("done", "duplicate") == 1.0
    assert updates("start", "ok") == 1.0
    assert updates("unknown", "refused") == 1.0
    assert updates("text", "ok") == 1.0
    assert sample(metrics, "pacer_reply_seconds_count", platform="console") == 8.0

    await metrics.refresh(bot.uow, clock)
    assert sample(metrics, "pacer_runners") == 1.0


async def test_sends_dead_letters_and_the_backlog(database: Database, clock: FakeClock) -> None:
    uow = UnitOfWorkFactory(database)
    now = clock.now()
    rows = [
        outbox.outbox_row(key=f"nudge:{i}", kind="nudge", platform="telegram", chat_id=f"c{i}",
                          payload={"text": "Time to run"}, now=now - timedelta(minutes=10),
                          due_at=now - timedelta(minutes=10 - i),
                          expires_at=now + timedelta(hours=6))
        for i in range(3)
    ]
    async with uow() as u:
        await outbox.enqueue(u, rows)
    metrics = PacerMetrics()
    metrics.platform_up("telegram")
    await metrics.refresh(uow, clock)
    assert sample(metrics, "pacer_outbox_pending", platform="telegram") == 3.0
    assert sample(metrics, "pacer_outbox_oldest_due_seconds", platform="telegram") == 600.0
    assert sample(metrics, "pacer_dead_letters_total", platform="telegram") == 0.0

    messenger = RecordingMessenger("telegram", [
        None, DeliveryError("permanent", "chat not found"), DeliveryError("transient", "502"),
    ])
    sender = Sender(uow, messenger, clock, worker="w", concurrency=1, observer=metrics)
    await sender.drain_once()

    def sends(result: str) -> float | None:
        return sample(metrics, "pacer_sends_total", platform="telegram", kind="nudge",
                      result=result)

    assert (sends("sent"), sends("dead"), sends("retry"), sends("blocked")) == (
        1.0, 1.0, 1.0, None)
    assert sample(metrics, "pacer_dead_letters_total", platform="telegram") == 1.0
    await metrics.refresh(uow, clock)
    assert sample(metrics, "pacer_outbox_pending", platform="telegram") == 1.0  # the retry
    assert sample(metrics, "pacer_outbox_oldest_due_seconds", platform="telegram") == 0.0


def test_the_scheduler_heartbeat_is_a_unix_timestamp() -> None:
    metrics = PacerMetrics()
    assert sample(metrics, "pacer_scheduler_last_tick_timestamp_seconds") == 0.0
    metrics.ticked(1_796_000_000.0)
    assert sample(metrics, "pacer_scheduler_last_tick_timestamp_seconds") == 1_796_000_000.0
