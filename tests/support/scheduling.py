"""Drive the scheduler like production does, on the test bot's fake clock.

`PushHarness(bot)` ticks and drains into a recording messenger; `await h.run_until(...)`
steps the clock and collects what runners receive, with the instant each push arrived.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from core.clubs.announcements import ClubFeeds
from core.delivery import DeliveryError, RecordingMessenger
from core.markup import to_plain
from core.schedule.ratelimit import UNLIMITED
from core.schedule.sender import DrainReport, Sender
from core.schedule.tick import Ticker, TickReport
from core.storage.models import OutboxMessage, PlannedSession, Runner
from tests.support.testbot import TestBot

# Around every due time (reminder 07:00, recap 18:00, nudge 19:00), and well after them.
DAY_TIMES = ("00:30", "06:59", "07:00", "07:30", "12:00", "17:59", "18:00", "19:00", "19:30",
             "21:30", "23:59")


@dataclass(frozen=True)
class Push:
    """A push a runner received."""

    at: datetime
    key: str
    chat_id: str
    text: str
    buttons: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    def local(self, tz: str) -> str:
        return self.at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


class PushHarness:
    """A tick plus a drain per step, as the scheduler's jobs would run them."""

    def __init__(
        self,
        bot: TestBot,
        *,
        failures: list[DeliveryError | None] | None = None,
        clubs: ClubFeeds | None = None,
        max_attempts: int = 8,
        **ticker_options: Any,
    ) -> None:
        self.bot = bot
        self.messenger = RecordingMessenger("console", failures)
        self.ticker = Ticker(bot.uow, bot.clock, clubs=clubs, **ticker_options)
        self.sender = Sender(
            bot.uow, self.messenger, bot.clock, worker="test-worker", limits=UNLIMITED,
            max_attempts=max_attempts, rng=random.Random(7),
            monotonic=lambda: bot.clock.now().timestamp(), sleep=self._wait,
        )
        self.pushes: list[Push] = []
        self.ticks: list[TickReport] = []
        self.drains: list[DrainReport] = []

    async def _wait(self, seconds: float) -> None:
        """The sender waiting (a platform's retry-after): fake time passes instead."""
        self.bot.clock.advance(timedelta(seconds=seconds))

    async def step(self, *, tick: bool = True, drain: bool = True) -> None:
        if tick:
            self.ticks.append(await self.ticker.run())
        if drain:
            before = len(self.messenger.sent)
            self.drains.append(await self.sender.drain())
            for d in self.messenger.sent[before:]:
                buttons = tuple(c.command for row in d.reply.choices for c in row)
                self.pushes.append(
                    Push(self.bot.clock.now(), d.key or "", d.chat_id, to_plain(d.reply.text),
                         buttons)
                )

    async def run_until(
        self, when: str, tz: str = "UTC", every: timedelta = timedelta(minutes=30)
    ) -> list[Push]:
        """Step from the current instant to local `when`; returns the pushes received."""
        end = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(tz))
        before = len(self.pushes)
        while self.bot.clock.now() <= end:
            await self.step()
            self.bot.clock.advance(every)
        self.bot.clock.set(end)
        return self.pushes[before:]

    async def run_days(
        self, first: str, last: str, tz: str, times: tuple[str, ...] = DAY_TIMES
    ) -> list[Push]:
        """Step through the given local times of each day from `first` to `last`."""
        before = len(self.pushes)
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            for hhmm in times:
                self.bot.clock.set(datetime.fromisoformat(f"{day}T{hhmm}").replace(
                    tzinfo=ZoneInfo(tz)))
                await self.step()
            day += timedelta(days=1)
        return self.pushes[before:]

    def of(self, kind: str) -> list[Push]:
        return [p for p in self.pushes if p.kind == kind]

    @property
    def stale(self) -> int:
        return sum(t.stale for t in self.ticks) + sum(d.stale for d in self.drains)


async def runner_id(bot: TestBot, user: str = "ann") -> int:
    async with bot.uow(readonly=True) as uow:
        found = await uow.session.scalar(
            select(Runner.id).where(Runner.display_name == user.capitalize())
        )
        assert found is not None, f"no runner {user}"
        return found


async def planned(bot: TestBot, user: str = "ann") -> dict[date, tuple[str, int]]:
    """The stored plan: local date → (type, run_minutes)."""
    rid = await runner_id(bot, user)
    async with bot.uow(readonly=True) as uow:
        rows = await uow.session.execute(
            select(PlannedSession.date, PlannedSession.type, PlannedSession.run_minutes).where(
                PlannedSession.runner_id == rid
            )
        )
        return {d: (t, m) for d, t, m in rows}


async def make_run_day(bot: TestBot, day: date, user: str = "ann", minutes: int = 30) -> None:
    """Turn a stored plan day into an easy run (tests that need one on a given date)."""
    rid = await runner_id(bot, user)
    async with bot.uow() as uow:
        row = await uow.session.scalar(
            select(PlannedSession).where(
                PlannedSession.runner_id == rid, PlannedSession.date == day
            )
        )
        assert row is not None, f"no plan row on {day}"
        detail = dict(row.detail, text=f"Easy run · {minutes} min")
        row.type, row.run_minutes, row.minutes, row.title = "easy", minutes, minutes, "Easy run"
        row.intensity, row.key, row.detail = "easy", False, detail


async def outbox_rows(bot: TestBot, **where: Any) -> list[OutboxMessage]:
    async with bot.uow(readonly=True) as uow:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        for column, value in where.items():
            stmt = stmt.where(getattr(OutboxMessage, column) == value)
        rows = list(await uow.session.scalars(stmt))
        uow.session.expunge_all()  # keep them readable after the unit of work ends
        return rows


async def set_outbox(bot: TestBot, key: str, **values: Any) -> None:
    async with bot.uow() as uow:
        await uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.key == key).values(**values)
        )
