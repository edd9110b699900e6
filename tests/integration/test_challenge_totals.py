"""The stored challenge totals stay exact: after every change a member can make — a run logged or
undone, a duplicate, an admin's removal, joining, leaving, deleting themselves, an early end —
each stored row equals the same counting done afresh from the log book, and the boards (which
read the rows) say what the members expect.

Everyone starts on Monday 2 Nov 2026 (the `clock` fixture), in the group "club-1".
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update

from core.clubs.chats import ACTIVE
from core.clubs.figures import run_totals, scope_of
from core.clubs.ranking import board_slice, rank
from core.clubs.totals import stored_board, stored_entries
from core.runners import find_runner
from core.storage import challenges
from core.storage.database import Database
from core.storage.models import (
    Challenge,
    ChallengeMember,
    ChallengeTotal,
    Club,
    RunLog,
    Runner,
)
from core.storage.unit_of_work import UnitOfWorkFactory
from tests.support.testbot import TestBot

CLUB = "club-1"
START = "/start level=beginner days=mon,wed,sat tz={tz} units=km"
NEW = "/challenge new {name} metric={metric} until=2026-11-30"
NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)

Figures = tuple[float, float, int, int]  # distance_m, minutes, sessions, runs


async def onboard(bot: TestBot, *users: str, tz: str = "UTC") -> None:
    for user in users:
        assert "Welcome" in await bot.say(START.format(tz=tz), user=user)


async def admin(bot: TestBot, line: str) -> str:
    return await bot.say(line, user="olga", group=CLUB, admin=True)


async def member(bot: TestBot, line: str, user: str) -> str:
    return await bot.say(line, user=user, group=CLUB)


def board_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1].isdigit() or line.startswith("=")]


async def stored(bot: TestBot, challenge: str = "Miles") -> dict[str, Figures]:
    """The stored totals of a challenge, by member name."""
    async with bot.uow(readonly=True) as u:
        rows = await u.session.execute(
            select(Runner.display_name, ChallengeTotal.distance_m, ChallengeTotal.minutes,
                   ChallengeTotal.sessions, ChallengeTotal.runs)
            .join(Runner, Runner.id == ChallengeTotal.runner_id)
            .join(Challenge, Challenge.id == ChallengeTotal.challenge_id)
            .where(Challenge.name == challenge)
        )
        return {name: (d, m, s, r) for name, d, m, s, r in rows}


async def assert_exact(bot: TestBot) -> None:
    """Every challenge's stored rows equal a fresh count, member for member (and tie times)."""
    async with bot.uow(readonly=True) as u:
        for challenge_id in list(await u.session.scalars(select(Challenge.id))):
            challenge = await challenges.challenge(u, challenge_id)
            assert challenge is not None
            fresh = {
                t.runner_id: (t.distance_m, t.minutes, t.sessions, t.runs, t.last_counted_at)
                for t in await run_totals(u, scope_of(challenge, bot.clock.now()))
            }
            rows = await u.session.execute(
                select(ChallengeTotal.runner_id, ChallengeTotal.distance_m,
                       ChallengeTotal.minutes, ChallengeTotal.sessions, ChallengeTotal.runs,
                       ChallengeTotal.last_counted_at)
                .where(ChallengeTotal.challenge_id == challenge.id)
            )
            assert {rid: tuple(rest) for rid, *rest in rows} == fresh, challenge.name


async def log_id(bot: TestBot, distance_m: float) -> int:
    async with bot.uow(readonly=True) as u:
        found = await u.session.scalar(select(RunLog.id).where(RunLog.distance_m == distance_m))
        assert found is not None
        return found


