"""Telegram misbehaving, runners blocking the bot, updates arriving twice, handlers crashing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.clock import FakeClock
from core.commands.table import COMMANDS
from core.delivery import DeliveryError
from core.messages import Reply
from core.storage.database import Database
from core.storage.models import RunLog
from core.text import SORRY as ADAPTER_SORRY
from core.text import SORRY_NOTHING_SAVED as CORE_SORRY
from tests.e2e.conftest import TelegramHarness
from tests.e2e.fakes.telegram_server import FakeTelegram


def statuses(tg: TelegramHarness, method: str = "sendMessage") -> list[int | None]:
    return [c.status for c in tg.fake.calls_to(method)]


async def logs(tg: TelegramHarness) -> int:
    async with tg.uow(readonly=True) as uow:
        return await uow.session.scalar(select(func.count()).select_from(RunLog)) or 0


# --- Telegram errors ------------------------------------------------------------------------


async def test_a_429_is_waited_out_and_the_reply_still_arrives(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    tg.fake.fail_next("sendMessage", status=429, retry_after=3)

    [reply] = await tg.say(ann, "/help")

    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in reply["text"].splitlines()
    assert statuses(tg) == [429, 200]
    assert tg.sleeps == [3.0]  # exactly what Telegram asked for


async def test_a_429_longer_than_a_runner_would_wait_is_not_waited_out(
    tg: TelegramHarness,
) -> None:
    ann = tg.fake.user(1001, "Ann")
    tg.fake.fail_next("sendMessage", status=429, retry_after=600)

    assert await tg.say(ann, "/help") == []
    [reply] = await tg.say(ann, "/help")

    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in reply["text"].splitlines()
    assert tg.sleeps == []


async def test_server_errors_are_retried_with_growing_backoff(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    tg.fake.fail_next("sendMessage", status=500, times=2)

    [reply] = await tg.say(ann, "/help")

    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in reply["text"].splitlines()
    assert statuses(tg) == [500, 500, 200]
    first, second = tg.sleeps
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0  # base 0.5 s, doubled, jittered


async def test_a_bad_request_is_not_retried_and_the_bot_carries_on(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    tg.fake.fail_next("sendMessage", status=400, description="Bad Request: message is too long")

    assert await tg.say(ann, "/help") == []
    [reply] = await tg.say(ann, "/pace 7:00")

    assert statuses(tg) == [400, 200] and tg.sleeps == []
    assert "Mile in 7:00: 1:44.4 per 400 m lap · 4:21/km" in reply["text"].splitlines()


async def test_markup_telegram_cannot_parse_is_sent_as_plain_text(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    tg.fake.fail_next(
        "sendMessage", status=400, description="Bad Request: can't parse entities: oops"
    )

    [reply] = await tg.say(ann, "/help")

    assert reply["parse_mode"] is None
    assert reply["text"].startswith("Pacer coaches you to run a mile")


async def test_a_timed_out_send_is_retried(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> None:
    tg = TelegramHarness(fake_telegram, sqlite_db, clock, read_timeout=0.5)
    await tg.start()
    try:
        ann = tg.fake.user(1001, "Ann")
        tg.fake.hang_next("sendMessage")
        [reply] = await tg.say(ann, "/help")
    finally:
        await tg.stop()

    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in reply["text"].splitlines()
    first, *retries = tg.fake.calls_to("sendMessage")
    assert first.status is None  # never answered: PTB gave up waiting
    assert retries[-1].status == 200 and len(tg.sleeps) == len(retries)


# --- runners who blocked the bot ------------------------------------------------------------


async def test_a_runner_who_blocked_the_bot_is_unreachable_until_they_write(
    tg: TelegramHarness,
) -> None:
    ann = tg.fake.user(1001, "Ann")
    await tg.onboard(ann)
    tg.fake.block(ann.id)

    assert await tg.say(ann, "/today") == []  # the reply got 403 Forbidden
    identity = await tg.identity(ann)
    assert identity.reachable is False
    assert identity.unreachable_reason == "Forbidden: bot was blocked by the user"
    with pytest.raises(DeliveryError) as pushed:  # pushes are refused the same way
        await tg.adapter.messenger.send(str(ann.id), Reply("Good morning!"))
    assert pushed.value.kind == "blocked"
    assert statuses(tg)[-2:] == [403, 403]  # neither was retried

    tg.fake.unblock(ann.id)
    [today] = await tg.say(ann, "/today")
    assert today["text"].startswith("Today · Mon 2 Nov")
    assert (await tg.identity(ann)).reachable is True


# --- the same update twice ------------------------------------------------------------------


async def test_a_redelivered_update_logs_once(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    await tg.onboard(ann)
    update = tg.fake.send_text(ann, "/done 25min")
    await tg.handled(update["update_id"])

    again = await tg.redeliver(update)

    assert again == []  # no second "Logged"
    assert await logs(tg) == 1


async def test_a_redelivered_button_press_logs_once(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    await tg.onboard(ann)
    [today] = await tg.say(ann, "/today")
    click = tg.fake.click(ann, today, "/done")
    await tg.handled(click["update_id"])

    again = await tg.redeliver(click)

    assert again == [] and await logs(tg) == 1


async def test_an_update_delivered_again_after_a_restart_logs_once(
    fake_telegram: FakeTelegram, sqlite_db: Database, clock: FakeClock
) -> None:
    first = TelegramHarness(fake_telegram, sqlite_db, clock)
    await first.start()
    ann = fake_telegram.user(1001, "Ann")
    await first.onboard(ann)
    update = fake_telegram.send_text(ann, "/done 25min")
    await first.handled(update["update_id"])
    await first.stop()

    fake_telegram.redeliver(update)  # Telegram did not get the confirmation, say
    second = TelegramHarness(fake_telegram, sqlite_db, clock)
    await second.start()
    try:
        await second.handled(update["update_id"])
        [today] = await second.say(ann, "/today")
    finally:
        await second.stop()

    assert await logs(second) == 1
    assert "Already logged today: 25 min" in today["text"]


# --- crashes --------------------------------------------------------------------------------


async def test_a_crashing_command_gets_a_friendly_error_and_the_bot_keeps_answering(
    tg: TelegramHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = tg.fake.user(1001, "Ann")

    async def broken(ctx: object) -> Reply:
        raise RuntimeError("bug in /pace")

    tg.pacer.commands = COMMANDS.replacing("pace", broken)
    [sorry] = await tg.say(ann, "/pace 7:00")
    [help_reply] = await tg.say(ann, "/help")

    assert sorry["text"] == CORE_SORRY
    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in help_reply["text"].splitlines()


async def test_a_crash_in_the_adapter_itself_is_caught_too(
    tg: TelegramHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = tg.fake.user(1001, "Ann")
    handle = tg.pacer.handle
    calls = 0

    async def flaky(request: object) -> list[Reply]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database went away")
        return await handle(request)  # type: ignore[arg-type]

    monkeypatch.setattr(tg.pacer, "handle", flaky)
    [sorry] = await tg.say(ann, "/help")
    [help_reply] = await tg.say(ann, "/help")

    assert sorry["text"] == ADAPTER_SORRY
    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in help_reply["text"].splitlines()
