"""History files: Pacer's export (JSON/CSV) and Strava's activities.csv, parsed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.activity.errors import ActivityError
from core.activity.history import HistoryRun, read_history

PACER_CSV = (
    "date,minutes,distance_m,note,intensity,as_planned,session_type,logged_at\r\n"
    "2026-09-20,25,,\"easy, sunny\",easy,false,,2026-09-20T07:00:00+00:00\r\n"
    "2026-09-22,30,5000,,hard,true,fartlek,2026-09-22T07:00:00+00:00\r\n"
)


def test_pacer_csv() -> None:
    history = read_history("pacer.csv", PACER_CSV.encode())

    assert history.runs == [
        HistoryRun(date(2026, 9, 20), None, 25.0, None, "easy, sunny"),
        HistoryRun(date(2026, 9, 22), None, 30.0, 5000.0, "", "hard", True, "fartlek"),
    ]
    assert not history.skipped


def test_strava_with_repeated_columns_takes_metres_and_skips_other_sports() -> None:
    csv = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Elapsed Time,Moving Time,Distance,Elevation Gain,Average Heart Rate\n"
        '1,"Oct 4, 2026, 5:30:00 AM",Tempo,Run,2700,8.2,2700,2650,8200.5,60,165.4\n'
        '2,"Oct 5, 2026, 5:30:00 PM",Home,Ride,3600,25.0,3600,3500,25000,100,\n'
        '3,"Oct 6, 2026, 6:00:00 AM",Pool,Swim,2400,1.5,2400,2300,1500,0,\n'
        '4,"Oct 7, 2026, 6:00:00 AM",Trail,Trail Run,3000,6.0,3000,2900,6000,200,\n'
    )

    history = read_history("activities.csv", csv.encode())

    assert history.runs == [
        HistoryRun(None, datetime(2026, 10, 4, 5, 30, tzinfo=UTC), 44.17, 8200.5, "Tempo",
                   elapsed_s=2700.0, elevation_gain_m=60.0, avg_heart_rate=165),
        HistoryRun(None, datetime(2026, 10, 7, 6, 0, tzinfo=UTC), 48.33, 6000.0, "Trail",
                   elapsed_s=3000.0, elevation_gain_m=200.0, avg_heart_rate=None),
    ]
    assert dict(history.skipped) == {"ride": 1, "swim": 1}


@pytest.mark.parametrize(("name", "data", "answer"), [
    ("x.json", b"{not json", "x.json is not valid JSON (Expecting property name enclosed in "
                             "double quotes: line 1 column 2 (char 1))."),
    ("x.json", b'{"runner": {}}', "x.json is not a Pacer export: it has no list of logs."),
    ("x.csv", b"a,b,c\n1,2,3\n", "x.csv is neither a Pacer export (`pacer export --format "
                                  "csv`) nor Strava's activities.csv."),
    ("x.json", b'{"logs": [{"date": "yesterday", "minutes": 5}]}',
     "x.json: log 1 is unreadable (Invalid isoformat string: 'yesterday')."),
])
def test_unreadable_history(name: str, data: bytes, answer: str) -> None:
    with pytest.raises(ActivityError) as caught:
        read_history(name, data)
    assert str(caught.value) == answer
