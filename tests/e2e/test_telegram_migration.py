"""A Telegram group upgraded to a supergroup keeps its club: challenges, boards and pushes
follow it to its new chat id (the service message, or `ChatMigrated` on a push)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.schedule import outbox
from core.schedule.ratelimit import UNLIMITED
from core.schedule.sender import Sender
from core.storage.models import ClubChannel, OutboxMessage
from tests.e2e.conftest import TelegramHarness
from tests.e2e.fakes.telegram_objects import FakeGroup, FakeUser

OLD, NEW = -4500, -1004500


async def club_with_a_challenge(tg: TelegramHarness) -> tuple[FakeGroup, FakeUser]:
    ann = tg.fake.user(1001, "Ann")
    group = tg.fake.group(OLD, "Morning Milers", admins={ann.id}, chat_type="group")
    await tg.onboard(ann)
    [created] = await tg.say(
        ann, "/challenge new November-Miles metric=distance until=2026-11-30", chat_id=group.id)
    assert "New challenge: November-Miles" in created["text"]
    return group, ann


async def queue_club_post(tg: TelegramHarness, chat_id: int) -> None:
    now = tg.clock.now()
    async with tg.uow() as uow:
        await outbox.enqueue(uow, [outbox.outbox_row(
            key=f"weekly:{chat_id}:2026-11-02", kind="weekly", platform="telegram",
            chat_id=str(chat_id), payload={"text": "<b>Week 1 standings</b>", "group": True},
            now=now, due_at=now, expires_at=now + timedelta(hours=6),
        )])


async def channels(tg: TelegramHarness) -> list[str]:
    async with tg.uow(readonly=True) as uow:
        return list(await uow.session.scalars(select(ClubChannel.chat_id)))


async def test_the_migration_notice_moves_the_club_to_the_supergroup(
    tg: TelegramHarness,
) -> None:
    _, ann = await club_with_a_challenge(tg)
    await queue_club_post(tg, OLD)

    old_notice, new_notice = tg.fake.migrate_group(OLD, NEW, ann)
    await tg.handled(old_notice["update_id"])
    await tg.handled(new_notice["update_id"])
    [listed] = await tg.say(ann, "/challenge list", chat_id=NEW)

    assert (
        "1. November-Miles · distance · until Mon 30 Nov (29 days to go) · 0 members"
    ) in listed["text"].splitlines()
    assert "No challenge is running here" not in listed["text"]
    assert await channels(tg) == [str(NEW)]
    async with tg.uow(readonly=True) as uow:
        assert list(await uow.session.scalars(
            select(OutboxMessage.chat_id).where(OutboxMessage.kind == "weekly"))) == [str(NEW)]


async def test_a_push_to_the_old_group_follows_it_and_is_sent_once(
    tg: TelegramHarness,
) -> None:
    _, ann = await club_with_a_challenge(tg)
    await queue_club_post(tg, OLD)
    tg.fake.world.migration_updates(OLD, NEW, ann)  # Pacer has not seen the notice yet
    sender = Sender(tg.uow, tg.adapter.messenger, tg.clock, worker="w", limits=UNLIMITED)

    report = await sender.drain_once()

    posts = [m for m in tg.fake.sent() if m["text"] == "Week 1 standings"]
    assert [m["chat"]["id"] for m in posts] == [NEW]
    assert (report.sent, report.dead) == (1, 0)
    assert await channels(tg) == [str(NEW)]
    async with tg.uow(readonly=True) as uow:
        row = (await uow.session.execute(
            select(OutboxMessage.status, OutboxMessage.chat_id)
            .where(OutboxMessage.kind == "weekly"))).one()
    assert tuple(row) == ("sent", str(NEW))
