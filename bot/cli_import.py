"""`pacer import (--user NAME | --telegram ID | --discord ID) FILE…`: a runner's history.

Reads activity files (GPX, FIT, TCX, also .gz/.zip), Pacer's export (JSON/CSV) and Strava's
bulk-export `activities.csv`; prints what it imported, what it skipped and why. Applies
pending migrations first (it writes). Exit code 0 when every file was read, 1 when some were
not (the others are imported), 2 when nothing could be done (unknown runner, no database).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from copy import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.bootstrap import build
from bot.cli_export import ExportError, _check_sqlite_file, _who
from bot.config import load_settings
from core.activity.unpack import MAX_FILE_BYTES, too_big
from core.importing import ImportReport, import_files
from core.runners import find_runner
from core.storage.models import Base


def register(sub: Any) -> None:
    imp = sub.add_parser("import", help="import a runner's history (activity files, exports)")
    who = imp.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", help="console runner name")
    who.add_argument("--telegram", help="Telegram user id")
    who.add_argument("--discord", help="Discord user id")
    imp.add_argument("files", nargs="+", metavar="FILE",
                     help="GPX/FIT/TCX files, a Pacer export (JSON/CSV), Strava's activities.csv")
    imp.set_defaults(func=run)


def _read(paths: list[str]) -> tuple[list[tuple[str, bytes]], list[tuple[str, str]]]:
    files: list[tuple[str, bytes]] = []
    problems: list[tuple[str, str]] = []
    for name in paths:
        path = Path(name)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES and not name.lower().endswith(".csv"):
                problems.append((name, str(too_big(size))))
                continue
            files.append((path.name, path.read_bytes()))
        except OSError as err:
            problems.append((name, err.strerror or str(err)))
    return files, problems


async def _import(platform: str, external_id: str, what: str,
                  files: list[tuple[str, bytes]]) -> ImportReport:
    container = await build(load_settings())
    # `core.storage.direct.attach` needs configured mappers; `pacer run` configures them on its
    # first ORM query, a one-shot command must do it itself (the lead is reworking `direct`).
    Base.registry.configure()
    try:
        async with container.uow() as uow:
            runner = await find_runner(uow, platform, external_id, lock=True)
            if runner is None:
                raise ExportError(f"no runner known as {what}")
            stored = copy(runner)
            report = await import_files(uow, runner, files, datetime.now(UTC))
            await uow.runners.save(runner, stored)  # a new mile time, a first plan's start
            return report
    finally:
        await container.close()


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    platform, external_id, what = _who(args)
    files, problems = _read(args.files)
    try:
        _check_sqlite_file(settings.database_url)
        report = asyncio.run(_import(platform, external_id, what, files))
    except ExportError as err:
        print(f"pacer import: {err}", file=sys.stderr)
        return 2
    report.refused[:0] = problems
    for line in report.lines():
        print(line)
    return 1 if report.refused else 0
