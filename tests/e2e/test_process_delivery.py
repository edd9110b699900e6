"""Pushes through process-level faults: a real `pacer run` against the fake Bot API and the
fake Discord, killed, stopped, restarted, or run twice on one PostgreSQL database.

The guarantee these hold (README "Delivery guarantee"): each push is recorded once; a push goes
out exactly once unless a worker dies (or freezes past its lease) between a platform accepting
it and the outbox recording it, and then it goes out at most once more.
"""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import AsyncIterator, Collection
from pathlib import Path

import pytest

from core.storage.database import Database
from tests.e2e.discord_harness import TOKEN as DISCORD_TOKEN
from tests.e2e.fakes.discord_server import FakeDiscord
from tests.e2e.fakes.telegram_server import FakeTelegram
from tests.support.databases import fresh_postgres, fresh_sqlite, postgres_url_or_skip
from tests.support.outbox_rows import outbox_state, queue_pushes
from tests.support.pacer_process import running_pacer, until

pytestmark = pytest.mark.slow

FAN_OUT = 200  # one claim batch: what a crash used to strand for the whole 5-minute lease
RESENDS_AT_MOST = 20 + 16  # outcomes recorded every 20 sends, 16 sends in flight


@pytest.fixture(params=["sqlite", "postgres"])
async def process_db(
    request: pytest.FixtureRequest, tmp_path: Path, template_dir: Path
) -> AsyncIterator[tuple[Database, str]]:
    """A fresh, migrated database and the URL a `pacer run` process opens it with."""
    if request.param == "sqlite":
        db = await fresh_sqlite(tmp_path, template_dir)
        url = f"sqlite+aiosqlite:///{db.engine.url.database}"
    else:
        url = postgres_url_or_skip()
        db = await fresh_postgres(url)
    yield db, url
    await db.dispose()


def telegram_env(fake: FakeTelegram, url: str, **extra: str) -> dict[str, str]:
    return {
        "PACER_DATABASE_URL": url,
        "PACER_TELEGRAM_TOKEN": fake.token,
        "PACER_TELEGRAM_API_URL": fake.base_url,
        "PACER_OUTBOX_POLL_SECONDS": "0.5",
        "PACER_LOG_LEVEL": "INFO",
        **extra,
    }


def runners(fake: FakeTelegram, count: int, first: int = 7001) -> list[int]:
    return [fake.user(i, f"Runner{i}").id for i in range(first, first + count)]


def received(fake: FakeTelegram) -> Counter[int]:
    return Counter(int(m["chat"]["id"]) for m in fake.sent())


async def assert_sent_or_released(
    db: Database, keys: dict[int, str], delivered: Collection[int]
) -> None:
    """What went out (chat → its push's key) is recorded as sent; the rest is released for
    the next start."""
    state = await outbox_state(db)
    assert {chat: state[key] for chat, key in keys.items()} == {
        chat: ("sent", False) if chat in delivered else ("pending", False) for chat in keys
    }


# --- 1. a crash mid-fan-out --------------------------------------------------------------------


async def test_after_a_sigkill_mid_fan_out_a_restart_sends_the_rest_within_a_minute(
    fake_telegram: FakeTelegram, process_db: tuple[Database, str], tmp_path: Path
) -> None:
    db, url = process_db
    chats = runners(fake_telegram, FAN_OUT)
    keys = await queue_pushes(db, "telegram", chats)
    env = telegram_env(fake_telegram, url)

    async with running_pacer(env, tmp_path / "first.log") as first:
        await until(lambda: len(received(fake_telegram)) >= 40, 60, "the fan-out", pacer=first)
        await first.kill()  # SIGKILL: no chance to release its claims
    before_restart = len(received(fake_telegram))
    assert before_restart < FAN_OUT

    async with running_pacer(env, tmp_path / "second.log") as second:
        await until(lambda: len(received(fake_telegram)) == FAN_OUT, 60,
                    "the rest of the fan-out after the restart", pacer=second)
        assert await second.stop() == 0

    got = received(fake_telegram)
    assert set(got) == set(chats)
    assert sum(n - 1 for n in got.values()) <= RESENDS_AT_MOST  # only sends the kill cut off
    assert set((await outbox_state(db)).values()) == {("sent", False)}
    assert len(keys) == FAN_OUT


# --- 3. SIGTERM mid-fan-out --------------------------------------------------------------------


