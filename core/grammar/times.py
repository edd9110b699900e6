"""Times of day ("7am", "19:30") and mile times ("5:50.3")."""

from __future__ import annotations

import re
from datetime import time

from core.grammar.errors import GrammarError
from core.grammar.plausibility import WORLD_RECORDS
from core.grammar.text import shorten
from core.units import METRES_PER_MILE

MILE_RECORD_SECONDS = dict(WORLD_RECORDS)[METRES_PER_MILE]
SLOWEST_MILE_SECONDS = 30 * 60.0  # a brisk walk; slower than this is not a mile "time"

_MILE = re.compile(r"([0-9]{1,2}):([0-9]{2})(?:[.,]([0-9]{1,3}))?")
_CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:\s*[:.h]\s*(?P<minute>[0-9]{2}))?\s*(?P<half>a\.?m\.?|p\.?m\.?)?"
)
_NAMED = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_CLOCK_EXAMPLE = "Try 07:00, 7am or 19:30."
_MILE_EXAMPLE = "Try 5:50 or 9:30 (minutes:seconds)."


def parse_mile_time(text: str) -> float:
    """Seconds for a mile time written M:SS or M:SS.f ("5:50", "9:30", "5:50.3").

    Refuses anything faster than the world record (3:43.13) or slower than 30:00.
    """
    cleaned = text.strip()
    match = _MILE.fullmatch(cleaned)
    if match is None:
        raise GrammarError(f'I couldn\'t read "{shorten(text)}" as a mile time.', _MILE_EXAMPLE)
    minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60:
        raise GrammarError(f'"{cleaned}" has 60 seconds or more.', _MILE_EXAMPLE)
    total = int(minutes) * 60 + int(seconds) + (float(f"0.{fraction}") if fraction else 0.0)
    if total < MILE_RECORD_SECONDS:
        raise GrammarError(
            f"{cleaned} would beat the mile world record "
            f"({_with_hundredths(MILE_RECORD_SECONDS)}).",
            _MILE_EXAMPLE,
        )
    if total > SLOWEST_MILE_SECONDS:
        raise GrammarError(f"{cleaned} is slower than 30:00, a brisk walk.", _MILE_EXAMPLE)
    return total


def _with_hundredths(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:05.2f}"


def parse_clock(text: str) -> time:
    """A time of day: "07:00", "7:00", "7am", "7 pm", "19:30", "7.30pm", "7h30", "noon".

    Raises GrammarError.
    """
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _NAMED:
        return _NAMED[cleaned]
    match = _CLOCK.fullmatch(cleaned)
    if match is None:
        raise GrammarError(f'I couldn\'t read "{shorten(text)}" as a time of day.', _CLOCK_EXAMPLE)
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = (match["half"] or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise GrammarError(f'"{cleaned}" has no such hour on a 12-hour clock.', _CLOCK_EXAMPLE)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise GrammarError(f'"{cleaned}" is not a time on the clock.', _CLOCK_EXAMPLE)
    return time(hour, minute)
