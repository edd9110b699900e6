"""The fake Telegram server, driven by the real python-telegram-bot 22 (polling, not mocks)."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from tests.e2e.fakes.telegram_fixtures import fake_telegram, telegram_bot
from tests.e2e.fakes.telegram_ptb import AnyApplication, ptb_bot, ptb_builder, running_polling
from tests.e2e.fakes.telegram_server import SECRET_HEADER, FakeTelegram, post_update_to

__all__ = ["fake_telegram", "telegram_bot"]  # fixtures used by name below

Context = ContextTypes.DEFAULT_TYPE


class EchoBot:
    """A bare PTB application: /done echoes, /menu offers buttons, a click edits the menu."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.app: AnyApplication = ptb_builder(fake).build()
        self.update_ids: list[int] = []
        self.errors: list[BaseException] = []
        self.error_seen = asyncio.Event()
        self.app.add_handler(CommandHandler("done", self._done))
        self.app.add_handler(CommandHandler("menu", self._menu))
        self.app.add_handler(CallbackQueryHandler(self._button))
        self.app.add_error_handler(self._error)

    async def _done(self, update: Update, context: Context) -> None:
        self.update_ids.append(update.update_id)
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"ok {' '.join(context.args or [])}".strip())

    async def _menu(self, update: Update, context: Context) -> None:
        assert update.effective_message is not None
        buttons = [[InlineKeyboardButton("Easy", callback_data="pick:easy")]]
        await update.effective_message.reply_text(
            "Pick one", reply_markup=InlineKeyboardMarkup(buttons)
        )

    async def _button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("noted")
        await query.edit_message_text(f"You picked {query.data}")

    async def _error(self, update: object, context: Context) -> None:
        assert context.error is not None
        self.errors.append(context.error)
        self.error_seen.set()


@pytest.fixture
async def echo(fake_telegram: FakeTelegram) -> AsyncIterator[EchoBot]:
    bot = EchoBot(fake_telegram)
    async with running_polling(bot.app):
        yield bot


# --- the happy paths ------------------------------------------------------------------------


async def test_done_in_private_chat_gets_a_reply(
    fake_telegram: FakeTelegram, echo: EchoBot
) -> None:
    ann = fake_telegram.user(1001, "Ann", "ann")
    update = fake_telegram.send_text(ann, "/done 5k")

    [reply] = await fake_telegram.wait_for(chat_id=fake_telegram.private_chat(ann))

    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    assert reply["text"] == "ok 5k"
    assert reply["method"] == "sendMessage"
    assert reply["from"]["username"] == "pacer_bot"
    assert reply["message_id"] == update["message"]["message_id"] + 1
    assert echo.update_ids == [update["update_id"]]


async def test_done_addressed_to_the_bot_works_in_a_group(
    fake_telegram: FakeTelegram, echo: EchoBot
) -> None:
    ann = fake_telegram.user(1001)
    group = fake_telegram.group(-100500, "Club", admins={1001})
    fake_telegram.send_text(ann, "/done@other_bot 1k", chat_id=group.id)
    fake_telegram.send_text(ann, "/done@pacer_bot 3mi", chat_id=group.id)

    [reply] = await fake_telegram.wait_for(chat_id=group.id)

    assert reply["text"] == "ok 3mi"
    assert reply["chat"] == {"id": -100500, "type": "supergroup", "title": "Club"}
    assert len(echo.update_ids) == 1  # the command for another bot was ignored by PTB


async def test_a_button_click_is_answered_and_the_message_edited(
    fake_telegram: FakeTelegram, echo: EchoBot
) -> None:
    ann = fake_telegram.user(1001)
    fake_telegram.send_text(ann, "/menu")
    [menu] = await fake_telegram.wait_for(lambda m: m["text"] == "Pick one")
    with pytest.raises(ValueError, match="no button"):
        fake_telegram.click(ann, menu, "pick:hard")

    click = fake_telegram.click(ann, menu, "pick:easy")
    [edited] = await fake_telegram.wait_for(lambda m: m["method"] == "editMessageText")

    query_id = click["callback_query"]["id"]
    assert fake_telegram.callback_answers[query_id]["text"] == "noted"
    assert edited["text"] == "You picked pick:easy"
    assert edited["message_id"] == menu["message_id"]
    assert edited["reply_markup"] is None
    assert "edit_date" in edited
    with pytest.raises(ValueError, match="no button"):  # the edit removed the keyboard
        fake_telegram.click(ann, menu, "pick:easy")


