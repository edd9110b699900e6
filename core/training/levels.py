"""Runner levels and display units: the two choices that shape every plan."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from core.units import METRES_PER_MILE


class Level(StrEnum):
    """Where the runner starts, as the training guide splits its advice."""

    BEGINNER = "beginner"  # goal: a first continuous mile
    IMPROVING = "improving"  # goal: a faster mile
    COMPETITIVE = "competitive"  # goal: a personal record


Units = Literal["km", "mi"]

MILE_M = METRES_PER_MILE
WORLD_RECORD_MILE_S = 223.13  # Hicham El Guerrouj, 1999 (3:43.13)
SLOWEST_MILE_S = 30 * 60.0  # slower than this is walking: plan by effort instead
