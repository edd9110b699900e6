"""How each chat platform of this process is doing, for `pacer run` and health checks.

Each platform service keeps one `PlatformStatus` in `container.extras["platforms"]` (see
`platform_statuses`): "starting" until it is connected, "running" while it serves, "failed"
(with the reason) when it ended on its own, e.g. Discord closed the gateway with a fatal code,
and "stopped" after a clean shutdown. A readiness check reads `state` and `reason`; `pacer run`
reads them to decide whether to keep running without a failed platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

State = Literal["starting", "running", "failed", "stopped"]


@dataclass
class PlatformStatus:
    """One platform's state, with the reason it failed and when the state last changed."""

    platform: str
    state: State = "starting"
    reason: str | None = None
    since: datetime | None = None

    def __post_init__(self) -> None:
        if self.since is None:
            self.since = datetime.now(UTC)

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    def running(self) -> None:
        self._set("running", None)

    def fail(self, reason: str) -> None:
        self._set("failed", reason)

    def stopped(self) -> None:
        if self.state != "failed":  # a failure stays visible until the process ends
            self._set("stopped", None)

    def _set(self, state: State, reason: str | None) -> None:
        self.state, self.reason, self.since = state, reason, datetime.now(UTC)


def platform_statuses(extras: dict[str, object]) -> dict[str, PlatformStatus]:
    """The platform → status registry kept in a container's `extras`."""
    found = extras.setdefault("platforms", {})
    if not isinstance(found, dict):
        raise TypeError("container.extras['platforms'] must be a dict")
    return found


def status_of(extras: dict[str, object], platform: str) -> PlatformStatus:
    """The status of `platform`, created ("starting") on first use."""
    statuses = platform_statuses(extras)
    status = statuses.get(platform)
    if status is None:
        status = statuses[platform] = PlatformStatus(platform)
    return status
