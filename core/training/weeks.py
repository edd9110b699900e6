"""One ordinary training week: the layout's roles filled with sessions for the week's load."""

from __future__ import annotations

from functools import lru_cache

from core.training import sessions_easy as easy
from core.training import sessions_hard as hard
from core.training.layout import REST, STRENGTH, WeekLayout
from core.training.levels import Level
from core.training.model import Paces
from core.training.progression import Step
from core.training.session import Session

STRENGTH_ADD_ON_MIN = 15
STRIDES_EARLY, STRIDES_LATER = 4, 6


MIN_EASY_RUN = 20  # shorter than this an easy run is hardly worth the shoes
HARD_SHARE = 0.20  # the guide's 80/20 rule: about a fifth of the running is faster
FARTLEK_WEEKS = 3  # improving: fartlek before structured intervals (the guide)
# Long run share of the week's running, by runs a week (Daniels: about a quarter of the week;
# the "a quarter to a third, a little more with three runs"), and its ceiling.
LONG_SHARE = {3: 0.36, 4: 0.31, 5: 0.28, 6: 0.26}
LONG_MIN_SHARE = 0.22  # quality steps back before the long run drops under this share
LONG_MAX_MIN = 150  # Daniels: no long run over about 2.5 hours
# Faster paces once the rep progressions are done: one VDOT more from this many quality weeks,
# another after VDOT_EVERY more (Daniels: stay 4–6 weeks at a VDOT before moving up).
VDOT_FROM, VDOT_EVERY, VDOT_MAX_GAIN = 9, 6, 2


