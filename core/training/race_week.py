"""Race week and race day: the warm-up timeline, pacing by level, and a daily checklist."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from core.text import clock, plural
from core.training.athlete import Athlete
from core.training.laps import lap_time
from core.training.levels import Level
from core.training.paces import estimated_mile_s

# Minutes before the start, and what to do then. The warm-up ends 8 min before the gun: the
# guide says to finish 5–10 min early, to prepare mentally without cooling down.
WARMUP = (
    (60, "Arrive and collect your number: in good time, but not so early you overthink it"),
    (35, "Easy jog, 12 min (10–15) at a conversational pace"),
    (23, "Dynamic stretches, 8 min: leg swings and walking lunges"),
    (15, "4–6 strides of 50–100 m to wake up your fast-twitch muscles"),
    (8, "Warm-up done: keep warm, walk to the start, go through your race plan"),
    (0, "Start: run your plan"),
)


# A beginner's warm-up: a brisk walk with a few short jogs, not a 12-minute jog and strides
# (NHS Couch to 5K starts every run with a brisk walk; a first mile needs no more).
BEGINNER_WARMUP = (
    (60, "Arrive and collect your number: in good time, but not so early you overthink it"),
    (20, "Brisk walk, 10 min, with 3–4 easy jogs of 20–30 s"),
    (8, "Warm-up done: keep warm, walk to the start, go through your race plan"),
    (0, "Start: run your plan"),
)
BEGINNER_WARMUP_TEXT = (
    "Warm up: 10 min brisk walk with 3–4 easy jogs of 20–30 s — finish 5–10 min before the "
    "start"
)


def warmup_for(level: Level | None) -> tuple[tuple[int, str], ...]:
    """The race-morning warm-up steps for a level (minutes before the start, what to do)."""
    return BEGINNER_WARMUP if level is Level.BEGINNER else WARMUP


def warmup_lead_min(level: Level | None) -> int:
    """Minutes before the start that the warm-up itself begins."""
    return warmup_for(level)[1][0]


def race_warmup_timeline(start: time, level: Level | None = None) -> list[tuple[time, str]]:
    """Race-morning timeline, clock times counted back from the start (the seed guide's warm-up:
    10–15 min jog, dynamic stretches, 4–6 strides, done 5–10 min before; beginners walk)."""
    anchor = datetime.combine(date(2000, 1, 2), start)
    return [((anchor - timedelta(minutes=m)).time(), what) for m, what in warmup_for(level)]


def goal_for(athlete: Athlete) -> float | None:
    """The mile time to race for: the goal, else the current (or estimated) mile."""
    return athlete.goal_s if athlete.goal_s is not None else estimated_mile_s(athlete)


def pacing_advice(level: Level, goal_s: float | None) -> str:
    """How to pace the race, by level (and lap times when a goal is known)."""
    if level is Level.BEGINNER:
        return (
            "Start conservatively, at a pace you could chat at, and only pick it up in the last "
            "400 m if you feel strong: a sprint finish beats blowing up early."
        )
    laps = ""
    if goal_s is not None:
        lap = lap_time(goal_s)
        laps = (
            f" For {clock(goal_s)}: even laps of {clock(lap, tenths=True)}; a "
            f"negative split is {clock(lap + 1, tenths=True)} for two laps, then "
            f"{clock(lap - 1, tenths=True)}."
        )
    if level is Level.IMPROVING:
        return (
            "Have a plan before race day: even splits, or a negative split (second half faster)."
            + laps
        )
    return (
        "Commit to the strategy your training showed works: even splits, a negative split, or "
        "banking time early — and respond to surges without panic." + laps
    )


def race_week_checklist(athlete: Athlete, race_date: date, today: date) -> str:
    """Today's race-week checklist (reply markup), from 7 days out to race day; "" otherwise."""
    days_out = (race_date - today).days
    if not 0 <= days_out <= 7:
        return ""
    goal = goal_for(athlete)
    if days_out == 0:
        return _race_day(athlete, goal)
    items = _CHECKLIST[days_out]
    header = f"<b>Race in {plural(days_out, 'day')}</b>"
    lines = [header, *(f"• {item}" for item in items)]
    if days_out == 1:
        lines.append(f"• Pacing: {pacing_advice(athlete.level, goal)}")
    return "\n".join(lines)


def _race_day(athlete: Athlete, goal: float | None) -> str:
    lines = ["<b>Race day!</b> You've done the work — now run your plan."]
    if athlete.race_start is not None:
        lines.append("Warm-up timeline:")
        lines.extend(
            f"• {when.strftime('%H:%M')} {what}"
            for when, what in race_warmup_timeline(athlete.race_start, athlete.level)
        )
    elif athlete.level is Level.BEGINNER:
        lines.append(f"• {BEGINNER_WARMUP_TEXT}")
    else:
        lines.append(
            "• Warm up: 10–15 min easy jog, dynamic stretches, 4–6 strides of 50–100 m — "
            "finish 5–10 min before the start"
        )
    lines.append(f"• Pacing: {pacing_advice(athlete.level, goal)}")
    lines.append("• Nerves are normal: channel them, stick to your usual food and routine")
    return "\n".join(lines)


_CHECKLIST: dict[int, tuple[str, ...]] = {
    7: (
        "Race week: running volume drops to about two thirds, the intensity stays",
        "Check the start time, the course and how you'll get there",
        "Aim for 7–9 hours of sleep every night this week",
    ),
    6: (
        "Easy running only today; keep it conversational",
        "Decide your pacing strategy and write down your lap times",
    ),
    5: (
        "One short, sharp session early this week keeps the legs snappy — keep it short",
        "Visualize the race: the discomfort at 800 m, the urge to slow at 1200 m, the finish",
    ),
    4: (
        "Short and easy, or rest: no extra training now",
        "Pick your mantra: \"relax\", \"be brave\", \"run strong\"",
    ),
    3: (
        "Easy running or rest; eat and sleep as usual",
        "Practise your race-morning routine in your head",
    ),
    2: (
        "No hard running from today: easy or rest only",
        "Lay out your kit and shoes — nothing new on race day",
    ),
    1: (
        "A 15-min shakeout with a few strides, or rest",
        "Plan to arrive in good time but not too early; stick to your usual pre-run food",
        "Aim for 7–9 hours of sleep tonight",
    ),
}
