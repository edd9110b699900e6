"""Telegram ⇄ core translation, both ways, without any network."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import InlineKeyboardMarkup, Update

from bot.telegram.callback_data import MAX_BYTES, TOKEN_PREFIX, CallbackCodec
from bot.telegram.translate import (
    Outgoing,
    keyboard,
    render_reply,
    request_from_callback,
    request_from_message,
    split_command,
)
from core.messages import Attachment, ChatKind, Choice, Platform, Reply

BOT = "pacer_bot"
ANN = {"id": 1001, "is_bot": False, "first_name": "Ann", "last_name": "Lee"}
PRIVATE = {"id": 1001, "type": "private", "first_name": "Ann"}
CLUB = {"id": -100500, "type": "supergroup", "title": "Morning Milers"}
PNG = Attachment("stats.png", b"\x89PNG\r\n\x1a\n...", "image/png")


def message_update(text: str, chat: dict[str, Any] = PRIVATE, **message: Any) -> Update:
    """An Update as Telegram sends it; a leading /command gets its bot_command entity."""
    body: dict[str, Any] = {"message_id": 7, "date": 1_700_000_000, "chat": chat, "from": ANN}
    if text:
        body["text"] = text
    if text.startswith("/"):
        head = text.split(maxsplit=1)[0]
        length = len(head.encode("utf-16-le")) // 2
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return Update.de_json({"update_id": 42, "message": body | message}, None)


def callback_update(data: str, chat: dict[str, Any] = PRIVATE) -> Update:
    message = {"message_id": 9, "date": 1_700_000_000, "chat": chat, "text": "Today…",
               "from": {"id": 123456, "is_bot": True, "first_name": "Pacer"}}
    query = {"id": "77", "from": ANN, "chat_instance": "1", "data": data, "message": message}
    return Update.de_json({"update_id": 43, "callback_query": query}, None)


# --- commands -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/done 25min", ("done", "25min")),
        ("/Done@Pacer_Bot 5k 28:30", ("done", "5k 28:30")),
        ("/done\nfelt strong", ("done", "felt strong")),
        ("/start redo", ("start", "redo")),
        ("Europe/Berlin", ("", "Europe/Berlin")),
        ("  beginner  ", ("", "beginner")),
        ("/ done", ("", "/ done")),
        ("/done@other_bot 5k", None),
    ],
)
def test_split_command(line: str, expected: tuple[str, str] | None) -> None:
    assert split_command(line, BOT) == expected


def test_a_private_command_becomes_a_request() -> None:
    request = request_from_message(message_update("/done 5k 🏃 <fast> & *easy*"), BOT)

    assert request is not None
    assert (request.command, request.text) == ("done", "5k 🏃 <fast> & *easy*")
    assert request.platform is Platform.TELEGRAM
    assert (request.user_id, request.chat_id, request.update_id) == ("1001", "1001", "42")
    assert request.chat_kind is ChatKind.PRIVATE and request.display_name == "Ann Lee"
    assert request.is_admin is False  # only a group asks Telegram


def test_the_command_comes_from_the_entity_not_a_slash_later_on() -> None:
    text = "I ran /done 5k"
    entity = {"type": "bot_command", "offset": 6, "length": 5}
    request = request_from_message(message_update(text, entities=[entity]), BOT)

    assert request is not None and (request.command, request.text) == ("", text)


def test_emoji_before_the_arguments_keep_utf16_offsets_right() -> None:
    update = message_update("/sleep 7h30 😴😴 deep")

    request = request_from_message(update, BOT)

    assert request is not None and (request.command, request.text) == ("sleep", "7h30 😴😴 deep")


def test_group_commands_are_requests_and_group_chatter_is_ignored() -> None:
    command = request_from_message(message_update("/challenge@pacer_bot board", CLUB), BOT)
    chatter = request_from_message(message_update("morning all", CLUB), BOT)
    elsewhere = request_from_message(message_update("/challenge@strava_bot board", CLUB), BOT)

    assert command is not None and command.chat_kind is ChatKind.GROUP
    assert (command.chat_id, command.chat_title, command.text) == (
        "-100500", "Morning Milers", "board"
    )
    assert chatter is None and elsewhere is None


def test_channels_bots_and_non_text_messages_are_ignored() -> None:
    channel = {"id": -100900, "type": "channel", "title": "News"}
    robot = {"id": 5, "is_bot": True, "first_name": "Other"}
    photo = [{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]

    assert request_from_message(message_update("/help", channel), BOT) is None
    assert request_from_message(message_update("/help", PRIVATE, **{"from": robot}), BOT) is None
    photo_only = message_update("", PRIVATE, photo=photo)
    assert photo_only.message is not None and photo_only.message.text is None
    assert request_from_message(photo_only, BOT) is None


@pytest.mark.parametrize(
    ("data", "command", "text"),
    [("/done", "done", ""), ("beginner", "", "beginner"), ("/deleteme confirm", "deleteme",
                                                              "confirm")],
)
def test_a_button_press_is_the_buttons_command_typed(data: str, command: str, text: str) -> None:
    request = request_from_callback(callback_update(data), data, BOT)

    assert request is not None
    assert (request.command, request.text, request.update_id) == (command, text, "43")
    assert (request.user_id, request.chat_id) == ("1001", "1001")


def test_a_group_button_is_pressed_by_whoever_pressed_it() -> None:
    request = request_from_callback(callback_update("/done", CLUB), "/done", BOT)

    assert request is not None and request.chat_kind is ChatKind.GROUP
    assert (request.user_id, request.chat_id) == ("1001", "-100500")


# --- buttons --------------------------------------------------------------------------------


def test_choices_become_an_inline_keyboard_of_command_lines() -> None:
    choices = ((Choice("Done as planned", "/done"), Choice("Skip", "/skip")),
               (Choice("Cancel", "cancel"),))

    markup = keyboard(choices, CallbackCodec())

    assert isinstance(markup, InlineKeyboardMarkup)
    assert [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard] == [
        [("Done as planned", "/done"), ("Skip", "/skip")], [("Cancel", "cancel")]
    ]
    assert keyboard((), CallbackCodec()) is None


def test_long_commands_travel_as_short_tokens() -> None:
    codec = CallbackCodec()
    long = "/settings tz=America/Argentina/ComodRivadavia time=06:30 units=mi quiet=on"
    sneaky = TOKEN_PREFIX + "abc"  # looks like a token: must not be taken for one

    data = codec.encode(long)

    assert len(data.encode()) <= MAX_BYTES and data.startswith(TOKEN_PREFIX)
    assert codec.encode(long) == data  # the same command, the same token
    assert codec.decode(data) == long
    assert codec.decode(codec.encode(sneaky)) == sneaky
    assert codec.encode("/done") == "/done" and codec.decode("/done") == "/done"


def test_forgotten_tokens_decode_to_none() -> None:
    codec = CallbackCodec(capacity=2)
    tokens = [codec.encode(f"/settings race={'x' * 70}{n}") for n in range(3)]

    assert codec.decode(tokens[0]) is None
    assert codec.decode(tokens[2]) is not None


# --- replies --------------------------------------------------------------------------------


def test_a_text_reply_is_one_message_with_its_buttons() -> None:
    [part] = render_reply(Reply("<b>Today</b>", ((Choice("Done", "/done"),),)), CallbackCodec())

    assert part.text == "<b>Today</b>" and part.attachment is None
    assert part.markup is not None and part.markup.inline_keyboard[0][0].callback_data == "/done"


def test_a_chart_with_a_short_text_is_one_captioned_photo() -> None:
    [part] = render_reply(Reply("Your last 4 weeks", attachments=(PNG,)), CallbackCodec())

    assert (part.text, part.attachment, part.as_photo) == ("Your last 4 weeks", PNG, True)


def test_a_chart_with_a_long_text_comes_after_it_with_the_buttons_last() -> None:
    text = "x" * 1500  # more than a caption may hold
    reply = Reply(text, ((Choice("More", "/stats"),),), attachments=(PNG,))

    first, second = render_reply(reply, CallbackCodec())

    assert (first.text, first.attachment, first.markup) == (text, None, None)
    assert second.attachment == PNG and second.text == "" and second.markup is not None


def test_exports_are_documents_and_odd_images_too() -> None:
    files = (
        Attachment("pacer.json", b"{}", "application/json"),
        Attachment("plan.ics", b"BEGIN:VCALENDAR", "text/calendar"),
        Attachment("logo.svg", b"<svg/>", "image/svg+xml"),
    )

    parts = render_reply(Reply("Your data", attachments=files), CallbackCodec())

    assert [p.attachment.filename if p.attachment else p.text for p in parts] == [
        "Your data", "pacer.json", "plan.ics", "logo.svg"
    ]
    assert not any(p.as_photo for p in parts)


def test_a_long_text_is_split_with_the_buttons_on_the_last_piece() -> None:
    reply = Reply("\n".join(["<b>line</b> " + "y" * 90] * 100), ((Choice("Ok", "ok"),),))

    parts = render_reply(reply, CallbackCodec())

    assert len(parts) == 3
    assert [p.markup is not None for p in parts] == [False, False, True]
    assert all(isinstance(p, Outgoing) and p.text.startswith("<b>line</b>") for p in parts)


def test_an_empty_reply_sends_nothing() -> None:
    assert render_reply(Reply(""), CallbackCodec()) == []
