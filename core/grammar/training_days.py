"""Which weekdays a runner trains on: "3", "mon,wed,fri", "mon-fri", "tue thu sat"."""

from __future__ import annotations

import re

from core.grammar.days import WEEKDAYS
from core.grammar.errors import GrammarError
from core.grammar.text import fold, shorten

# A day count becomes a spread that keeps easy days apart and puts the long run at the
# weekend; up to three days nothing falls on consecutive days, even across the week's end.
SPREADS: dict[int, tuple[int, ...]] = {
    1: (5,),
    2: (1, 5),
    3: (0, 2, 5),
    4: (1, 3, 5, 6),
    5: (0, 1, 3, 5, 6),
    6: (1, 2, 3, 4, 5, 6),
    7: (0, 1, 2, 3, 4, 5, 6),
}
_GROUPS: dict[str, tuple[int, ...]] = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
    "weekend": (5, 6),
    "daily": SPREADS[7],
    "everyday": SPREADS[7],
    "every day": SPREADS[7],
    "all": SPREADS[7],
}
_SEPARATORS = re.compile(r"(?:,|;|/|\+|&|\band\b|\s)+")
_DASH = re.compile(r"\s*(?:-|–|\bto\b)\s*")
_EXAMPLE = "Try 3 (I pick the days), mon,wed,sat, mon-fri or tue thu sat."


def parse_training_days(text: str) -> tuple[int, ...]:
    """Sorted weekday numbers (0=Mon..6=Sun), one to seven of them. A bare count ("3") gets
    a sensible spread; names may be listed, abbreviated, or given as ranges ("fri-mon" wraps).
    Raises GrammarError."""
    cleaned = " ".join(fold(text).split())
    count = cleaned.removesuffix("days").removesuffix("day").strip()
    if count.isascii() and count.isdigit():
        if len(count) == 1 and int(count) in SPREADS:
            return SPREADS[int(count)]
        raise GrammarError(f"{shorten(count)} days a week won't work: pick 1 to 7.", _EXAMPLE)
    if cleaned in _GROUPS:
        return _GROUPS[cleaned]
    days: set[int] = set()
    for part in _SEPARATORS.split(_DASH.sub("-", cleaned)):
        if part:
            days.update(_read_part(part))
    if not days:
        raise GrammarError("I need your training days.", _EXAMPLE)
    return tuple(sorted(days))


def _read_part(part: str) -> tuple[int, ...]:
    if part in _GROUPS:
        return _GROUPS[part]
    if part in WEEKDAYS:
        return (WEEKDAYS[part],)
    first, dash, last = part.partition("-")
    if dash and first in WEEKDAYS and last in WEEKDAYS:
        start, span = WEEKDAYS[first], (WEEKDAYS[last] - WEEKDAYS[first]) % 7
        return tuple((start + step) % 7 for step in range(span + 1))  # "fri-mon" wraps
    raise GrammarError(f'I don\'t know the day "{shorten(part)}".', _EXAMPLE)
