"""Finding and creating runners by their platform identity."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from core.messages import Request
from core.storage.runners import Reach, Runner
from core.storage.unit_of_work import UnitOfWork

# "Last seen" is kept to the hour: writing it on every message would cost a statement each time.
SEEN_RESOLUTION = timedelta(hours=1)


async def find_runner(
    uow: UnitOfWork, platform: str, external_id: str, *, lock: bool = False
) -> Runner | None:
    """The runner behind a platform identity; `lock` serialises writers of one runner."""
    found = await uow.runners.find(platform, external_id, lock=lock)
    return None if found is None else found[0]


async def runner_for_request(
    uow: UnitOfWork, req: Request, now: datetime
) -> tuple[Runner, Runner]:
    """The sender's runner, created (not yet onboarded) on first contact, and a copy of it as
    stored: `uow.runners.save(runner, stored)` writes what changed since (a new display name,
    or whatever the command changes).

    Writing to Pacer again also makes a runner reachable again after they had blocked the bot.
    One statement finds runner and identity together (this runs on every message).
    """
    found = await uow.runners.find(req.platform.value, req.user_id, lock=True)
    if found is None:
        chat_id = None if req.in_group else req.chat_id
        runner = await uow.runners.add(
            req.display_name[:100], req.platform.value, req.user_id, chat_id, now
        )
        return runner, as_found(runner)
    runner, identity = found
    stored = as_found(runner)
    await _seen(uow, identity, req, now)
    if req.display_name and runner.display_name != req.display_name[:100]:
        runner.display_name = req.display_name[:100]
    return runner, stored


def as_found(runner: Runner) -> Runner:
    """A copy to compare changes against: its own `conversation`, so that a change made
    inside the runner's dict is still a change."""
    if runner.conversation is None:
        return replace(runner)
    return replace(runner, conversation=deepcopy(runner.conversation))


async def _seen(uow: UnitOfWork, identity: Reach, req: Request, now: datetime) -> None:
    """Note when the runner was last seen (to the hour) and, in a private chat, where to reach
    them. Written directly: most messages change nothing, and a runner's first message of the
    day changes `last_seen_at` only."""
    changes: dict[str, Any] = {}
    if now - identity.last_seen_at > SEEN_RESOLUTION:
        changes["last_seen_at"] = now
    if not req.in_group:
        reached = {"chat_id": req.chat_id, "reachable": True, "unreachable_reason": None}
        changes |= {k: v for k, v in reached.items() if getattr(identity, k) != v}
    if changes:
        await uow.runners.update_reach(identity, changes)
