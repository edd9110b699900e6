"""No secret in any log line: `pacer run` at DEBUG, a real process against the fake Bot API.

python-telegram-bot logs every Bot API URL (with the bot token in its path) and every call's
parameters (setWebhook's with the webhook secret) at DEBUG. The process's whole stderr is read
back and searched for each secret.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.e2e.fakes.telegram_server import FakeTelegram
from tests.support.pacer_process import running_pacer, sqlite_url

pytestmark = pytest.mark.slow

WEBHOOK_SECRET = "hook-Secret_0123456789"
TOKEN_SECRET_PART = "TEST-token-abcdefghijklmnopqrstuvwxyz"  # FakeTelegram's default token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def debug_env(fake: FakeTelegram, tmp_path: Path) -> dict[str, str]:
    return {
        "PACER_DATABASE_URL": sqlite_url(tmp_path / "pacer.db"),
        "PACER_TELEGRAM_TOKEN": fake.token,
        "PACER_TELEGRAM_API_URL": fake.base_url,
        "PACER_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PACER_LOG_LEVEL": "DEBUG",
    }


def assert_clean(log: str) -> None:
    assert "DEBUG" in log  # the level that shows most was really on
    assert TOKEN_SECRET_PART not in log
    assert WEBHOOK_SECRET not in log
    assert "Traceback" not in log


async def test_debug_logs_of_a_polling_bot_never_show_its_token(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    assert fake_telegram.token.endswith(TOKEN_SECRET_PART)
    ann = fake_telegram.user(1001, "Ann")
    env = debug_env(fake_telegram, tmp_path)
    async with running_pacer(env, tmp_path / "pacer.log") as pacer:
        await fake_telegram.wait_for_call("getUpdates", timeout=30, answered=False)
        fake_telegram.send_text(ann, "/help")
        [reply] = await fake_telegram.wait_for(chat_id=ann.id, timeout=30)
        assert (
            "/done — log a run — or send your watch's GPX, FIT or TCX file"
        ) in reply["text"].splitlines()
    log = pacer.log()
    assert_clean(log)
    assert f"{fake_telegram.bot_id}:[REDACTED]" in log  # masked where PTB logged the URL


async def test_debug_logs_of_a_webhook_bot_never_show_the_webhook_secret(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    ann = fake_telegram.user(1001, "Ann")
    env = debug_env(fake_telegram, tmp_path) | {
        "PACER_TELEGRAM_MODE": "webhook",
        "PACER_TELEGRAM_WEBHOOK_URL": url,
        "PACER_TELEGRAM_WEBHOOK_PORT": str(port),
    }
    async with running_pacer(env, tmp_path / "pacer.log") as pacer:
        [set_webhook] = await fake_telegram.wait_for_call("setWebhook", timeout=30)
        assert set_webhook.params["secret_token"] == WEBHOOK_SECRET
        update = fake_telegram.send_text(ann, "/help")
        await pacer.wait_for_log("telegram: @pacer_bot is webhook")  # listening now
        assert await fake_telegram.push_webhook(update) == 200
        [reply] = await fake_telegram.wait_for(chat_id=ann.id, timeout=30)
        assert (
            "/done — log a run — or send your watch's GPX, FIT or TCX file"
        ) in reply["text"].splitlines()
    assert_clean(pacer.log())