async def test_a_restarted_bot_does_not_get_handled_updates_again(
    fake_telegram: FakeTelegram,
) -> None:
    ann = fake_telegram.user(1001)
    first = EchoBot(fake_telegram)
    async with running_polling(first.app):
        fake_telegram.send_text(ann, "/done 1")
        await fake_telegram.wait_for(chat_id=ann.id)
    assert fake_telegram.pending_updates == 0  # stopping confirmed what was fetched

    fake_telegram.send_text(ann, "/done 2")  # arrives while the bot is down
    second = EchoBot(fake_telegram)
    async with running_polling(second.app):
        await fake_telegram.wait_for(chat_id=ann.id, count=2)

    assert [m["text"] for m in fake_telegram.sent(ann.id)] == ["ok 1", "ok 2"]
    assert len(second.update_ids) == 1


async def test_a_redelivered_update_keeps_its_update_id(
    fake_telegram: FakeTelegram, echo: EchoBot
) -> None:
    ann = fake_telegram.user(1001)
    update = fake_telegram.send_text(ann, "/done 5k")
    await fake_telegram.wait_for(chat_id=ann.id)

    fake_telegram.redeliver(update)
    await fake_telegram.wait_for(chat_id=ann.id, count=2)

    assert echo.update_ids == [update["update_id"], update["update_id"]]


