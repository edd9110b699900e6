"""The delivery port: how scheduled messages leave Pacer, whatever the platform.

Adapters implement `Messenger` for their platform and translate their client library's errors
into `DeliveryError` kinds; `core.schedule.sender` drains the outbox through them with rate
limits, retries and dead letters.

Delivery is at-least-once at one boundary only: a process killed (or frozen past its lease)
after a platform accepted a message but before the outbox recorded it as sent sends it again
once the claim's lease runs out. Everything else is fenced by the claim token (see
`core.schedule.sender`). A messenger that can de-duplicate implements `KeyedMessenger`: it is
handed the outbox key (unique per runner or channel, kind and local date) and can make that
boundary exactly-once too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from core.markup import to_plain
from core.messages import Reply

DeliveryKind = Literal["retry_after", "transient", "blocked", "permanent"]
PauseScope = Literal["chat", "global"]


class DeliveryError(Exception):
    """A send that failed, classified so the sender knows what to do next.

    - `retry_after`: the platform asked us to wait `retry_after` seconds (HTTP 429), for
      that one chat (`scope="chat"`: the sender pauses only it) or for every send (`"global"`).
    - `transient`: 5xx, timeouts, connection trouble: retried with exponential backoff.
    - `blocked`: the user blocked the bot or closed their DMs: the identity is marked
      unreachable and gets no pushes until they write again.
    - `permanent`: the platform refused the request itself (bad request): dead letter at once.
    """

    def __init__(
        self,
        kind: DeliveryKind,
        reason: str,
        *,
        retry_after: float | None = None,
        scope: PauseScope = "global",
    ) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind: DeliveryKind = kind
        self.reason = reason
        self.retry_after = retry_after
        self.scope: PauseScope = scope


class Messenger(Protocol):
    """Sends one reply to one chat on one platform; raises `DeliveryError` on failure."""

    platform: str

    async def send(self, chat_id: str, reply: Reply) -> None: ...


@runtime_checkable
class KeyedMessenger(Protocol):
    """A messenger that de-duplicates by outbox key (sends at most once per key)."""

    platform: str

    async def send(self, chat_id: str, reply: Reply) -> None: ...

    async def send_keyed(self, key: str, chat_id: str, reply: Reply) -> None: ...


SendKeyed = Callable[[str, str, Reply], Awaitable[None]]


def keyed_send(messenger: Messenger) -> SendKeyed:
    """`send(key, chat_id, reply)` for any messenger: the key goes to those that can use it.

    Decided once per messenger (a runtime protocol check is too slow to repeat per message).
    """
    if isinstance(messenger, KeyedMessenger):
        return messenger.send_keyed

    async def send(key: str, chat_id: str, reply: Reply) -> None:
        await messenger.send(chat_id, reply)

    return send


class ConsoleMessenger:
    """Prints pushes in the terminal as they arrive.

    `show(chat_id, reply)` renders one push; the console adapter passes its own rendering
    (numbered buttons and all), the default prints plain text. With `chats`, only pushes to
    those chats are this terminal's (the sender leaves the others for their own consoles).
    """

    platform = "console"

    def __init__(
        self, show: Callable[[str, Reply], None] | None = None,
        chats: Collection[str] | None = None,
    ) -> None:
        self._show = show or _print_plain
        self.chats = frozenset(chats) if chats is not None else None

    async def send(self, chat_id: str, reply: Reply) -> None:
        self._show(chat_id, reply)


def _print_plain(chat_id: str, reply: Reply) -> None:
    print(f"[push to {chat_id}]\n{to_plain(reply.text).rstrip()}\n", flush=True)


@dataclass(frozen=True)
class Delivered:
    """One message a `RecordingMessenger` accepted."""

    key: str | None
    chat_id: str
    reply: Reply


class RecordingMessenger:
    """Keeps what it is asked to send (tests, benchmarks); can be told to fail.

    `failures` is consumed one item per send: a `DeliveryError` is raised instead of sending,
    `None` lets that send through.
    """

    def __init__(
        self, platform: str = "console", failures: list[DeliveryError | None] | None = None
    ) -> None:
        self.platform = platform
        self.sent: list[Delivered] = []
        self.failures = list(failures or [])
        self.calls = 0

    async def send(self, chat_id: str, reply: Reply) -> None:
        await self.send_keyed("", chat_id, reply)

    async def send_keyed(self, key: str, chat_id: str, reply: Reply) -> None:
        self.calls += 1
        if self.failures:
            failure = self.failures.pop(0)
            if failure is not None:
                raise failure
        self.sent.append(Delivered(key or None, chat_id, reply))

    def texts(self, chat_id: str | None = None) -> list[str]:
        """Plain texts sent (to one chat, or to all)."""
        return [
            to_plain(d.reply.text) for d in self.sent if chat_id is None or d.chat_id == chat_id
        ]
