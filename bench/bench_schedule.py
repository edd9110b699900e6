"""Fan-out of the daily session to 100,000 runners due in the same minute.

(a) Pacer's design: one tick writes the outbox (per-zone clocks joined in SQL, chunked
    INSERT ... ON CONFLICT DO NOTHING), then one sender drains it into a recording messenger
    with no rate limit. Reported: messages per second end to end, the tick and drain phases,
    and the peak RSS of the process doing it. Targets: >= 2,000 msg/s and < 300 MB.
(b) The naive design, side by side: one APScheduler CronTrigger job per runner in a
    MemoryJobStore. Reported: time to schedule the jobs and the memory they take.

Each measurement runs in its own subprocess so its peak RSS is its own; runners are
bulk-inserted (executemany) by another subprocess beforehand, on a SQLite file.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

RUNNERS = 100_000
MSG_PER_S_TARGET = 2_000.0
RSS_TARGET_MB = 300.0
DAY = date(2026, 11, 2)
SEEDED_AT = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 2, 7, 0, 20, tzinfo=UTC)  # everyone's 07:00 reminder just passed
ROOT = Path(__file__).resolve().parent.parent


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # all threads, the SQLite one included
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def _seed(path: str, count: int) -> dict[str, float]:
    from bot.migrations import upgrade
    from core.storage.database import create_database
    from tests.support.seeding import seed_due_runners

    db = create_database(f"sqlite+aiosqlite:///{path}")
    await upgrade(db)
    started = time.perf_counter()
    await seed_due_runners(db, count, DAY, SEEDED_AT)
    took = time.perf_counter() - started
    await db.dispose()
    return {"seed_s": took}


class CountingMessenger:
    """A recording sender that keeps only what it needs to prove delivery: the keys."""

    platform = "console"

    def __init__(self) -> None:
        self.keys: set[str] = set()

    async def send(self, chat_id: str, reply: object) -> None:
        raise AssertionError("keyed sends only")

    async def send_keyed(self, key: str, chat_id: str, reply: object) -> None:
        self.keys.add(key)


async def _fanout(path: str) -> dict[str, float]:
    from core.clock import FakeClock
    from core.schedule.ratelimit import UNLIMITED
    from core.schedule.sender import Sender
    from core.schedule.tick import Ticker
    from core.storage.database import create_database
    from core.storage.unit_of_work import UnitOfWorkFactory

    db = create_database(f"sqlite+aiosqlite:///{path}")
    uow = UnitOfWorkFactory(db)
    clock = FakeClock(NOW)
    baseline_mb = _rss_mb()
    cpu_before = _cpu_s()
    started = time.perf_counter()
    ticked = await Ticker(uow, clock, chunk_size=2_000).run()
    tick_s = time.perf_counter() - started
    messenger = CountingMessenger()
    sender = Sender(uow, messenger, clock, worker="bench", limits=UNLIMITED, batch_size=2_000,
                    concurrency=64, record_every=1_000)
    drained = await sender.drain()
    total_s = time.perf_counter() - started
    cpu_s = _cpu_s() - cpu_before
    await db.dispose()
    return {
        "queued": ticked.total_queued, "sent": drained.sent, "delivered": len(messenger.keys),
        "tick_s": tick_s, "drain_s": total_s - tick_s, "total_s": total_s, "cpu_s": cpu_s,
        "baseline_mb": baseline_mb, "peak_mb": _peak_rss_mb(),
    }


def _naive(count: int) -> dict[str, float]:
    """One CronTrigger job per runner, in local time, in a MemoryJobStore."""
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.cron import CronTrigger

    zones = ("UTC", "Europe/London", "America/New_York", "Asia/Kathmandu")

    async def push(runner_id: int) -> None:  # what each job would do
        return None

    async def schedule_all() -> dict[str, float]:
        scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
        scheduler.start(paused=True)  # nothing fires: only scheduling is measured
        before_mb = _rss_mb()
        started = time.perf_counter()
        for i in range(count):
            scheduler.add_job(push, CronTrigger(hour=7, minute=0, timezone=zones[i % 4]),
                              args=(i,), id=f"session:{i}")
        took = time.perf_counter() - started
        jobs = len(scheduler.get_jobs())
        after_mb = _rss_mb()
        scheduler.shutdown(wait=False)
        return {"jobs": jobs, "schedule_s": took, "jobs_mb": after_mb - before_mb,
                "peak_mb": _peak_rss_mb()}

    return asyncio.run(schedule_all())


def _child(*args: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_schedule", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(count: int = RUNNERS) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="pacer-bench-schedule-") as tmp:
        path = str(Path(tmp) / "schedule.db")
        seeded = _child("seed", path, str(count))
        fan = _child("fanout", path)
    naive = _child("naive", str(count))
    rate = fan["sent"] / fan["total_s"]
    ok = fan["sent"] == fan["delivered"] == count
    return [
        f"seeded {count:,} runners due at 07:00 in {seeded['seed_s']:.1f} s (not timed below)",
        f"pacer fan-out: {fan['sent']:,.0f} sent{'' if ok else ' (MISMATCH)'} in "
        f"{fan['total_s']:.1f} s = {rate:,.0f} msg/s (target >= {MSG_PER_S_TARGET:,.0f}: "
        f"{'ok' if rate >= MSG_PER_S_TARGET else 'MISSED'}, x{rate / MSG_PER_S_TARGET:.1f})",
        f"  tick (outbox write) {fan['tick_s']:.1f} s, drain (send + record) "
        f"{fan['drain_s']:.1f} s; {fan['cpu_s']:.1f} s of CPU = "
        f"{fan['sent'] / fan['cpu_s']:,.0f} msg per CPU-second (wall figures suffer on a busy "
        "machine)",
        f"  peak RSS {fan['peak_mb']:.0f} MB (target < {RSS_TARGET_MB:.0f}: "
        f"{'ok' if fan['peak_mb'] < RSS_TARGET_MB else 'MISSED'}; "
        f"{fan['baseline_mb']:.0f} MB after imports)",
        f"naive, one APScheduler cron job per runner: {naive['jobs']:,.0f} jobs scheduled in "
        f"{naive['schedule_s']:.1f} s, {naive['jobs_mb']:.0f} MB for the jobs "
        f"(peak RSS {naive['peak_mb']:.0f} MB)",
        f"  vs pacer: {naive['schedule_s'] / fan['tick_s']:.1f}x the time Pacer's tick takes "
        f"to decide and queue the same {count:,} messages, which also survive a restart",
    ]


def _main(argv: list[str]) -> int:
    command = argv[0]
    if command == "seed":
        result = asyncio.run(_seed(argv[1], int(argv[2])))
    elif command == "fanout":
        result = asyncio.run(_fanout(argv[1]))
    elif command == "naive":
        result = _naive(int(argv[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(_main(sys.argv[1:]))
    print("\n".join(run()))
