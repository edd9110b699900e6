"""Command handlers and the dispatcher on the in-memory unit of work: no database.

The same chat as the integration transcripts, through `Pacer` with `FakeUnitOfWorkFactory`
(tests/support/fake_uow.py); the repositories themselves are tested on SQLite and PostgreSQL
in tests/integration.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.app import Pacer
from core.clock import FakeClock
from core.commands.base import Context, UserError
from core.commands.table import COMMANDS, Command, CommandTable
from core.markup import to_plain
from core.messages import Platform, Reply, Request
from core.runners import as_found
from core.storage.runners import Runner
from tests.support.fake_uow import FakeUnitOfWorkFactory

MONDAY = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


class FakeBot:
    """`await bot.say("/sleep 7h")` through the dispatcher, on an in-memory store."""

    def __init__(self, commands: CommandTable = COMMANDS) -> None:
        self.clock = FakeClock(MONDAY)
        self.uow = FakeUnitOfWorkFactory()
        self.pacer = Pacer(self.uow, self.clock, commands=commands)  # type: ignore[arg-type]
        self.update = 0

    @property
    def data(self):  # type: ignore[no-untyped-def]
        return self.uow.store.data

    def add_runner(self, user: str = "ann") -> int:
        runner_id = self.uow.store.add_runner(
            display_name=user, level="improving", training_days="0,2,4,6", tz="UTC",
            units="km", mile_time_s=420.0, onboarded=True, created_at=MONDAY,
            updated_at=MONDAY,
        )
        self.uow.store.add_identity(runner_id, "console", user, f"chat-{user}", MONDAY)
        return runner_id

    async def replies(self, line: str, user: str = "ann", update_id: str | None = None,
                      ) -> list[Reply]:
        command, _, text = line.removeprefix("/").partition(" ")
        if update_id is None:
            self.update += 1
            update_id = str(self.update)
        req = Request(Platform.CONSOLE, user, f"chat-{user}", command.lower(), text,
                      display_name=user, update_id=update_id)
        return await self.pacer.handle(req)

    async def say(self, line: str, user: str = "ann", update_id: str | None = None) -> str:
        replies = await self.replies(line, user, update_id)
        return "\n\n".join(to_plain(r.text) for r in replies)


@pytest.fixture
def bot() -> FakeBot:
    return FakeBot()


async def test_sleep_logs_a_night_replaces_it_and_eases_the_plan(bot: FakeBot) -> None:
    runner_id = bot.add_runner()
    assert await bot.say("/sleep 7.5h") == (
        "😴 Logged 7 h 30 min for last night.\n"
        "7-day average: 7 h 30 min over 1 night."
    )
    assert bot.uow.made[-1].committed
    assert bot.data.sleep[(runner_id, date(2026, 11, 2))][0] == 7.5

    reply = await bot.say("/sleep 5h")
    assert reply.splitlines()[:3] == [
        "😴 Updated last night's sleep: 7 h 30 min → 5 h "
        "(one entry per night; the new one replaces the old).",
        "7-day average: 5 h over 1 night.",
        "That's under 7 hours. Aim for 7–9 h: sleep is when training turns into fitness.",
    ]
    assert [h for (r, _), (h, _) in bot.data.sleep.items() if r == runner_id] == [5.0]
    assert len(bot.data.plans) == 1  # a short night replans


async def test_sleep_refuses_unreadable_hours_and_stores_nothing(bot: FakeBot) -> None:
    bot.add_runner()
    reply = await bot.say("/sleep lots")
    assert reply.startswith("I couldn't read")
    assert bot.data.sleep == {}
    refused = bot.uow.made[0]
    assert refused.rolled_back and refused.committed  # rolled back, then committed empty


async def test_week_shows_planned_done_and_skipped(bot: FakeBot) -> None:
    runner_id = bot.add_runner()
    bot.uow.store.add_log(runner_id, date(2026, 11, 2), MONDAY, 30.0)
    reply = await bot.say("/week")
    lines = reply.splitlines()
    assert lines[0] == "This week · Mon 2 Nov – Sun 8 Nov"
    assert lines[1].startswith("✓ Mon 2 · ")
    assert lines[-2].endswith("done: 30 min (1 of 4 runs)")
    assert len(bot.data.plans) == 1  # the first /week made the plan


async def test_logs_lists_recent_runs_newest_first(bot: FakeBot) -> None:
    runner_id = bot.add_runner()
    bot.uow.store.add_log(runner_id, date(2026, 11, 1), MONDAY - timedelta(days=1), 25.0)
    bot.uow.store.add_log(runner_id, date(2026, 11, 2), MONDAY, None, distance_m=5000.0,
                          note="windy")
    reply = await bot.say("/logs")
    assert reply == (
        "Your runs in the last 14 days, newest first:\n"
        "1. Today · 5 km — “windy”\n"
        "2. Yesterday · 25 min\n"
        "Fix one: /edit 2 5k 27:50 · remove one: /undo 2"
    )


async def test_skip_after_a_logged_run_is_refused_and_keeps_nothing(bot: FakeBot) -> None:
    runner_id = bot.add_runner()
    bot.uow.store.add_log(runner_id, date(2026, 11, 2), MONDAY, 30.0)
    assert await bot.say("/skip tired") == (
        "You've already logged a run today, so there's nothing to skip. "
        "If that log was a mistake, /undo it first."
    )
    assert bot.data.skips == {}
    assert bot.data.plans == []  # the plan /skip made first went with the refusal


async def test_skip_on_a_rest_day_is_refused(bot: FakeBot) -> None:
    bot.add_runner()
    bot.clock.set(MONDAY + timedelta(days=1))  # Tuesday: not a training day
    assert await bot.say("/skip") == "Nothing to skip today — it's a rest day. Enjoy it!"
    assert bot.data.skips == {}


async def test_skip_twice_is_refused(bot: FakeBot) -> None:
    runner_id = bot.add_runner()
    bot.data.skips[(runner_id, date(2026, 11, 2))] = ("sick", MONDAY, 999)
    assert await bot.say("/skip") == (
        "Today's session is already skipped. Ran after all? /done still counts."
    )


async def test_undo_of_a_run_that_is_not_there_is_refused(bot: FakeBot) -> None:
    bot.add_runner()
    assert await bot.say("/undo 3") == "You have no runs in the last 14 days to change."


async def _write_then_refuse(ctx: Context) -> Reply:
    await ctx.uow.sleep.record(ctx.runner.id, ctx.today, 8.0, ctx.now)
    ctx.runner.display_name = "changed"
    raise UserError("No — and nothing you sent was kept.")


REFUSER = CommandTable([*COMMANDS, Command("refuse", _write_then_refuse, "Refuses.", "/refuse")])


async def test_a_refusal_rolls_back_what_the_command_wrote_but_keeps_the_update() -> None:
    bot = FakeBot(REFUSER)
    assert await bot.say("/refuse", user="newcomer", update_id="41") == (
        "No — and nothing you sent was kept."
    )
    assert bot.data.sleep == {}
    # The sender (first contact) and the update id are kept: the refusal is an answer too.
    (runner,) = bot.data.runners.values()
    assert runner["display_name"] == "newcomer"
    assert ("console", "41") in bot.data.updates
    assert await bot.say("/refuse", user="newcomer", update_id="41") == ""  # a re-delivery


async def test_the_dispatcher_saves_the_runner_only_when_the_handler_changed_it(
    bot: FakeBot,
) -> None:
    runner_id = bot.add_runner()

    def saves() -> int:
        return sum(uow.saves for uow in bot.uow.made)

    await bot.say("/help")
    assert saves() == 0  # nothing changed: nothing written
    await bot.say("/today")  # the first plan: its start is saved
    assert saves() == 1 and bot.data.runners[runner_id]["plan_start"] == MONDAY.date()
    await bot.say("/today")
    assert saves() == 1
    assert "Units: kilometres → miles" in await bot.say("/settings units=mi")
    assert saves() == 2 and bot.data.runners[runner_id]["units"] == "mi"
    await bot.say("/settings time")  # asks for the time: the open question is saved
    assert saves() == 3 and bot.data.runners[runner_id]["conversation"] is not None
    await bot.say("/help")  # any command closes the question
    assert saves() == 4 and bot.data.runners[runner_id]["conversation"] is None


AT = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


async def test_a_change_inside_the_conversation_dict_is_still_saved() -> None:
    runner = Runner(id=1, conversation={"step": "days"}, created_at=AT, updated_at=AT)
    stored = as_found(runner)
    assert runner.conversation is not None
    runner.conversation["step"] = "time"  # changed in place, not replaced
    assert runner != stored and stored.conversation == {"step": "days"}
