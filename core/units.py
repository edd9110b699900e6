"""Units Pacer measures in, and the arithmetic between them — the one place for these numbers.

Distances are stored in metres, durations in seconds or minutes, paces in seconds per km. A
runner chooses "km" or "mi" for display; `metres_per_unit` and `pace_in` convert for them.
Weeks run Monday to Sunday (ISO 8601): `monday_of` gives the first day of a day's week.
Wording (how these read in a reply) lives in `core.text`.
"""

from __future__ import annotations

from datetime import date, timedelta

METRES_PER_KM = 1000.0
METRES_PER_MILE = 1609.344  # the international mile (1959)
KM_PER_MILE = METRES_PER_MILE / METRES_PER_KM
HALF_MARATHON_M = 21097.5
MARATHON_M = 42195.0

# The runner's display units and how many metres each is worth.
METRES_PER_UNIT: dict[str, float] = {"km": METRES_PER_KM, "mi": METRES_PER_MILE}


def display_unit(units: str) -> str:
    """The runner's display unit, "mi" or "km"; anything else reads as km (the default)."""
    return "mi" if units == "mi" else "km"


def metres_per_unit(units: str) -> float:
    """Metres in one display unit: 1609.344 for "mi", 1000 for anything else."""
    return METRES_PER_UNIT[display_unit(units)]


def in_units(metres: float, units: str) -> float:
    """`metres` as a number of the runner's display units."""
    return metres / metres_per_unit(units)


def pace_in(s_per_km: float, units: str) -> float:
    """A pace in seconds per km converted to seconds per the runner's unit."""
    return s_per_km * KM_PER_MILE if units == "mi" else s_per_km


def seconds_per_unit(minutes: float, metres: float, units: str) -> float:
    """The pace of `minutes` over `metres`, in seconds per the runner's unit."""
    return minutes * 60 / in_units(metres, units)


def minutes_at_pace(metres: float, s_per_km: float) -> float:
    """How many minutes `metres` take at `s_per_km`."""
    return metres / METRES_PER_KM * s_per_km / 60


def monday_of(day: date) -> date:
    """The Monday that starts `day`'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())
