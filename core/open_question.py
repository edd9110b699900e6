"""The rules of an open question (a guided step kept in `runner.conversation`).

A question is open until it is answered, cancelled, closed by any command the runner sends, or
it expires: `QUESTION_TTL` after it was asked, by the dispatcher's clock (so a `hi` typed hours
later, or after a restart, is never read as the answer to an old question). Questions carry
their asking instant as `asked_at` (ISO UTC). A flow that keeps its own deadline (`expires`,
like /deleteme's confirmation) answers its late replies itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

QUESTION_TTL = timedelta(minutes=30)
# Commands that keep an open question: /deleteme asks its own (answered by its buttons,
# `/deleteme confirm`) and puts back the question it interrupted when it is cancelled.
KEEP_THE_QUESTION = frozenset({"deleteme"})


def asked(state: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The question's state stamped with the instant it is asked (a new dict: JSON columns
    only notice assignments)."""
    return {**state, "asked_at": now.isoformat()}


def expired(conversation: Mapping[str, Any], now: datetime) -> bool:
    """Past its time to live; a question without an asking instant (stored before questions
    had one) counts as expired, unless its flow keeps its own deadline."""
    stamp = conversation.get("asked_at")
    if stamp is None:
        return "expires" not in conversation
    try:
        at = datetime.fromisoformat(str(stamp))
    except ValueError:
        return True
    return at.tzinfo is None or now - at > QUESTION_TTL


def closed_by(conversation: Mapping[str, Any], command: str) -> bool:
    """Whether sending `/command` closes this open question (every command does, except
    those that keep it)."""
    return command not in KEEP_THE_QUESTION


def timed_out(conversation: Mapping[str, Any]) -> str:
    """The reply to a plain line that came after the open question expired."""
    again = {
        "start": " Send /start to pick up setting up your plan.",
        "settings": " Send /settings to change a setting.",
    }.get(str(conversation.get("flow")), "")
    return (
        "My last question timed out, so I didn't take that as an answer." + again
        + " Send /help to see everything I can do."
    )
