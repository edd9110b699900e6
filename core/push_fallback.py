"""Where a push goes when a runner's private chat refuses it: their club's channel.

A runner who closed their DMs (Discord answers 403, "Cannot send messages to this user") can
still be reached where they train with others: a club channel on the same platform in which
they joined a challenge (an active one first, the latest joined first). A platform adapter
posts the push there, mentioning them; without such a channel the push counts as blocked.

Only replies that are not private may take this way. Every scheduled push to a runner
(session, nudge, race pushes, the weekly recap) is personal (`core.schedule.audience`) and is
sent marked private: with closed DMs it is blocked, never posted in a club channel.

The identity stays reachable (pushes keep coming, through the channel) and its
`unreachable_reason` records why its DMs are not used. Writing to Pacer privately again clears
it (`core.runners.runner_for_request`), and every push tries the private chat first anyway,
so reopened DMs are noticed at the next push.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ClubFallback:
    """The runner behind a private chat, and a club channel to reach them in."""

    runner_id: int
    external_id: str  # their user id on the platform (for the mention)
    channel_id: str  # the club channel's chat id on the platform


async def club_fallback(uow: UnitOfWork, platform: str, chat_id: str) -> ClubFallback | None:
    """The club channel for the runner whose private chat on `platform` is `chat_id`."""
    chat = await uow.identities.private_chat(platform, chat_id)
    if chat is None:
        return None
    channel = await uow.identities.club_channel(chat.runner_id, platform)
    if channel is None:
        return None
    return ClubFallback(chat.runner_id, chat.external_id, channel)


async def note_private_chat_closed(
    uow: UnitOfWork, platform: str, external_id: str, reason: str
) -> None:
    """Record why the runner's private chat is not used; they stay reachable via the club."""
    await uow.identities.note_reason(platform, external_id, reason)
