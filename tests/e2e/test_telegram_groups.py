"""Pacer in a Telegram group: addressing, admin rights from Telegram, private replies."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.messages import ChatKind, Request
from core.storage.models import Challenge, Identity, RunLog
from tests.e2e.conftest import TelegramHarness, labels
from tests.e2e.fakes.telegram_objects import FakeGroup, FakeUser

CLUB = -100500


def club(tg: TelegramHarness) -> tuple[FakeGroup, FakeUser, FakeUser, FakeUser]:
    """A club: Olga owns it, Ann is an administrator, Bob is a member."""
    olga, ann, bob = (tg.fake.user(i, name) for i, name in
                      ((1000, "Olga"), (1001, "Ann"), (1002, "Bob")))
    group = tg.fake.group(CLUB, "Morning Milers", admins={ann.id}, owner=olga.id)
    return group, olga, ann, bob


def spy_requests(tg: TelegramHarness, monkeypatch: pytest.MonkeyPatch) -> list[Request]:
    """Record every request the adapter hands the core."""
    seen: list[Request] = []
    handle = tg.pacer.handle

    async def spy(request: Request) -> list:  # type: ignore[type-arg]
        seen.append(request)
        return await handle(request)

    monkeypatch.setattr(tg.pacer, "handle", spy)
    return seen


async def test_only_commands_for_this_bot_are_answered(
    tg: TelegramHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, _, ann, _ = club(tg)
    seen = spy_requests(tg, monkeypatch)

    for_other_bot = await tg.say(ann, "/help@other_bot", chat_id=group.id)
    chatter = await tg.say(ann, "see you all at the track", chat_id=group.id)
    [help_reply] = await tg.say(ann, "/help@pacer_bot", chat_id=group.id)
    [pace] = await tg.say(ann, "/pace 6:40", chat_id=group.id)

    assert for_other_bot == [] and chatter == []
    assert [(r.command, r.text) for r in seen] == [("help", ""), ("pace", "6:40")]
    assert seen[0].chat_kind is ChatKind.GROUP and seen[0].chat_title == "Morning Milers"
    assert seen[0].chat_id == str(CLUB) and seen[0].user_id == str(ann.id)
    assert (
        "/done — log a run — or send your watch's GPX, FIT or TCX file"
    ) in help_reply["text"].splitlines()
    assert help_reply["reply_to_message"]["text"] == "/help@pacer_bot"  # answers in the thread
    assert "Lap 1 (400 m): 1:39.4" in pace["text"]


async def test_admin_rights_come_from_telegram_and_are_cached(
    tg: TelegramHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, olga, ann, bob = club(tg)
    seen = spy_requests(tg, monkeypatch)

    for user in (olga, ann, bob, ann):
        await tg.say(user, "/help", chat_id=group.id)
    await tg.say(bob, "/help")  # a private chat asks nobody

    assert [(r.user_id, r.is_admin) for r in seen] == [
        ("1000", True), ("1001", True), ("1002", False), ("1001", True), ("1002", False)
    ]
    assert len(tg.fake.calls_to("getChatAdministrators")) == 1  # one look per group and TTL

    tg.fake.set_admins(group.id, {bob.id})  # Telegram changed; the cache forgets in time
    tg.adapter.admins.forget(group.id)
    await tg.say(bob, "/help", chat_id=group.id)
    assert seen[-1].is_admin is True


async def test_admins_cannot_be_listed_means_no_admin(
    tg: TelegramHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, _, ann, _ = club(tg)
    seen = spy_requests(tg, monkeypatch)
    tg.fake.fail_next("getChatAdministrators", status=400, description="Bad Request: no rights")

    await tg.say(ann, "/help", chat_id=group.id)
    await tg.say(ann, "/help", chat_id=group.id)

    assert [r.is_admin for r in seen] == [False, True]  # the failure was not cached


async def test_a_club_challenge_run_by_its_admin(tg: TelegramHarness) -> None:
    group, _, ann, bob = club(tg)
    for user in (ann, bob):
        await tg.onboard(user)
    command = "/challenge new November-Miles metric=distance until=2026-11-30"

    [refused] = await tg.say(bob, command, chat_id=group.id)
    [created] = await tg.say(ann, command, chat_id=group.id)
    joined = await tg.press(bob, created, "Join")  # the group's buttons work for everyone
    await tg.say(bob, "/done 5k", chat_id=group.id)
    [board] = await tg.press(ann, created, "Board")
    [not_yours] = await tg.say(bob, "/challenge end", chat_id=group.id)

    assert "Only the group's admins can start a challenge" in refused["text"]
    assert "New challenge: November-Miles" in created["text"]
    assert labels(created) == ["Join", "Board"]
    assert [m["method"] for m in joined] == ["sendMessage"]  # no keyboard edit in a group
    assert "Welcome to November-Miles, Bob!" in joined[0]["text"]
    assert board["method"] == "sendPhoto" and board["chat"]["id"] == group.id  # a leaderboard
    assert board["bytes"].startswith(b"\x89PNG")
    assert "1. Bob — 5.0 km" in board["caption"]
    assert "Only the group's admins can end a challenge" in not_yours["text"]
    async with tg.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Challenge)) == 1


async def test_private_replies_go_to_a_private_chat(tg: TelegramHarness) -> None:
    group, _, ann, _ = club(tg)
    await tg.onboard(ann)
    await tg.say(ann, "/done 25min")

    chart, note = await tg.say(ann, "/stats", chat_id=group.id)

    assert (chart["method"], chart["chat"]["id"]) == ("sendPhoto", ann.id)
    assert note["chat"]["id"] == group.id
    assert note["text"] == "Ann, I've sent that to you in a private chat."
    assert [m["chat"]["id"] for m in tg.fake.sent() if m["method"] == "sendPhoto"] == [ann.id]


async def test_a_runner_who_never_opened_a_private_chat_is_told_how(
    tg: TelegramHarness,
) -> None:
    group, _, _, bob = club(tg)
    tg.fake.block(bob.id)  # Telegram answers 403 until Bob writes to the bot himself

    [note] = await tg.say(bob, "/export", chat_id=group.id)

    assert note["chat"]["id"] == group.id
    assert "can't message you privately yet" in note["text"]
    assert note["text"] == (
        "Bob, I can't message you privately yet: open a chat with @pacer_bot, press Start, then "
        "try again here."
    )
    assert (await tg.identity(bob)).reachable is False
    tg.fake.unblock(bob.id)
    await tg.say(bob, "/help")  # writing privately makes him reachable again
    assert (await tg.identity(bob)).reachable is True


async def test_personal_answers_asked_in_a_group_reach_only_the_runner(
    tg: TelegramHarness,
) -> None:
    """As on Discord (ephemeral there): /today, /streak and /done asked in a group are about
    one runner, so they go to that runner's private chat, with a short note in the group."""
    group, _, ann, _ = club(tg)
    await tg.onboard(ann)

    today, note = await tg.say(ann, "/today", chat_id=group.id)
    done = await tg.press(ann, today, "Done as planned")
    streak, streak_note = await tg.say(ann, "/streak", chat_id=group.id)

    assert today["chat"]["id"] == ann.id and labels(today) == ["Done as planned", "Skip"]
    assert note["chat"]["id"] == group.id
    assert note["text"] == "Ann, I've sent that to you in a private chat."
    assert [m["chat"]["id"] for m in done] == [ann.id] * len(done)
    assert streak["chat"]["id"] == ann.id and "Streak" in streak["text"]
    assert streak_note["chat"]["id"] == group.id
    async with tg.uow(readonly=True) as uow:
        owners = (await uow.session.scalars(
            select(Identity.external_id).join(RunLog, RunLog.runner_id == Identity.runner_id)
        )).all()
    assert owners == [str(ann.id)]
