"""Telegram's webhook, served by aiohttp in Pacer's event loop, next to the health routes.

PTB's `Updater.start_webhook` runs a server of its own that takes no other routes; this is
PTB's documented custom-webhook pattern instead: each POST on the webhook path is checked
(JSON, the secret token in `X-Telegram-Bot-Api-Secret-Token`), turned into an `Update` and put
on `Application.update_queue`, which the started Application handles as it would a polled one.
`/healthz`, `/readyz` and `/metrics` are served on the same port.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ExtBot

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SET_WEBHOOK_TRIES = 5


class WebhookServer:
    """Receives Telegram's calls on `path` (and serves `routes`) at `listen:port`."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        path: str,
        secret: str,
        routes: Sequence[web.RouteDef] = (),
        on_update: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.path = "/" + path.lstrip("/")
        self.secret = secret
        self.on_update = on_update
        web_app = web.Application()
        web_app.router.add_post(self.path, self._receive)
        web_app.add_routes(list(routes))
        self._runner = web.AppRunner(web_app, access_log=None)

    async def start(self, listen: str, port: int) -> None:
        await self._runner.setup()
        await web.TCPSite(self._runner, listen, port).start()

    async def register(
        self, url: str, allowed_updates: list[str], *, pause: float = 1.0
    ) -> None:
        """setWebhook, retried a few times while Telegram cannot be reached."""
        for attempt in range(1, SET_WEBHOOK_TRIES + 1):
            try:
                await self.app.bot.set_webhook(
                    url=url, allowed_updates=allowed_updates, secret_token=self.secret,
                )
                return
            except RetryAfter as err:
                wait = err.retry_after
                delay = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
            except (NetworkError, TimedOut) as err:
                if attempt == SET_WEBHOOK_TRIES:
                    raise
                log.warning("telegram: setWebhook failed (%s); trying again", err)
                delay = pause * attempt
            await asyncio.sleep(delay)

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return web.Response(status=403, text="JSON only")
        token = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(token.encode(), self.secret.encode()):
            log.warning("telegram: a webhook call without the right secret token was refused")
            return web.Response(status=403, text="wrong secret token")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.app.bot)
        except Exception as err:  # not an update Telegram would send: nothing to handle
            # The type only: the error's text may quote what a runner wrote.
            log.warning("telegram: a webhook call was not a valid update (%s)",
                        type(err).__name__)
            return web.Response(status=400, text="not an update")
        if update is not None:
            bot = self.app.bot
            if isinstance(bot, ExtBot):
                bot.insert_callback_data(update)
            await self.app.update_queue.put(update)
        if self.on_update is not None:
            self.on_update()
        return web.Response(status=200)
