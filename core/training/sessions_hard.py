"""Builders for quality sessions: fartlek, intervals, threshold, VO2max and mile-pace 400s.

Each returns a cached `Session`; rep paces are in seconds per km, None when the runner has no
known time (the steps then carry the effort in words).
"""

from __future__ import annotations

from functools import lru_cache

from core.text import rep_length
from core.training import tips
from core.training.levels import Level
from core.training.model import Rep
from core.training.session import Session, minutes_of

# (surges, surge seconds, easy seconds between): surges of 30 s to 2 min, as the guide says.
FARTLEK = ((6, 30, 90), (6, 60, 90), (5, 90, 90), (4, 120, 120), (8, 60, 60), (6, 90, 60))
# Quality progressions (Daniels' Running Formula: first more reps, then longer reps; faster
# paces come from a higher VDOT, see `weeks.fitness_bump`). Each variant is one step further.
# Intervals (improving): (reps, seconds fast, seconds jog), the guide's 2 min with 2–3 min jogs,
# then 3–4 min reps (its VO2max length).
INTERVALS = ((4, 120, 150), (5, 120, 150), (6, 120, 150), (7, 120, 150), (8, 120, 150),
             (5, 180, 150), (6, 180, 150), (4, 240, 180), (5, 240, 180))
# VO2max (competitive): (reps, seconds, recovery), reps of 3–5 minutes, at most 20 min of work.
VO2MAX = ((5, 180, 150), (6, 180, 150), (4, 240, 180), (5, 240, 180), (4, 300, 180))
# Threshold: (reps, seconds, recovery): the guide's 20 min or 2 × 10 min, growing to 30 min.
THRESHOLD = ((2, 600, 150), (1, 1200, 0), (3, 480, 120), (2, 720, 150), (1, 1500, 0),
             (3, 600, 120))
MILE_PACE_COUNTS = (6, 8, 10, 8)  # race-specific weeks: × 400 m at goal mile pace, 90 s rec.
# Without a race: (reps, metres) at goal mile pace — more 400s, then longer reps.
MILE_PACE_SETS = ((6, 400), (8, 400), (10, 400), (6, 500), (5, 600))
PRACTICE = ("even", "negative", "banking", "scenario")
MILE_RECOVERY_S = 90
MAX_MILE_PACE_S = 900  # at most 15 min at mile pace per session (slower runners: fewer reps)
MIN_MILE_REPS = 3
DEFAULT_400_S = 100.0  # sizes a mile-pace session when the runner has no time yet

EFFORT = {
    "fast": "fast (RPE 8/10)",
    "interval": "interval pace: 3–5 km race effort (RPE 8/10)",
    "threshold": "threshold pace: your current 10k pace, comfortably hard (RPE 7/10)",
    "mile": "goal mile pace (RPE 9/10)",
}


def _warm(level: Level) -> tuple[int, int]:
    return (15, 10) if level is Level.COMPETITIVE else (10, 10)


def _frame(level: Level, main: str, extra_warm: str = "") -> tuple[str, ...]:
    warm, cool = _warm(level)
    return (
        f"Warm up: {warm} min easy{extra_warm}",
        f"Main set: {main}",
        f"Cool down: {cool} min easy",
    )


@lru_cache(maxsize=256)
def fartlek(level: Level, variant: int, index: int) -> Session:
    count, surge, easy_s = FARTLEK[variant % len(FARTLEK)]
    warm, cool = _warm(level)
    main = (
        f"{count} surges of about {rep_length(surge)} — pick a tree or a lamp post and "
        f"run to it fast — with {rep_length(easy_s)} easy running between"
    )
    return Session(
        "fartlek", f"Fartlek: {count} × {rep_length(surge)} surges",
        "An easy run with bursts of speed of 30 s to 2 min: play with the pace, no strict rules.",
        warm + minutes_of(count * (surge + easy_s)) + cool,
        warm + minutes_of(count * (surge + easy_s)) + cool,
        reps=(Rep(count, surge, None, None, easy_s),), steps=_frame(level, main),
        tip=tips.tip_for("fartlek", level, index), hard_minutes=round(count * surge / 60),
    )


