"""/logs, /undo N, /edit N and /sleep for an earlier night through real PTB and discord.py
against the fakes (issue 14 item 6): the menus and slash commands offer them, and their
options read as the console's text."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.storage.models import RunLog, SleepLog
from tests.e2e.conftest import TelegramHarness
from tests.e2e.discord_harness import DiscordHarness
from tests.e2e.discord_harness import dc as dc
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc

pytestmark = pytest.mark.slow


async def test_telegram_menu_and_a_fix_by_number(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann", "ann")
    [welcome] = await tg.say(ann, "/start level=improving days=4 tz=UTC units=km")
    assert "Welcome to Pacer, Ann! Here is your setup:" in welcome["text"].splitlines()
    menu = [c["command"] for c in tg.fake.my_commands({"type": "all_private_chats"}) or []]
    assert {"logs", "edit", "undo"} <= set(menu)
    await tg.say(ann, "/done 5k 28:30")
    [second] = await tg.say(ann, "/done 20min")
    assert second["text"].splitlines()[-1] == (
        "Today: 2 runs, 48:30, 5 km. If one was a correction, /undo removes the last log "
        "(/logs lists them all)."
    )
    [logs] = await tg.say(ann, "/logs")
    assert logs["text"].splitlines()[1:3] == [
        "1. Today · 20 min", "2. Today · 5 km in 28:30 · 5:42/km"
    ]
    [edited] = await tg.say(ann, "/edit 2 5k 27:50")
    assert edited["text"].splitlines()[0] == (
        "✏️ Run 2 (Mon 2 Nov) is now 5 km in 27:50 · 5:34/km (was 5 km in 28:30 · 5:42/km)."
    )
    [removed] = await tg.say(ann, "/undo 1")
    assert removed["text"].splitlines()[0] == "↩️ Removed run 1 (Mon 2 Nov): 20 min."
    async with tg.uow(readonly=True) as u:
        rows = [tuple(r) for r in await u.session.execute(
            select(RunLog.minutes, RunLog.distance_m))]
    assert rows == [(27 + 50 / 60, 5000.0)]


def _plain(content: str) -> str:
    """Discord content without its Markdown escapes: what the member reads."""
    return content.replace("\\", "")


def _options(command: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in command.get("options", [])}


async def test_discord_slash_commands_with_options(dc: DiscordHarness) -> None:
    published = {c["name"]: c for c in dc.fake.commands[None]}
    assert {"logs", "edit", "undo"} <= set(published)
    edit = _options(published["edit"])
    assert (edit["run"]["required"], edit["run"]["min_value"]) == (True, 1)
    assert edit["what"]["required"] is True
    assert _options(published["undo"])["run"].get("required", False) is False
    assert _options(published["sleep"])["night"].get("required", False) is False

    rui = dc.world.runner
    await dc.onboard(rui)
    await dc.say(rui, "done", {"what": "5k 28:30"})
    logs = _plain(await dc.say(rui, "logs"))
    assert "1. Today · 5 km in 28:30 · 5:42/km" in logs.splitlines()
    edited = _plain(await dc.say(rui, "edit", {"what": "5k 27:50", "run": 1}))
    assert edited.splitlines()[0] == (
        "✏️ Run 1 (Mon 2 Nov) is now 5 km in 27:50 · 5:34/km (was 5 km in 28:30 · 5:42/km)."
    )
    slept = _plain(await dc.say(rui, "sleep", {"hours": "7h", "night": "yesterday"}))
    assert slept.splitlines()[0] == "😴 Logged 7 h for the night before Sun 1 Nov."
    removed = _plain(await dc.say(rui, "undo", {"run": 1}))
    assert removed.splitlines()[0] == "↩️ Removed run 1 (Mon 2 Nov): 5 km in 27:50 · 5:34/km."
    async with dc.uow(readonly=True) as u:
        assert await u.session.scalar(select(RunLog.id)) is None
        assert await u.session.scalar(select(SleepLog.local_date)) is not None
