"""The Telegram adapter's reliability parts, with PTB errors and no network."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import ChatMemberAdministrator, ChatMemberMember, ChatMemberOwner, Update, User
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.config import Settings
from bot.telegram.admins import AdminCache
from bot.telegram.group_replies import GroupReplyQueue
from bot.telegram.ordering import PerSenderUpdateProcessor
from bot.telegram.ratelimit import OUTBOX_LIMITED, MessageRateLimiter
from bot.telegram.retry import Retrier, RetryPolicy, classify
from bot.telegram.service import TelegramAdapter, file_url_for, webhook_secret
from core.app import Pacer
from core.clock import FakeClock
from core.delivery import DeliveryError
from core.messages import Reply
from core.schedule.ratelimit import Limit, RateLimiter, RateLimits
from core.schedule.sender import Sender
from tests.support.fake_uow import FakeUnitOfWorkFactory


class Flaky:
    """A Bot API call that fails with the given errors first, then returns "ok"."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def retrier(policy: RetryPolicy | None = None) -> tuple[Retrier, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return Retrier(policy, sleep=sleep, jitter=lambda: 1.0), waits


# --- classification and retries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (RetryAfter(12), "retry_after"),
        (Forbidden("Forbidden: bot was blocked by the user"), "blocked"),
        (BadRequest("Bad Request: chat not found"), "permanent"),  # a NetworkError subclass
        (TimedOut(), "transient"),  # also a NetworkError subclass
        (NetworkError("Bad Gateway"), "transient"),
        (ChatMigrated(-100123), "permanent"),
        (InvalidToken(), "permanent"),
    ],
)
def test_errors_are_classified_subclasses_first(error: TelegramError, kind: str) -> None:
    assert classify(error).kind == kind


def test_a_429_carries_its_wait() -> None:
    assert classify(RetryAfter(12)).retry_after == 12.0


def test_a_429_pauses_only_its_chat() -> None:
    # Flood waits are per chat; the overall 30 msg/s is kept client side.
    assert classify(RetryAfter(12)).scope == "chat"


async def test_a_429_is_retried_after_the_wait_telegram_asked_for() -> None:
    retry, waits = retrier()
    call = Flaky(RetryAfter(4))

    assert await retry.run(call) == "ok"
    assert (call.calls, waits) == (2, [4.0])


async def test_a_429_longer_than_the_policy_allows_is_handed_back() -> None:
    retry, waits = retrier(RetryPolicy(max_retry_after=5))

    with pytest.raises(DeliveryError) as raised:
        await retry.run(Flaky(RetryAfter(30)))

    assert (raised.value.kind, raised.value.retry_after, waits) == ("retry_after", 30.0, [])


async def test_transient_errors_back_off_exponentially_up_to_a_cap() -> None:
    retry, waits = retrier(RetryPolicy(attempts=6, backoff_base=1.0, backoff_cap=5.0))
    call = Flaky(*[NetworkError("Internal Server Error")] * 5)

    assert await retry.run(call) == "ok"
    assert waits == [1.0, 2.0, 4.0, 5.0, 5.0]


async def test_giving_up_raises_the_last_error_as_delivery_error() -> None:
    retry, waits = retrier(RetryPolicy(attempts=3))
    call = Flaky(*[TimedOut()] * 5)

    with pytest.raises(DeliveryError) as raised:
        await retry.run(call)

    assert raised.value.kind == "transient"
    assert call.calls == 3 and len(waits) == 2


@pytest.mark.parametrize("error", [BadRequest("Bad Request: x"), Forbidden("Forbidden: x")])
async def test_bad_requests_and_blocks_are_never_retried(error: TelegramError) -> None:
    retry, waits = retrier()
    call = Flaky(error)

    with pytest.raises(DeliveryError):
        await retry.run(call)

    assert call.calls == 1 and waits == []


def test_jitter_spreads_the_backoff_between_half_and_full() -> None:
    policy = RetryPolicy(backoff_base=2.0)

    assert policy.backoff(1, 0.0) == 1.0 and policy.backoff(1, 1.0) == 2.0
    assert policy.backoff(3, 0.5) == 6.0


# --- admins ---------------------------------------------------------------------------------


def members(owner: int, *admins: int, member: int = 999) -> list[Any]:
    bot = User(1, "Pacer", is_bot=True)
    rows: list[Any] = [ChatMemberOwner(User(owner, "O", False), is_anonymous=False)]
    rows += [
        ChatMemberAdministrator(User(a, "A", False), False, True, True, True, True, True, True,
                                True, True, True, True, True)
        for a in admins
    ]
    rows.append(ChatMemberMember(User(member, "M", False)))
    rows.append(ChatMemberAdministrator(bot, False, True, True, True, True, True, True, True,
                                        True, True, True, True))
    return rows