def intervals(level: Level, variant: int, pace: float | None, index: int) -> Session:
    """The guide's structured intervals (2 min fast, 2–3 min jog), progressing by `variant`."""
    return _intervals(level, variant, index).with_pace(pace)


@lru_cache(maxsize=1024)
def _intervals(level: Level, variant: int, index: int) -> Session:
    count, fast_s, jog_s = INTERVALS[min(variant, len(INTERVALS) - 1)]
    warm, cool = _warm(level)
    run = warm + minutes_of(count * (fast_s + jog_s)) + cool
    length = rep_length(fast_s)
    main = f"{count} × {length} {EFFORT['fast']}, {rep_length(jog_s)} easy jog between"
    return Session(
        "intervals", f"Intervals: {count} × {length}",
        f"Structured speed: {count} × {length} at a fast pace with "
        f"{rep_length(jog_s)} of recovery jogging.",
        run, run, reps=(Rep(count, fast_s, None, None, jog_s),),
        steps=_frame(level, main), tip=tips.tip_for("intervals", level, index),
        hard_minutes=count * fast_s // 60,
    )


def threshold(level: Level, variant: int, pace: float | None, index: int) -> Session:
    """The guide's 20 min at threshold (current 10k) pace, or 2 × 10 min with 2–3 min
    recovery; later variants grow towards 30 min (Daniels: T work ≤ 10% of the week)."""
    return _threshold(level, variant, index).with_pace(pace)


@lru_cache(maxsize=1024)
def _threshold(level: Level, variant: int, index: int) -> Session:
    warm, cool = _warm(level)
    count, seconds, recovery = THRESHOLD[min(variant, len(THRESHOLD) - 1)]
    length = rep_length(seconds)
    if count == 1:
        main = f"{length} continuous at {EFFORT['threshold']}"
        title = f"Threshold: {length}"
    else:
        main = (
            f"{count} × {length} at {EFFORT['threshold']}, {rep_length(recovery)} easy "
            "jog between"
        )
        title = f"Threshold: {count} × {length}"
    run = warm + minutes_of(count * seconds + (count - 1) * recovery) + cool
    work = count * seconds // 60
    return Session(
        "threshold", title,
        f"Lactate-threshold work: {work} minutes at your current 10k pace teaches your body to "
        "handle the burn.",
        run, run, reps=(Rep(count, seconds, None, None, recovery),), steps=_frame(level, main),
        tip=tips.tip_for("threshold", level, index), hard_minutes=work,
    )


def vo2max(level: Level, variant: int, pace: float | None, index: int) -> Session:
    """VO2max reps of 3–5 min at interval pace (the guide), progressing by `variant`."""
    return _vo2max(level, variant, index).with_pace(pace)


@lru_cache(maxsize=1024)
def _vo2max(level: Level, variant: int, index: int) -> Session:
    count, seconds, recovery = VO2MAX[min(variant, len(VO2MAX) - 1)]
    warm, cool = _warm(level)
    run = warm + minutes_of(count * (seconds + recovery)) + cool
    length = rep_length(seconds)
    main = (
        f"{count} × {length} at {EFFORT['interval']}, {rep_length(recovery)} easy jog "
        "between"
    )
    return Session(
        "vo2max", f"VO2max intervals: {count} × {length}",
        f"{count} × {length} hard, to push your aerobic engine to its limit (the week's VO2max "
        "session).",
        run, run, reps=(Rep(count, seconds, None, None, recovery),), steps=_frame(level, main),
        tip=tips.tip_for("vo2max", level, index), hard_minutes=round(count * seconds / 60),
    )


