"""A club in the console (issue 14, item 8): `pacer run --console --user ana --club Milers`
makes the terminal the club's channel with ana as its admin; `--as NAME` lines and a second
console with another --user are members; `--dm` talks to Pacer privately.

The fake clock starts on Monday 2 November 2026, 08:00 UTC.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.console import ConsoleTranscript
from tests.support.testbot import TestBot

NEW = '/challenge new "November Miles" metric=distance until=2026-11-30'
SETUP = "--dm /start level=beginner days=3 tz=UTC"


async def test_a_challenge_from_new_to_end_in_one_terminal(
    bot: TestBot, tmp_path: Path
) -> None:
    club = ConsoleTranscript(bot, "ana", club="Milers", files_dir=tmp_path)
    out = await club.type(NEW)
    assert out.startswith("🏁 New challenge: November Miles — distance run, until Mon 30 Nov.\n")
    assert "  [1] Join  (/challenge join November Miles)\n" in out
    assert "Welcome to November Miles, ana!" in await club.type("1")  # the Join button
    assert "Welcome to November Miles, bob!" in await club.type("--as bob /challenge join")
    assert "Welcome to Pacer, ana!" in await club.type(SETUP)
    assert "Welcome to Pacer, bob!" in await club.type("--as bob " + SETUP)
    assert "Logged today: 5 km in 25 min" in await club.type("/done 5k 25:00")
    assert "Logged today: 3 km" in await club.type("--as bob --dm /done 3k")
    out = await club.type("/challenge board")
    assert "1. ana — 5.0 km\n2. bob — 3.0 km\n" in out
    assert f"  (saved challenge-1.png to {tmp_path / 'challenge-1.png'})\n" in out
    out = await club.type("/stats")  # personal data asked in the channel: shown as private
    assert out.startswith("(privately, to ana)\n")
    assert f"(saved stats-ana.png to {tmp_path / 'stats-ana.png'})" in out
    assert await club.type("--as bob /challenge end") == (
        "Only the group's admins can end a challenge. Ask one of them!\n\n")
    out = await club.type("/challenge end")
    assert "🥇 ana — 5.0 km\n🥈 bob — 3.0 km\n" in out


async def test_a_second_console_with_another_user_is_a_member(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot, "ana", club="Milers")
    await ana.type(NEW)
    bob = ConsoleTranscript(bot, "bob", club="Milers")
    assert await bob.type('/challenge new "Bob\'s" metric=time until=2026-11-30') == (
        "Only the group's admins can start a challenge. Ask one of them!\n\n")
    assert "Welcome to November Miles, bob!" in await bob.type("/challenge join")
    out = await bob.type("/challenge list")
    assert out.startswith("Running here\n1. November Miles") and "· 1 member\n" in out
    # ana opened the channel first: she stays its admin after a restart of her console.
    again = ConsoleTranscript(bot, "ana", club="Milers")
    assert "November Miles is over!" in await again.type("/challenge end")


async def test_challenges_in_a_private_console_point_to_the_club_option(bot: TestBot) -> None:
    ana = ConsoleTranscript(bot, "ana")
    out = await ana.type("/challenge list")
    assert out.startswith("Challenges live in your club's group or server channel")
    assert out.endswith(
        "To try a club in the terminal: pacer run --console --user NAME --club CLUB (NAME is "
        "its admin; lines starting --as OTHER are members).\n\n")
