"""Club channel posts still waiting in the outbox, looked up by the runners they name.

A runner who erases their data (/deleteme) must not show up in a standings or results post
sent after they left: the pending ones that name them are deleted with them (a weekly
standings post is queued afresh by the next tick's feed, without them).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from html import escape

from sqlalchemy import delete, select

from core.schedule.audience import CLUB_KINDS
from core.storage.models import OutboxMessage
from core.storage.unit_of_work import UnitOfWork

PENDING = "pending"


def names_in(text: str, names: Collection[str]) -> bool:
    """Whether `text` (reply markup) names any of `names` as a whole word."""
    for name in names:
        for form in {name, escape(name, quote=False)}:
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE):
                return True
    return False


async def delete_pending_club_posts_naming(uow: UnitOfWork, names: Collection[str]) -> int:
    """Delete the pending club posts whose text names one of `names`; how many."""
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        return 0
    rows = await uow.session.execute(
        select(OutboxMessage.id, OutboxMessage.payload).where(
            OutboxMessage.status == PENDING, OutboxMessage.kind.in_(CLUB_KINDS)
        )
    )
    doomed = [
        row_id for row_id, payload in rows
        if names_in(str((payload or {}).get("text", "")), names)
    ]
    if doomed:
        await uow.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(doomed)))
    return len(doomed)
