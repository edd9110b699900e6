"""The HTTP transport to the Bot API: PTB's httpx request, with a cap on calls in flight."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.request import HTTPXRequest


class CappedRequest(HTTPXRequest):
    """An `HTTPXRequest` that lets at most `max_in_flight` Bot API calls through at once; the
    others wait their turn here, in order.

    httpcore's pool examines every pooled connection for each request and, with many requests
    at once, hands one idle connection to several, which then retry: against the local fake
    Bot API, 4 calls in flight instead of 8 gave ~16% more updates per second. Telegram takes
    about 30 messages a second, which 4 calls in flight carry at up to ~130 ms a call.
    """

    def __init__(self, *, max_in_flight: int, **kwargs: Any) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        super().__init__(**kwargs)
        self._in_flight = asyncio.Semaphore(max_in_flight)

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        async with self._in_flight:
            return await super().do_request(*args, **kwargs)