def vdot_gain(quality: int) -> int:
    """VDOT units above today's fitness that a week's quality sessions are run at."""
    if quality < VDOT_FROM:
        return 0
    return min(VDOT_MAX_GAIN, (quality - VDOT_FROM) // VDOT_EVERY + 1)


def quality_sessions(level: Level, paces: Paces, quality: int, week: int, hard_count: int,
                     specific: int | None) -> tuple[Session, ...]:
    """The week's hard sessions, key first; `quality` is how many build weeks came before.

    Improving (the seed guide): fartlek for three weeks, then structured intervals as the key
    session, growing in reps and then rep length (Daniels).
    Competitive (the guide's advanced concepts): VO2max, threshold and 400s at goal mile pace,
    each progressing separately; within four weeks of a race the key session is mile-specific.
    """
    q = quality
    if level is Level.IMPROVING:
        key = (hard.fartlek(level, q, week) if q < FARTLEK_WEEKS
               else hard.intervals(level, q - FARTLEK_WEEKS, paces.interval, week))
        if hard_count == 1:
            return (key,)
        return (key, hard.fartlek(level, q + 1, week + 1))
    if hard_count == 1:
        if specific is not None:
            return (_race_specific(level, specific, q, paces, week),)
        kind, variant = q % 3, q // 3
        if kind == 0:
            return (hard.vo2max(level, variant, paces.interval, week),)
        if kind == 1:
            return (hard.threshold(level, variant, paces.threshold, week),)
        return (hard.mile_pace_block(level, variant, paces.goal_mile_400, week),)
    if specific is not None:
        second = (hard.vo2max(level, q // 2, paces.interval, week) if week % 2
                  else hard.threshold(level, q // 2, paces.threshold, week + 1))
        return (_race_specific(level, specific, q, paces, week), second)
    key = (hard.mile_pace_block(level, (q - 3) // 2, paces.goal_mile_400, week)
           if q >= 3 and q % 2 else hard.vo2max(level, q // 2, paces.interval, week))
    return (key, hard.threshold(level, q // 2, paces.threshold, week + 1))


def _race_specific(level: Level, specific: int, quality: int, paces: Paces, week: int
                   ) -> Session:
    """The key session in the last four weeks to a race: goal-mile-pace reps that carry on from
    where the mile-pace work already is (never back to fewer reps)."""
    done = (quality - 3) // 2 + 1 if quality >= 3 else 0
    return hard.mile_pace_block(level, max(specific, done), paces.goal_mile_400, week)


@lru_cache(maxsize=4096)
def _non_running_days(level: Level, layout: WeekLayout, week: int) -> tuple[Session, ...]:
    """Rest, strength and recovery days of a week (run days get recovery as a placeholder)."""
    out = []
    for d, role in enumerate(layout.roles):
        if role == REST:
            out.append(easy.rest(level, week))
        elif role == STRENGTH:
            out.append(easy.strength_day(level, week))
        else:
            out.append(easy.active_recovery(level, week + d))
    return tuple(out)


def _within_80_20(level: Level, paces: Paces, rung: Step, week: int, layout: WeekLayout,
                  specific: int | None, hard_count: int) -> tuple[tuple[Session, ...], bool]:
    """The week's `hard_count` quality sessions, stepped back (same kinds, fewer or shorter
    reps) until the fast running is at most a fifth of the week (the guide's 80/20 rule), the
    easy runs still get 20 minutes each and the long run more than a fifth of the week: volume
    decides how far the quality progression may go. Also whether they fit (the first rung of
    the ladder always carries them; a return week may not)."""
    q = rung.quality
    back = 1 if level is Level.IMPROVING else (3 if hard_count == 1 else 2)
    easy_runs = len(layout.easy_days) + len(layout.hard_days) - hard_count
    easy_need = MIN_EASY_RUN * easy_runs
    if layout.long_day is not None:
        easy_need += max(MIN_EASY_RUN, round(LONG_MIN_SHARE * rung.total))
    while True:
        sessions = quality_sessions(level, paces, q, week, hard_count, specific)
        fits = (sum(s.hard_minutes for s in sessions) <= HARD_SHARE * rung.total
                and rung.total - sum(s.run_minutes for s in sessions) >= easy_need)
        if q < back or fits:
            return sessions, fits
        q -= back


def week_sessions(level: Level, paces: Paces, layout: WeekLayout, rung: Step, week: int,
                  specific: int | None, long_cap: int | None = None) -> list[Session]:
    """Sessions for Monday..Sunday.

    Beginners: every session is the rung's run/walk main set. Others: the quality sessions
    (at most `hard_cap`: other hard days are easy runs), then a long run of about a
    quarter to a third of the week (Daniels), the rest spread evenly over the easy days, so
    the running adds up to the rung's weekly total. `long_cap` holds the
    long run within 10% of the last weeks' (the guide's 10% rule); a capped long run leaves the
    easy runs below it and the week a little short of its target, never over.
    """
    out = list(_non_running_days(level, layout, week))
    strength_on, strides_on = layout.strength_on, layout.strides_on
    runs = layout.run_days
    if level is Level.BEGINNER:
        for i, d in enumerate(runs):
            strength = STRENGTH_ADD_ON_MIN if d in strength_on else 0
            out[d] = easy.run_walk(rung.total, rung.stage, strength, week + i, rung.light)
        return out
    easy_days = layout.easy_days
    long_day = layout.long_day
    hard_days = layout.hard_days if rung.hard_cap is None else layout.hard_days[:rung.hard_cap]
    quality: tuple[Session, ...] = ()
    if hard_days:
        quality, fits = _within_80_20(level, paces, rung, week, layout, specific, len(hard_days))
        if not fits and rung.hard_cap is not None:
            hard_days, quality = (), ()  # a return week too small for it: easy running first
    if len(hard_days) < len(layout.hard_days):  # the other hard days are easy runs
        easy_days = tuple(sorted(set(easy_days + layout.hard_days) - set(hard_days)))
    budget = rung.total
    for d, session in zip(hard_days, quality, strict=True):
        out[d] = session
        budget -= session.run_minutes
    long_min = 0
    if long_day is not None:
        share = LONG_SHARE.get(len(runs), LONG_SHARE[6] if len(runs) > 6 else LONG_SHARE[3])
        long_min = max(0, min(round(share * rung.total), LONG_MAX_MIN, budget))
        if easy_days and (budget - long_min) // len(easy_days) > long_min:
            long_min = budget // (len(easy_days) + 1)  # the long run is never the shortest
        if long_cap is not None:
            long_min = min(long_min, long_cap)
        # every easy run keeps its 20 minutes; on a tiny budget all runs share it evenly
        long_min = min(long_min, budget - MIN_EASY_RUN * len(easy_days))
        if long_min < MIN_EASY_RUN:
            long_min = budget // (len(easy_days) + 1)
        if not easy_days:
            long_min = min(budget, long_cap if long_cap is not None else budget)
    rest = budget - long_min
    each, extra = divmod(rest, len(easy_days)) if easy_days else (0, 0)
    if long_day is not None and each >= long_min:  # a capped long run: easy runs stay shorter
        each, extra = max(MIN_EASY_RUN, long_min - 1), 0
    strides = STRIDES_EARLY if rung.quality < 3 else STRIDES_LATER
    for n, d in enumerate(easy_days):
        out[d] = easy.easy(
            level, each + (n < extra), STRENGTH_ADD_ON_MIN if d in strength_on else 0,
            strides if d in strides_on else 0, week + d,
        )
    if long_day is not None:
        out[long_day] = easy.long_run(
            level, long_min, strides if long_day in strides_on else 0, week
        )
    return out
