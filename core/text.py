"""How Pacer writes numbers, dates and the streak in replies — one house style per unit.

House style:
- dates: `Mon 2 Nov` (`Mon 2 Nov 2026` with the year), short form `2 Nov`;
- amounts of time (a plan, a week's total, sleep): `45 min`, `1 h 5 min`, `2 h` — never
  zero-padded minutes, never `0 min`;
- clock times (a run's time, a race result, a pace): `28:30`, `1:05:30`, tenths when they
  matter (`5:50.3`); a run of whole minutes reads as an amount (`25 min`, `1 h 5 min`);
- distances: the runner's unit. A run or a goal is trimmed: `5 km`, `3.11 mi`, `500 km` (two
  decimals at most); a total (a week, a board) keeps one decimal so columns line up: `12.0 km`;
- paces: `5:42/km`, `9:10/mi`, ranges fast end first `4:56–5:34/km`;
- counts: `1 day`, `2 days` (`plural`);
- the streak: `🔥 Streak: 5 days (best: 9 days)` (`streak_line`).
Unit arithmetic lives in `core.units`.
"""

from __future__ import annotations

import math
from datetime import date

from core.units import display_unit, in_units, pace_in, seconds_per_unit

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Said when something broke on Pacer's side. The application says NOTHING_SAVED (it rolled the
# update back); a chat adapter, which cannot tell what was kept, says SORRY.
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
SORRY_NOTHING_SAVED = (
    "Sorry, something went wrong on my side and nothing was saved. Please try again in a moment."
)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 day`, `2 days`, `0 days` (`many` for irregular nouns)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def trim(value: float, decimals: int = 2) -> str:
    """`value` to `decimals` places without a pointless tail: 5 -> "5", 3.10 -> "3.1"."""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- dates ------------------------------------------------------------------------------------


def format_date(day: date, *, year: bool = False) -> str:
    """`Mon 2 Nov` (with `year`: `Mon 2 Nov 2026`)."""
    text = f"{WEEKDAYS[day.weekday()]} {short_date(day)}"
    return f"{text} {day.year}" if year else text


def short_date(day: date) -> str:
    """`2 Nov`."""
    return f"{day.day} {MONTHS[day.month - 1]}"


# --- durations --------------------------------------------------------------------------------


def format_minutes(minutes: float) -> str:
    """An amount of time, rounded to the minute: `45 min`, `1 h 5 min`, `2 h`."""
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def format_hours(hours: float) -> str:
    """`7 h 30 min`, `8 h`: an amount of time given in hours."""
    return format_minutes(hours * 60)


def clock(seconds: float, *, tenths: bool = False) -> str:
    """A time the way runners write it: `28:30`, `1:05:30`; with `tenths`, `M:SS.s`."""
    if tenths:
        whole = math.floor(seconds * 10 + 0.5)
        minutes, rest = divmod(whole, 600)
        return f"{minutes}:{rest // 10:02d}.{rest % 10}"
    total = math.floor(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_tenths_if_any(seconds: float) -> str:
    """`5:50`, or `5:50.3` when the tenth was given: a mile time as the runner typed it."""
    tenths = round(seconds * 10)
    minutes, rest = divmod(tenths, 600)
    secs, tenth = divmod(rest, 10)
    return f"{minutes}:{secs:02d}" + (f".{tenth}" if tenth else "")


def format_seconds(seconds: float) -> str:
    """A measured time: `28:30`, `1:05:00`, and `43.03 s` under a minute."""
    if seconds < 60:
        return trim(seconds) + " s"
    return clock(seconds)


def run_time(minutes: float) -> str:
    """A run's time: `25 min`, `1 h 5 min` for whole minutes, else `28:30`, `1:05:30`."""
    seconds = round(minutes * 60)
    if seconds % 60 == 0:
        return format_minutes(seconds // 60)
    return clock(seconds)


def rep_length(seconds: int) -> str:
    """A rep length the way coaches say it: `30 s`, `2 min`, `2:30`."""
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes} min" if secs == 0 else f"{minutes}:{secs:02d}"


# --- distances and paces ----------------------------------------------------------------------


def format_distance(metres: float, units: str, decimals: int = 2) -> str:
    """A run or a goal in the runner's unit, trimmed: `5 km`, `3.11 mi`, `500 km`."""
    return f"{trim(in_units(metres, units), decimals)} {display_unit(units)}"


def format_total_distance(metres: float, units: str) -> str:
    """A total in the runner's unit with one decimal kept: `12.0 km`, `13.4 mi`."""
    return f"{in_units(metres, units):.1f} {display_unit(units)}"


def format_pace(s_per_km: float, units: str) -> str:
    """`4:15/km` or `6:50/mi`."""
    return f"{clock(pace_in(s_per_km, units))}/{display_unit(units)}"


def format_pace_range(low: float, high: float, units: str) -> str:
    """`4:56–5:34/km`: fast end first."""
    return f"{clock(pace_in(low, units))}–{format_pace(high, units)}"


def run_pace(minutes: float, metres: float, units: str) -> str:
    """The pace of a logged run: `5:42/km`."""
    return f"{clock(seconds_per_unit(minutes, metres, units))}/{display_unit(units)}"


def describe_run(minutes: float | None, distance_m: float | None, units: str) -> str:
    """`5 km in 28:30 · 5:42/km`, `25 min`, `3.11 mi` — in the runner's units."""
    parts = []
    if distance_m:
        parts.append(format_distance(distance_m, units))
    if minutes:
        parts.append(run_time(minutes))
    text = " in ".join(parts) or "a run"
    if distance_m and minutes:
        text += f" · {run_pace(minutes, distance_m, units)}"
    return text


# --- the streak -------------------------------------------------------------------------------


def streak_line(current: int, best: int) -> str:
    """`🔥 Streak: 5 days (best: 9 days)`, `🔥 Streak: 9 days — your best yet!`, `Streak: 0 days`.

    Every reply that shows the streak uses this line; callers add their own hint after it.
    """
    if current == 0:
        return f"Streak: 0 days (best: {plural(best, 'day')})" if best else "Streak: 0 days"
    text = f"🔥 Streak: {plural(current, 'day')}"
    if best > current:
        return f"{text} (best: {plural(best, 'day')})"
    return f"{text} — your best yet!" if current >= 2 else text
