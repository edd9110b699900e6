"""Whole-plan passes after the weeks are laid out: the first day, a rest day in every calendar
week, the closing time trial, and each week's key session."""

from __future__ import annotations

import math

from core.text import format_minutes
from core.training import sessions_easy as easy
from core.training import tips
from core.training.draft import Draft
from core.training.layout import EASY, HARD, KEY, LONG, RECOVERY, REST, RUN, STRENGTH
from core.training.levels import Level
from core.training.paces import estimated_mile_s
from core.training.progression import BRIDGE
from core.training.race_week import goal_for
from core.training.session import with_tip
from core.training.sessions_race import runner_time_trial, time_trial
from core.training.taper import LIGHT, RACE, SHAKEOUT, SHARP

BRIDGE_START_MAIN = BRIDGE[0][0]

TIME_TRIAL = "time_trial"
FIRST = "first"
BEGINNER_MILE_S = 12 * 60.0  # a first mile at an easy jog, when the runner has no time yet
BRIDGE_SHARE = 0.75  # the longest continuous run a first mile needs, as a share of it
FIRST_WEEK_REST_DAYS = 4  # a partial first week this long still gets its rest day
FIRST_RUN_MIN = {Level.IMPROVING: 20, Level.COMPETITIVE: 30}
MIN_TIME_TRIAL_DAYS = 28  # a plan shorter than four weeks is a taste of training, not a block
TT_EVE_DAYS = 2  # nothing hard, nothing long, in the days before a time trial
TT_EVE_MAX_RUN = 40

# Which day gives way when a (partial) week has no rest day: gentlest first.
_REST_ORDER = (RECOVERY, STRENGTH, LIGHT, RUN, EASY, SHAKEOUT, LONG, HARD, SHARP, KEY,
               TIME_TRIAL)
# Which day is the week's key session: the first role found, in this order. The first-day
# session is a welcome, never a key session to move when missed.
_KEY_RANK = {role: n for n, role in enumerate((RACE, TIME_TRIAL, KEY, SHARP, HARD, LONG, RUN,
                                               LIGHT))}


def ensure_weekly_rest(draft: Draft) -> None:
    """Every calendar week of the plan holds a full rest day (the seed guide: one full rest day
    every week). A first week shorter than four days needs none: the days before the plan were
    rest. The runner's first session is never the one that gives way."""
    for week, indices in enumerate(draft.spans, start=1):
        if any(draft.sessions[i].type == "rest" for i in indices):
            continue
        if week == 1 and len(indices) < FIRST_WEEK_REST_DAYS:
            continue
        candidates = [i for i in indices if draft.roles[i] in _REST_ORDER]
        if not candidates:
            continue
        pick = min(candidates, key=lambda i: (_REST_ORDER.index(draft.roles[i]), i))
        draft.sessions[pick] = easy.rest(draft.athlete.level, week)
        draft.roles[pick] = REST


def first_day(draft: Draft) -> None:
    """A runner who starts on one of their training days gets a short first session that day.

    The first day decides whether they come back: a beginner gets the first run/walk, others a
    short easy run (the seed guide: start conservatively). Beginners keep a day between runs,
    so a run the next day gives way to active recovery.
    """
    if not len(draft) or draft.start.weekday() not in draft.athlete.training_days:
        return
    level, session = draft.athlete.level, draft.sessions[0]
    if level is Level.BEGINNER:
        first = easy.run_walk(BRIDGE_START_MAIN, 0, 0, 1)
        if session.type != "run_walk" and draft.is_run(1):
            draft.sessions[1], draft.roles[1] = easy.active_recovery(level, 1), RECOVERY
    else:
        first = easy.easy(level, min(FIRST_RUN_MIN[level], session.run_minutes or 99), 0, 0, 1)
    draft.sessions[0], draft.roles[0] = first, FIRST
    draft.notes[0] = (
        "Welcome! Your first session is short on purpose: finish feeling you could do more. "
        "The plan builds from here."
    )


def add_time_trial(draft: Draft) -> None:
    """End a plan without a race with a mile time trial (the seed guide: test your mile).

    Beginners (seed guide, NHS Couch to 5K): the first continuous mile on the last run day,
    but only once the longest continuous run so far is about three quarters of their expected
    mile; if the weeks ran out first, the session says so and becomes "run as far as you
    comfortably can, then walk". The other sessions that week get lighter.
    Others: an all-out mile on the last hard day of the final week, with the two days before it
    easy and short (a mini-taper, Bosquet 2007: cut volume, keep intensity).
    """
    if len(draft) < MIN_TIME_TRIAL_DAYS:
        return
    if draft.athlete.level is Level.BEGINNER:
        _beginner_time_trial(draft)
    else:
        _runner_time_trial(draft)


