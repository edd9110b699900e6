"""Club channel messages: final results when a challenge ends, standings on Sunday evening.

The messages come from feeds (the clubs module's `finish_due_challenges` and
`weekly_standings`, wired in `bot.scheduling`), called inside the same unit of work that writes
their outbox rows: a feed that marks what it returned (an ended challenge) commits together with
the rows, so each result is queued exactly once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.messages import Reply
from core.schedule import outbox
from core.schedule.due import RECAP_TIME, RECAP_WEEKDAY, push_key, resolve_local
from core.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

ChannelPushes = Callable[[UnitOfWork, datetime], Awaitable[Sequence[tuple[str, str, Reply]]]]
"""A source of group-channel messages: (platform, chat_id, reply) for each channel."""

FINAL_RESULTS_TTL = timedelta(days=1)


@dataclass(frozen=True)
class ClubFeeds:
    """Where club channel messages come from."""

    weekly: ChannelPushes | None = None  # standings, Sunday evening in `tz`
    finals: ChannelPushes | None = None  # results of challenges that just ended
    tz: str = "UTC"


class ClubChannels:
    """Queues club channel messages from the feeds; called by every tick."""

    def __init__(self, uow: UnitOfWorkFactory, feeds: ClubFeeds) -> None:
        self.uow = uow
        self.feeds = feeds
        self._weekly_done: date | None = None  # this process asked for this Sunday already

    async def run(self, now: datetime) -> int:
        """Queue what the feeds have now; returns how many rows were written."""
        queued = 0
        if self.feeds.finals is not None:
            queued += await self._queue(self.feeds.finals, now, None) or 0
        if self.feeds.weekly is not None:
            tz = ZoneInfo(self.feeds.tz)
            local = now.astimezone(tz)
            sunday = local.date()
            evening = local.weekday() == RECAP_WEEKDAY and local.time() >= RECAP_TIME
            if evening and self._weekly_done != sunday:
                written = await self._queue(self.feeds.weekly, now, (sunday, tz))
                if written is not None:  # a failed feed is asked again at the next tick
                    self._weekly_done = sunday
                    queued += written
        return queued

    async def _queue(
        self, feed: ChannelPushes, now: datetime, weekly: tuple[date, ZoneInfo] | None
    ) -> int | None:
        kind = "club_final" if weekly is None else "club_recap"
        try:
            async with self.uow() as uow:
                rows = [
                    _row(kind, platform, chat_id, reply, now, weekly)
                    for platform, chat_id, reply in await feed(uow, now)
                ]
                return len(await outbox.enqueue(uow, rows))
        except Exception:
            log.exception("club feed %s failed; it is asked again at the next tick", kind)
            return None


def _row(
    kind: str, platform: str, chat_id: str, reply: Reply, now: datetime,
    weekly: tuple[date, ZoneInfo] | None,
) -> dict[str, object]:
    if weekly is not None:
        sunday, tz = weekly
        # One standings message per channel per Sunday, whichever worker asks first.
        key = push_key(kind, f"{platform}:{chat_id}", sunday)
        expires = resolve_local(sunday + timedelta(days=1), RECAP_TIME, tz)
    else:
        # Each ending is returned once (the feed marks it ended); the digest keeps keys unique.
        digest = hashlib.sha256(reply.text.encode()).hexdigest()[:16]
        key = f"{kind}:{platform}:{chat_id}:{digest}"
        expires = now + FINAL_RESULTS_TTL
    return outbox.outbox_row(
        key=key, kind=kind, platform=platform, chat_id=chat_id,
        payload=outbox.reply_to_payload(reply, group=True), now=now, due_at=now,
        expires_at=expires,
    )
