"""A runner sends a GPX file in the private chat: real PTB fetches it (getFile + download)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.storage.models import ActivitySummary, RunLog
from tests.e2e.conftest import TelegramHarness, text_of
from tests.support.activity_files import Leg, gpx, run


async def test_a_gpx_document_is_logged_with_its_splits(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    await tg.onboard(ann)
    start = tg.clock.now() - timedelta(hours=1)
    data = gpx(run(Leg(3000, 300)), start=start)

    since = len(tg.fake.sent())
    update = tg.fake.send_document(ann, "Morning_Run.gpx", data, caption="hilly loop")
    await tg.handled(update["update_id"])
    reply = text_of(tg.fake.sent()[since:])

    assert [c.method for c in tg.fake.calls_to("getFile")] == ["getFile"]
    assert reply.splitlines()[0] == "✓ Logged today: 3 km in 15 min · 5:00/km — “hilly loop”"
    assert reply.splitlines()[2:4] == ["⏱ moving 15 min · avg HR 150",
                                       "Splits per km: 5:00 · 5:00 · 5:00"]
    assert reply.splitlines()[4].startswith("⚡ Fastest mile in this run: 8:03 (from ")
    async with tg.uow(readonly=True) as uow:
        logs = (await uow.session.scalars(select(RunLog))).all()
        assert [(log.distance_m, log.minutes, log.note, log.source) for log in logs] == [
            (3000.0, 15.0, "hilly loop", "telegram")
        ]
        kept = await uow.session.scalar(select(func.count()).select_from(ActivitySummary))
        assert kept == 1

    again = tg.fake.send_document(ann, "Morning_Run.gpx", data)
    await tg.handled(again["update_id"])
    assert tg.fake.sent()[-1]["text"].startswith("Already logged — that run today")


async def test_a_file_over_20_mb_is_refused_without_downloading(tg: TelegramHarness) -> None:
    ann = tg.fake.user(1001, "Ann")
    await tg.onboard(ann)

    update = tg.fake.send_document(ann, "huge.fit", b"x" * 100, declared_size=25 * 1024 * 1024)
    await tg.handled(update["update_id"])

    assert tg.fake.calls_to("getFile") == []
    assert tg.fake.sent()[-1]["text"] == (
        "That file is 25.0 MB — I read activity files up to 20 MB. Export the single run "
        "(GPX, FIT or TCX) and send that."
    )
