"""The unit words runners type, and what each is worth in seconds or metres."""

from __future__ import annotations

from core.grammar.errors import GrammarError
from core.units import METRES_PER_KM, METRES_PER_MILE

# Rank orders the parts of a compound duration: "1h 10m 5s" must go from big to small.
HOUR, MINUTE, SECOND = 3, 2, 1
DURATION_UNITS: dict[str, int] = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), HOUR),
    **dict.fromkeys(("min", "mins", "minute", "minutes", "m"), MINUTE),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), SECOND),
}
SECONDS_PER_RANK: dict[int, float] = {HOUR: 3600.0, MINUTE: 60.0, SECOND: 1.0}

DISTANCE_UNITS: dict[str, float] = {
    **dict.fromkeys(
        ("k", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres"), METRES_PER_KM
    ),
    **dict.fromkeys(("mi", "mile", "miles"), METRES_PER_MILE),
    **dict.fromkeys(("m", "meter", "meters", "metre", "metres"), 1.0),
}

# "25m" is a 25-minute run and "400m" a lap of the track. Nobody logs a 60-metre run or a
# 150-minute run written as "150m", so the number decides: below this, "m" means minutes.
M_MEANS_METRES_FROM = 100.0


def m_means_metres(value: float) -> bool:
    """Whether the ambiguous unit "m" after `value` reads as metres (else minutes)."""
    return value >= M_MEANS_METRES_FROM


def metres_per_unit(units: str) -> float:
    """Metres in one of the runner's preferred units: "km" or "mi"."""
    unit = units.strip().lower()
    if unit in ("mi", "mile", "miles"):
        return METRES_PER_MILE
    if unit in ("km", "k", "kilometers", "kilometres"):
        return METRES_PER_KM
    raise GrammarError(f'"{units}" is not a unit I know.', "Units are km or mi.")
