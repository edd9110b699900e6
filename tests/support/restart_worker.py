"""A worker process for the crash/restart test: tick, then drain into a file, at a fixed instant.

    python -m tests.support.restart_worker DB OUT --now 2026-11-02T07:00:30+00:00 --worker w0

The messenger appends `key<TAB>chat_id` lines to OUT and fsyncs each one. It is keyed: a key
already in OUT is not written again but noted in OUT.dupes. That is the de-duplication a
platform sender can do with the outbox key, and it turns the at-least-once outbox (a kill
between "sent" and "marked sent" repeats that send) into exactly-once delivery.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from core.clock import FakeClock
from core.messages import Reply
from core.schedule import outbox
from core.schedule.ratelimit import UNLIMITED
from core.schedule.sender import Sender
from core.schedule.tick import Ticker
from core.storage.database import create_database
from core.storage.unit_of_work import UnitOfWorkFactory


def delivered_keys(path: Path) -> list[str]:
    """Keys in a messenger file (a torn last line, from a kill mid-write, is ignored)."""
    if not path.exists():
        return []
    text = path.read_text()
    lines = text.split("\n")[:-1]  # only lines that were finished with a newline
    return [line.split("\t", 1)[0] for line in lines if line]


class FileMessenger:
    """Appends each delivery to a file, durably, at most once per key."""

    platform = "console"

    def __init__(self, path: Path, delay: float) -> None:
        self.path = path
        self.dupes = path.with_suffix(path.suffix + ".dupes")
        self.delay = delay
        self.seen = set(delivered_keys(path))

    async def send(self, chat_id: str, reply: Reply) -> None:
        raise AssertionError("the sender must pass the outbox key")

    async def send_keyed(self, key: str, chat_id: str, reply: Reply) -> None:
        if key in self.seen:
            _append(self.dupes, f"{key}\n")
            return
        if self.delay:
            await asyncio.sleep(self.delay)  # the network round trip
        _append(self.path, f"{key}\t{chat_id}\n")
        self.seen.add(key)


def _append(path: Path, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("out")
    parser.add_argument("--now", required=True)
    parser.add_argument("--worker", default="restart-worker")
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)

    db = create_database(f"sqlite+aiosqlite:///{args.db}")
    uow = UnitOfWorkFactory(db)
    clock = FakeClock(datetime.fromisoformat(args.now))
    try:
        async with uow() as u:
            await outbox.release_worker_claims(u, args.worker)
        print("tick", flush=True)
        ticked = await Ticker(uow, clock, chunk_size=100).run()
        print("drain", flush=True)
        sender = Sender(
            uow, FileMessenger(Path(args.out), args.delay), clock, worker=args.worker,
            limits=UNLIMITED, batch_size=50, concurrency=4, record_every=10,
        )
        drained = await sender.drain()
        print(json.dumps({"queued": ticked.total_queued, "sent": drained.sent}), flush=True)
    finally:
        await db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
