"""Inputs a plan cannot be built from: one clear sentence each."""

from __future__ import annotations

from datetime import date

import pytest

from core.training import Athlete, Level, PlanError, build_plan, parse_mmss, validate_athlete

TODAY = date(2026, 6, 1)


def ok(**kw: object) -> Athlete:
    base: dict[str, object] = {"level": Level.IMPROVING, "training_days": (1, 3, 5)}
    base.update(kw)
    return Athlete(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("athlete", "message"),
    [
        (
            ok(mile_time_s=200.0),
            "A current mile time of 3:20 would beat the 3:43.13 world record: write it as M:SS,"
            " e.g. 7:30.",
        ),
        (
            ok(mile_time_s=31 * 60.0),
            "A current mile time slower than 30:00 is walking pace: leave it out and train by"
            " effort.",
        ),
        (ok(race_date=date(2026, 5, 31)), "The race date 2026-05-31 is in the past."),
        (
            ok(mile_time_s=420.0, goal_s=450.0),
            "Your goal (7:30) is slower than your current mile time (7:00): pick a faster goal.",
        ),
        (
            ok(mile_time_s=600.0, goal_s=300.0),
            "A goal of 5:00 is more than 25% faster than your 10:00: set a nearer goal and raise"
            " it later.",
        ),
        (ok(training_days=()), "Pick the days you can train: at least three a week."),
        (
            ok(training_days=(1, 3)),
            "Pick at least 3 training days a week: the plans in the guide start at three"
            " sessions a week.",
        ),
        (
            ok(training_days=(3, 1, 5)),
            "Training days must be weekdays from 0 (Mon) to 6 (Sun), each once.",
        ),
        (
            ok(training_days=(1, 3, 9)),
            "Training days must be weekdays from 0 (Mon) to 6 (Sun), each once.",
        ),
        (
            ok(goal_s=100.0),
            "A goal of 1:40 would beat the 3:43.13 world record: write it as M:SS, e.g. 7:30.",
        ),
        (
            ok(recent_race=(5000.0, 600.0)),
            "That recent race would be faster than world-record pace: check it.",
        ),
        (ok(recent_race=(100.0, 15.0)), "A recent race must be between 400 m and 50 km long."),
        (ok(units="yards"), "Units must be km or mi."),
    ],
)
def test_bad_inputs_raise_one_clear_sentence(athlete: Athlete, message: str) -> None:
    with pytest.raises(PlanError) as err:
        validate_athlete(athlete, TODAY)
    assert str(err.value) == message


def test_good_inputs_pass() -> None:
    athlete = ok(mile_time_s=420.0, goal_s=400.0, race_date=TODAY, recent_race=(5000.0, 1500.0))

    validate_athlete(athlete, TODAY)  # raises PlanError on any bad input

    plan = build_plan(athlete, TODAY, 7)
    assert plan.athlete == athlete
    assert [day.date for day in plan.days] == [TODAY]  # the race is today: the plan ends there


def test_build_plan_rejects_structural_errors_and_bad_lengths() -> None:
    with pytest.raises(PlanError):
        build_plan(ok(training_days=()), TODAY, 7)
    with pytest.raises(PlanError):
        build_plan(ok(), TODAY, 0)


def test_build_plan_ignores_a_race_before_the_plan() -> None:
    plan = build_plan(ok(race_date=date(2026, 5, 1)), TODAY, 14)
    assert len(plan.days) == 14
    assert all(d.type != "race" for d in plan.days)


@pytest.mark.parametrize(
    ("text", "seconds"), [("7:30", 450.0), ("5:50.5", 350.5), ("1:05:30", 3930.0), ("0:59", 59.0)]
)
def test_parse_mmss(text: str, seconds: float) -> None:
    assert parse_mmss(text) == seconds


@pytest.mark.parametrize("text", ["7", "7:60", "abc", "7:3", ":30", "1:60:00", "-1:30"])
def test_parse_mmss_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_mmss(text)
