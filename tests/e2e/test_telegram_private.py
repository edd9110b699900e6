"""A runner and Pacer in a private Telegram chat, through real PTB and the fake Bot API."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.commands.table import COMMANDS
from core.messages import Reply
from core.storage.models import RunLog, Runner, Skip
from tests.e2e.conftest import TelegramHarness, button, labels, text_of

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def test_onboarding_by_buttons_ends_with_todays_session(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann", "ann")

    [level] = await tg.say(ann, "/start")
    assert "What are you training for?" in level["text"]
    assert labels(level) == ["First mile", "Faster mile", "Personal record", "Cancel"]
    assert level["parse_mode"] == "HTML"
    # the core's markup, rendered by Telegram
    assert "• <b>First mile</b>: run a mile without stopping" in level["sent_text"].splitlines()

    cleared, days = await tg.press(ann, level, "First mile")
    assert (cleared["method"], cleared["reply_markup"]) == ("editMessageReplyMarkup", None)
    with pytest.raises(ValueError, match="no button"):  # the keyboard is gone once answered
        tg.fake.click(ann, level, button(days, "Cancel"))
    assert "✓ Level: First mile (beginner)" in days["text"].splitlines()
    assert labels(days) == ["3", "4", "5", "6", "7", "Cancel"]  # a plan needs three days

    _, time = await tg.press(ann, days, "3")
    assert "✓ Training days: Mon, Wed, Sat" in time["text"]
    _, zone = await tg.press(ann, time, "07:00")
    assert "Which time zone are you in?" in zone["text"]

    [suggested] = await tg.say(ann, "Berln")  # a typo: Pacer offers the zone as a button
    assert "Did you mean Europe/Berlin?" in suggested["text"]
    _, units = await tg.press(ann, suggested, "Europe/Berlin")
    assert "✓ Time zone: Europe/Berlin" in units["text"]
    _, welcome = await tg.press(ann, units, "Kilometres")

    assert "Welcome to Pacer, Ann!" in welcome["text"]
    assert "Today · Mon 2 Nov · Run/walk: run 30 s / walk 1:30" in welcome["text"].splitlines()
    assert labels(welcome) == ["Done as planned", "Skip"]
    runner = await tg.runner(ann)
    assert (runner.onboarded, runner.tz, runner.level, runner.units) == (
        True, "Europe/Berlin", "beginner", "km"
    )
    answered = tg.fake.callback_answers
    assert len(answered) == 5  # every press stopped its button's spinner


async def test_onboarding_in_one_line(tg: TelegramHarness) -> None:
    bob = tg.fake.user(1002, "Bob")

    [welcome] = await tg.say(
        bob,
        "/start level=improving days=4 time=06:30 tz=America/New_York units=mi "
        "mile=8:30 goal=7:45",
    )

    assert "Welcome to Pacer, Bob!" in welcome["text"]
    runner = await tg.runner(bob)
    assert (runner.level, runner.tz, runner.units, runner.reminder_time) == (
        "improving", "America/New_York", "mi", "06:30"
    )
    assert runner.mile_time_s == 510 and runner.goal_s == 465


async def test_today_then_done_typed(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    await tg.onboard(ann)

    [today] = await tg.say(ann, "/today")
    assert today["text"].startswith("Today · Mon 2 Nov")
    assert labels(today) == ["Done as planned", "Skip"]
    [logged] = await tg.say(ann, "/done 25min felt strong")
    assert "✓ Logged today: 25 min" in logged["text"]
    [again] = await tg.say(ann, "/today")

    assert "Already logged today: 25 min" in again["text"]
    assert labels(again) == []


async def test_daily_message_buttons_log_without_typing(tg: TelegramHarness) -> None:
    ann, bob = tg.fake.user(1001, "Ann"), tg.fake.user(1002, "Bob")
    await tg.onboard(ann)
    await tg.onboard(bob)
    [ann_today] = await tg.say(ann, "/today")
    [bob_today] = await tg.say(bob, "/today")

    _, done = await tg.press(ann, ann_today, "Done as planned")
    _, skipped = await tg.press(bob, bob_today, "Skip")

    assert (
        "✓ Logged today: Run/walk: run 30 s / walk 1:30 as planned · 26 min"
    ) in done["text"].splitlines()
    assert (
        "↷ Skipped today's Run/walk: run 30 s / walk 1:30. Rest well."
    ) in skipped["text"].splitlines()
    async with tg.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(RunLog)) == 1
        assert await uow.session.scalar(select(func.count()).select_from(Skip)) == 1


async def test_stats_come_as_a_photo_and_export_as_documents(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann", "ann")
    await tg.onboard(ann)
    await tg.say(ann, "/done 25min")

    [chart] = await tg.say(ann, "/stats")
    export = await tg.say(ann, "/export")

    assert chart["method"] == "sendPhoto"
    assert chart["bytes"].startswith(PNG_MAGIC)
    assert "This week: 25 min · 1 of 3 runs so far" in chart["caption"].splitlines()
    assert chart["photo"][-1]["width"] > 100  # a real chart, as Telegram measured it
    summary, *files = export
    assert summary["method"] == "sendMessage" and "Your Pacer data" in summary["text"]
    assert [(f["method"], f["filename"]) for f in files] == [
        ("sendDocument", "pacer-ann.json"),
        ("sendDocument", "pacer-ann.csv"),
        ("sendDocument", "pacer-plan.ics"),
    ]
    data = json.loads(files[0]["bytes"])
    assert [log["minutes"] for log in data["logs"]] == [25]
    assert files[2]["bytes"].startswith(b"BEGIN:VCALENDAR")


async def test_deleteme_asks_with_buttons_and_erases_on_yes(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    await tg.onboard(ann)

    [ask] = await tg.say(ann, "/deleteme")
    assert labels(ask) == ["Yes, delete everything", "Cancel"]
    _, cancelled = await tg.press(ann, ask, "Cancel")
    assert cancelled["text"] == "Cancelled — nothing was deleted."
    [ask] = await tg.say(ann, "/deleteme")
    _, gone = await tg.press(ann, ask, "Yes, delete everything")

    assert gone["text"] == (
        "Done: everything Pacer stored about you has been deleted. Thank you for running with me "
        "— if you ever want to start again, just send /start."
    )
    async with tg.uow(readonly=True) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Runner)) == 0


async def test_user_text_with_markup_characters_is_shown_literally(tg: TelegramHarness) -> None:
    odd = tg.fake.user(1003, "<Zoë_*[x]&>")
    note = "felt <great> & *fast* _really_ [x] `tick`"

    [welcome] = await tg.say(odd, "/start level=beginner days=3 tz=UTC")
    [logged] = await tg.say(odd, f"/done 25min {note}")

    assert "Welcome to Pacer, <Zoë_*[x]&>!" in welcome["text"]
    assert note in logged["text"]
    assert "&lt;great&gt; &amp; *fast*" in logged["sent_text"]  # escaped once, as HTML wants
    assert all(m["parse_mode"] == "HTML" for m in (welcome, logged))


async def test_a_long_reply_is_split_into_valid_messages(
    tg: TelegramHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = tg.fake.user(1001, "Ann")
    line = "<b>Week</b> · easy &amp; steady <i>30 min</i> — <code>5:30/km</code>"
    long_text = "\n".join(f"{n}. {line}" for n in range(300))  # ~14,000 characters

    async def long_help(ctx: object) -> Reply:
        return Reply(long_text)

    tg.pacer.commands = COMMANDS.replacing("help", long_help)
    messages = await tg.say(ann, "/help")

    assert len(messages) == 4
    assert all(len(m["text"]) <= 4096 for m in messages)
    assert text_of(messages).replace("\n\n", "\n") == "\n".join(
        f"{n}. Week · easy & steady 30 min — 5:30/km" for n in range(300)
    )


async def test_the_command_menus_are_set_per_scope(tg: TelegramHarness) -> None:
    private = tg.fake.my_commands({"type": "all_private_chats"})
    group = tg.fake.my_commands({"type": "all_group_chats"})

    assert private is not None and group is not None
    private_names = [c["command"] for c in private]
    group_names = [c["command"] for c in group]
    assert {"start", "today", "done", "settings", "export", "deleteme"} <= set(private_names)
    assert "challenge" not in private_names
    assert group_names[0] == "challenge" and "deleteme" not in group_names
    assert all(c["description"] for c in private + group)
