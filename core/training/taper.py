"""Race week, whatever weekday the race falls on (Bosquet 2007 taper meta-analysis: cut volume
by 40–60 %, keep intensity, about a week; the seed guide's race-day advice).

The six days before the race: running at most about two thirds of the last full week, every
easy run shortened (to 60 % of its usual length at most, whatever the budget), one short sharp
session early in the week unless the week already holds two hard sessions, nothing hard in the
last two days, no run over 45 min (30 for beginners) in the last three, a shakeout (or rest)
the day before, then race day.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from core.training import sessions_easy as easy
from core.training import sessions_hard as hard
from core.training.draft import Draft
from core.training.layout import EASY, KEY, RECOVERY, REST, RUN_ROLES
from core.training.levels import Level
from core.training.paces import slowed
from core.training.race_week import goal_for
from core.training.session import Session
from core.training.sessions_race import race
from core.units import monday_of

TAPER_SHARE = 0.65  # race-week running ≈ 60–70% of a normal week
TAPER_RUN_SHARE = 0.6  # each easy run: at most 60% of its usual length (volume −40–60 %)
LAST_DAYS = 3  # the last three days before the race: short runs only
LAST_DAYS_MAX_RUN = {Level.BEGINNER: 30, Level.IMPROVING: 45, Level.COMPETITIVE: 45}
MAX_HARD_PER_7_DAYS = 2  # the sharpener never makes a third hard session in any seven days
DEFAULT_RACE_S = {Level.BEGINNER: 780.0, Level.IMPROVING: 480.0, Level.COMPETITIVE: 380.0}
MIN_EASY_RUN = 15
LIGHT_MAIN_MIN = 15  # a beginner's race-week run/walk: the shortest main set of the bridge
SHARP, SHAKEOUT, LIGHT, RACE = "sharp", "shakeout", "light", "race"


def race_session(draft: Draft) -> Session:
    athlete = draft.athlete
    goal = goal_for(athlete)
    race_s = goal if goal is not None else DEFAULT_RACE_S[athlete.level]
    return race(athlete.level, race_s, goal, athlete.race_start)


def apply_taper(draft: Draft, race_day: date) -> None:
    """Rework the plan's days in the six days before `race_day` and put the race on it."""
    level = draft.athlete.level
    budget = round(TAPER_SHARE * _normal_week(draft, race_day))
    ri = draft.index_of(race_day)
    if ri is not None:
        draft.sessions[ri] = race_session(draft)
        draft.roles[ri] = RACE
        budget -= draft.sessions[ri].run_minutes
    window = [(k, draft.index_of(race_day - timedelta(days=k))) for k in range(6, 0, -1)]
    days = {k: i for k, i in window if i is not None}
    if not days:
        return
    available = set(draft.athlete.training_days)
    week_no = draft.weeks[next(iter(days.values()))]
    if level is Level.BEGINNER:
        _beginner_window(draft, days, available, week_no)
        return
    sharp_at = _sharp_day(draft, days, available, ri)
    if sharp_at is not None:
        paces = slowed(draft.paces, draft.pace_factor)  # after time off: the slower paces
        sharp = hard.sharpener(
            level, paces.interval, paces.goal_mile_400,
            max_minutes=min(budget, LAST_DAYS_MAX_RUN[level]),
        )
        draft.sessions[sharp_at], draft.roles[sharp_at] = sharp, SHARP
        budget -= sharp.run_minutes
    eve = days.get(1)
    if eve is not None:
        budget -= _race_eve(draft, eve, available, budget, week_no)
    easy_runs = [i for i in days.values() if i not in (sharp_at, eve) and draft.sessions[i].is_run]
    planned = sum(draft.sessions[i].run_minutes for i in easy_runs)
    # Easy runs share what is left of the budget, each cut by the same factor, and never to
    # more than 60% of their usual length: a long run three days out is no taper.
    factor = min(TAPER_RUN_SHARE, budget / planned) if planned and budget > 0 else 0.0
    last_days = {i for k, i in days.items() if k <= LAST_DAYS}
    for i in easy_runs:
        minutes = math.floor(draft.sessions[i].run_minutes * factor)
        if i in last_days:
            minutes = min(minutes, LAST_DAYS_MAX_RUN[level])
        if minutes >= MIN_EASY_RUN:
            draft.sessions[i], draft.roles[i] = easy.easy(level, minutes, 0, 0, week_no + i), EASY
        else:
            draft.sessions[i], draft.roles[i] = easy.active_recovery(level, week_no), RECOVERY
    for k, i in days.items():
        if k <= 2 and draft.sessions[i].type == "strength":
            draft.sessions[i], draft.roles[i] = easy.active_recovery(level, week_no), RECOVERY


