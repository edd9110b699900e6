"""A transcript-style test bot: `assert "streak: 4 days" in await bot.say("/streak")`."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.console import local_file
from core.app import Pacer
from core.clock import FakeClock
from core.markup import to_plain
from core.messages import ChatKind, Platform, Reply, Request
from core.storage.database import Database
from core.storage.models import Identity, Runner
from core.storage.unit_of_work import UnitOfWorkFactory

_update_ids = itertools.count(1)


class TestBot:
    """Talks to the real core on a real database with a fake clock."""

    __test__ = False  # not a pytest test class

    def __init__(self, db: Database, clock: FakeClock) -> None:
        self.db = db
        self.clock = clock
        self.uow = UnitOfWorkFactory(db)
        self.pacer = Pacer(self.uow, clock)
        self.last: list[Reply] = []

    def at(self, when: str, tz: str = "UTC") -> None:
        """Move the clock to a local time: `bot.at("2026-03-08 07:00", "America/New_York")`."""
        local = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(tz))
        self.clock.set(local)

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))

    def request(
        self,
        line: str,
        user: str = "ann",
        *,
        group: str | None = None,
        admin: bool = False,
        platform: Platform = Platform.CONSOLE,
        update_id: str | None = None,
    ) -> Request:
        line = line.strip()
        command, text = "", line
        if line.startswith("/"):
            head, _, text = line[1:].partition(" ")
            command = head.split("@", 1)[0].lower()
        return Request(
            platform=platform,
            user_id=user,
            chat_id=group or user,
            command=command,
            text=text.strip(),
            display_name=user.capitalize(),
            chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
            is_admin=admin,
            chat_title=group or "",
            update_id=update_id,
            # `/import PATH` on the console reads the file, as the console adapter does.
            upload=local_file(text) if command == "import" and platform is Platform.CONSOLE
            else None,
        )

    async def replies(self, line: str, user: str = "ann", **kw: object) -> list[Reply]:
        self.last = await self.pacer.handle(self.request(line, user, **kw))  # type: ignore[arg-type]
        return self.last

    async def say(self, line: str, user: str = "ann", **kw: object) -> str:
        """The plain text of every reply, joined by blank lines."""
        replies = await self.replies(line, user, **kw)
        return "\n\n".join(to_plain(r.text) for r in replies)

    async def add_runner(self, user: str, **profile: object) -> int:
        """An onboarded runner reached on the console as `user`, stored directly (no chat)."""
        now = self.clock.now()
        values: dict[str, object] = {
            "level": "beginner",
            "training_days": "0,2,5",
            "tz": "UTC",
            "onboarded": True,
            "plan_start": now.date(),
        }
        values.update(profile)
        async with self.uow() as u:
            runner = Runner(
                display_name=user.capitalize(), created_at=now, updated_at=now, **values
            )
            u.session.add(runner)
            await u.session.flush()
            u.session.add(
                Identity(
                    runner_id=runner.id,
                    platform="console",
                    external_id=user,
                    chat_id=user,
                    last_seen_at=now,
                )
            )
            return runner.id

    @staticmethod
    def next_update_id() -> str:
        return str(next(_update_ids))
