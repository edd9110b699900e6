"""End-to-end fixtures: Pacer's real Telegram adapter (real PTB) against the fake Bot API.

`tg` is a running adapter on a fresh SQLite database with a fake clock (Mon 2026-11-02 08:00
UTC). A test talks to it as runners do and reads what they would see:

    ann = tg.fake.user(1001, "Ann")
    [reply] = await tg.say(ann, "/help")
    assert "/done — log a run — or send your watch's GPX, FIT or TCX file" in (
        reply["text"].splitlines()
    )

`say` and `press` return the messages the bot sent for that one update; they wait for the
adapter to finish the update (an event, no sleeping). Retry waits are recorded in
`tg.sleeps` instead of slept.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update

from bot.config import Settings
from bot.telegram.retry import RetryPolicy
from bot.telegram.service import TelegramAdapter, TelegramOptions
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database
from core.storage.models import Identity, Runner
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.fakes.telegram_fixtures import fake_telegram as fake_telegram
from tests.e2e.fakes.telegram_fixtures import telegram_bot as telegram_bot
from tests.e2e.fakes.telegram_objects import FakeUser
from tests.e2e.fakes.telegram_server import FakeTelegram

Sent = dict[str, Any]
TIMEOUT = 10.0  # generous: a slow CI box, never a sleep


def telegram_settings(fake: FakeTelegram, **overrides: Any) -> Settings:
    """Settings pointing Pacer's Telegram adapter at `fake`."""
    values: dict[str, Any] = {
        "telegram_token": fake.token,
        "telegram_api_url": fake.base_url,
        "database_url": "sqlite+aiosqlite:///unused.db",
    }
    return Settings(**values | overrides)


class TelegramHarness:
    """A running adapter plus the helpers a transcript test needs."""

    def __init__(
        self,
        fake: FakeTelegram,
        db: Database,
        clock: FakeClock,
        *,
        settings: Settings | None = None,
        rate_limit: bool = False,
        reply_policy: RetryPolicy | None = None,
        read_timeout: float = 5.0,
    ) -> None:
        self.fake = fake
        self.clock = clock
        self.uow = UnitOfWorkFactory(db)
        self.pacer = Pacer(self.uow, clock)
        self.sleeps: list[float] = []
        self._handled: Counter[int] = Counter()
        self._changed = asyncio.Event()
        options = TelegramOptions(
            poll_timeout=5,
            read_timeout=read_timeout,
            rate_limit=rate_limit,
            reply_policy=reply_policy or RetryPolicy(),
            sleep=self._sleep,
            on_handled=self._observe,
        )
        self.adapter = TelegramAdapter(settings or telegram_settings(fake), self.pacer, options)

    async def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0)  # yield as a real sleep would, without the wait

    def _observe(self, update: Update) -> None:
        self._handled[update.update_id] += 1
        self._changed.set()

    async def start(self) -> None:
        assert await self.adapter.start()

    async def stop(self) -> None:
        await self.adapter.stop()

    async def handled(self, update_id: int, times: int = 1) -> None:
        """Wait until the adapter finished update `update_id` (`times` deliveries of it)."""
        async with asyncio.timeout(TIMEOUT):
            while self._handled[update_id] < times:
                self._changed.clear()
                await self._changed.wait()

    async def say(
        self,
        user: FakeUser,
        text: str,
        *,
        chat_id: int | None = None,
        update_id: int | None = None,
    ) -> list[Sent]:
        """`user` writes `text` (in group `chat_id`); the messages the bot sent for it."""
        since = len(self.fake.sent())
        update = self.fake.send_text(user, text, chat_id, update_id)
        await self.handled(update["update_id"])
        return self.fake.sent()[since:]

    async def press(self, user: FakeUser, message: Sent, label: str) -> list[Sent]:
        """`user` presses the button labelled `label` under `message`."""
        since = len(self.fake.sent())
        update = self.fake.click(user, message, button(message, label))
        await self.handled(update["update_id"])
        return self.fake.sent()[since:]

    async def redeliver(self, update: dict[str, Any]) -> list[Sent]:
        """Telegram delivers `update` once more; what the bot sent for it."""
        since = len(self.fake.sent())
        seen = self._handled[update["update_id"]]
        self.fake.redeliver(update)
        await self.handled(update["update_id"], seen + 1)
        return self.fake.sent()[since:]

    async def onboard(self, user: FakeUser, tz: str = "UTC") -> list[Sent]:
        """Set `user` up in one line (3 days a week, beginner)."""
        return await self.say(user, f"/start level=beginner days=3 time=07:00 tz={tz}")

    async def identity(self, user: FakeUser) -> Identity:
        """The stored Telegram identity of `user`."""
        async with self.uow(readonly=True) as uow:
            found = await uow.session.scalar(
                select(Identity).where(
                    Identity.platform == "telegram", Identity.external_id == str(user.id)
                )
            )
            assert found is not None, f"no runner for Telegram user {user.id}"
            uow.session.expunge(found)  # readable after the (read-only) unit of work ends
        return found

    async def runner(self, user: FakeUser) -> Runner:
        identity = await self.identity(user)
        async with self.uow(readonly=True) as uow:
            runner = await uow.session.get(Runner, identity.runner_id)
            assert runner is not None
            uow.session.expunge(runner)
        return runner


def button(message: Sent, label: str) -> str:
    """The callback_data of the button labelled `label` under `message`."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for key in row:
            if key["text"] == label:
                return str(key["callback_data"])
    raise AssertionError(f"no button {label!r} under {message.get('text')!r}: {labels(message)}")


def labels(message: Sent) -> list[str]:
    """The button labels under `message`, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [key["text"] for row in rows for key in row]


def text_of(messages: list[Sent]) -> str:
    """What the runner reads: the texts and captions, joined by blank lines."""
    return "\n\n".join(str(m.get("text") or m.get("caption") or "") for m in messages)


@pytest.fixture
async def tg(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> AsyncIterator[TelegramHarness]:
    """Pacer's Telegram adapter running (long polling) against the fake server."""
    harness = TelegramHarness(fake_telegram, sqlite_db, clock)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
