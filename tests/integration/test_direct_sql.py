"""Hand-written statements (`core.storage.direct`) store and read values exactly as the ORM
does and share the unit of work's transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Boolean, Date, Float, Integer, Text, select

from core.storage import direct
from core.storage.database import Database
from core.storage.models import RunLog, Runner, UTCDateTime
from core.storage.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=UTC)

INSERT = direct.Statement(
    "INSERT INTO run_logs (runner_id, local_date, logged_at, minutes, distance_m, note, "
    "as_planned, intensity, session_type, source) VALUES (:runner_id, :day, :at, :minutes, "
    "NULL, :note, :planned, 'easy', NULL, 'console') RETURNING id",
    params={"day": Date(), "at": UTCDateTime(), "planned": Boolean()},
    columns=(Integer(),),
)
READ = direct.Statement(
    "SELECT id, local_date, logged_at, minutes, note, as_planned FROM run_logs "
    "WHERE runner_id = :runner_id AND local_date BETWEEN :first AND :last ORDER BY id",
    params={"first": Date(), "last": Date()},
    columns=(Integer(), Date(), UTCDateTime(), Float(), Text(), Boolean()),
)
DELETE = direct.Statement("DELETE FROM run_logs WHERE runner_id = :runner_id")


async def _runner(uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        runner = Runner(display_name="Ana", created_at=NOW, updated_at=NOW)
        u.session.add(runner)
        await u.session.flush()
        return runner.id


async def test_a_direct_insert_reads_back_through_the_orm_and_the_other_way(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database)
    rid = await _runner(uow)
    berlin = timezone(timedelta(hours=2))
    async with uow() as u:
        row = await direct.first(u, INSERT, {"runner_id": rid, "day": date(2026, 3, 28),
                                             "at": NOW.astimezone(berlin), "minutes": 25.5,
                                             "note": "héllo <b>", "planned": True})
        assert row is not None
        u.session.add(RunLog(runner_id=rid, local_date=date(2026, 3, 29), logged_at=NOW,
                             minutes=None, note="", as_planned=False))
        await u.session.flush()
    async with uow(readonly=True) as u:
        orm = [(log.id, log.local_date, log.logged_at, log.minutes, log.note, log.as_planned)
               for log in await u.session.scalars(select(RunLog).order_by(RunLog.id))]
        read = await direct.rows(u, READ, {"runner_id": rid, "first": date(2026, 3, 1),
                                           "last": date(2026, 3, 31)})
    # Stored in UTC whatever zone it came in; read alike both ways.
    assert orm[0] == (row[0], date(2026, 3, 28), NOW, 25.5, "héllo <b>", True)
    assert [tuple(r) for r in read] == orm
    assert orm[1] == (orm[1][0], date(2026, 3, 29), NOW, None, "", False)
    assert read[0][2].tzinfo is not None


async def test_dates_compare_as_the_orm_stores_them(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    rid = await _runner(uow)
    async with uow() as u:
        for day in (date(2026, 2, 28), date(2026, 3, 1), date(2026, 12, 31)):
            u.session.add(RunLog(runner_id=rid, local_date=day, logged_at=NOW, note=""))
    async with uow(readonly=True) as u:
        march = await direct.rows(u, READ, {"runner_id": rid, "first": date(2026, 3, 1),
                                            "last": date(2026, 3, 31)})
    assert [r[1] for r in march] == [date(2026, 3, 1)]


async def test_direct_statements_share_the_unit_of_works_transaction(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database)
    rid = await _runner(uow)
    window = {"runner_id": rid, "first": date(2026, 1, 1), "last": date(2026, 12, 31)}
    with pytest.raises(RuntimeError):
        async with uow() as u:
            await direct.first(u, INSERT, {"runner_id": rid, "day": date(2026, 3, 28),
                                           "at": NOW, "minutes": 5, "note": "", "planned": False})
            assert len(await direct.rows(u, READ, window)) == 1  # seen inside
            raise RuntimeError("the command failed")
    async with uow() as u:
        assert await direct.rows(u, READ, window) == []  # rolled back with the rest
        u.session.add(RunLog(runner_id=rid, local_date=date(2026, 3, 2), logged_at=NOW, note=""))
        await u.session.flush()
        assert await direct.run(u, DELETE, {"runner_id": rid}) == 1  # sees the ORM's flush
        await u.rollback()  # and a rollback through the unit of work drops both
    async with uow(readonly=True) as u:
        assert await u.session.scalar(select(RunLog.id)) is None


async def test_a_row_written_directly_is_read_again_by_the_session(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    rid = await _runner(uow)
    write = direct.Statement("UPDATE runners SET display_name = :name WHERE id = :id")
    async with uow() as u:
        runner = await u.session.get(Runner, rid)
        assert runner is not None and runner.display_name == "Ana"
        await direct.run(u, write, {"name": "Bea", "id": rid})
        u.written(Runner, (rid,), {"display_name": "Bea"})
        assert runner.display_name == "Bea" and not u.session.dirty


async def test_on_sqlite_the_stored_text_is_the_orms_to_the_character(
    sqlite_db: Database,
) -> None:
    uow = UnitOfWorkFactory(sqlite_db)
    rid = await _runner(uow)
    on_the_second = datetime(2026, 3, 29, 0, 30, tzinfo=timezone(timedelta(hours=-5)))
    for at in (NOW, on_the_second):
        async with uow() as u:
            await direct.first(u, INSERT, {"runner_id": rid, "day": date(2026, 3, 28),
                                           "at": at, "minutes": 1, "note": "", "planned": True})
            u.session.add(RunLog(runner_id=rid, local_date=date(2026, 3, 28), logged_at=at,
                                 note="", as_planned=True))
    async with sqlite_db.engine.connect() as conn:
        stored = (await conn.exec_driver_sql(
            "SELECT local_date, logged_at, as_planned FROM run_logs ORDER BY id")).all()
    assert stored[0] == stored[1] == ("2026-03-28", "2026-03-29 00:30:15.123456", 1)
    assert stored[2] == stored[3] == ("2026-03-28", "2026-03-29 05:30:00.000000", 1)
