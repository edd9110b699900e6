"""One way to run a chat platform inside `pacer run`, the same for Telegram and Discord.

`run_platform(container, stop, adapter)` is the part both services share:

1. It puts a probe on the health board (`bot.health`) at once: "not connected yet" (with the
   last connection error while it retries), the adapter's own readiness once it serves, and
   the reason after a failure, so `/readyz` says why the platform is down.
2. It connects with exponential backoff (1 s, 2 s, 4 s … up to a cap) while the platform is
   unreachable, until `stop` is set. A platform that rejects Pacer's token (`Rejected`)
   is not retried: retrying cannot fix a setting.
3. Connected, it starts receiving, registers the push `Messenger`, marks the platform
   "running" (`bot.platform_status`) and serves until `stop` is set or the connection ends
   by itself (Discord's gateway closed with a fatal code).
4. A rejected token and a connection that ended by itself are the same thing, a platform
   failure: the messenger is unregistered first (no push may try it), the status says
   "failed" with the reason, one line is logged, and this returns; `bot.runtime.serve` exits
   non-zero when no platform is left.
5. Stopping goes in order: the messenger is unregistered, the adapter stops receiving and
   closes its connections, the status says "stopped" and the probe leaves the board.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, cast

from bot.bootstrap import Container
from bot.config import ConfigError
from bot.health import board_of
from bot.platform_status import PlatformStatus, status_of
from core.delivery import Messenger

log = logging.getLogger(__name__)

FIRST_RETRY = 1.0  # seconds before the second connection attempt; doubles after each failure
RETRY_CAP = 60.0  # seconds between attempts at most while a platform is unreachable

# Wait up to `seconds` unless `stop` is set first; True when `stop` is set.
Pause = Callable[[asyncio.Event | None, float], Awaitable[bool]]
Sleep = Callable[[float], Awaitable[None]]


class Rejected(ConfigError):
    """The platform refused Pacer's token or settings: retrying cannot help."""


class Unreachable(Exception):
    """The platform could not be reached this time (network, 5xx): try again later."""


class PlatformAdapter(Protocol):
    """What `run_platform` needs from a platform's adapter."""

    @property
    def platform(self) -> str:
        """The platform's name: "telegram", "discord"."""

    @property
    def messenger(self) -> Messenger:
        """Sends the outbox's pushes to this platform."""

    async def connect(self) -> None:
        """One connection attempt (check the token, learn who the bot is).

        Raises `Rejected` when the token or a setting is refused, `Unreachable` when the
        platform cannot be reached now."""

    async def begin(self) -> None:
        """Start receiving updates (after `connect`). May raise `Rejected`."""

    async def ended(self) -> str:
        """Return, with the reason, when the connection ended by itself for good."""

    def problem(self) -> str | None:
        """Readiness while serving: None when all is well, else why not."""

    def greeting(self) -> str:
        """The log line saying the platform serves (who the bot is, how it listens)."""

    async def stop(self) -> None:
        """Stop receiving, finish what was taken, close the connections (idempotent)."""


async def pause_until_stop(
    stop: asyncio.Event | None, seconds: float, *, sleep: Sleep = asyncio.sleep
) -> bool:
    """Wait `seconds`, or until `stop` is set (then True). Without `stop`, `sleep`."""
    if stop is None:
        await sleep(seconds)
        return False
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await stop.wait()
    return stop.is_set()


async def connect_with_backoff(
    adapter: PlatformAdapter,
    stop: asyncio.Event | None,
    *,
    pause: Pause = pause_until_stop,
    cap: float = RETRY_CAP,
    on_failure: Callable[[str], None] | None = None,
) -> bool:
    """`adapter.connect()` until it works (True) or `stop` is set first (False).

    An unreachable platform is logged (a warning per attempt) and tried again after 1 s, 2 s,
    4 s … up to `cap`; `Rejected` is raised at once. `on_failure` hears each error."""
    delay = FIRST_RETRY
    while True:
        if stop is not None and stop.is_set():
            return False
        try:
            await adapter.connect()
            return True
        except Unreachable as err:
            log.warning("%s: cannot connect (%s); trying again in %.0f s",
                        adapter.platform, err, delay)
            if on_failure is not None:
                on_failure(str(err))
        if await pause(stop, delay):
            return False
        delay = min(delay * 2, cap)


