"""`pacer run` as a real process for tests: started with asyncio (the test's own loop keeps
serving the fake Bot API meanwhile), its log captured in a file, stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class PacerProcess:
    """A running `pacer run`; `log()` is what it wrote to stderr so far."""

    proc: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def wait_for_log(self, text: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Wait until the process logged `text` (polling its log file: another process)."""
        async with asyncio.timeout(timeout):
            while text not in self.log():
                if self.proc.returncode is not None:
                    raise AssertionError(f"pacer exited ({self.proc.returncode}):\n{self.log()}")
                await asyncio.sleep(0.05)


def pacer_env(tmp_path: Path, **env: str) -> dict[str, str]:
    """The environment of a test process: no PACER_* of the caller, a file database."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PACER_")}
    environ["PACER_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'pacer.db'}"
    environ.update(env)
    environ["PYTHONPATH"] = str(ROOT)
    return environ


@asynccontextmanager
async def running_pacer(
    tmp_path: Path, *args: str, name: str = "pacer", **env: str
) -> AsyncIterator[PacerProcess]:
    """`python -m bot.cli run ARGS` until the block ends, then SIGTERM (kill after 20 s)."""
    log_path = tmp_path / f"{name}.log"
    with log_path.open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", *args,
            cwd=tmp_path, env=pacer_env(tmp_path, **env),
            stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
        )
    running = PacerProcess(proc, log_path)
    try:
        yield running
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(20):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()
