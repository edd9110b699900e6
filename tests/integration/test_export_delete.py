"""/export, `pacer export` and /deleteme, as runners (and operators) see them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from copy import copy
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from bot import cli
from core.commands.base import Context
from core.commands.deleteme import answer_deleteme
from core.messages import Attachment, Reply
from core.schedule import outbox
from core.storage.database import Database
from core.storage.models import (
    ActivitySummary,
    Base,
    Challenge,
    ChallengeExclusion,
    ChallengeMember,
    ChallengeTotal,
    Club,
    FitnessChange,
    Identity,
    OutboxMessage,
    PersonalBest,
    Plan,
    PlannedSession,
    RunLog,
    Runner,
    Skip,
    SleepLog,
    StreakState,
)
from tests.support.testbot import TestBot

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
CHATHAM = "Pacific/Chatham"  # UTC+13:45 in November
NOTE = 'felt <b>strong</b>, "negative split" & 5 × 400 m\nline two; =SUM(A1)'


async def seed_runner(bot: TestBot, user: str, **profile: object) -> int:
    return await bot.add_runner(
        user, **{"level": "beginner", "plan_start": date(2026, 11, 2), **profile}
    )


async def seed_plan(bot: TestBot, runner_id: int, first: date, days: int = 7) -> None:
    """A week alternating run days and rest days (run on even offsets)."""
    async with bot.uow() as u:
        plan = Plan(
            runner_id=runner_id,
            start_date=first,
            end_date=first + timedelta(days=days - 1),
            athlete={},
            created_at=NOW,
        )
        u.session.add(plan)
        await u.session.flush()
        for offset in range(days):
            run = offset % 2 == 0
            u.session.add(
                PlannedSession(
                    runner_id=runner_id,
                    plan_id=plan.id,
                    date=first + timedelta(days=offset),
                    week=1,
                    type="run_walk" if run else "rest",
                    title="Run/walk 30 s / 90 s" if run else "Rest",
                    minutes=20 if run else 0,
                    run_minutes=8 if run else 0,
                    intensity="easy" if run else "rest",
                    detail={"text": "<b>Run/walk</b> &amp; smile"} if run else {},
                )
            )


async def seed_everything(bot: TestBot, runner_id: int) -> None:
    """A row in every table that can belong to a runner."""
    await seed_plan(bot, runner_id, date(2026, 11, 2))
    async with bot.uow() as u:
        u.session.add(
            Identity(
                runner_id=runner_id,
                platform="telegram",
                external_id="777",
                chat_id="777",
                last_seen_at=NOW,
            )
        )
        log = RunLog(
            runner_id=runner_id,
            local_date=date(2026, 11, 2),
            logged_at=NOW,
            minutes=25,
            note="first!",
        )
        u.session.add_all(
            [
                log,
                Skip(
                    runner_id=runner_id,
                    local_date=date(2026, 11, 1),
                    reason="sore",
                    created_at=NOW,
                ),
                SleepLog(
                    runner_id=runner_id, local_date=date(2026, 11, 2), hours=7.5, logged_at=NOW
                ),
                StreakState(runner_id=runner_id, current=1, best=3, updated_at=NOW),
                OutboxMessage(
                    key=f"r{runner_id}:daily:2026-11-03",
                    runner_id=runner_id,
                    platform="console",
                    chat_id="x",
                    kind="daily",
                    payload={},
                    created_at=NOW,
                    due_at=NOW,
                    expires_at=NOW,
                    next_attempt_at=NOW,
                ),
            ]
        )
        club = Club(name="Harriers", created_at=NOW)
        u.session.add(club)
        await u.session.flush()
        challenge = Challenge(
            club_id=club.id,
            name="November",
            metric="distance",
            starts_at=NOW,
            ends_on=date(2026, 11, 30),
            created_by=runner_id,
        )
        u.session.add(challenge)
        await u.session.flush()
        u.session.add_all(
            [
                ChallengeMember(challenge_id=challenge.id, runner_id=runner_id, joined_at=NOW),
                ChallengeTotal(challenge_id=challenge.id, runner_id=runner_id, updated_at=NOW),
                ChallengeExclusion(
                    challenge_id=challenge.id,
                    run_log_id=log.id,
                    removed_by=runner_id,
                    removed_at=NOW,
                ),
                PersonalBest(
                    runner_id=runner_id, distance="mile", distance_m=1609.344, seconds=480.0,
                    local_date=date(2026, 11, 2), kind="race", source="console",
                    run_log_id=log.id, created_at=NOW,
                ),
                FitnessChange(
                    runner_id=runner_id, run_log_id=log.id, mile_before=500.0,
                    mile_after=480.0, created_at=NOW,
                ),
                ActivitySummary(
                    runner_id=runner_id, run_log_id=log.id, started_at=NOW,
                    local_date=date(2026, 11, 2), file_format="gpx", distance_m=5000.0,
                    elapsed_s=1500.0, moving_s=1500.0, split_unit="km", splits=[],
                    best_efforts=[], source="console", created_at=NOW,
                ),
            ]
        )


async def rows_of(db: Database, runner_id: int) -> dict[str, int]:
    """For every column that refers to a runner: how many rows still point at `runner_id`."""
    counts: dict[str, int] = {}
    async with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                refers = any(fk.column.table.name == "runners" for fk in column.foreign_keys)
                if refers or (table.name == "runners" and column.name == "id"):
                    stmt = select(func.count()).select_from(table).where(column == runner_id)
                    counts[f"{table.name}.{column.name}"] = (await conn.execute(stmt)).scalar_one()
        exclusions = select(func.count()).select_from(ChallengeExclusion)
        counts["challenge_exclusions"] = (await conn.execute(exclusions)).scalar_one()
    return counts


def attachment(reply: Reply, suffix: str) -> Attachment:
    [found] = [a for a in reply.attachments if a.filename.endswith(suffix)]
    return found


# --- /export ------------------------------------------------------------------------------------


async def test_export_sends_json_csv_and_calendar_with_local_dates(bot: TestBot) -> None:
    runner_id = await seed_runner(
        bot, "zoë", tz=CHATHAM, reminder_time="06:30", units="mi", mile_time_s=590.5, goal_s=540.0
    )
    await seed_plan(bot, runner_id, date(2026, 11, 2))
    async with bot.uow() as u:
        u.session.add_all(
            [
                # 11:00 UTC on 2 Nov is 00:45 on 3 Nov in Chatham: the log belongs to 3 Nov.
                RunLog(
                    runner_id=runner_id,
                    local_date=date(2026, 11, 3),
                    logged_at=datetime(2026, 11, 2, 11, 0, tzinfo=UTC),
                    minutes=25.5,
                    distance_m=None,
                    note=NOTE,
                    intensity="easy",
                    as_planned=False,
                ),
                RunLog(
                    runner_id=runner_id,
                    local_date=date(2026, 11, 4),
                    logged_at=datetime(2026, 11, 3, 20, 0, tzinfo=UTC),
                    minutes=None,
                    distance_m=1609.344,
                    note="",
                    intensity="hard",
                    as_planned=True,
                ),
                SleepLog(
                    runner_id=runner_id, local_date=date(2026, 11, 3), hours=6.75, logged_at=NOW
                ),
                StreakState(runner_id=runner_id, current=2, best=5, updated_at=NOW),
            ]
        )
    bot.at("2026-11-05 07:00", CHATHAM)
    [reply] = await bot.replies("/export", user="zoë")

    assert reply.private
    assert [a.filename for a in reply.attachments] == [
        "pacer-zoe.json",
        "pacer-zoe.csv",
        "pacer-plan.ics",
    ]
    assert "2 runs, 1 night of sleep" in reply.text and "/deleteme" in reply.text

    data = json.loads(attachment(reply, ".json").content)
    assert data["runner"]["name"] == "Zoë"
    assert data["runner"]["tz"] == CHATHAM
    assert data["runner"]["days"] == ["mon", "wed", "sat"]
    assert (data["runner"]["units"], data["runner"]["reminder_time"]) == ("mi", "06:30")
    assert (data["runner"]["mile_time"], data["runner"]["goal"]) == ("9:50.5", "9:00")
    assert data["runner"]["race"] is None
    assert [(log["date"], log["minutes"], log["distance_m"]) for log in data["logs"]] == [
        ("2026-11-03", 25.5, None),
        ("2026-11-04", None, 1609.344),
    ]
    assert data["logs"][0]["note"] == NOTE  # exactly as typed: no escaping in data files
    assert data["sleep"] == [{"date": "2026-11-03", "hours": 6.75}]
    assert data["streak"] == {"current": 2, "best": 5}
    assert data["accounts"] == [{"platform": "console", "id": "zoë"}]

    rows = list(csv.DictReader(io.StringIO(attachment(reply, ".csv").content.decode())))
    assert [(r["date"], r["minutes"], r["distance_m"]) for r in rows] == [
        ("2026-11-03", "25.5", ""),
        ("2026-11-04", "", "1609.344"),
    ]
    assert rows[0]["note"] == NOTE
    assert [r["intensity"] for r in rows] == ["easy", "hard"]

    cal = Calendar.from_ical(attachment(reply, ".ics").content)
    events = cal.walk("VEVENT")
    assert len(events) == 4  # the run days of the week; rest days are not events
    first = events[0]
    assert first.decoded("dtstart") == datetime(2026, 11, 2, 6, 30, tzinfo=ZoneInfo(CHATHAM))
    assert first.decoded("dtstart").astimezone(UTC) == datetime(2026, 11, 1, 16, 45, tzinfo=UTC)
    assert first.decoded("dtend") - first.decoded("dtstart") == timedelta(minutes=20)
    assert str(first["summary"]) == "Run/walk 30 s / 90 s"
    assert str(first["description"]) == "Run/walk & smile"  # markup turned into plain text
    assert [tz.tz_name for tz in cal.timezones] == [CHATHAM]


async def test_export_holds_challenges_with_totals_removed_runs_and_the_plan(
    any_bot: TestBot,
) -> None:
    bot = any_bot
    assert (
        "Welcome to Pacer, Ann! Here is your setup:"
    ) in (await bot.say("/start level=beginner days=mon,wed,sat tz=UTC units=km")).splitlines()
    club = {"group": "harriers"}
    await bot.say('/challenge new "November Miles" metric=distance until=2026-11-30',
                  user="olga", admin=True, **club)
    await bot.say("/challenge join", **club)
    await bot.say("/done 5k 28:30")
    await bot.say("/done 21k 1:30:00")
    async with bot.uow(readonly=True) as uow:
        long_run = await uow.session.scalar(select(RunLog.id).where(RunLog.distance_m == 21000))
    removed = await bot.say(f"/challenge remove {long_run} no GPS", user="olga", admin=True,
                            **club)
    assert removed.startswith(f"Removed run #{long_run}")

    [reply] = await bot.replies("/export")

    data = json.loads(attachment(reply, ".json").content)
    [membership] = data["challenges"]
    assert membership == {
        "challenge": "November Miles", "club": "harriers", "metric": "distance",
        "status": "active", "starts_at": membership["starts_at"], "ends_on": "2026-11-30",
        "tz": "UTC", "goal": None, "joined_at": bot.clock.now().isoformat(),
        "platform": "console",
        "totals": {"distance_m": 5000.0, "minutes": 28.5, "sessions": 1, "runs": 1,
                   "streak": 0, "adherence": None},
    }
    assert data["removed_runs"] == [{
        "challenge": "November Miles", "run_date": "2026-11-02",
        "run_logged_at": bot.clock.now().isoformat(),
        "removed_at": bot.clock.now().isoformat(), "reason": "no GPS",
    }]
    plan = data["plan"]
    assert plan["start"] == "2026-11-02" and plan["inputs"]["level"] == "beginner"
    assert [day["date"] for day in plan["days"][:3]] == ["2026-11-02", "2026-11-03", "2026-11-04"]
    assert {day["type"] for day in plan["days"]} >= {"rest"}
    assert all(set(day) == {"date", "week", "type", "title", "minutes", "run_minutes",
                            "intensity", "key", "detail"} for day in plan["days"])


async def test_export_without_a_plan_sends_no_calendar(bot: TestBot) -> None:
    await seed_runner(bot, "ann", onboarded=False, plan_start=None)
    [reply] = await bot.replies("/export")
    assert [a.filename for a in reply.attachments] == ["pacer-ann.json", "pacer-ann.csv"]
    assert "No plan yet, so no calendar file: send /start to get one." in reply.text.splitlines()
    data = json.loads(reply.attachments[0].content)
    assert (data["logs"], data["sleep"], data["streak"]) == ([], [], {"current": 0, "best": 0})
    assert reply.attachments[1].content.decode() == (
        "date,minutes,distance_m,note,intensity,as_planned,session_type,logged_at\r\n"
    )


async def test_race_day_event_starts_at_the_race_start(bot: TestBot) -> None:
    runner_id = await seed_runner(
        bot, "ann", tz="Europe/Berlin", race_date=date(2026, 11, 8), race_start="09:30"
    )
    await seed_plan(bot, runner_id, date(2026, 11, 2))
    async with bot.uow() as u:
        race = await u.session.scalar(
            select(PlannedSession).where(PlannedSession.date == date(2026, 11, 8))
        )
        assert race is not None
        race.type, race.title, race.minutes = "race", "Race day: the mile", 45
    [reply] = await bot.replies("/export")
    data = json.loads(attachment(reply, ".json").content)
    assert data["runner"]["race"] == {"date": "2026-11-08", "start": "09:30"}
    events = Calendar.from_ical(attachment(reply, ".ics").content).walk("VEVENT")
    starts = {e.decoded("dtstart").date(): e.decoded("dtstart").time() for e in events}
    assert starts[date(2026, 11, 8)] == time(9, 30)
    assert starts[date(2026, 11, 2)] == time(7, 0)


async def test_export_asked_in_a_group_is_answered_privately(bot: TestBot) -> None:
    await seed_runner(bot, "ann")
    [reply] = await bot.replies("/export", group="club-1")
    assert reply.private and reply.attachments


# --- pacer export -------------------------------------------------------------------------------


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI's settings at the test database file."""
    monkeypatch.setenv("PACER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'pacer.db'}")