async def test_admins_are_the_creator_and_administrators_cached_for_a_while() -> None:
    now = [0.0]
    asked: list[int] = []

    async def fetch(chat_id: int) -> Sequence[Any]:
        asked.append(chat_id)
        return members(10, 11)

    cache = AdminCache(fetch, ttl=300, monotonic=lambda: now[0])

    assert [await cache.is_admin(-5, u) for u in (10, 11, 999)] == [True, True, False]
    now[0] = 299
    assert await cache.is_admin(-5, 11) and asked == [-5]
    now[0] = 301
    assert await cache.is_admin(-5, 11) and asked == [-5, -5]


async def test_concurrent_askers_share_one_lookup() -> None:
    release = asyncio.Event()
    asked: list[int] = []

    async def fetch(chat_id: int) -> Sequence[Any]:
        asked.append(chat_id)
        await release.wait()
        return members(10)

    cache = AdminCache(fetch)
    waiting = [asyncio.create_task(cache.is_admin(-5, user)) for user in (10, 20, 10)]
    await asyncio.sleep(0)
    release.set()

    assert await asyncio.gather(*waiting) == [True, False, True]
    assert asked == [-5]


async def test_a_failed_lookup_denies_and_is_not_cached() -> None:
    outcomes: list[Any] = [DeliveryError("transient", "Bad Gateway"), members(10)]

    async def fetch(chat_id: int) -> Sequence[Any]:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return list(outcome)

    cache = AdminCache(fetch)

    assert await cache.is_admin(-5, 10) is False
    assert await cache.is_admin(-5, 10) is True


# --- update ordering ------------------------------------------------------------------------


def update_from(user_id: int, update_id: int) -> Update:
    message = {"message_id": update_id, "date": 0, "text": "x",
               "chat": {"id": user_id, "type": "private"},
               "from": {"id": user_id, "is_bot": False, "first_name": "U"}}
    return Update.de_json({"update_id": update_id, "message": message}, None)


async def test_one_senders_updates_run_in_order_and_others_meanwhile() -> None:
    processor = PerSenderUpdateProcessor(8)
    gate = asyncio.Event()
    log: list[str] = []

    async def work(name: str, wait: bool) -> None:
        log.append(f"start {name}")
        if wait:
            await gate.wait()
        log.append(f"end {name}")

    ann1 = asyncio.create_task(processor.process_update(update_from(1, 1), work("ann1", True)))
    ann2 = asyncio.create_task(processor.process_update(update_from(1, 2), work("ann2", False)))
    bob = asyncio.create_task(processor.process_update(update_from(2, 3), work("bob", False)))
    await bob  # Bob is not held up by Ann's slow update
    assert log == ["start ann1", "start bob", "end bob"]
    gate.set()
    await asyncio.gather(ann1, ann2)

    assert log[3:] == ["end ann1", "start ann2", "end ann2"]
    assert processor._locks == {}  # nothing kept for senders who went quiet


async def test_a_sender_waits_for_their_turn_before_taking_a_shared_slot() -> None:
    processor = PerSenderUpdateProcessor(2, max_waiting_per_sender=1)
    gate = asyncio.Event()
    log: list[str] = []

    async def work(name: str) -> None:
        log.append(f"start {name}")
        if name == "ann1":
            await gate.wait()
        log.append(f"end {name}")

    ann = [
        asyncio.create_task(processor.process_update(update_from(1, n), work(f"ann{n}")))
        for n in (1, 2, 3)
    ]
    bob = asyncio.create_task(processor.process_update(update_from(2, 9), work("bob")))
    await bob  # Ann's second update waits for Ann, not in a slot: Bob takes the free one
    assert log == ["start ann1", "start bob", "end bob"]
    await ann[2]  # Ann's third found one already waiting: a flood, dropped
    gate.set()
    await asyncio.gather(*ann)

    assert log[3:] == ["end ann1", "start ann2", "end ann2"]
    assert processor._locks == {}