def mile_pace_block(level: Level, variant: int, per_400: float | None, index: int) -> Session:
    """Mile-pace work without a race ahead: more 400s, then 500s and 600s (the guide's 400 m
    repeats at goal mile pace, lengthened as Daniels progresses rep work)."""
    count, metres = MILE_PACE_SETS[min(variant, len(MILE_PACE_SETS) - 1)]
    rep_s = (per_400 if per_400 is not None else DEFAULT_400_S) * metres / 400
    count = max(MIN_MILE_REPS, min(count, int(MAX_MILE_PACE_S // rep_s)))
    return mile_pace(level, 0, per_400, index, count=count, metres=metres)


def mile_pace(level: Level, variant: int, per_400: float | None, index: int,
              count: int | None = None, metres: int = 400) -> Session:
    """Repeats at goal mile pace with 90 s recovery (the guide: 400 m), with a pacing practice.

    Slower runners do fewer reps: at most 15 minutes at mile pace, at least three reps.
    """
    rep_s = (per_400 if per_400 is not None else DEFAULT_400_S) * metres / 400
    if count is None:
        count = MILE_PACE_COUNTS[min(variant, len(MILE_PACE_COUNTS) - 1)]
        count = max(MIN_MILE_REPS, min(count, int(MAX_MILE_PACE_S // rep_s)))
    run = sum(_warm(level)) + minutes_of(count * (rep_s + MILE_RECOVERY_S))
    base = _mile_pace(level, count, index, run, round(count * rep_s / 60), metres)
    return base.with_pace(None if per_400 is None else round(per_400 * 2.5, 1))


@lru_cache(maxsize=1024)
def _mile_pace(level: Level, count: int, index: int, run: int, hard_min: int, metres: int = 400
               ) -> Session:
    practice = PRACTICE[index % len(PRACTICE)] if count > 4 else "even"
    how = {
        "even": "every rep at the same pace (even splits)",
        "negative": "the second half of the set 1–2 s per rep faster (negative split)",
        "banking": "the first two reps 1–2 s fast, then hold goal pace (banking time)",
        "scenario": "with a group if you can: practise being boxed in and answering a surge",
    }[practice]
    main = f"{count} × {metres} m at {EFFORT['mile']}, 90 s recovery between — {how}"
    return Session(
        "mile_pace", f"Mile pace: {count} × {metres} m",
        f"Mile-specific work: {count} × {metres} m at your goal mile pace, 90 s recovery.",
        run, run, reps=(Rep(count, None, metres, None, MILE_RECOVERY_S),),
        steps=_frame(level, main, ", then 4 strides"),
        tip=tips.tip_for("mile_pace", level, index, practice), hard_minutes=hard_min,
    )


# (reps, warm-up, cool-down) from the full sharpener down to the shortest that still is one.
SHARPENER_SIZES = ((4, 10, 8), (3, 10, 8), (3, 8, 5), (2, 8, 5))


def sharpener(
    level: Level, pace: float | None, per_400: float | None, max_minutes: int | None = None
) -> Session:
    """Race week's one short, sharp session: intensity kept, volume cut — as many reps as fit
    in `max_minutes` (the taper's budget), never fewer than two."""
    for count, warm, cool in SHARPENER_SIZES:
        session = _sharpener(level, pace, per_400, count, warm, cool)
        if max_minutes is None or session.run_minutes <= max_minutes:
            return session
    return session


@lru_cache(maxsize=256)
def _sharpener(
    level: Level, pace: float | None, per_400: float | None, count: int, warm: int, cool: int
) -> Session:
    if level is Level.COMPETITIVE:
        base = mile_pace(level, 0, per_400, 0, count=count)
        title, kind = f"Race-week sharpener: {count} × 400 m", "mile_pace"
        reps, hard = base.reps, base.hard_minutes
        main = f"{count} × 400 m at {EFFORT['mile']}, 90 s recovery between"
        main_s = count * ((per_400 or DEFAULT_400_S) + MILE_RECOVERY_S)
    else:
        title, kind = f"Race-week sharpener: {count} × 1 min", "intervals"
        reps, hard = (Rep(count, 60, None, pace, 120),), count
        main = f"{count} × 1 min {EFFORT['fast']}, 2 min easy jog between"
        main_s = count * 180
    run = warm + minutes_of(main_s) + cool
    return Session(
        kind, title,
        "Race week: a short, sharp session keeps your legs snappy while the volume drops.",
        run, run, reps=reps,
        steps=(f"Warm up: {warm} min easy", f"Main set: {main}", f"Cool down: {cool} min easy"),
        tip=tips.tip_for("mile_pace" if kind == "mile_pace" else "intervals", level, 0),
        hard_minutes=hard,
    )
