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
    ("athlete", "words"),
    [
        (ok(mile_time_s=200.0), "world record"),
        (ok(mile_time_s=31 * 60.0), "30:00"),
        (ok(race_date=date(2026, 5, 31)), "in the past"),
        (ok(mile_time_s=420.0, goal_s=450.0), "slower than your current"),
        (ok(mile_time_s=600.0, goal_s=300.0), "nearer goal"),
        (ok(training_days=()), "days"),
        (ok(training_days=(1, 3)), "at least 3"),
        (ok(training_days=(3, 1, 5)), "each once"),
        (ok(training_days=(1, 3, 9)), "0 (Mon) to 6 (Sun)"),
        (ok(goal_s=100.0), "world record"),
        (ok(recent_race=(5000.0, 600.0)), "world-record"),
        (ok(recent_race=(100.0, 15.0)), "400 m and 50 km"),
        (ok(units="yards"), "km or mi"),
    ],
)
def test_bad_inputs_raise_one_clear_sentence(athlete: Athlete, words: str) -> None:
    with pytest.raises(PlanError) as err:
        validate_athlete(athlete, TODAY)
    message = str(err.value)
    assert words in message
    assert message.endswith(".") and "\n" not in message


def test_good_inputs_pass() -> None:
    validate_athlete(
        ok(mile_time_s=420.0, goal_s=400.0, race_date=TODAY, recent_race=(5000.0, 1500.0)),
        TODAY,
    )


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
