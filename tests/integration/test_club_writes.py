"""What club commands change is stored: the club repositories hand out plain values, so every
change is an explicit write (ending a challenge, leaving one, link codes, merging two clubs).
Transcripts first, then the stored rows, on SQLite and PostgreSQL.

Everyone starts on Monday 2 Nov 2026 (the `clock` fixture).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from core.messages import Platform
from core.storage.models import Challenge, ChallengeMember, ChallengeTotal, Club, Runner
from tests.support.testbot import TestBot

CLUB = "club-1"
TG = {"group": "tg-harriers", "platform": Platform.TELEGRAM}
DC = {"group": "dc-harriers", "platform": Platform.DISCORD}


async def onboard(bot: TestBot, user: str, tz: str = "UTC") -> None:
    reply = await bot.say(f"/start level=beginner days=mon,wed,sat tz={tz} units=km", user=user)
    assert "Welcome" in reply, reply


async def distances(bot: TestBot) -> dict[str, float]:
    """Each member's stored distance, by name."""
    async with bot.uow(readonly=True) as uow:
        rows = await uow.session.execute(
            select(Runner.display_name, ChallengeTotal.distance_m)
            .join(Runner, Runner.id == ChallengeTotal.runner_id))
        return {name: distance for name, distance in rows}


async def test_an_early_end_stores_the_new_last_day_and_the_status(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", tz="Pacific/Kiritimati")  # UTC+14: a day ahead of the club
    await onboard(bot, "bob")
    await bot.say("/challenge new Miles metric=distance until=2026-11-30", user="olga",
                  group=CLUB, admin=True)
    for user in ("ann", "bob"):
        await bot.say("/challenge join", user=user, group=CLUB)
    bot.at("2026-11-05 12:00")  # Thu 5 Nov for the club, already Fri 6 Nov for Ann
    await bot.say("/done 5k 30:00", user="ann")
    await bot.say("/done 3k 18:00", user="bob")
    assert await distances(bot) == {"Ann": 5000.0, "Bob": 3000.0}

    final = await bot.say("/challenge end", user="olga", group=CLUB, admin=True)
    assert "🏁 Miles is over! Final results (distance, until Thu 5 Nov):" in final.splitlines()
    assert "🥇 Bob — 3.0 km" in final.splitlines()
    assert await distances(bot) == {"Ann": 0.0, "Bob": 3000.0}  # Ann's Friday is too late
    async with bot.uow(readonly=True) as uow:
        [(status, ends_on, ended_at)] = (await uow.session.execute(
            select(Challenge.status, Challenge.ends_on, Challenge.ended_at))).all()
    assert (status, ends_on, ended_at) == ("ended", date(2026, 11, 5), bot.clock.now())
    assert "No challenge is running here yet" in await bot.say("/challenge list", group=CLUB)


async def test_leaving_deletes_the_membership(any_bot: TestBot) -> None:
    bot = any_bot
    for user in ("ann", "bob"):
        await onboard(bot, user)
    await bot.say("/challenge new Miles metric=distance until=2026-11-30", user="olga",
                  group=CLUB, admin=True)
    for user in ("ann", "bob"):
        await bot.say("/challenge join", user=user, group=CLUB)
        await bot.say("/done 3k 18:00", user=user)
    assert "You've left Miles" in await bot.say("/challenge leave", user="bob", group=CLUB)
    async with bot.uow(readonly=True) as uow:
        members = await uow.session.scalar(select(func.count()).select_from(ChallengeMember))
    assert members == 1
    assert await distances(bot) == {"Ann": 3000.0}
    assert "You're not in Miles" in await bot.say("/challenge leave", user="bob", group=CLUB)
    assert "Welcome to Miles" in await bot.say("/challenge join", user="bob", group=CLUB)


async def test_a_link_code_is_stored_used_up_and_clashing_names_renamed(
    any_bot: TestBot,
) -> None:
    bot = any_bot
    for where, admin in ((TG, "olga"), (DC, "dave")):
        created = await bot.say("/challenge new Harriers metric=distance until=2026-11-30",
                                user=admin, admin=True, **where)
        assert "New challenge" in created
    offer = await bot.say("/challenge link", user="olga", admin=True, **TG)
    code = offer.split("Link code: ")[1][:6]
    async with bot.uow(readonly=True) as uow:
        stored = (await uow.session.execute(
            select(Club.name, Club.link_code_expires_at).where(Club.link_code == code))).all()
    assert stored == [("tg-harriers", bot.clock.now() + timedelta(minutes=15))]

    linked = await bot.say(f"/challenge link {code}", user="dave", admin=True, **DC)
    assert "Challenges running: Harriers, Harriers (2)" in linked
    async with bot.uow(readonly=True) as uow:
        clubs = (await uow.session.execute(
            select(Club.id, Club.name, Club.link_code, Club.link_code_expires_at))).all()
        challenges = (await uow.session.execute(
            select(Challenge.club_id, Challenge.name).order_by(Challenge.id))).all()
    [(club_id, name, link_code, expires)] = clubs  # the Discord channel's club is gone
    assert (name, link_code, expires) == ("tg-harriers", None, None)
    assert challenges == [(club_id, "Harriers"), (club_id, "Harriers (2)")]
    board = await bot.say("/challenge board 2", user="dave", **DC)
    assert "Harriers (2)" in board
