"""Outbox rows for the process tests: pushes written due now (real time, since another
process sends them), and each row's state read back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.schedule import outbox
from core.storage.database import Database
from core.storage.models import OutboxMessage
from core.storage.unit_of_work import UnitOfWorkFactory


async def queue_pushes(
    db: Database, platform: str, chat_ids: Sequence[str | int], *, kind: str = "session",
    group: bool = False,
) -> list[str]:
    """Write due pushes (one per chat, due now in real time) to the outbox; their keys."""
    now = datetime.now(UTC)
    keys = [f"{kind}:{chat}:{now.date()}" for chat in chat_ids]
    payload_extra = {"group": True} if group else {}
    async with UnitOfWorkFactory(db)() as uow:
        await outbox.enqueue(uow, [
            outbox.outbox_row(
                key=key, kind=kind, platform=platform, chat_id=str(chat),
                payload={"text": f"Good morning! Today: easy run ({chat})", **payload_extra},
                now=now, due_at=now - timedelta(seconds=1), expires_at=now + timedelta(hours=6),
            )
            for key, chat in zip(keys, chat_ids, strict=True)
        ])
    return keys


async def outbox_state(db: Database) -> dict[str, tuple[str, bool]]:
    """key → (status, still leased?)."""
    async with UnitOfWorkFactory(db)(readonly=True) as uow:
        rows = await uow.session.execute(
            select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.claimed_until))
        return {key: (status, until is not None) for key, status, until in rows}
