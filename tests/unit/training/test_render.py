"""Renderings: JSON contract, iCalendar, chat texts, the terminal plan and lap splits."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.training import (
    Athlete,
    Level,
    PlanError,
    build_plan,
    lap_splits,
    plan_to_dict,
    plan_to_ics,
    plan_to_text,
    session_text,
    week_text,
)
from core.training.model import SESSION_TYPES

START = date(2026, 6, 1)
RACER = Athlete(Level.COMPETITIVE, (0, 1, 3, 5, 6), mile_time_s=350.0, goal_s=340.0,
                race_date=date(2026, 7, 26), race_start=time(18, 30))
PLAN = build_plan(RACER, START, 84)


def test_json_contract() -> None:
    doc = json.loads(json.dumps(plan_to_dict(PLAN)))
    assert doc["athlete"]["level"] == "competitive" and doc["athlete"]["race_date"] == "2026-07-26"
    paces = doc["paces"]
    assert len(paces["easy"]) == 2 and paces["easy"][0] < paces["easy"][1]
    for key in ("threshold", "interval", "repetition", "goal_mile"):
        assert isinstance(paces[key], float)
    assert paces["goal_mile"] == pytest.approx(340 * 400 / 1609.344, abs=0.05)
    days = doc["days"]
    assert [d["date"] for d in days] == [
        (START + timedelta(days=i)).isoformat() for i in range(len(days))
    ]
    for d in days:
        assert d["type"] in SESSION_TYPES and d["intensity"] in ("rest", "easy", "hard")
        assert isinstance(d["title"], str) and isinstance(d["description"], str)
        assert isinstance(d["minutes"], int) and isinstance(d["run_minutes"], int)
        assert isinstance(d["strength_minutes"], int) and isinstance(d["week"], int)
        assert d["strides"] is None or set(d["strides"]) == {"count", "distance_m"}
        for rep in d["reps"]:
            assert set(rep) >= {"count", "seconds", "distance_m", "pace_s_per_km", "recovery_s"}
            assert (rep["seconds"] is None) != (rep["distance_m"] is None)
    mile = next(d for d in days if d["type"] == "mile_pace")
    assert mile["reps"][0]["distance_m"] == 400 and mile["reps"][0]["recovery_s"] == 90
    assert mile["reps"][0]["pace_s_per_km"] == pytest.approx(340 * 1000 / 1609.344, abs=0.2)


def test_json_without_a_time_has_null_paces() -> None:
    doc = plan_to_dict(build_plan(Athlete(Level.IMPROVING, (1, 3, 5)), START, 14))
    assert doc["paces"] == {
        "easy": None, "threshold": None, "interval": None, "repetition": None,
        "goal_mile": None, "vdot": None,
    }
    assert all(r["pace_s_per_km"] is None for d in doc["days"] for r in d["reps"])


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(list(Level)), st.integers(1, 60), st.sampled_from(["UTC", "Europe/Berlin"]))
def test_ics_has_one_event_per_non_rest_day(level: Level, length: int, tz: str) -> None:
    plan = build_plan(Athlete(level, (0, 2, 4, 6)), START, length)
    cal = icalendar.Calendar.from_ical(plan_to_ics(plan, tz=tz))
    events = list(cal.walk("VEVENT"))
    training = [d for d in plan.days if d.type != "rest"]
    assert len(events) == len(training)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event, day in zip(events, training, strict=True):
        start = event.decoded("DTSTART")
        assert start.date() == day.date and (start.hour, start.minute) == (7, 0)
        assert str(event["SUMMARY"]) == day.title


def test_ics_race_starts_with_the_warm_up_in_the_runners_zone() -> None:
    cal = icalendar.Calendar.from_ical(plan_to_ics(PLAN, tz="America/New_York"))
    race = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Race day"))
    start = race.decoded("DTSTART")
    assert (start.hour, start.minute) == (17, 55)  # 35 min before an 18:30 start
    assert str(start.tzinfo) == "America/New_York"
    assert plan_to_ics(PLAN, tz="America/New_York") == plan_to_ics(PLAN, tz="America/New_York")


def test_ics_rejects_unknown_zone() -> None:
    with pytest.raises(PlanError):
        plan_to_ics(PLAN, tz="Mars/Olympus")


def test_session_text_shows_paces_in_the_runners_units() -> None:
    threshold = next(d for d in PLAN.days if d.type == "threshold")
    km = session_text(threshold, PLAN.paces, "km")
    mi = session_text(threshold, PLAN.paces, "mi")
    assert "<b>Thu 4 Jun · Threshold: 2 × 10 min</b>" in km.splitlines()
    assert threshold.title in km
    assert (
        "<i>Tip: Threshold work teaches your body to handle the burn, so you can hold faster "
        "speeds without your legs seizing up.</i>"
    ) in km.splitlines()
    assert "Paces: threshold 4:15/km · warm-up and jogs easy 4:55–5:34/km" in km.splitlines()
    # 4:15.3/km × 1.609
    assert "Paces: threshold 6:51/mi · warm-up and jogs easy 7:55–8:58/mi" in mi.splitlines()


def test_session_text_without_paces_speaks_effort() -> None:
    plan = build_plan(Athlete(Level.COMPETITIVE, (1, 3, 5, 6)), START, 21)
    vo2 = next(d for d in plan.days if d.type == "vo2max")
    text = session_text(vo2, plan.paces, "km")
    assert (
        "• Main set: 5 × 3 min at interval pace: 3–5 km race effort (RPE 8/10), 2:30 easy jog "
        "between"
    ) in text.splitlines()
    assert "/km" not in text


def test_week_text_marks_done_days_and_totals() -> None:
    week = [d for d in PLAN.days if d.week == 2]
    first_run = next(d for d in week if d.run_minutes)
    text = week_text(week, {first_run.date: 40.0}, "km")
    assert text.count("✓") == 1 and "Week 2" in text
    assert "Running: 4 h 3 min planned, 85% easy · logged 40 min" in text.splitlines()


def test_plan_text_lists_every_day_and_the_paces() -> None:
    text = plan_to_text(PLAN)
    assert "VDOT 49" in text or "VDOT 50" in text
    assert text.count("Week ") >= 8
    assert "Race day" in text.splitlines()[-6] or "Race day" in text


def test_lap_splits_say_a_mile_is_four_laps_and_a_bit() -> None:
    text = lap_splits(360.0)
    # 360 × 400 / 1609.344
    assert "<b>Mile in 6:00</b>: 1:29.5 per 400 m lap · 3:44/km" in text.splitlines()
    assert "Lap 4 (1600 m): 5:57.9" in text
    assert "Last 9.3 m: 6:00.0" in text.splitlines()
    assert "<b>Mile in 6:00</b>: 1:29.5 per 400 m lap · 3:44/km" in text.splitlines()
    assert "6:00/mi" in lap_splits(360.0, "mi")
    with pytest.raises(PlanError):
        lap_splits(100.0)


def test_ics_race_event_runs_from_the_warm_up_to_the_end_of_the_cool_down() -> None:
    cal = icalendar.Calendar.from_ical(plan_to_ics(PLAN, tz="UTC"))
    race = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Race day"))
    # 35 min of warm-up before 18:30, the mile at 5:40 (6 min), then a 10-min cool-down
    assert race.decoded("DURATION") == timedelta(minutes=35 + 6 + 10)


def test_a_beginner_plan_speaks_effort_and_time_on_feet() -> None:
    plan = build_plan(Athlete(Level.BEGINNER, (0, 2, 5), mile_time_s=900.0), START, 14)
    lines = plan_to_text(plan).splitlines()
    assert lines[1] == (
        "Run by effort: conversational — you can talk in full sentences (RPE 3–4/10). No speed "
        "work: if you're gasping, slow down or walk."
    )
    assert "VDOT" not in plan_to_text(plan) and "threshold" not in plan_to_text(plan)
    assert lines[3] == "Week 1: 1 h 18 min on your feet, 12 min of it running, 100% easy"


def test_below_daniels_tables_faster_work_goes_by_effort() -> None:
    plan = build_plan(Athlete(Level.IMPROVING, (1, 3, 5, 6), mile_time_s=660.0), START, 56)
    header = plan_to_text(plan).splitlines()[1]
    assert header.startswith("Paces: easy ") and "below Daniels' pace tables" in header
    intervals = next(d for d in plan.days if d.type == "intervals")
    assert "fast reps RPE 8/10" in session_text(intervals, plan.paces, "km")


def test_the_text_plan_shows_each_sessions_paces_in_the_runners_units() -> None:
    racer = Athlete(Level.COMPETITIVE, RACER.training_days, 350.0, 340.0, units="mi")
    text = plan_to_text(build_plan(racer, START, 28))
    threshold = text.split("Threshold: ")[1]
    assert "      Pace: threshold 6:51/mi · warm-up and jogs easy " in threshold
    assert "/km" not in text
