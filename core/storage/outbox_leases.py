"""Outbox leases: claiming ready rows, renewing the claim, and recording outcomes under it.

A claim stamps a batch of rows with a fresh random `claim_token`, the worker's name and a
short lease (`claimed_until`). Every later write for those rows (renewal, sent, failed,
released) matches the token, so an outcome is recorded only by the claim that still holds the
row: once a lease ran out and another worker claimed the row, the token differs and the late
write changes nothing (the caller is told how many rows it still held).

PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows;
SQLite has a single writer (`BEGIN IMMEDIATE`), and the same `UPDATE ... RETURNING` is atomic.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, or_, select, true, update

from core.storage.models import Identity, OutboxMessage
from core.storage.unit_of_work import UnitOfWork

OUTBOX = cast(Table, OutboxMessage.__table__)
PENDING = "pending"
SENT = "sent"
DEAD = "dead"


@dataclass(frozen=True)
class LeasedRow:
    """A row leased to one claim (`token`)."""

    id: int
    key: str
    runner_id: int | None
    platform: str
    chat_id: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    token: str


@dataclass(frozen=True)
class Failure:
    """A failed attempt: retry at `retry_at`, or (None) give up with `reason`."""

    id: int
    reason: str
    retry_at: datetime | None


def new_token() -> str:
    return secrets.token_hex(16)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def claim(
    uow: UnitOfWork, platform: str, worker: str, now: datetime, *, limit: int, lease: timedelta,
    chats: Collection[str] | None = None,
) -> list[LeasedRow]:
    """Lease up to `limit` ready rows of one platform to `worker` under one new token,
    oldest first (by id, so a chat's pushes keep their order); only those to `chats`, when
    given (a console takes its own runner's pushes)."""
    token = new_token()
    ready = (
        select(OUTBOX.c.id)
        .where(
            OUTBOX.c.platform == platform,
            OUTBOX.c.chat_id.in_(chats) if chats is not None else true(),
            OUTBOX.c.status == PENDING,
            OUTBOX.c.next_attempt_at <= now,
            OUTBOX.c.expires_at > now,
            or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
        )
        .order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # renders as nothing on SQLite: one writer anyway
    )
    stmt = (
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(ready.scalar_subquery()))
        .values(claimed_until=now + lease, claimed_by=worker, claim_token=token)
        .returning(
            OUTBOX.c.id, OUTBOX.c.key, OUTBOX.c.runner_id, OUTBOX.c.platform, OUTBOX.c.chat_id,
            OUTBOX.c.kind, OUTBOX.c.payload, OUTBOX.c.attempts,
        )
    )
    rows = (await uow.session.execute(stmt)).all()
    return sorted(
        (LeasedRow(r.id, r.key, r.runner_id, r.platform, r.chat_id, r.kind, r.payload,
                   r.attempts, token) for r in rows),
        key=lambda c: c.id,
    )


def _held(token: str, ids: Sequence[int] | None = None) -> Any:
    held = and_(OUTBOX.c.claim_token == token, OUTBOX.c.status == PENDING)
    return held if ids is None else and_(held, OUTBOX.c.id.in_(ids))


async def renew(uow: UnitOfWork, token: str, now: datetime, lease: timedelta) -> int:
    """Extend the lease of every row the claim still holds; returns how many it holds."""
    result = await uow.session.execute(
        update(OUTBOX).where(_held(token)).values(claimed_until=now + lease)
    )
    return _count(result)


async def mark_sent(uow: UnitOfWork, ids: Sequence[int], token: str, now: datetime) -> int:
    """Record sends; returns how many rows the claim still held (the others were lost)."""
    if not ids:
        return 0
    result = await uow.session.execute(
        update(OUTBOX)
        .where(_held(token, ids))
        .values(status=SENT, sent_at=now, attempts=OUTBOX.c.attempts + 1,
                claimed_until=None, claim_token=None, last_error=None)
    )
    return _count(result)


async def mark_failed(uow: UnitOfWork, failures: Iterable[Failure], token: str) -> int:
    """Record failed attempts: retries get their next time, the rest become dead letters."""
    held = 0
    for failure in failures:
        values: dict[str, Any] = {
            "attempts": OUTBOX.c.attempts + 1,
            "claimed_until": None,
            "claim_token": None,
            "last_error": failure.reason[:2000],
        }
        if failure.retry_at is None:
            values["status"] = DEAD
        else:
            values["next_attempt_at"] = failure.retry_at
        result = await uow.session.execute(
            update(OUTBOX).where(_held(token, [failure.id])).values(**values)
        )
        held += _count(result)
    return held


async def mark_unreachable(uow: UnitOfWork, item: LeasedRow, reason: str) -> None:
    """The recipient blocked the bot: no more pushes to that chat until they write again.

    The runner's identity is marked unreachable (the dispatcher resets it when they write)
    and every pending row for that chat not leased to someone else becomes a dead letter.
    """
    if item.runner_id is not None:
        await uow.session.execute(
            update(Identity)
            .where(
                Identity.runner_id == item.runner_id,
                Identity.platform == item.platform,
                Identity.chat_id == item.chat_id,
            )
            .values(reachable=False, unreachable_reason=reason[:200])
        )
    await uow.session.execute(
        update(OUTBOX)
        .where(
            OUTBOX.c.platform == item.platform,
            OUTBOX.c.chat_id == item.chat_id,
            OUTBOX.c.status == PENDING,
            or_(OUTBOX.c.claim_token == item.token, OUTBOX.c.claimed_until.is_(None)),
        )
        .values(status=DEAD, claimed_until=None, claim_token=None,
                last_error=f"blocked: {reason}"[:2000])
    )


async def release(uow: UnitOfWork, ids: Sequence[int], token: str) -> int:
    """Give back leases without an attempt (shutdown, lease about to run out)."""
    if not ids:
        return 0
    result = await uow.session.execute(
        update(OUTBOX).where(_held(token, ids)).values(claimed_until=None, claim_token=None)
    )
    return _count(result)


async def defer(uow: UnitOfWork, later: Iterable[tuple[int, datetime]], token: str) -> int:
    """Give back leases without an attempt, each row ready again only at its given time (a
    rate-limit wait longer than the lease left)."""
    held = 0
    for row_id, ready_at in later:
        result = await uow.session.execute(
            update(OUTBOX).where(_held(token, [row_id]))
            .values(claimed_until=None, claim_token=None, next_attempt_at=ready_at)
        )
        held += _count(result)
    return held


async def release_worker_claims(uow: UnitOfWork, worker: str) -> int:
    """On start: a restarted worker with a stable name takes its old leases back at once."""
    result = await uow.session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.claimed_by == worker, OUTBOX.c.status == PENDING,
               OUTBOX.c.claimed_until.is_not(None))
        .values(claimed_until=None, claim_token=None)
    )
    return _count(result)


async def move_chat(uow: UnitOfWork, platform: str, old_chat: str, new_chat: str) -> int:
    """Pending rows addressed to a chat that changed its id (a Telegram group became a
    supergroup) follow it; returns how many."""
    result = await uow.session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.platform == platform, OUTBOX.c.chat_id == old_chat,
               OUTBOX.c.status == PENDING)
        .values(chat_id=new_chat)
    )
    return _count(result)
