"""Logging runs from activity files on the console (`/import PATH`), as the runner reads it.

The fake clock starts on Monday 2 November 2026, 08:00 UTC; Ann trains Mon, Wed, Sat in
Berlin (UTC+1), in kilometres.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.storage.models import ActivitySummary, PersonalBest, RunLog
from tests.support.activity_files import Leg, Pause, gpx, run, tcx, with_jump
from tests.support.testbot import TestBot

BEGINNER = "/start level=beginner days=mon,wed,sat time=07:00 tz=Europe/Berlin units=km"
MORNING = datetime(2026, 11, 2, 6, 30, tzinfo=UTC)  # 07:30 in Berlin, today


async def onboard(bot: TestBot) -> None:
    assert "Welcome to Pacer, Ann! Here is your setup:" in (await bot.say(BEGINNER)).splitlines()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


async def count(bot: TestBot, model: object) -> int:
    async with bot.uow(readonly=True) as u:
        return int(await u.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_5k_file_is_logged_with_splits_and_its_mile(any_bot: TestBot,
                                                            tmp_path: Path) -> None:
    bot = any_bot
    await onboard(bot)
    # A 5 km with a fast mile in the middle, sampled every second.
    path = write(tmp_path, "parkrun.gpx", gpx(
        run(Leg(1200, 330), Leg(1609.344, 270), Leg(2190.656, 330)), start=MORNING))

    reply = await bot.say(f"/import {path}")

    assert reply.splitlines()[:8] == [
        "✓ Logged today: 5 km in 25:53 · 5:11/km",
        "🔥 Streak: 1 day",
        "⏱ moving 25:53 · avg HR 150",
        "Splits per km: 5:30 · 4:42 · 4:41 · 5:30 · 5:30",
        "⚡ Fastest mile in this run: 7:15 (from 1.2 km)",
        "⚡ Fastest 5 km in this run: 25:53 (from 0 km)",
        "🏅 First mile on record: 7:14.6 — that's your personal best to beat.",
        "🏅 First 5 km on record: 25:53 — that's your personal best to beat.",
    ]
    pr = await bot.say("/pr")
    assert "Mile: 7:14.6 · Mon 2 Nov 2026 · best effort (gpx)" in pr.splitlines()
    async with bot.uow(readonly=True) as u:
        [log] = (await u.session.scalars(select(RunLog))).all()
        [kept] = (await u.session.scalars(select(ActivitySummary))).all()
        assert (log.local_date.isoformat(), log.minutes, log.distance_m, log.source) == (
            "2026-11-02", 25.89, 5000.0, "console"
        )
        assert (kept.run_log_id, kept.started_at, kept.elapsed_s, kept.moving_s) == (
            log.id, MORNING, 1553.4, 1553.4
        )
        assert [e["seconds"] for e in kept.best_efforts] == pytest.approx([434.5, 1553.4],
                                                                          abs=0.11)


async def test_the_same_file_twice_is_already_logged(bot: TestBot, tmp_path: Path) -> None:
    await onboard(bot)
    data = gpx(run(Leg(3000, 300)), start=MORNING)
    first, again = write(tmp_path, "a.gpx", data), write(tmp_path, "a copy.gpx", data)

    await bot.say(f"/import {first}")
    reply = await bot.say(f"/import {again}")

    assert reply == (
        "Already logged — that run today (3 km in 15 min · 5:00/km) is in your log. /undo if "
        "you want it out."
    )
    assert await count(bot, RunLog) == 1


async def test_a_hand_logged_run_is_matched_and_the_runner_chooses(bot: TestBot,
                                                                   tmp_path: Path) -> None:
    await onboard(bot)
    await bot.say("/done 5k 28:30")
    path = write(tmp_path, "run.tcx", tcx(run(Leg(5020, 337)), start=MORNING))

    question = await bot.say(f"/import {path}")

    assert question == (
        "You logged 5 km in 28:30 · 5:42/km by hand today. This file looks like the same "
        "run: 5.02 km in 28:12 · 5:37/km. Which should I keep?"
    )
    [[keep_file, keep_mine]] = bot.last[0].choices
    assert (keep_file.label, keep_mine.label) == ("Keep the file's", "Keep mine")
    assert await count(bot, RunLog) == 1

    kept = await bot.say(keep_file.command)

    assert kept.splitlines()[:3] == [
        "✓ Kept the file's figures today: 5.02 km in 28:12 · 5:37/km",
        "⏱ moving 28:12 · avg HR 150",
        "Splits per km: 5:37 · 5:37 · 5:37 · 5:37 · 5:37 · 0.02 km 0:07",
    ]
    assert kept.splitlines()[3].startswith("⚡ Fastest mile in this run: 9:02 (from ")
    async with bot.uow(readonly=True) as u:
        [log] = (await u.session.scalars(select(RunLog))).all()
        [summary] = (await u.session.scalars(select(ActivitySummary))).all()
        assert (log.distance_m, log.minutes) == (5020.0, 28.2)
        assert (summary.run_log_id, summary.matched_log_id) == (log.id, None)
    assert await bot.say(keep_file.command) == (
        "That question is already answered — nothing to change."
    )


async def test_keeping_the_hand_log_drops_the_file(bot: TestBot, tmp_path: Path) -> None:
    await onboard(bot)
    await bot.say("/done 30min")
    path = write(tmp_path, "run.gpx", gpx(run(Leg(5400, 335)), start=MORNING))
    await bot.say(f"/import {path}")
    [[_, keep_mine]] = bot.last[0].choices

    assert await bot.say(keep_mine.command) == (
        "✓ Kept your own log today; the file's figures are dropped."
    )
    assert (await count(bot, RunLog), await count(bot, ActivitySummary)) == (1, 0)


async def test_a_run_with_a_stop_shows_moving_and_elapsed_time(bot: TestBot,
                                                               tmp_path: Path) -> None:
    await onboard(bot)
    path = write(tmp_path, "run.gpx", gpx(run(Leg(2000, 300), Pause(180), Leg(1000, 300)),
                                          start=MORNING))

    reply = await bot.say(f"/import {path}")

    # GPS positions are averaged over ±3 s, so the stop blurs by a few seconds.
    assert reply.splitlines()[0] == "✓ Logged today: 3 km in 15:04 · 5:01/km"
    assert reply.splitlines()[2] == "⏱ moving 15:04 · elapsed 18 min · avg HR 150"


@pytest.mark.parametrize(("data", "answer"), [
    (gpx(run(Leg(8000, 150)), sport="cycling", start=MORNING),
     "That file is a ride, not a run — Pacer logs runs only. If it really was a run, change "
     "its type in your app and send it again, or log it by hand: /done 30min."),
    (gpx(with_jump(run(Leg(3000, 300)), at=600, metres=5000, lasting=0), start=MORNING),
     "Your track jumps 5.0 km in 1 s, 9:59 into the run — faster than the 100 m world record, "
     "so the GPS or the file went wrong. I didn't log it; log the run by hand instead, e.g. "
     "/done 5k 28:30."),
    (gpx(run(Leg(3000, 300)), start=MORNING + timedelta(days=1)),
     "That run starts in the future (2026-11-03 06:30 UTC) — your watch's clock or the file "
     "is wrong, so I didn't log it."),
])
async def test_bad_files_change_nothing(bot: TestBot, tmp_path: Path, data: bytes,
                                        answer: str) -> None:
    await onboard(bot)

    assert await bot.say(f"/import {write(tmp_path, 'x.gpx', data)}") == answer
    assert (await count(bot, RunLog), await count(bot, ActivitySummary),
            await count(bot, PersonalBest)) == (0, 0, 0)


async def test_a_missing_path_and_no_path(bot: TestBot, tmp_path: Path) -> None:
    await onboard(bot)

    assert await bot.say(f"/import {tmp_path}/nope.gpx") == (
        f"I can't open {tmp_path}/nope.gpx — check the path (it is read on this computer) "
        "and try again."
    )
    assert await bot.say("/import") == "Tell me which file: /import PATH (a GPX, FIT or TCX file)."


async def test_undo_takes_the_file_run_and_its_summary_back(bot: TestBot,
                                                           tmp_path: Path) -> None:
    await onboard(bot)
    await bot.say(f"/import {write(tmp_path, 'a.gpx', gpx(run(Leg(3000, 300)), start=MORNING))}")

    assert (await bot.say("/undo")).startswith("↩️ Removed your run today: 3 km in 15 min")
    assert (await count(bot, RunLog), await count(bot, ActivitySummary)) == (0, 0)


async def test_only_the_summary_is_kept_never_the_track(bot: TestBot, tmp_path: Path) -> None:
    await onboard(bot)
    await bot.say(f"/import {write(tmp_path, 'a.gpx', gpx(run(Leg(2000, 300)), start=MORNING))}")

    [export] = await bot.replies("/export")
    [document] = [a for a in export.attachments if a.filename.endswith(".json")]
    data = json.loads(document.content)

    assert data["activities"] == [{
        "started_at": "2026-11-02T06:30:00+00:00", "date": "2026-11-02", "format": "gpx",
        "distance_m": 2000.0, "elapsed_s": 600.0, "moving_s": 600.0, "elevation_gain_m": 0.0,
        "avg_heart_rate": 150, "split_unit": "km", "splits": [[1000.0, 300.0], [1000.0, 300.0]],
        "best_efforts": [{"distance_m": 1609.344, "seconds": 482.8,
                          "start_m": data["activities"][0]["best_efforts"][0]["start_m"]}],
    }]
    text = document.content.decode()
    assert "52.47" not in text and "13.40" not in text  # no coordinate anywhere
