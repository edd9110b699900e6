"""The house style: every unit reads one way wherever Pacer writes it (core.text, core.units)."""

from __future__ import annotations

from datetime import date

import pytest

from core.text import (
    clock,
    describe_run,
    format_date,
    format_distance,
    format_hours,
    format_minutes,
    format_pace,
    format_pace_range,
    format_seconds,
    format_total_distance,
    plural,
    rep_length,
    run_time,
    short_date,
    streak_line,
)
from core.units import METRES_PER_MILE, in_units, minutes_at_pace, monday_of, pace_in


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(0, "0 min"), (45, "45 min"), (59.6, "1 h"), (65, "1 h 5 min"), (120, "2 h"),
     (131, "2 h 11 min")],
)
def test_amounts_of_time_read_in_hours_and_minutes(minutes: float, shown: str) -> None:
    assert format_minutes(minutes) == shown


def test_hours_of_sleep_read_like_any_amount_of_time() -> None:
    assert [format_hours(h) for h in (7.5, 8.0, 7.0833)] == ["7 h 30 min", "8 h", "7 h 5 min"]


def test_a_runs_time_is_an_amount_when_whole_and_a_clock_time_otherwise() -> None:
    shown = [run_time(m) for m in (25, 65, 28.5, 65.5)]
    assert shown == ["25 min", "1 h 5 min", "28:30", "1:05:30"]


def test_clock_times_and_measured_seconds() -> None:
    assert [clock(s) for s in (90, 3930, 419.5)] == ["1:30", "1:05:30", "7:00"]
    assert clock(75.34, tenths=True) == "1:15.3"
    assert [format_seconds(s) for s in (43.03, 1710)] == ["43.03 s", "28:30"]
    assert [rep_length(s) for s in (30, 120, 150)] == ["30 s", "2 min", "2:30"]


def test_distances_trim_a_run_and_keep_one_decimal_in_a_total() -> None:
    assert format_distance(5000, "km") == "5 km"
    assert format_distance(5000, "mi") == "3.11 mi"
    assert format_distance(500_000, "km", decimals=1) == "500 km"
    assert format_total_distance(12_000, "km") == "12.0 km"
    assert format_total_distance(21_565, "mi") == "13.4 mi"
    assert format_distance(5000, "furlongs") == "5 km"  # anything unknown reads as the default


def test_paces_have_no_space_before_the_unit() -> None:
    assert format_pace(255, "km") == "4:15/km"
    assert format_pace(255, "mi") == "6:50/mi"
    assert format_pace_range(296, 334, "km") == "4:56–5:34/km"
    assert describe_run(28.5, 5000, "km") == "5 km in 28:30 · 5:42/km"
    assert describe_run(25, None, "km") == "25 min"
    assert describe_run(None, None, "km") == "a run"


def test_dates_do_not_depend_on_the_locale() -> None:
    assert format_date(date(2026, 11, 2)) == "Mon 2 Nov"
    assert format_date(date(2026, 11, 2), year=True) == "Mon 2 Nov 2026"
    assert short_date(date(2026, 11, 2)) == "2 Nov"


def test_plurals() -> None:
    assert [plural(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert plural(2, "person", "people") == "2 people"


@pytest.mark.parametrize(
    ("current", "best", "shown"),
    [
        (0, 0, "Streak: 0 days"),
        (0, 9, "Streak: 0 days (best: 9 days)"),
        (1, 1, "🔥 Streak: 1 day"),
        (5, 9, "🔥 Streak: 5 days (best: 9 days)"),
        (9, 9, "🔥 Streak: 9 days — your best yet!"),
    ],
)
def test_the_streak_line_reads_one_way(current: int, best: int, shown: str) -> None:
    assert streak_line(current, best) == shown


def test_units_convert_through_one_set_of_constants() -> None:
    assert in_units(METRES_PER_MILE, "mi") == 1.0
    assert pace_in(300, "mi") == pytest.approx(482.8032)
    assert minutes_at_pace(5000, 300) == 25.0
    assert monday_of(date(2026, 11, 8)) == date(2026, 11, 2)  # a Sunday belongs to Monday's week
    assert monday_of(date(2026, 11, 2)) == date(2026, 11, 2)
