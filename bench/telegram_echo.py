"""Update throughput of a python-telegram-bot Application against the fake Telegram server.

`echo_throughput(n)` measures a bare PTB echo bot, the baseline; `measure(app_factory, n)` runs
the same load through any Application (e.g. Pacer's Telegram adapter), in the same process, so
the two numbers compare. Run from the repository root:

    .venv/bin/python -m bench.telegram_echo 1000
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import time
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from tests.e2e.fakes.telegram_ptb import AnyApplication, ptb_builder, running_polling
from tests.e2e.fakes.telegram_server import FakeTelegram

AppFactory = Callable[[FakeTelegram], AnyApplication | Awaitable[AnyApplication]]


def echo_app(fake: FakeTelegram) -> AnyApplication:
    """A bare PTB Application pointed at `fake`: `/done` → "ok"."""
    app = ptb_builder(fake).build()
    app.add_handler(CommandHandler("done", _reply_ok))
    return app


async def _reply_ok(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("ok")


async def measure(
    app_factory: AppFactory,
    n: int,
    *,
    text: str = "/done 5k",
    users: int = 10,
    deadline: float | None = None,
) -> float:
    """Updates handled per second by the Application `app_factory(fake)` builds.

    Starts a FakeTelegram, polls it with the Application (not yet initialized; this runs it),
    injects `n` messages `text` from `users` runners in turn, and measures from the first
    injection to the arrival of the n-th message the bot sent (one reply per update expected).
    `deadline` bounds the whole wait in seconds (default: generous, from `n`).
    """
    if n < 1 or users < 1:
        raise ValueError("n and users must be positive")
    async with FakeTelegram() as fake:
        made = app_factory(fake)
        app = await made if inspect.isawaitable(made) else made
        runners = [fake.user(10_000 + i, f"Runner{i}") for i in range(users)]
        async with running_polling(app):
            since = len(fake.sent())
            started = time.perf_counter()
            for i in range(n):
                fake.send_text(runners[i % users], text)
            replies = await fake.wait_for(count=n, since=since, timeout=deadline or 30.0 + n / 20)
    last_reply_at: float = replies[-1]["at"]
    return n / (last_reply_at - started)


async def echo_throughput(n: int) -> float:
    """Updates per second a bare PTB echo bot handles against the fake server."""
    return await measure(echo_app, n)


def main(argv: list[str]) -> None:
    """Print the echo baseline for N updates (default 1000)."""
    n = int(argv[0]) if argv else 1000
    rate = asyncio.run(echo_throughput(n))
    print(f"PTB echo bot: {rate:.0f} updates/s over {n} updates")


if __name__ == "__main__":
    main(sys.argv[1:])
