"""History files: Pacer's own export (JSON or CSV) and Strava's bulk-export `activities.csv`.

Pure parsing: bytes in, `HistoryRun` values (plus what was skipped, counted by kind) out.
Strava's export lists every activity; only runs are taken (Run, Trail Run, Virtual Run,
Treadmill): rides, swims, walks and the rest are skipped and counted, so the import summary
can say so. Pacer's export gives local dates (the runner's day) as they were logged.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from core.activity.errors import ActivityError

STRAVA_RUN_TYPES = frozenset({"run", "trail run", "virtual run", "treadmill", "track run"})
STRAVA_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")
PACER_COLUMNS = ("date", "minutes", "distance_m", "note")


@dataclass(frozen=True)
class HistoryRun:
    """One run from a history file: a local `day` (Pacer's export) or a UTC `started_at`
    (Strava), with whatever figures the file had."""

    day: date | None
    started_at: datetime | None
    minutes: float | None
    distance_m: float | None
    note: str = ""
    intensity: str = "easy"
    as_planned: bool = False
    session_type: str | None = None
    elapsed_s: float | None = None
    elevation_gain_m: float | None = None
    avg_heart_rate: int | None = None


@dataclass
class History:
    runs: list[HistoryRun] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # "ride": 3, "swim": 1


def is_history_name(name: str) -> bool:
    return name.lower().endswith((".json", ".csv"))


def read_history(name: str, data: bytes) -> History:
    """The runs in a Pacer export (JSON or CSV) or a Strava `activities.csv`."""
    text = data.decode("utf-8-sig", errors="replace")
    if name.lower().endswith(".json"):
        return _pacer_json(name, text)
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]] if rows else []
    if "Activity Type" in header and "Activity Date" in header:
        return _strava(header, rows[1:])
    if tuple(header[:4]) == PACER_COLUMNS:
        return _pacer_rows(name, [dict(zip(header, row, strict=False)) for row in rows[1:]])
    raise ActivityError(
        f"{name} is neither a Pacer export (`pacer export --format csv`) nor Strava's "
        "activities.csv."
    )


def _pacer_json(name: str, text: str) -> History:
    try:
        document = json.loads(text)
    except ValueError as err:
        raise ActivityError(f"{name} is not valid JSON ({err}).") from None
    logs = document.get("logs") if isinstance(document, dict) else None
    if not isinstance(logs, list):
        raise ActivityError(f"{name} is not a Pacer export: it has no list of logs.")
    return _pacer_rows(name, logs)


def _pacer_rows(name: str, logs: list[Any]) -> History:
    history = History()
    for number, log in enumerate(logs, start=1):
        try:
            minutes, distance = _number(log.get("minutes")), _number(log.get("distance_m"))
            if minutes is None and distance is None:
                raise ValueError("no time and no distance")
            history.runs.append(HistoryRun(
                day=date.fromisoformat(str(log["date"])),
                started_at=None,
                minutes=minutes,
                distance_m=distance,
                note=str(log.get("note") or ""),
                intensity="hard" if log.get("intensity") == "hard" else "easy",
                as_planned=str(log.get("as_planned")).lower() == "true",
                session_type=str(log["session_type"]) if log.get("session_type") else None,
            ))
        except (AttributeError, KeyError, TypeError, ValueError) as err:
            raise ActivityError(f"{name}: log {number} is unreadable ({err}).") from None
    return history


def _strava(header: list[str], rows: list[list[str]]) -> History:
    def first(column: str) -> int | None:
        return header.index(column) if column in header else None

    def last(column: str) -> int | None:
        found = [i for i, h in enumerate(header) if h == column]
        return found[-1] if found else None

    # Strava repeats "Distance" and "Elapsed Time": the first in the athlete's display units
    # (km or mi), the later one in metres and seconds. With one column only, it is km.
    distances = [i for i, h in enumerate(header) if h == "Distance"]
    history = History()
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cell = _cells(row)
        kind = (cell(first("Activity Type")) or "").strip()
        if kind.lower() not in STRAVA_RUN_TYPES:
            history.skipped[_kind_word(kind)] += 1
            continue
        started = _strava_date(cell(first("Activity Date")) or "")
        if len(distances) > 1:
            metres = _number(cell(distances[-1]))
        else:
            km = _number(cell(distances[0])) if distances else None
            metres = None if km is None else km * 1000
        moving = _number(cell(first("Moving Time"))) or _number(cell(first("Elapsed Time")))
        heart = _number(cell(first("Average Heart Rate")))
        history.runs.append(HistoryRun(
            day=None,
            started_at=started,
            minutes=None if moving is None else round(moving / 60, 2),
            distance_m=metres,
            note=(cell(first("Activity Name")) or "").strip()[:200],
            elapsed_s=_number(cell(last("Elapsed Time"))),
            elevation_gain_m=_number(cell(first("Elevation Gain"))),
            avg_heart_rate=None if heart is None else round(heart),
        ))
    return history


def _cells(row: list[str]) -> Any:
    def cell(index: int | None) -> str | None:
        return row[index] if index is not None and index < len(row) else None

    return cell


def _strava_date(text: str) -> datetime:
    for pattern in STRAVA_DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ActivityError(f"Strava's activities.csv has a date I can't read: {text!r}.")


def _kind_word(kind: str) -> str:
    words = {"ride": "ride", "virtual ride": "ride", "e-bike ride": "ride",
             "mountain bike ride": "ride", "gravel ride": "ride", "swim": "swim",
             "walk": "walk", "hike": "hike"}
    return words.get(kind.lower(), kind.lower() or "activity of unknown type")


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return number if number == number and number >= 0 else None