def add_first_mile(draft: Draft) -> None:
    """A beginner's rolling plan (the one the app keeps, extended as the weeks pass): the first
    continuous mile comes on the last run day of the week after the bridge first reaches about
    three quarters of the runner's expected mile without a walk — the seed guide's and NHS
    Couch to 5K's "test once the runs are long enough" — not at the end of a plan whose end is
    never reached. Nothing when that week is not yet inside the plan."""
    if draft.athlete.level is not Level.BEGINNER:
        return
    mile_s = estimated_mile_s(draft.athlete) or BEGINNER_MILE_S
    ready_at = next(
        (i for i, s in enumerate(draft.sessions)
         if s.is_run and easy.longest_run_s(s) >= BRIDGE_SHARE * mile_s),
        None,
    )
    if ready_at is None:
        return
    after = draft.weeks[ready_at] + 1
    if after > len(draft.spans):
        return
    week = draft.week_indices(after)
    runs = [i for i in week if draft.sessions[i].is_run]
    if len(week) == 7 and runs:
        _beginner_time_trial(draft, runs[-1])


def _beginner_time_trial(draft: Draft, last: int | None = None) -> None:
    if last is None:
        last = next((i for i in range(len(draft) - 1, -1, -1) if draft.sessions[i].is_run), None)
    if last is None:
        return
    week = draft.weeks[last]
    for i in draft.week_indices(week):
        session = draft.sessions[i]
        if i != last and session.type == "run_walk":
            draft.sessions[i] = easy.run_walk(
                BRIDGE_START_MAIN, easy.stage_of(session), 0, week, light=True
            )
            draft.roles[i] = LIGHT
    mile_s = estimated_mile_s(draft.athlete) or BEGINNER_MILE_S
    longest = _longest_before(draft, last)
    ready = longest >= BRIDGE_SHARE * mile_s
    draft.sessions[last] = time_trial(math.ceil(mile_s / 60), week, ready)
    draft.roles[last] = TIME_TRIAL
    if not ready:
        draft.notes[last] = bridge_note(longest, mile_s)


def bridge_note(longest_s: int, mile_s: float) -> str:
    """Why a beginner's finale is not yet a continuous mile."""
    longest = format_minutes(max(1, longest_s // 60)) if longest_s >= 60 else f"{longest_s} s"
    return (
        f"Your longest run without a walk so far is {longest}; a mile will take you about "
        f"{format_minutes(math.ceil(mile_s / 60))}. The plan ran out of weeks before the bridge "
        "reached a continuous mile, so today run as far as you comfortably can, then walk. "
        "Keep building: a few more weeks of longer runs and the mile is yours."
    )


def beginner_bridge_ready(draft: Draft, i: int) -> tuple[bool, int, float]:
    """Whether a beginner has run about three quarters of their mile without a walk before day
    `i`: (ready, longest run in seconds, expected mile in seconds)."""
    mile_s = estimated_mile_s(draft.athlete) or BEGINNER_MILE_S
    longest = _longest_before(draft, i)
    return longest >= BRIDGE_SHARE * mile_s, longest, mile_s


def _longest_before(draft: Draft, i: int) -> int:
    return max((easy.longest_run_s(s) for s in draft.sessions[:i]), default=0)


def _runner_time_trial(draft: Draft) -> None:
    tail = range(max(0, len(draft) - 7), len(draft))
    hard_days = [i for i in tail if draft.roles[i] in (KEY, HARD)]
    run_days = [i for i in tail if draft.sessions[i].is_run]
    if not run_days:
        return
    at = hard_days[-1] if hard_days else run_days[-1]
    level = draft.athlete.level
    draft.sessions[at] = runner_time_trial(level, goal_for(draft.athlete), draft.weeks[at])
    draft.roles[at] = TIME_TRIAL
    for i in range(max(0, at - TT_EVE_DAYS - 1), at):
        session = draft.sessions[i]
        eve = at - i <= TT_EVE_DAYS
        if session.is_hard or (eve and session.run_minutes > TT_EVE_MAX_RUN):
            minutes = min(session.run_minutes, TT_EVE_MAX_RUN)
            draft.sessions[i] = easy.easy(level, minutes, 0, 0, draft.weeks[i] + i)
            draft.roles[i] = EASY
    for i in range(at + 1, len(draft)):
        if draft.sessions[i].is_hard:
            draft.sessions[i] = easy.easy(
                level, min(draft.sessions[i].run_minutes, TT_EVE_MAX_RUN), 0, 0, i
            )
            draft.roles[i] = EASY


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



def vary_tips(draft: Draft) -> None:
    """No tip more than twice in a calendar week: a repeat gives way to the guide's least used
    general advice (rest, sleep, consistency, form, the 10% rule …)."""
    level = draft.athlete.level
    for indices in draft.spans:
        used: dict[str, int] = {}
        for i in indices:
            tip = draft.sessions[i].tip
            if used.get(tip, 0) >= tips.MAX_PER_WEEK:
                other = tips.alternative(draft.sessions[i].type, level, used)
                if other is None:
                    continue
                draft.sessions[i] = with_tip(draft.sessions[i], other)
                tip = other
            used[tip] = used.get(tip, 0) + 1
