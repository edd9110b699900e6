"""The Telegram service: PTB's Application, driven by hand so it shares the event loop.

`run_telegram(container, stop)` is what `bot.runtime` starts next to Discord and the scheduler.
PTB's `run_polling()` would own the loop, so this drives `initialize()`, `start()` and
`updater.start_polling()` (or, for deployments with several workers behind a load balancer,
its own webhook server, `bot.telegram.webhook`, which also serves the health routes) itself,
and undoes them in reverse order when `stop` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias
from urllib.parse import urlsplit

from aiohttp import web
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.bootstrap import Container
from bot.config import ConfigError, Settings
from bot.health import health_routes
from bot.platform_runner import (
    Pause,
    Rejected,
    Unreachable,
    connect_with_backoff,
    pause_until_stop,
    run_platform,
)
from bot.telegram.admins import AdminCache
from bot.telegram.callback_data import CallbackCodec
from bot.telegram.commands_menu import publish_commands
from bot.telegram.delivery import TelegramMessenger
from bot.telegram.group_replies import GroupReplyQueue
from bot.telegram.handlers import Observer, TelegramHandlers
from bot.telegram.liveness import Liveness, WatchedRequest, watch_webhook
from bot.telegram.ordering import PerSenderUpdateProcessor
from bot.telegram.ratelimit import MessageRateLimiter
from bot.telegram.retry import Retrier, RetryPolicy, Sleep
from bot.telegram.sending import ReplySender
from bot.telegram.transport import CappedRequest
from bot.telegram.webhook import WebhookServer
from core.app import Pacer
from core.schedule.ratelimit import TELEGRAM_LIMITS, RateLimiter

log = logging.getLogger(__name__)

AnyApplication: TypeAlias = Application[Any, Any, Any, Any, Any, Any]

# Only what Pacer handles: Telegram then does not even send the rest.
ALLOWED_UPDATES = ("message", "callback_query")


@dataclass(frozen=True)
class TelegramOptions:
    """Tuning that is not worth an environment variable (tests and benchmarks change it)."""

    poll_timeout: int = 30  # seconds a getUpdates long poll may wait
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    write_timeout: float = 10.0
    media_write_timeout: float = 30.0  # uploads: charts and exports
    pool_timeout: float = 10.0  # waiting for a free connection under load is normal
    # Different runners at once (one runner's updates stay in order): a runner waiting out a
    # 429 or a slow Bot API call must not hold up everybody else. Each concurrent update costs
    # some CPU in httpx and asyncio, and the database pool holds 10 to 20 connections anyway.
    max_concurrent_updates: int = 16
    # A sender's updates beyond this many waiting (behind the one being handled) are dropped:
    # a flood costs one slot and a short queue (`ordering`). Quick typers stay well below.
    max_waiting_per_sender: int = 8
    # Group replies waiting for the group's 20-a-minute limit, per group (`group_replies`).
    group_reply_queue: int = 30
    # Connections to the Bot API, and calls in flight at once (`CappedRequest`). Telegram
    # takes ~30 messages/s, which 4 calls carry at up to ~130 ms each; httpx's pool costs more
    # CPU per call with more at once. The spare connections replace ones being closed.
    connection_pool_size: int = 8
    max_in_flight: int = 4
    rate_limit: bool = True  # Telegram's flood limits, client side (see `ratelimit`)
    # A runner waits for a reply: retry a little longer, but never sit out a long 429.
    reply_policy: RetryPolicy = field(default_factory=RetryPolicy)
    # The outbox sender reschedules with its own backoff: retry briefly, in place.
    push_policy: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(attempts=2, max_retry_after=5.0)
    )
    admin_ttl: float = 300.0
    startup_retry_cap: float = 60.0  # seconds between tries while Telegram is unreachable
    # Waiting between those tries (or until stop); None: `sleep`, cut short by the stop event.
    startup_pause: Pause | None = None
    sleep: Sleep = asyncio.sleep
    on_handled: Observer | None = None  # called after each update (tests wait on it)


def file_url_for(api_url: str) -> str:
    """The file download base for a Bot API base: `.../bot` → `.../file/bot`."""
    head, _, last = api_url.rstrip("/").rpartition("/")
    return f"{head}/file/{last}"


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram must echo in each webhook call.

    PACER_TELEGRAM_WEBHOOK_SECRET if set; else derived from the token, so that every worker
    behind the load balancer registers and expects the same one.
    """
    _token(settings)
    return settings.derived_webhook_secret()


