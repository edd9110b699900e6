"""Every `pacer` subcommand as a real process on a fresh database (issue 14, item 1).

Each test starts from nothing: `pacer db upgrade` creates the schema, `pacer run --console`
reads a piped journey, `pacer export` prints a runner's data — each in its own process, so a
path that only works inside one already-warm process (ORM mappers configured by an earlier
import, say) fails here. On PostgreSQL too when PACER_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.migrations import upgrade
from core.storage.database import create_database
from core.storage.models import Identity
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.support.databases import empty_postgres, postgres_url_or_skip
from tests.support.pacer_process import run_pacer, sqlite_url

pytestmark = pytest.mark.slow

JOURNEY = (
    "/start level=improving days=mon,wed,fri time=07:00 tz=UTC units=km mile=8:00 goal=7:30\n"
    "/done 5k 28:31 hot and humid\n"
    "/sleep 7.5h\n"
    "/streak\n"
)


class Pacer:
    """Runs `pacer ...` in a fresh process against one database."""

    def __init__(self, url: str, cwd: Path) -> None:
        self.url = url
        self.cwd = cwd

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return run_pacer(self.cwd, *args, env={"PACER_DATABASE_URL": self.url}, stdin=stdin)

    def ok(self, *args: str, stdin: str = "") -> str:
        """The output of a run that must succeed without a traceback."""
        result = self(*args, stdin=stdin)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        return result.stdout


@pytest.fixture(params=["sqlite", "postgres"])
async def pacer(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Pacer]:
    """`pacer` on an empty database: a new SQLite file, or an emptied PostgreSQL schema."""
    if request.param == "sqlite":
        yield Pacer(sqlite_url(tmp_path / "fresh.db"), tmp_path)
        return
    url = postgres_url_or_skip()
    db = create_database(url)
    await empty_postgres(db)  # `pacer db upgrade` makes the schema
    await db.dispose()
    yield Pacer(url, tmp_path)
    db = create_database(url)  # the other tests expect the schema: leave it migrated
    try:
        await upgrade(db)
    finally:
        await db.dispose()


def no_database(tmp_path: Path) -> Pacer:
    """For subcommands that never open the database."""
    return Pacer(sqlite_url(tmp_path / "never.db"), tmp_path)


async def link_accounts(url: str, user: str, telegram: str, discord: str) -> None:
    """The console runner `user` also writes from Telegram and Discord (one runner)."""
    db = create_database(url)
    try:
        async with UnitOfWorkFactory(db)() as uow:
            runner_id = await uow.session.scalar(
                select(Identity.runner_id).where(
                    Identity.platform == "console", Identity.external_id == user))
            assert runner_id is not None
            now = datetime.now(UTC)
            for platform, external in (("telegram", telegram), ("discord", discord)):
                uow.session.add(Identity(runner_id=runner_id, platform=platform,
                                         external_id=external, chat_id=external,
                                         last_seen_at=now))
    finally:
        await db.dispose()


def test_db_upgrade_on_nothing_then_again(pacer: Pacer) -> None:
    assert pacer.ok("db", "upgrade") == "database is up to date\n"
    assert pacer.ok("db", "upgrade") == "database is up to date\n"  # idempotent


def test_a_piped_journey_through_run_console(pacer: Pacer) -> None:
    pacer.ok("db", "upgrade")
    out = pacer.ok("run", "--console", "--user", "ana", stdin=JOURNEY)
    assert "Welcome to Pacer, ana! Here is your setup:\n" in out
    # The process runs on the real clock: today's plan may hold any session, or a rest day.
    assert "\n✓ Logged today: 5 km in 28:31 · 5:42/km — “hot and humid”\n" in out
    assert "\n😴 Logged 7 h 30 min for last night.\n" in out
    assert "\n🔥 Streak: " in out
    assert "> " not in out  # piped: no prompts


def test_run_console_as_a_club_channel(pacer: Pacer) -> None:
    pacer.ok("db", "upgrade")
    lines = (
        '/challenge new "Winter Miles" metric=sessions until=2027-02-28\n'
        "--as bob /challenge join\n"
        "--as bob /challenge end\n"
    )
    out = pacer.ok("run", "--console", "--user", "ana", "--club", "Milers", stdin=lines)
    assert "🏁 New challenge: Winter Miles" in out
    assert "Welcome to Winter Miles, bob!" in out
    assert "Only the group's admins can end a challenge. Ask one of them!\n" in out


def test_plan_prints_text_json_and_ics(tmp_path: Path) -> None:
    pacer = no_database(tmp_path)
    args = ("plan", "--level", "beginner", "--start", "2027-01-04", "--weeks", "1")
    out = pacer.ok(*args)
    assert out.startswith("Pacer plan · beginner · training days: Mon, Wed, Sat · "
                          "2027-01-04 to 2027-01-10\n")
    plan = json.loads(pacer.ok(*args, "--format", "json"))
    assert set(plan) >= {"athlete", "paces", "days"}
    assert [d["date"] for d in plan["days"]][:2] == ["2027-01-04", "2027-01-05"]
    ics = pacer.ok(*args, "--format", "ics")
    sessions = [d for d in plan["days"] if d["type"] != "rest"]
    assert ics.startswith("BEGIN:VCALENDAR") and ics.count("BEGIN:VEVENT") == len(sessions)
    assert not (tmp_path / "never.db").exists()  # a plan is printed, never stored


async def test_export_json_and_csv_for_each_platform(pacer: Pacer) -> None:
    pacer.ok("db", "upgrade")
    pacer.ok("run", "--console", "--user", "ana", stdin=JOURNEY)
    await link_accounts(pacer.url, "ana", "1001", "710000000000000003")

    for who in (("--user", "ana"), ("--telegram", "1001"), ("--discord", "710000000000000003")):
        document = json.loads(pacer.ok("export", *who))
        assert document["runner"]["level"] == "improving", who
        assert document["accounts"] == [
            {"platform": "console", "id": "ana"},
            {"platform": "discord", "id": "710000000000000003"},
            {"platform": "telegram", "id": "1001"},
        ]
        [log] = document["logs"]
        assert (log["distance_m"], log["note"]) == (5000, "hot and humid")
        assert round(log["minutes"], 4) == 28.5167
        assert document["sleep"][0]["hours"] == 7.5

        rows = list(csv.DictReader(io.StringIO(pacer.ok("export", *who, "--format", "csv"))))
        assert [(r["minutes"], r["distance_m"], r["note"]) for r in rows] == [
            ("28.52", "5000", "hot and humid")], who


def test_export_of_someone_unknown_is_one_line_and_exit_code_2(pacer: Pacer) -> None:
    pacer.ok("db", "upgrade")
    result = pacer("export", "--telegram", "42")
    assert result.returncode == 2
    assert result.stderr == "pacer export: no runner known as Telegram user id 42\n"


def test_discord_sync_help(tmp_path: Path) -> None:
    pacer = no_database(tmp_path)
    out = pacer.ok("discord", "sync", "--help")
    assert out.startswith("usage: pacer discord sync [-h] [--guild GUILD]\n")
    assert "--guild GUILD  a server (guild) id" in out
    assert not (tmp_path / "never.db").exists()