async def test_group_replies_go_out_in_order_per_group_and_a_full_queue_drops() -> None:
    queue = GroupReplyQueue(max_pending=2)
    gate = asyncio.Event()
    sent: list[str] = []

    def delivery(name: str, wait: bool = False) -> Callable[[], Awaitable[None]]:
        async def deliver() -> None:
            if wait:
                await gate.wait()
            sent.append(name)
        return deliver

    assert queue.submit(-1, delivery("a1", wait=True))
    await asyncio.sleep(0)  # a1 is being sent (waiting for the group's limit)
    assert queue.submit(-1, delivery("a2")) and queue.submit(-1, delivery("a3"))
    assert not queue.submit(-1, delivery("a4"))  # two already wait: dropped
    assert queue.submit(-2, delivery("b1"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert sent == ["b1"]  # another group is not held up by the first one's limit
    gate.set()
    await queue.close()

    assert sent == ["b1", "a1", "a2", "a3"]
    assert not queue.submit(-1, delivery("late"))  # closed at shutdown


# --- rate limiting and wiring ---------------------------------------------------------------


NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def one_a_second_one_a_minute_per_group() -> RateLimiter:
    return RateLimiter(RateLimits(overall=Limit(1, 1.0), per_group=Limit(1, 60.0)))


async def test_only_message_methods_are_rate_limited() -> None:
    limiter = MessageRateLimiter(one_a_second_one_a_minute_per_group())
    done: list[str] = []

    async def call(endpoint: str, data: dict[str, Any]) -> bool:
        done.append(endpoint)
        return True

    async def request(endpoint: str) -> object:
        data = {"chat_id": -100500}
        return await limiter.process_request(call, (endpoint, data), {}, endpoint, data, None)

    await request("sendMessage")  # spends the group's one message a minute
    for _ in range(5):  # housekeeping is never held back by it
        await asyncio.wait_for(request("getChatAdministrators"), 5)
    throttled = asyncio.create_task(request("sendMessage"))
    for _ in range(10):  # let it run as far as it can without time passing
        await asyncio.sleep(0)

    assert done == ["sendMessage"] + ["getChatAdministrators"] * 5
    assert not throttled.done()  # the second group message waits its turn
    throttled.cancel()


async def test_a_429_through_the_limiter_reaches_the_caller_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = MessageRateLimiter()
    sent: list[int] = []

    async def call(endpoint: str, data: dict[str, Any]) -> bool:
        sent.append(data["chat_id"])
        if data["chat_id"] == 1:
            raise RetryAfter(5)
        return True

    with pytest.raises(RetryAfter):
        await limiter.process_request(call, ("sendMessage", {"chat_id": 1}), {},
                                      "sendMessage", {"chat_id": 1}, None)
    for _ in range(3):  # private chats have no per-minute group limit; nothing was paused
        data = {"chat_id": 2}
        await asyncio.wait_for(
            limiter.process_request(call, ("sendMessage", data), {}, "sendMessage", data, None),
            5,
        )

    assert sent == [1, 2, 2, 2]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_every_worker_derives_the_same_webhook_secret_from_the_token() -> None:
    token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ"
    derived = webhook_secret(Settings(telegram_token=token))  # type: ignore[arg-type]
    chosen = Settings(telegram_token=token, telegram_webhook_secret="my-secret")  # type: ignore[arg-type]

    assert derived == webhook_secret(Settings(telegram_token=token))  # type: ignore[arg-type]
    assert re.fullmatch(r"[0-9a-f]{64}", derived) and "ABCdef" not in derived
    assert webhook_secret(chosen) == "my-secret"


def test_the_file_url_follows_the_api_url() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://10.0.0.5:8081/bot/") == "http://10.0.0.5:8081/file/bot"


async def test_pushes_the_outbox_already_limited_pass_straight_through() -> None:
    limiter = MessageRateLimiter(one_a_second_one_a_minute_per_group())
    done: list[str] = []

    async def call(endpoint: str, data: dict[str, Any]) -> bool:
        done.append(str(data["text"]))
        return True

    async def send(text: str, limit_args: int | None) -> object:
        data = {"chat_id": -100500, "text": text}
        return await limiter.process_request(
            call, ("sendMessage", data), {}, "sendMessage", data, limit_args
        )

    await send("reply", None)  # spends the group's one message a minute
    for n in range(3):  # pushes were held by the outbox's limiter: not a second time
        await asyncio.wait_for(send(f"push {n}", OUTBOX_LIMITED), 5)
    held = asyncio.create_task(send("second reply", None))
    for _ in range(10):
        await asyncio.sleep(0)

    assert done == ["reply", "push 0", "push 1", "push 2"]
    assert not held.done()  # replies still wait for the group's limit
    held.cancel()


class SharedPushes:
    """The outbox side of a Telegram bot: a messenger carrying the bot's send budget."""

    platform = "telegram"

    def __init__(self, budget: RateLimiter) -> None:
        self.budget = budget
        self.sent: list[str] = []

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.sent.append(chat_id)


async def test_replies_and_pushes_spend_one_budget() -> None:
    budget = RateLimiter(RateLimits(overall=Limit(2, 1.0)))
    pushes = SharedPushes(budget)
    sender = Sender(FakeUnitOfWorkFactory(), pushes, FakeClock(NOW), worker="w")
    assert sender.limiter is budget  # the outbox waits on the bot's budget, not one of its own
    for chat in ("1", "2"):  # two pushes spend this second's two messages
        assert await sender.limiter.acquire(chat)
    replied: list[int] = []

    async def call(endpoint: str, data: dict[str, Any]) -> bool:
        replied.append(data["chat_id"])
        return True

    data = {"chat_id": 3}
    reply = asyncio.create_task(MessageRateLimiter(budget).process_request(
        call, ("sendMessage", data), {}, "sendMessage", data, None))
    for _ in range(10):
        await asyncio.sleep(0)
    assert not reply.done() and replied == []  # the reply waits for the next second
    reply.cancel()


def test_the_telegram_adapter_gives_replies_and_pushes_the_same_budget() -> None:
    settings = Settings(telegram_token="123456:ABCdefGHIjklMNOpqrSTUvwxYZ")  # type: ignore[arg-type]
    adapter = TelegramAdapter(settings, Pacer(FakeUnitOfWorkFactory(), FakeClock(NOW)))
    limiter = adapter.app.bot.rate_limiter
    assert isinstance(limiter, MessageRateLimiter)
    assert limiter.budget is adapter.messenger.budget