async def test_pacer_export_prints_the_same_json_and_csv(
    bot: TestBot, db_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    runner_id = await seed_runner(bot, "ann", tz=CHATHAM)
    async with bot.uow() as u:
        u.session.add(
            RunLog(
                runner_id=runner_id,
                local_date=date(2026, 11, 3),
                logged_at=datetime(2026, 11, 2, 11, 0, tzinfo=UTC),
                minutes=30,
                note=NOTE,
            )
        )
    assert await asyncio.to_thread(cli.main, ["export", "--user", "ann"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runner"]["name"] == "Ann" and data["runner"]["tz"] == CHATHAM
    assert data["logs"][0]["date"] == "2026-11-03" and data["logs"][0]["note"] == NOTE

    assert await asyncio.to_thread(cli.main, ["export", "--user", "ann", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["date"], r["minutes"], r["note"]) for r in rows] == [("2026-11-03", "30", NOTE)]


async def test_pacer_export_finds_telegram_and_discord_ids(
    bot: TestBot, db_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    runner_id = await seed_runner(bot, "ann")
    async with bot.uow() as u:
        u.session.add_all(
            [
                Identity(
                    runner_id=runner_id, platform="telegram", external_id="4242", last_seen_at=NOW
                ),
                Identity(
                    runner_id=runner_id, platform="discord", external_id="99", last_seen_at=NOW
                ),
            ]
        )
    for args in (["--telegram", "4242"], ["--discord", "99"]):
        assert await asyncio.to_thread(cli.main, ["export", *args]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["runner"]["name"] == "Ann"
        assert {a["platform"] for a in data["accounts"]} == {"console", "discord", "telegram"}


async def test_pacer_export_of_an_unknown_runner_is_one_line_and_exit_2(
    bot: TestBot, db_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await seed_runner(bot, "ann")
    assert await asyncio.to_thread(cli.main, ["export", "--telegram", "123"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "pacer export: no runner known as Telegram user id 123\n"


def test_pacer_export_without_a_database_creates_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.db"
    monkeypatch.setenv("PACER_DATABASE_URL", f"sqlite+aiosqlite:///{missing}")
    assert cli.main(["export", "--user", "ann"]) == 2
    assert capsys.readouterr().err == (
        f"pacer export: no database at {missing} (nothing has been stored yet)\n"
    )
    assert not missing.exists()


# --- /deleteme ----------------------------------------------------------------------------------


async def test_deleteme_asks_then_erases_every_row_of_that_runner_only(any_bot: TestBot) -> None:
    bot = any_bot
    ann = await seed_runner(bot, "ann")
    bob = await seed_runner(bot, "bob")
    await seed_everything(bot, ann)
    async with bot.uow() as u:
        u.session.add(RunLog(runner_id=bob, local_date=date(2026, 11, 2), logged_at=NOW))

    [ask] = await bot.replies("/deleteme")
    assert (
        "<b>Delete everything?</b> This erases your profile, plan, runs, sleep, streak and "
        "challenge memberships on every platform, and cannot be undone. Want a copy first? Send "
        "/export."
    ) in ask.text.splitlines()
    assert [[(c.label, c.command) for c in row] for row in ask.choices] == [
        [("Yes, delete everything", "/deleteme confirm"), ("Cancel", "/deleteme cancel")]
    ]
    async with bot.uow(readonly=True) as u:
        runner = await u.session.get(Runner, ann)
        assert runner is not None and runner.conversation is not None
        assert runner.conversation["flow"] == "deleteme"
        expires = datetime.fromisoformat(runner.conversation["expires"])
        assert expires == bot.clock.now() + timedelta(minutes=10)
    assert all(n > 0 for n in (await rows_of(bot.db, ann)).values())  # nothing gone yet

    bot.advance(minutes=9)
    assert "everything Pacer stored about you has been deleted" in await bot.say(
        "/deleteme confirm"
    )
    remaining = await rows_of(bot.db, ann)
    assert remaining == dict.fromkeys(remaining, 0), remaining
    async with bot.uow(readonly=True) as u:
        challenge = await u.session.scalar(select(Challenge))
        assert challenge is not None and challenge.created_by is None  # the club keeps it
        assert (
            await u.session.scalar(
                select(func.count()).select_from(RunLog).where(RunLog.runner_id == bob)
            )
            == 1
        )
        assert await u.session.get(Runner, bob) is not None


async def test_deleteme_also_removes_pending_club_posts_naming_the_runner(
    any_bot: TestBot,
) -> None:
    bot = any_bot
    await seed_runner(bot, "ann")
    now = bot.clock.now()

    def club_post(key: str, text: str, status: str = "pending") -> dict[str, object]:
        return outbox.outbox_row(
            key=key, kind="club_recap", platform="telegram", chat_id="-100", now=now,
            payload=outbox.reply_to_payload(Reply(text), group=True), due_at=now,
            expires_at=now + timedelta(days=1), status=status,
        )

    async with bot.uow() as u:
        await outbox.enqueue(u, [
            club_post("standings", "<b>Standings</b>\n1. Ann — 12 km\n2. Bob — 8 km"),
            club_post("results", "Final results: <b>Bob</b> 30 km"),
            club_post("lookalike", "Annabel leads with 20 km"),
            club_post("last-week", "1. Ann — 10 km", status="sent"),
        ])

    await bot.say("/deleteme")
    await bot.say("/deleteme confirm")

    async with bot.uow(readonly=True) as u:
        keys = await u.session.scalars(select(OutboxMessage.key).order_by(OutboxMessage.key))
        assert list(keys) == ["last-week", "lookalike", "results"]


async def test_deleted_runner_starts_afresh(bot: TestBot) -> None:
    await seed_runner(bot, "ann")
    await bot.say("/deleteme")
    await bot.say("/deleteme confirm")
    # a new runner, not yet onboarded
    assert await bot.say("/stats") == "Let's set you up first: send /start (it takes a minute)."
    async with bot.uow(readonly=True) as u:
        runners = list(await u.session.scalars(select(Runner)))
        assert len(runners) == 1 and not runners[0].onboarded
        assert runners[0].plan_start is None and runners[0].conversation is None


async def test_deleteme_cancel_keeps_everything(bot: TestBot) -> None:
    ann = await seed_runner(bot, "ann")
    await seed_everything(bot, ann)
    await bot.say("/deleteme")
    assert await bot.say("/deleteme cancel") == "Cancelled — nothing was deleted."
    assert all(n > 0 for n in (await rows_of(bot.db, ann)).values())
    async with bot.uow(readonly=True) as u:
        runner = await u.session.get(Runner, ann)
        assert runner is not None and runner.conversation is None
    assert "no delete request to cancel" in await bot.say("/deleteme cancel")
    # and a later confirm without asking again deletes nothing
    assert "please confirm once more" in await bot.say("/deleteme confirm")
    assert all(n > 0 for n in (await rows_of(bot.db, ann)).values())


async def test_an_expired_confirmation_asks_again(bot: TestBot) -> None:
    ann = await seed_runner(bot, "ann")
    await bot.say("/deleteme")
    bot.advance(minutes=10, seconds=1)
    [again] = await bot.replies("/deleteme confirm")
    assert "That confirmation expired" in again.text and again.choices
    async with bot.uow(readonly=True) as u:
        assert await u.session.get(Runner, ann) is not None
    bot.advance(minutes=2)
    assert await bot.say("/deleteme confirm") == (
        "Done: everything Pacer stored about you has been deleted. Thank you for running with me "
        "— if you ever want to start again, just send /start."
    )
    async with bot.uow(readonly=True) as u:
        assert await u.session.get(Runner, ann) is None


async def test_confirm_without_a_request_only_asks(bot: TestBot) -> None:
    ann = await seed_runner(bot, "ann")
    [reply] = await bot.replies("/deleteme confirm")
    assert "please confirm once more" in reply.text and reply.choices
    async with bot.uow(readonly=True) as u:
        assert await u.session.get(Runner, ann) is not None


async def test_cancel_resumes_a_guided_conversation_in_progress(bot: TestBot) -> None:
    ann = await seed_runner(bot, "ann")
    step = {"flow": "settings", "step": "tz", "answers": {}}
    async with bot.uow() as u:
        runner = await u.session.get(Runner, ann)
        assert runner is not None
        runner.conversation = step
    await bot.say("/deleteme")
    await bot.say("/deleteme")  # asking twice keeps the original conversation to resume
    await bot.say("/deleteme cancel")
    async with bot.uow(readonly=True) as u:
        runner = await u.session.get(Runner, ann)
        assert runner is not None and runner.conversation == step


async def _typed(bot: TestBot, text: str) -> Reply:
    """`answer_deleteme` as the guided-conversation handler calls it for typed text."""
    request = bot.request(text)
    async with bot.uow() as u:
        found = await u.runners.find(request.platform.value, request.user_id)
        assert found is not None
        runner, stored = found[0], copy(found[0])
        reply = await answer_deleteme(Context(request, runner, u, bot.clock))
        await u.runners.save(runner, stored)  # as the dispatcher saves what a handler changed
        return reply


@pytest.mark.parametrize("answer", ["yes", "Yes, delete everything", "confirm"])
async def test_typed_yes_deletes(bot: TestBot, answer: str) -> None:
    ann = await seed_runner(bot, "ann")
    await bot.say("/deleteme")
    assert "has been deleted" in (await _typed(bot, answer)).text
    async with bot.uow(readonly=True) as u:
        assert await u.session.get(Runner, ann) is None


async def test_typed_no_cancels_and_other_text_asks_again(bot: TestBot) -> None:
    ann = await seed_runner(bot, "ann")
    await bot.say("/deleteme")
    unclear = await _typed(bot, "hmm what?")
    assert unclear.text == "Please choose: delete everything, or cancel?"
    assert [[(c.label, c.command) for c in row] for row in unclear.choices] == [
        [("Yes, delete everything", "/deleteme confirm"), ("Cancel", "/deleteme cancel")]
    ]
    assert (await _typed(bot, "no")).text == "Cancelled — nothing was deleted."
    async with bot.uow(readonly=True) as u:
        runner = await u.session.get(Runner, ann)
        assert runner is not None and runner.conversation is None


async def test_a_typed_yes_after_expiry_deletes_nothing(bot: TestBot) -> None:
    ann = await seed_runner(bot, "ann")
    await bot.say("/deleteme")
    bot.advance(minutes=11)
    assert "expired, so nothing was deleted" in (await _typed(bot, "yes")).text
    async with bot.uow(readonly=True) as u:
        runner = await u.session.get(Runner, ann)
        assert runner is not None and runner.conversation is None


async def test_a_run_logged_after_midnight_in_chatham_exports_on_its_local_date(
    bot: TestBot,
) -> None:
    """The whole path: /done just after local midnight, then /export (JSON, CSV, calendar)."""
    await seed_runner(bot, "kiri", tz=CHATHAM, reminder_time="06:30")
    bot.at("2026-11-03 00:45", CHATHAM)  # still 2 Nov in UTC (11:00)
    note = "felt <b>strong</b> & *fast* _pb_"
    assert "Logged today" in await bot.say(f"/done 25min {note}", user="kiri")
    [reply] = await bot.replies("/export", user="kiri")
    data = json.loads(attachment(reply, ".json").content)
    [log] = data["logs"]
    assert (log["date"], log["minutes"], log["note"]) == ("2026-11-03", 25, note)
    assert log["logged_at"].startswith("2026-11-02T11:00")
    [row] = csv.DictReader(io.StringIO(attachment(reply, ".csv").content.decode()))
    assert (row["date"], row["note"]) == ("2026-11-03", note)
    async with bot.uow(readonly=True) as u:
        planned = list(await u.session.scalars(select(PlannedSession)))
        runs = [p.date for p in planned if p.type != "rest"]
    events = Calendar.from_ical(attachment(reply, ".ics").content).walk("VEVENT")
    assert sorted(e.decoded("dtstart").date() for e in events) == sorted(runs)
    assert {e.decoded("dtstart").time() for e in events} == {time(6, 30)}