async def test_logs_duplicates_and_undo_keep_the_totals_exact(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    await admin(bot, NEW.format(name="Days", metric="sessions"))
    for user in ("ann", "bob"):
        await member(bot, "/challenge join 1", user)
        await member(bot, "/challenge join 2", user)
    assert await stored(bot) == {"Ann": (0, 0, 0, 0), "Bob": (0, 0, 0, 0)}

    await bot.say("/done 10k 50:00", user="bob")
    bot.advance(minutes=30)
    await bot.say("/done 10k 50:00 again", user="bob")  # the same run twice: counts once
    await bot.say("/done 3k", user="bob")  # no time: adds distance only
    bot.advance(minutes=1)
    await bot.say("/done 5k 30:00", user="ann")
    bot.advance(days=1)
    await bot.say("/done 6k 33:00", user="ann")
    await bot.say("/done yesterday 20min", user="bob")  # a second run on a counted day
    assert await stored(bot) == {"Ann": (11000, 63, 2, 2), "Bob": (13000, 70, 1, 3)}
    assert await stored(bot, "Days") == {"Ann": (11000, 63, 2, 2), "Bob": (13000, 70, 1, 3)}
    await assert_exact(bot)

    assert "Removed your run yesterday" in await bot.say("/undo", user="bob")
    assert "Removed your run today" in await bot.say("/undo", user="ann")
    assert await stored(bot) == {"Ann": (5000, 30, 1, 1), "Bob": (13000, 50, 1, 2)}
    await assert_exact(bot)
    assert board_lines(await member(bot, "/challenge board Miles", "ann")) == [
        "1. Bob — 13.0 km", "2. Ann — 5.0 km"]
    assert board_lines(await member(bot, "/challenge board Days", "ann")) == [
        "=1. Bob — 1 session", "=1. Ann — 1 session"]


async def test_admin_removals_leaving_and_rejoining_keep_the_totals_exact(
        any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    await admin(bot, NEW.format(name="Hours", metric="time"))
    for user in ("ann", "bob"):
        await member(bot, "/challenge join Miles", user)
    await member(bot, "/challenge join Hours", "bob")
    await bot.say("/done 21k 1:40:00", user="bob")
    await bot.say("/done 4k 24:00", user="ann")

    removed = await admin(bot, f"/challenge remove {await log_id(bot, 21000)} no GPS")
    assert "(Bob, Mon 2 Nov — 21.0 km · 100 min) from" in removed
    assert removed == (
        "Removed run #1 (Bob, Mon 2 Nov — 21.0 km · 100 min) from Miles, Hours. Reason: no GPS. "
        "Recorded by Olga."
    )
    assert await stored(bot) == {"Ann": (4000, 24, 1, 1), "Bob": (0, 0, 0, 0)}
    assert await stored(bot, "Hours") == {"Bob": (0, 0, 0, 0)}
    await assert_exact(bot)

    assert "You've left Miles" in await member(bot, "/challenge leave Miles", "ann")
    assert await stored(bot) == {"Bob": (0, 0, 0, 0)}
    bot.advance(days=1)
    await bot.say("/done 5k 29:00", user="ann")  # not a member: nothing stored
    assert await stored(bot) == {"Bob": (0, 0, 0, 0)}
    await bot.say("/done 2k 12:00", user="ann")
    assert "Welcome to Miles" in await member(bot, "/challenge join Miles", "ann")
    # Back in: today's runs count again, Monday's (before this join) no longer do.
    assert await stored(bot) == {"Ann": (7000, 41, 1, 2), "Bob": (0, 0, 0, 0)}
    await assert_exact(bot)
    assert board_lines(await member(bot, "/challenge board Miles", "bob")) == [
        "1. Ann — 7.0 km", "2. Bob — 0.0 km"]


async def test_deleteme_takes_the_totals_with_the_runner(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
        await bot.say("/done 3k 18:00", user=user)
    await bot.say("/deleteme", user="bob")
    assert "Done: everything Pacer stored about you" in await bot.say("/deleteme confirm",
                                                                     user="bob")
    assert await stored(bot) == {"Ann": (3000, 18, 1, 1)}
    await assert_exact(bot)


async def test_the_join_day_is_the_members_own_in_the_totals(any_bot: TestBot) -> None:
    """Auckland is a day ahead of UTC: the join-day split of the counting query, per member."""
    bot = any_bot
    await onboard(bot, "kiri", tz="Pacific/Auckland")
    await onboard(bot, "uma")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    bot.at("2026-11-03 11:00", "Pacific/Auckland")  # Mon 2 Nov 22:00 UTC
    await bot.say("/done yesterday 4k 24:00", user="kiri")  # before her join day
    await bot.say("/done 3k 18:00", user="kiri")  # on it: counts once she joins
    await bot.say("/done yesterday 4k 24:00", user="uma")  # Sun 1 Nov: before
    for user in ("kiri", "uma"):
        await member(bot, "/challenge join", user)
    assert await stored(bot) == {"Kiri": (3000, 18, 1, 1), "Uma": (0, 0, 0, 0)}
    await bot.say("/done 2k 12:00", user="uma")
    assert await stored(bot) == {"Kiri": (3000, 18, 1, 1), "Uma": (2000, 12, 1, 1)}
    await assert_exact(bot)


async def test_ending_early_drops_runs_after_the_new_last_day(any_bot: TestBot) -> None:
    """The club runs on UTC; in Auckland it is already Tuesday. Ended on Monday, Kiri's
    Tuesday run no longer counts."""
    bot = any_bot
    await onboard(bot, "kiri", tz="Pacific/Auckland")
    await onboard(bot, "uma")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    for user in ("kiri", "uma"):
        await member(bot, "/challenge join", user)
    bot.at("2026-11-02 20:00")  # Tue 3 Nov 09:00 in Auckland
    await bot.say("/done 5k 30:00", user="kiri")
    await bot.say("/done 3k 18:00", user="uma")
    assert board_lines(await member(bot, "/challenge board", "uma")) == [
        "1. Kiri — 5.0 km", "2. Uma — 3.0 km"]
    final = await admin(bot, "/challenge end")
    assert "🏁 Miles is over! Final results (distance, until Mon 2 Nov):" in final.splitlines()
    assert "🥇 Uma — 3.0 km\n2. Kiri — 0.0 km" in final
    await assert_exact(bot)


async def test_ties_go_to_whoever_got_there_first_per_metric(any_bot: TestBot) -> None:
    """A run without a time does not move a member's place in a time tie."""
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await admin(bot, NEW.format(name="Hours", metric="time"))
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 30min", user="bob")
    bot.advance(hours=1)
    await bot.say("/done 30min", user="ann")
    bot.advance(hours=1)
    await bot.say("/done 3k", user="bob")  # distance only: his time was reached earlier
    assert board_lines(await member(bot, "/challenge board", "ann")) == [
        "=1. Bob — 30 min", "=1. Ann — 30 min"]
    await assert_exact(bot)


async def test_a_board_fills_in_members_without_totals(any_bot: TestBot) -> None:
    """Challenges running before the table existed: the first board computes the rows."""
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 10k 55:00", user="bob")
    await bot.say("/done 5k 30:00", user="ann")
    async with bot.uow() as u:
        await u.session.execute(delete(ChallengeTotal))
    assert board_lines(await member(bot, "/challenge board", "ann")) == [
        "1. Bob — 10.0 km", "2. Ann — 5.0 km"]
    assert await stored(bot) == {"Ann": (5000, 30, 1, 1), "Bob": (10000, 55, 1, 1)}
    await assert_exact(bot)


async def test_a_removal_racing_the_members_own_logs_loses_nothing(any_bot: TestBot) -> None:
    """An admin removes runs while the member logs more at the same moment (two transactions
    at once on PostgreSQL): each recount sees the other's writes."""
    bot = any_bot
    await onboard(bot, "bob")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    await member(bot, "/challenge join", "bob")
    for i in range(1, 5):
        await bot.say(f"/done {i}k {i * 6}:00", user="bob")
    for i in range(1, 5):
        target = await log_id(bot, i * 1000)
        await asyncio.gather(
            bot.pacer.handle(bot.request(f"/challenge remove {target} test", user="olga",
                                         group=CLUB, admin=True)),
            bot.pacer.handle(bot.request(f"/done {i + 10}k {(i + 10) * 6}:00", user="bob")),
        )
    async with bot.uow(readonly=True) as u:
        assert await u.session.scalar(select(func.count()).select_from(RunLog)) == 8
    assert await stored(bot) == {"Bob": (50000, 300, 1, 4)}
    await assert_exact(bot)


async def test_the_stored_board_reads_as_ranking_everyone_would(database: Database) -> None:
    """The board reads only the rows it shows; with big ties (on figure; on figure and time,
    across the 10th place; everyone at zero) and names that differ only in case or accents,
    it shows what ranking every member would, for every viewer."""
    rng = random.Random(5)
    names = ["ann", "Ann", "Émile", "emile", "Zoë", "zoe", "Bob", "bob", "Łucja", "lucja"]
    uow = UnitOfWorkFactory(database)
    async with uow() as u:
        runners = [Runner(display_name=f"{names[i % 10]}{'' if i < 10 else i // 10}",
                          created_at=NOW, updated_at=NOW) for i in range(40)]
        club = Club(name="club", created_at=NOW)
        u.session.add_all([*runners, club])
        await u.session.flush()
        challenge = Challenge(club_id=club.id, name="Miles", metric="distance", goal=2000.0,
                              starts_at=NOW, ends_on=NOW.date() + timedelta(days=20), tz="UTC",
                              status="active")
        u.session.add(challenge)
        await u.session.flush()
        for i, runner in enumerate(runners):
            figure = 0 if i % 4 == 0 else (5000 if i < 16 else rng.choice([1000, 2000, 5000]))
            reached = None if not figure else (NOW if i < 16 else NOW + timedelta(
                hours=rng.choice([1, 2])))
            u.session.add_all([
                ChallengeMember(challenge_id=challenge.id, runner_id=runner.id, joined_at=NOW),
                ChallengeTotal(challenge_id=challenge.id, runner_id=runner.id,
                               distance_m=float(figure), minutes=float(figure % 7),
                               sessions=figure // 1000, runs=1, last_counted_at=reached,
                               updated_at=NOW),
            ])
        challenge_id = challenge.id
        viewers: list[int | None] = [*(r.id for r in runners), None, 999_999]
    for metric in ("distance", "time", "sessions"):
        async with uow() as u:
            await u.session.execute(
                update(Challenge).where(Challenge.id == challenge_id).values(metric=metric))
            found = await challenges.challenge(u, challenge_id)
            assert found is not None
            everyone = rank(await stored_entries(u, found, NOW))
            for viewer in viewers:
                expected = board_slice(everyone, viewer, goal=found.goal)
                assert await stored_board(u, found, NOW, viewer) == expected, (metric, viewer)


async def test_edits_and_numbered_undos_keep_the_totals_exact(any_bot: TestBot) -> None:
    """Issue 14.6: `/edit N` and `/undo N` move the boards with them."""
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    for user in ("ann", "bob"):
        await member(bot, "/challenge join 1", user)
    await bot.say("/done 5k 30:00", user="ann")
    bot.advance(days=1)
    await bot.say("/done 8k 45:00", user="ann")
    await bot.say("/done 6k 33:00", user="bob")
    assert await stored(bot) == {"Ann": (13000, 75, 2, 2), "Bob": (6000, 33, 1, 1)}

    assert "is now 10 km in 50 min" in await bot.say("/edit 2 10k 50:00", user="ann")
    assert await stored(bot) == {"Ann": (18000, 95, 2, 2), "Bob": (6000, 33, 1, 1)}
    await assert_exact(bot)
    assert "Removed run 1" in await bot.say("/undo 1", user="ann")
    assert await stored(bot) == {"Ann": (10000, 50, 1, 1), "Bob": (6000, 33, 1, 1)}
    await assert_exact(bot)
    assert board_lines(await member(bot, "/challenge board Miles", "bob")) == [
        "1. Ann — 10.0 km", "2. Bob — 6.0 km"]


async def test_the_logbook_window_names_the_active_challenges_a_run_counts_towards(
    any_bot: TestBot,
) -> None:
    """/done reads the runner's active challenges with the logbook, in its one statement."""
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await admin(bot, NEW.format(name="Miles", metric="distance"))
    await member(bot, "/challenge join", "ann")
    day = NOW.date()

    async def window_ids(user: str) -> list[int]:
        async with bot.uow(readonly=True) as u:
            found = await find_runner(u, "console", user)
            assert found is not None
            window = await u.logbook.window(found.id, day, day, day, day, ACTIVE)
            return window.challenge_ids

    async with bot.uow(readonly=True) as u:
        (miles,) = (await u.session.scalars(select(Challenge.id))).all()
    assert await window_ids("ann") == [miles]
    assert await window_ids("bob") == []  # not a member
    await bot.say("/done 5k", user="ann")
    assert await stored(bot) == {"Ann": (5000, 0, 1, 1)}  # the run counted through it
    await admin(bot, "/challenge end")
    assert await window_ids("ann") == []  # ended: nothing counts towards it any more
