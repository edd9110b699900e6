"""Button payloads: a choice's command line as `callback_data`, which Telegram caps at 64 bytes.

A command that fits is sent as is, so a button pressed after a restart (or on another worker)
still works. A longer one is replaced by a short token kept in the shared `PayloadCache`
(`bot.payload_cache`); pressing it after the token was forgotten asks the runner to type the
command instead.
"""

from __future__ import annotations

from bot.payload_cache import PayloadCache

MAX_BYTES = 64  # Telegram's limit for callback_data
TOKEN_PREFIX = "#:"  # real choice commands are "/cmd ..." or plain answers; never this


class CallbackCodec:
    """Maps choice commands to callback_data and back."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.cache = PayloadCache(capacity)

    def encode(self, command: str) -> str:
        """The callback_data for a choice's command line."""
        if len(command.encode()) <= MAX_BYTES and not command.startswith(TOKEN_PREFIX):
            return command
        return TOKEN_PREFIX + self.cache.remember(command)

    def decode(self, data: str) -> str | None:
        """The command line a button stands for; None if its token was forgotten."""
        if not data.startswith(TOKEN_PREFIX):
            return data
        return self.cache.recall(data.removeprefix(TOKEN_PREFIX))
