"""Activity files: reading a 10 km run recorded every second (GPX, FIT, TCX) into what Pacer
keeps — unpack, parse, clean, summary, splits, best efforts — against the target (well under
a second; issue 18) and against baselines measured in the same run: the bare parse of the
same bytes (`xml.etree.ElementTree.fromstring` for the XML formats, iterating `fitdecode`'s
frames for FIT), i.e. what any reader must pay before Pacer does anything.

Times are CPU time of this process (`time.process_time`), the best of `REPEATS`, so a busy
machine shows less in them than in wall-clock figures.
"""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime

import fitdecode

from core.activity.read import read_activity
from tests.support.activity_files import Leg, Sample, fit, gpx, tcx
from tests.support.activity_files import run as record

TARGET_S = 1.0
REPEATS = 5
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def best_of(work: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def _fit_frames(data: bytes) -> int:
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        return sum(1 for _ in reader)


def run() -> list[str]:
    samples = run_10k()
    lines = [f"10 km at 5:30 /km, one sample a second: {len(samples):,} points, HR, elevation"]
    files = {"gpx": gpx(samples), "fit": fit(samples), "tcx": tcx(samples)}
    baselines: dict[str, Callable[[bytes], object]] = {
        "gpx": ET.fromstring, "tcx": ET.fromstring, "fit": _fit_frames,
    }
    for kind, data in files.items():
        activity = read_activity(f"run.{kind}", data, now=NOW, units="km")
        assert abs(activity.distance_m - 10_000) < 5, activity.distance_m
        took = best_of(lambda d=data, k=kind: read_activity(f"run.{k}", d, now=NOW, units="km"))
        floor = best_of(lambda d=data, k=kind: baselines[k](d))
        what = "ElementTree.fromstring" if kind != "fit" else "fitdecode frames"
        lines.append(
            f"{kind.upper()} {len(data) / 1e6:.2f} MB: read_activity {took * 1000:.0f} ms "
            f"(target < {TARGET_S:.0f} s: {TARGET_S / took:.1f}x headroom); bare parse "
            f"({what}) {floor * 1000:.0f} ms, Pacer's whole read = {took / floor:.1f}x it"
        )
    return lines


def run_10k() -> list[Sample]:
    return record(Leg(10_000, 330), hill_m=40)
