"""`pacer db backup` and `pacer db verify` as an operator runs them (real processes)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.support.pacer_process import run_pacer, sqlite_url

pytestmark = pytest.mark.slow
JOURNEY = "/start level=beginner days=mon,wed,sat tz=UTC units=km\n/done 5k 30:00\n"


def pacer(tmp_path: Path, *args: str, stdin: str = "", **env: str
          ) -> subprocess.CompletedProcess[str]:
    values = {"PACER_DATABASE_URL": sqlite_url(tmp_path / "pacer.db"), **env}
    return run_pacer(tmp_path, *args, env=values, stdin=stdin, timeout=120)


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """A migrated database with one runner who logged one run."""
    assert pacer(tmp_path, "db", "upgrade").returncode == 0
    assert pacer(tmp_path, "run", "--console", "--user", "ann", stdin=JOURNEY).returncode == 0
    return tmp_path / "pacer.db"


def rows_line(**counts: int) -> str:
    order = ("runners", "identities", "plans", "planned_sessions", "run_logs", "skips",
             "sleep_logs", "clubs", "club_channels", "challenges", "challenge_members",
             "outbox", "processed_updates")
    return "rows: " + ", ".join(f"{name} {counts.get(name, 0)}" for name in order)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from bot.migrations import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_backup_while_a_writer_holds_a_transaction_copies_what_was_committed(
    live: Path, tmp_path: Path
) -> None:
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE runners SET display_name = 'not yet committed'")
    try:
        result = pacer(tmp_path, "db", "backup", str(tmp_path / "copy.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"backed up to {tmp_path / 'copy.db'}",
        "integrity: ok",
        f"schema: {head_revision()} (this Pacer's current version)",
        rows_line(runners=1, identities=1, plans=1, planned_sessions=28, run_logs=1),
        "the copy is good",
    ]
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT display_name FROM runners").fetchall() == [("ann",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    assert not (tmp_path / "copy.db.partial").exists()


def test_verify_tells_a_good_copy_from_a_bad_one(live: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert pacer(tmp_path, "db", "backup", str(copy)).returncode == 0
    good = pacer(tmp_path, "db", "verify", str(copy))
    assert good.returncode == 0
    assert good.stdout.splitlines()[-1] == "the copy is good"

    with sqlite3.connect(copy) as db:
        db.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    unknown = pacer(tmp_path, "db", "verify", str(copy))
    assert unknown.returncode == 1
    assert unknown.stdout.splitlines()[1] == (
        f"schema: ffffffffffff is unknown to this Pacer (head {head_revision()})"
    )
    assert unknown.stdout.splitlines()[-1] == "the copy is NOT usable"

    with sqlite3.connect(copy) as db:
        db.execute("UPDATE alembic_version SET version_num = '0002'")
        db.execute("DROP TABLE sleep_logs")
    older = pacer(tmp_path, "db", "verify", str(copy))
    assert older.returncode == 1
    assert older.stdout.splitlines()[1:3] == [
        f"schema: 0002, older than this Pacer's {head_revision()} (pacer db upgrade after "
        "restoring)",
        "missing tables: sleep_logs",
    ]

    (tmp_path / "junk.db").write_text("not a database at all, just text" * 100)
    junk = pacer(tmp_path, "db", "verify", str(tmp_path / "junk.db"))
    assert (junk.returncode, junk.stdout) == (
        1, f"{tmp_path / 'junk.db'}: cannot be read as a Pacer database: "
           "(sqlite3.DatabaseError) file is not a database\n")
    missing = pacer(tmp_path, "db", "verify", str(tmp_path / "nope.db"))
    assert (missing.returncode, missing.stdout) == (1, f"{tmp_path / 'nope.db'}: no such file\n")


def test_postgres_gets_the_pg_dump_line_without_the_password(tmp_path: Path) -> None:
    result = pacer(tmp_path, "db", "backup", "/var/backups/pacer.dump",
                   PACER_DATABASE_URL="postgresql+asyncpg://pacer:s3cret@db.internal:5433/pacer")
    assert result.returncode == 3
    assert result.stdout == (
        "pg_dump --format=custom --no-owner --file=/var/backups/pacer.dump "
        "postgresql://pacer@db.internal:5433/pacer\n"
    )
    assert "s3cret" not in result.stdout + result.stderr
    assert result.stderr.startswith("pacer: PostgreSQL is backed up with pg_dump")


def test_no_database_yet_is_one_line(tmp_path: Path) -> None:
    result = pacer(tmp_path, "db", "backup", str(tmp_path / "copy.db"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"pacer: PACER_DATABASE_URL: {tmp_path / 'pacer.db'} does not exist "
        "(pacer db upgrade?)\n"
    )
