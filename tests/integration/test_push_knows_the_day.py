"""The daily push reflects the day (issue 14, item 5): logged already → a short well-done with
nothing to press (nothing in quiet mode); skipped → nothing; no Done/Skip on a settled day.

Ann trains Mon/Wed/Fri/Sun at 07:00 in New York; she onboards on Sunday evening 1 November.
"""

from __future__ import annotations

from datetime import date

from core.schedule import outbox
from tests.support.scheduling import PushHarness, make_run_day, outbox_rows
from tests.support.testbot import TestBot

NY = "America/New_York"
START = "/start level=improving days=mon,wed,fri,sun time=07:00 tz=America/New_York units=km"
MONDAY = date(2026, 11, 2)


async def onboard(bot: TestBot, line: str = START) -> PushHarness:
    bot.at("2026-11-01 20:00", NY)
    assert "Welcome to Pacer" in await bot.say(line)
    await make_run_day(bot, MONDAY)
    return PushHarness(bot)


async def test_logged_before_the_reminder_gets_a_short_well_done(any_bot: TestBot) -> None:
    h = await onboard(any_bot)
    any_bot.at("2026-11-02 06:46", NY)
    assert "✓ Logged today: 30 min" in (await any_bot.say("/done 30min")).splitlines()
    any_bot.at("2026-11-02 07:00", NY)
    pushes = await h.run_until("2026-11-02 12:00", NY)
    [session] = [p for p in pushes if p.kind == "session"]
    assert session.text == (
        "Already done, Ann: today's Easy run is logged ✓. Nice work — recover well. "
        "See /week for what's next.")
    assert session.buttons == ()
    assert session.local(NY) == "2026-11-02 07:00"


async def test_logged_in_quiet_mode_sends_nothing(bot: TestBot) -> None:
    h = await onboard(bot, START + " quiet=on")
    bot.at("2026-11-02 06:46", NY)
    await bot.say("/done 30min")
    assert await h.run_until("2026-11-02 23:00", NY) == []
    [row] = await outbox_rows(bot, kind="session")
    assert (row.status, row.last_error) == (outbox.SKIPPED, "already logged (quiet mode)")


async def test_skipped_before_the_reminder_sends_nothing(bot: TestBot) -> None:
    h = await onboard(bot)
    bot.at("2026-11-02 06:30", NY)
    assert (
        "↷ Skipped today's Easy run (reason: sore calf). Rest well."
    ) in (await bot.say("/skip sore calf")).splitlines()
    assert [p.kind for p in await h.run_until("2026-11-02 23:00", NY)] == []
    [row] = await outbox_rows(bot, kind="session")
    assert (row.status, row.last_error) == (outbox.SKIPPED, "skipped today")


async def test_a_queued_push_with_buttons_is_dropped_once_the_day_is_logged(
    bot: TestBot,
) -> None:
    h = await onboard(bot)
    bot.at("2026-11-02 07:00", NY)
    await h.step(drain=False)  # due and queued, not yet sent (a slow drain, a retry)
    [row] = await outbox_rows(bot, kind="session")
    assert row.status == outbox.PENDING
    await bot.say("/done 30min")
    await h.step()
    assert h.of("session") == []
    [row] = await outbox_rows(bot, kind="session")
    assert (row.status, row.last_error) == (outbox.CANCELLED, "logged or skipped meanwhile")


async def test_an_unlogged_day_still_gets_the_session_with_buttons(bot: TestBot) -> None:
    h = await onboard(bot)
    await h.run_until("2026-11-02 08:00", NY)
    [session] = h.of("session")
    assert session.buttons == ("/done", "/skip")
    assert "When you've run, tap Done" in session.text
