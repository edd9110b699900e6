"""The composition root: the one place where settings, database, core and adapters meet."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import text

from bot.config import ConfigError, Settings
from bot.log_format import use_json_logs
from bot.log_redaction import install_redaction
from bot.metrics import PacerMetrics
from bot.migrations import upgrade
from core.app import Pacer
from core.clock import Clock, SystemClock
from core.storage.database import Database, create_database
from core.storage.unit_of_work import UnitOfWorkFactory


@dataclass
class Container:
    """The wired application: what adapters, the scheduler and the CLI are handed."""

    settings: Settings
    db: Database
    uow: UnitOfWorkFactory
    clock: Clock
    pacer: Pacer
    extras: dict[str, object] = field(default_factory=dict)
    metrics: PacerMetrics = field(default_factory=PacerMetrics)

    async def close(self) -> None:
        await self.db.dispose()


async def build(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Container:
    """Connect to the database (raising `ConfigError` if unreachable), migrate, and wire."""
    db = create_database(settings.database_url, pgbouncer=settings.database_pgbouncer)
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as err:  # any driver error: report it on one line
        await db.dispose()
        where = settings.database_url_for_display()
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ConfigError(f"PACER_DATABASE_URL: cannot connect to {where}: {reason}") from None
    if migrate:
        await upgrade(db)
    uow = UnitOfWorkFactory(db)
    clock = clock or SystemClock()
    metrics = PacerMetrics()
    pacer = Pacer(uow, clock, observer=metrics)
    return Container(settings, db, uow, clock, pacer, metrics=metrics)


def configure_logging(level: str, secrets: Iterable[str] = (), log_format: str = "text") -> None:
    """Log to stderr at `level` (one JSON object a line with `log_format="json"`), every
    handler masking `secrets` and token shapes."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_format == "json":
        use_json_logs()
    install_redaction(secrets)  # after the handlers are set: it filters each of them
    # httpx logs every request URL, and a Telegram URL carries the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Chatty libraries: every job run and migration step is not news at INFO.
    for name in ("aiosqlite", "apscheduler", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
