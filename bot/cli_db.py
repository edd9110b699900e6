"""`pacer db backup FILE` and `pacer db verify FILE`.

SQLite: `backup` copies the live database with SQLite's online backup API (safe while Pacer
runs: it reads a consistent snapshot, writers wait at most a moment), into `FILE.partial` and
then renames it, so `FILE` is always a whole copy; then it verifies the copy. PostgreSQL: Pacer
does not dump it; `backup` prints the `pg_dump` command for the configured URL (without the
password) and exits 3, so a cron job that forgot to switch never looks like it worked.
`verify` opens a SQLite copy read-only and checks its integrity, its schema version and its
row counts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import ConfigError, Settings, load_settings
from bot.migrations import alembic_config
from core.storage.operations import integrity_check, schema_revision, table_counts

NOT_DONE = 3  # exit code: nothing was written (PostgreSQL: run the printed pg_dump)


def register(db_commands: Any) -> None:
    """Add `backup` and `verify` to `pacer db`."""
    backup = db_commands.add_parser(
        "backup", help="copy the SQLite database while Pacer runs (PostgreSQL: print pg_dump)"
    )
    backup.add_argument("file", type=Path, help="where to write the copy")
    backup.set_defaults(func=_backup)
    verify = db_commands.add_parser(
        "verify", help="check a backup copy: integrity, schema version, row counts"
    )
    verify.add_argument("file", type=Path, help="the SQLite copy to check")
    verify.set_defaults(func=_verify)


def sqlite_path(settings: Settings) -> Path:
    """The database file PACER_DATABASE_URL names (ConfigError for an in-memory one)."""
    database = make_url(settings.database_url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise ConfigError("PACER_DATABASE_URL names an in-memory database: nothing to back up")
    return Path(database)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy `source` to `target` with the online backup API; `target` appears whole or not."""
    if not source.exists():
        raise ConfigError(f"PACER_DATABASE_URL: {source} does not exist (pacer db upgrade?)")
    if target.resolve() == source.resolve():
        raise ConfigError(f"{target} is the live database; choose another file")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)  # in steps: writers get their turn in between
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)


def pg_dump_command(url: URL, target: Path) -> str:
    """The pg_dump line for `url` (password left out: PGPASSWORD or ~/.pgpass supplies it)."""
    plain = URL.create(  # `url.set(password=None)` would keep the password
        "postgresql", username=url.username, host=url.host, port=url.port,
        database=url.database, query=url.query,
    )
    return shlex.join([
        "pg_dump", "--format=custom", "--no-owner", f"--file={target}",
        plain.render_as_string(hide_password=False),
    ])


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: the lines to print and whether the copy is good."""

    lines: list[str]
    good: bool


def verify_copy(path: Path) -> Verdict:
    """Open `path` read-only and check it; never changes the file."""
    if not path.is_file():
        return Verdict([f"{path}: no such file"], False)
    return asyncio.run(_verify_at(path, f"{path.resolve().as_uri()}?mode=ro"))


async def _verify_at(path: Path, uri: str) -> Verdict:
    url = f"sqlite+aiosqlite:///{uri}&uri=true"
    engine = create_async_engine(url)
    lines: list[str] = []
    good = True
    try:
        async with engine.connect() as conn:
            integrity = await integrity_check(conn)
            revision = await schema_revision(conn)
            counts = await table_counts(conn)
    except Exception as err:  # not a SQLite file, or unreadable: say so in one line
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        return Verdict([f"{path}: cannot be read as a Pacer database: {first}"], False)
    finally:
        await engine.dispose()
    lines.append(f"integrity: {integrity}")
    good &= integrity == "ok"
    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    if revision is None:
        lines.append("schema: not a migrated Pacer database (no alembic_version)")
        good = False
    elif revision == head:
        lines.append(f"schema: {revision} (this Pacer's current version)")
    elif not _known(scripts, revision):
        lines.append(f"schema: {revision} is unknown to this Pacer (head {head})")
        good = False
    else:
        lines.append(f"schema: {revision}, older than this Pacer's {head} "
                     "(pacer db upgrade after restoring)")
    missing = [name for name, count in counts.items() if count is None]
    if missing:
        lines.append(f"missing tables: {', '.join(missing)}")
        good = False
    lines.append("rows: " + ", ".join(
        f"{name} {count}" for name, count in counts.items() if count is not None))
    lines.append("the copy is good" if good else "the copy is NOT usable")
    return Verdict(lines, good)


def _known(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises for ids it does not know
        return False


def _backup(args: argparse.Namespace) -> int:
    settings = load_settings()
    target: Path = args.file
    if not settings.is_sqlite:
        url = make_url(settings.database_url)
        print(pg_dump_command(url, target))
        print(
            "pacer: PostgreSQL is backed up with pg_dump (above; the password comes from "
            "PGPASSWORD or ~/.pgpass). Restore: pg_restore --clean --no-owner -d DATABASE "
            f"{target}. Nothing was written.",
            file=sys.stderr,
        )
        return NOT_DONE
    backup_sqlite(sqlite_path(settings), target)
    verdict = verify_copy(target)
    print(f"backed up to {target}")
    for line in verdict.lines:
        print(line)
    return 0 if verdict.good else 1


def _verify(args: argparse.Namespace) -> int:
    verdict = verify_copy(args.file)
    for line in verdict.lines:
        print(line)
    return 0 if verdict.good else 1
