"""`pacer run` as a real process against the fake Bot API: /healthz, /readyz and /metrics.

The operator's view: the endpoints answer, a runner's /done moves `pacer_updates_total`, and
when Telegram goes away /readyz turns 503 and says why.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.fakes.telegram_server import FakeTelegram
from tests.support.pacer_process import DEADLINE, running_pacer, sqlite_url

pytestmark = pytest.mark.slow


def sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of one Prometheus sample in `metrics` (None when absent)."""
    for line in metrics.splitlines():
        if line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        series, _, rest = head.partition("{")
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if series == name and found == labels:
            return float(value)
    return None


async def until_status(
    http: aiohttp.ClientSession, url: str, status: int
) -> dict[str, object]:
    """Ask `url` until it answers `status` (another process's state: bounded by DEADLINE)."""
    last: tuple[int, object] = (0, None)
    try:
        async with asyncio.timeout(DEADLINE):
            while True:
                async with http.get(url) as response:
                    body: dict[str, object] = await response.json()
                    if response.status == status:
                        return body
                    last = (response.status, body)
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"{url} never answered {status}; last: {last}") from None


async def test_endpoints_follow_the_bot_and_readyz_names_what_fails(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    env = {
        "PACER_DATABASE_URL": sqlite_url(tmp_path / "pacer.db"),
        "PACER_TELEGRAM_TOKEN": fake_telegram.token,
        "PACER_TELEGRAM_API_URL": fake_telegram.base_url,
        "PACER_HEALTH_LISTEN": "127.0.0.1:0",
        "PACER_LOG_LEVEL": "INFO",
        "PACER_LOG_FORMAT": "json",
    }
    async with running_pacer(env, tmp_path / "pacer.log") as pacer:
        base = await pacer.health_url(DEADLINE)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as response:
                assert response.status == 200
                assert await response.json() == {"status": "ok"}

            ready = await until_status(http, f"{base}/readyz", 200)
            assert ready == {
                "status": "ready", "failing": [],
                "checks": {"database": "ok", "telegram": "ok", "scheduler": "ok"},
            }

            async with http.get(f"{base}/metrics") as response:
                assert response.status == 200
                assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
                before = await response.text()
            done = {"platform": "telegram", "command": "done", "outcome": "ok"}
            assert sample(before, "pacer_updates_total", **done) is None
            assert sample(before, "pacer_runners") == 0.0
            assert sample(before, "pacer_outbox_pending", platform="telegram") == 0.0
            assert sample(before, "pacer_dead_letters_total", platform="telegram") == 0.0
            assert (sample(before, "pacer_scheduler_last_tick_timestamp_seconds") or 0) > 0

            ann = fake_telegram.user(1001, "Ann")
            fake_telegram.send_text(ann, "/done 5k 28:30")
            [reply] = await fake_telegram.wait_for(chat_id=ann.id, timeout=DEADLINE)
            assert reply["sent_text"] == "Let's set you up first: send /start (it takes a minute)."

            async with http.get(f"{base}/metrics") as response:
                after = await response.text()
            assert sample(after, "pacer_updates_total", **done) == 1.0
            assert sample(after, "pacer_reply_seconds_count", platform="telegram") == 1.0
            assert sample(after, "pacer_runners") == 1.0

            await fake_telegram.stop()
            unready = await until_status(http, f"{base}/readyz", 503)
            assert unready["status"] == "unready"
            assert unready["failing"] == ["telegram"]
            checks = unready["checks"]
            assert isinstance(checks, dict)
            assert checks["database"] == "ok"
            assert checks["scheduler"] == "ok"
            assert str(checks["telegram"]).startswith("last getUpdates failed ")

        assert await pacer.stop(DEADLINE) == 0

    # Every log line is one JSON object; the /done carries its context and no message text.
    lines = pacer.log().splitlines()
    entries = [json.loads(line) for line in lines]
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    [handled] = [e for e in entries if e["message"].startswith("update handled (done)")]
    assert handled["logger"] == "core.app"
    assert handled["level"] == "INFO"
    assert handled["platform"] == "telegram"
    assert handled["command"] == "done"
    assert isinstance(handled["update_id"], str)
    assert isinstance(handled["runner_id"], int)
    assert 0 < handled["duration"] < DEADLINE
    assert not [line for line in lines if "28:30" in line or fake_telegram.token in line]
