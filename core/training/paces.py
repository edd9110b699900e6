"""Training paces from a race time: Daniels & Gilbert's VDOT, and Riegel's race conversion.

VDOT is the VO2max a race implies, using Daniels & Gilbert's published equations:
oxygen cost VO2 = -4.60 + 0.182258 v + 0.000104 v² (v in m/min), and the fraction of VO2max
that can be held for t minutes, 0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t).
Each training pace is the speed whose oxygen cost is a given fraction of VDOT; the fractions
are calibrated so VDOT 50 (a 5:50 mile) gives Daniels' table paces (threshold 4:15/km, easy
4:56–5:34/km, interval 3:55/km, repetition 3:40/km).
"""

from __future__ import annotations

import math
from functools import lru_cache

from core.training.athlete import Athlete
from core.training.levels import MILE_M
from core.training.model import NO_PACES, Paces

RIEGEL_EXPONENT = 1.06

# Fractions of VDOT for each training pace (see the module docstring for the calibration).
EASY_FAST = 0.735
EASY_SLOW = 0.63
THRESHOLD = 0.88  # about current 10k pace
INTERVAL = 0.975
REPETITION = 1.055

_A, _B, _C = 0.000104, 0.182258, -4.60


def oxygen_cost(v_m_per_min: float) -> float:
    """ml/kg/min needed to run at a speed (Daniels & Gilbert)."""
    return _C + _B * v_m_per_min + _A * v_m_per_min * v_m_per_min


def fraction_sustainable(t_min: float) -> float:
    """Fraction of VO2max that can be held for a race lasting `t_min` minutes."""
    slow = 0.1894393 * math.exp(-0.012778 * t_min)
    fast = 0.2989558 * math.exp(-0.1932605 * t_min)
    return 0.8 + slow + fast


def vdot(distance_m: float, time_s: float) -> float:
    """The VDOT a race performance implies."""
    t_min = time_s / 60.0
    return oxygen_cost(distance_m / t_min) / fraction_sustainable(t_min)


def velocity_for(vo2: float) -> float:
    """Speed (m/min) whose oxygen cost is `vo2`: the positive root of the cost quadratic."""
    return (-_B + math.sqrt(_B * _B - 4 * _A * (_C - vo2))) / (2 * _A)


def pace_at(vdot_value: float, fraction: float) -> float:
    """Seconds per km at a fraction of VO2max."""
    return 60_000.0 / velocity_for(vdot_value * fraction)


def riegel(distance_m: float, time_s: float, to_distance_m: float) -> float:
    """Predicted time over another distance: T2 = T1 × (D2 / D1)^1.06."""
    return time_s * math.pow(to_distance_m / distance_m, RIEGEL_EXPONENT)


def estimated_mile_s(athlete: Athlete) -> float | None:
    """The runner's current mile: as given, or converted from a recent race with Riegel."""
    if athlete.mile_time_s is not None:
        return athlete.mile_time_s
    if athlete.recent_race is not None:
        distance_m, time_s = athlete.recent_race
        return riegel(distance_m, time_s, MILE_M)
    return None


def compute_paces(athlete: Athlete) -> Paces:
    """Training paces for a runner; all None when no time is known (plans use effort then).

    VDOT comes from the mile time when given, else straight from the recent race (VDOT does not
    need a conversion). Goal mile pace uses the goal, or the current mile when there is none.
    """
    if athlete.mile_time_s is not None:
        return _paces(MILE_M, athlete.mile_time_s, athlete.goal_s)
    if athlete.recent_race is not None:
        distance_m, time_s = athlete.recent_race
        return _paces(distance_m, time_s, athlete.goal_s)
    if athlete.goal_s is not None:
        return Paces(None, None, None, None, _per_400(athlete.goal_s), None)
    return NO_PACES


@lru_cache(maxsize=4096)
def _paces(distance_m: float, time_s: float, goal_s: float | None) -> Paces:
    value = vdot(distance_m, time_s)
    mile = time_s if distance_m == MILE_M else riegel(distance_m, time_s, MILE_M)
    return Paces(
        easy=(round(pace_at(value, EASY_FAST), 1), round(pace_at(value, EASY_SLOW), 1)),
        threshold=round(pace_at(value, THRESHOLD), 1),
        interval=round(pace_at(value, INTERVAL), 1),
        repetition=round(pace_at(value, REPETITION), 1),
        goal_mile_400=_per_400(goal_s if goal_s is not None else mile),
        vdot=round(value, 1),
    )


def _per_400(mile_s: float) -> float:
    return round(mile_s * 400.0 / MILE_M, 1)


@lru_cache(maxsize=4096)
def progressed(paces: Paces, vdot_gain: float) -> Paces:
    """The training paces of a VDOT `vdot_gain` higher (easy and goal mile pace unchanged).

    Daniels' Running Formula: after some weeks of consistent training at one VDOT, train at
    the next one up; quality sessions get faster while easy running stays easy.
    """
    if paces.vdot is None or vdot_gain <= 0:
        return paces
    value = paces.vdot + vdot_gain
    return Paces(
        easy=paces.easy,
        threshold=round(pace_at(value, THRESHOLD), 1),
        interval=round(pace_at(value, INTERVAL), 1),
        repetition=round(pace_at(value, REPETITION), 1),
        goal_mile_400=paces.goal_mile_400,
        vdot=round(value, 1),
    )


@lru_cache(maxsize=4096)
def slowed(paces: Paces, factor: float) -> Paces:
    """The training paces of a VDOT `factor` (at most 1) times lower: every pace slower, never
    faster than before. Goal mile work slows with repetition pace (Daniels' R pace is about
    mile race pace). Used after time off (`core.training.detraining`)."""
    if paces.vdot is None or factor >= 1:
        return paces
    value = paces.vdot * factor

    def slower(old: float | None, fraction: float) -> float | None:
        return None if old is None else max(old, round(pace_at(value, fraction), 1))

    easy = paces.easy
    if easy is not None:
        easy = (max(easy[0], round(pace_at(value, EASY_FAST), 1)),
                max(easy[1], round(pace_at(value, EASY_SLOW), 1)))
    repetition = slower(paces.repetition, REPETITION)
    goal = paces.goal_mile_400
    if goal is not None and repetition is not None and paces.repetition:
        goal = max(goal, round(goal * repetition / paces.repetition, 1))
    return Paces(
        easy=easy,
        threshold=slower(paces.threshold, THRESHOLD),
        interval=slower(paces.interval, INTERVAL),
        repetition=repetition,
        goal_mile_400=goal,
        vdot=round(value, 1),
    )


def goal_vdot(athlete: Athlete) -> float | None:
    """The VDOT the goal mile implies, if there is a goal."""
    return None if athlete.goal_s is None else vdot(MILE_M, athlete.goal_s)
