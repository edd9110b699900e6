"""Queries for the outbox table outside a claim: queueing rows once, expiring, cancelling,
counting and purging them (the claim's own queries are in `core.storage.outbox_leases`).

A row's life (`pending` → `sent` | `dead` | `stale` | `cancelled`; `skipped` records a
decision with nothing to send) is described in `core.schedule.outbox`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from core.storage.models import OutboxMessage, RunLog, Skip
from core.storage.unit_of_work import UnitOfWork

PENDING = "pending"
SENT = "sent"
DEAD = "dead"
STALE = "stale"
SKIPPED = "skipped"
CANCELLED = "cancelled"
FINISHED = (SENT, DEAD, STALE, SKIPPED, CANCELLED)

OUTBOX = cast(Table, OutboxMessage.__table__)


def _insert_ignoring_duplicates(dialect: str) -> Insert:
    """`INSERT INTO outbox ... ON CONFLICT (key) DO NOTHING` for the dialect."""
    if dialect == "postgresql":
        return postgresql.insert(OUTBOX).on_conflict_do_nothing(index_elements=["key"])
    return sqlite.insert(OUTBOX).on_conflict_do_nothing(index_elements=["key"])


async def insert_new(uow: UnitOfWork, rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Insert outbox rows (column values), skipping keys already present; returns the (kind,
    status) of those inserted."""
    if not rows:
        return []
    stmt = _insert_ignoring_duplicates(uow.dialect).returning(OUTBOX.c.kind, OUTBOX.c.status)
    result = await uow.session.execute(stmt, [dict(r) for r in rows])
    return [(kind, status) for kind, status in result]


async def existing_keys(uow: UnitOfWork, keys: Collection[str]) -> set[str]:
    """Those of `keys` that have a row."""
    if not keys:
        return set()
    return set(await uow.session.scalars(
        select(OutboxMessage.key).where(OutboxMessage.key.in_(list(keys)))
    ))


async def expire_stale(uow: UnitOfWork, platform: str, now: datetime) -> int:
    """Mark pending rows past `expires_at` (not leased) as stale; returns how many."""
    result = await uow.session.execute(
        update(OUTBOX)
        .where(
            OUTBOX.c.platform == platform,
            OUTBOX.c.status == PENDING,
            OUTBOX.c.expires_at <= now,
            or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
        )
        .values(status=STALE, claimed_until=None, last_error="expired before it could be sent")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def logged_or_skipped(uow: UnitOfWork, days: Collection[tuple[int, date]]
                            ) -> set[tuple[int, date]]:
    """Those of these (runner id, local date) pairs with a run logged or a skip."""
    done: set[tuple[int, date]] = set()
    if not days:
        return done
    pairs = list(days)
    for model in (RunLog, Skip):
        rows = await uow.session.execute(
            select(model.runner_id, model.local_date).where(
                tuple_(model.runner_id, model.local_date).in_(pairs)
            )
        )
        done.update((runner_id, day) for runner_id, day in rows)
    return done


async def cancel(uow: UnitOfWork, ids: Collection[int], reason: str) -> None:
    """Mark these rows cancelled (their lease given up), with `reason`."""
    if ids:
        await uow.session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(list(ids)))
            .values(status=CANCELLED, claimed_until=None, claim_token=None, last_error=reason)
        )


async def status_counts(uow: UnitOfWork, kind: str | None = None) -> dict[str, int]:
    """How many rows are in each status (optionally of one kind)."""
    stmt = select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status)
    if kind is not None:
        stmt = stmt.where(OUTBOX.c.kind == kind)
    return {status: count for status, count in await uow.session.execute(stmt)}


async def purge(uow: UnitOfWork, before: datetime, *, limit: int = 10_000) -> int:
    """Delete up to `limit` finished rows created before `before`; how many."""
    old = (
        select(OUTBOX.c.id)
        .where(and_(OUTBOX.c.created_at < before, OUTBOX.c.status.in_(FINISHED)))
        .order_by(OUTBOX.c.id)
        .limit(limit)
    )
    result = await uow.session.execute(
        delete(OUTBOX).where(OUTBOX.c.id.in_(old.scalar_subquery()))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
