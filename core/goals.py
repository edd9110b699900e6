"""How fast a mile goal can come: the realistic rate of improvement, a counter-proposal, the
next goal after a result, and a race at another distance as a mile time.

Sources:
- Rate of improvement: a trained runner gains roughly 1–1.5 % a week over a training block of
  a few months, and less as it goes on (Daniels' Running Formula: VDOT rises by about one point,
  ~1.5 % of race time, every 3–6 weeks of consistent training; a beginner's first weeks move
  faster, which the upper rate covers). Pacer allows 1.5 % a week with at most 12 % for any one
  block, and proposes goals at 1 % a week.
- Equivalent performances: Daniels & Gilbert's VDOT (the same oxygen cost model as
  `core.training.paces`) for 1500 m and longer, Riegel's T2 = T1 × (D2/D1)^1.06 below that,
  where VDOT's race-duration model does not reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from core.training.levels import MILE_M, SLOWEST_MILE_S, WORLD_RECORD_MILE_S
from core.training.paces import riegel, vdot
from core.training.timefmt import fmt_duration

MAX_GAIN_PER_WEEK = 0.015  # faster than this per week is not realistic (see the docstring)
PROPOSED_GAIN_PER_WEEK = 0.01  # what Pacer proposes
MAX_BLOCK_GAIN = 0.12  # one training block's ceiling, however long
DEFAULT_BLOCK_WEEKS = 8  # without a race date, goals are judged over an 8-week block
VDOT_MIN_DISTANCE_M = 1500.0  # below this, Riegel (VDOT's race-time model starts ~3.5 min)
ROUND_TO_S = 5.0  # goals are proposed in 5-second steps


@dataclass(frozen=True, slots=True)
class GoalCheck:
    """A goal judged against the weeks available: `proposal` is None when it is realistic."""

    weeks: float
    needed_per_week: float  # fraction of the current mile per week the goal asks for
    proposal: float | None  # a realistic goal (seconds) when the asked one is not

    @property
    def realistic(self) -> bool:
        return self.proposal is None


def weeks_available(today: date, race_date: date | None) -> float:
    """Weeks of training before the race (at least one), else a default block."""
    if race_date is None or race_date <= today:
        return float(DEFAULT_BLOCK_WEEKS)
    return max(1.0, (race_date - today).days / 7.0)


def realistic_goal(mile_s: float, weeks: float) -> float:
    """The goal Pacer proposes: about 1 % a week, at most 12 %, rounded to 5 s (slower side)."""
    gain = min(MAX_BLOCK_GAIN, PROPOSED_GAIN_PER_WEEK * weeks)
    target = mile_s * (1.0 - gain)
    rounded = math.ceil(target / ROUND_TO_S) * ROUND_TO_S
    if rounded >= mile_s:  # a goal must be faster than today
        rounded = math.floor((mile_s - 1.0) / ROUND_TO_S) * ROUND_TO_S
    return max(rounded, math.ceil(WORLD_RECORD_MILE_S))


def check_goal(mile_s: float, goal_s: float, weeks: float) -> GoalCheck:
    """Whether `goal_s` is within ~1.5 % a week (and 12 % a block) of `mile_s`."""
    needed = (1.0 - goal_s / mile_s) / weeks if goal_s < mile_s else 0.0
    total = 1.0 - goal_s / mile_s
    if needed <= MAX_GAIN_PER_WEEK and total <= MAX_BLOCK_GAIN:
        return GoalCheck(weeks, needed, None)
    return GoalCheck(weeks, needed, realistic_goal(mile_s, weeks))


def counter_proposal(mile_s: float, goal_s: float, weeks: float) -> str | None:
    """A friendly reply line when a goal asks for too much too soon, else None."""
    check = check_goal(mile_s, goal_s, weeks)
    if check.proposal is None:
        return None
    span = f"{round(weeks)} weeks" if round(weeks) != 1 else "1 week"
    return (
        f"💡 {fmt_duration(goal_s)} from a {fmt_duration(mile_s)} mile in {span} asks for "
        f"{check.needed_per_week:.1%} faster every week; about 1–1.5 % a week is what training "
        f"delivers. I'd aim for {fmt_duration(check.proposal)} first and raise it when you get "
        f"there: <code>/settings goal={fmt_duration(check.proposal)}</code>. Your goal stays "
        "as you set it — your call."
    )


def equivalent_mile_s(distance_m: float, seconds: float) -> float:
    """The mile a performance over another distance is worth (Daniels VDOT, Riegel < 1500 m)."""
    if abs(distance_m - MILE_M) < 0.5:
        return seconds
    if distance_m < VDOT_MIN_DISTANCE_M:
        return riegel(distance_m, seconds, MILE_M)
    target = vdot(distance_m, seconds)
    low, high = 60.0, 4 * SLOWEST_MILE_S  # vdot falls as the mile time grows: bisect
    for _ in range(60):
        mid = (low + high) / 2
        if vdot(MILE_M, mid) > target:
            low = mid
        else:
            high = mid
    return round((low + high) / 2, 1)
