"""The observation port: what the core reports about its work, for metrics.

The core never imports a metrics library. `Pacer.handle` and the outbox `Sender` call an
`Observer`; the composition root hands them one that feeds Prometheus (`bot.metrics`), tests
hand them a recording one, and by default nothing is recorded (`NULL_OBSERVER`).
"""

from __future__ import annotations

from typing import Literal, Protocol

# How an update ended: answered, refused with a friendly message (bad input, no profile),
# a re-delivery already answered before, or a failure answered with an apology.
UpdateOutcome = Literal["ok", "refused", "duplicate", "error"]
# What became of one outbox send: sent, to be retried, given up on, or the chat blocked us.
SendResult = Literal["sent", "retry", "dead", "blocked"]


class Observer(Protocol):
    """Receives one call per handled update and per outbox send attempt."""

    def update_handled(
        self, platform: str, command: str, outcome: UpdateOutcome, seconds: float
    ) -> None: ...

    def push_sent(self, platform: str, kind: str, result: SendResult) -> None: ...


class NullObserver:
    """Records nothing: the default when no metrics are wanted."""

    def update_handled(
        self, platform: str, command: str, outcome: UpdateOutcome, seconds: float
    ) -> None:
        return None

    def push_sent(self, platform: str, kind: str, result: SendResult) -> None:
        return None


NULL_OBSERVER: Observer = NullObserver()
