"""The console adapter: chat with Pacer in the terminal, one message per line from stdin.

Works interactively and piped (`printf '/help\\n' | pacer run`), ending cleanly at EOF. Buttons
are shown numbered (a button labelled with a number by that number); typing a button's number
always presses it (a number no button has is an answer as typed), on replies and on pushes
alike. Images and documents are saved to files named per runner (`stats-ana.png`).

With `--club CLUB` the terminal is that club's group channel: the console's `--user` is its
admin (the first user who opened it), a line starting `--as NAME` is said by the member NAME,
and `--dm` sends a line to Pacer privately (setup, your own logs) instead of to the channel.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from core.activity.unpack import MAX_FILE_BYTES
from core.app import Pacer
from core.clubs.chats import console_channel_admin
from core.delivery import ConsoleMessenger
from core.exporting import file_stem
from core.markup import to_plain
from core.messages import ChatKind, Choice, Platform, Reply, Request, Upload

_PREFIX = re.compile(r"^--(?:as\s+(?P<speaker>\S+)|(?P<dm>dm))(?:\s+|$)")


def parse_line(line: str) -> tuple[str, str]:
    """Split a typed line into (command, text); plain text has command ""."""
    line = line.strip()
    if not line.startswith("/"):
        return "", line
    head, _, rest = line[1:].partition(" ")
    return head.split("@", 1)[0].lower(), rest.strip()


@dataclass(frozen=True)
class ConsoleChannel:
    """A club's group channel played in the terminal (`--club CLUB`)."""

    club: str

    @property
    def chat_id(self) -> str:
        return f"club:{file_stem(self.club)}"[:64]


@dataclass(frozen=True)
class Said:
    """Who said a typed line, and where."""

    speaker: str
    private: bool
    line: str


class Console:
    """One terminal: a local runner talking to Pacer, or a club channel (`channel`)."""

    def __init__(
        self,
        pacer: Pacer,
        user: str,
        out: TextIO | None = None,
        files_dir: Path | None = None,
        channel: ConsoleChannel | None = None,
    ) -> None:
        self.pacer = pacer
        self.user = user
        self.out = out or sys.stdout
        self.files_dir = files_dir or Path("pacer-files")
        self.channel = channel
        self.admin: str | None = None  # the channel's admin, known once it is opened
        self.awaiting_input = False  # a prompt is showing (interactive terminals)
        self._choices: dict[int, Choice] = {}

    @property
    def chats(self) -> frozenset[str]:
        """The chats this terminal shows pushes for: its runner's, and its club channel's."""
        return frozenset({self.user, *([self.channel.chat_id] if self.channel else [])})

    def messenger(self) -> ConsoleMessenger:
        """Pushes to this terminal's chats, printed here; their buttons can be pressed."""

        def show(chat_id: str, reply: Reply) -> None:
            mine = self.channel is None or chat_id == self.user
            where = chat_id if mine or self.channel is None else f"#{self.channel.club}"
            prompted = self.awaiting_input
            if prompted:
                self.out.write("\n")  # off the prompt's line
            self.out.write(f"⏰ (Pacer, to {where})\n")
            # A push without buttons leaves the numbers of an open question as they were.
            self.show(reply, files_of=chat_id if mine else None, keep_buttons=True)
            if prompted:
                self.out.write("> ")  # the prompt again, where the next line is typed
                self.out.flush()

        return ConsoleMessenger(show, chats=self.chats)

    async def open(self) -> None:
        """Open the club channel (once): its first user becomes its admin."""
        if self.channel is None or self.admin is not None:
            return
        async with self.pacer.uow() as uow:
            self.admin = await console_channel_admin(
                uow, self.channel.chat_id, self.channel.club, self.user, self.pacer.clock.now()
            )

    def said(self, line: str) -> Said:
        """Read the `--as NAME` and `--dm` prefixes of a line (club channels only)."""
        speaker, private, rest = self.user, self.channel is None, line.strip()
        while self.channel is not None and (found := _PREFIX.match(rest)):
            if found["speaker"]:
                speaker = found["speaker"]
            else:
                private = True
            rest = rest[found.end():]
        return Said(speaker, private, rest)

    def pressed(self, line: str) -> str:
        """A typed number presses the button shown with that number (`[2] 07:00` → `07:00`);
        a number no button has is an answer as typed."""
        stripped = line.strip()
        if stripped.isdecimal() and stripped.isascii() and int(stripped) in self._choices:
            return self._choices[int(stripped)].command
        return stripped

    def request(self, line: str) -> Request:
        said = self.said(line)
        command, text = parse_line(self.pressed(said.line))
        if said.private or self.channel is None:
            return Request(
                platform=Platform.CONSOLE, user_id=said.speaker, chat_id=said.speaker,
                command=command, text=text, display_name=said.speaker,
                upload=local_file(text) if command == "import" else None,
            )
        return Request(
            platform=Platform.CONSOLE, user_id=said.speaker, chat_id=self.channel.chat_id,
            command=command, text=text, display_name=said.speaker, chat_kind=ChatKind.GROUP,
            is_admin=said.speaker == self.admin, chat_title=self.channel.club,
        )

    async def say(self, line: str) -> list[Reply]:
        """Handle one typed line and print the replies."""
        await self.open()
        request = self.request(line)
        replies = await self.pacer.handle(request)
        in_channel = request.chat_kind is ChatKind.GROUP
        for reply in replies:
            if reply.private and in_channel:
                self.out.write(f"(privately, to {request.user_id})\n")
            # A board in the channel is the club's file; everything else is the speaker's.
            owner = None if in_channel and not reply.private else request.user_id
            self.show(reply, files_of=owner)
        return replies

    def show(
        self, reply: Reply, files_of: str | None = None, *, keep_buttons: bool = False
    ) -> None:
        """Print a reply with its numbered buttons (which the typed numbers press from now on,
        or, with `keep_buttons` and none here, still the earlier ones); save its files (named
        after the runner `files_of`, when they are a runner's)."""
        self.out.write(to_plain(reply.text).rstrip() + "\n")
        shown = numbered([c for row in reply.choices for c in row])
        if shown or not keep_buttons:
            self._choices = shown
        for number, choice in shown.items():
            self.out.write(f"  [{number}] {choice.label}  ({choice.command})\n")
        for attachment in reply.attachments:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            name = attachment.filename if files_of is None else per_runner(
                attachment.filename, files_of)
            path = self.files_dir / name
            path.write_bytes(attachment.content)
            self.out.write(f"  (saved {name} to {path})\n")
        self.out.write("\n")
        self.out.flush()


