"""Clubs: the group chats and server channels a club runs its challenges in.

A channel (a Telegram group, a Discord channel) belongs to exactly one club, created the first
time a challenge command is used there. A club can span platforms: an admin makes a link code
in one channel (`/challenge link`) and pastes it in another (`/challenge link CODE`); the second
channel — and everything its club had — joins the first club, so both share one leaderboard.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.messages import ChatKind, Platform, Request, esc
from core.storage import challenges as stored_challenges
from core.storage import clubs as stored
from core.storage.club_channels import claim_admin
from core.storage.club_values import StoredClub
from core.storage.clubs import Channel
from core.storage.unit_of_work import UnitOfWork

LINK_CODE_LENGTH = 6
LINK_CODE_TTL = timedelta(minutes=15)
# No 0/O, 1/I/L: a code is read on one screen and typed on another.
LINK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACTIVE, ENDED = "active", "ended"  # Challenge.status
PLATFORM_NAMES = {"telegram": "Telegram group", "discord": "Discord channel",
                  "console": "console chat"}


class LinkError(ValueError):
    """A link code that cannot be used; the message is for the admin who pasted it."""


@dataclass(frozen=True)
class LinkResult:
    """A channel that joined another club, and how many challenges came along."""

    club: StoredClub
    moved_channels: int
    moved_challenges: int


async def find_club(uow: UnitOfWork, platform: str, chat_id: str) -> StoredClub | None:
    """The club a channel belongs to, if any."""
    return await stored.club_of(uow, platform, chat_id)


async def club_for_channel(uow: UnitOfWork, req: Request, now: datetime) -> StoredClub:
    """The club of the request's channel, created on first use (named after the chat)."""
    platform = req.platform.value
    channel = await stored.channel(uow, platform, req.chat_id)
    if channel is not None:
        title = req.chat_title[:200] if req.chat_title else channel.title
        guild_id = req.guild_id or channel.guild_id
        if (title, guild_id) != (channel.title, channel.guild_id):
            await stored.rename_channel(uow, channel.id, title, guild_id)
        return await stored.club(uow, channel.club_id)
    return await stored.add_club_with_channel(
        uow, (req.chat_title or "Club")[:100], now, platform, req.chat_id, req.guild_id,
        req.chat_title[:200],
    )


async def console_channel_admin(
    uow: UnitOfWork, chat_id: str, club: str, user: str, now: datetime
) -> str:
    """Open a club channel played in the terminal (created on first use, named `club`); the
    first user who opens it is its admin. Returns the admin."""
    request = Request(platform=Platform.CONSOLE, user_id=user, chat_id=chat_id, command="",
                      chat_kind=ChatKind.GROUP, chat_title=club)
    await club_for_channel(uow, request, now)
    admin = await claim_admin(uow, Platform.CONSOLE.value, chat_id, user)
    return admin or user


async def channels_of(uow: UnitOfWork, club_ids: list[int]) -> dict[int, list[Channel]]:
    """The channels of each club, in the order they joined."""
    found: dict[int, list[Channel]] = {club_id: [] for club_id in club_ids}
    for channel in await stored.channels_of(uow, club_ids):
        found[channel.club_id].append(channel)
    return found


def new_code(choose: Callable[[str], str] = secrets.choice) -> str:
    """A random link code, e.g. `K7QX2M`."""
    return "".join(choose(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What an admin pasted, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


async def issue_link_code(uow: UnitOfWork, club: StoredClub, now: datetime) -> str:
    """A fresh code for `club`, valid for `LINK_CODE_TTL` (it replaces any earlier one)."""
    # Expired codes are cleared as we go, so they never block a new one.
    await stored.clear_expired_codes(uow, now)
    while True:
        code = new_code()
        if not await stored.code_taken(uow, code):
            break
    await stored.set_link_code(uow, club.id, code, now + LINK_CODE_TTL)
    return code


async def link_channel(uow: UnitOfWork, here: StoredClub, code: str, now: datetime
                       ) -> LinkResult:
    """Join club `here` (the request's channel's: `club_for_channel`), with all its channels
    and challenges, to the club that issued `code`. The code is used up. Raises LinkError."""
    wanted = normalise_code(code)
    target = await stored.club_with_code(uow, wanted)
    expires = target.link_code_expires_at if target is not None else None
    if target is None or expires is None or expires < now:
        raise LinkError(
            f"The code {wanted or esc(code)} is unknown or has expired (codes last "
            f"{LINK_CODE_TTL.seconds // 60} minutes). Ask for a new one with /challenge link "
            "in the channel you want to link to."
        )
    if here.id == target.id:
        raise LinkError("This channel already belongs to that club: nothing to link.")
    await stored.set_link_code(uow, target.id, None, None)  # used up
    moved_channels = await stored.move_channels(uow, here.id, target.id)
    await _rename_clashes(uow, here.id, target.id)
    moved_challenges = await stored.move_challenges(uow, here.id, target.id)
    await stored.delete_club(uow, here.id)
    return LinkResult(replace(target, link_code=None, link_code_expires_at=None),
                      moved_channels, moved_challenges)


async def _rename_clashes(uow: UnitOfWork, source: int, target: int) -> None:
    """Two active challenges with one name would be ambiguous once merged: number the newcomer."""
    taken = {name.casefold() for name in await stored.challenge_names(uow, target, ACTIVE)}
    incoming = await stored.challenges(uow, source, ACTIVE)
    renamed: dict[int, str] = {}
    for challenge in incoming:
        name, number = challenge.name, 2
        while name.casefold() in taken:
            name = f"{challenge.name} ({number})"
            number += 1
        name = name[:100]
        if name != challenge.name:
            renamed[challenge.id] = name
        taken.add(name.casefold())
    await stored_challenges.rename(uow, renamed)


def channel_kind(platform: str) -> str:
    """"Telegram group", "Discord channel": how a channel is called to its admins."""
    return PLATFORM_NAMES.get(platform, "channel")
