"""Pytest fixtures for tests against the fake Telegram server (import them from a conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from .telegram_ptb import ptb_bot
from .telegram_server import FakeTelegram


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A started FakeTelegram, stopped after the test even if it fails."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def telegram_bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    """An initialized bare PTB Bot talking to `fake_telegram`, for direct API calls."""
    async with ptb_bot(fake_telegram) as bot:
        yield bot
