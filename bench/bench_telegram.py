"""`/done` updates per second through Pacer's Telegram adapter, end to end, against a baseline.

All figures come from the same run, the same fake Bot API server (`bench.telegram_echo`) and
the same load: N messages `/done 5k` from 50 runners, measured from the first injected update
to the arrival of the N-th reply. The baseline is a bare PTB echo handler; Pacer's is the real
adapter (translation, the core's unit of work with its update-id record, a run log, the streak,
the reply in HTML) on a SQLite file with the runners onboarded. A third figure runs the same
adapter around a core that answers at once: the adapter's own cost, apart from the core's.

Neither applies client-side flood limits (the echo has none; Pacer's would cap both at
Telegram's 30 messages/s and measure Telegram, not the code). Target: Pacer >= 50% of the echo.
"""

from __future__ import annotations

import asyncio
import importlib.util
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.telegram_echo import echo_app, measure
from bot.config import Settings
from bot.migrations import upgrade
from bot.telegram.service import TelegramAdapter, TelegramOptions
from core.app import Pacer
from core.clock import FakeClock
from core.messages import Platform, Reply, Request
from core.storage.database import Database, create_database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.e2e.fakes.telegram_ptb import AnyApplication
from tests.e2e.fakes.telegram_server import FakeTelegram

UPDATES = 500
WARM_UP = 50
RUNNERS = 50  # `measure` names its runners 10000, 10001, ...
FIRST_RUNNER = 10_000
TARGET_RATIO = 0.5
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # a Monday morning
# A runner's identical /done within 2 minutes is a double tap; 50 runners x 3 s keeps them apart.
STEP = timedelta(seconds=3)


class SteppingPacer(Pacer):
    """Pacer on a fake clock that moves on by `STEP` with every request."""

    def __init__(self, uow: UnitOfWorkFactory, clock: FakeClock) -> None:
        super().__init__(uow, clock)
        self.fake_clock = clock

    async def handle(self, req: Request) -> list[Reply]:
        self.fake_clock.advance(STEP)
        return await super().handle(req)


class InstantPacer(SteppingPacer):
    """A core that answers at once: what the adapter costs on its own."""

    async def handle(self, req: Request) -> list[Reply]:
        return [Reply("✓ Logged today: 5 km")]


class PacerBench:
    """Builds Pacer's Telegram Application on a fresh SQLite file for each measurement."""

    def __init__(self, directory: Path, core: type[SteppingPacer] = SteppingPacer) -> None:
        self.directory = directory
        self.core = core
        self.databases: list[Database] = []

    async def app(self, fake: FakeTelegram) -> AnyApplication:
        db = create_database(f"sqlite+aiosqlite:///{self.directory / f'{len(self.databases)}.db'}")
        self.databases.append(db)
        await upgrade(db)
        uow, clock = UnitOfWorkFactory(db), FakeClock(START)
        for i in range(RUNNERS):
            user = str(FIRST_RUNNER + i)
            await Pacer(uow, clock).handle(Request(
                Platform.TELEGRAM, user, user, "start", "level=improving days=7 tz=UTC",
                display_name=f"Runner{i}",
            ))
        pacer = self.core(uow, clock)
        settings = Settings(
            telegram_token=fake.token, telegram_api_url=fake.base_url,  # type: ignore[arg-type]
            database_url="sqlite+aiosqlite:///unused.db",
        )
        adapter = TelegramAdapter(settings, pacer, TelegramOptions(rate_limit=False))
        return adapter.app

    async def close(self) -> None:
        for db in self.databases:
            await db.dispose()


async def _run(directory: Path) -> list[str]:
    pacer, adapter_only = PacerBench(directory), PacerBench(directory / "x", InstantPacer)
    (directory / "x").mkdir()
    try:
        await measure(echo_app, WARM_UP, users=RUNNERS)
        echo = await measure(echo_app, UPDATES, users=RUNNERS)
        await measure(pacer.app, WARM_UP, users=RUNNERS)
        ours = await measure(pacer.app, UPDATES, users=RUNNERS)
        bare = await measure(adapter_only.app, UPDATES, users=RUNNERS)
    finally:
        await pacer.close()
        await adapter_only.close()
    ratio = ours / echo
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    notes = []
    if importlib.util.find_spec("sniffio") is None:
        notes.append(
            "  note: sniffio is not installed, so httpcore searches sys.path for it on every "
            "request; this slows both, concurrent sends most"
        )
    return [
        f"Telegram /done end to end: Pacer {ours:,.0f} updates/s vs bare PTB echo "
        f"{echo:,.0f} updates/s ({UPDATES} updates, {RUNNERS} runners, same fake server)",
        f"  Pacer runs at {ratio:.0%} of the echo; target >= {TARGET_RATIO:.0%}: {verdict}",
        f"  the adapter around an instant core: {bare:,.0f} updates/s ({bare / echo:.0%} of the "
        f"echo); the rest is the core's /done ({1000 / ours - 1000 / bare:.1f} ms each)",
        *notes,
    ]


def run() -> list[str]:
    """The benchmark's report lines."""
    with tempfile.TemporaryDirectory(prefix="pacer-bench-tg-") as tmp:
        return asyncio.run(_run(Path(tmp)))


if __name__ == "__main__":
    print("\n".join(run()))
