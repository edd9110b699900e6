"""python-telegram-bot wiring for the fake Telegram server (no pytest needed: bench uses it)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any, TypeAlias

from telegram import Bot
from telegram.ext import Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from .telegram_server import FakeTelegram

AnyApplication: TypeAlias = Application[Any, Any, Any, Any, Any, Any]
AnyBuilder: TypeAlias = ApplicationBuilder[Any, Any, Any, Any, Any, Any]

# Local HTTP answers in milliseconds; a short timeout turns a hung fake into a quick failure.
REQUEST_TIMEOUT = 5.0


def ptb_builder(fake: FakeTelegram) -> AnyBuilder:
    """An ApplicationBuilder pointed at `fake` (token, API and file URLs, short timeouts)."""
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .connect_timeout(REQUEST_TIMEOUT)
        .read_timeout(REQUEST_TIMEOUT)
        .write_timeout(REQUEST_TIMEOUT)
        .get_updates_connect_timeout(REQUEST_TIMEOUT)
        .get_updates_read_timeout(REQUEST_TIMEOUT)
    )


def ptb_bot(fake: FakeTelegram, *, read_timeout: float = REQUEST_TIMEOUT) -> Bot:
    """A bare Bot talking to `fake`; use it as `async with ptb_bot(fake) as bot:`."""
    return Bot(
        fake.token,
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=REQUEST_TIMEOUT),
    )


@contextlib.asynccontextmanager
async def running_polling(
    app: AnyApplication,
    *,
    poll_timeout: int = 1,
    allowed_updates: Sequence[str] | None = None,
) -> AsyncIterator[AnyApplication]:
    """Run `app` with long polling (not run_polling) and always shut it down afterwards.

    `poll_timeout` is getUpdates' long-poll timeout in seconds; stopping cancels the poll.
    """
    async with contextlib.AsyncExitStack() as stack:
        await app.initialize()
        stack.push_async_callback(app.shutdown)
        await app.start()
        stack.push_async_callback(_stop_if_running, app)
        if app.updater is None:
            raise RuntimeError("the Application was built without an Updater")
        await app.updater.start_polling(
            poll_interval=0, timeout=poll_timeout, allowed_updates=allowed_updates
        )
        stack.push_async_callback(_stop_updater_if_running, app)
        yield app


async def _stop_if_running(app: AnyApplication) -> None:
    if app.running:
        await app.stop()


async def _stop_updater_if_running(app: AnyApplication) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
