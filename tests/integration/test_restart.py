"""A real worker process SIGKILLed in the middle of a fan-out, then restarted.

Every due message must reach the (file-backed, keyed) messenger exactly once, and the outbox
must end with every row sent. One kill lands during the tick, one during the drain; the
messenger's `.dupes` file shows the at-least-once window that the key closes.
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.storage.database import Database, create_database
from core.storage.models import OutboxMessage
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.support.pacer_process import ROOT, pacer_env
from tests.support.restart_worker import delivered_keys
from tests.support.seeding import seed_due_runners

RUNNERS = 600
DAY = date(2026, 11, 2)
NOW = "2026-11-02T07:00:30+00:00"


def start_worker(db_path: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.restart_worker", str(db_path), str(out),
         "--now", NOW, "--worker", "worker-0", "--delay", "0.002"],
        cwd=ROOT, env=pacer_env({}), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def outbox_rows(db_path: Path) -> int:
    """Outbox rows the worker committed so far (read beside its writes: WAL)."""
    with contextlib.closing(sqlite3.connect(db_path, timeout=10)) as db:
        count: int = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    return count


def kill_when(
    proc: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 20.0
) -> bool:
    """SIGKILL the worker as soon as `ready()`; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            return True
        time.sleep(0.002)  # polling another process's progress, not waiting for a clock
    raise AssertionError("the worker made no progress")


@pytest.mark.slow
async def test_sigkill_mid_fan_out_then_restart_delivers_each_message_once(
    sqlite_db: Database, tmp_path: Path
) -> None:
    await seed_due_runners(sqlite_db, RUNNERS, DAY, datetime(2026, 11, 1, tzinfo=UTC))
    db_path = Path(str(sqlite_db.engine.url.database))
    await sqlite_db.dispose()
    out = tmp_path / "delivered.txt"

    # 1. Killed while ticking: some outbox chunks are committed, the rest are not.
    proc = start_worker(db_path, out)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "tick"
    assert kill_when(proc, lambda: outbox_rows(db_path) > 0), "finished first"
    assert proc.returncode == -signal.SIGKILL

    # 2. Killed while sending.
    proc = start_worker(db_path, out)
    assert kill_when(proc, lambda: len(delivered_keys(out)) >= RUNNERS // 3), "finished first"
    assert proc.returncode == -signal.SIGKILL
    assert len(delivered_keys(out)) < RUNNERS

    # 3. Left to finish.
    proc = start_worker(db_path, out)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr

    keys = delivered_keys(out)
    assert len(keys) == len(set(keys)) == RUNNERS
    assert set(keys) == {f"session:{i}:{DAY}" for i in range(1, RUNNERS + 1)}
    dupes = out.with_suffix(".txt.dupes")
    resent = dupes.read_text().split() if dupes.exists() else []
    assert set(resent) <= set(keys)  # re-sends happened only for already-delivered keys

    reopened = create_database(f"sqlite+aiosqlite:///{db_path}")
    async with UnitOfWorkFactory(reopened)(readonly=True) as uow:
        counts = dict((await uow.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all())
    await reopened.dispose()
    assert counts == {"sent": RUNNERS}
