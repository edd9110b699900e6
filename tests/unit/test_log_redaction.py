"""Secrets are masked in every log record and never shown by `Settings`."""

from __future__ import annotations

import io
import logging

import pytest
from telegram import Update

from bot.config import Settings
from bot.log_redaction import MASK, Redactor, install_redaction
from bot.telegram.handlers import update_ids

TG_TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-FI"
DISCORD = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.abcdefghijklmnopqrstuvwxyz012345"
PG_URL = "postgresql+asyncpg://pacer:Pa55-word%40x@db.internal:5432/pacer"


def settings() -> Settings:
    return Settings(
        telegram_token=TG_TOKEN,
        discord_token=DISCORD,
        telegram_webhook_secret="hook-secret-1234",
        database_url=PG_URL,
    )


@pytest.fixture
def captured() -> tuple[logging.Logger, io.StringIO]:
    """A logger with one stream handler, redacting with the settings' secrets."""
    stream = io.StringIO()
    logger = logging.getLogger("test.redaction")
    logger.handlers[:] = [logging.StreamHandler(stream)]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    install_redaction(settings().secrets(), logger)
    return logger, stream


def test_a_telegram_token_in_a_url_keeps_the_bot_id_only() -> None:
    redact = Redactor()
    assert redact(f"POST https://api.telegram.org/bot{TG_TOKEN}/getMe") == (
        f"POST https://api.telegram.org/bot123456789:{MASK}/getMe"
    )


def test_a_database_url_loses_its_password_and_a_discord_token_goes() -> None:
    redact = Redactor()
    assert redact(f"cannot connect to {PG_URL}") == (
        f"cannot connect to postgresql+asyncpg://pacer:{MASK}@db.internal:5432/pacer"
    )
    assert redact(f"Authorization: Bot {DISCORD}") == f"Authorization: Bot {MASK}"


def test_every_level_and_argument_is_masked(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.debug("calling %s", f"/bot{TG_TOKEN}/getUpdates")
    logger.info("setWebhook with parameters %r", {"secret_token": "hook-secret-1234"})
    logger.error("driver said: password %s rejected", "Pa55-word@x")
    assert stream.getvalue().splitlines() == [
        f"calling /bot123456789:{MASK}/getUpdates",
        f"setWebhook with parameters {{'secret_token': '{MASK}'}}",
        f"driver said: password {MASK} rejected",
    ]


def test_a_traceback_is_masked_too(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    try:
        raise RuntimeError(f"HTTP 401 for https://api.telegram.org/bot{TG_TOKEN}/getMe")
    except RuntimeError:
        logger.exception("telegram: failed")
    text = stream.getvalue()
    assert "Traceback (most recent call last)" in text
    assert f"RuntimeError: HTTP 401 for https://api.telegram.org/bot123456789:{MASK}/getMe" in text
    assert TG_TOKEN not in text


def test_settings_never_show_a_secret() -> None:
    shown = repr(settings()) + str(settings())
    for secret in (TG_TOKEN, DISCORD, "hook-secret-1234", "Pa55-word"):
        assert secret not in shown
    assert "postgresql+asyncpg://pacer:***@db.internal:5432/pacer" in shown


def test_the_derived_webhook_secret_is_a_secret_too() -> None:
    plain = Settings(telegram_token=TG_TOKEN, database_url="sqlite+aiosqlite:///p.db")
    derived = plain.derived_webhook_secret()
    assert len(derived) == 64
    assert plain.secrets() == [TG_TOKEN, derived]


def test_an_update_error_names_ids_not_text() -> None:
    message = {"message_id": 7, "date": 0, "text": "/done 5k my knee hurts",
               "chat": {"id": -100, "type": "group", "title": "Club"},
               "from": {"id": 42, "is_bot": False, "first_name": "Ann"}}
    update = Update.de_json({"update_id": 9, "message": message}, None)
    assert update_ids(update) == "update 9 (chat -100, user 42)"
    assert update_ids("raw") == "a str"
