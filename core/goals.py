"""How fast a mile goal can come: the realistic rate of improvement, a counter-proposal, the
next goal after a result, and a race at another distance as a mile time.

Sources:
- Rate of improvement: more than about 1–1.5 % of mile time a week is not realistic (the coaching
  brief, issue 13). Daniels' Running Formula is more conservative for trained runners (raise the
  training VDOT by one point — about 1.5–2 % of race time — after 4–6 weeks that felt easy), so
  1.5 % a week is an upper bound that leaves room for the fast early gains of newer runners.
  Gains slow as a block goes on, so Pacer flags goals beyond 1.5 % a week or 15 % in one block,
  and proposes 1 % a week, at most 12 %.
- Equivalent performances: Daniels & Gilbert's VDOT (the same oxygen cost model as
  `core.training.paces`) for 1500 m and longer, Riegel's T2 = T1 × (D2/D1)^1.06 below that,
  where VDOT's race-duration model does not reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from core.text import clock
from core.training.levels import MILE_M, SLOWEST_MILE_S, WORLD_RECORD_MILE_S
from core.training.paces import riegel, vdot

MAX_GAIN_PER_WEEK = 0.015  # faster than this per week is not realistic (see the docstring)
PROPOSED_GAIN_PER_WEEK = 0.01  # what Pacer proposes
MAX_BLOCK_GAIN = 0.15  # one training block's ceiling, however long: gains slow down
PROPOSED_BLOCK_GAIN = 0.12  # what Pacer proposes at most for one block
DEFAULT_BLOCK_WEEKS = 8  # without a race date, goals are judged over an 8-week block
VDOT_MIN_DISTANCE_M = 1500.0  # below this, Riegel (VDOT's race-time model starts ~3.5 min)
ROUND_TO_S = 5.0  # goals are proposed in 5-second steps
_EPSILON = 1e-9  # float noise at the limits is not "too much"


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
    """The goal Pacer proposes: about 1 % a week, at most 12 %, rounded to 5 s (slower side;
    whole seconds when 5-second steps are too coarse)."""
    gain = min(PROPOSED_BLOCK_GAIN, PROPOSED_GAIN_PER_WEEK * weeks)
    target = mile_s * (1.0 - gain)
    rounded = math.ceil(target / ROUND_TO_S) * ROUND_TO_S
    if rounded >= mile_s:  # too close for 5-second steps: whole seconds, still faster
        rounded = min(math.ceil(target), math.ceil(mile_s) - 1)
    return max(rounded, math.ceil(WORLD_RECORD_MILE_S))


def check_goal(mile_s: float, goal_s: float, weeks: float) -> GoalCheck:
    """Whether `goal_s` is within ~1.5 % a week (and 15 % a block) of `mile_s`."""
    needed = (1.0 - goal_s / mile_s) / weeks if goal_s < mile_s else 0.0
    total = 1.0 - goal_s / mile_s
    if needed <= MAX_GAIN_PER_WEEK + _EPSILON and total <= MAX_BLOCK_GAIN + _EPSILON:
        return GoalCheck(weeks, needed, None)
    return GoalCheck(weeks, needed, realistic_goal(mile_s, weeks))


def counter_proposal(mile_s: float, goal_s: float, weeks: float) -> str | None:
    """A friendly reply line when a goal asks for too much too soon, else None."""
    check = check_goal(mile_s, goal_s, weeks)
    if check.proposal is None:
        return None
    span = f"{round(weeks)} weeks" if round(weeks) != 1 else "1 week"
    return (
        f"💡 {clock(goal_s)} from a {clock(mile_s)} mile in {span} asks for "
        f"{check.needed_per_week:.1%} faster every week; about 1–1.5 % a week is what training "
        f"delivers. I'd aim for {clock(check.proposal)} first and raise it when you get "
        f"there: <code>/settings goal={clock(check.proposal)}</code>. Your goal stays "
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


def goal_advice(
    mile_s: float | None, goal_s: float | None, race_date: date | None, today: date
) -> str | None:
    """The counter-proposal line for a runner's settings (/start, /settings, /race), or None."""
    if mile_s is None or goal_s is None or goal_s >= mile_s:
        return None
    return counter_proposal(mile_s, goal_s, weeks_available(today, race_date))
