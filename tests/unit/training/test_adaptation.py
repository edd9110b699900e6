"""The current week adapts: a missed key session moves, optional ones drop, poor sleep eases."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from core.training import Athlete, History, Level, PlanDay, build_plan

MON = date(2026, 6, 1)
TUE, WED, THU = (MON + timedelta(days=k) for k in (1, 2, 3))
# Tue key (fartlek), Wed strength, Thu easy, Sat long, Sun rest
THREE_RUNS = Athlete(Level.IMPROVING, (1, 3, 5))


def day(days: tuple[PlanDay, ...], when: date) -> PlanDay:
    return next(d for d in days if d.date == when)


def test_missed_key_session_moves_to_the_next_free_day() -> None:
    plain = build_plan(THREE_RUNS, MON, 14)
    assert day(plain.days, TUE).key and day(plain.days, WED).run_minutes == 0
    adapted = build_plan(THREE_RUNS, MON, 14, History(), today=WED).days
    moved = day(adapted, WED)
    assert moved.type == day(plain.days, TUE).type and moved.key
    assert moved.note is not None and "Tuesday" in moved.note
    missed = day(adapted, TUE)
    assert missed.run_minutes == 0 and not missed.key
    assert missed.note is not None and "Wednesday" in missed.note
    # the week's running is unchanged: nothing is crammed, nothing is lost
    week = [d.run_minutes for d in adapted if d.week == 1]
    assert sum(week) == sum(d.run_minutes for d in plain.days if d.week == 1)


def test_done_key_session_stays_put() -> None:
    history = History(done={TUE: 30.0})
    adapted = build_plan(THREE_RUNS, MON, 14, history, today=WED).days
    assert day(adapted, TUE).key and day(adapted, TUE).note is None
    assert day(adapted, WED).run_minutes == 0


def test_skipped_key_today_moves_to_a_later_day() -> None:
    history = History(skipped=frozenset({TUE}))
    adapted = build_plan(THREE_RUNS, MON, 14, history, today=TUE).days
    assert day(adapted, WED).key and day(adapted, WED).intensity == "hard"
    assert day(adapted, TUE).run_minutes == 0


def test_missed_optional_session_just_drops() -> None:
    friday = MON + timedelta(days=4)
    history = History(done={TUE: 35.0})
    adapted = build_plan(THREE_RUNS, MON, 14, history, today=friday).days
    thursday = day(adapted, THU)
    assert thursday.type == "easy" and thursday.note is not None
    assert "no need to make it up" in thursday.note
    plain = build_plan(THREE_RUNS, MON, 14).days
    assert [d.type for d in adapted if d.date > THU] == [d.type for d in plain if d.date > THU]


def test_key_that_cannot_move_is_let_go_without_back_to_back_hard_days() -> None:
    # Tue key, Thu second hard session: Wed and Fri both touch a hard day
    athlete = Athlete(Level.IMPROVING, (1, 3, 5, 6))
    adapted = build_plan(athlete, MON, 14, History(), today=WED).days
    note = day(adapted, TUE).note
    assert note is not None and "let it go" in note
    hard = [d.date for d in adapted if d.intensity == "hard"]
    assert all(b - a > timedelta(days=1) for a, b in itertools.pairwise(hard))


def test_short_night_turns_the_next_hard_session_easy() -> None:
    history = History(done={TUE: 30.0}, sleep={WED: 5.0})
    athlete = Athlete(Level.IMPROVING, (1, 3, 5, 6), mile_time_s=420.0)
    plain = day(build_plan(athlete, MON, 14).days, THU)
    eased = day(build_plan(athlete, MON, 14, history, today=WED).days, THU)
    assert plain.intensity == "hard" and eased.type == "easy"
    assert eased.run_minutes == plain.run_minutes and eased.hard_minutes == 0
    assert eased.note is not None and "5 h" in eased.note and "Thursday" in eased.note


def test_poor_sleep_average_also_counts_but_good_sleep_changes_nothing() -> None:
    athlete = Athlete(Level.IMPROVING, (1, 3, 5, 6))
    tired = History(done={TUE: 30.0}, sleep={MON: 6.5, TUE: 6.5, WED: 6.5})
    rested = History(done={TUE: 30.0}, sleep={MON: 8.0, TUE: 7.5, WED: 6.5})
    assert day(build_plan(athlete, MON, 14, tired, today=WED).days, THU).type == "easy"
    assert day(build_plan(athlete, MON, 14, rested, today=WED).days, THU).intensity == "hard"


def test_sleep_never_cancels_race_day() -> None:
    race = MON + timedelta(days=20)
    athlete = Athlete(Level.COMPETITIVE, (1, 3, 5, 6), race_date=race)
    history = History(sleep={race: 4.0})
    assert build_plan(athlete, MON, 30, history, today=race).days[-1].type == "race"
