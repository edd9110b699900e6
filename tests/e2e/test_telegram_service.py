"""The Telegram service as `pacer run` starts it: polling, webhooks, and pushes."""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.telegram.service import run_telegram
from core.app import Pacer
from core.clock import FakeClock
from core.delivery import DeliveryError
from core.messages import Reply
from core.schedule import outbox
from core.schedule.pushes import session_push
from core.schedule.ratelimit import UNLIMITED
from core.schedule.sender import Sender
from core.storage.database import Database
from core.storage.models import OutboxMessage, RunLog
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.conftest import TelegramHarness, labels, telegram_settings
from tests.e2e.fakes.telegram_server import FakeTelegram, post_update_to


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def container_for(
    fake: FakeTelegram, db: Database, clock: FakeClock, **settings: object
) -> Container:
    uow = UnitOfWorkFactory(db)
    return Container(telegram_settings(fake, **settings), db, uow, clock, Pacer(uow, clock))


async def test_run_telegram_serves_until_stopped(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> None:
    container = container_for(fake_telegram, sqlite_db, clock)
    stop = asyncio.Event()
    service = asyncio.create_task(run_telegram(container, stop))
    ann = fake_telegram.user(1001, "Ann")

    fake_telegram.send_text(ann, "/help")
    [reply] = await fake_telegram.wait_for(chat_id=ann.id)
    messengers = container.extras["messengers"]
    assert isinstance(messengers, dict) and messengers["telegram"].platform == "telegram"
    stop.set()
    await asyncio.wait_for(service, 5)

    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in reply["text"].splitlines()
    assert "telegram" not in messengers  # no pushes through a stopped bot
    assert fake_telegram.pending_updates == 0  # what was handled is confirmed
    assert fake_telegram.world.allowed_updates == {"message", "callback_query"}
    assert fake_telegram.my_commands({"type": "all_group_chats"}) is not None


async def test_a_rejected_token_stops_pacer_with_one_clear_line(
    fake_telegram: FakeTelegram,
    sqlite_db: Database,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    container = container_for(
        fake_telegram, sqlite_db, clock, telegram_token="999999:wrong-token-abcdefghijklmnop"
    )

    stop = asyncio.Event()

    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(run_telegram(container, stop), 5)

    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    status = container.extras["platforms"]["telegram"]  # type: ignore[index]
    assert status.state == "failed"
    assert status.reason.startswith("PACER_TELEGRAM_TOKEN was rejected by 127.0.0.1:")
    assert line == f"telegram: {status.reason}; Telegram is off (pushes wait in the outbox)"
    assert "wrong-token" not in caplog.text  # a token never reaches the logs
    assert container.extras["messengers"] == {}


async def test_webhook_mode_checks_the_secret_token(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = telegram_settings(
        fake_telegram,
        telegram_mode="webhook",
        telegram_webhook_url=url,
        telegram_webhook_port=port,
        telegram_webhook_secret="s3cret-Token_1",
    )
    tg = TelegramHarness(fake_telegram, sqlite_db, clock, settings=settings)
    await tg.start()
    try:
        ann = tg.fake.user(1001, "Ann")
        assert fake_telegram.webhook["url"] == url
        assert fake_telegram.webhook["secret_token"] == "s3cret-Token_1"

        update = fake_telegram.send_text(ann, "/help")
        assert await fake_telegram.push_webhook(update) == 200
        await tg.handled(update["update_id"])
        forged = fake_telegram.send_text(ann, "/deleteme")
        assert await post_update_to(url, forged, "guessed") == 403
        assert await post_update_to(url, forged) == 403
        after = fake_telegram.send_text(ann, "/pace 7:00")
        assert await fake_telegram.push_webhook(after) == 200
        await tg.handled(after["update_id"])  # the forged ones were never handled before it
    finally:
        await tg.stop()

    texts = [m["text"] for m in fake_telegram.sent(ann.id)]
    assert len(texts) == 2
    assert "/done — log a run — or send your watch's GPX, FIT or TCX file" in texts[0].splitlines()
    assert texts[1].startswith("Mile in 7:00")


async def test_a_push_from_the_outbox_carries_buttons_that_log(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    tg.clock.set(datetime(2026, 11, 2, 6, 30, tzinfo=UTC))  # before the 07:00 reminder
    await tg.onboard(ann)
    runner = await tg.runner(ann)
    push = session_push("Ann", date(2026, 11, 2), time(7), "<b>Easy run</b> · 30 min",
                        requires_run=True)
    now = tg.clock.now()
    async with tg.uow() as uow:
        await outbox.enqueue(uow, [outbox.outbox_row(
            key=f"session:{runner.id}:2026-11-02", kind="session", platform="telegram",
            chat_id=str(ann.id), payload=outbox.reply_to_payload(push), now=now, due_at=now,
            expires_at=now + timedelta(hours=12), runner_id=runner.id,
        )])
    sender = Sender(tg.uow, tg.adapter.messenger, tg.clock, worker="test", limits=UNLIMITED)

    report = await sender.drain()
    [message] = tg.fake.sent(ann.id)[-1:]
    _, logged = await tg.press(ann, message, "Done ✓")

    assert report.sent == 1
    assert message["text"].startswith("Good morning, Ann!")
    assert "Easy run · 30 min" in message["text"].splitlines()
    assert labels(message) == ["Done ✓", "Skip"]
    assert (
        "✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 26 min"
    ) in logged["text"].splitlines()
    async with tg.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(RunLog)) == 1
        row = await uow.session.scalar(select(OutboxMessage))
        assert row is not None and row.status == "sent"


async def test_the_messenger_classifies_telegram_errors(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    messenger = tg.adapter.messenger

    async def failure() -> DeliveryError:
        with pytest.raises(DeliveryError) as raised:
            await messenger.send(str(ann.id), Reply("Good morning"))
        return raised.value

    tg.fake.fail_next("sendMessage", status=429, retry_after=60)
    flood = await failure()
    tg.fake.fail_next("sendMessage", status=502, times=2)
    outage = await failure()
    tg.fake.block(ann.id)
    blocked = await failure()
    tg.fake.unblock(ann.id)
    with pytest.raises(DeliveryError) as unknown_chat:
        await messenger.send("4242", Reply("hello?"))
    await messenger.send(str(ann.id), Reply("Good <b>morning</b>"))

    assert (flood.kind, flood.retry_after) == ("retry_after", 60.0)  # for the outbox to wait
    assert outage.kind == "transient"  # after the messenger's own quick second try
    assert blocked.kind == "blocked"
    assert unknown_chat.value.kind == "permanent"
    assert [m["text"] for m in tg.fake.sent(ann.id)] == ["Good morning"]
    assert [c.status for c in tg.fake.calls_to("sendMessage")] == [
        429, 502, 502, 403, 400, 200
    ]
