"""Long button payloads, remembered under short keys: one cache for both chat platforms.

A button carries the command line it stands for ("/done", "/settings quiet=off"), so a press
means the same thing after a restart. Platforms cap that payload (Telegram's `callback_data`
at 64 bytes, Discord's `custom_id` at 100 characters); a longer line is replaced by a short key
that this process remembers, bounded, least recently used first out. A key pressed after it
was forgotten (a restart, or many newer ones) recalls nothing, and the adapter asks the runner
to type the command instead.
"""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict

KEY_LENGTH = 16  # characters, from [A-Za-z0-9_-]: fits Telegram's and Discord's payloads


def key_of(line: str) -> str:
    """The key a line is remembered under: the same line always gets the same key."""
    digest = hashlib.sha256(line.encode()).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


class PayloadCache:
    """Command lines too long for a button, by key (at most `capacity` of them)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._lines: OrderedDict[str, str] = OrderedDict()

    def remember(self, line: str) -> str:
        """Keep `line`; its key. A repeated keyboard does not grow the cache."""
        key = key_of(line)
        self._lines[key] = line
        self._lines.move_to_end(key)
        while len(self._lines) > self.capacity:
            self._lines.popitem(last=False)
        return key

    def recall(self, key: str) -> str | None:
        """The line behind `key`; None once it was forgotten."""
        line = self._lines.get(key)
        if line is not None:
            self._lines.move_to_end(key)
        return line

    def forget_all(self) -> None:
        """What a restart does."""
        self._lines.clear()

    def __len__(self) -> int:
        return len(self._lines)
