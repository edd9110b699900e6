"""Housekeeping of `processed_updates`, the memory of platform update ids already handled.

Telegram re-delivers an update only while it holds it: never for longer than 24 hours. After
at least a week without updates it starts numbering afresh from a random id, so an old id can
come back as a new message. Hence two horizons:

- `REDELIVERY_WINDOW` (2 days): an id seen within it is a re-delivery and ignored; an id last
  seen before it is a new update that happens to reuse the number, and is handled (the row's
  time is renewed). Recording is one statement (`UpdateRepository.record`, which `core.app`
  runs for every message with an update id).
- `RETENTION` (7 days): rows older than this are deleted by the hourly housekeeping of the
  scheduler tick, so the table holds about a week of traffic.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete

from core.storage import direct
from core.storage.models import ProcessedUpdate, UTCDateTime

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork

REDELIVERY_WINDOW = timedelta(days=2)
RETENTION = timedelta(days=7)


async def purge_processed_updates(uow: UnitOfWork, now: datetime) -> int:
    """Delete the ids handled more than `RETENTION` before `now`; how many (an hour's worth
    of traffic each time: the tick runs it hourly, on the `processed_at` index)."""
    result = await uow.session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - RETENTION)
    )
    return int(getattr(result, "rowcount", 0) or 0)


class UpdateRepository:
    """Platform update ids already handled, on one unit of work (plain values in and out)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def record(self, platform: str, update_id: str, now: datetime) -> bool:
        """Record the update id; False when it was recorded within `REDELIVERY_WINDOW` (a
        re-delivery). An id last seen before that is a new update reusing the number: its row
        is renewed. An insert that ignores conflicts is one statement; a concurrent duplicate
        still waits on the row lock and then finds it taken."""
        values = {
            "platform": platform, "update_id": update_id, "processed_at": now,
            "reusable_before": now - REDELIVERY_WINDOW,
        }
        return await direct.run(self._uow, _RECORD_UPDATE, values) > 0

    async def seen(self, platform: str, update_id: str) -> bool:
        """Whether the update id is recorded."""
        row = await self._uow.session.get(ProcessedUpdate, (platform, update_id))
        return row is not None


_RECORD_UPDATE = direct.Statement(  # every message with an update id runs it
    "INSERT INTO processed_updates (platform, update_id, processed_at) "
    "VALUES (:platform, :update_id, :processed_at) "
    "ON CONFLICT (platform, update_id) DO UPDATE SET processed_at = excluded.processed_at "
    "WHERE processed_updates.processed_at < :reusable_before",
    params={"processed_at": UTCDateTime(), "reusable_before": UTCDateTime()},
)
