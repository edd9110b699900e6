"""Repository for how Pacer reaches a runner: their platform identities and, when their
private chat is closed, a club channel they train in.

Takes and returns plain values (`PrivateChat`, strings, booleans); no model object leaves it.
Everything runs in the caller's unit of work. (Finding the runner behind an identity on every
message is `core.storage.runners`, through `core.storage.direct`.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import case, select, update

from core.storage.models import Challenge, ChallengeMember, ClubChannel, Identity

if TYPE_CHECKING:
    from core.storage.unit_of_work import UnitOfWork

REASON_MAX = 200  # the column's width


class PrivateChat(NamedTuple):
    """The runner behind a private chat and their user id on the platform."""

    runner_id: int
    external_id: str


class IdentityRepository:
    """Platform identities, on one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def mark_unreachable(self, platform: str, external_id: str, reason: str) -> bool:
        """Mark the identity unreachable (the runner blocked the bot); False if there is none."""
        result = await self._uow.session.execute(
            update(Identity)
            .where(Identity.platform == platform, Identity.external_id == external_id)
            .values(reachable=False, unreachable_reason=reason[:REASON_MAX])
            .returning(Identity.id)
        )
        return result.first() is not None

    async def note_reason(self, platform: str, external_id: str, reason: str) -> None:
        """Record why the identity's private chat is not used (it stays reachable)."""
        await self._uow.session.execute(
            update(Identity)
            .where(Identity.platform == platform, Identity.external_id == external_id)
            .values(unreachable_reason=reason[:REASON_MAX])
        )

    async def private_chat(self, platform: str, chat_id: str) -> PrivateChat | None:
        """Whose private chat on `platform` `chat_id` is (the latest seen, if several)."""
        row = (
            await self._uow.session.execute(
                select(Identity.runner_id, Identity.external_id)
                .where(Identity.platform == platform, Identity.chat_id == chat_id)
                .order_by(Identity.last_seen_at.desc())
                .limit(1)
            )
        ).first()
        return None if row is None else PrivateChat(*row)

    async def club_channel(self, runner_id: int, platform: str) -> str | None:
        """A club channel on `platform` where the runner joined a challenge: an active one
        first, the latest joined first."""
        return await self._uow.session.scalar(
            select(ClubChannel.chat_id)
            .join(Challenge, Challenge.club_id == ClubChannel.club_id)
            .join(ChallengeMember, ChallengeMember.challenge_id == Challenge.id)
            .where(ChallengeMember.runner_id == runner_id, ClubChannel.platform == platform)
            .order_by(
                case((Challenge.status == "active", 0), else_=1),
                ChallengeMember.joined_at.desc(),
                ClubChannel.id,
            )
            .limit(1)
        )
