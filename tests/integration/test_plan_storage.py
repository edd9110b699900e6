"""Planned days as stored: what a replan, an adaptation and a skip leave in the database, and
the export that reads them back (compared to the document the app wrote before planned days
became plain values: `golden/export_plan.json`).

The fake clock starts on Monday 2 November 2026, 08:00 UTC.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from core.runners import find_runner
from tests.support.testbot import TestBot

GOLDEN = Path(__file__).parent / "golden" / "export_plan.json"
START = "/start level=improving days=mon,wed,fri,sat tz=UTC units=km mile=7:30 goal=7:00"


async def runner_id(bot: TestBot, user: str = "ann") -> int:
    async with bot.uow(readonly=True) as u:
        runner = await find_runner(u, "console", user)
        assert runner is not None
        return runner.id


async def live_a_fortnight(bot: TestBot) -> None:
    """Onboarding, runs, short sleep, a skip, missed days and the plan extended on /today."""
    await bot.say(START)
    await bot.say("/done 5k 28:30")
    bot.at("2026-11-03 07:00")
    await bot.say("/sleep 5h")
    bot.at("2026-11-04 07:00")
    await bot.say("/skip sick")
    bot.at("2026-11-09 07:00")  # Friday and Saturday missed
    await bot.say("/today")
    await bot.say("/done 30min")
    bot.at("2026-11-16 07:00")  # fewer than 14 planned days ahead: the plan is extended
    await bot.say("/today")


def without_clock(document: dict[str, Any]) -> dict[str, Any]:
    """The export without `exported_at` (the CLI reads the wall clock)."""
    return {k: v for k, v in document.items() if k != "exported_at"}


async def test_the_export_reads_the_stored_plan_as_before(any_bot: TestBot) -> None:
    bot = any_bot
    await live_a_fortnight(bot)
    [reply] = await bot.replies("/export")
    [document] = [json.loads(a.content) for a in reply.attachments
                  if a.filename.endswith(".json")]
    assert without_clock(document) == without_clock(json.loads(GOLDEN.read_text()))


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI's settings at the test database file."""
    monkeypatch.setenv("PACER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'pacer.db'}")


async def test_pacer_export_prints_the_stored_plan_as_before(
    bot: TestBot, db_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await live_a_fortnight(bot)
    capsys.readouterr()
    assert await asyncio.to_thread(cli.main, ["export", "--user", "ann"]) == 0
    out = capsys.readouterr().out
    golden = GOLDEN.read_text()
    # Byte for byte but the wall-clock stamp: key order and layout are part of the output.
    stamp = '  "exported_at": '
    strip = [line for line in out.splitlines() if not line.startswith(stamp)]
    assert strip == [line for line in golden.splitlines() if not line.startswith(stamp)]