async def test_sigterm_mid_fan_out_finishes_or_releases_every_push_before_closing(
    fake_telegram: FakeTelegram, process_db: tuple[Database, str], tmp_path: Path
) -> None:
    db, url = process_db
    chats = runners(fake_telegram, FAN_OUT)
    keys = dict(zip(chats, await queue_pushes(db, "telegram", chats), strict=True))

    async with running_pacer(telegram_env(fake_telegram, url), tmp_path / "pacer.log") as pacer:
        await until(lambda: len(received(fake_telegram)) >= 30, 60, "the fan-out", pacer=pacer)
        assert await pacer.stop() == 0
    log = pacer.log()

    assert "is not initialized" not in log
    assert "Traceback" not in log
    got = received(fake_telegram)
    assert max(got.values()) == 1
    assert 30 <= len(got) < FAN_OUT
    await assert_sent_or_released(db, keys, got)


async def test_sigterm_mid_fan_out_on_discord_finishes_or_releases_every_push(
    process_db: tuple[Database, str], tmp_path: Path
) -> None:
    db, url = process_db
    async with FakeDiscord(token=DISCORD_TOKEN) as fake:
        members = [fake.member(720000000000000000 + i, f"Runner {i}") for i in range(FAN_OUT)]
        channels = [fake.dm_channel_id(m.id) for m in members]
        keys = dict(zip(channels, await queue_pushes(db, "discord", channels), strict=True))
        env = {"PACER_DATABASE_URL": url, "PACER_DISCORD_TOKEN": DISCORD_TOKEN,
               "PACER_DISCORD_API_URL": fake.api_base, "PACER_OUTBOX_POLL_SECONDS": "0.5"}

        def delivered() -> dict[int, int]:
            return {c: len(fake.channel_messages(c)) for c in channels
                    if fake.channel_messages(c)}

        async with running_pacer(env, tmp_path / "pacer.log") as pacer:
            await until(lambda: len(delivered()) >= 30, 60, "the fan-out", pacer=pacer)
            assert await pacer.stop() == 0
        got = delivered()

    log = pacer.log()
    assert "Session is closed" not in log
    assert "Traceback" not in log
    assert set(got.values()) == {1}
    await assert_sent_or_released(db, keys, got)


# --- 2. two workers and a 429 ------------------------------------------------------------------


