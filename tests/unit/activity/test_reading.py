"""Reading GPX, FIT and TCX files into what Pacer keeps: summary, splits, best efforts."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from core.activity.read import read_activity
from core.activity.summary import Activity
from tests.support.activity_files import START, Leg, Pause, fit, gpx, run, tcx, with_jump

NOW = datetime(2026, 3, 3, tzinfo=UTC)
WRITERS = {"gpx": gpx, "fit": fit, "tcx": tcx}


def read(name: str, data: bytes, units: str = "km") -> Activity:
    return read_activity(name, data, now=NOW, units=units)


@pytest.mark.parametrize("kind", ["gpx", "fit", "tcx"])
def test_each_format_gives_the_same_summary(kind: str) -> None:
    samples = run(Leg(5000, 300), hill_m=30)

    activity = read(f"run.{kind}", WRITERS[kind](samples))

    assert activity.file_format == kind
    assert activity.sport == "running"
    assert activity.started_at == START
    assert activity.distance_m == pytest.approx(5000, abs=1)
    assert (activity.elapsed_s, activity.moving_s) == (1500.0, 1500.0)
    assert activity.elevation_gain_m == pytest.approx(30, abs=3)
    assert activity.avg_heart_rate == 150
    assert [round(s.seconds) for s in activity.splits] == [300] * 5
    assert [round(e.seconds, 1) for e in activity.efforts] == [482.8, 1500.0]


def test_splits_in_miles_with_a_partial_last_one() -> None:
    activity = read("run.fit", fit(run(Leg(5000, 300))), units="mi")

    assert activity.split_unit == "mi"
    assert [(round(s.distance_m, 1), round(s.seconds, 1)) for s in activity.splits] == [
        (1609.3, 482.8), (1609.3, 482.8), (1609.3, 482.8), (172.0, 51.6)
    ]


def test_a_pause_is_elapsed_time_but_not_moving_time_nor_split_time() -> None:
    activity = read("run.fit", fit(run(Leg(1500, 300), Pause(120), Leg(1500, 300))))

    assert (activity.elapsed_s, activity.moving_s) == (1020.0, 900.0)
    assert [round(s.seconds) for s in activity.splits] == [300, 300, 300]
    # No mile fits in either half: the fastest one has the stop in it, as a stopwatch would.
    assert round(activity.efforts[0].seconds, 1) == 602.8


def test_a_negative_split_run_reads_as_one() -> None:
    activity = read("run.tcx", tcx(run(Leg(3000, 330), Leg(3000, 290))))

    assert [round(s.seconds) for s in activity.splits] == [330, 330, 330, 290, 290, 290]


def test_gps_noise_of_a_few_metres_does_not_inflate_the_distance() -> None:
    activity = read("noisy.gpx", gpx(run(Leg(5000, 300), noise=2.5)))

    assert activity.distance_m == pytest.approx(5000, rel=0.03)


def test_a_gps_spike_that_comes_back_is_smoothed_away() -> None:
    samples = with_jump(run(Leg(3000, 300)), at=300, metres=400, lasting=3)

    activity = read("spiky.gpx", gpx(samples))

    assert activity.smoothed_points == 3
    assert activity.distance_m == pytest.approx(3000, abs=5)


def test_gzip_and_zip_are_unpacked() -> None:
    data = fit(run(Leg(2000, 300)))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/activity_123.fit", data)

    assert read("a.fit.gz", gzip.compress(data)).distance_m == pytest.approx(2000)
    assert read("a.zip", packed.getvalue()).distance_m == pytest.approx(2000)


def test_a_start_a_few_minutes_ahead_of_the_clock_is_fine() -> None:
    data = gpx(run(Leg(1000, 300)), start=NOW + timedelta(minutes=5))

    assert read("run.gpx", data).started_at == NOW + timedelta(minutes=5)
