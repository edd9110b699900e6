"""The console adapter: chat with Pacer in the terminal, one message per line from stdin.

Works interactively and piped (`printf '/help\\n' | pacer run`), ending cleanly at EOF. Buttons
are shown numbered; typing the number presses one. Images and documents are saved to files.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from core.activity.unpack import MAX_FILE_BYTES
from core.app import Pacer
from core.markup import to_plain
from core.messages import Choice, Platform, Reply, Request, Upload


def parse_line(line: str) -> tuple[str, str]:
    """Split a typed line into (command, text); plain text has command ""."""
    line = line.strip()
    if not line.startswith("/"):
        return "", line
    head, _, rest = line[1:].partition(" ")
    return head.split("@", 1)[0].lower(), rest.strip()


class Console:
    """One local runner talking to Pacer."""

    def __init__(
        self,
        pacer: Pacer,
        user: str,
        out: TextIO | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self.pacer = pacer
        self.user = user
        self.out = out or sys.stdout
        self.files_dir = files_dir or Path("pacer-files")
        self._choices: list[Choice] = []

    def request(self, line: str) -> Request:
        stripped = line.strip()
        # A typed number presses that button, unless the buttons are themselves plain answers
        # (a guided question), where the number is the answer.
        commands = [c.command for c in self._choices]
        if (
            stripped.isdigit()
            and 0 < int(stripped) <= len(commands)
            and all(c.startswith("/") for c in commands)
        ):
            stripped = commands[int(stripped) - 1]
        command, text = parse_line(stripped)
        return Request(
            platform=Platform.CONSOLE,
            user_id=self.user,
            chat_id=self.user,
            command=command,
            text=text,
            display_name=self.user,
            upload=local_file(text) if command == "import" else None,
        )

    async def say(self, line: str) -> list[Reply]:
        """Handle one typed line and print the replies."""
        replies = await self.pacer.handle(self.request(line))
        for reply in replies:
            self.show(reply)
        return replies

    def show(self, reply: Reply) -> None:
        self.out.write(to_plain(reply.text).rstrip() + "\n")
        self._choices = [c for row in reply.choices for c in row]
        for number, choice in enumerate(self._choices, start=1):
            self.out.write(f"  [{number}] {choice.label}  ({choice.command})\n")
        for attachment in reply.attachments:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / attachment.filename
            path.write_bytes(attachment.content)
            self.out.write(f"  (saved {attachment.filename} to {path})\n")
        self.out.write("\n")
        self.out.flush()


def local_file(text: str) -> Upload | None:
    """`/import PATH`: the file at PATH, as a chat upload (not read when over the size
    limit); None when there is no such file (the core says so)."""
    path = Path(text.strip().strip("'\"")).expanduser()
    try:
        size = path.stat().st_size
        if not path.is_file():
            return None
        return Upload(path.name, size, b"" if size > MAX_FILE_BYTES else path.read_bytes())
    except (OSError, ValueError):
        return None


async def read_lines(stream: TextIO, prompt: Callable[[], None]) -> asyncio.Queue[str | None]:
    """Feed stdin lines into a queue from a thread (works for terminals and pipes); None = EOF."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def pump() -> None:
        while True:
            prompt()
            line = stream.readline()
            loop.call_soon_threadsafe(queue.put_nowait, line if line else None)
            if not line:
                return

    # A daemon thread: a blocked readline must never keep the process alive on Ctrl-C.
    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue


async def run_console(pacer: Pacer, user: str, stdin: TextIO | None = None) -> None:
    """Run the chat until EOF (Ctrl-D) on stdin."""
    stdin = stdin or sys.stdin
    console = Console(pacer, user)
    interactive = stdin.isatty()
    if interactive:
        console.out.write(f"Pacer console — you are {user!r}. Try /help. Ctrl-D quits.\n\n")

    def prompt() -> None:
        if interactive:
            console.out.write("> ")
            console.out.flush()

    queue = await read_lines(stdin, prompt)
    while (line := await queue.get()) is not None:
        if line.strip():
            await console.say(line)
