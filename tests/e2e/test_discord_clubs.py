"""A club runs a challenge in its server channel: admins and members, through real discord.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.messages import Reply
from core.schedule.pushes import session_push
from core.storage.models import Challenge, ChallengeMember
from tests.e2e.discord_harness import DiscordHarness, is_ephemeral, labels
from tests.e2e.discord_harness import dc as dc
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc

pytestmark = pytest.mark.slow

NEW = {"name": "November Miles", "metric": "distance", "until": "2026-11-30", "team": "100km"}


async def test_only_members_with_manage_server_start_a_challenge(dc: DiscordHarness) -> None:
    world = dc.world

    refused = await dc.answer(
        await dc.slash(world.runner, "challenge new", NEW, channel_id=world.runs_id)
    )
    assert "Only the group's admins can start a challenge" in refused["content"]
    assert not is_ephemeral(refused)  # club business stays in the channel
    async with dc.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(Challenge.id)) is None

    created = await dc.answer(
        await dc.slash(world.admin, "challenge new", NEW, channel_id=world.runs_id)
    )
    assert "New challenge: **November Miles**" in created["content"]
    assert labels(created) == ["Join", "Board"]
    async with dc.uow(readonly=True) as uow:
        stored = (await uow.session.execute(select(Challenge.metric, Challenge.team_goal))).one()
    assert tuple(stored) == ("distance", 100_000)

    ended = await dc.answer(
        await dc.slash(world.runner, "challenge end", {}, channel_id=world.runs_id)
    )
    assert "Only the group's admins can end a challenge" in ended["content"]


async def test_members_join_by_button_log_runs_and_see_the_board(dc: DiscordHarness) -> None:
    world, rui = dc.world, dc.world.runner
    await dc.onboard(rui)
    created = await dc.answer(
        await dc.slash(world.admin, "challenge new", NEW, channel_id=world.runs_id)
    )

    joined = await dc.answer(await dc.press(rui, created, "Join"))
    assert "Welcome to **November Miles**, Rui Runner" in joined["content"]
    assert labels(created) == ["Join", "Board"]  # a server message keeps its buttons
    await dc.say(rui, "done", {"what": "5k 28:30"})

    board = await dc.slash(rui, "challenge board", {}, channel_id=world.runs_id)
    assert (await board.response())["type"] == 5  # an image is drawn: deferred at once
    shown = await dc.answer(board)
    assert "1. Rui Runner — 5.0 km" in shown["content"].splitlines()
    assert not is_ephemeral(shown)
    (image,) = shown["attachments"]
    assert dc.fake.attachment_data(image).startswith(b"\x89PNG")


async def test_a_member_with_closed_dms_gets_pushes_in_the_club_channel(
    dc: DiscordHarness,
) -> None:
    world, rui = dc.world, dc.world.runner
    await dc.onboard(rui)
    await dc.slash(world.admin, "challenge new", NEW, channel_id=world.runs_id)
    await dc.say(rui, "challenge join", {}, channel_id=world.runs_id)
    async with dc.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(ChallengeMember.platform)) == "discord"
    dc.fake.close_dms(rui.id)
    chat_id = (await dc.identity(rui)).chat_id
    assert chat_id is not None

    push = session_push("Rui", dc.clock.now().date(), dc.clock.now().time(), "Easy 30 min",
                        requires_run=True)
    await dc.messenger.send(chat_id, push)

    posted = await dc.fake.wait_for_message(
        lambda m: m["content"].startswith(f"<@{rui.id}>"), channel_id=world.runs_id
    )
    assert "Easy 30 min" in posted["content"].splitlines()
    logged = await dc.answer(await dc.press(rui, posted, "Done ✓"))
    assert (
        "✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 26 min"
    ) in logged["content"].splitlines()
    assert is_ephemeral(logged)
    assert labels(posted) == ["Done ✓", "Skip"]  # in a shared channel the buttons stay

    await dc.messenger.send(chat_id, Reply("Weekly recap: 3 runs"))
    assert dc.fake.channel_messages(world.runs_id)[-1]["content"].endswith("3 runs")
