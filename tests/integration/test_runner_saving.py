"""A runner is a plain value, stored only when a handler changed it (issue 16): the
dispatcher's lookup stays one statement, an unchanged runner costs no statement, and a changed
one one UPDATE of what changed — on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from core.storage.database import Database
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.support.testbot import TestBot

LOOKUP = "JOIN identities ON identities.runner_id = runners.id"


class SqlSeen:
    """The text of every SQL statement sent: SQLAlchemy's engine events, and on SQLite the
    writers' connection's trace callback (the direct statements bypass SQLAlchemy there)."""

    def __init__(self, db: Database) -> None:
        self.sql: list[str] = []
        self._writer: Any = None
        event.listen(db.engine.sync_engine, "before_cursor_execute", self._engine_event)

    async def watch_writer(self, uow: UnitOfWorkFactory) -> None:
        async with uow() as u:
            self._writer = await u.sqlite_driver()
        if self._writer is not None:
            await self._writer.set_trace_callback(self.sql.append)

    def _engine_event(self, conn: Any, cursor: Any, statement: str, *_: object) -> None:
        if self._writer is None or conn.connection.driver_connection is not self._writer:
            self.sql.append(statement)

    def runner_updates(self) -> list[str]:
        return [s for s in self.sql if s.lstrip().upper().startswith("UPDATE RUNNERS")]


async def test_an_unchanged_runner_costs_no_statement_a_changed_one_one_update(
    any_bot: TestBot,
) -> None:
    bot = any_bot
    await bot.add_runner("ann")
    await bot.say("/today")  # the plan is made: later /today calls change nothing
    seen = SqlSeen(bot.db)
    await seen.watch_writer(bot.uow)

    await bot.say("/today")
    await bot.say("/help")
    assert sum(LOOKUP in s for s in seen.sql) == 2  # runner and identity: one statement each
    assert seen.runner_updates() == []

    seen.sql.clear()
    assert "Units: kilometres → miles" in await bot.say("/settings units=mi")
    assert sum(LOOKUP in s for s in seen.sql) == 1
    (update,) = seen.runner_updates()
    assert "units" in update and "level" not in update  # only what changed
    async with bot.uow(readonly=True) as u:
        found = await u.runners.find("console", "ann")
    assert found is not None and found[0].units == "mi"


async def test_a_guided_answer_and_onboarding_are_stored(any_bot: TestBot) -> None:
    bot = any_bot
    await bot.say("/start")
    await bot.say("beginner")
    async with bot.uow(readonly=True) as u:
        found = await u.runners.find("console", "ann")
    assert found is not None
    runner = found[0]
    assert runner.display_name == "Ann" and not runner.onboarded
    assert runner.conversation is not None and runner.conversation["answers"]["level"] == (
        "beginner"
    )
    await bot.say("/start level=improving days=mon,wed,sat tz=Europe/Berlin mile=7:30")
    async with bot.uow(readonly=True) as u:
        found = await u.runners.find("console", "ann")
    assert found is not None
    runner = found[0]
    assert runner.onboarded and runner.conversation is None
    assert (runner.level, runner.tz, runner.mile_time_s) == ("improving", "Europe/Berlin", 450.0)
    assert runner.plan_start == bot.clock.now().date()
