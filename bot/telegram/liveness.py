"""Is Pacer hearing from Telegram? Readiness for the Telegram side of `/readyz`.

Polling: a `getUpdates` answer, or a long poll in progress (Telegram holds it up to 30 s
when nothing happens), counts as contact; a failed one (Telegram unreachable, 5xx, a 409 from
a second poller) makes the bot unready until the next answer, and so does silence (nothing
answered, or one poll hanging) for `WINDOW_SECONDS`. Webhook mode: Telegram
calls us, so `watch_webhook` asks `getWebhookInfo` every minute and counts an answer that shows
our URL registered as contact.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram import Bot
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

WINDOW_SECONDS = 120.0  # the "last getUpdates/webhook within 2 minutes"
WEBHOOK_CHECK_SECONDS = 60.0


class Liveness:
    """When the update channel last answered, and whether it failed since."""

    def __init__(
        self, channel: str, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.channel = channel  # "getUpdates" or "webhook"
        self._monotonic = monotonic
        self._last_ok: float | None = None
        self._failure: tuple[float, str] | None = None
        self._waiting_since: float | None = None  # a call in progress (a long poll)

    def asking(self) -> None:
        """A call went out; until it fails, a poll that Telegram holds open is contact."""
        self._waiting_since = self._monotonic()

    def ok(self) -> None:
        self._last_ok = self._monotonic()
        self._failure = None
        self._waiting_since = None

    def failed(self, reason: str) -> None:
        self._failure = (self._monotonic(), reason)
        self._waiting_since = None

    def problem(self) -> str | None:
        """None while connected; else why not, in a few words."""
        now = self._monotonic()
        if self._failure is not None:
            at, reason = self._failure
            return f"last {self.channel} failed {now - at:.0f} s ago: {reason}"
        if self._waiting_since is not None:
            waiting = now - self._waiting_since
            if waiting > WINDOW_SECONDS:
                return f"{self.channel} unanswered for {waiting:.0f} s"
            return None
        if self._last_ok is None:
            return f"no {self.channel} answer yet"
        silent = now - self._last_ok
        if silent > WINDOW_SECONDS:
            return f"no {self.channel} answer for {silent:.0f} s"
        return None


class WatchedRequest(HTTPXRequest):
    """PTB's httpx request for `getUpdates`, telling `liveness` how each call went."""

    def __init__(self, liveness: Liveness, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.liveness = liveness

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        self.liveness.asking()
        try:
            code, body = await super().do_request(*args, **kwargs)
        except Exception as err:
            self.liveness.failed(_reason(err))
            raise
        if 200 <= code < 300:
            self.liveness.ok()
        else:
            self.liveness.failed(f"HTTP {code}")
        return code, body


async def watch_webhook(
    bot: Bot, url: str, liveness: Liveness, stop: asyncio.Event,
    *, every: float = WEBHOOK_CHECK_SECONDS,
) -> None:
    """Until `stop`: ask Telegram which webhook it calls; ours registered counts as contact."""
    while not stop.is_set():
        try:
            info = await bot.get_webhook_info()
        except TelegramError as err:
            liveness.failed(_reason(err))
        else:
            if info.url == url:
                liveness.ok()
            else:
                liveness.failed(f"Telegram calls {info.url or 'no webhook'}, not {url}")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(every):
                await stop.wait()


def _reason(err: BaseException) -> str:
    text = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
