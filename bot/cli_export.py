"""`pacer export`: print one runner's data (the document `/export` sends) to stdout.

Read-only: it opens its own connection from the settings, never migrates, and never creates
a SQLite file that is not there.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.config import load_settings
from core.exporting import collect, logs_csv, to_json
from core.runners import find_runner
from core.storage.database import create_database
from core.storage.unit_of_work import UnitOfWorkFactory


class ExportError(Exception):
    """A problem worth one line on stderr (exit code 2)."""


def _who(args: argparse.Namespace) -> tuple[str, str, str]:
    """(platform, external id, how to describe it) from the mutually exclusive options."""
    if args.telegram:
        return "telegram", str(args.telegram), f"Telegram user id {args.telegram}"
    if args.discord:
        return "discord", str(args.discord), f"Discord user id {args.discord}"
    return "console", str(args.user), f"console user {args.user!r}"


async def _export(url: str, pgbouncer: bool, platform: str, external_id: str, what: str,
                  fmt: str) -> str:
    db = create_database(url, pgbouncer=pgbouncer)
    try:
        async with UnitOfWorkFactory(db)(readonly=True) as uow:
            runner = await find_runner(uow, platform, external_id)
            if runner is None:
                raise ExportError(f"no runner known as {what}")
            document = await collect(uow, runner, datetime.now(UTC))
    except DBAPIError as err:
        reason = str(err.orig).splitlines()[0] if err.orig is not None else type(err).__name__
        raise ExportError(f"cannot read the database: {reason}") from None
    finally:
        await db.dispose()
    return logs_csv(document) if fmt == "csv" else to_json(document)


def _check_sqlite_file(url: str) -> None:
    """Refuse early rather than let SQLite create an empty database file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        raise ExportError(f"no database at {parsed.database} (nothing has been stored yet)")


def run(args: argparse.Namespace) -> int:
    """Print the runner's JSON (or logs CSV); unknown runner → one line on stderr, exit 2."""
    settings = load_settings()
    platform, external_id, what = _who(args)
    try:
        _check_sqlite_file(settings.database_url)
        output = asyncio.run(_export(settings.database_url, settings.database_pgbouncer,
                                     platform, external_id, what, args.format))
    except ExportError as err:
        print(f"pacer export: {err}", file=sys.stderr)
        return 2
    sys.stdout.write(output)
    sys.stdout.flush()
    return 0
