"""Profile settings: parsing `key=value` lines, validating, applying and describing them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.profile import (
    PLAN_FIELDS,
    Profile,
    ProfileError,
    apply_profile,
    changes_from_json,
    changes_to_json,
    check_profile,
    describe_changes,
    describe_profile,
    format_mile,
    parse_settings,
    profile_of,
    setting_for,
)
from core.storage.runners import Runner

TODAY = date(2026, 11, 2)


def today_in(tz: str) -> date:
    # Pretend the new zone is already a day ahead, to see which "today" reads the dates.
    return date(2026, 11, 3) if tz == "Pacific/Chatham" else TODAY


def parse(text: str) -> dict[str, object]:
    return parse_settings(text, "UTC", today_in)


def test_a_full_line_is_read_into_runner_fields() -> None:
    changes = parse(
        "level=competitive days=mon,wed,fri time=6:30 tz=europe/berlin units=mi mile=5:50 "
        "goal=5:30 race=2026-12-12 start=09:30 quiet=on nudges=off"
    )
    assert changes == {
        "level": "competitive", "training_days": "0,2,4", "reminder_time": "06:30",
        "tz": "Europe/Berlin", "units": "mi", "mile_time_s": 350.0, "goal_s": 330.0,
        "race_date": date(2026, 12, 12), "race_start": "09:30", "quiet": True,
        "nudges": False,
    }


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("timezone=UTC", "tz", "UTC"),
        ("zone=Asia/Kathmandu", "tz", "Asia/Kathmandu"),
        ("reminder=18:00", "reminder_time", "18:00"),
        ("units=kilometres", "units", "km"),
        ("units=Miles", "units", "mi"),
        ("mile=skip", "mile_time_s", None),
        ("goal=none", "goal_s", None),
        ("race=off", "race_date", None),
        ("start=skip", "race_start", None),
        ("quiet=yes", "quiet", True),
        ("nudges=0", "nudges", False),
    ],
)
def test_aliases_and_special_values(text: str, field: str, value: object) -> None:
    assert parse(text) == {field: value}


def test_a_race_date_is_read_in_the_new_time_zone() -> None:
    assert parse("race=tomorrow") == {"race_date": date(2026, 11, 3)}
    assert parse("tz=Pacific/Chatham race=tomorrow")["race_date"] == date(2026, 11, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colour=blue", "I don't know the setting “colour”"),
        ("tz=UTC timezone=UTC", "You gave tz twice"),
        ("days=0", "I couldn't set days=0"),
        ("units=parsecs", "units are km or mi"),
        ("quiet=perhaps", "on or off"),
        ("race=2026-11-01", "is in the past"),
        ("level=<script>", "&lt;script&gt;"),
        ("just words", "key=value"),
    ],
)
def test_refusals_name_the_problem(text: str, expected: str) -> None:
    with pytest.raises(ProfileError) as refusal:
        parse(text)
    assert expected in str(refusal.value)


def test_refusals_of_a_value_give_an_example_of_that_key() -> None:
    with pytest.raises(ProfileError) as refusal:
        parse("time=halfpast")
    assert "Example: <code>time=07:00</code>" in str(refusal.value)


def test_setting_for_knows_keys_and_aliases() -> None:
    assert setting_for("TZ") is setting_for("timezone")
    assert setting_for("reminder") is not None and setting_for("reminder").field == (
        "reminder_time")
    assert setting_for("colour") is None


def test_check_refuses_a_goal_slower_than_the_current_mile() -> None:
    profile = Profile(level="improving", mile_time_s=420, goal_s=450)
    with pytest.raises(ProfileError):
        check_profile(profile, TODAY)
    check_profile(profile.updated({"goal_s": 400}), TODAY)  # faster goal: fine


def test_check_ignores_an_old_race_unless_it_is_being_set() -> None:
    old_race = Profile(race_date=date(2026, 10, 1))
    check_profile(old_race, TODAY, changed=["reminder_time"])
    with pytest.raises(ProfileError, match="in the past"):
        check_profile(old_race, TODAY, changed=["race_date"])


def test_apply_returns_only_what_changed() -> None:
    now = datetime(2026, 11, 2, tzinfo=UTC)
    runner = Runner(id=1, created_at=now, updated_at=now, **vars(Profile()))
    assert profile_of(runner) == Profile()
    changed = apply_profile(runner, Profile(units="mi", reminder_time="06:00"))
    assert changed == ["reminder_time", "units"]
    assert (runner.units, runner.reminder_time) == ("mi", "06:00")
    assert apply_profile(runner, profile_of(runner)) == []
    assert "units" in PLAN_FIELDS
    assert "reminder_time" not in PLAN_FIELDS


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(350, "5:50"), (350.3, "5:50.3"), (599.96, "10:00"), (223.13, "3:43.1"), (None, "not set")],
)
def test_format_mile(seconds: float | None, text: str) -> None:
    assert format_mile(seconds) == text


def test_describe_profile_and_changes() -> None:
    before = Profile(training_days="0,2,5", tz="Asia/Kathmandu")
    after = before.updated({"training_days": "1,3", "quiet": True, "race_date": date(2026, 12, 12),
                            "race_start": "09:30"})
    lines = describe_profile(after)
    assert "Training days: Tue, Thu" in lines
    assert "Daily session at: 07:00 (Asia/Kathmandu)" in lines
    assert "Race: Sat 12 Dec 2026, start 09:30" in lines
    assert "Quiet mode: on (only the daily session and race week)" in lines
    assert describe_changes(before, after, ["quiet", "training_days"]) == [
        "Training days: Mon, Wed, Sat → Tue, Thu",
        "Quiet mode: off → on",
    ]


def test_conversation_answers_survive_a_json_round_trip() -> None:
    changes = {"race_date": date(2026, 12, 12), "goal_s": 400.0, "level": "improving"}
    assert changes_from_json(changes_to_json(changes)) == changes
    assert changes_from_json({"bogus": 1}) == {}
