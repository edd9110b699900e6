"""Queries for operators: health probes, gauges for metrics, and checks of a backup copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from core.storage.database import Database
from core.storage.models import Base, OutboxMessage, Runner
from core.storage.unit_of_work import UnitOfWork

# Tables whose row counts `pacer db verify` reports, in a reader's order.
COUNTED_TABLES = (
    "runners", "identities", "plans", "planned_sessions", "run_logs", "skips", "sleep_logs",
    "clubs", "club_channels", "challenges", "challenge_members", "outbox",
    "processed_updates",
)


@dataclass(frozen=True)
class Backlog:
    """One platform's pending pushes: how many, and how late the oldest due one is."""

    platform: str
    pending: int
    oldest_due_seconds: float


async def ping(db: Database) -> None:
    """One round trip to the database; raises the driver's error when it does not answer."""
    async with db.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def outbox_backlog(uow: UnitOfWork, now: datetime) -> list[Backlog]:
    """Pending outbox rows per platform, and the age of the oldest one already due (0 if none)."""
    pending = (
        select(OutboxMessage.platform, func.count(), func.min(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.status == "pending")
        .group_by(OutboxMessage.platform)
    )
    rows = (await uow.session.execute(pending)).all()
    backlog = []
    for platform, count, oldest in rows:
        late = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
        backlog.append(Backlog(str(platform), int(count), late))
    return sorted(backlog, key=lambda b: b.platform)


async def runner_count(uow: UnitOfWork) -> int:
    """Runners with a record (whether onboarded or not)."""
    return int((await uow.session.execute(select(func.count()).select_from(Runner))).scalar_one())


async def schema_revision(conn: AsyncConnection) -> str | None:
    """The Alembic revision the database is at, or None when it was never migrated."""
    has_table = await conn.run_sync(lambda sync: inspect(sync).has_table("alembic_version"))
    if not has_table:
        return None
    row = (await conn.execute(text("SELECT version_num FROM alembic_version"))).first()
    return str(row[0]) if row is not None else None


async def table_counts(conn: AsyncConnection) -> dict[str, int | None]:
    """Rows per known table; None for a table missing from this database."""
    present = set(await conn.run_sync(_table_names))
    counts: dict[str, int | None] = {}
    for name in COUNTED_TABLES:
        if name not in present:
            counts[name] = None
            continue
        table = Base.metadata.tables[name]
        counts[name] = int(
            (await conn.execute(select(func.count()).select_from(table))).scalar_one()
        )
    return counts


async def journal_mode(conn: AsyncConnection) -> str:
    """SQLite's journal mode (`wal` when concurrent readers are safe)."""
    return str((await conn.execute(text("PRAGMA journal_mode"))).scalar_one()).lower()


async def server_time(conn: AsyncConnection) -> float:
    """PostgreSQL: the server's clock, as Unix time."""
    return float((await conn.execute(text("SELECT extract(epoch from now())"))).scalar_one())


async def integrity_check(conn: AsyncConnection) -> str:
    """SQLite's own consistency check of the whole file: `ok`, or the first problem found."""
    return str((await conn.execute(text("PRAGMA integrity_check"))).scalar_one())


def _table_names(sync: Connection) -> list[str]:
    return list(inspect(sync).get_table_names())
