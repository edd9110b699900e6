"""The console as a newcomer uses it (issue 14, item 7): pushes whose buttons can be pressed,
only the terminal's own runner's pushes, a prompt that waits for the reply, files named per
runner, CSV minutes to 2 decimals, a chart that starts at the runner's first week.

The fake clock starts on Monday 2 November 2026, 08:00 UTC.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import core.commands.stats
from bot.console import Console, run_console
from core.schedule import outbox
from core.schedule.ratelimit import UNLIMITED
from core.schedule.sender import Sender
from core.schedule.tick import Ticker
from tests.support.console import ConsoleTranscript
from tests.support.scheduling import outbox_rows
from tests.support.testbot import TestBot

START = "/start level=beginner days=mon,wed,fri time=07:00 tz=UTC units=km"


def console_sender(bot: TestBot, console: Console) -> Sender:
    """The drain `pacer run --console` runs for this terminal's messenger."""
    return Sender(bot.uow, console.messenger(), bot.clock, worker="console",
                  limits=UNLIMITED, rng=random.Random(1), chats=console.messenger().chats)


async def test_a_push_prints_with_buttons_that_a_number_presses(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00")
    ana = ConsoleTranscript(bot)
    await ana.type(START)
    bot.at("2026-11-02 07:00")
    await Ticker(bot.uow, bot.clock).run()
    before = len(ana.printed())
    await console_sender(bot, ana.console).drain()
    push = ana.printed()[before:]
    assert push.startswith("⏰ (Pacer, to ana)\nGood morning, ana! ")
    assert push.endswith("  [1] Done ✓  (/done)\n  [2] Skip  (/skip)\n\n")
    out = await ana.type("1")  # [1] Done ✓ under the push
    assert out.startswith("✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 41 min")


async def test_a_console_shows_only_its_own_runners_pushes(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00")
    ana, bob = ConsoleTranscript(bot, "ana"), ConsoleTranscript(bot, "bob")
    await ana.type(START)
    await bob.type(START)
    bot.at("2026-11-02 07:00")
    await Ticker(bot.uow, bot.clock).run()
    await console_sender(bot, ana.console).drain()
    assert "⏰ (Pacer, to ana)" in ana.printed()
    assert "to bob" not in ana.printed()
    rows = {row.chat_id: row.status for row in await outbox_rows(bot, kind="session")}
    assert rows == {"ana": outbox.SENT, "bob": outbox.PENDING}  # kept for bob's own console
    await console_sender(bot, bob.console).drain()
    assert "⏰ (Pacer, to bob)" in bob.printed()
    assert {row.status for row in await outbox_rows(bot, kind="session")} == {outbox.SENT}


class Terminal(io.StringIO):
    """An interactive stdin: typed lines, one at a time."""

    def isatty(self) -> bool:
        return True


async def test_the_prompt_waits_for_the_reply(bot: TestBot) -> None:
    out = io.StringIO()
    console = Console(bot.pacer, "ana", out=out)
    await run_console(console, Terminal("/pace 5k 25:00\n/pace 1mi 7:00\n"))
    printed = out.getvalue()
    greeting, _, chat = printed.partition("\n\n")
    assert greeting == "Pacer console — you are 'ana'. Try /help. Ctrl-D quits."
    turns = chat.split("> ")
    assert turns[0] == "" and turns[-1] == ""  # a prompt first, and one waiting at the end
    assert len(turns) == 4  # a prompt before each line and after the last: never mid-reply
    assert all(turn.endswith("\n\n") for turn in turns[1:-1])


async def test_saved_files_are_named_per_runner(bot: TestBot, tmp_path: Path) -> None:
    tmp_path = tmp_path / "pacer-files"
    bot.at("2026-11-01 20:00")
    ana = ConsoleTranscript(bot, "ana", files_dir=tmp_path)
    await ana.type(START)
    bot.at("2026-11-02 18:00")
    await ana.type("/done 5k 28:31")
    out = await ana.type("/stats")
    assert f"  (saved stats-ana.png to {tmp_path / 'stats-ana.png'})\n" in out
    out = await ana.type("/export")
    for name in ("pacer-ana.json", "pacer-ana.csv", "plan-ana.ics"):
        assert f"  (saved {name} to {tmp_path / name})\n" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pacer-ana.csv", "pacer-ana.json", "plan-ana.ics", "stats-ana.png"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "pacer-ana.csv").read_text())))
    assert [(r["minutes"], r["distance_m"]) for r in rows] == [("28.52", "5000")]


async def test_the_chart_starts_at_the_runners_first_week(
    bot: TestBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[Any] = []

    def chart(weeks: Any) -> bytes:
        drawn.extend(weeks)
        return b"\x89PNG"

    monkeypatch.setattr(core.commands.stats, "weekly_chart", chart)
    bot.at("2026-11-01 20:00")
    ana = ConsoleTranscript(bot)
    await ana.type(START)
    bot.at("2026-11-09 18:00")
    await ana.type("/done 30min")
    await ana.type("/stats")
    assert [w.monday for w in drawn] == [date(2026, 10, 26), date(2026, 11, 2),
                                         date(2026, 11, 9)]


async def test_a_push_without_buttons_keeps_the_numbers_of_an_open_question(
    bot: TestBot,
) -> None:
    bot.at("2026-11-01 20:00")
    ana = ConsoleTranscript(bot)
    await ana.type(START)
    bot.at("2026-11-02 06:50")
    await ana.type("/done 30min")  # Monday's run, before the 07:00 push
    out = await ana.type("/settings time")
    assert "  [2] 07:00  (07:00)\n" in out
    bot.at("2026-11-02 07:00")
    await Ticker(bot.uow, bot.clock).run()
    before = len(ana.printed())
    await console_sender(bot, ana.console).drain()
    assert ana.printed()[before:] == (
        "⏰ (Pacer, to ana)\n"
        "Already done, ana: today's Run/walk: run 30 s / walk 1:30 is logged ✓. Nice work — "
        "recover well. See /week for what's next.\n\n")
    assert "Reminder time: 07:00 → 18:00" in await ana.type("3")  # still the [3] 18:00 button


async def test_a_push_while_the_prompt_shows_prints_the_prompt_again(bot: TestBot) -> None:
    bot.at("2026-11-01 20:00")
    ana = ConsoleTranscript(bot)
    await ana.type(START)
    bot.at("2026-11-02 07:00")
    await Ticker(bot.uow, bot.clock).run()
    ana.out.write("> ")
    ana.console.awaiting_input = True
    await console_sender(bot, ana.console).drain()
    printed = ana.printed()
    assert printed[printed.index("> "):].startswith("> \n⏰ (Pacer, to ana)\nGood morning, ana!")
    assert printed.endswith("  [2] Skip  (/skip)\n\n> ")
