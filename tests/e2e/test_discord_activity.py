"""Activity files on Discord, through real discord.py and the fake gateway/REST: a file on
`/done` (an attachment option) and a file sent in DMs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.storage.models import ActivitySummary, RunLog
from tests.e2e.discord_harness import DiscordHarness
from tests.e2e.discord_harness import dc as dc
from tests.e2e.discord_harness import dc_world as dc_world
from tests.e2e.discord_harness import fake_dc as fake_dc
from tests.e2e.fakes.discord_objects import FakeFile
from tests.support.activity_files import Leg, fit, gpx, run

pytestmark = pytest.mark.slow


async def test_done_with_a_fit_file_logs_it_with_splits(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    start = dc.clock.now() - timedelta(hours=1)
    data = fit(run(Leg(2000, 330)), start=start)

    text = await dc.say(rui, "done", {"file": FakeFile("files[0]", "run.fit",
                                                       "application/octet-stream", data)})

    lines = text.splitlines()
    assert lines[0] == "✓ Logged today: 2 km in 11 min · 5:30/km"
    assert lines[3] == "Splits per km: 5:30 · 5:30"
    async with dc.uow(readonly=True) as uow:
        [log] = (await uow.session.scalars(select(RunLog))).all()
        assert (log.distance_m, log.minutes, log.source) == (2000.0, 11.0, "discord")
        [kept] = (await uow.session.scalars(select(ActivitySummary))).all()
        assert (kept.run_log_id, kept.file_format, kept.splits) == (
            log.id, "fit", [[1000.0, 330.0], [1000.0, 330.0]]
        )


async def test_a_gpx_sent_in_dms_is_logged_and_answered_there(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    start = dc.clock.now() - timedelta(hours=2)
    data = gpx(run(Leg(1609.344, 420)), start=start)

    await dc.fake.send_dm(rui, "", [FakeFile("files[0]", "Evening_Run.gpx",
                                             "application/gpx+xml", data)])
    reply = await dc.fake.wait_for_message(
        lambda m: str(m["content"]).startswith("✓ Logged"), user_id=rui.id
    )

    assert reply["content"].splitlines()[0] == "✓ Logged today: 1.61 km in 11:16 · 7:00/km"
    # Discord's markdown: parentheses escaped.
    assert "⚡ Fastest mile in this run: 11:16 \\(from 0 km\\)" in reply["content"].splitlines()


async def test_a_ride_sent_in_dms_is_refused_and_nothing_is_stored(dc: DiscordHarness) -> None:
    rui = dc.world.runner
    await dc.onboard(rui)
    data = gpx(run(Leg(8000, 120)), sport="cycling", start=dc.clock.now() - timedelta(hours=2))

    await dc.fake.send_dm(rui, "", [FakeFile("files[0]", "ride.gpx", "text/xml", data)])
    reply = await dc.fake.wait_for_message(
        lambda m: "not a run" in str(m["content"]), user_id=rui.id
    )

    assert reply["content"].startswith("That file is a ride, not a run")
    async with dc.uow(readonly=True) as uow:
        assert (await uow.session.scalars(select(RunLog))).all() == []
