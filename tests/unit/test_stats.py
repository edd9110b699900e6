"""Stats arithmetic against hand-computed figures, and the chart's PNG bytes."""

from __future__ import annotations

import itertools
import struct
from datetime import date

import pytest

from core.charts import weekly_chart
from core.stats import (
    LoggedRun,
    Split,
    build_report,
    easy_hard_split,
    sleep_summary,
    week_mondays,
    weekly_stats,
)

TODAY = date(2026, 11, 4)  # a Wednesday
MONDAYS = [date(2026, 10, 12), date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 2)]

RUNS = [
    LoggedRun(date(2026, 10, 5), 50, None),  # before the window
    LoggedRun(date(2026, 10, 20), 30, 5000),
    LoggedRun(date(2026, 10, 22), 20, 4000, hard=True),
    LoggedRun(date(2026, 10, 24), None, 3000),  # distance only: counts as a run, adds no time
    LoggedRun(date(2026, 10, 27), 40, None),
    LoggedRun(date(2026, 10, 29), 25, None, hard=True),
    LoggedRun(date(2026, 11, 2), 35, 6000),
]
PLANNED = [date(2026, 10, 10), date(2026, 10, 19), date(2026, 10, 21), date(2026, 10, 24),
           date(2026, 10, 26), date(2026, 10, 28), date(2026, 10, 31),
           date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 7)]
SLEEP = {date(2026, 10, 28): 5.0, date(2026, 10, 29): 6.0, date(2026, 10, 30): 8.0,
         date(2026, 11, 1): 7.5, date(2026, 11, 3): 6.5, date(2026, 11, 4): 7.0}


@pytest.mark.parametrize(
    ("first_activity", "expected"),
    [
        (None, 4),  # nothing yet: still a four-week frame
        (date(2026, 11, 4), 4),
        (date(2026, 10, 20), 4),  # three weeks active → the minimum of four
        (date(2026, 9, 28), 6),  # Monday 28 Sep .. week of 2 Nov
        (date(2026, 9, 27), 7),  # a Sunday: its week starts on 21 Sep
        (date(2025, 1, 1), 8),  # long history: capped at eight
    ],
)
def test_week_window_grows_with_history_between_four_and_eight(
    first_activity: date | None, expected: int
) -> None:
    mondays = week_mondays(TODAY, first_activity)
    assert len(mondays) == expected
    assert mondays[-1] == date(2026, 11, 2)
    assert all(m.weekday() == 0 for m in mondays)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(mondays))


def test_weekly_stats_sum_minutes_distance_runs_plans_and_sleep() -> None:
    weeks = weekly_stats(MONDAYS, RUNS, PLANNED, SLEEP)
    assert [w.monday for w in weeks] == MONDAYS
    assert [(w.easy_minutes, w.hard_minutes) for w in weeks] == [
        (0, 0), (30, 20), (40, 25), (35, 0)]
    assert [w.minutes for w in weeks] == [0, 50, 65, 35]
    assert [w.distance_m for w in weeks] == [0, 12000, 0, 6000]
    assert [w.runs for w in weeks] == [0, 3, 2, 1]
    assert [w.planned_runs for w in weeks] == [0, 3, 3, 3]
    # week of 26 Oct: (5.0 + 6.0 + 8.0 + 7.5) / 4; week of 2 Nov: (6.5 + 7.0) / 2
    assert [w.sleep_average for w in weeks] == [None, None, 6.625, 6.75]


def test_easy_hard_split_ignores_runs_without_a_duration() -> None:
    split = easy_hard_split(RUNS[1:])
    assert split == Split(easy_minutes=105, hard_minutes=45)
    assert split.total == 150
    assert split.easy_share == pytest.approx(0.7)
    assert Split(0, 0).easy_share is None


def test_sleep_summary_covers_the_last_seven_mornings() -> None:
    summary = sleep_summary(SLEEP, TODAY)
    # 29 Oct .. 4 Nov: 6.0, 8.0, 7.5, 6.5, 7.0 (28 Oct is eight mornings back)
    assert summary.nights == 5
    assert summary.average == pytest.approx(7.0)
    assert summary.short_nights == 2
    assert sleep_summary({}, TODAY).average is None
    assert sleep_summary({date(2026, 11, 5): 9.0}, TODAY).nights == 0  # the future is ignored


def test_report_uses_the_same_weeks_for_table_and_split() -> None:
    report = build_report(TODAY, RUNS, PLANNED, SLEEP, first_activity=date(2026, 10, 20))
    assert [w.monday for w in report.weeks] == MONDAYS
    assert report.split == Split(105, 45)  # the 5 Oct run is outside the four weeks
    assert report.sleep.nights == 5
    assert [w.monday for w in report.active_weeks] == MONDAYS[1:]  # the frame starts earlier


def test_a_brand_new_runner_has_one_active_week_in_a_four_week_frame() -> None:
    report = build_report(TODAY, [], [], {}, first_activity=TODAY)
    assert len(report.weeks) == 4
    assert [w.monday for w in report.active_weeks] == [date(2026, 11, 2)]
    assert build_report(TODAY, [], [], {}).active_weeks == report.weeks  # no start known


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk follows the signature
    return width, height


def test_weekly_chart_is_a_real_png() -> None:
    weeks = weekly_stats(MONDAYS, RUNS, PLANNED, SLEEP)
    png = weekly_chart(weeks, "Weekly running — last 4 weeks")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[12:16] == b"IHDR"
    assert _png_size(png) == (800, 450)
    assert len(png) > 15_000  # bars, labels and a legend, not a blank canvas


def test_weekly_chart_without_sleep_and_an_empty_chart_is_refused() -> None:
    weeks = weekly_stats(MONDAYS, RUNS, PLANNED, {})
    png = weekly_chart(weeks)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert png != weekly_chart(weekly_stats(MONDAYS, RUNS, PLANNED, SLEEP))
    with pytest.raises(ValueError, match="at least one week"):
        weekly_chart([])
