"""At most `max_in_flight` Bot API calls are under way at once; the others wait their turn."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.request import HTTPXRequest

from bot.telegram.transport import CappedRequest


class HeldCalls(HTTPXRequest):
    """Stands in for the network: each call waits until the test lets it finish."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.active = self.most = 0
        self.release = asyncio.Event()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        self.active += 1
        self.most = max(self.most, self.active)
        await self.release.wait()
        self.active -= 1
        return 200, b'{"ok": true, "result": true}'


class CappedHeldCalls(CappedRequest, HeldCalls):
    pass


async def test_no_more_than_the_cap_are_in_flight_and_all_complete() -> None:
    request = CappedHeldCalls(max_in_flight=4)
    calls = [asyncio.create_task(request.do_request(f"https://api/{i}", "POST"))
             for i in range(10)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert (request.active, request.most) == (4, 4)  # six wait their turn
    request.release.set()
    assert [await call for call in calls] == [(200, b'{"ok": true, "result": true}')] * 10
    assert request.most == 4


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CappedRequest(max_in_flight=0)
