"""Paces after time off: Daniels' VDOT adjustment for days without running.

Source: Daniels' Running Formula, the table "VDOT adjustments – time off" (as published by
VDOT O2). For a runner who did not cross-train, the VDOT before the break is multiplied by
FVDOT-1:

    days off   up to 5   6      7      10     14     21     28     35     42     49
    FVDOT-1    1.000     0.997  0.994  0.985  0.973  0.952  0.931  0.910  0.889  0.868
    days off   56        63     70     72 or more
    FVDOT-1    0.847     0.826  0.805  0.800

that is 1 − 0.003 × (days − 5) after five days, never below 0.800. Pacer does not know about
cross-training, so it uses FVDOT-1, the conservative column.

Days off are counted in the runner's local days (the history's dates): the whole days between
the last run before the break (the first week of time off, `adaptation.weeks_off_before`) and
the first day of the return; a short jog inside the break does not shorten it. With no run
logged before the break, the break's own weeks are counted.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.training.athlete import History

FULL_DAYS = 5  # up to this many days off: VDOT unchanged
LOSS_PER_DAY = 0.003  # FVDOT-1 falls by this much per day off after that
FLOOR = 0.800  # from 72 days off on


def fvdot1(days_off: int) -> float:
    """Daniels' FVDOT-1 for `days_off` days without running (no cross-training)."""
    if days_off <= FULL_DAYS:
        return 1.0
    return max(FLOOR, round(1.0 - LOSS_PER_DAY * (days_off - FULL_DAYS), 3))


def days_off(history: History, first_off: date, back: date) -> int:
    """Whole days without running between the last run before `first_off` (the first day of
    the break) and `back` (the first day of the return)."""
    before = [d for d, minutes in history.done.items() if minutes > 0 and d < first_off]
    last = max(before, default=first_off - timedelta(days=1))
    return max(0, (back - last).days - 1)
