"""The outbox: scheduled messages written once, claimed by one worker at a time, sent or not.

Life of a row: `pending` → `sent` | `dead` (permanent error, blocked recipient or too many
attempts; the reason is kept in `last_error`) | `stale` (past `expires_at`, never sent) |
`cancelled` (no longer true, e.g. a nudge for a run logged meanwhile). `skipped` rows record a
decision with nothing to send, so the tick does not reconsider it.

Claiming sets a short lease (`claimed_until`, `claimed_by`, a fresh `claim_token`) in one short
transaction and returns the rows; the network send happens outside any transaction; the outcome
is written in another, only while the claim's token still holds the row (see
`core.storage.outbox_leases`, where those queries live). A live sender renews its lease while it
sends; a worker that dies leaves its leases to run out (seconds, not minutes), then the rows are
claimable again.
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from core.messages import Attachment, Choice, Reply
from core.schedule.audience import is_personal
from core.schedule.due import DuePush
from core.storage import outbox as stored
from core.storage import outbox_leases as leases
from core.storage.outbox import (
    CANCELLED,
    DEAD,
    FINISHED,
    PENDING,
    SENT,
    SKIPPED,
    STALE,
    expire_stale,
    purge,
    status_counts,
)
from core.storage.outbox_leases import (
    Failure,
    LeasedRow,
    defer,
    mark_failed,
    mark_sent,
    mark_unreachable,
    release,
    release_worker_claims,
    renew,
)
from core.storage.unit_of_work import UnitOfWork

__all__ = [  # the queries live in core.storage.outbox(_leases); re-exported for callers
    "CANCELLED", "DEAD", "FINISHED", "PENDING", "SENT", "SKIPPED", "STALE",
    "Failure", "defer", "expire_stale", "mark_failed", "mark_sent", "mark_unreachable",
    "purge", "release", "release_worker_claims", "renew", "status_counts",
]


def reply_to_payload(reply: Reply, **extra: Any) -> dict[str, Any]:
    """A JSON-able form of a reply (attachments base64-encoded), plus extra fields."""
    payload: dict[str, Any] = {"text": reply.text, **extra}
    if reply.choices:
        payload["choices"] = [[[c.label, c.command] for c in row] for row in reply.choices]
    if reply.attachments:
        payload["attachments"] = [
            [a.filename, a.mime, base64.b64encode(a.content).decode("ascii")]
            for a in reply.attachments
        ]
    if reply.private:
        payload["private"] = True
    return payload


def payload_to_reply(payload: dict[str, Any]) -> Reply:
    choices = tuple(
        tuple(Choice(label, command) for label, command in row)
        for row in payload.get("choices", ())
    )
    attachments = tuple(
        Attachment(name, base64.b64decode(data), mime)
        for name, mime, data in payload.get("attachments", ())
    )
    return Reply(payload["text"], choices, attachments, bool(payload.get("private")))


@dataclass(frozen=True)
class Claimed(LeasedRow):
    """A row this worker holds a lease on (under the claim's `token`)."""

    @property
    def reply(self) -> Reply:
        """The push; a personal one is `private` (never posted in a club channel instead)."""
        reply = payload_to_reply(self.payload)
        return replace(reply, private=True) if is_personal(self.kind) else reply

    @property
    def group(self) -> bool:
        """A group chat or server channel (stricter rate limits on Telegram)."""
        return bool(self.payload.get("group"))

    @property
    def local_date(self) -> date | None:
        value = self.payload.get("local_date")
        return date.fromisoformat(value) if value else None


async def enqueue(uow: UnitOfWork, rows: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Insert outbox rows, skipping keys already present; returns (kind, status) inserted."""
    return await stored.insert_new(uow, rows)


async def record_shown(
    uow: UnitOfWork, pushes: Sequence[DuePush], *, platform: str, chat_id: str, now: datetime
) -> None:
    """Record due pushes as already answered by a reply (today's session in the welcome), so
    the scheduler never sends them too. Keys already in the outbox are left as they are."""
    await enqueue(uow, [
        outbox_row(
            key=push.key, kind=push.kind, platform=platform, chat_id=chat_id,
            payload={"local_date": push.local_date.isoformat()}, now=now, due_at=push.due_at,
            expires_at=push.expires_at, runner_id=push.runner_id, status=SKIPPED,
            last_error="already shown in a reply",
        )
        for push in pushes
    ])


def outbox_row(
    *,
    key: str,
    kind: str,
    platform: str,
    chat_id: str,
    payload: dict[str, Any],
    now: datetime,
    due_at: datetime,
    expires_at: datetime,
    runner_id: int | None = None,
    status: str = PENDING,
    last_error: str | None = None,
) -> dict[str, Any]:
    """The column values of a new outbox row."""
    return {
        "key": key, "runner_id": runner_id, "platform": platform, "chat_id": chat_id,
        "kind": kind, "payload": payload, "status": status, "attempts": 0, "created_at": now,
        "due_at": due_at, "expires_at": expires_at, "next_attempt_at": min(due_at, now),
        "last_error": last_error,  # claimed_until, claimed_by and sent_at start out NULL
    }


async def claim(
    uow: UnitOfWork, platform: str, worker: str, now: datetime, *, limit: int, lease: timedelta,
    chats: Collection[str] | None = None,
) -> list[Claimed]:
    """Lease up to `limit` ready rows of one platform to `worker` (one new token), oldest
    first (only those to `chats`, when given: a console takes its own runner's pushes); see
    `core.storage.outbox_leases`."""
    rows = await leases.claim(uow, platform, worker, now, limit=limit, lease=lease, chats=chats)
    return [Claimed(**vars(r)) for r in rows]


async def cancel_obsolete(uow: UnitOfWork, claimed: list[Claimed]) -> list[Claimed]:
    """Drop nudges, and sessions that ask for a log (Done / Skip buttons), whose day got
    logged or skipped since they were queued; returns the rest."""
    nudges = [c for c in claimed if c.runner_id and c.local_date and (
        c.kind == "nudge" or (c.kind == "session" and c.payload.get("choices")))]
    if not nudges:
        return claimed
    done = await stored.logged_or_skipped(
        uow, {(c.runner_id, c.local_date) for c in nudges if c.runner_id and c.local_date})
    obsolete = [c.id for c in nudges if (c.runner_id, c.local_date) in done]
    await stored.cancel(uow, obsolete, "logged or skipped meanwhile")
    return [c for c in claimed if c.id not in set(obsolete)]
