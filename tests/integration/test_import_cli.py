"""`pacer import` as a user runs it: a real process on a SQLite file, exit codes, summary."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.integration.test_cli import pacer
from tests.support.activity_files import Leg, fit, gpx, run

STRAVA = """Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,\
Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Elapsed Time,Moving Time,Distance,\
Max Speed,Average Speed,Elevation Gain,Average Heart Rate
101,"Oct 1, 2026, 6:00:00 AM",Morning Run,Run,,1800,5.01,170,40,false,1800,1750,5010.2,4.5,2.8,\
35,150
102,"Oct 2, 2026, 4:00:00 PM",Commute,Ride,,3600,20.0,150,20,true,3600,3500,20000,10,6,100,130
103,"Oct 3, 2026, 8:00:00 AM",Laps,Swim,,2400,1.5,,10,false,2400,2300,1500,1,0.6,0,
104,"Oct 4, 2026, 5:30:00 AM",Tempo,Run,,2700,8.2,180,80,false,2700,2650,8200,5,3.1,60,165
105,"Oct 5, 2026, 5:30:00 AM",Evening Ride,Ride,,3600,25.0,150,20,false,3600,3500,25000,10,6,100,
"""


def export_json() -> str:
    """A `pacer export` document (the fields the import reads, as the exporter writes them)."""
    return json.dumps({
        "runner": {"tz": "UTC"},
        "logs": [
            {"date": "2026-09-20", "minutes": 25.0, "distance_m": None, "note": "easy",
             "intensity": "easy", "as_planned": False, "session_type": None,
             "logged_at": "2026-09-20T07:00:00+00:00"},
            {"date": "2026-09-22", "minutes": 30.0, "distance_m": 5000.0, "note": "",
             "intensity": "hard", "as_planned": True, "session_type": "fartlek",
             "logged_at": "2026-09-22T07:00:00+00:00"},
        ],
        "sleep": [], "streak": {"current": 0, "best": 0},
    })


def test_import_history_then_again_adds_nothing(tmp_path: Path) -> None:
    onboard = pacer(["run", "--user", "ann"], tmp_path,
                    stdin="/start level=beginner days=mon,wed,sat tz=UTC units=km\n")
    assert onboard.returncode == 0, onboard.stderr
    (tmp_path / "activities.csv").write_text(STRAVA)
    (tmp_path / "pacer.json").write_text(export_json())
    start = datetime(2026, 10, 10, 7, 0, tzinfo=UTC)
    (tmp_path / "long.gpx").write_bytes(gpx(run(Leg(10000, 330)), start=start))
    (tmp_path / "ride.fit").write_bytes(fit(run(Leg(20000, 130)), sport="cycling", start=start))
    files = ["activities.csv", "pacer.json", "long.gpx", "ride.fit"]

    first = pacer(["import", "--user", "ann", *files], tmp_path)

    assert first.returncode == 1, first.stderr  # one file refused, the others imported
    lines = first.stdout.splitlines()
    assert lines[:3] == [
        "Imported 5 runs.",
        "Skipped 2 rides, 1 swim: Pacer logs runs only.",
        "🏅 First mile on record: 8:51.1 — that's your personal best to beat.",
    ]
    assert lines[-1] == (
        "Not imported: ride.fit — That file is a ride, not a run — Pacer logs runs only. If it "
        "really was a run, change its type in your app and send it again, or log it by hand: "
        "/done 30min."
    )
    assert "Traceback" not in first.stderr

    again = pacer(["import", "--user", "ann", "activities.csv", "pacer.json", "long.gpx"],
                  tmp_path)

    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        "Imported 0 runs.",
        "Already in your log: 5 runs (nothing added twice).",
        "Skipped 2 rides, 1 swim: Pacer logs runs only.",
    ]
    pr = pacer(["run", "--user", "ann"], tmp_path, stdin="/pr\n")
    assert "Mile: 8:51.1 · Sat 10 Oct 2026 · best effort (gpx)" in pr.stdout.splitlines()


def test_unknown_runner_and_missing_database(tmp_path: Path) -> None:
    missing = pacer(["import", "--user", "zed", "x.gpx"], tmp_path)
    assert (missing.returncode, missing.stderr) == (
        2, f"pacer import: no database at {tmp_path / 'p.db'} (nothing has been stored yet)\n"
    )
    pacer(["run", "--user", "ann"], tmp_path, stdin="/help\n")

    unknown = pacer(["import", "--user", "zed", "x.gpx"], tmp_path)

    assert (unknown.returncode, unknown.stderr) == (
        2, "pacer import: no runner known as console user 'zed'\n"
    )
