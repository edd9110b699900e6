"""The tick's candidates: which runners might have a push due, with what their pushes need.

The queries (`core.storage.push_candidates`) narrow in SQL and page by runner id;
`core.schedule.due` then decides exactly. Here they are asked for the runners of a group of
time zones (`core.schedule.zones`).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.schedule.zones import ZoneClock, zone_rows
from core.storage import push_candidates as stored
from core.storage.push_candidates import Candidate
from core.storage.unit_of_work import UnitOfWork

__all__ = ["Candidate", "nudge_candidates", "race_candidates", "recap_candidates",
           "session_candidates"]


async def session_candidates(
    uow: UnitOfWork, clocks: list[ZoneClock], *, after_id: int = 0, limit: int = 1000,
    only: Sequence[int] | None = None,
) -> list[Candidate]:
    """Runners whose reminder time has passed today and who have no session row yet, with
    whether today is already logged or skipped (only `only`, when given, unpaged)."""
    return await stored.session_candidates(
        uow, zone_rows(clocks), after_id=after_id, limit=limit, only=only)


async def nudge_candidates(
    uow: UnitOfWork, clocks: list[ZoneClock], *, after_id: int = 0, limit: int = 1000
) -> list[Candidate]:
    """Runners with an unlogged, unskipped run planned today and no nudge row yet."""
    return await stored.nudge_candidates(uow, zone_rows(clocks), after_id=after_id, limit=limit)


async def race_candidates(
    uow: UnitOfWork, clocks: list[ZoneClock], *, after_id: int = 0, limit: int = 1000
) -> list[Candidate]:
    """Runners racing today or within the race-week window."""
    return await stored.race_candidates(uow, zone_rows(clocks), after_id=after_id, limit=limit)


async def recap_candidates(
    uow: UnitOfWork, clocks: list[ZoneClock], *, after_id: int = 0, limit: int = 1000
) -> list[Candidate]:
    """Runners not in quiet mode without this Sunday's recap row (zones: Sunday evening)."""
    return await stored.recap_candidates(uow, zone_rows(clocks), after_id=after_id, limit=limit)
