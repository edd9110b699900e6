"""Webhook mode: the health routes are served on the webhook's own port, next to it."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from bot.bootstrap import Container
from bot.health import board_of, start_health
from bot.telegram.service import run_telegram
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.conftest import telegram_settings
from tests.e2e.fakes.telegram_server import FakeTelegram
from tests.e2e.test_telegram_service import free_port

pytestmark = pytest.mark.slow


async def test_healthz_readyz_and_metrics_answer_next_to_the_webhook(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    settings = telegram_settings(
        fake_telegram, telegram_mode="webhook", telegram_webhook_url=hook,
        telegram_webhook_port=port, health_listen="off",
    )
    uow = UnitOfWorkFactory(sqlite_db)
    container = Container(settings, sqlite_db, uow, clock, Pacer(uow, clock))
    assert await start_health(container, None, platforms=["telegram"]) is None  # off
    stop = asyncio.Event()
    service = asyncio.create_task(run_telegram(container, stop))
    try:
        await fake_telegram.wait_for_call("getWebhookInfo", timeout=10)
        assert fake_telegram.webhook["url"] == hook
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as response:
                assert (response.status, await response.json()) == (200, {"status": "ok"})
            async with http.get(f"{base}/readyz") as response:
                assert (response.status, await response.json()) == (200, {
                    "status": "ready", "failing": [],
                    "checks": {"database": "ok", "telegram": "ok"},
                })
            async with http.get(f"{base}/metrics") as response:
                assert response.status == 200
                assert "# TYPE pacer_updates_total counter" in await response.text()
            async with http.get(f"{base}/telegram/hook") as response:
                assert response.status == 405  # the webhook takes POSTs only

        ann = fake_telegram.user(1001, "Ann")
        assert await fake_telegram.push_webhook(fake_telegram.send_text(ann, "/pace 7:00")) == 200
        [reply] = await fake_telegram.wait_for(chat_id=ann.id, timeout=10)
        assert reply["text"].startswith("Mile in 7:00")
    finally:
        stop.set()
        await asyncio.wait_for(service, 10)
    assert board_of(container).platform_problems() == {"telegram": "not connected yet"}


async def test_the_webhook_refuses_what_telegram_would_not_send(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    settings = telegram_settings(
        fake_telegram, telegram_mode="webhook", telegram_webhook_url=hook,
        telegram_webhook_port=port, telegram_webhook_secret="s3cret-Token_1",
    )
    uow = UnitOfWorkFactory(sqlite_db)
    container = Container(settings, sqlite_db, uow, clock, Pacer(uow, clock))
    stop = asyncio.Event()
    service = asyncio.create_task(run_telegram(container, stop))
    secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
    try:
        await fake_telegram.wait_for_call("getWebhookInfo", timeout=10)
        async with aiohttp.ClientSession() as http:
            async with http.post(hook, data="update_id=1", headers=secret) as response:
                assert response.status == 403  # JSON only
            async with http.post(hook, json={"update_id": "x", "message": 5},
                                 headers=secret) as response:
                assert response.status == 400
            async with http.post(hook, data=b"{not json", headers={
                    **secret, "Content-Type": "application/json"}) as response:
                assert response.status == 400
    finally:
        stop.set()
        await asyncio.wait_for(service, 10)
    assert fake_telegram.sent() == []