def _race_eve(draft: Draft, eve: int, available: set[int], budget: int, week_no: int) -> int:
    """The day before the race: a shakeout if the runner trains that day and the budget
    allows, else rest (the week's rest day always stays one). Returns the minutes used."""
    level = draft.athlete.level
    shake = easy.shakeout(level)
    if draft.roles[eve] == REST:
        return 0
    if draft.date_of(eve).weekday() in available and budget >= shake.run_minutes:
        draft.sessions[eve], draft.roles[eve] = shake, SHAKEOUT
        return shake.run_minutes
    draft.sessions[eve], draft.roles[eve] = easy.rest(level, week_no), REST
    return 0


def _normal_week(draft: Draft, race_day: date) -> int:
    """Running minutes of the seven days before the taper (the taper's reference); when the
    plan starts later than that, the weekly target of that week."""
    first = draft.index_of(race_day - timedelta(days=13))
    if first is not None and first + 7 <= len(draft):
        return sum(s.run_minutes for s in draft.sessions[first:first + 7])
    before = race_day - timedelta(days=7)
    week = (before - monday_of(draft.start)).days // 7 + 1
    known = sorted(draft.targets)
    return draft.targets.get(week, draft.targets[known[0] if week < known[0] else known[-1]])


def _sharp_day(draft: Draft, days: dict[int, int], available: set[int], race_at: int | None
               ) -> int | None:
    """Early in race week, on a day the runner trains (a usual run day first), never on the
    rest day, never next to another hard day, and never a third hard session in seven days."""
    taper = set(days.values())

    def hard(j: int) -> bool:
        return j == race_at or (j not in taper and draft.is_hard(j))

    def stacked(i: int) -> bool:
        return any(
            1 + sum(hard(j) for j in range(lo, lo + 7) if j != i) > MAX_HARD_PER_7_DAYS
            for lo in range(i - 6, i + 1)
        )

    def usable(k: int) -> int | None:
        i = days.get(k)
        if i is None or draft.date_of(i).weekday() not in available or draft.roles[i] == REST:
            return None
        if hard(i - 1) or stacked(i):
            return None
        return i

    order = (5, 4, 3, 6)
    for k in order:
        i = usable(k)
        if i is not None and draft.sessions[i].is_run:
            return i
    return next((i for k in order if (i := usable(k)) is not None), None)


def _beginner_window(draft: Draft, days: dict[int, int], available: set[int], week_no: int
                     ) -> None:
    """Beginners: one light run/walk early in the week, otherwise walk and rest."""
    light_at = None
    for k in (5, 4, 3):
        i = days.get(k)
        # Its neighbours are taper days too and carry no run, so spacing holds.
        if i is not None and draft.date_of(i).weekday() in available:
            light_at = i
            break
    stage = _stage_before(draft, min(days.values()) - 1)
    for k, i in days.items():
        if i == light_at:
            draft.sessions[i] = easy.run_walk(LIGHT_MAIN_MIN, stage, 0, week_no, light=True)
            draft.roles[i] = LIGHT
        elif k == 1:
            draft.sessions[i], draft.roles[i] = easy.rest(Level.BEGINNER, week_no), REST
        elif draft.sessions[i].is_run or draft.roles[i] == KEY:
            draft.sessions[i] = easy.active_recovery(Level.BEGINNER, week_no)
            draft.roles[i] = RECOVERY


def _stage_before(draft: Draft, i: int) -> int:
    session = _last_run_walk(draft, i)
    return 0 if session is None else easy.stage_of(session)


def _last_run_walk(draft: Draft, i: int) -> Session | None:
    for j in range(min(i, len(draft) - 1), -1, -1):
        if draft.sessions[j].type == "run_walk" and draft.roles[j] in RUN_ROLES:
            return draft.sessions[j]
    return None
