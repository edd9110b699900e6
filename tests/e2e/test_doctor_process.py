"""`pacer doctor` as a real process against the fake Bot API and the fake Discord."""

from __future__ import annotations

import asyncio
import re
import socket
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.discord_harness import fake_dc as fake_dc
from tests.e2e.fakes.discord_server import FakeDiscord
from tests.e2e.fakes.telegram_server import FakeTelegram
from tests.support.pacer_process import run_pacer, sqlite_url

pytestmark = pytest.mark.slow
TIMEOUT = 60.0


async def doctor(tmp_path: Path, **env: str) -> tuple[int, list[str]]:
    """`pacer doctor` (in a thread: the loop keeps serving the fakes it asks)."""
    values = {"PACER_DATABASE_URL": sqlite_url(tmp_path / "pacer.db"), **env}
    result = await asyncio.to_thread(run_pacer, tmp_path, "doctor", env=values, timeout=TIMEOUT)
    assert result.stderr == ""
    return result.returncode, result.stdout.splitlines()


def migrate(tmp_path: Path) -> None:
    result = run_pacer(tmp_path, "db", "upgrade", timeout=TIMEOUT,
                       env={"PACER_DATABASE_URL": sqlite_url(tmp_path / "pacer.db")})
    assert result.returncode == 0, result.stderr


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def without_clock_figure(lines: list[str]) -> list[str]:
    """The clock line names the skew in seconds, which a busy machine may move."""
    return [line.split(" within ")[0] if line.startswith("ok    clock:") else line
            for line in lines]


async def test_all_checks_pass_against_working_platforms(
    tmp_path: Path, fake_telegram: FakeTelegram, fake_dc: FakeDiscord
) -> None:
    migrate(tmp_path)
    code, lines = await doctor(
        tmp_path,
        PACER_TELEGRAM_TOKEN=fake_telegram.token, PACER_TELEGRAM_API_URL=fake_telegram.base_url,
        PACER_DISCORD_TOKEN=fake_dc.token, PACER_DISCORD_API_URL=fake_dc.api_base,
    )
    assert without_clock_figure(lines) == [
        "ok    settings: valid; platforms: telegram (polling), discord; log format text",
        f"ok    database: reachable (sqlite+aiosqlite:///{tmp_path / 'pacer.db'})",
        lines[2],
        "ok    sqlite journal: WAL (readers never block the writer)",
        f"ok    telegram token: @pacer_bot (id {fake_telegram.bot_id})",
        "ok    telegram webhook: none registered (polling mode)",
        lines[6],
        "ok    clock:",
        "all 8 checks passed",
    ]
    assert lines[2].startswith("ok    database schema: migrated (")
    assert lines[6].startswith("ok    discord token: ")
    assert re.fullmatch(r"ok    clock: within \d+ s of 127\.0\.0\.1:\d+", lines[7])
    assert code == 0
    assert all(fake_telegram.token not in line and fake_dc.token not in line for line in lines)


async def test_rejected_tokens_and_an_unmigrated_database_fail_with_the_fix(
    tmp_path: Path, fake_telegram: FakeTelegram, fake_dc: FakeDiscord
) -> None:
    (tmp_path / "pacer.db").touch()  # there, but never migrated
    code, lines = await doctor(
        tmp_path,
        PACER_TELEGRAM_TOKEN="999999:WRONG-token-abcdefghijklmnopqrstuvw",
        PACER_TELEGRAM_API_URL=fake_telegram.base_url,
        PACER_DISCORD_TOKEN="bad0123456.bad.token0123456789",
        PACER_DISCORD_API_URL=fake_dc.api_base,
    )
    host = f"127.0.0.1:{fake_telegram.port}"
    assert code == 1
    assert "FAIL  database schema: not migrated — fix: run `pacer db upgrade`" in lines
    assert "FAIL  sqlite journal: delete, not WAL — fix: run `pacer db upgrade` (Pacer " \
           "switches the file to WAL)" in lines
    assert (f"FAIL  telegram token: rejected by {host} (401) — fix: get the token from "
            "@BotFather (/token) and set PACER_TELEGRAM_TOKEN") in lines
    assert (f"FAIL  discord token: rejected by 127.0.0.1:{fake_dc.port} (401) — fix: "
            "Developer Portal → your application → Bot → Reset Token, then set "
            "PACER_DISCORD_TOKEN") in lines
    assert lines[-1] == "4 of 7 checks failed"


async def test_webhook_mode_checks_the_registration(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    migrate(tmp_path)
    hook = "https://pacer.example.org/telegram/hook"
    env = {
        "PACER_TELEGRAM_TOKEN": fake_telegram.token,
        "PACER_TELEGRAM_API_URL": fake_telegram.base_url,
        "PACER_TELEGRAM_MODE": "webhook", "PACER_TELEGRAM_WEBHOOK_URL": hook,
    }
    code, lines = await doctor(tmp_path, **env)
    assert code == 1
    assert (f"FAIL  telegram webhook: Telegram calls no webhook, not {hook} — fix: start "
            "`pacer run` (it registers PACER_TELEGRAM_WEBHOOK_URL)") in lines

    async with aiohttp.ClientSession() as http:  # what `pacer run` does at start
        await http.post(f"{fake_telegram.base_url}{fake_telegram.token}/setWebhook",
                        data={"url": hook})
    code, lines = await doctor(tmp_path, **env)
    assert f"ok    telegram webhook: {hook} registered (0 updates waiting)" in lines
    assert code == 0


async def test_an_unreachable_api_is_named(tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    migrate(tmp_path)
    port = closed_port()
    code, lines = await doctor(
        tmp_path, PACER_TELEGRAM_TOKEN=fake_telegram.token,
        PACER_TELEGRAM_API_URL=f"http://127.0.0.1:{port}/bot",
    )
    assert code == 1
    [line] = [line for line in lines if line.startswith("FAIL  telegram token")]
    assert line.startswith(f"FAIL  telegram token: cannot reach 127.0.0.1:{port}: ")
    assert line.endswith(" — fix: check the network and PACER_TELEGRAM_API_URL")
    assert "skip  clock: no platform answered to compare with" in lines
