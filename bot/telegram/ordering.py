"""Updates of different runners concurrently, each runner's own updates in order, and no
runner able to take everybody's turn.

PTB handles updates one at a time by default, so one slow reply holds up everybody; with plain
`concurrent_updates` a runner's quick "beginner" then "3" could be handled out of order and
answer the wrong onboarding question. This processor keys updates by sender.

Order of waiting matters. PTB's own semaphore (taken before `do_process_update`, by its final
`process_update`) is only a memory bound here, set well above the real limit. Inside it an
update first waits for its sender's turn, and only then for one of the `max_concurrent_updates`
shared slots: a sender with forty updates in flight holds one slot, not all of them (40 `/pace`
in a group made another runner's `/help` wait 14.8 s when the slot came first). A sender with
more than `max_waiting_per_sender` updates already waiting is flooding: further updates are
dropped (logged), so a flood costs one slot and a short queue, never a growing backlog.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# PTB's bound on updates inside the processor (waiting for their sender or a slot): a memory
# bound, as many senders' queues as could plausibly be waiting at once.
ADMITTED_PER_SLOT = 16


@dataclass
class _Sender:
    """One sender's turn: the lock, and how many updates hold or wait for it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0
    dropped: int = 0  # in the current flood (reset when the sender goes quiet)


class PerSenderUpdateProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` at once, one at a time per sender, and at most
    `max_waiting_per_sender` of a sender's updates waiting behind the one being handled."""

    def __init__(self, max_concurrent_updates: int, max_waiting_per_sender: int = 8) -> None:
        if max_concurrent_updates < 1 or max_waiting_per_sender < 0:
            raise ValueError("max_concurrent_updates >= 1 and max_waiting_per_sender >= 0")
        super().__init__(max_concurrent_updates * ADMITTED_PER_SLOT)
        self.slots = max_concurrent_updates
        self.max_waiting_per_sender = max_waiting_per_sender
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, _Sender] = {}  # freed when a sender has nothing in flight

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _sender(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        sender = self._locks.setdefault(key, _Sender())
        if sender.users > self.max_waiting_per_sender:  # one handled + the waiting ones
            self._drop(key, sender, update, coroutine)
            return
        sender.users += 1
        try:
            # The sender's turn first, then a shared slot (locks are fair: first come, first
            # served).
            async with sender.lock, self._slots:
                await coroutine
        finally:
            sender.users -= 1
            if sender.users == 0:
                del self._locks[key]

    def _drop(self, key: int, sender: _Sender, update: object, coroutine: Awaitable[Any]) -> None:
        if inspect.iscoroutine(coroutine):
            coroutine.close()  # never started: nothing to undo
        sender.dropped += 1
        if sender.dropped == 1:
            update_id = update.update_id if isinstance(update, Update) else "?"
            log.warning(
                "telegram: sender %s has %d updates queued; dropping update %s and any more "
                "until the queue shortens", key, sender.users, update_id,
            )

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _sender(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
