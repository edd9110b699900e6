"""Button payloads: a choice's command line as `callback_data`, which Telegram caps at 64 bytes.

A command that fits is sent as is, so a button pressed after a restart (or on another worker)
still works. A longer one is replaced by a short token that this process remembers (bounded,
least recently used first out); pressing it after the token was forgotten asks the runner to
type the command instead.
"""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict

MAX_BYTES = 64  # Telegram's limit for callback_data
TOKEN_PREFIX = "#:"  # real choice commands are "/cmd ..." or plain answers; never this


class CallbackCodec:
    """Maps choice commands to callback_data and back."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._commands: OrderedDict[str, str] = OrderedDict()

    def encode(self, command: str) -> str:
        """The callback_data for a choice's command line."""
        if len(command.encode()) <= MAX_BYTES and not command.startswith(TOKEN_PREFIX):
            return command
        # The same command gets the same token: a repeated keyboard does not grow the table.
        digest = hashlib.sha256(command.encode()).digest()
        token = TOKEN_PREFIX + base64.urlsafe_b64encode(digest[:12]).decode()
        self._commands[token] = command
        self._commands.move_to_end(token)
        while len(self._commands) > self.capacity:
            self._commands.popitem(last=False)
        return token

    def decode(self, data: str) -> str | None:
        """The command line a button stands for; None if its token was forgotten."""
        if not data.startswith(TOKEN_PREFIX):
            return data
        command = self._commands.get(data)
        if command is not None:
            self._commands.move_to_end(data)
        return command
