"""A worker process that migrates a database on cue, for the concurrent-migration test.

    python -m tests.support.migrate_worker URL

It imports and connects first, prints "ready", then waits for a line on stdin and runs
`bot.migrations.upgrade` (what `pacer run` does on start): several workers released by the
same line start migrating within a millisecond of each other.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text

from bot.migrations import upgrade
from core.storage.database import create_database


async def main(url: str) -> None:
    db = create_database(url)
    async with db.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))  # a pooled connection is ready before the cue
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    try:
        await upgrade(db)
    finally:
        await db.dispose()
    print("migrated", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
