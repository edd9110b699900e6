"""The scheduler as runners live it: a fake clock stepping through days, pushes arriving.

Each test onboards through the chat, then lets `PushHarness` tick and drain as the scheduler's
jobs would, and asserts on what the runner received and when.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from core.clubs.announcements import ClubFeeds
from core.delivery import DeliveryError
from core.messages import Reply
from core.schedule import outbox
from core.storage.models import Identity, Plan, PlannedSession
from core.storage.unit_of_work import UnitOfWork
from tests.support.scheduling import (
    PushHarness,
    make_run_day,
    outbox_rows,
    planned,
    runner_id,
)
from tests.support.testbot import TestBot

NY = "America/New_York"
START = "/start level=improving days=mon,wed,fri,sun time=07:00 tz=America/New_York units=km"


async def onboard(bot: TestBot, line: str = START, user: str = "ann") -> None:
    reply = await bot.say(line, user=user)
    assert "Welcome to Pacer" in reply, reply


async def test_a_week_of_pushes_each_exactly_once(any_bot: TestBot) -> None:
    bot = any_bot
    bot.at("2026-11-01 20:00", NY)  # Sunday evening
    await onboard(bot)
    plan = await planned(bot)
    h = PushHarness(bot)
    await h.run_days("2026-11-02", "2026-11-03", NY)
    await h.run_days("2026-11-04", "2026-11-04", NY, ("06:00", "07:00", "18:00"))
    # Wednesday's run, before the nudge
    assert "✓ Logged today: 30 min" in (await bot.say("/done 30min")).splitlines()
    await h.run_days("2026-11-04", "2026-11-08", NY)

    keys = [p.key for p in h.pushes]
    assert len(keys) == len(set(keys))  # nothing twice
    sessions = {p.key.rsplit(":", 1)[1]: p for p in h.of("session")}
    expected = {d.isoformat() for d, (kind, _) in plan.items()
                if date(2026, 11, 2) <= d <= date(2026, 11, 8) and kind != "rest"}
    assert set(sessions) == expected
    for push in sessions.values():
        assert push.local(NY).endswith("07:00")
    monday = sessions["2026-11-02"]
    assert "Good morning, Ann! Here's today's session:" in monday.text.splitlines()
    assert "Mon 2 Nov · Easy run" in monday.text.splitlines()
    assert monday.buttons == ("/done", "/skip")

    nudged = {p.key.rsplit(":", 1)[1] for p in h.of("nudge")}
    unlogged_runs = {d.isoformat() for d, (_, minutes) in plan.items()
                     if minutes > 0 and date(2026, 11, 2) <= d <= date(2026, 11, 8)}
    assert nudged == unlogged_runs - {"2026-11-04"}  # Wednesday was logged before 19:00
    assert all(p.local(NY)[11:] >= "19:00" for p in h.of("nudge"))

    [recap] = h.of("recap")
    assert recap.local(NY) == "2026-11-08 18:00"
    assert "Your week, Ann (Mon 2 Nov – Sun 8 Nov)" in recap.text.splitlines()
    assert "Sessions: 1 of 4 done" in recap.text.splitlines()


async def test_a_runner_who_starts_after_their_reminder_time_is_not_sent_the_session_again(
    bot: TestBot,
) -> None:
    bot.at("2026-11-02 08:30", NY)  # Monday, a run day, after the 07:00 reminder
    welcome = await bot.say(START)
    # today's session is in it
    assert "Welcome to Pacer, Ann! Here is your setup:" in welcome.splitlines()
    assert "Today · Mon 2 Nov · Easy run" in welcome.splitlines()
    h = PushHarness(bot)
    pushes = await h.run_until("2026-11-04 08:00", NY)  # Tuesday is a rest day
    assert [p.local(NY) for p in pushes if p.kind == "session"] == ["2026-11-04 07:00"]
    [row] = await outbox_rows(bot, key=f"session:{await runner_id(bot)}:2026-11-02")
    assert row.status == outbox.SKIPPED and row.sent_at is None


async def test_a_runner_who_starts_before_their_reminder_time_gets_the_push_then(
    bot: TestBot,
) -> None:
    bot.at("2026-11-02 06:00", NY)
    await onboard(bot)
    h = PushHarness(bot)
    pushes = await h.run_until("2026-11-02 08:00", NY)
    assert [p.local(NY) for p in pushes if p.kind == "session"] == ["2026-11-02 07:00"]


async def test_session_goes_out_late_after_downtime_but_a_whole_day_late_is_stale(
    bot: TestBot,
) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    h = PushHarness(bot)

    bot.at("2026-11-02 09:00", NY)  # the bot was down from before 07:00 until 09:00
    [session] = await h.run_until("2026-11-02 09:00", NY)
    assert session.kind == "session"
    assert session.local(NY) == "2026-11-02 09:00"

    bot.at("2026-11-04 23:00", NY)  # down the whole of Wednesday
    pushes = await h.run_until("2026-11-04 23:00", NY)
    assert pushes == []
    assert h.ticks[-1].stale == 2  # Wednesday's 07:00 session and its 19:00 nudge
    [row] = await outbox_rows(bot, key=f"session:{await runner_id(bot)}:2026-11-04")
    assert row.status == outbox.STALE and row.sent_at is None


async def test_nudge_never_after_nine_and_not_once_logged_or_skipped(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    h = PushHarness(bot)
    await h.run_days("2026-11-02", "2026-11-02", NY)
    [nudge] = h.of("nudge")
    assert nudge.local(NY) == "2026-11-02 19:00"
    assert "Evening check-in, Ann: today's Easy run isn't logged yet." in nudge.text.splitlines()
    assert nudge.buttons == ("/done", "/skip")

    # Wednesday: the nudge is queued at 19:00, the runner logs before it is sent.
    bot.at("2026-11-04 19:00", NY)
    await h.step(drain=False)
    assert "✓ Logged today: 25 min" in (await bot.say("/done 25min")).splitlines()
    await h.step(tick=False)
    assert h.drains[-1].cancelled == 1
    assert [p for p in h.of("nudge") if "2026-11-04" in p.key] == []

    # Friday: skipped in the morning, so no nudge at all.
    bot.at("2026-11-06 08:00", NY)
    assert (
        "↷ Skipped today's Fartlek: 6 × 1 min surges (reason: busy day). Rest well."
    ) in (await bot.say("/skip busy day")).splitlines()
    await h.run_days("2026-11-06", "2026-11-06", NY, ("19:00", "20:00", "20:59"))
    assert [p for p in h.of("nudge") if "2026-11-06" in p.key] == []

    # Monday 9 Nov: the bot comes up at 21:30: too late to nudge.
    bot.at("2026-11-09 21:30", NY)
    await h.run_until("2026-11-09 21:30", NY)
    assert [p for p in h.of("nudge") if "2026-11-09" in p.key] == []
    [late] = await outbox_rows(bot, key=f"nudge:{await runner_id(bot)}:2026-11-09")
    assert late.status == outbox.STALE


async def test_quiet_mode_keeps_the_session_and_drops_nudges_and_recaps(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    assert "Quiet mode: off → on" in (await bot.say("/settings quiet=on")).splitlines()
    h = PushHarness(bot)
    await h.run_days("2026-11-02", "2026-11-08", NY)
    assert {p.kind for p in h.pushes} == {"session"}


async def test_nudges_off_keeps_the_recap(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot, START + " nudges=off")
    h = PushHarness(bot)
    await h.run_days("2026-11-02", "2026-11-08", NY)
    assert {p.kind for p in h.pushes} == {"session", "recap"}


async def test_blocked_runner_gets_nothing_until_they_write_again(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    h = PushHarness(bot, failures=[DeliveryError("blocked", "Forbidden: bot was blocked")])
    bot.at("2026-11-02 07:00", NY)
    await h.step()
    assert h.drains[-1].blocked == 1 and h.pushes == []
    async with bot.uow(readonly=True) as uow:
        reachable, reason = (
            await uow.session.execute(select(Identity.reachable, Identity.unreachable_reason))
        ).one()
    assert reachable is False
    assert reason == "Forbidden: bot was blocked"
    [row] = await outbox_rows(bot, kind="session")
    assert row.status == outbox.DEAD and row.last_error == "blocked: Forbidden: bot was blocked"

    await h.run_days("2026-11-02", "2026-11-04", NY)
    assert h.pushes == []
    assert len(await outbox_rows(bot)) == 1  # unreachable runners are not even queued

    # writing again makes them reachable
    assert "Today · Wed 4 Nov · Fartlek: 6 × 30 s surges" in (await bot.say("/today")).splitlines()
    bot.at("2026-11-06 06:00", NY)
    await h.run_until("2026-11-06 08:00", NY)
    assert [p.kind for p in h.pushes] == ["session"]


async def test_transient_errors_back_off_then_succeed(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    flaky = DeliveryError("transient", "502 Bad Gateway")
    h = PushHarness(bot, failures=[flaky, flaky])
    bot.at("2026-11-02 07:00", NY)
    await h.step()
    [row] = await outbox_rows(bot, kind="session")
    first_retry = row.next_attempt_at - bot.clock.now()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "transient: 502 Bad Gateway"
    assert timedelta(seconds=5) <= first_retry <= timedelta(seconds=10)  # 10 s base, jittered

    await h.step()  # not yet due again: nothing is attempted
    assert h.messenger.calls == 1
    bot.clock.set(row.next_attempt_at)
    await h.step()
    [row] = await outbox_rows(bot, kind="session")
    second_retry = row.next_attempt_at - bot.clock.now()
    assert row.attempts == 2
    assert timedelta(seconds=10) <= second_retry <= timedelta(seconds=20)  # doubled

    bot.clock.set(row.next_attempt_at)
    await h.step()
    [row] = await outbox_rows(bot, kind="session")
    assert (row.status, row.attempts) == ("sent", 3)
    assert [p.kind for p in h.pushes] == ["session"]


async def test_retry_after_is_honoured(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    h = PushHarness(bot, failures=[DeliveryError("retry_after", "429", retry_after=42)])
    bot.at("2026-11-02 07:00", NY)
    await h.step()
    [row] = await outbox_rows(bot, kind="session")
    assert row.next_attempt_at == bot.clock.now() + timedelta(seconds=42)
    bot.clock.advance(timedelta(seconds=42))
    await h.step()
    assert [p.kind for p in h.pushes] == ["session"]


async def test_dead_letters_keep_the_reason(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    await onboard(bot, user="bob")
    down = DeliveryError("transient", "timed out")
    h = PushHarness(
        bot, max_attempts=3,
        failures=[DeliveryError("permanent", "Bad Request: can't parse entities"), down,
                  down, down],
    )
    bot.at("2026-11-02 07:00", NY)
    for _ in range(4):
        await h.step()
        bot.clock.advance(timedelta(minutes=2))
    rows = {r.chat_id: r for r in await outbox_rows(bot, kind="session")}
    assert rows["ann"].status == outbox.DEAD
    assert rows["ann"].last_error == "permanent: Bad Request: can't parse entities"
    assert rows["ann"].attempts == 1
    assert rows["bob"].status == outbox.DEAD
    assert rows["bob"].last_error == "gave up after 3 attempts: transient: timed out"
    assert h.pushes == []


async def test_dst_spring_forward_reminder_fires_once_at_three(bot: TestBot) -> None:
    bot.at("2026-03-07 12:00", NY)
    await onboard(bot, START.replace("time=07:00", "time=02:30"))
    await make_run_day(bot, date(2026, 3, 8))
    h = PushHarness(bot)
    bot.at("2026-03-08 00:00", NY)
    pushes = await h.run_until("2026-03-08 06:00", NY, every=timedelta(minutes=10))
    [session] = [p for p in pushes if p.kind == "session"]
    assert session.local(NY) == "2026-03-08 03:00"
    assert session.at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


async def test_dst_fall_back_reminder_fires_once(bot: TestBot) -> None:
    bot.at("2026-10-31 12:00", NY)
    await onboard(bot, START.replace("time=07:00", "time=01:30"))
    await make_run_day(bot, date(2026, 11, 1))
    h = PushHarness(bot)
    bot.at("2026-11-01 00:00", NY)
    pushes = await h.run_until("2026-11-01 04:00", NY, every=timedelta(minutes=10))
    [session] = [p for p in pushes if p.kind == "session"]
    assert session.at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first one


async def test_lord_howe_and_kathmandu_runners_share_a_tick(bot: TestBot) -> None:
    bot.at("2026-10-03 09:00", "Australia/Lord_Howe")
    await onboard(bot, START.replace("time=07:00", "time=02:15").replace(
        "America/New_York", "Australia/Lord_Howe"))
    await onboard(bot, START.replace("America/New_York", "Asia/Kathmandu"), user="bob")
    await make_run_day(bot, date(2026, 10, 4))
    await make_run_day(bot, date(2026, 10, 4), user="bob")
    h = PushHarness(bot)
    bot.clock.set(datetime(2026, 10, 3, 15, 0, tzinfo=UTC))
    await h.run_until("2026-10-04 02:00", "UTC", every=timedelta(minutes=15))
    sent = {p.chat_id: p for p in h.of("session") if p.key.endswith("2026-10-04")}
    assert sent["ann"].local("Australia/Lord_Howe") == "2026-10-04 02:30"  # after the gap
    assert sent["bob"].at == datetime(2026, 10, 4, 1, 15, tzinfo=UTC)  # 07:00 at +05:45


async def test_plan_upkeep_before_the_session(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    rid = await runner_id(bot)
    async with bot.uow() as uow:  # the stored plan ran out
        await uow.session.execute(
            PlannedSession.__table__.delete().where(PlannedSession.runner_id == rid)
        )
    h = PushHarness(bot)
    bot.at("2026-11-02 07:00", NY)
    [session] = await h.run_until("2026-11-02 07:00", NY)
    assert "Mon 2 Nov · Easy run" in session.text.splitlines()
    assert h.ticks[-1].plans_updated == 1


async def test_replans_over_budget_wait_for_the_next_tick_without_holding_up_others(
    bot: TestBot,
) -> None:
    bot.at("2026-11-01 20:00", NY)
    for user in ("ann", "bob", "cid"):
        await onboard(bot, user=user)
    async with bot.uow() as uow:  # ann's and bob's stored plans ran out
        for user in ("ann", "bob"):
            await uow.session.execute(PlannedSession.__table__.delete().where(
                PlannedSession.runner_id == await runner_id(bot, user)))
    h = PushHarness(bot, chunk_size=2, replan_budget=1)
    bot.at("2026-11-02 07:00", NY)
    await h.step()
    assert sorted(p.chat_id for p in h.pushes) == ["ann", "cid"]  # bob waits, cid does not
    bot.advance(minutes=1)
    await h.step()
    assert sorted(p.chat_id for p in h.pushes) == ["ann", "bob", "cid"]


async def test_missed_key_session_replans_the_next_morning(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    await onboard(bot, user="bob")
    bot.at("2026-11-04 18:00", NY)
    assert "Logged" in await bot.say("/done 30min", user="bob")  # someone else's run
    rid = await runner_id(bot)
    async with bot.uow() as uow:
        await uow.session.execute(
            update(PlannedSession)
            .where(PlannedSession.runner_id == rid, PlannedSession.date == date(2026, 11, 4))
            .values(key=True)
        )
        plans_before = len((await uow.session.scalars(select(Plan))).all())
    h = PushHarness(bot)
    bot.at("2026-11-05 06:00", NY)  # Wednesday's key session was never logged
    await h.run_until("2026-11-05 07:00", NY)
    async with bot.uow(readonly=True) as uow:
        assert len((await uow.session.scalars(select(Plan))).all()) == plans_before + 1
    assert h.ticks[-1].plans_updated >= 1


async def test_club_feeds_post_weekly_standings_and_final_results_once(bot: TestBot) -> None:
    calls: list[str] = []

    async def weekly(uow: UnitOfWork, now: datetime) -> list[tuple[str, str, Reply]]:
        calls.append("weekly")
        return [("console", "club-1", Reply("<b>Standings</b>\n1. Ann 12.0 km"))]

    async def finals(uow: UnitOfWork, now: datetime) -> list[tuple[str, str, Reply]]:
        calls.append("finals")
        return [("console", "club-1", Reply("October Miles is over!"))] if len(calls) < 3 else []

    h = PushHarness(bot, clubs=ClubFeeds(weekly=weekly, finals=finals, tz="Europe/Berlin"))
    await h.run_days("2026-11-08", "2026-11-09", "Europe/Berlin")  # Sunday and Monday
    assert [p.text for p in h.pushes] == ["October Miles is over!", "Standings\n1. Ann 12.0 km"]
    assert h.pushes[1].local("Europe/Berlin") == "2026-11-08 18:00"
    assert calls.count("weekly") == 1
    [row] = await outbox_rows(bot, kind="club_recap")
    assert row.payload["group"] is True and row.runner_id is None


@pytest.mark.parametrize("step_minutes", [1, 7])
async def test_tick_frequency_does_not_change_what_is_sent(
    bot: TestBot, step_minutes: int
) -> None:
    bot.at("2026-11-01 20:00", NY)
    await onboard(bot)
    h = PushHarness(bot)
    bot.at("2026-11-02 06:50", NY)
    await h.run_until("2026-11-02 07:20", NY, every=timedelta(minutes=step_minutes))
    assert [p.kind for p in h.pushes] == ["session"]


async def test_club_channel_gets_weekly_standings_and_final_results(bot: TestBot) -> None:
    from core.clubs import challenges

    bot.at("2026-11-02 08:00", "UTC")
    await onboard(bot, START.replace("America/New_York", "UTC"))
    new = '/challenge new "November Miles" metric=distance until=2026-11-10'
    assert "New challenge" in await bot.say(new, group="club-1", admin=True)
    assert "Welcome to November Miles" in await bot.say("/challenge join", group="club-1")
    assert (
        "✓ Logged today: 5 km in 28 min · 5:36/km"
    ) in (await bot.say("/done 5k 28:00")).splitlines()
    feeds = ClubFeeds(weekly=challenges.weekly_standings, finals=challenges.finish_due_challenges)
    h = PushHarness(bot, clubs=feeds)
    await h.run_days("2026-11-08", "2026-11-11", "UTC")
    to_club = [p for p in h.pushes if p.chat_id == "club-1"]
    assert [p.kind for p in to_club] == ["club_recap", "club_final"]
    assert to_club[0].local("UTC") == "2026-11-08 18:00"  # Sunday evening
    assert "📊 Weekly standings" in to_club[0].text.splitlines()
    assert "1. Ann — 5.0 km" in to_club[0].text.splitlines()
    assert "November Miles is over" in to_club[1].text
    assert to_club[1].local("UTC").startswith("2026-11-11")  # after its last day, once
