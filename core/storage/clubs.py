"""Queries for clubs and their channels (a Telegram group, a Discord channel): finding a
channel's club, creating both, link codes, and merging one club into another.

Everything runs in the caller's unit of work (add, flush and read; never commit); the rules
(when a club is created, how long a code lasts, how clashing names are renamed) are
`core.clubs.chats`'. Clubs and challenges come back as plain values
(`core.storage.club_values`); a change is written by the function that makes it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func, select, update

from core.storage.club_values import StoredChallenge, StoredClub, columns_of
from core.storage.models import Challenge, Club, ClubChannel
from core.storage.unit_of_work import UnitOfWork


class Channel(NamedTuple):
    """A club's channel on one platform."""

    id: int
    club_id: int
    platform: str
    chat_id: str
    guild_id: str | None  # the Discord server
    title: str


_CHANNEL = (ClubChannel.id, ClubChannel.club_id, ClubChannel.platform, ClubChannel.chat_id,
            ClubChannel.guild_id, ClubChannel.title)
_CLUB = columns_of(StoredClub, Club)
_CHALLENGE = columns_of(StoredChallenge, Challenge)


async def club_of(uow: UnitOfWork, platform: str, chat_id: str) -> StoredClub | None:
    """The club a channel belongs to, if any."""
    found = (await uow.session.execute(
        select(*_CLUB)
        .join(ClubChannel, ClubChannel.club_id == Club.id)
        .where(ClubChannel.platform == platform, ClubChannel.chat_id == chat_id)
    )).first()
    return StoredClub(*found) if found is not None else None


async def channel(uow: UnitOfWork, platform: str, chat_id: str) -> Channel | None:
    """A channel, if it belongs to a club."""
    found = (await uow.session.execute(
        select(*_CHANNEL).where(ClubChannel.platform == platform, ClubChannel.chat_id == chat_id)
    )).first()
    return Channel(*found) if found is not None else None


async def rename_channel(uow: UnitOfWork, channel_id: int, title: str, guild_id: str | None
                         ) -> None:
    """Store the channel's current title and server."""
    await uow.session.execute(
        update(ClubChannel).where(ClubChannel.id == channel_id)
        .values(title=title, guild_id=guild_id)
        .execution_options(synchronize_session="fetch")
    )


async def club(uow: UnitOfWork, club_id: int) -> StoredClub:
    """A club by id (it must exist)."""
    found = (await uow.session.execute(select(*_CLUB).where(Club.id == club_id))).one()
    return StoredClub(*found)


async def add_club_with_channel(uow: UnitOfWork, name: str, now: datetime, platform: str,
                                chat_id: str, guild_id: str | None, title: str) -> StoredClub:
    """A new club with its first channel."""
    new = Club(name=name, created_at=now)
    uow.session.add(new)
    await uow.session.flush()
    uow.session.add(ClubChannel(club_id=new.id, platform=platform, chat_id=chat_id,
                                guild_id=guild_id, title=title))
    await uow.session.flush()
    return StoredClub(new.id, name, None, None, now)


async def channels_of(uow: UnitOfWork, club_ids: Collection[int]) -> list[Channel]:
    """The channels of these clubs, in the order they joined."""
    if not club_ids:
        return []
    rows = await uow.session.execute(
        select(*_CHANNEL).where(ClubChannel.club_id.in_(list(club_ids)))
        .order_by(ClubChannel.id)
    )
    return [Channel(*row) for row in rows]


async def clear_expired_codes(uow: UnitOfWork, now: datetime) -> None:
    """Forget link codes that expired before `now`."""
    await uow.session.execute(
        update(Club)
        .where(Club.link_code_expires_at < now)
        .values(link_code=None, link_code_expires_at=None)
    )


async def code_taken(uow: UnitOfWork, code: str) -> bool:
    return bool(await uow.session.scalar(select(func.count()).where(Club.link_code == code)))


async def club_with_code(uow: UnitOfWork, code: str) -> StoredClub | None:
    found = (await uow.session.execute(select(*_CLUB).where(Club.link_code == code))).first()
    return StoredClub(*found) if found is not None else None


async def set_link_code(uow: UnitOfWork, club_id: int, code: str | None,
                        expires_at: datetime | None) -> None:
    """Store the club's link code (None: it has none)."""
    await uow.session.execute(
        update(Club).where(Club.id == club_id)
        .values(link_code=code, link_code_expires_at=expires_at)
    )


async def move_channels(uow: UnitOfWork, source: int, target: int) -> int:
    """Every channel of club `source` joins club `target`; how many."""
    return await _move(uow, ClubChannel, source, target)


async def move_challenges(uow: UnitOfWork, source: int, target: int) -> int:
    """Every challenge of club `source` joins club `target`; how many."""
    return await _move(uow, Challenge, source, target)


async def _move(uow: UnitOfWork, model: type[ClubChannel] | type[Challenge], source: int,
                target: int) -> int:
    result = await uow.session.execute(
        update(model).where(model.club_id == source).values(club_id=target),
        execution_options={"synchronize_session": "fetch"},
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def challenge_names(uow: UnitOfWork, club_id: int, status: str) -> list[str]:
    """The names of the club's challenges with `status`."""
    return list(await uow.session.scalars(
        select(Challenge.name).where(Challenge.club_id == club_id, Challenge.status == status)
    ))


async def challenges(uow: UnitOfWork, club_id: int, status: str) -> list[StoredChallenge]:
    """The club's challenges with `status`."""
    rows = await uow.session.execute(
        select(*_CHALLENGE).where(Challenge.club_id == club_id, Challenge.status == status)
    )
    return [StoredChallenge(*row) for row in rows]


async def delete_club(uow: UnitOfWork, club_id: int) -> None:
    await uow.session.execute(delete(Club).where(Club.id == club_id))
