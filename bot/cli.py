"""`pacer`: run the bot, print plans, export a runner's data, migrate the database."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import importlib
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings


def _run(args: argparse.Namespace) -> int:
    from bot.runtime import run

    settings = load_settings()
    # A club channel in the terminal is a console feature: --club implies --console.
    console = args.console or args.club is not None
    return asyncio.run(run(settings, force_console=console, user=args.user, club=args.club))


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.bootstrap import build

    async def go() -> None:
        container = await build(load_settings())
        await container.close()

    asyncio.run(go())
    print("database is up to date")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_doctor

    return run_doctor()


def _export(args: argparse.Namespace) -> int:
    from bot.cli_export import run as run_export

    return run_export(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pacer", description="Pacer: mile training accountability")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the bot (console chat when no token is set)")
    run.add_argument("--console", action="store_true", help="force the terminal chat")
    run.add_argument("--user", default=None, help="the local runner's name (console)")
    run.add_argument(
        "--club", default=None,
        help="console: make the terminal this club's channel (the first --user is its admin)",
    )
    run.set_defaults(func=_run)

    for module in ("bot.cli_plan", "bot.cli_discord", "bot.cli_import"):
        importlib.import_module(module).register(sub)

    export = sub.add_parser("export", help="print one runner's data")
    who = export.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", help="console runner name")
    who.add_argument("--telegram", help="Telegram user id")
    who.add_argument("--discord", help="Discord user id")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.set_defaults(func=_export)

    doctor = sub.add_parser("doctor", help="check settings, database, tokens and clock")
    doctor.set_defaults(func=_doctor)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(func=_db_upgrade)
    importlib.import_module("bot.cli_db").register(db_sub)

    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "user", None) is None and args.command == "run":
        args.user = getpass.getuser() or "runner"
    try:
        code: int = args.func(args)
    except ConfigError as err:
        print(f"pacer: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
