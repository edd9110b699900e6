"""Whole-plan passes after the weeks are laid out: a rest day in every calendar week, the
beginner's closing time trial, and each week's key session."""

from __future__ import annotations

import math

from core.training import sessions_easy as easy
from core.training.draft import Draft
from core.training.layout import EASY, HARD, KEY, LONG, RECOVERY, REST, RUN, STRENGTH
from core.training.paces import estimated_mile_s
from core.training.sessions_race import time_trial
from core.training.taper import LIGHT, RACE, SHAKEOUT, SHARP

TIME_TRIAL = "time_trial"
BEGINNER_MILE_MIN = 13  # a first mile at an easy jog, when the runner has no time yet
LIGHT_SHARE = 0.6  # sessions before the time trial shrink to this share

# Which day gives way when a (partial) week has no rest day: gentlest first.
_REST_ORDER = (RECOVERY, STRENGTH, LIGHT, RUN, EASY, SHAKEOUT, LONG, HARD, SHARP, KEY,
               TIME_TRIAL)
# Which day is the week's key session: the first role found, in this order.
_KEY_RANK = {role: n for n, role in enumerate((RACE, TIME_TRIAL, KEY, SHARP, HARD, LONG, RUN,
                                               LIGHT))}


def ensure_weekly_rest(draft: Draft) -> None:
    """Every calendar week of the plan holds a full rest day (a race-day-only week can't)."""
    for week, indices in enumerate(draft.spans, start=1):
        if any(draft.sessions[i].type == "rest" for i in indices):
            continue
        candidates = [i for i in indices if draft.roles[i] in _REST_ORDER]
        if not candidates:
            continue
        pick = min(candidates, key=lambda i: (_REST_ORDER.index(draft.roles[i]), i))
        draft.sessions[pick] = easy.rest(draft.athlete.level, week)
        draft.roles[pick] = REST


def add_time_trial(draft: Draft) -> None:
    """End a beginner plan with a first continuous mile on its last run day.

    The other sessions of that week get lighter so the week stays within the 10% rule.
    """
    last = next((i for i in range(len(draft) - 1, -1, -1) if draft.sessions[i].is_run), None)
    if last is None:
        return
    week = draft.weeks[last]
    others = 0
    for i in draft.week_indices(week):
        session = draft.sessions[i]
        if i != last and session.type == "run_walk":
            minutes = max(2, round(session.run_minutes * LIGHT_SHARE))
            draft.sessions[i] = easy.run_walk(minutes, easy.stage_of(session), 0, week, light=True)
            draft.roles[i] = LIGHT
            others += minutes
    mile_s = estimated_mile_s(draft.athlete)
    mile_min = BEGINNER_MILE_MIN if mile_s is None else math.ceil(mile_s / 60)
    run_min = max(1, min(mile_min, draft.targets[week] - others))
    draft.sessions[last] = time_trial(run_min, week)
    draft.roles[last] = TIME_TRIAL


def assign_keys(draft: Draft) -> None:
    """Flag one key session per calendar week (the one kept when the week is adapted)."""
    keys = [False] * len(draft)
    roles, rank = draft.roles, _KEY_RANK
    for indices in draft.spans:
        best, best_rank = -1, len(rank)
        for i in indices:
            r = rank.get(roles[i], best_rank)
            if r < best_rank:
                best, best_rank = i, r
        if best >= 0:
            keys[best] = True
    draft.keys = keys

