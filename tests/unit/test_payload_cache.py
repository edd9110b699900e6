"""The one cache for long button payloads, shared by Telegram's callback_data and Discord's
custom_id."""

from __future__ import annotations

from bot.discord.components import CUSTOM_ID_LIMIT, LONG_LINES, decode_line, encode_line
from bot.payload_cache import KEY_LENGTH, PayloadCache, key_of
from bot.telegram.callback_data import MAX_BYTES, TOKEN_PREFIX, CallbackCodec

LONG = "/settings tz=America/Argentina/ComodRivadavia time=06:30 quiet=on race=" + "x" * 60


def test_a_line_is_remembered_under_a_short_stable_key() -> None:
    cache = PayloadCache()

    key = cache.remember(LONG)

    assert key == key_of(LONG) and len(key) == KEY_LENGTH
    assert cache.remember(LONG) == key and len(cache) == 1  # a repeated keyboard adds nothing
    assert cache.recall(key) == LONG
    assert cache.recall("unknown") is None


def test_the_least_recently_used_line_is_forgotten_first() -> None:
    cache = PayloadCache(capacity=2)
    first, second = cache.remember("/a " + LONG), cache.remember("/b " + LONG)
    assert cache.recall(first) == "/a " + LONG  # used again: now the newest

    cache.remember("/c " + LONG)

    assert cache.recall(second) is None
    assert cache.recall(first) == "/a " + LONG
    cache.forget_all()
    assert cache.recall(first) is None and len(cache) == 0


def test_both_platforms_use_the_same_cache_and_key() -> None:
    codec = CallbackCodec()
    data = codec.encode(LONG)
    token = encode_line(LONG, CUSTOM_ID_LIMIT - len("pacer"))

    assert data == TOKEN_PREFIX + key_of(LONG) and len(data.encode()) <= MAX_BYTES
    assert token == "#" + key_of(LONG)
    assert isinstance(codec.cache, PayloadCache) and isinstance(LONG_LINES, PayloadCache)
    assert codec.decode(data) == LONG and decode_line(token) == LONG