def numbered(choices: list[Choice]) -> dict[int, Choice]:
    """The number each button is shown (and typed) with: its place, 1 up; but a button whose
    label is a number has that number (the days buttons 3 to 7: typing 2 is the answer "2",
    never the second button), and the others follow the largest."""
    labelled = {int(c.label): c for c in choices if c.label.isdecimal() and c.label.isascii()}
    if not labelled:
        return dict(enumerate(choices, start=1))
    rest = [c for c in choices if c not in labelled.values()]
    return {**labelled, **dict(enumerate(rest, start=max(labelled) + 1))}


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


def per_runner(filename: str, user: str) -> str:
    """A file name that says whose it is (`stats.png` → `stats-ana.png`, `pacer-plan.ics` →
    `plan-ana.ics`), so runners sharing a folder never overwrite each other's files."""
    stem = file_stem(user)
    path = Path(filename)
    if stem in path.stem.split("-"):
        return filename
    return f"{path.stem.removeprefix('pacer-')}-{stem}{path.suffix}"


async def read_lines(
    stream: TextIO, prompt: Callable[[], None], ready: threading.Event | None = None
) -> asyncio.Queue[str | None]:
    """Feed stdin lines into a queue from a thread (works for terminals and pipes); None = EOF.

    With `ready`, the next prompt waits until the previous line's replies are printed."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def pump() -> None:
        while True:
            if ready is not None:
                ready.wait()
                ready.clear()
            prompt()
            line = stream.readline()
            loop.call_soon_threadsafe(queue.put_nowait, line if line else None)
            if not line:
                return

    # A daemon thread: a blocked readline must never keep the process alive on Ctrl-C.
    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue


def greeting(console: Console) -> str:
    if console.channel is None:
        return f"Pacer console — you are {console.user!r}. Try /help. Ctrl-D quits.\n\n"
    role = "its admin" if console.admin == console.user else "a member"
    return (
        f"Pacer console — club channel #{console.channel.club}; you are {console.user!r}, "
        f"{role}.\nTry /challenge. Start a line with --as NAME to speak as another member, "
        "with --dm to message Pacer privately (e.g. --dm /start). Ctrl-D quits.\n\n"
    )


async def run_console(console: Console, stdin: TextIO | None = None) -> None:
    """Run the chat until EOF (Ctrl-D) on stdin."""
    stdin = stdin or sys.stdin
    interactive = stdin.isatty()
    await console.open()
    if interactive:
        console.out.write(greeting(console))

    def prompt() -> None:
        if interactive:
            console.out.write("> ")
            console.out.flush()
            console.awaiting_input = True

    ready = threading.Event()
    ready.set()
    queue = await read_lines(stdin, prompt, ready)
    while (line := await queue.get()) is not None:
        console.awaiting_input = False
        if line.strip():
            await console.say(line)
        ready.set()  # the replies are out: now the prompt
