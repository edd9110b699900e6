"""Every push is personal or club; personal ones leave the outbox marked private."""

from __future__ import annotations

import pytest

from core.messages import Reply
from core.schedule import outbox
from core.schedule.audience import audience
from core.schedule.due import PUSH_KINDS


def claimed(kind: str, reply: Reply) -> outbox.Claimed:
    return outbox.Claimed(
        id=1, key=f"{kind}:1", runner_id=1, platform="discord", chat_id="42", kind=kind,
        payload=outbox.reply_to_payload(reply), attempts=0, token="t",
    )


def test_every_runner_push_is_personal_and_every_channel_post_is_club() -> None:
    assert {kind: audience(kind) for kind in PUSH_KINDS} == {
        "session": "personal", "nudge": "personal", "race_week": "personal",
        "race_morning": "personal", "post_race": "personal", "recap": "personal",
    }
    assert [audience(k) for k in ("club_recap", "club_final", "club_news")] == ["club"] * 3
    assert audience("something_new") == "personal"  # unknown: the safe side


@pytest.mark.parametrize("kind", PUSH_KINDS)
def test_a_personal_push_is_private_when_sent(kind: str) -> None:
    assert claimed(kind, Reply("Your week: 3 of 3")).reply == Reply(
        "Your week: 3 of 3", private=True
    )


def test_a_club_post_is_not_private() -> None:
    assert claimed("club_recap", Reply("Standings")).reply == Reply("Standings")
