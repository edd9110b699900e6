"""`pacer run` as a real process for tests where the fault is at process level (a kill, a
signal, an exit code), next to fakes served by the test's own event loop.

    async with running_pacer(env, tmp_path / "w1.log") as pacer:
        ...
        pacer.signal(signal.SIGTERM)
        assert await pacer.exit_code(20) == 0

Every wait is bounded; the process's log (stderr) goes to a file, read with `pacer.log()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from core.schedule import outbox
from core.storage.database import Database
from core.storage.models import OutboxMessage
from core.storage.unit_of_work import UnitOfWorkFactory

ROOT = Path(__file__).resolve().parents[2]


class PacerProcess:
    """One `python -m bot.cli run` child process."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("PACER_")}
        environ.update(self.env, PYTHONPATH=str(ROOT))
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", cwd=self.log_path.parent, env=environ,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )

    def signal(self, sig: int) -> None:
        assert self.proc is not None and self.proc.returncode is None, "not running"
        self.proc.send_signal(sig)

    async def exit_code(self, timeout: float) -> int:  # noqa: ASYNC109 - one bound on the wait
        assert self.proc is not None
        async with asyncio.timeout(timeout):
            return await self.proc.wait()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def kill(self) -> None:
        if self.running:
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()


@contextlib.asynccontextmanager
async def running_pacer(env: dict[str, str], log_path: Path) -> AsyncIterator[PacerProcess]:
    """A started `pacer run`, killed on the way out if the test left it running."""
    pacer = PacerProcess(env, log_path)
    await pacer.start()
    try:
        yield pacer
    finally:
        await pacer.kill()


async def until(
    condition: Callable[[], bool], timeout: float, what: str,  # noqa: ASYNC109
    *, pacer: PacerProcess | None = None,
) -> float:
    """Wait (polling another process's effects) until `condition()`; the seconds it took."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not condition():
        elapsed = loop.time() - started
        if elapsed > timeout:
            log = pacer.log()[-3000:] if pacer is not None else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{log}")
        if pacer is not None and not pacer.running:
            raise AssertionError(f"pacer exited while waiting for {what}\n{pacer.log()[-3000:]}")
        await asyncio.sleep(0.05)  # the other process moves in real time
    return loop.time() - started


async def queue_pushes(
    db: Database, platform: str, chat_ids: Sequence[str | int], *, kind: str = "session",
    group: bool = False,
) -> list[str]:
    """Write due pushes (one per chat, due now in real time) to the outbox; their keys."""
    now = datetime.now(UTC)
    keys = [f"{kind}:{chat}:{now.date()}" for chat in chat_ids]
    payload_extra = {"group": True} if group else {}
    async with UnitOfWorkFactory(db)() as uow:
        await outbox.enqueue(uow, [
            outbox.outbox_row(
                key=key, kind=kind, platform=platform, chat_id=str(chat),
                payload={"text": f"Good morning! Today: easy run ({chat})", **payload_extra},
                now=now, due_at=now - timedelta(seconds=1), expires_at=now + timedelta(hours=6),
            )
            for key, chat in zip(keys, chat_ids, strict=True)
        ])
    return keys


async def outbox_state(db: Database) -> dict[str, tuple[str, bool]]:
    """key → (status, still leased?)."""
    async with UnitOfWorkFactory(db)(readonly=True) as uow:
        rows = await uow.session.execute(
            select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.claimed_until))
        return {key: (status, until is not None) for key, status, until in rows}
