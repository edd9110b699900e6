"""`pacer` as a real process for the operations tests: the environment, start, and reading
its log lines (the delivery tests use `tests.support.pacer_process`)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEALTH_LINE = re.compile(r"health: http://([\d.]+):(\d+)/healthz")


def pacer_env(**values: str) -> dict[str, str]:
    """The caller's environment without its PACER_* settings, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACER_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(values)
    return env


def pacer_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


async def start_pacer(cwd: Path, env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *pacer_argv(*args), cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


class LogReader:
    """Reads a process's stderr line by line, keeping every line seen."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream
        self.lines: list[str] = []

    async def until(self, pattern: re.Pattern[str], timeout: float = 30.0) -> re.Match[str]:  # noqa: ASYNC109
        """The first line (seen before or coming) that matches; AssertionError on timeout."""
        for line in self.lines:
            if found := pattern.search(line):
                return found
        try:
            async with asyncio.timeout(timeout):
                while True:
                    raw = await self.stream.readline()
                    if not raw:
                        break
                    line = raw.decode(errors="replace").rstrip("\n")
                    self.lines.append(line)
                    if found := pattern.search(line):
                        return found
        except TimeoutError:
            pass
        raise AssertionError(f"no line matching {pattern.pattern!r}; log:\n" +
                             "\n".join(self.lines))

    async def rest(self) -> None:
        """Read what is left, to the end of the stream."""
        while raw := await self.stream.readline():
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))