def _token(settings: Settings) -> str:
    if settings.telegram_token is None:
        raise ConfigError("PACER_TELEGRAM_TOKEN is not set")
    return settings.telegram_token.get_secret_value()


def build_application(
    settings: Settings, options: TelegramOptions, liveness: Liveness | None = None,
    budget: RateLimiter | None = None,
) -> AnyApplication:
    """A PTB Application for Pacer's bot: API base, timeouts, concurrency, rate limits (the
    replies' side of `budget`, the bot's send budget); `liveness` hears how each getUpdates
    call went."""
    requests = CappedRequest(
        max_in_flight=options.max_in_flight,
        connection_pool_size=options.connection_pool_size,
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        write_timeout=options.write_timeout,
        media_write_timeout=options.media_write_timeout,
        pool_timeout=options.pool_timeout,
    )
    polling = WatchedRequest(
        liveness or Liveness("getUpdates"),
        connection_pool_size=1,
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,  # PTB adds the long-poll timeout to this
        pool_timeout=options.pool_timeout,
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(_token(settings))
        .base_url(settings.telegram_api_url)
        .base_file_url(file_url_for(settings.telegram_api_url))
        .request(requests)
        .get_updates_request(polling)
        .concurrent_updates(PerSenderUpdateProcessor(
            options.max_concurrent_updates, options.max_waiting_per_sender
        ))
        .job_queue(None)  # scheduling is Pacer's own (a few periodic jobs and the outbox)
    )
    if options.rate_limit:
        builder = builder.rate_limiter(MessageRateLimiter(budget))
    return builder.build()


