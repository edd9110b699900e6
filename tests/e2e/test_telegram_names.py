"""A Telegram name with a bidi override or a NUL byte is stored and shown without it."""

from __future__ import annotations

from tests.e2e.conftest import TelegramHarness

RLO, PDF = "\u202e", "\u202c"


async def test_a_spoofing_name_is_cleaned_before_it_is_stored_or_shown(
    tg: TelegramHarness,
) -> None:
    eve = tg.fake.user(1003, f"Eve{RLO}mk 05{PDF}\x00")
    group = tg.fake.group(-100900, "Morning Milers", owner=eve.id)

    [pace] = await tg.say(eve, "/pace 7:00")
    await tg.onboard(eve)
    [stats_note] = [m for m in await tg.say(eve, "/stats", chat_id=group.id)
                    if m["chat"]["id"] == group.id]

    assert pace["text"].startswith("Mile in 7:00")
    assert (await tg.runner(eve)).display_name == "Evemk 05"
    assert stats_note["text"].startswith("Evemk 05, ")
