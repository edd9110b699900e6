"""Housekeeping of `processed_updates`, the memory of platform update ids already handled.

Telegram re-delivers an update only while it holds it: never for longer than 24 hours. After
at least a week without updates it starts numbering afresh from a random id, so an old id can
come back as a new message. Hence two horizons:

- `REDELIVERY_WINDOW` (2 days): an id seen within it is a re-delivery and ignored; an id last
  seen before it is a new update that happens to reuse the number, and is handled (the row's
  time is renewed). Recording is one statement in `core.app`.
- `RETENTION` (7 days): rows older than this are deleted by the hourly housekeeping of the
  scheduler tick, so the table holds about a week of traffic.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from core.storage.models import ProcessedUpdate
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
