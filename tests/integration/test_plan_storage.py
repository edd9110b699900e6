"""Planned days as stored: what a replan, an adaptation and a skip leave in the database, and
the export that reads them back (compared to the document the app wrote before planned days
became plain values: `golden/export_plan.json`).

The fake clock starts on Monday 2 November 2026, 08:00 UTC.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import cli
from core.storage.models import Plan, PlannedSession
from core.storage.plans import NewPlan, StoredDay
from tests.integration.test_export_delete import db_env  # noqa: F401 (a fixture)
from tests.integration.test_today_week import runner_id
from tests.support.testbot import TestBot

GOLDEN = Path(__file__).parent / "golden" / "export_plan.json"
START = "/start level=improving days=mon,wed,fri,sat tz=UTC units=km mile=7:30 goal=7:00"


async def stored(bot: TestBot, first: date, last: date) -> list[StoredDay]:
    """The planned days as a fresh unit of work reads them: what was committed."""
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as uow:
        return await uow.plans.between(rid, first, last)


async def live_a_fortnight(bot: TestBot) -> None:
    """Onboarding, runs, short sleep, a skip and missed days."""
    await bot.say(START)
    await bot.say("/done 5k 28:30")
    bot.at("2026-11-03 07:00")
    await bot.say("/sleep 5h")
    bot.at("2026-11-04 07:00")
    await bot.say("/skip sick")
    bot.at("2026-11-09 07:00")  # Friday and Saturday missed
    await bot.say("/today")
    await bot.say("/done 30min")
    bot.at("2026-11-16 07:00")
    await bot.say("/today")


def without_clock(document: dict[str, Any]) -> dict[str, Any]:
    """The export without `exported_at` (the CLI reads the wall clock)."""
    return {k: v for k, v in document.items() if k != "exported_at"}


async def test_a_skipped_day_is_stored_with_the_adapted_week(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.say(START)
    bot.at("2026-11-04 07:00")
    [before] = await stored(bot, date(2026, 11, 4), date(2026, 11, 4))
    assert before.run_minutes > 0 and before.detail.get("note") is None

    reply = await bot.say("/skip sick")

    [after] = await stored(bot, date(2026, 11, 4), date(2026, 11, 4))
    assert isinstance(after, StoredDay)
    assert after.detail["note"] and after.detail["note"] in reply
    assert after.date == date(2026, 11, 4) and after.detail["date"] == "2026-11-04"


async def test_short_sleep_eases_the_stored_hard_session(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.say(START)
    week = await stored(bot, date(2026, 11, 2), date(2026, 11, 8))
    hard = [d for d in week if d.intensity == "hard"]
    assert hard, "the improving plan has a hard session in its first week"
    bot.at(f"{hard[0].date.isoformat()} 07:00")

    reply = await bot.say("/sleep 4h")

    [eased] = await stored(bot, hard[0].date, hard[0].date)
    assert "easy run" in reply
    assert eased.intensity != "hard" and eased.date == hard[0].date


async def test_missed_days_adapt_and_an_extended_plan_is_stored(any_bot: TestBot) -> None:
    bot = any_bot
    await live_a_fortnight(bot)
    rid = await runner_id(bot)
    async with bot.uow(readonly=True) as uow:
        assert await uow.plans.last_day(rid) == date(2026, 12, 1)  # planned on 4 November
    bot.at("2026-11-18 07:00")  # fewer than 14 planned days ahead: /today extends the plan
    await bot.say("/today")
    async with bot.uow(readonly=True) as uow:
        last = await uow.plans.last_day(rid)
        days = await uow.plans.all_days(rid)
    assert last == date(2026, 12, 15)  # 28 days from 18 November
    assert [d.date for d in days] == sorted({d.date for d in days})
    assert days[0].date == date(2026, 11, 2) and days[-1].date == last
    assert all(isinstance(d, StoredDay) for d in days)
    friday = {d.date: d for d in days}[date(2026, 11, 20)]  # Monday's fartlek was missed
    assert friday.type == "fartlek" and friday.key
    assert str(friday.detail["note"]).startswith("Moved from Monday")


async def test_a_stored_plan_reads_back_through_the_orm_as_written(any_bot: TestBot) -> None:
    """Written directly, read by the ORM: the same values (JSON, booleans, aware instants)."""
    bot = any_bot
    rid = await bot.add_runner("ann")
    monday, at = date(2026, 11, 2), datetime(2026, 11, 2, 7, 30, 15, 123456, tzinfo=UTC)
    day = StoredDay(monday, 1, "intervals", "Intervals: 5 × 400 m", 40, 30, "hard", True,
                    {"note": "Zoë's <b>first</b>", "reps": [{"count": 5}], "paces": None})
    async with bot.uow() as uow:
        await uow.plans.replace_from(monday, NewPlan(rid, monday, monday, {"level": "x"}, at,
                                                     [day]))
    async with bot.uow(readonly=True) as uow:
        plan = await uow.session.scalar(select(Plan).where(Plan.runner_id == rid))
        row = await uow.session.scalar(select(PlannedSession).where(
            PlannedSession.runner_id == rid))
        assert plan is not None and row is not None
        assert (plan.start_date, plan.end_date, plan.athlete, plan.created_at) == (
            monday, monday, {"level": "x"}, at)
        assert row.plan_id == plan.id
        assert StoredDay(row.date, row.week, row.type, row.title, row.minutes, row.run_minutes,
                         row.intensity, row.key, row.detail) == day
        assert await uow.plans.day(rid, monday) == day


async def test_the_export_reads_the_stored_plan_as_before(any_bot: TestBot) -> None:
    bot = any_bot
    await live_a_fortnight(bot)
    [reply] = await bot.replies("/export")
    [document] = [json.loads(a.content) for a in reply.attachments
                  if a.filename.endswith(".json")]
    assert without_clock(document) == without_clock(json.loads(GOLDEN.read_text()))


@pytest.mark.usefixtures("db_env")
async def test_pacer_export_prints_the_stored_plan_as_before(
    bot: TestBot, capsys: pytest.CaptureFixture[str]
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
