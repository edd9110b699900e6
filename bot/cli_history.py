"""`pacer plan --history FILE` and `--recent 5k=24:30`: a runner's history and recent race.

`--history` reads the JSON `pacer export` writes (`logs`, `skips`, `sleep`, and `runner` for the
plan's first day) into the training engine's `History`, so the printed plan is the one the
engine adapts to that history. `--recent` gives fitness as a race over another distance.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core.planning import DEFAULT_EASY_S_PER_KM
from core.race_distances import DISTANCES, distance_key
from core.training import History, parse_mmss
from core.units import minutes_at_pace

MAX_HISTORY_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class LoadedHistory:
    """A history file: what was done, and the plan start it records (if any)."""

    history: History
    plan_start: date | None


def recent_race(text: str) -> tuple[float, float]:
    """`5k=24:30` -> (5000.0, 1470.0); argparse type."""
    name, sep, time_text = text.partition("=")
    key = distance_key(name)
    if not sep or key is None:
        names = ", ".join(DISTANCES)
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a recent race like 5k=24:30 (distances: {names})"
        )
    try:
        seconds = parse_mmss(time_text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{time_text!r} is not a finishing time like 24:30 or 1:45:10"
        ) from None
    return DISTANCES[key][0], seconds


def load_history(path: str, easy_s_per_km: float = DEFAULT_EASY_S_PER_KM) -> LoadedHistory:
    """Read an export JSON; raises ValueError with one clear sentence when it cannot."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_HISTORY_BYTES:
            raise ValueError(f"{path} is larger than 20 MB: not a Pacer export")
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"cannot read {path}: {err.strerror or err}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{path} is not JSON: give the file `pacer export` writes") from None
    if not isinstance(document, dict) or not isinstance(document.get("logs"), list):
        raise ValueError(f"{path} is not a Pacer export (no \"logs\" list)")
    done: dict[date, float] = {}
    for entry in document["logs"]:
        day = _date(entry, "logs")
        minutes = _number(entry.get("minutes"))
        if minutes is None:
            distance = _number(entry.get("distance_m")) or 0.0
            minutes = minutes_at_pace(distance, easy_s_per_km)
        done[day] = done.get(day, 0.0) + (minutes if minutes > 0 else 1.0)  # logged = done
    skipped = frozenset(_date(e, "skips") for e in _list(document, "skips"))
    sleep = {}
    for entry in _list(document, "sleep"):
        hours = _number(entry.get("hours"))
        if hours is None:
            raise ValueError("a sleep entry has no hours")
        sleep[_date(entry, "sleep")] = hours
    runner = document.get("runner")
    start = runner.get("plan_start") if isinstance(runner, dict) else None
    plan_start = _parse_date(start, "runner.plan_start") if isinstance(start, str) else None
    return LoadedHistory(History(done=done, skipped=skipped, sleep=sleep), plan_start)


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"\"{key}\" must be a list")
    return value


def _date(entry: Any, where: str) -> date:
    if not isinstance(entry, dict) or not isinstance(entry.get("date"), str):
        raise ValueError(f"an entry in \"{where}\" has no date")
    return _parse_date(entry["date"], where)


def _parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} in \"{where}\" is not a date like 2026-05-10") from None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and number >= 0 else None