async def test_set_my_commands_is_stored_per_scope_and_language(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    await telegram_bot.set_my_commands([BotCommand("done", "log a run")])
    await telegram_bot.set_my_commands(
        [BotCommand("challenge", "group challenge")],
        scope=BotCommandScopeAllGroupChats(),
        language_code="de",
    )

    assert fake.my_commands() == [{"command": "done", "description": "log a run"}]
    assert fake.my_commands({"type": "all_group_chats"}, "de") == [
        {"command": "challenge", "description": "group challenge"}
    ]
    assert fake.my_commands({"type": "all_group_chats"}) is None
    assert await telegram_bot.get_my_commands() == (BotCommand("done", "log a run"),)
    await telegram_bot.delete_my_commands(scope=BotCommandScopeChat(1001))
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await telegram_bot.set_my_commands([BotCommand("Done", "upper case is invalid")])


async def test_housekeeping_methods_and_dropping_pending_updates(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    ann = fake_telegram.user(1001)
    fake_telegram.send_text(ann, "old news", date=1_700_000_000)
    assert (await telegram_bot.get_webhook_info()).pending_update_count == 1
    [update] = await telegram_bot.get_updates()
    assert update.message is not None
    assert update.message.date == dtm.datetime.fromtimestamp(1_700_000_000, dtm.UTC)

    assert await telegram_bot.delete_webhook(drop_pending_updates=True)
    assert fake_telegram.pending_updates == 0
    assert await telegram_bot.log_out()
    assert await telegram_bot.close()


# --- faults ---------------------------------------------------------------------------------


async def test_a_429_surfaces_as_retry_after_in_the_handler_and_directly(
    fake_telegram: FakeTelegram, echo: EchoBot
) -> None:
    ann = fake_telegram.user(1001)
    fake_telegram.fail_next("sendMessage", status=429, retry_after=1)
    fake_telegram.send_text(ann, "/done 5k")
    await asyncio.wait_for(echo.error_seen.wait(), 3)

    [error] = echo.errors
    assert isinstance(error, RetryAfter)
    assert _seconds(error.retry_after) == 1
    assert fake_telegram.sent() == []  # a 429 sends nothing

    fake_telegram.fail_next("sendMessage", status=429, retry_after=3, chat_id=ann.id)
    with pytest.raises(RetryAfter, match="Retry in"):
        await echo.app.bot.send_message(ann.id, "again")
    message = await echo.app.bot.send_message(ann.id, "now it works")
    assert message.text == "now it works"


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_surface_as_network_error(
    fake_telegram: FakeTelegram, telegram_bot: Bot, status: int
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)
    fake.fail_next("sendMessage", status=status, times=2)

    for _ in range(2):
        with pytest.raises(NetworkError) as raised:
            await telegram_bot.send_message(ann.id, "hi")
        assert type(raised.value) is NetworkError
    await telegram_bot.send_message(ann.id, "hi")
    assert [c.status for c in fake.calls_to("sendMessage")] == [status, status, 200]


async def test_a_blocked_user_gives_forbidden(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)
    fake.block(ann.id)

    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await telegram_bot.send_message(ann.id, "reminder")
    member = await telegram_bot.get_chat_member(ann.id, fake.bot_id)
    assert member.status == "kicked"
    fake.unblock(ann.id)
    assert (await telegram_bot.send_message(ann.id, "reminder")).chat_id == ann.id


async def test_a_hung_call_times_out_and_may_still_have_been_delivered(
    fake_telegram: FakeTelegram,
) -> None:
    ann = fake_telegram.user(1001)
    fake_telegram.hang_next("sendMessage", process=True)
    async with ptb_bot(fake_telegram, read_timeout=0.2) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(ann.id, "did it arrive?")

    assert [m["text"] for m in fake_telegram.sent(ann.id)] == ["did it arrive?"]


async def test_unknown_methods_get_404_and_are_recorded(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram

    with pytest.raises(EndPointNotFound):
        await telegram_bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})

    [call] = fake.calls_to("sendTelepathy")
    assert (call.status, call.error) == (404, "Not Found: method not found")
    assert call.params == {"chat_id": 1}


async def test_a_wrong_token_is_unauthorized(fake_telegram: FakeTelegram) -> None:
    bot = Bot("999:wrong", base_url=fake_telegram.base_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()
    assert fake_telegram.calls == []


# --- getUpdates -----------------------------------------------------------------------------


async def test_get_updates_honours_offset_limit_and_allowed_updates(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)
    first, second, third = (fake.send_text(ann, f"m{i}") for i in range(3))

    batch = await telegram_bot.get_updates(limit=2)
    assert [u.update_id for u in batch] == [first["update_id"], second["update_id"]]
    again = await telegram_bot.get_updates(offset=second["update_id"])
    assert [u.update_id for u in again] == [second["update_id"], third["update_id"]]
    assert fake.pending_updates == 2  # the first is confirmed and forgotten

    menu = await telegram_bot.send_message(
        ann.id,
        "menu",
        reply_markup=InlineKeyboardMarkup.from_button(
            InlineKeyboardButton("go", callback_data="go")
        ),
    )
    fake.click(ann, menu.to_dict(), "go")
    only_messages = await telegram_bot.get_updates(
        offset=third["update_id"], allowed_updates=["message"]
    )
    assert [u.update_id for u in only_messages] == [third["update_id"]]
    assert fake.pending_updates == 1  # the callback query was dropped, never delivered


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(telegram_bot.get_updates(timeout=4))
    await fake.wait_for_call("getUpdates", answered=False)
    fake.send_text(ann, "hello")

    updates = await poll
    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert loop.time() - started < 2  # not the 4 s timeout


async def test_an_empty_long_poll_waits_for_its_timeout(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await telegram_bot.get_updates(timeout=dtm.timedelta(seconds=0.3)) == ()
    assert 0.25 <= loop.time() - started < 2


async def test_a_second_poller_terminates_the_first_with_conflict(
    fake_telegram: FakeTelegram,
) -> None:
    async with ptb_bot(fake_telegram) as first, ptb_bot(fake_telegram) as second:
        older = asyncio.create_task(first.get_updates(timeout=3))
        await fake_telegram.wait_for_call("getUpdates", answered=False)
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
            await older


async def test_stop_answers_a_pending_long_poll_at_once() -> None:
    loop = asyncio.get_running_loop()
    fake = FakeTelegram()
    await fake.start()
    async with ptb_bot(fake) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await fake.wait_for_call("getUpdates", answered=False)
        started = loop.time()
        await fake.stop()
        assert await poll == ()
    assert loop.time() - started < 2


# --- messages, files, chats -----------------------------------------------------------------


async def test_html_is_parsed_like_telegram_and_bad_html_rejected(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)

    message = await telegram_bot.send_message(
        ann.id, "<b>Streak</b>: 4 days &amp; counting", parse_mode="HTML"
    )
    assert message.text == "Streak: 4 days & counting"
    assert message.text_html == "<b>Streak</b>: 4 days &amp; counting"
    assert fake.sent()[-1]["sent_text"] == "<b>Streak</b>: 4 days &amp; counting"
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: Unsupported start tag"):
        await telegram_bot.send_message(ann.id, "pace < 5:00/km", parse_mode="HTML")
    with pytest.raises(BadRequest) as unsupported:
        await telegram_bot.send_message(ann.id, "5.0 km", parse_mode="MarkdownV2")
    assert unsupported.value.message == "Unsupported parse_mode"


async def test_edits_replies_and_deletes_follow_telegram_rules(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)
    asked = fake.send_text(ann, "/today")["message"]

    reply = await telegram_bot.send_message(
        ann.id, "Easy 30 min", reply_to_message_id=asked["message_id"]
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "/today"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await telegram_bot.edit_message_text("Easy 30 min", ann.id, reply.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await telegram_bot.edit_message_text("hijack", ann.id, asked["message_id"])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await telegram_bot.send_message(
            ann.id,
            "x",
            reply_markup=InlineKeyboardMarkup.from_button(
                InlineKeyboardButton("too long", callback_data="x" * 65)
            ),
        )
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await telegram_bot.send_message(4242, "stranger")
    assert await telegram_bot.delete_message(ann.id, reply.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await telegram_bot.delete_message(ann.id, reply.message_id)


async def test_uploads_keep_bytes_and_filename_and_can_be_downloaded(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + (640).to_bytes(4, "big")
        + (480).to_bytes(4, "big")
        + b"rest-of-png"
    )

    photo = await telegram_bot.send_photo(ann.id, png, caption="<i>week</i>", parse_mode="HTML")
    document = await telegram_bot.send_document(ann.id, b"BEGIN:VCALENDAR", filename="plan.ics")

    sent_photo, sent_document = fake.sent(ann.id)
    assert (sent_photo["method"], sent_photo["caption"], sent_photo["bytes"]) == (
        "sendPhoto",
        "week",
        png,
    )
    assert (photo.photo[-1].width, photo.photo[-1].height) == (640, 480)
    assert (sent_document["filename"], sent_document["bytes"]) == ("plan.ics", b"BEGIN:VCALENDAR")
    assert document.document is not None
    downloaded = await (await document.document.get_file()).download_as_bytearray()
    assert bytes(downloaded) == b"BEGIN:VCALENDAR"
    assert await telegram_bot.send_chat_action(ann.id, "upload_photo")


async def test_chat_and_member_queries_reflect_groups_and_admins(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann, bob = fake.user(1001, "Ann"), fake.user(1002, "Bob")
    group = fake.group(-100500, "Club", admins={1001}, owner=1003)
    fake.send_text(bob, "hi", chat_id=group.id)

    admins = await telegram_bot.get_chat_administrators(group.id)
    chat = await telegram_bot.get_chat(group.id)
    assert [(a.user.id, a.status) for a in admins] == [(1003, "creator"), (1001, "administrator")]
    assert (chat.title, chat.type) == ("Club", "supergroup")
    assert (await telegram_bot.get_chat_member(group.id, bob.id)).status == "member"
    assert (await telegram_bot.get_chat_member(group.id, 1003)).status == "creator"
    fake.set_admins(group.id, {bob.id})
    assert (await telegram_bot.get_chat_member(group.id, bob.id)).status == "administrator"
    assert (await telegram_bot.get_chat_member(group.id, ann.id)).status == "left"
    private = await telegram_bot.get_chat(ann.id)
    assert (private.type, private.first_name) == ("private", "Ann")


async def test_wait_for_reports_what_happened_on_timeout(
    fake_telegram: FakeTelegram, telegram_bot: Bot
) -> None:
    fake = fake_telegram
    ann = fake.user(1001)
    await telegram_bot.send_message(ann.id, "something else")

    with pytest.raises(AssertionError) as raised:
        await fake.wait_for(lambda m: m["text"] == "never", timeout=0.05)

    assert "'something else'" in str(raised.value)
    assert "sendMessage chat_id=1001 -> 200" in str(raised.value)


# --- webhooks -------------------------------------------------------------------------------


async def test_webhook_mode_posts_updates_with_the_secret(fake_telegram: FakeTelegram) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    app = ptb_builder(fake_telegram).updater(None).build()
    app.add_handler(CommandHandler("done", _reply_ok))

    async def webhook(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        await app.process_update(Update.de_json(received[-1][1], app.bot))
        return web.Response()

    receiver = web.Application()
    receiver.router.add_post("/hook", webhook)
    runner = web.AppRunner(receiver)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        async with app:
            url = f"{site.name}/hook"
            await app.bot.set_webhook(url, secret_token="s3cret")
            ann = fake_telegram.user(1001)
            update = fake_telegram.send_text(ann, "/done 5k")
            with pytest.raises(Conflict, match=r"(?i)webhook is active"):
                await app.bot.get_updates()

            info = await app.bot.get_webhook_info()
            assert (info.url, info.pending_update_count) == (url, 1)
            assert await fake_telegram.push_webhook(update) == 200
            assert await post_update_to(url, update, "s3cret") == 200
            await fake_telegram.wait_for(chat_id=ann.id, count=2)
    finally:
        await runner.cleanup()

    assert fake_telegram.webhook["url"] == url
    assert [secret for secret, _ in received] == ["s3cret", "s3cret"]
    assert received[0][1] == update
    assert fake_telegram.pending_updates == 0  # delivered by webhook, not left for polling


async def _reply_ok(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("ok")


def _seconds(value: int | dtm.timedelta) -> float:
    """PTB 22 gives durations as int or timedelta depending on PTB_TIMEDELTA."""
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)