class PlatformRunner:
    """Runs one adapter for `pacer run` (see the module docstring); `problem` is its probe."""

    def __init__(
        self,
        container: Container,
        adapter: PlatformAdapter,
        *,
        pause: Pause = pause_until_stop,
        retry_cap: float = RETRY_CAP,
    ) -> None:
        self.container = container
        self.adapter = adapter
        self.platform = adapter.platform
        self.pause = pause
        self.retry_cap = retry_cap
        self.status: PlatformStatus = status_of(container.extras, self.platform)
        self.messengers = cast(
            dict[str, Messenger], container.extras.setdefault("messengers", {})
        )
        self.serving = False
        self._trouble: str | None = None  # the last connection error while retrying

    def problem(self) -> str | None:
        """Readiness for the health board: None while the platform serves well."""
        if self.status.failed:
            return f"failed: {self.status.reason}"
        if not self.serving:
            if self._trouble is not None:
                return f"not connected yet (last try: {self._trouble})"
            return "not connected yet"
        return self.adapter.problem()

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set or the platform fails (see the module docstring)."""
        board = board_of(self.container)
        board.register(self.platform, self.problem)
        try:
            try:
                if not await connect_with_backoff(
                    self.adapter, stop, pause=self.pause, cap=self.retry_cap,
                    on_failure=self._retrying,
                ):
                    return
                await self.adapter.begin()
            except Rejected as err:
                self._fail(str(err))
                return
            self._trouble = None
            self.messengers[self.platform] = self.adapter.messenger
            self.serving = True
            self.status.running()
            log.info("%s", self.adapter.greeting())
            reason = await self._until_stopped_or_ended(stop)
            if reason is not None:
                self._fail(reason)
        finally:
            self._unregister_messenger()
            self.serving = False
            try:
                await self.adapter.stop()
            finally:
                self.status.stopped()  # a failure stays on the status and on the board
                if not self.status.failed:
                    board.unregister(self.platform, self.problem)

    def _retrying(self, reason: str) -> None:
        self._trouble = reason

    async def _until_stopped_or_ended(self, stop: asyncio.Event) -> str | None:
        """None once `stop` is set; the reason if the connection ended by itself first."""
        stopping = asyncio.create_task(stop.wait(), name=f"{self.platform}-stop")
        ending = asyncio.create_task(self.adapter.ended(), name=f"{self.platform}-ended")
        try:
            await asyncio.wait({stopping, ending}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (stopping, ending):
                if not task.done():
                    task.cancel()
            await asyncio.gather(stopping, ending, return_exceptions=True)
        if stop.is_set() or ending.cancelled():
            return None
        error = ending.exception()
        return ending.result() if error is None else f"{type(error).__name__}: {error}"

    def _fail(self, reason: str) -> None:
        self._unregister_messenger()  # before anything else: no push may try it now
        self.status.fail(reason)
        log.error("%s: %s; %s is off (pushes wait in the outbox)",
                  self.platform, reason, self.platform.capitalize())

    def _unregister_messenger(self) -> None:
        if self.messengers.get(self.platform) is self.adapter.messenger:
            del self.messengers[self.platform]


async def run_platform(
    container: Container,
    stop: asyncio.Event,
    adapter: PlatformAdapter,
    *,
    pause: Pause = pause_until_stop,
    retry_cap: float = RETRY_CAP,
) -> None:
    """Serve `adapter`'s platform until `stop` is set or it fails (see `PlatformRunner`)."""
    await PlatformRunner(container, adapter, pause=pause, retry_cap=retry_cap).run(stop)
