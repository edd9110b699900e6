"""Telegram and Discord run the same way (`bot.platform_runner`), through real PTB and real
discord.py against the fakes: a rejected token, an outage at start, a clean stop.

Each test runs once per platform with the same steps and the same expectations; only the
token, the call that checks it and the words of the reason differ.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from bot.bootstrap import Container
from bot.config import Settings
from bot.discord.delivery import DiscordMessenger
from bot.discord.service import DiscordOptions, run_discord
from bot.health import board_of
from bot.platform_status import PlatformStatus, status_of
from bot.runtime import PLATFORM_FAILED, serve
from bot.telegram.service import TelegramOptions, run_telegram
from core.app import Pacer
from core.clock import FakeClock
from core.storage.database import Database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.conftest import telegram_settings
from tests.e2e.discord_harness import TIMEOUT, discord_settings, fast_options
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc
from tests.e2e.fakes.discord_fixtures import DiscordWorld
from tests.e2e.fakes.telegram_server import FakeTelegram

pytestmark = pytest.mark.slow

BAD_TELEGRAM_TOKEN = "999999:wrong-token-abcdefghijklmnop"
BAD_DISCORD_TOKEN = "bad0123456.bad.token0123456789"


class Pauses:
    """The waits between connection attempts, recorded instead of waited; from the
    `hold_after`-th wait on, it holds until the stop event is set (as a long wait would)."""

    def __init__(self, hold_after: int = 1000) -> None:
        self.waits: list[float] = []
        self.hold_after = hold_after
        self.holding = asyncio.Event()

    async def __call__(self, stop: asyncio.Event | None, seconds: float) -> bool:
        self.waits.append(seconds)
        if stop is not None and len(self.waits) >= self.hold_after:
            self.holding.set()
            await stop.wait()
        await asyncio.sleep(0)
        return stop is not None and stop.is_set()


@dataclass
class Twin:
    """One platform, driven the same way as the other."""

    platform: str
    token: str
    bad_token: str
    rejected: str  # the reason a rejected token gives
    settings: Callable[..., Settings]
    serve: Callable[[Container, asyncio.Event, Pauses], Awaitable[None]]
    fail_login: Callable[[int], None]  # the next n token checks answer 503
    login_calls: Callable[[], int]
    ask_help: Callable[[Container], Awaitable[str]]  # a runner sends /help; what they read
    db: Database
    clock: FakeClock

    def container(self, **settings: object) -> Container:
        uow = UnitOfWorkFactory(self.db)
        return Container(self.settings(**settings), self.db, uow, self.clock,
                         Pacer(uow, self.clock))

    def start(
        self, container: Container, stop: asyncio.Event, pauses: Pauses | None = None
    ) -> asyncio.Task[None]:
        return asyncio.create_task(self.serve(container, stop, pauses or Pauses()))


def telegram_twin(fake: FakeTelegram, db: Database, clock: FakeClock) -> Twin:
    async def run(container: Container, stop: asyncio.Event, pauses: Pauses) -> None:
        options = TelegramOptions(startup_retry_cap=4.0, startup_pause=pauses)
        await run_telegram(container, stop, options=options)

    def fail(times: int) -> None:
        fake.fail_next("getMe", status=503, times=times)

    async def ask(_container: Container) -> str:
        ann = fake.user(1001, "Ann")
        fake.send_text(ann, "/help")
        [reply] = await fake.wait_for(chat_id=ann.id)
        return str(reply["text"])

    return Twin(
        "telegram", fake.token, BAD_TELEGRAM_TOKEN,
        f"PACER_TELEGRAM_TOKEN was rejected by 127.0.0.1:{fake.port} (or PACER_TELEGRAM_API_URL"
        " is not a Bot API base URL)",
        lambda **over: telegram_settings(fake, **over), run, fail,
        lambda: len(fake.calls_to("getMe")), ask, db, clock,
    )


def discord_twin(world: DiscordWorld, db: Database, clock: FakeClock) -> Twin:
    fake = world.fake

    async def run(container: Container, stop: asyncio.Event, pauses: Pauses) -> None:
        fast = fast_options()
        options = DiscordOptions(
            client=fast.client, bridge=fast.bridge, stop_timeout=fast.stop_timeout,
            startup_retry_cap=4.0, startup_pause=pauses,
        )
        await run_discord(container, stop, options=options)

    def fail(times: int) -> None:
        fake.fail_next("GET", r"^/users/@me$", 503, times=times)

    async def ask(container: Container) -> str:
        await fake.wait_ready(TIMEOUT)
        messenger = container.extras["messengers"]["discord"]  # type: ignore[index]
        assert isinstance(messenger, DiscordMessenger)
        async with asyncio.timeout(TIMEOUT):  # READY and the guilds, as discord.py sees it
            await messenger.client.wait_until_ready()
        interaction = await fake.slash(world.runner, "help", {})
        return await interaction.final_text(TIMEOUT)

    return Twin(
        "discord", fake.token, BAD_DISCORD_TOKEN,
        "PACER_DISCORD_TOKEN was rejected by Discord (401 Unauthorized)",
        lambda **over: discord_settings(fake, **over), run, fail,
        lambda: len(fake.calls_to("GET", r"^/users/@me$")), ask, db, clock,
    )


@pytest.fixture(params=["telegram", "discord"])
def twin(request: pytest.FixtureRequest, sqlite_db: Database, clock: FakeClock) -> Twin:
    if request.param == "telegram":
        return telegram_twin(request.getfixturevalue("fake_telegram"), sqlite_db, clock)
    return discord_twin(request.getfixturevalue("dc_world"), sqlite_db, clock)


def status(container: Container, platform: str) -> PlatformStatus:
    found = status_of(container.extras, platform)
    assert isinstance(found, PlatformStatus)
    return found


def lines(caplog: pytest.LogCaptureFixture, level: int, *, pacer_only: bool = False) -> list[str]:
    """The log lines at `level`; with `pacer_only`, Pacer's own (the libraries' left out)."""
    return [r.getMessage() for r in caplog.records
            if r.levelno == level and (not pacer_only or r.name.startswith("bot."))]


async def test_a_rejected_token_is_a_platform_failure_logged_once_and_pacer_exits(
    twin: Twin, caplog: pytest.LogCaptureFixture
) -> None:
    container = twin.container(**{f"{twin.platform}_token": twin.bad_token})
    board = board_of(container)
    board.expect(twin.platform)
    stop = asyncio.Event()

    with caplog.at_level(logging.INFO):
        tasks = {twin.platform: twin.start(container, stop)}
        code = await asyncio.wait_for(serve(container, tasks, stop), TIMEOUT)

    assert code == PLATFORM_FAILED
    failed = status(container, twin.platform)
    assert (failed.state, failed.reason) == ("failed", twin.rejected)
    assert lines(caplog, logging.ERROR) == [
        f"{twin.platform}: {twin.rejected}; {twin.platform.capitalize()} is off "
        "(pushes wait in the outbox)",
        "no chat platform is left running; exiting with code 1",
    ]
    assert lines(caplog, logging.WARNING, pacer_only=True) == []  # a setting: not retried
    assert not any(twin.bad_token in line for line in lines(caplog, logging.ERROR))
    assert container.extras["messengers"] == {}
    assert board.platform_problems() == {twin.platform: f"failed: {twin.rejected}"}
    assert not stop.is_set()


async def test_an_outage_at_start_is_retried_with_backoff_until_stop(
    twin: Twin, caplog: pytest.LogCaptureFixture
) -> None:
    container = twin.container()
    board = board_of(container)
    board.expect(twin.platform)
    twin.fail_login(1000)  # down for longer than the test
    pauses = Pauses(hold_after=5)
    stop = asyncio.Event()

    with caplog.at_level(logging.WARNING):
        service = twin.start(container, stop, pauses)
        await asyncio.wait_for(pauses.holding.wait(), TIMEOUT)
        [problem] = board.platform_problems().values()
        waiting = status(container, twin.platform).state
        stop.set()
        await asyncio.wait_for(service, TIMEOUT)

    assert pauses.waits == [1.0, 2.0, 4.0, 4.0, 4.0]  # doubling up to the cap
    assert twin.login_calls() == 5
    assert waiting == "starting"
    assert problem is not None and problem.startswith("not connected yet (last try: ")
    warnings = lines(caplog, logging.WARNING, pacer_only=True)
    assert len(warnings) == 5
    assert all(w.startswith(f"{twin.platform}: cannot connect (") for w in warnings)
    assert [w.rsplit("; ", 1)[1] for w in warnings] == [
        "trying again in 1 s", "trying again in 2 s", "trying again in 4 s",
        "trying again in 4 s", "trying again in 4 s",
    ]
    assert lines(caplog, logging.ERROR) == []
    assert status(container, twin.platform).state == "stopped"
    assert container.extras["messengers"] == {}
    assert board.platform_problems() == {twin.platform: "not connected yet"}


async def test_after_an_outage_at_start_the_platform_serves_once_it_is_back(
    twin: Twin, caplog: pytest.LogCaptureFixture
) -> None:
    container = twin.container()
    twin.fail_login(3)
    pauses = Pauses()
    stop = asyncio.Event()

    with caplog.at_level(logging.WARNING):
        service = twin.start(container, stop, pauses)
        help_text = await twin.ask_help(container)  # served once the platform is back
        running = status(container, twin.platform).state
        registered = dict(container.extras["messengers"])  # type: ignore[call-overload]
        stop.set()
        await asyncio.wait_for(service, TIMEOUT)

    assert pauses.waits == [1.0, 2.0, 4.0]
    assert "/done" in help_text
    assert twin.login_calls() == 4
    assert running == "running"
    assert list(registered) == [twin.platform]
    assert len(lines(caplog, logging.WARNING, pacer_only=True)) == 3
    assert lines(caplog, logging.ERROR) == []
    assert status(container, twin.platform).state == "stopped"


async def test_a_clean_stop_unregisters_everything_in_order(
    twin: Twin, caplog: pytest.LogCaptureFixture
) -> None:
    container = twin.container()
    board = board_of(container)
    board.expect(twin.platform)
    stop = asyncio.Event()

    with caplog.at_level(logging.INFO, logger="bot.platform_runner"):
        service = twin.start(container, stop)
        help_text = await twin.ask_help(container)  # it serves runners
        running = status(container, twin.platform).state
        messenger = container.extras["messengers"][twin.platform]  # type: ignore[index]
        ready = board.platform_problems()
        stop.set()
        await asyncio.wait_for(service, TIMEOUT)

    assert "/done" in help_text
    assert running == "running" and messenger.platform == twin.platform
    assert ready == {twin.platform: None}
    assert status(container, twin.platform).state == "stopped"
    assert container.extras["messengers"] == {}
    assert board.platform_problems() == {twin.platform: "not connected yet"}
    assert lines(caplog, logging.WARNING, pacer_only=True) + lines(caplog, logging.ERROR) == []
    [greeting] = lines(caplog, logging.INFO, pacer_only=True)
    assert greeting.startswith(f"{twin.platform}: ")
