"""Stored streak and adherence figures equal the live computation: at once for the member who
logs or undoes a run, and for everyone once time has passed and `refresh_due` has run.

Everyone starts on Monday 2 Nov 2026 (the `clock` fixture), in the group "club-1".
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update

from core.clubs.figures import plan_figures, scope_of
from core.clubs.totals import refresh_due
from core.storage import challenges
from core.storage.models import Challenge, ChallengeTotal, Runner
from tests.support.testbot import TestBot

CLUB = "club-1"
START = "/start level=beginner days=mon,wed,sat tz={tz} units=km"
ZONES = {"ann": "UTC", "bob": "Pacific/Auckland", "cat": "America/Los_Angeles"}

Figures = tuple[int, int, int]  # adherence done, adherence due, streak


async def set_up(bot: TestBot) -> None:
    for user, tz in ZONES.items():
        assert "Welcome" in await bot.say(START.format(tz=tz), user=user)
    for name, metric in (("Streaks", "streak"), ("Plans", "adherence")):
        await bot.say(f"/challenge new {name} metric={metric} until=2026-11-30", user="olga",
                      group=CLUB, admin=True)
    for user in ZONES:
        for number in (1, 2):
            await bot.say(f"/challenge join {number}", user=user, group=CLUB)


async def figures(bot: TestBot, name: str, now: datetime) -> tuple[dict[str, Figures],
                                                                    dict[str, Figures]]:
    """(stored, computed live at `now`) per member name, for the challenge's own metric."""
    async with bot.uow(readonly=True) as u:
        challenge_id = await u.session.scalar(select(Challenge.id).where(Challenge.name == name))
        assert challenge_id is not None
        challenge = await challenges.challenge(u, challenge_id)
        assert challenge is not None
        names = {rid: name for rid, name in
                 await u.session.execute(select(Runner.id, Runner.display_name))}
        ct = ChallengeTotal
        stored = {names[rid]: (done, due, streak) for rid, done, due, streak in
                  await u.session.execute(
                      select(ct.runner_id, ct.adherence_done, ct.adherence_due, ct.streak)
                      .where(ct.challenge_id == challenge.id))}
        live = {names[f.runner_id]: (f.done, f.due, f.streak)
                for f in await plan_figures(u, scope_of(challenge, now), now)}
    return stored, live


async def test_stored_streak_and_adherence_match_the_live_figures(any_bot: TestBot) -> None:
    bot = any_bot
    await set_up(bot)
    run_days = [date(2026, 11, 2), date(2026, 11, 4)]  # Monday and Wednesday
    for day in run_days:
        for user, tz in ZONES.items():
            if user == "cat" and day == run_days[1]:
                continue  # Cat misses Wednesday's run
            bot.at(f"{day} 18:00", tz)
            await bot.say("/done 20min", user=user)
            now = bot.clock.now()
            for name in ("Streaks", "Plans"):  # the member's own row is current at once
                stored, live = await figures(bot, name, now)
                assert stored[user.title()] == live[user.title()], (name, user, day)

    bot.at("2026-11-06 12:00")  # days later: nobody logged, every row is out of date
    now = bot.clock.now()
    stored, live = await figures(bot, "Plans", now)
    assert stored != live
    async with bot.uow() as u:
        assert await refresh_due(u, now, budget=1) == 1  # bounded: one challenge per call
        assert await refresh_due(u, now) == 1
        assert await refresh_due(u, now) == 0  # nothing over an hour old any more
    for name in ("Streaks", "Plans"):
        stored, live = await figures(bot, name, now)
        assert stored == live, name
    stored, _ = await figures(bot, "Plans", now)
    assert stored["Ann"] == (2, 2, 0) and stored["Cat"] == (1, 2, 0)
    streaks, _ = await figures(bot, "Streaks", now)
    assert streaks["Ann"][2] > 0 and streaks["Cat"] == (0, 0, 0)

    # Within the hour the rows are left alone; the board then shows the stored figures.
    bot.advance(minutes=30)
    async with bot.uow() as u:
        assert await refresh_due(u, bot.clock.now()) == 0
    lines = await bot.say("/challenge board Plans", user="ann", group=CLUB)
    assert "=1. Ann — 100%" in lines.splitlines()
    assert "3. Cat — 50%" in lines.splitlines()


async def test_undo_and_a_stale_board_read_bring_the_figures_up_to_date(bot: TestBot) -> None:
    await set_up(bot)
    bot.at("2026-11-02 18:00")
    await bot.say("/done 20min", user="ann")
    assert "Removed your run" in await bot.say("/undo", user="ann")
    now = bot.clock.now()
    for name in ("Streaks", "Plans"):
        stored, live = await figures(bot, name, now)
        assert stored["Ann"] == live["Ann"] == (0, 0, 0), name
    # No scheduler running: a board read finding figures over an hour old rebuilds them.
    async with bot.uow() as u:
        await u.session.execute(update(ChallengeTotal).values(figures_at=None))
    bot.at("2026-11-03 09:00")
    assert "Ann — 0%" in await bot.say("/challenge board Plans", user="ann", group=CLUB)
    stored, live = await figures(bot, "Plans", bot.clock.now())
    assert stored == live and stored["Ann"] == (0, 1, 0)
