"""Replies to a group wait for the group's rate limit in a queue, not in an update slot.

Telegram allows a bot about 20 messages a minute in one group (`ratelimit`). An update whose
reply waits out that limit inside its handler keeps one of the shared update slots and its
sender's turn for up to a minute; a busy group would soon hold every slot. Instead, a group
update is handled (the core's work, in its slot) and its delivery is queued here: one queue and
one worker task per group, so each group's replies keep their order, while updates of other
chats go on.

A group's queue is capped (`max_pending`): when a group is flooded beyond what the limit can
ever send in time, the newest deliveries are dropped and logged, not kept for minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

Delivery = Callable[[], Awaitable[None]]


@dataclass
class _Group:
    queue: asyncio.Queue[Delivery] = field(default_factory=asyncio.Queue)
    worker: asyncio.Task[None] | None = None


class GroupReplyQueue:
    """Per-group FIFO of deliveries, each group's sent by its own task."""

    def __init__(self, max_pending: int = 30) -> None:
        self.max_pending = max_pending
        self._groups: dict[int, _Group] = {}
        self._closed = False

    def submit(self, chat_id: int, delivery: Delivery) -> bool:
        """Queue `delivery` for group `chat_id`; False if the group's queue is full (dropped)
        or the queue is closed."""
        if self._closed:
            return False
        group = self._groups.setdefault(chat_id, _Group())
        if group.queue.qsize() >= self.max_pending:
            log.warning("telegram: %d replies already queued for group %s; dropping one",
                        group.queue.qsize(), chat_id)
            return False
        group.queue.put_nowait(delivery)
        if group.worker is None or group.worker.done():
            group.worker = asyncio.create_task(self._work(chat_id, group),
                                               name=f"telegram-group-replies:{chat_id}")
        return True

    def pending(self) -> int:
        """Deliveries queued or being sent, in every group."""
        return sum(g.queue.qsize() + (g.worker is not None and not g.worker.done())
                   for g in self._groups.values())

    async def close(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Stop taking deliveries; send what is queued (for up to `timeout` seconds)."""
        self._closed = True
        workers = [g.worker for g in self._groups.values() if g.worker is not None]
        if not workers:
            return
        _, late = await asyncio.wait(workers, timeout=timeout)
        for task in late:
            task.cancel()
        for task in late:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if late:
            log.warning("telegram: %d group(s) had replies left unsent at shutdown", len(late))

    async def _work(self, chat_id: int, group: _Group) -> None:
        while not group.queue.empty():
            delivery = group.queue.get_nowait()
            try:
                await delivery()
            except Exception:  # a delivery handles its own errors; this is a last resort
                log.exception("telegram: a queued reply to group %s failed", chat_id)
        if self._groups.get(chat_id) is group:
            del self._groups[chat_id]  # nothing kept for quiet groups
