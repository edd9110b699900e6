"""The console adapter as a transcript: `out = await ana.type("2")` is what the terminal shows."""

from __future__ import annotations

import io
from pathlib import Path

from bot.console import Console, ConsoleChannel
from tests.support.testbot import TestBot


class ConsoleTranscript:
    """One terminal running `pacer run --console --user NAME [--club CLUB]` on the test bot."""

    def __init__(
        self, bot: TestBot, user: str = "ana", *, club: str | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self.out = io.StringIO()
        self.console = Console(
            bot.pacer, user, out=self.out, files_dir=files_dir or Path("pacer-files"),
            channel=ConsoleChannel(club) if club else None,
        )

    async def type(self, line: str) -> str:
        """Type one line; returns everything the terminal printed for it."""
        start = len(self.out.getvalue())
        await self.console.say(line)
        return self.out.getvalue()[start:]

    def printed(self) -> str:
        return self.out.getvalue()
