"""Members use Pacer's slash commands and buttons, through real discord.py and the fake."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

import core.commands.week
from bot.discord.bridge import BridgeOptions
from bot.discord.translate import render_reply
from core.commands.base import Context
from core.commands.table import COMMANDS
from core.messages import Choice, Reply
from core.storage.models import RunLog
from tests.e2e.discord_harness import (
    CALLBACK,
    DiscordHarness,
    is_ephemeral,
    labels,
)
from tests.e2e.discord_harness import dc as dc
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc

pytestmark = pytest.mark.slow


async def test_one_line_start_with_options_in_dms(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    interaction = await dc.slash(
        rui,
        "start",
        {"level": "improving", "days": "mon,wed,sat", "time": "06:30",
         "tz": "America/New_York", "units": "mi", "mile": "8:30", "goal": "7:45"},
    )
    welcome = await dc.answer(interaction)

    assert "**Welcome to Pacer, Rui Runner!**" in welcome["content"]
    assert labels(welcome) == ["Done as planned", "Skip"]
    assert not is_ephemeral(welcome)
    runner = await dc.runner(rui)
    assert (runner.level, runner.tz, runner.units, runner.reminder_time) == (
        "improving", "America/New_York", "mi", "06:30"
    )
    assert (runner.training_days, runner.mile_time_s, runner.goal_s) == ("0,2,5", 510, 465)
    identity = await dc.identity(rui)
    assert identity.chat_id == str(dc.fake.dm_channel_id(rui.id))  # pushes go there


async def test_today_done_and_streak(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)

    today = await dc.say(rui, "today")
    assert today.startswith("**Today · Mon 2 Nov")
    logged = await dc.say(rui, "done", {"what": "5k 28:30 felt strong"})
    assert "✓ Logged today: 5 km in 28:30 · 5:42/km — “felt strong”" in logged.splitlines()
    streak = await dc.say(rui, "streak")
    assert "**🔥 Streak: 1 day**" in streak.splitlines()
    async with dc.uow(readonly=True) as uow:
        logs = await uow.session.scalar(select(func.count()).select_from(RunLog))
    assert logs == 1


async def test_done_button_under_today_logs_the_session(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    today = await dc.answer(await dc.slash(rui, "today"))

    press = await dc.press(rui, today, "Done as planned")

    assert (await press.response())["type"] == 7  # the buttons go: a private question is done
    assert today["components"] == []
    logged = await dc.answer(press)
    assert (
        "✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 26 min"
    ) in logged["content"].splitlines()
    async with dc.uow(readonly=True) as uow:
        as_planned = await uow.session.scalar(select(RunLog.as_planned))
    assert as_planned is True


async def test_guided_start_with_buttons_and_a_typed_answer(dc: DiscordHarness) -> None:
    rui = dc.world.runner

    level = await dc.answer(await dc.slash(rui, "start"))
    assert "What are you training for?" in level["content"]
    assert labels(level) == ["First mile", "Faster mile", "Personal record", "Cancel",
                             "Type an answer…"]

    days = await dc.answer(await dc.press(rui, level, "First mile"))
    assert level["components"] == []  # answered: its buttons are gone
    assert "✓ Level: First mile \\(beginner\\)" in days["content"].splitlines()
    assert labels(days) == ["3", "4", "5", "6", "7", "Cancel", "Type an answer…"]
    time = await dc.answer(await dc.press(rui, days, "3"))
    assert "✓ Training days: Mon, Wed, Sat" in time["content"]
    zone = await dc.answer(await dc.press(rui, time, "07:00"))
    assert "Which time zone are you in?" in zone["content"]

    opened = await dc.press(rui, zone, "Type an answer…")
    modal = await opened.response()
    assert modal["type"] == 9  # the answer modal, with the question's example as placeholder
    assert modal["data"] == {
        "custom_id": "pacer-answer-modal",
        "title": "Your answer",
        "components": [
            {
                "type": 1,
                "components": [
                    {
                        "type": 4,
                        "style": 1,
                        "label": "Answer",
                        "custom_id": "answer",
                        "required": True,
                        "placeholder": "e.g. Berlin",
                        "max_length": 200,
                    }
                ],
            }
        ],
    }
    typo = await dc.fake.submit_modal(rui, "pacer-answer-modal", {"answer": "Berln"})
    suggested = await dc.answer(typo)
    assert "Europe/Berlin" in labels(suggested)

    units = await dc.answer(await dc.press(rui, suggested, "Europe/Berlin"))
    assert "✓ Time zone: Europe/Berlin" in units["content"]
    welcome = await dc.answer(await dc.press(rui, units, "Kilometres"))

    assert "Welcome to Pacer, Rui Runner!" in welcome["content"]
    runner = await dc.runner(rui)
    assert (runner.onboarded, runner.tz, runner.level, runner.training_days) == (
        True, "Europe/Berlin", "beginner", "0,2,5"
    )


async def test_personal_data_in_a_server_channel_is_ephemeral(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    await dc.say(rui, "done", {"what": "30min"})

    stats = await dc.slash(rui, "stats", guild=True)
    deferred = await stats.response()
    assert deferred == {"type": 5, "data": {"flags": 64}}  # a chart: deferred, privately
    message = await dc.answer(stats)
    assert is_ephemeral(message)
    (chart,) = message["attachments"]
    assert dc.fake.attachment_data(chart).startswith(b"\x89PNG")

    today = await dc.answer(await dc.slash(rui, "today", guild=True))
    assert is_ephemeral(today) and "Today" in today["content"]
    help_ = await dc.answer(await dc.slash(rui, "help", guild=True))
    assert not is_ephemeral(help_)  # general information stays in the channel

    start = await dc.answer(await dc.slash(rui, "start", guild=True))
    assert start["content"] == "Let's do this privately — message me directly."
    assert is_ephemeral(start)


async def test_time_zone_autocomplete(dc: DiscordHarness) -> None:
    choices = await dc.fake.autocomplete(dc.world.runner, "start", "tz", "berl")
    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in choices
    times = await dc.fake.autocomplete(dc.world.runner, "settings", "time", "7")
    assert [c["value"] for c in times] == ["07:00", "07:30"]
    empty = await dc.fake.autocomplete(dc.world.runner, "start", "tz", "")
    assert len(empty) > 5 and all("/" in c["value"] or c["value"] == "UTC" for c in empty)


async def test_rate_limited_callback_is_retried_and_the_answer_arrives(
    dc: DiscordHarness,
) -> None:
    dc.fake.rate_limit_next("POST", CALLBACK, retry_after=0.05)

    text = await dc.say(dc.world.runner, "pace", {"goal": "7:30"})

    assert "**Mile in 7:30**: 1:51.8 per 400 m lap · 4:40/km" in text.splitlines()
    assert [c.status for c in dc.fake.calls_to("POST", CALLBACK)] == [429, 200]


async def test_a_crashing_handler_gets_a_polite_answer_and_the_bot_goes_on(
    dc: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)

    async def broken(ctx: object) -> None:
        raise RuntimeError("boom")

    dc.pacer.commands = COMMANDS.replacing("streak", broken)
    assert "something went wrong" in await dc.say(rui, "streak")

    def broken_rendering(reply: object) -> None:
        raise RuntimeError("the adapter itself fails")

    monkeypatch.setattr("bot.discord.bridge.render_reply", broken_rendering)
    sorry = await dc.answer(await dc.slash(rui, "week", guild=True))
    assert sorry["content"] == (
        "Sorry, something went wrong on my side. Please try again in a moment."
    )
    assert is_ephemeral(sorry)

    monkeypatch.undo()
    assert "**Today" in await dc.say(rui, "today")


async def test_slow_work_is_deferred_then_answered(
    dc: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    release = asyncio.Event()
    original = core.commands.week.handle

    async def slow_week(ctx: Context) -> object:
        await release.wait()
        return await original(ctx)

    monkeypatch.setattr(dc.adapter.bridge, "options", BridgeOptions(answer_within=0.05))
    dc.pacer.commands = COMMANDS.replacing("week", slow_week)
    interaction = await dc.slash(rui, "week")

    assert (await interaction.response())["type"] == 5  # "Pacer is thinking…"
    release.set()
    week = await dc.answer(interaction)
    assert week["content"].startswith("**This week") and week["edited_timestamp"] is not None


async def test_export_arrives_as_files_and_deleteme_asks_with_buttons(
    dc: DiscordHarness,
) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    await dc.say(rui, "done", {"what": "25min"})

    export = await dc.slash(rui, "export")
    assert (await export.response())["type"] == 5  # files are built: deferred at once
    files = {a["filename"]: a for a in (await dc.answer(export))["attachments"]}
    assert set(files) >= {"pacer-plan.ics"} and any(n.endswith(".json") for n in files)
    assert dc.fake.attachment_data(files["pacer-plan.ics"]).startswith(b"BEGIN:VCALENDAR")

    question = await dc.answer(await dc.slash(rui, "deleteme"))
    assert labels(question) == ["Yes, delete everything", "Cancel"]
    gone = await dc.answer(await dc.press(rui, question, "Yes, delete everything"))
    assert "everything Pacer stored about you has been deleted" in gone["content"]
    async with dc.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(RunLog)) == 0


async def test_a_long_answer_is_split_into_follow_ups_with_the_buttons_last(
    dc: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "\n".join(f"{i:03d} " + "-" * 60 for i in range(90))  # escaped: twice as long

    async def long_help(ctx: Context) -> Reply:
        return Reply(lines, choices=((Choice("Today", "/today"),),))

    dc.pacer.commands = COMMANDS.replacing("help", long_help)
    interaction = await dc.slash(dc.world.runner, "help")

    count = len(render_reply(Reply(lines)))
    assert count > 3
    first = await dc.answer(interaction)
    messages = [first, *await interaction.followups(count - 1)]
    assert all(len(m["content"]) <= 2000 for m in messages)
    assert "\n".join(m["content"] for m in messages).replace("\\-", "-") == lines
    assert [labels(m) for m in messages] == [[]] * (count - 1) + [["Today"]]


async def test_a_row_of_more_than_five_choices_is_a_select_menu(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    zones = ("Europe/Berlin", "Europe/Paris", "Europe/Rome", "Europe/Madrid", "Europe/Vienna",
             "Europe/Lisbon")

    async def many_choices(ctx: Context) -> Reply:
        return Reply("Pick your zone.",
                     choices=(tuple(Choice(z, f"/settings tz={z}") for z in zones),))

    dc.pacer.commands = COMMANDS.replacing("help", many_choices)
    offered = await dc.answer(await dc.slash(rui, "help"))
    changed = await dc.answer(await dc.pick(rui, offered, "Europe/Lisbon"))
    assert "Time zone: UTC → Europe/Lisbon" in changed["content"]
    assert (await dc.runner(rui)).tz == "Europe/Lisbon"
