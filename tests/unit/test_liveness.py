"""Telegram readiness: a poll in progress or answered is contact; a failure or two minutes of
silence is not, and says why."""

from __future__ import annotations

from bot.telegram.liveness import Liveness


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_long_poll_in_progress_is_contact_until_it_hangs_two_minutes() -> None:
    ticks = Ticks()
    live = Liveness("getUpdates", monotonic=ticks)
    assert live.problem() == "no getUpdates answer yet"
    live.asking()
    ticks.now += 30
    assert live.problem() is None
    ticks.now += 91
    assert live.problem() == "getUpdates unanswered for 121 s"


def test_an_answer_counts_for_two_minutes() -> None:
    ticks = Ticks()
    live = Liveness("webhook", monotonic=ticks)
    live.ok()
    ticks.now += 120
    assert live.problem() is None
    ticks.now += 1
    assert live.problem() == "no webhook answer for 121 s"


def test_a_failure_is_unready_until_the_next_answer() -> None:
    ticks = Ticks()
    live = Liveness("getUpdates", monotonic=ticks)
    live.asking()
    live.ok()
    live.asking()
    live.failed("NetworkError: httpx.ConnectError: All connection attempts failed")
    ticks.now += 3
    assert live.problem() == (
        "last getUpdates failed 3 s ago: NetworkError: httpx.ConnectError: All connection "
        "attempts failed"
    )
    live.asking()  # PTB tries again: still unready until Telegram answers
    assert live.problem() is not None
    live.ok()
    assert live.problem() is None
