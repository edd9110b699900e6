"""Race week and race day: taper, sharpener, shakeout, warm-up timeline, pacing, checklist."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.training import (
    Athlete,
    Level,
    PlanDay,
    build_plan,
    race_warmup_timeline,
    race_week_checklist,
)

START = date(2026, 4, 6)  # a Monday
RACE = date(2026, 6, 7)  # a Sunday, nine weeks on


def run_between(days: tuple[PlanDay, ...], first: date, last: date) -> int:
    return sum(d.run_minutes for d in days if first <= d.date <= last)


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(list(Level)),
    st.lists(st.integers(0, 6), min_size=3, max_size=7, unique=True),
    st.integers(14, 120),
    st.integers(0, 6),
    st.none() | st.floats(min_value=240, max_value=900),
)
def test_taper_cuts_volume_keeps_intensity_and_rests_the_last_days(
    level: Level, days: list[int], lead: int, offset: int, mile: float | None
) -> None:
    start = START + timedelta(days=offset)
    race = start + timedelta(days=lead)
    athlete = Athlete(level, tuple(sorted(days)), mile_time_s=mile, race_date=race)
    plan = build_plan(athlete, start, 200)
    d = plan.days
    assert d[-1].date == race and d[-1].type == "race" and d[-1].key
    window = [x for x in d if race - timedelta(days=6) <= x.date < race]
    assert all(x.intensity != "hard" for x in window if x.date >= race - timedelta(days=2))
    assert window[-1].type in ("shakeout", "rest")
    before = run_between(d, race - timedelta(days=13), race - timedelta(days=7))
    during = run_between(d, race - timedelta(days=6), race)
    sharp = [x for x in window if x.intensity == "hard"]
    if level is Level.BEGINNER:  # one lighter run/walk early in the week, otherwise walks
        assert not sharp
        runs = [x for x in window if x.run_minutes]
        assert len(runs) <= 1
        assert all(x.description.startswith("A lighter session") for x in runs)
    else:
        assert during <= 0.75 * before, (before, during)
        assert len(sharp) <= 1  # and never a third hard session in seven days (properties)
        assert all(x.date <= race - timedelta(days=3) for x in sharp)


def test_sunday_race_week_is_60_to_70_percent_of_the_week_before() -> None:
    athlete = Athlete(Level.COMPETITIVE, (0, 1, 3, 5, 6), mile_time_s=330.0, goal_s=320.0,
                      race_date=RACE)
    plan = build_plan(athlete, START, 70)
    weeks: dict[int, int] = {}
    for day in plan.days:
        weeks[day.week] = weeks.get(day.week, 0) + day.run_minutes
    last = max(weeks)
    assert 0.55 <= weeks[last] / weeks[last - 1] <= 0.72


def test_race_day_has_the_guide_warm_up_and_pacing_by_level() -> None:
    for level, words in [
        (Level.BEGINNER, "last 400 m"),
        (Level.IMPROVING, "negative split"),
        (Level.COMPETITIVE, "banking time"),
    ]:
        athlete = Athlete(level, (1, 3, 5, 6), mile_time_s=480.0, race_date=RACE,
                          race_start=time(9, 30))
        race = build_plan(athlete, START, 90).days[-1]
        text = " ".join(race.steps)
        assert words in text
        assert "09:22" in text  # warm-up done 8 minutes before the 09:30 start
        if level is Level.BEGINNER:  # a brisk walk with a few short jogs, no strides
            assert race.steps[1] == "09:10 Brisk walk, 10 min, with 3–4 easy jogs of 20–30 s"
            assert "strides" not in text and "Dynamic stretches" not in text
        else:
            assert "strides" in text
            assert "Dynamic stretches" in text
            assert "jog" in text


def test_warmup_timeline_finishes_5_to_10_minutes_before_the_start() -> None:
    timeline = race_warmup_timeline(time(9, 0))
    times = [t for t, _ in timeline]
    assert times == sorted(times)
    jog = next(t for t, what in timeline if "jog" in what)
    done = next(t for t, what in timeline if "Warm-up done" in what)
    assert timeline[-1][0] == time(9, 0)
    assert 5 <= 60 - done.minute <= 10
    jog_minutes = next(t for t, what in timeline if "stretches" in what).minute - jog.minute
    assert 10 <= jog_minutes <= 15
    assert any("4–6 strides of 50–100 m" in what for _, what in timeline)


def test_warmup_timeline_wraps_past_midnight() -> None:
    assert race_warmup_timeline(time(0, 20))[0][0] == time(23, 20)


def test_race_week_checklist_daily_from_seven_days_out() -> None:
    athlete = Athlete(Level.IMPROVING, (1, 3, 5), goal_s=420.0, race_date=RACE,
                      race_start=time(10, 0))
    texts = {k: race_week_checklist(athlete, RACE, RACE - timedelta(days=k)) for k in range(9)}
    assert texts[8] == "" and race_week_checklist(athlete, RACE, RACE + timedelta(days=1)) == ""
    assert all(texts[k] for k in range(8))
    assert "<b>Race in 7 days</b>" in texts[7].splitlines()
    assert "• Aim for 7–9 hours of sleep every night this week" in texts[7].splitlines()
    assert "• No hard running from today: easy or rest only" in texts[2].splitlines()
    # even laps for 7:00
    assert "• A 15-min shakeout with a few strides, or rest" in texts[1].splitlines()
    assert (
        "• Pacing: Have a plan before race day: even splits, or a negative split (second half "
        "faster). For 7:00: even laps of 1:44.4; a negative split is 1:45.4 for two laps, then "
        "1:43.4."
    ) in texts[1].splitlines()
    assert "<b>Race day!</b> You've done the work — now run your plan." in texts[0].splitlines()
    assert (
        "• 09:52 Warm-up done: keep warm, walk to the start, go through your race plan"
    ) in texts[0].splitlines()


@pytest.mark.parametrize("weekday", range(7))
def test_no_hard_session_in_the_two_days_before_any_race_weekday(weekday: int) -> None:
    race = RACE - timedelta(days=(RACE.weekday() - weekday) % 7)
    athlete = Athlete(Level.COMPETITIVE, tuple(range(7)), mile_time_s=300.0, race_date=race)
    days = build_plan(athlete, START, 90).days
    assert days[-1].date == race
    assert [d.intensity for d in days[-3:-1]] in (["easy", "easy"], ["easy", "rest"],
                                                  ["rest", "easy"], ["rest", "rest"])


def test_a_low_volume_race_week_still_tapers_with_a_shorter_sharpener() -> None:
    # Found by hypothesis: three run days, a 71-minute week before; the race's own 30 minutes
    # leave little room, so the sharpener shrinks (fewer reps, shorter warm-up) to fit.
    start = START + timedelta(days=5)
    race = start + timedelta(days=14)
    plan = build_plan(Athlete(Level.IMPROVING, (0, 5, 6), race_date=race), start, 200)
    before = run_between(plan.days, race - timedelta(days=13), race - timedelta(days=7))
    during = run_between(plan.days, race - timedelta(days=6), race)
    sharp = [x for x in plan.days[-7:] if x.intensity == "hard" and x.type != "race"]
    assert during <= 0.75 * before
    assert len(sharp) == 1 and sharp[0].title.startswith("Race-week sharpener")