class TelegramAdapter:
    """Pacer on Telegram: the Application, its handlers and the push `Messenger`."""

    def __init__(
        self,
        settings: Settings,
        pacer: Pacer,
        options: TelegramOptions | None = None,
        routes: Sequence[web.RouteDef] = (),
    ) -> None:
        self.settings = settings
        self.commands = pacer.commands
        self.routes = routes  # webhook mode: served next to the webhook (health, metrics)
        self.webhook: WebhookServer | None = None
        self.options = options = options or TelegramOptions()
        webhook = settings.telegram_mode == "webhook"
        self.liveness = Liveness("webhook" if webhook else "getUpdates")
        # One send budget for replies and pushes: Telegram's limits are the bot's, not a path's.
        budget = RateLimiter(TELEGRAM_LIMITS)
        self.app = build_application(settings, options, self.liveness, budget)
        bot = self.app.bot
        codec = CallbackCodec()
        reply_retrier = Retrier(options.reply_policy, sleep=options.sleep)
        self.sender = ReplySender(bot, codec, reply_retrier)
        # Pushes waited for the budget in the outbox already: the bot's limiter lets them by.
        push_sender = ReplySender(
            bot, codec, Retrier(options.push_policy, sleep=options.sleep),
            outbox_limited=options.rate_limit,
        )
        self.messenger = TelegramMessenger(push_sender, budget, pacer.uow)
        self.admins = AdminCache.for_bot(bot, reply_retrier, ttl=options.admin_ttl)
        self.group_replies = GroupReplyQueue(options.group_reply_queue)
        self.handlers = TelegramHandlers(
            pacer, self.sender, self.admins, codec, on_handled=options.on_handled,
            group_replies=self.group_replies,
        )
        self.handlers.register(self.app)
        self._watcher: asyncio.Task[None] | None = None  # webhook mode: `watch_webhook`
        self._stopping = asyncio.Event()

    @property
    def platform(self) -> str:
        return "telegram"

    async def start(self, stop: asyncio.Event | None = None) -> bool:
        """Connect, publish the command menus and start receiving updates.

        While Telegram cannot be reached this keeps trying (with backoff) until `stop` is set;
        returns False if it stopped before connecting. A rejected token raises `Rejected`.
        """
        if not await connect_with_backoff(
            self, stop, pause=self.pause, cap=self.options.startup_retry_cap
        ):
            return False
        await self.begin()
        return True

    @property
    def pause(self) -> Pause:
        """How to wait between connection attempts."""
        return self.options.startup_pause or functools.partial(
            pause_until_stop, sleep=self.options.sleep
        )

    async def connect(self) -> None:
        """getMe: checks the token and learns the bot's username."""
        try:
            await self.app.initialize()
        except InvalidToken:  # PTB's name for 401 and 404 answers
            where = urlsplit(self.settings.telegram_api_url).netloc
            raise Rejected(
                f"PACER_TELEGRAM_TOKEN was rejected by {where} (or PACER_TELEGRAM_API_URL "
                "is not a Bot API base URL)"
            ) from None
        except NetworkError as err:
            raise Unreachable(str(err)) from None

    async def begin(self) -> None:
        """Publish the command menus, then poll or serve the webhook."""
        await publish_commands(self.app.bot, self.sender.retrier, self.commands)
        await self.app.start()
        updater = self.app.updater
        if updater is None:
            raise RuntimeError("the Telegram Application was built without an Updater")
        if self.settings.telegram_mode == "webhook":
            url = self.settings.telegram_webhook_url
            self.webhook = WebhookServer(
                self.app, path=urlsplit(url).path, secret=webhook_secret(self.settings),
                routes=self.routes, on_update=self.liveness.ok,
            )
            await self.webhook.start(
                self.settings.telegram_webhook_listen, self.settings.telegram_webhook_port
            )
            await self.webhook.register(url, list(ALLOWED_UPDATES))
            self._watcher = asyncio.create_task(watch_webhook(
                self.app.bot, url, self.liveness, self._stopping,
            ), name="telegram-webhook-watch")
        else:
            await updater.start_polling(
                poll_interval=0,
                timeout=self.options.poll_timeout,
                allowed_updates=list(ALLOWED_UPDATES),
                bootstrap_retries=-1,  # deleteWebhook until it works: we cannot poll without
            )

    async def ended(self) -> str:
        """Never by itself: PTB retries polling, and Telegram retries webhook calls."""
        await self._stopping.wait()
        return "the Telegram service stopped"

    def problem(self) -> str | None:
        """Readiness: how the last getUpdates call or webhook check went (`liveness`)."""
        return self.liveness.problem()

    def greeting(self) -> str:
        return f"telegram: @{self.app.bot.username} is {self.settings.telegram_mode}"

    async def stop(self) -> None:
        """Stop receiving, finish the updates already taken, then close connections."""
        self._stopping.set()
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        updater = self.app.updater
        if updater is not None and updater.running:
            try:
                await updater.stop()  # confirms the updates fetched so far (next offset)
            except TelegramError as err:  # the rest of the shutdown must still happen
                log.warning("telegram: could not confirm the last updates (%s); Telegram "
                            "will send them again", err)
        webhook, self.webhook = self.webhook, None
        if webhook is not None:
            await webhook.stop()  # Telegram retries what it could not deliver meanwhile
        if self.app.running:
            await self.app.stop()  # handles what was fetched before returning
        await self.group_replies.close()  # their queued group replies go out, then HTTP closes
        await self.app.shutdown()


async def run_telegram(
    container: Container, stop: asyncio.Event, *, options: TelegramOptions | None = None
) -> None:
    """Serve Telegram until `stop` is set (`bot.platform_runner`): the push messenger is
    registered meanwhile; a rejected token is a platform failure, logged in one line."""
    adapter = TelegramAdapter(
        container.settings, container.pacer, options, routes=health_routes(container)
    )
    await run_platform(
        container, stop, adapter, pause=adapter.pause, retry_cap=adapter.options.startup_retry_cap
    )