async def test_two_workers_and_a_429_send_every_push_exactly_once(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    url = postgres_url_or_skip()
    db = await fresh_postgres(url)
    try:
        chats = runners(fake_telegram, 120)
        # Two pushes for one chat, and Telegram asks it to wait longer than the lease:
        # its second push must be released, never sent after the lease ran out.
        slow = chats[0]
        keys = await queue_pushes(db, "telegram", chats)
        keys += await queue_pushes(db, "telegram", [slow], kind="nudge")
        fake_telegram.fail_next("sendMessage", status=429, retry_after=6, chat_id=slow)
        env = telegram_env(fake_telegram, url, PACER_OUTBOX_LEASE_SECONDS="4")
        workers = [tmp_path / "w1.log", tmp_path / "w2.log"]

        async with (
            running_pacer(env | {"PACER_WORKER_NAME": "w1"}, workers[0]) as w1,
            running_pacer(env | {"PACER_WORKER_NAME": "w2"}, workers[1]) as w2,
        ):
            await until(lambda: sum(received(fake_telegram).values()) >= len(keys), 60,
                        "every push", pacer=w1)
            state = await outbox_state(db)
            for worker in (w1, w2):
                worker.signal(signal.SIGTERM)
            assert [await w1.exit_code(30), await w2.exit_code(30)] == [0, 0]

        got = received(fake_telegram)
        assert got == {chat: 2 if chat == slow else 1 for chat in chats}
        assert set((await outbox_state(db)).values()) == {("sent", False)}
        assert len(state) == len(keys)
        retried = [c for c in fake_telegram.calls_to("sendMessage") if c.chat_id == slow]
        assert [c.status for c in retried] == [429, 200, 200]  # the 429, then both pushes
        assert "sends finished after their lease was lost" not in w1.log() + w2.log()
    finally:
        await db.dispose()


# --- 7. a fatal Discord gateway close ----------------------------------------------------------


async def test_a_fatal_gateway_close_ends_a_discord_only_pacer_with_code_1(
    sqlite_db: Database, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{sqlite_db.engine.url.database}"
    async with FakeDiscord(token=DISCORD_TOKEN) as fake:
        env = {"PACER_DATABASE_URL": url, "PACER_DISCORD_TOKEN": DISCORD_TOKEN,
               "PACER_DISCORD_API_URL": fake.api_base}
        async with running_pacer(env, tmp_path / "pacer.log") as pacer:
            await fake.wait_ready(30)
            await fake.drop_gateway(4004)
            code = await pacer.exit_code(30)

    log = pacer.log()
    assert code == 1
    errors = [line.split(" ERROR ", 1)[1] for line in log.splitlines() if " ERROR " in line]
    assert errors == [
        "bot.platform_runner: discord: the gateway closed the connection with code 4004 "
        "(authentication failed: the token is wrong or was reset); Discord is off (pushes "
        "wait in the outbox)",
        "bot.runtime: no chat platform is left running; exiting with code 1",
    ]
    assert "Traceback" not in log


async def test_a_fatal_gateway_close_leaves_telegram_running(
    fake_telegram: FakeTelegram, sqlite_db: Database, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{sqlite_db.engine.url.database}"
    ann = fake_telegram.user(1001, "Ann")
    async with FakeDiscord(token=DISCORD_TOKEN) as fake:
        rui = fake.member(720000000000000001, "Rui")
        env = telegram_env(fake_telegram, url) | {
            "PACER_DISCORD_TOKEN": DISCORD_TOKEN, "PACER_DISCORD_API_URL": fake.api_base}
        async with running_pacer(env, tmp_path / "pacer.log") as pacer:
            await fake.wait_ready(30)
            await fake.drop_gateway(4014)
            await until(lambda: "discord is off; still serving telegram" in pacer.log(), 30,
                        "the platform failure", pacer=pacer)
            await queue_pushes(sqlite_db, "discord", [fake.dm_channel_id(rui.id)])
            await queue_pushes(sqlite_db, "telegram", [ann.id])
            await until(lambda: received(fake_telegram)[ann.id] == 1, 30, "Ann's push",
                        pacer=pacer)
            fake_telegram.send_text(ann, "/help")
            await until(lambda: received(fake_telegram)[ann.id] == 2, 30, "Ann's /help",
                        pacer=pacer)
            assert await pacer.stop() == 0
        assert fake.dms(rui.id) == []

    log = pacer.log()
    assert log.count("code 4014") == 1  # logged once
    assert "Traceback" not in log
    state = await outbox_state(sqlite_db)
    assert sorted(state.values()) == [("pending", False), ("sent", False)]  # Discord's waits


# --- 8. a rejected token, on either platform -----------------------------------------------------


@pytest.mark.parametrize("platform", ["telegram", "discord"])
async def test_a_rejected_token_ends_pacer_with_code_1_the_same_on_both_platforms(
    sqlite_db: Database, tmp_path: Path, platform: str
) -> None:
    url = f"sqlite+aiosqlite:///{sqlite_db.engine.url.database}"
    if platform == "telegram":
        async with FakeTelegram() as tg:
            env = telegram_env(tg, url, PACER_TELEGRAM_TOKEN="999999:wrong-token-abcdefghijklmn")
            async with running_pacer(env, tmp_path / "pacer.log") as pacer:
                code = await pacer.exit_code(30)
            reason = (f"PACER_TELEGRAM_TOKEN was rejected by 127.0.0.1:{tg.port} (or "
                      "PACER_TELEGRAM_API_URL is not a Bot API base URL)")
    else:
        async with FakeDiscord(token=DISCORD_TOKEN) as dc:
            env = {"PACER_DATABASE_URL": url, "PACER_DISCORD_API_URL": dc.api_base,
                   "PACER_DISCORD_TOKEN": "bad0123456.bad.token0123456789"}
            async with running_pacer(env, tmp_path / "pacer.log") as pacer:
                code = await pacer.exit_code(30)
            reason = "PACER_DISCORD_TOKEN was rejected by Discord (401 Unauthorized)"

    log = pacer.log()
    assert code == 1
    errors = [line.split(" ERROR ", 1)[1] for line in log.splitlines() if " ERROR " in line]
    assert errors == [
        f"bot.platform_runner: {platform}: {reason}; {platform.capitalize()} is off (pushes "
        "wait in the outbox)",
        "bot.runtime: no chat platform is left running; exiting with code 1",
    ]
    assert "wrong-token" not in log and "bad.token" not in log
    assert "Traceback" not in log
