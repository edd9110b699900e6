"""Who a push is for: one runner (personal) or a club channel (club).

Personal pushes (the morning session, the evening nudge, race week, race morning, after the
race, the weekly recap with sessions, volume and sleep) hold one runner's training and health
data: they go to that runner's private chat or nowhere. When the private chat refuses them
(Discord DMs closed), they are never posted in a club channel instead; the runner is marked
unreachable until they write to Pacer again. Club pushes (standings, final results, news) are
written for a channel in the first place.

A kind this module does not know is personal: the safe side.
"""

from __future__ import annotations

from typing import Literal

from core.schedule.due import PUSH_KINDS

Audience = Literal["personal", "club"]

PERSONAL_KINDS: frozenset[str] = frozenset(PUSH_KINDS)
CLUB_KINDS: frozenset[str] = frozenset({"club_recap", "club_final", "club_news"})


def audience(kind: str) -> Audience:
    """`club` for channel posts, `personal` for everything else (known or not)."""
    return "club" if kind in CLUB_KINDS else "personal"


def is_personal(kind: str) -> bool:
    return audience(kind) == "personal"
