"""Club challenges as a club lives them: an admin and several members in a group channel.

Everyone starts on Monday 2 Nov 2026 (the `clock` fixture). Transcripts read what members read;
a few checks look at the stored rows where the issue asks for a record (removals, links).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from core.clubs.challenges import finish_due_challenges, weekly_standings
from core.messages import Platform
from core.schedule.tick import ClubFeeds
from core.storage.models import (
    Challenge,
    ChallengeExclusion,
    ChallengeMember,
    PlannedSession,
    RunLog,
    Runner,
)
from tests.support.scheduling import PushHarness, outbox_rows
from tests.support.testbot import TestBot

CLUB = "club-1"
NEW = "/challenge new {name} metric={metric} until=2026-11-30"


async def onboard(bot: TestBot, *users: str, level: str = "beginner",
                  days: str = "mon,wed,sat", tz: str = "UTC") -> None:
    for user in users:
        reply = await bot.say(f"/start level={level} days={days} tz={tz} units=km", user=user)
        assert "Welcome" in reply, reply


async def admin(bot: TestBot, line: str, **kw: object) -> str:
    return await bot.say(line, user="olga", group=CLUB, admin=True, **kw)


async def member(bot: TestBot, line: str, user: str, **kw: object) -> str:
    return await bot.say(line, user=user, group=CLUB, **kw)


async def start_club(bot: TestBot, metric: str = "distance", extra: str = "",
                     name: str = '"November Miles"') -> str:
    reply = await admin(bot, NEW.format(name=name, metric=metric) + (" " + extra if extra else ""))
    assert "New challenge" in reply, reply
    return reply


def board_lines(text: str) -> list[str]:
    """The ranked lines of a board ("1. Ann — 5.0 km")."""
    return [line for line in text.splitlines() if line[:1].isdigit() or line.startswith("=")]


async def runner_id(bot: TestBot, user: str) -> int:
    async with bot.uow(readonly=True) as uow:
        found = await uow.session.scalar(
            select(Runner.id).where(Runner.display_name == user.capitalize()))
        assert found is not None
        return found


# --- starting, joining, the board ------------------------------------------------------------


async def test_challenges_live_in_a_group(bot: TestBot) -> None:
    reply = await bot.say("/challenge join")
    assert "Challenges live in your club's group or server channel" in reply


async def test_a_club_races_on_one_board(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob", "cat")
    refused = await member(bot, NEW.format(name="Mine", metric="distance"), "bob")
    assert "Only the group's admins can start a challenge" in refused

    created = await start_club(bot, extra="team=50")
    assert (
        "🏁 New challenge: November Miles — distance run, until Mon 30 Nov."
    ) in created.splitlines()
    assert "together to 50 km" in created.splitlines()
    for user in ("ann", "bob", "cat"):
        joined = await member(bot, "/challenge join", user)
        assert f"Welcome to November Miles, {user.capitalize()}!" in joined
        assert "Your runs count from today (Mon 2 Nov)" in joined
    assert "already in November Miles" in await member(bot, "/challenge join", "ann")

    await bot.say("/done 5k 30:00", user="ann")
    await bot.say("/done 10k 55:00", user="bob")
    bot.advance(days=1)
    await bot.say("/done 3k 18:00", user="ann")
    await bot.say("/done 40min", user="cat")  # no distance: adds nothing to a distance board

    text = await member(bot, "/challenge board", "cat")
    [reply] = bot.last
    assert board_lines(text) == ["1. Bob — 10.0 km", "2. Ann — 8.0 km", "3. Cat — 0.0 km"]
    assert "Together to 50 km: 18.0 km — 36%\n▓▓▓░░░░░░░" in text
    assert "🏆 November Miles · distance · until Mon 30 Nov (28 days to go)" in text.splitlines()
    [image] = reply.attachments
    assert image.mime == "image/png" and image.content.startswith(b"\x89PNG")


async def test_distances_read_in_the_viewers_units(bot: TestBot) -> None:
    await bot.say("/start level=beginner days=mon,wed,sat tz=UTC units=mi", user="ann")
    await onboard(bot, "bob")
    await start_club(bot)
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 10k 55:00", user="bob")
    assert board_lines(await member(bot, "/challenge board", "ann"))[0] == "1. Bob — 6.2 mi"
    assert board_lines(await member(bot, "/challenge board", "bob"))[0] == "1. Bob — 10.0 km"


async def test_runs_count_from_the_join_day_and_only_the_runners_own(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await start_club(bot)
    await bot.say("/done 8k 45:00", user="ann")  # before joining, today
    bot.advance(days=1)
    await bot.say("/done yesterday 20min", user="bob")
    await member(bot, "/challenge join", "ann")
    await member(bot, "/challenge join", "bob")
    await bot.say("/done yesterday 7k 40:00", user="ann")  # a day before she joined
    await bot.say("/done 5k 28:00 for bob", user="ann")  # a note: still Ann's run
    text = await member(bot, "/challenge board", "bob")
    assert board_lines(text) == ["1. Ann — 5.0 km", "2. Bob — 0.0 km"]


async def test_the_join_day_is_the_members_own_local_date(bot: TestBot) -> None:
    """Auckland is a day ahead of UTC, Los Angeles a day behind: each member's own calendar
    decides which runs came after joining (the day-boundary cases of the board query)."""
    await onboard(bot, "kiri", tz="Pacific/Auckland")
    await onboard(bot, "lou", tz="America/Los_Angeles")
    await onboard(bot, "uma", tz="UTC")
    await start_club(bot)
    bot.at("2026-11-03 11:00", "Pacific/Auckland")  # Mon 2 Nov 22:00 UTC
    await bot.say("/done yesterday 4k 24:00", user="kiri")  # Mon 2 Nov in Auckland: before
    await bot.say("/done yesterday 4k 24:00", user="uma")  # Sun 1 Nov in UTC: before
    await bot.say("/done 3k 18:00", user="lou")  # Mon 2 Nov in LA (14:00): counts
    for user in ("kiri", "lou", "uma"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 1k 6:00", user="kiri")  # Tue 3 Nov in Auckland: counts
    await bot.say("/done 2k 12:00", user="uma")  # Mon 2 Nov in UTC: counts
    text = await member(bot, "/challenge board", "uma")
    assert board_lines(text) == ["1. Lou — 3.0 km", "2. Uma — 2.0 km", "3. Kiri — 1.0 km"]


async def test_ties_share_a_rank_and_the_first_there_leads(bot: TestBot) -> None:
    await onboard(bot, "ann", "bob", "cat")
    await start_club(bot)
    for user in ("ann", "bob", "cat"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 5k 30:00", user="cat")
    bot.advance(hours=1)
    await bot.say("/done 5k 29:00", user="ann")
    await bot.say("/done 2k 12:00", user="bob")
    assert board_lines(await member(bot, "/challenge board", "bob")) == [
        "=1. Cat — 5.0 km", "=1. Ann — 5.0 km", "3. Bob — 2.0 km"]


async def test_a_member_below_the_top_ten_sees_their_own_place(bot: TestBot) -> None:
    users = [f"runner{i:02d}" for i in range(1, 13)]
    await onboard(bot, *users)
    await start_club(bot)
    for i, user in enumerate(users, 1):
        await member(bot, "/challenge join", user)
        await bot.say(f"/done {13 - i}k {(13 - i) * 6}:00", user=user)
    text = await member(bot, "/challenge board", "runner12")
    assert len(board_lines(text)) == 10
    assert "You: #12 of 12 — 1.0 km" in text
    assert "You:" not in await member(bot, "/challenge board", "runner03")


async def test_names_are_shown_as_typed_never_as_markup(bot: TestBot) -> None:
    await onboard(bot, "<i>eve</i>", "$x^2$")
    await start_club(bot, name='"<b>Big</b> & bold"')
    for user in ("<i>eve</i>", "$x^2$"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 2k 12:00", user="<i>eve</i>")
    [reply] = await bot.replies("/challenge board", user="$x^2$", group=CLUB)
    assert "1. &lt;i&gt;eve&lt;/i&gt; — 2.0 km\n2. $x^2$ — 0.0 km" in reply.text
    assert "&lt;b&gt;Big&lt;/b&gt; &amp; bold" in reply.text
    assert reply.attachments[0].content.startswith(b"\x89PNG")  # no math parsing of "$"


# --- several challenges, leaving, deleting -------------------------------------------------


async def test_several_challenges_at_once(bot: TestBot) -> None:
    await onboard(bot, "ann")
    await start_club(bot)
    await start_club(bot, metric="time", name="Hours")
    assert "A challenge with that name is already running here" in await admin(
        bot, NEW.format(name="hours", metric="sessions"))
    listed = await member(bot, "/challenge list", "ann")
    assert "1. November Miles · distance · until Mon 30 Nov (29 days to go) · 0 members" in listed
    assert "2. Hours · time · until Mon 30 Nov (29 days to go) · 0 members" in listed.splitlines()
    which = await member(bot, "/challenge join", "ann")
    assert "Which challenge? 1. November Miles · 2. Hours" in which
    assert "Welcome to Hours" in await member(bot, "/challenge join 2", "ann")
    assert "Welcome to November Miles" in await member(bot, "/challenge join nov", "ann")
    await bot.say("/done 1h10", user="ann")
    board = await member(bot, "/challenge board hours", "ann")
    assert board_lines(board) == ["1. Ann — 1 h 10 min"]
    assert "1 member" in await member(bot, "/challenge list", "ann")


async def test_leaving_takes_a_member_off_the_board(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await start_club(bot)
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
        await bot.say("/done 3k 18:00", user=user)
    left = await member(bot, "/challenge leave", "bob")
    assert "You've left November Miles and are off its board" in left
    assert board_lines(await member(bot, "/challenge board", "ann")) == ["1. Ann — 3.0 km"]
    assert "You're not in November Miles" in await member(bot, "/challenge leave", "bob")


async def test_deleteme_removes_a_member_from_every_board(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await start_club(bot)
    await start_club(bot, metric="sessions", name="Days")
    for user in ("ann", "bob"):
        await member(bot, "/challenge join 1", user)
        await member(bot, "/challenge join 2", user)
        await bot.say("/done 3k 18:00", user=user)
    await bot.say("/deleteme", user="bob")
    await bot.say("/deleteme confirm", user="bob")
    assert board_lines(await member(bot, "/challenge board 1", "ann")) == ["1. Ann — 3.0 km"]
    assert board_lines(await member(bot, "/challenge board 2", "ann")) == ["1. Ann — 1 session"]
    async with bot.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(ChallengeMember)) == 2


# --- abuse: duplicates, removals ------------------------------------------------------------


async def test_duplicates_count_once_and_admins_remove_runs_on_record(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", "bob")
    await start_club(bot)
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 10k 50:00", user="bob")
    bot.advance(minutes=30)
    await bot.say("/done 10k 50:00 again", user="bob")  # the same run, logged twice
    await bot.say("/done 21k 1:30:00", user="bob")
    await bot.say("/done 4k 24:00", user="ann")
    assert board_lines(await member(bot, "/challenge board", "ann"))[0] == "1. Bob — 31.0 km"

    assert "Only the group's admins can review" in await member(bot, "/challenge logs bob", "ann")
    logs = await admin(bot, "/challenge logs Bob")
    assert "Bob — runs that can count here, newest first:" in logs
    async with bot.uow(readonly=True) as uow:
        long_run = await uow.session.scalar(select(RunLog.id).where(RunLog.distance_m == 21000))
    assert f"#{long_run} Mon 2 Nov — 21.0 km · 90 min" in logs

    assert "Only the group's admins can remove runs" in await member(
        bot, f"/challenge remove {long_run} fake", "ann")
    removed = await admin(bot, f"/challenge remove {long_run} no GPS, pace looks off")
    assert (f"Removed run #{long_run} (Bob, Mon 2 Nov — 21.0 km · 90 min) from November Miles."
            " Reason: no GPS, pace looks off. Recorded by Olga.") in removed
    assert "already removed" in await admin(bot, f"/challenge remove {long_run}")
    assert board_lines(await member(bot, "/challenge board", "ann")) == [
        "1. Bob — 10.0 km", "2. Ann — 4.0 km"]
    assert "removed: no GPS, pace looks off" in await admin(bot, "/challenge logs bob")
    async with bot.uow(readonly=True) as uow:
        record = await uow.session.scalar(select(ChallengeExclusion))
        assert record is not None
        assert record.removed_by == await runner_id(bot, "olga")
        assert (record.run_log_id, record.reason) == (long_run, "no GPS, pace looks off")
        assert record.removed_at == bot.clock.now()
    assert "doesn't count in any challenge running here" in await admin(
        bot, "/challenge remove 99999")


async def test_world_record_paces_never_reach_a_board(bot: TestBot) -> None:
    await onboard(bot, "ann")
    await start_club(bot)
    await member(bot, "/challenge join", "ann")
    refused = await bot.say("/done 5k 9:00", user="ann")
    assert refused == (
        "5 km in 9:00 would beat the world record (12:35), so I think that's a typo. If you meant "
        "hours, try /done 5k 9:00:00."
    )
    assert board_lines(await member(bot, "/challenge board", "ann")) == ["1. Ann — 0.0 km"]


# --- fair across levels ---------------------------------------------------------------------


async def planned_run_days(bot: TestBot, user: str, first: date, last: date) -> list[date]:
    rid = await runner_id(bot, user)
    async with bot.uow(readonly=True) as uow:
        rows = await uow.session.scalars(
            select(PlannedSession.date).where(
                PlannedSession.runner_id == rid, PlannedSession.run_minutes > 0,
                PlannedSession.date.between(first, last)).order_by(PlannedSession.date))
        return list(rows)


async def test_adherence_lets_a_beginner_and_a_miler_share_a_board(any_bot: TestBot) -> None:
    bot = any_bot
    await onboard(bot, "ann", level="beginner", days="mon,wed,sat")
    await onboard(bot, "bob", level="competitive", days="mon,tue,wed,thu,fri,sat")
    await onboard(bot, "cat", level="improving", days="mon,wed,fri,sun")
    await start_club(bot, metric="adherence", extra="goal=80")
    for user in ("ann", "bob", "cat", "dan"):
        joined = await member(bot, "/challenge join", user)
    assert "send me /start privately to get a plan — adherence is measured against it" in joined
    first, last = date(2026, 11, 2), date(2026, 11, 7)
    plans = {user: await planned_run_days(bot, user, first, last) for user in ("ann", "bob",
                                                                               "cat")}
    assert len(plans["bob"]) > len(plans["ann"])  # different loads, the same yardstick
    for offset in range(6):
        day = first + timedelta(days=offset)
        bot.at(f"{day} 19:00")
        for user, days in plans.items():
            if day in days and not (user == "cat" and day == days[0]):
                await bot.say("/done 20min", user=user)
    bot.at("2026-11-08 09:00")  # Sunday morning: Saturday is over, today is pending
    text = await member(bot, "/challenge board", "ann")
    cat_share = round(100 * (len(plans["cat"]) - 1) / len(plans["cat"]))
    assert board_lines(text) == [
        "=1. Ann — 100% ✓", "=1. Bob — 100% ✓", f"3. Cat — {cat_share}%", "4. Dan — —"]
    assert "Goal reached by 2 of 4." in text


async def test_a_planned_run_counts_against_adherence_once_its_day_is_over(bot: TestBot) -> None:
    await onboard(bot, "ann", level="beginner", days="mon,wed,sat")
    await start_club(bot, metric="adherence")
    await member(bot, "/challenge join", "ann")
    [monday] = await planned_run_days(bot, "ann", date(2026, 11, 2), date(2026, 11, 2))
    assert board_lines(await member(bot, "/challenge board", "ann")) == ["1. Ann — —"]
    bot.at(f"{monday + timedelta(days=1)} 08:00")
    assert board_lines(await member(bot, "/challenge board", "ann")) == ["1. Ann — 0%"]
    await bot.say("/done yesterday 20min", user="ann")
    assert board_lines(await member(bot, "/challenge board", "ann")) == ["1. Ann — 100%"]


async def test_streaks_count_from_joining_and_break_on_a_missed_run(bot: TestBot) -> None:
    await onboard(bot, "ann", "bob", level="beginner", days="mon,wed,sat")
    await start_club(bot, metric="streak")
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
    days = await planned_run_days(bot, "ann", date(2026, 11, 2), date(2026, 11, 8))
    for day in days[:2]:
        bot.at(f"{day} 18:00")
        for user in ("ann", "bob"):
            await bot.say("/done 20min", user=user)
    bot.at(f"{days[1]} 20:00")
    before = board_lines(await member(bot, "/challenge board", "ann"))
    streak = (days[1] - days[0]).days + 1
    assert before == [f"=1. Ann — {streak} days", f"=1. Bob — {streak} days"]
    bot.at(f"{days[2]} 18:00")
    await bot.say("/done 20min", user="ann")  # Bob misses his next planned run
    bot.at(f"{days[2] + timedelta(days=1)} 09:00")
    after = board_lines(await member(bot, "/challenge board", "ann"))
    assert after == [f"1. Ann — {(days[2] - days[0]).days + 2} days", "2. Bob — 0 days"]


# --- ending, results, scheduled posts -------------------------------------------------------


async def test_an_admin_ends_a_challenge_with_a_podium(bot: TestBot) -> None:
    await onboard(bot, "ann", "bob", "cat", "dan")
    await start_club(bot, extra="team=20")
    for user, run in (("ann", "5k 30:00"), ("bob", "8k 44:00"), ("cat", "5k 31:00"),
                      ("dan", "2k 12:00")):
        await member(bot, "/challenge join", user)
        await bot.say(f"/done {run}", user=user)
    assert "Only the group's admins can end a challenge" in await member(
        bot, "/challenge end", "ann")
    final = await admin(bot, "/challenge end")
    assert "🏁 November Miles is over! Final results" in final
    assert "🥇 Bob — 8.0 km\n🥈 Ann — 5.0 km\n🥈 Cat — 5.0 km\n4. Dan — 2.0 km" in final
    assert "Together to 20 km: 20.0 km — 100%" in final
    assert "🎉 Congratulations, Bob! And the team goal is reached" in final
    assert "No challenge is running here yet" in await member(bot, "/challenge list", "ann")


async def test_standings_every_sunday_and_results_when_it_ends(bot: TestBot) -> None:
    await onboard(bot, "ann", "bob")
    reply = await admin(bot, "/challenge new Sprint metric=distance until=2026-11-10")
    assert "🏁 New challenge: Sprint — distance run, until Tue 10 Nov." in reply.splitlines()
    for user in ("ann", "bob"):
        await member(bot, "/challenge join", user)
    await bot.say("/done 6k 33:00", user="ann")
    await bot.say("/done 4k 24:00", user="bob")
    feeds = ClubFeeds(weekly=weekly_standings, finals=finish_due_challenges, tz="UTC")
    h = PushHarness(bot, clubs=feeds)

    await h.run_days("2026-11-08", "2026-11-08", "UTC")
    [weekly] = h.of("club_recap")
    assert weekly.chat_id == CLUB and weekly.local("UTC") == "2026-11-08 18:00"
    assert "📊 Weekly standings" in weekly.text.splitlines()
    assert "1. Ann — 6.0 km\n2. Bob — 4.0 km" in weekly.text
    [row] = await outbox_rows(bot, kind="club_recap")
    assert row.payload["attachments"][0][1] == "image/png"

    await h.run_days("2026-11-10", "2026-11-10", "UTC")
    assert h.of("club_final") == []  # its last day is still on
    await h.run_days("2026-11-11", "2026-11-12", "UTC")
    [final] = h.of("club_final")  # once, at the first tick after the last day
    assert final.local("UTC") == "2026-11-11 00:30"
    assert (
        "🏁 Sprint is over! Final results (distance, until Tue 10 Nov):"
    ) in final.text.splitlines()
    assert "🥇 Ann — 6.0 km" in final.text.splitlines()
    async with bot.uow(readonly=True) as uow:
        challenge = await uow.session.scalar(select(Challenge))
        assert challenge is not None and challenge.status == "ended"
    await h.run_days("2026-11-15", "2026-11-15", "UTC")
    assert len(h.of("club_recap")) == 1  # nothing running: no more standings


# --- one club across platforms --------------------------------------------------------------


async def test_a_telegram_group_and_a_discord_channel_share_one_board(any_bot: TestBot) -> None:
    bot = any_bot
    tg = {"group": "tg-harriers", "platform": Platform.TELEGRAM}
    dc = {"group": "dc-harriers", "platform": Platform.DISCORD}
    await bot.say("/start level=beginner days=mon,wed,sat tz=UTC units=km", user="ann",
                  platform=Platform.TELEGRAM)
    await bot.say("/start level=beginner days=mon,wed,sat tz=UTC units=km", user="bob",
                  platform=Platform.DISCORD)
    created = await bot.say(NEW.format(name="Harriers", metric="distance"), user="olga",
                            admin=True, **tg)
    assert "🏁 New challenge: Harriers — distance run, until Mon 30 Nov." in created.splitlines()
    await bot.say("/challenge new Local metric=sessions until=2026-11-20", user="dave",
                  admin=True, **dc)

    assert "Only the group's admins can link" in await bot.say("/challenge link", user="ann",
                                                              **tg)
    offer = await bot.say("/challenge link", user="olga", admin=True, **tg)
    code = offer.split("Link code: ")[1][:6]
    assert f"Paste /challenge link {code} in your Discord channel" in offer
    bot.advance(minutes=10)
    assert "unknown or has expired" in await bot.say("/challenge link ZZZZZZ", user="dave",
                                                     admin=True, **dc)
    linked = await bot.say(f"/challenge link {code.lower()}", user="dave", admin=True, **dc)
    assert "Linked! This channel is now part of the club tg-harriers" in linked
    assert "Challenges running: Harriers, Local" in linked
    assert "unknown or has expired" in await bot.say(f"/challenge link {code}", user="dave",
                                                     admin=True, **dc)  # used up

    await bot.say("/challenge join harriers", user="ann", **tg)
    await bot.say("/challenge join harriers", user="bob", **dc)
    await bot.say("/done 5k 30:00", user="ann", platform=Platform.TELEGRAM)
    await bot.say("/done 7k 40:00", user="bob", platform=Platform.DISCORD)
    for where in (tg, dc):
        text = await bot.say("/challenge board harriers", user="ann", **where)
        assert board_lines(text) == ["1. Bob — 7.0 km", "2. Ann — 5.0 km"]

    await bot.say("/challenge end harriers", user="dave", admin=True, **dc)
    [posted] = await outbox_rows(bot, kind="club_final")
    assert (posted.platform, posted.chat_id) == ("telegram", "tg-harriers")
    assert "<b>Harriers</b> is over!" in posted.payload["text"] and posted.payload["group"] is True


async def test_link_codes_expire_after_fifteen_minutes(bot: TestBot) -> None:
    offer = await bot.say("/challenge link", user="olga", admin=True, group="tg",
                          platform=Platform.TELEGRAM)
    code = offer.split("Link code: ")[1][:6]
    bot.advance(minutes=16)
    reply = await bot.say(f"/challenge link {code}", user="dave", admin=True, group="dc",
                          platform=Platform.DISCORD)
    assert f"The code {code} is unknown or has expired (codes last 15 minutes)" in reply
    same = await bot.say("/challenge link", user="olga", admin=True, group="tg",
                         platform=Platform.TELEGRAM)
    code2 = same.split("Link code: ")[1][:6]
    assert "already belongs to that club" in await bot.say(
        f"/challenge link {code2}", user="olga", admin=True, group="tg",
        platform=Platform.TELEGRAM)


# --- what admins type -----------------------------------------------------------------------


async def test_new_explains_what_it_needs(bot: TestBot) -> None:
    assert "metric= is one of distance, time, sessions, streak, adherence" in await admin(
        bot, "/challenge new Miles metric=speed until=2026-11-30")
    assert "needs a name, metric= and until=" in await admin(
        bot, "/challenge new Miles metric=distance")
    assert "must be after today" in await admin(
        bot, "/challenge new Miles metric=distance until=2026-11-01")
    assert "at most a year" in await admin(
        bot, "/challenge new Miles metric=distance until=2028-01-01")
    assert "works with distance, time or sessions" in await admin(
        bot, "/challenge new Miles metric=streak until=2026-11-30 team=100")
    assert "I don't know the setting colour=" in await admin(
        bot, "/challenge new Miles metric=distance until=2026-11-30 colour=red")
    created = await admin(
        bot, "/challenge new “Winter Hours” metric=time until=sun goal=5h team=20 tz=Berlin")
    assert "New challenge: Winter Hours — time spent running, until Sun 8 Nov." in created
    assert "goal: 5 h each · together to 20 h" in created
    assert "midnight Europe/Berlin time" in created
    async with bot.uow(readonly=True) as uow:
        challenge = await uow.session.scalar(select(Challenge))
        assert challenge is not None
        assert (challenge.goal, challenge.team_goal, challenge.tz) == (300.0, 1200.0,
                                                                       "Europe/Berlin")
    assert "I don't know /challenge fly" in await admin(bot, "/challenge fly")
    assert "Club challenges" in await member(bot, "/challenge", "ann")
