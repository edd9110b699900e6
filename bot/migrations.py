"""Apply and check Alembic migrations from code (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from core.storage.database import Database
from core.storage.migration_lock import migration_transaction
from core.storage.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str = "") -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database schema up to `revision`; workers starting together take turns
    (`migration_transaction`), so the later ones find it done."""
    async with migration_transaction(db) as conn:
        await conn.run_sync(_upgrade, revision)


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def schema_drift(db: Database) -> list[object]:
    """Differences between the models and the migrated database (empty when they agree)."""
    async with db.engine.connect() as conn:
        return await conn.run_sync(_diff)
