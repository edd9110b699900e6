"""Bulk-insert onboarded runners whose daily session falls due together (tests, benchmarks).

Rows go in with executemany in large batches, straight into the tables (no training engine):
each runner gets a private-chat identity, a plan, and planned days for today and for the
plan-horizon day, so the tick has a session to render and no plan upkeep to do.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert

from core.planning import REFRESH_BELOW_DAYS
from core.storage.database import Database
from core.storage.models import Identity, Plan, PlannedSession, Runner

BATCH = 10_000
SESSION_TEXT = (
    "<b>{day:%a} {day.day} {day:%b} · Easy run</b>\n30 min · easy\n"
    "30 min at a conversational pace: you can talk in full sentences.\n"
    "• Run 30 min easy: conversational (RPE 3–4/10)\n"
    "<i>Tip: Form: relax your shoulders and keep your hands loose.</i>"
)


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


async def seed_due_runners(
    db: Database,
    count: int,
    day: date,
    joined: datetime,
    *,
    tz: str = "UTC",
    reminder: str = "07:00",
    platform: str = "console",
    first_id: int = 1,
) -> list[int]:
    """Insert `count` runners (first seen at `joined`) due at `reminder` on `day`; their ids."""
    ids = list(range(first_id, first_id + count))
    text = SESSION_TEXT.format(day=day)
    detail = {"date": day.isoformat(), "type": "easy", "title": "Easy run", "text": text,
              "minutes": 30, "run_minutes": 30, "intensity": "easy", "note": None}
    horizon = day + timedelta(days=REFRESH_BELOW_DAYS)
    for start in range(0, count, BATCH):
        chunk = ids[start : start + BATCH]
        async with db.engine.begin() as conn:
            await conn.execute(insert(_table(Runner)), [
                {"id": i, "display_name": f"Runner {i}", "level": "improving",
                 "training_days": "0,2,4,6", "tz": tz, "units": "km", "reminder_time": reminder,
                 "quiet": False, "nudges": True, "onboarded": True, "plan_start": day,
                 "created_at": joined, "updated_at": joined}
                for i in chunk
            ])
            await conn.execute(insert(_table(Identity)), [
                {"id": i, "runner_id": i, "platform": platform, "external_id": f"u{i}",
                 "chat_id": f"chat-{i}", "reachable": True, "last_seen_at": joined}
                for i in chunk
            ])
            await conn.execute(insert(_table(Plan)), [
                {"id": i, "runner_id": i, "start_date": day, "end_date": horizon,
                 "athlete": {"level": "improving"}, "created_at": joined}
                for i in chunk
            ])
            await conn.execute(insert(_table(PlannedSession)), [
                {"runner_id": i, "plan_id": i, "date": d, "week": 1, "type": "easy",
                 "title": "Easy run", "minutes": 30, "run_minutes": 30, "intensity": "easy",
                 "key": False, "detail": detail}
                for i in chunk for d in (day, horizon)
            ])
    return ids
