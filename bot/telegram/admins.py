"""Who may run admin commands in a group: Telegram's own list, cached briefly.

One `getChatAdministrators` call per group per TTL (concurrent askers share it). A failed call
is not cached and counts as "not an admin": refusing an admin command for a moment is better
than letting anyone run it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, ChatMember

from bot.telegram.retry import Retrier
from core.delivery import DeliveryError

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})
Fetch = Callable[[int], Awaitable[Sequence[ChatMember]]]


class AdminCache:
    """`await cache.is_admin(chat_id, user_id)`, asking Telegram at most once per `ttl`."""

    def __init__(
        self,
        fetch: Fetch,
        *,
        ttl: float = 300.0,
        max_chats: int = 10_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self.ttl = ttl
        self.max_chats = max_chats
        self._monotonic = monotonic
        self._admins: OrderedDict[int, tuple[float, frozenset[int]]] = OrderedDict()
        self._pending: dict[int, asyncio.Future[frozenset[int]]] = {}

    @classmethod
    def for_bot(cls, bot: Bot, retrier: Retrier, *, ttl: float = 300.0) -> AdminCache:
        """A cache that asks `bot`, retrying like any other call."""

        async def fetch(chat_id: int) -> Sequence[ChatMember]:
            return await retrier.run(
                lambda: bot.get_chat_administrators(chat_id), "getChatAdministrators"
            )

        return cls(fetch, ttl=ttl)

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        """True if `user_id` is the creator or an administrator of group `chat_id`."""
        try:
            admins = await self.admins(chat_id)
        except DeliveryError as err:
            log.warning("telegram: cannot list the admins of %s (%s)", chat_id, err)
            return False
        return user_id in admins

    async def admins(self, chat_id: int) -> frozenset[int]:
        """The user ids of the group's creator and administrators."""
        cached = self._admins.get(chat_id)
        if cached is not None and self._monotonic() - cached[0] < self.ttl:
            return cached[1]
        task = self._pending.get(chat_id)
        if task is None:
            task = asyncio.ensure_future(self._load(chat_id))
            self._pending[chat_id] = task
            task.add_done_callback(lambda done: self._settled(chat_id, done))
        # Shielded: a caller that is cancelled does not cancel the lookup others wait for.
        return await asyncio.shield(task)

    async def _load(self, chat_id: int) -> frozenset[int]:
        members = await self._fetch(chat_id)
        admins = frozenset(m.user.id for m in members if m.status in ADMIN_STATUSES)
        self._store(chat_id, admins)
        return admins

    def _settled(self, chat_id: int, task: asyncio.Future[frozenset[int]]) -> None:
        self._pending.pop(chat_id, None)
        if not task.cancelled():
            task.exception()  # retrieved here too: no warning if every asker was cancelled

    def forget(self, chat_id: int) -> None:
        """Drop what is known about a group (e.g. after a change in its admins)."""
        self._admins.pop(chat_id, None)

    def _store(self, chat_id: int, admins: frozenset[int]) -> None:
        self._admins[chat_id] = (self._monotonic(), admins)
        self._admins.move_to_end(chat_id)
        while len(self._admins) > self.max_chats:
            self._admins.popitem(last=False)
