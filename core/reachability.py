"""Whether Pacer can reach a runner on a platform at all.

An adapter that learns a runner blocked the bot (while answering them, not only while pushing
from the outbox) marks their identity unreachable, so the scheduler sends them nothing more.
Writing to Pacer again makes it reachable again (see `core.runners.runner_for_request`).
"""

from __future__ import annotations

from core.storage.unit_of_work import UnitOfWork


async def mark_unreachable(
    uow: UnitOfWork, platform: str, external_id: str, reason: str
) -> bool:
    """Mark the identity `external_id` on `platform` unreachable; False if there is none."""
    return await uow.identities.mark_unreachable(platform, external_id, reason)
