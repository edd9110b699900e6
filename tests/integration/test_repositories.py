"""The repositories on SQLite and PostgreSQL, and the in-memory fakes against them: one
scenario, the same answers (so the handler tests on the fake unit of work mean something)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.storage.logbook import StoredSkip, StreakRow
from core.storage.plans import DayDone, NewPlan, StoredDay
from core.storage.run_logs import DayMinutes, LogChange
from core.storage.runners import Runner
from core.storage.skips import SkipLine
from core.storage.streaks import StreakFigures
from tests.support.fake_uow import FakeUnitOfWorkFactory
from tests.support.testbot import TestBot

MONDAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def _day(n: int, run_minutes: int, note: str | None = None) -> StoredDay:
    return StoredDay(MONDAY + timedelta(days=n), 1, "easy", "Easy run", run_minutes,
                     run_minutes, "easy", False, {"note": note, "steps": ["Run"]})


async def _scenario(uow_factory: Any, runner_id: int) -> list[object]:
    seen: list[object] = []
    async with uow_factory() as uow:
        seen.append(await uow.updates.record("console", "7", NOW))
        seen.append(await uow.updates.record("console", "7", NOW + timedelta(minutes=1)))
        seen.append(await uow.sleep.record(runner_id, MONDAY, 6.5, NOW))
        seen.append(await uow.sleep.record(runner_id, MONDAY, 7.0, NOW))
        seen.append(await uow.sleep.nights_between(runner_id, MONDAY - timedelta(days=6), MONDAY))
        await uow.skips.add(runner_id, MONDAY, "sick", NOW)
        seen.append(await uow.skips.on(runner_id, MONDAY))
        seen.append(await uow.skips.between(runner_id, MONDAY, MONDAY + timedelta(days=6)))
        plan = NewPlan(runner_id, MONDAY, MONDAY + timedelta(days=2), {"level": "beginner"}, NOW,
                       [_day(0, 30), _day(1, 0), _day(2, 40)])
        await uow.plans.replace_from(MONDAY, plan)
        seen.append(await uow.plans.last_day(runner_id))
        seen.append(await uow.plans.run_days_between(runner_id, MONDAY, MONDAY + timedelta(6)))
        found = await uow.plans.next_run(runner_id, MONDAY)
        seen.append(None if found is None else (found.date, found.run_minutes))
        first = await uow.logbook.add_log({
            "runner_id": runner_id, "local_date": MONDAY, "logged_at": NOW, "minutes": 30.0,
            "distance_m": None, "note": "", "as_planned": True, "intensity": "easy",
            "session_type": "easy", "source": "console"})
        second = await uow.logbook.add_log({
            "runner_id": runner_id, "local_date": MONDAY, "logged_at": NOW, "minutes": None,
            "distance_m": 5000.0, "note": "untimed", "as_planned": False, "intensity": "easy",
            "session_type": None, "source": "console"})
        seen.append(await uow.logs.minutes_between(runner_id, MONDAY, MONDAY))
        seen.append([(g.note, g.minutes) for g in await uow.logs.recent(runner_id, MONDAY,
                                                                          MONDAY)])
        seen.append(await uow.plans.activity(runner_id, MONDAY, MONDAY))
        seen.append(await uow.logs.change(runner_id, first, LogChange(MONDAY, 35.0, None, "",
                                                                      True)))
        seen.append(await uow.logs.remove(runner_id, second))
        seen.append(await uow.logs.remove(runner_id, second))
        seen.append(await uow.logbook.log_fingerprint(runner_id, MONDAY, MONDAY) == (1, first))
        last = await uow.logbook.last_log(runner_id)
        seen.append(None if last is None else (last.minutes, last.note))
        window = await uow.logbook.window(runner_id, MONDAY, MONDAY, MONDAY + timedelta(days=1),
                                          MONDAY + timedelta(days=6), "active")
        seen.append(([(g.minutes, g.note, g.as_planned) for g in window.logs],
                     [s.local_date for s in window.skips],
                     [(p.date, p.type, p.title, p.minutes, p.run_minutes, p.intensity)
                      for p in window.planned], window.challenge_ids))
        seen.append(await uow.logbook.streak(runner_id))
        await uow.logbook.write_streak({"runner_id": runner_id, "current": 2, "best": 5,
                                        "as_of": MONDAY, "updated_at": NOW,
                                        "checkpoint": None}, new=True)
        seen.append(await uow.logbook.streak(runner_id))
        seen.append(await uow.streaks.figures(runner_id))
    async with uow_factory(readonly=True) as uow:
        seen.append(await uow.updates.seen("console", "7"))
        seen.append(await uow.sleep.night(runner_id, MONDAY))
        seen.append(await uow.logs.first_day(runner_id))
        seen.append(await uow.plans.mile_result(runner_id))  # no result recorded: None
    return seen


async def test_repositories_and_their_fakes_agree(any_bot: TestBot) -> None:
    runner_id = await any_bot.add_runner("ann")
    real = await _scenario(any_bot.uow, runner_id)
    fake = FakeUnitOfWorkFactory()
    fake_runner = fake.store.add_runner(display_name="Ann", onboarded=True)
    faked = await _scenario(fake, fake_runner)
    # Ids differ between stores; everything else is the same.
    assert [_no_ids(v) for v in real] == [_no_ids(v) for v in faked]
    assert real == [
        True, False, None, 6.5, {MONDAY: 7.0},
        SkipLine(MONDAY, "sick"), [SkipLine(MONDAY, "sick")],
        MONDAY + timedelta(days=2), [MONDAY, MONDAY + timedelta(days=2)],
        (MONDAY + timedelta(days=2), 40),
        [DayMinutes(MONDAY, 30.0), DayMinutes(MONDAY, None)],
        [("untimed", None), ("", 30.0)],
        real[12], True, True, False, True, (35.0, ""),
        ([(35.0, "", True)], [MONDAY],
         [(MONDAY + timedelta(days=1), "easy", "Easy run", 0, 0, "easy"),
          (MONDAY + timedelta(days=2), "easy", "Easy run", 40, 40, "easy")], []),
        None,
        StreakRow(2, 5, MONDAY, None), StreakFigures(2, 5),
        True, 7.0, MONDAY, None,
    ]
    activity = real[12]
    assert activity.done == [DayDone(MONDAY, 30.0, 2, 5000.0)]
    assert activity.skipped == frozenset({MONDAY}) and activity.sleep == {MONDAY: 7.0}


async def _runner_scenario(uow_factory: Any) -> list[object]:
    """Add, find, save (unchanged, then changed), reach, delete: what the dispatcher does."""
    seen: list[object] = []
    async with uow_factory() as uow:
        seen.append(_profile(await uow.runners.add("Bea", "console", "bea", "chat-bea", NOW)))
    async with uow_factory() as uow:
        found = await uow.runners.find("console", "bea", lock=True)
        assert found is not None
        runner, reach = found
        seen += [_profile(runner), (reach.last_seen_at, reach.chat_id, reach.reachable)]
        stored = replace(runner)
        seen.append(await uow.runners.save(runner, stored))  # unchanged: nothing written
        runner.units, runner.race_date, runner.quiet = "mi", date(2027, 4, 10), True
        runner.conversation = {"flow": "start", "step": "level", "answers": {"tz": "UTC"}}
        runner.updated_at = NOW + timedelta(hours=1)
        seen.append(await uow.runners.save(runner, stored))
        await uow.runners.update_reach(reach, {"reachable": False, "unreachable_reason": "gone"})
    async with uow_factory() as uow:
        found = await uow.runners.find("console", "bea")
        assert found is not None
        runner, reach = found
        seen += [_profile(runner), (reach.reachable, reach.unreachable_reason)]
        stored = replace(runner)
        runner.conversation = None
        seen.append(await uow.runners.save(runner, stored))
    async with uow_factory() as uow:
        found = await uow.runners.find("console", "bea")
        assert found is not None
        seen.append(found[0].conversation)
        await uow.runners.delete(found[0].id)
        seen.append(await uow.runners.save(replace(found[0], units="km"), found[0]))
    async with uow_factory() as uow:
        seen.append(await uow.runners.find("console", "bea"))
    return seen


def _profile(runner: Runner) -> dict[str, object]:
    return {k: v for k, v in vars(runner).items() if k != "id"}


async def test_the_runner_repository_and_its_fake_agree(any_bot: TestBot) -> None:
    real = await _runner_scenario(any_bot.uow)
    faked = await _runner_scenario(FakeUnitOfWorkFactory())
    assert real == faked
    new = {"display_name": "Bea", "level": "beginner", "training_days": "0,2,5",
           "mile_time_s": None, "goal_s": None, "race_date": None, "race_start": None,
           "tz": "UTC", "units": "km", "reminder_time": "07:00", "quiet": False,
           "nudges": True, "onboarded": False, "plan_start": None, "conversation": None,
           "created_at": NOW, "updated_at": NOW}
    changed = {**new, "units": "mi", "race_date": date(2027, 4, 10), "quiet": True,
               "conversation": {"flow": "start", "step": "level", "answers": {"tz": "UTC"}},
               "updated_at": NOW + timedelta(hours=1)}
    assert real == [new, new, (NOW, "chat-bea", True), False, True, changed, (False, "gone"),
                    True, None, True, None]


def _no_ids(value: object) -> object:
    if isinstance(value, list):
        return [_no_ids(v) for v in value]
    if isinstance(value, StoredSkip):
        return value.local_date
    return value


async def _plan_scenario(uow_factory: Any, runner_id: int) -> list[object]:
    """A plan stored, read back, then replanned from Wednesday (a skip moved a session)."""
    seen: list[object] = []
    first = NewPlan(runner_id, MONDAY, MONDAY + timedelta(days=3), {"level": "beginner"}, NOW,
                    [_day(0, 30), _day(1, 0), _day(2, 40), _day(3, 0)])
    async with uow_factory() as uow:
        await uow.plans.replace_from(MONDAY, first)
    async with uow_factory() as uow:
        seen.append(await uow.plans.day(runner_id, MONDAY + timedelta(days=2)))
        day = await uow.plans.day(runner_id, MONDAY)
        assert day is not None
        day.detail["note"] = "changed on the value only"  # nothing writes it back
        seen.append(await uow.plans.day(runner_id, MONDAY + timedelta(days=9)))
        later = NewPlan(runner_id, MONDAY, MONDAY + timedelta(days=4), {"level": "beginner"},
                        NOW, [_day(2, 0, "skipped"), _day(3, 40, "moved from Wednesday"),
                              _day(4, 0)])
        await uow.plans.replace_from(MONDAY + timedelta(days=2), later)
    async with uow_factory(readonly=True) as uow:
        seen.append(await uow.plans.all_days(runner_id))
        seen.append(await uow.plans.between(runner_id, MONDAY + timedelta(days=1),
                                            MONDAY + timedelta(days=3)))
        seen.append(await uow.plans.next_run(runner_id, MONDAY))
        seen.append(await uow.plans.next_run(runner_id, MONDAY + timedelta(days=3)))
        seen.append(await uow.plans.last_day(runner_id))
        seen.append(await uow.plans.run_days_between(runner_id, MONDAY, MONDAY + timedelta(6)))
    return seen


async def test_plan_repository_and_its_fake_store_plain_days_alike(any_bot: TestBot) -> None:
    runner_id = await any_bot.add_runner("ann")
    real = await _plan_scenario(any_bot.uow, runner_id)
    fake = FakeUnitOfWorkFactory()
    faked = await _plan_scenario(fake, fake.store.add_runner(display_name="Ann", onboarded=True))
    assert real == faked
    assert real == [
        _day(2, 40), None,
        [_day(0, 30), _day(1, 0), _day(2, 0, "skipped"), _day(3, 40, "moved from Wednesday"),
         _day(4, 0)],
        [_day(1, 0), _day(2, 0, "skipped"), _day(3, 40, "moved from Wednesday")],
        _day(3, 40, "moved from Wednesday"), None, MONDAY + timedelta(days=4),
        [MONDAY, MONDAY + timedelta(days=3)],
    ]
