"""Scheduled pushes through Pacer's Discord Messenger: DMs, buttons, closed DMs, faults."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from core.delivery import DeliveryError
from core.messages import Attachment, Reply
from core.schedule import outbox
from core.schedule.pushes import WeekSummary, recap_push, session_push
from core.schedule.sender import Sender
from core.storage.models import (
    Challenge,
    ChallengeMember,
    Club,
    ClubChannel,
    OutboxMessage,
    RunLog,
)
from tests.e2e.discord_harness import DiscordHarness, labels
from tests.e2e.discord_harness import dc as dc
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc
from tests.e2e.fakes.discord_fixtures import GUILD_ID

pytestmark = pytest.mark.slow

CHANNEL_MESSAGES = r"^/channels/\d+/messages$"


def morning_push() -> Reply:
    return session_push(
        "Rui", date(2026, 11, 2), time(7, 0), "<b>Easy run</b> · 30 min", requires_run=True
    )


async def dm_chat(dc: DiscordHarness) -> str:
    chat_id = (await dc.identity(dc.world.runner)).chat_id
    assert chat_id is not None
    return chat_id


async def join_a_club_challenge(dc: DiscordHarness, channel_id: int) -> None:
    """The runner joined a challenge of the club living in `channel_id`."""
    runner = await dc.runner(dc.world.runner)
    now = dc.clock.now()
    async with dc.uow() as uow:
        club = Club(name="Mile Club", created_at=now)
        uow.session.add(club)
        await uow.session.flush()
        uow.session.add(
            ClubChannel(club_id=club.id, platform="discord", chat_id=str(channel_id),
                        guild_id=str(GUILD_ID), title="Mile Club #runs")
        )
        challenge = Challenge(club_id=club.id, name="November Miles", metric="distance",
                              starts_at=now, ends_on=date(2026, 11, 30))
        uow.session.add(challenge)
        await uow.session.flush()
        uow.session.add(ChallengeMember(challenge_id=challenge.id, runner_id=runner.id,
                                        joined_at=now, platform="discord"))


async def test_the_daily_push_arrives_by_dm_and_its_done_button_logs(
    dc: DiscordHarness,
) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)

    await dc.messenger.send(await dm_chat(dc), morning_push())

    (push,) = dc.fake.dms(rui.id)[-1:]
    assert push["content"].startswith("**Good morning, Rui!** Today, Mon 2 Nov:")
    assert labels(push) == ["Done ✓", "Skip"]
    press = await dc.press(rui, push, "Done ✓")
    assert (
        "✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 26 min"
    ) in (await dc.answer(press))["content"].splitlines()
    assert push["components"] == []
    async with dc.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(RunLog.as_planned)) is True


async def test_buttons_keep_working_after_a_restart(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    await dc.messenger.send(await dm_chat(dc), morning_push())
    push = dc.fake.dms(rui.id)[-1]

    await dc.stop()  # a new process: no view of the old one is in memory
    restarted = DiscordHarness(dc.world, dc.uow.db, dc.clock)
    await restarted.start()
    try:
        logged = await restarted.answer(await restarted.press(rui, push, "Done ✓"))
    finally:
        await restarted.stop()
    assert (
        "✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 26 min"
    ) in logged["content"].splitlines()


async def test_closed_dms_fall_back_to_the_club_channel_only_for_a_reply_not_marked_private(
    dc: DiscordHarness,
) -> None:
    # The messenger's mechanism; scheduled pushes to a runner are all personal and arrive
    # marked private (see the test below), so none of them takes this way.
    rui, runs = dc.world.runner, dc.world.runs_id
    await dc.onboard(rui)
    await join_a_club_challenge(dc, runs)
    dc.fake.close_dms(rui.id)

    await dc.messenger.send(await dm_chat(dc), morning_push())

    (posted,) = dc.fake.channel_messages(runs)
    assert posted["content"].startswith(f"<@{rui.id}> **Good morning, Rui")
    assert labels(posted) == ["Done ✓", "Skip"]
    sent = dc.fake.calls_to("POST", CHANNEL_MESSAGES)[-1].json
    assert sent["allowed_mentions"] == {"parse": [], "users": [rui.id]}  # no one else
    identity = await dc.identity(rui)
    assert identity.reachable  # still reached, in the club channel
    assert identity.unreachable_reason == "Discord DMs closed: pushes go to the club channel"

    with pytest.raises(DeliveryError) as private:
        await dc.messenger.send(await dm_chat(dc), Reply("your stats", private=True))
    assert private.value.kind == "blocked"  # personal data never goes to a shared channel
    assert len(dc.fake.channel_messages(runs)) == 1

    await dc.say(rui, "today")  # writing in DMs again clears the note
    assert (await dc.identity(rui)).unreachable_reason is None


@pytest.mark.parametrize("kind", ["session", "recap"])
async def test_closed_dms_never_send_a_personal_push_to_the_club_channel(
    dc: DiscordHarness, kind: str
) -> None:
    rui, runs = dc.world.runner, dc.world.runs_id
    dc.clock.set(datetime(2026, 11, 2, 6, 30, tzinfo=UTC))
    await dc.onboard(rui)
    await join_a_club_challenge(dc, runs)
    dc.fake.close_dms(rui.id)
    week = WeekSummary(first=date(2026, 10, 26), last=date(2026, 11, 1), planned_runs=3,
                       done_runs=2, logged_minutes=75, logged_distance_m=12_000, streak=2,
                       best_streak=5, sleep_hours=6.2, next_key="4 × 400 m")
    # As queued before pushes were classified: the payload itself does not say "private".
    push = Reply(morning_push().text) if kind == "session" else Reply(
        recap_push("Rui", week).text
    )
    now = dc.clock.now()
    async with dc.uow() as uow:
        runner_id = (await dc.identity(rui)).runner_id
        await outbox.enqueue(uow, [outbox.outbox_row(
            key=f"{kind}:{runner_id}:2026-11-02", kind=kind, platform="discord",
            chat_id=await dm_chat(dc), payload=outbox.reply_to_payload(push), now=now,
            due_at=now, expires_at=now + timedelta(hours=6), runner_id=runner_id,
        )])

    report = await Sender(dc.uow, dc.messenger, dc.clock, worker="test").drain()

    assert (report.sent, report.blocked) == (0, 1)
    assert dc.fake.channel_messages(runs) == []  # sessions, volume and sleep stay private
    assert not (await dc.identity(rui)).reachable  # until Rui writes to Pacer again


async def test_closed_dms_without_a_club_stop_the_pushes(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    dc.clock.set(datetime(2026, 11, 2, 6, 30, tzinfo=UTC))  # before the 07:00 reminder
    await dc.onboard(rui)
    dc.fake.close_dms(rui.id)
    seen = len(dc.fake.dms(rui.id))
    now = dc.clock.now()
    async with dc.uow() as uow:
        runner_id = (await dc.identity(rui)).runner_id
        row = outbox.outbox_row(
            key=f"session:{runner_id}:2026-11-02", kind="session", platform="discord",
            chat_id=await dm_chat(dc), payload=outbox.reply_to_payload(morning_push()),
            now=now, due_at=now, expires_at=now + timedelta(hours=6), runner_id=runner_id,
        )
        await outbox.enqueue(uow, [row])

    sender = Sender(dc.uow, dc.messenger, dc.clock, worker="test")
    report = await sender.drain()

    assert report.blocked == 1 and report.sent == 0
    identity = await dc.identity(rui)
    assert not identity.reachable
    async with dc.uow(readonly=True) as uow:
        status = await uow.session.scalar(select(OutboxMessage.status))
    assert status == "dead"
    assert len(dc.fake.dms(rui.id)) == seen


async def test_a_rate_limited_push_is_retried_by_discord_py(dc: DiscordHarness) -> None:
    general = dc.world.general_id
    dc.fake.rate_limit_next("POST", CHANNEL_MESSAGES, retry_after=0.05)

    await dc.messenger.send(str(general), Reply("Weekly standings: <b>Ada</b> 42 km"))

    assert [c.status for c in dc.fake.calls_to("POST", CHANNEL_MESSAGES)] == [429, 200]
    (posted,) = dc.fake.channel_messages(general)
    assert posted["content"] == "Weekly standings: **Ada** 42 km"


async def test_refusals_become_delivery_error_kinds(dc: DiscordHarness) -> None:
    general = str(dc.world.general_id)
    dc.fake.fail_next("POST", CHANNEL_MESSAGES, 403, code=50013, message="Missing Permissions")
    with pytest.raises(DeliveryError) as forbidden:
        await dc.messenger.send(general, Reply("standings"))
    assert forbidden.value.kind == "permanent"

    dc.fake.fail_next("POST", CHANNEL_MESSAGES, 400, code=50035, message="Invalid Form Body")
    with pytest.raises(DeliveryError) as bad:
        await dc.messenger.send(general, Reply("standings"))
    assert bad.value.kind == "permanent" and "50035" in bad.value.reason

    with pytest.raises(DeliveryError) as nonsense:
        await dc.messenger.send("not-a-channel", Reply("standings"))
    assert nonsense.value.kind == "permanent"

    await dc.messenger.send(general, Reply("standings"))  # the next one goes through
    assert [m["content"] for m in dc.fake.channel_messages(dc.world.general_id)] == [
        "standings"
    ]


async def test_long_pushes_are_split_and_files_attached(dc: DiscordHarness) -> None:
    general = dc.world.general_id
    lines = "\n".join(f"{i}. a line of the weekly recap" for i in range(150))
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    reply = Reply(lines, attachments=(Attachment("board.png", png, "image/png"),))
    await dc.messenger.send(str(general), reply)

    messages = dc.fake.channel_messages(general)
    assert len(messages) == 3 and all(len(m["content"]) <= 2000 for m in messages)
    assert "\n".join(m["content"] for m in messages) == lines
    (attached,) = messages[-1]["attachments"]
    assert dc.fake.attachment_data(attached) == png



async def test_a_closed_client_is_a_transient_failure_not_a_crash(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    chat = await dm_chat(dc)
    await dc.adapter.client.close()  # what discord.py does on a fatal gateway close

    with pytest.raises(DeliveryError) as failed:
        await dc.messenger.send(chat, morning_push())

    assert (failed.value.kind, failed.value.reason) == ("transient",
                                                        "the Discord client is closed")
