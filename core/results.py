"""Results: a race, a time trial or a best effort becomes personal bests and current fitness.

Entry point (every source of a result calls it: `/done 1mi 8:40 race`, a log on a time-trial
or race day, an activity file's best efforts)::

    outcome = await record_efforts(uow, runner, efforts, on, source, log_id,
                                   today=ctx.today, now=ctx.now)

- `efforts`: `Effort(distance_m, seconds, kind)` values, `kind` one of "race", "time_trial",
  "best_effort" (a fastest segment found inside a longer run);
- `on`: the runner's local date of the run; `source`: where it came from ("console",
  "telegram", "gpx", "import", ...); `log_id`: the run log it belongs to (its bests go with it
  on /undo), or None.

`undo_result(uow, runner, log_id, today=…, now=…)`, called before a log is removed, puts back
the mile time (and a goal the result cleared) when that log's result changed it; the caller
replans after removing the log.

It returns a `ResultOutcome`: the new personal bests, the mile time / VDOT / paces before and
after when they changed (the runner row is updated and the plan regenerated), and the reply
`lines` (celebration, new paces, goal reached, next goal suggestion) for the caller to append.

Rules, with their sources:
- A best counts over the standard distances in `DISTANCES`; a race or time trial matches one
  when within 1 % (course measurement), a best effort within 0.5 %.
- Current fitness follows Daniels' Running Formula: training paces come from a *recent* result
  (within `RECENT_DAYS`, Daniels: a race within the last 4–6 weeks), converted to a mile with
  VDOT (Riegel under 1500 m, `core.goals.equivalent_mile_s`). A time trial is the plan's
  measurement, so it sets the mile time either way; a race or best effort only raises fitness
  (one bad day — heat, hills, a cold — does not lower the paces; Daniels advises training at
  the fitness your recent best performances show).
- A goal the new mile reaches is celebrated and cleared, and the next one is proposed at about
  1 % a week (`core.goals`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from core.goals import (
    equivalent_mile_s,
    realistic_goal,
    weeks_available,
)
from core.planning import athlete_for, replan, upcoming_race
from core.race_distances import DISTANCES, EffortKind, distance_label, standard_distance
from core.storage.personal_bests import (
    BestRecord,
    FitnessRecord,
    add_bests,
    add_fitness_change,
    current_bests,
    fitness_change_of_log,
)
from core.storage.runners import Runner
from core.storage.unit_of_work import UnitOfWork
from core.text import clock, format_pace, format_pace_range, short_date
from core.training import Paces, compute_paces
from core.training.athlete import GOAL_MAX_GAIN, MAX_RACE_M, MIN_RACE_M
from core.training.levels import MILE_M, SLOWEST_MILE_S, WORLD_RECORD_MILE_S, Level

EFFORT_KINDS: tuple[EffortKind, ...] = ("race", "time_trial", "best_effort")
RECENT_DAYS = 42  # results older than this set bests, not paces
SAME_TIME_S = 0.05  # a tie is not a new best


@dataclass(frozen=True, slots=True)
class Effort:
    """One all-out (or fastest-segment) performance over a distance."""

    distance_m: float
    seconds: float
    kind: EffortKind


@dataclass(frozen=True, slots=True)
class ResultOutcome:
    """What a result changed. `mile_after`/`vdot_after`/`paces` are None when fitness did not
    change; `lines` are reply markup, in order."""

    new_bests: tuple[BestRecord, ...] = ()
    previous: dict[str, BestRecord] = field(default_factory=dict)
    mile_before: float | None = None
    mile_after: float | None = None
    vdot_before: float | None = None
    vdot_after: float | None = None
    paces: Paces | None = None
    goal_reached: bool = False
    next_goal_s: float | None = None
    lines: tuple[str, ...] = ()

    @property
    def fitness_changed(self) -> bool:
        return self.mile_after is not None


def effort_kind(session_type: str | None, note: str) -> EffortKind | None:
    """Whether a logged run was a race or a time trial: the planned session's type, else the
    runner's own word for it in the note ("race", "parkrun", "time trial", "tt")."""
    if session_type == "race":
        return "race"
    if session_type == "time_trial":
        return "time_trial"
    words = note.lower().replace("-", " ").split()
    if any(w.strip(".,!") in ("race", "raced", "racing", "parkrun") for w in words):
        return "race"
    text = " ".join(w.strip(".,!") for w in words)
    if "time trial" in text or "timetrial" in words or "tt" in text.split():
        return "time_trial"
    return None


async def record_efforts(
    uow: UnitOfWork,
    runner: Runner,
    efforts: Sequence[Effort],
    on: date,
    source: str,
    log_id: int | None,
    *,
    today: date,
    now: datetime,
) -> ResultOutcome:
    """Store new personal bests, update the runner's fitness, and say so (module docstring)."""
    valid = [e for e in efforts if _plausible(e)]
    if not valid:
        return ResultOutcome()
    before = await current_bests(uow, runner.id)
    new = _new_bests(valid, before, on, source, log_id)
    if new:
        await add_bests(uow, runner.id, new, now)
    lines = [_best_line(record, before.get(record.distance), runner.units) for record in new]
    fitness = _fitness_update(runner, valid, new, on, today)
    outcome = ResultOutcome(new_bests=tuple(new), previous=before)
    if fitness is None:
        if new and runner.goal_s is None and runner.mile_time_s is not None:
            outcome, extra = _with_next_goal(outcome, runner, runner.mile_time_s, today)
            lines += extra
        return _with_lines(outcome, lines + _kept_lines(runner, valid, on, today))
    return await _apply_fitness(uow, runner, outcome, fitness, lines, log_id, today, now)


def _plausible(effort: Effort) -> bool:
    if effort.kind not in EFFORT_KINDS:
        return False
    if not (effort.distance_m > 0 and effort.seconds > 0):
        return False
    if effort.distance_m != effort.distance_m or effort.seconds != effort.seconds:
        return False
    # Faster than the mile world record's speed over any distance is a typo or a GPS glitch.
    return effort.distance_m / effort.seconds <= MILE_M / WORLD_RECORD_MILE_S * 1.15


def _new_bests(
    efforts: Sequence[Effort],
    before: dict[str, BestRecord],
    on: date,
    source: str,
    log_id: int | None,
) -> list[BestRecord]:
    fastest: dict[str, Effort] = {}
    for effort in efforts:
        key = standard_distance(effort.distance_m, effort.kind)
        if key is None:
            continue
        metres = DISTANCES[key][0]
        # Scale to the exact distance so bests over "5 km" compare like with like.
        scaled = Effort(metres, effort.seconds * metres / effort.distance_m, effort.kind)
        if key not in fastest or scaled.seconds < fastest[key].seconds:
            fastest[key] = scaled
    records = []
    for key, effort in fastest.items():
        old = before.get(key)
        if old is not None and effort.seconds >= old.seconds - SAME_TIME_S:
            continue
        records.append(BestRecord(
            distance=key, distance_m=effort.distance_m, seconds=round(effort.seconds, 1),
            local_date=on, kind=effort.kind, source=source, run_log_id=log_id,
        ))
    return records


def _best_line(record: BestRecord, old: BestRecord | None, units: str) -> str:
    label = distance_label(record.distance)
    time = clock(record.seconds, tenths=record.seconds < 600 and record.seconds % 1 > 0)
    if old is None:
        return f"🏅 First {label} on record: {time} — that's your personal best to beat."
    gain = old.seconds - record.seconds
    return (
        f"🏆 New personal best over the {label}: {time} — {_seconds(gain)} faster than your "
        f"{clock(old.seconds)} from {short_date(old.local_date)} {old.local_date.year}!"
    )


def _fitness_update(
    runner: Runner,
    efforts: Sequence[Effort],
    new: Sequence[BestRecord],
    on: date,
    today: date,
) -> float | None:
    """The new mile time this result sets, or None (see the module docstring)."""
    if (today - on).days > RECENT_DAYS:
        return None
    new_keys = {b.distance for b in new}
    candidates: list[tuple[float, EffortKind]] = []
    for effort in efforts:
        if not MIN_RACE_M <= effort.distance_m <= MAX_RACE_M:
            continue
        if effort.kind == "best_effort" and standard_distance(
            effort.distance_m, effort.kind
        ) not in new_keys:
            continue
        mile = equivalent_mile_s(effort.distance_m, effort.seconds)
        if WORLD_RECORD_MILE_S <= mile <= SLOWEST_MILE_S:
            candidates.append((mile, effort.kind))
    if not candidates:
        return None
    mile, kind = min(candidates)
    mile = round(mile, 1)
    current = runner.mile_time_s
    if current is None or mile < current - 0.5:
        return mile
    if kind == "time_trial" and abs(mile - current) >= 0.5:
        return mile  # the plan's measurement: slower counts too
    return None


async def _apply_fitness(
    uow: UnitOfWork,
    runner: Runner,
    outcome: ResultOutcome,
    mile: float,
    lines: list[str],
    log_id: int | None,
    today: date,
    now: datetime,
) -> ResultOutcome:
    old_mile = runner.mile_time_s
    await add_fitness_change(
        uow, runner.id, log_id, FitnessRecord(old_mile, mile, runner.goal_s), now
    )
    old_paces = compute_paces(athlete_for(runner, today))
    runner.mile_time_s = mile
    goal_reached = runner.goal_s is not None and mile <= runner.goal_s + 0.05
    goal_lines: list[str] = []
    if goal_reached and runner.goal_s is not None:
        goal_lines.append(
            f"🎯 Goal reached: you set out for {clock(runner.goal_s)} and your mile is "
            f"now {clock(mile)}. Brilliant work!"
        )
        runner.goal_s = None
    elif runner.goal_s is not None and runner.goal_s < mile * (1 - GOAL_MAX_GAIN):
        goal_lines.append(
            f"Your goal of {clock(runner.goal_s)} is now more than "
            f"{GOAL_MAX_GAIN:.0%} faster than your mile, so I've cleared it for now."
        )
        runner.goal_s = None
    paces = compute_paces(athlete_for(runner, today))
    lines.append(_paces_line(old_mile, mile, old_paces, paces, runner.units))
    lines += goal_lines
    outcome = ResultOutcome(
        new_bests=outcome.new_bests, previous=outcome.previous, mile_before=old_mile,
        mile_after=mile, vdot_before=old_paces.vdot, vdot_after=paces.vdot, paces=paces,
        goal_reached=goal_reached,
    )
    if runner.goal_s is None:
        outcome, extra = _with_next_goal(outcome, runner, mile, today)
        lines += extra
    elif runner.goal_s < mile:
        lines.append(f"Your goal of {clock(runner.goal_s)} is "
                     f"{_seconds(mile - runner.goal_s)} away.")
    runner.updated_at = now
    await replan(uow, runner, today, now)
    lines.append("Your plan from today on uses the new paces.")
    return _with_lines(outcome, lines)


def _paces_line(
    old_mile: float | None, mile: float, old: Paces, new: Paces, units: str
) -> str:
    if old_mile is None:
        head = f"📈 Your mile is now {clock(mile)}"
    else:
        head = f"📈 Mile {clock(old_mile)} → {clock(mile)}"
    if old.vdot is not None and new.vdot is not None:
        head += f", VDOT {old.vdot:g} → {new.vdot:g}"
    elif new.vdot is not None:
        head += f", VDOT {new.vdot:g}"
    parts = []
    if new.easy is not None:
        parts.append(f"easy {format_pace_range(new.easy[0], new.easy[1], units)}")
    if new.threshold is not None:
        parts.append(f"threshold {format_pace(new.threshold, units)}")
    if new.interval is not None:
        parts.append(f"interval {format_pace(new.interval, units)}")
    if new.repetition is not None:
        parts.append(f"repetition {format_pace(new.repetition, units)}")
    return head + (". New paces: " + ", ".join(parts) + "." if parts else ".")


def _with_next_goal(
    outcome: ResultOutcome, runner: Runner, mile: float, today: date
) -> tuple[ResultOutcome, list[str]]:
    weeks = weeks_available(today, upcoming_race(runner, today))
    goal = realistic_goal(mile, weeks)
    if goal >= mile:
        return outcome, []
    span = f"{round(weeks)} weeks"
    what = "race" if upcoming_race(runner, today) else "next block"
    beginner = runner.level == Level.BEGINNER.value
    lead = "Next step" if beginner else "Next goal"
    line = (
        f"👉 {lead}: a {clock(goal)} mile over your {what} ({span}, about 1 % a week) — "
        f"set it with <code>/settings goal={clock(goal)}</code>."
    )
    return dataclasses.replace(outcome, next_goal_s=goal), [line]


def _kept_lines(runner: Runner, efforts: Sequence[Effort], on: date, today: date) -> list[str]:
    """Why a race did not change the paces, when the runner might expect it to."""
    if runner.mile_time_s is None or (today - on).days > RECENT_DAYS:
        return []
    races = [e for e in efforts if e.kind == "race" and MIN_RACE_M <= e.distance_m <= MAX_RACE_M]
    if not races:
        return []
    mile = min(equivalent_mile_s(e.distance_m, e.seconds) for e in races)
    if mile <= runner.mile_time_s + 0.5:
        return []
    return [
        f"That race is worth a {clock(mile)} mile; your paces stay at your "
        f"{clock(runner.mile_time_s)} — one tough day doesn't set them back. If races "
        "keep coming out slower, a time trial will reset them."
    ]


def _with_lines(outcome: ResultOutcome, lines: Sequence[str]) -> ResultOutcome:
    return dataclasses.replace(outcome, lines=tuple(lines))


def _seconds(seconds: float) -> str:
    if seconds >= 59.5:
        return clock(seconds) + " min"
    whole = round(seconds, 1) if seconds < 10 else round(seconds)
    return f"{whole:g} s"


async def record_log(
    uow: UnitOfWork,
    runner: Runner,
    log: RunToRecord,
    *,
    today: date,
    now: datetime,
) -> ResultOutcome:
    """A logged run as a result: a race or time trial with a distance and a time (see
    `effort_kind`) goes through `record_efforts`; any other log changes nothing."""
    if log.session_type in ("race", "time_trial") and (
        log.as_planned or log.minutes is None or log.distance_m is None
    ):
        what = "race" if log.session_type == "race" else "time trial"
        return ResultOutcome(lines=(
            f"⏱ How fast was your {what}? Give me the distance and time and I'll keep your "
            "personal best and update your paces: /undo, then <code>/done 1mi 7:05</code>.",
        ))
    if log.as_planned or log.minutes is None or log.distance_m is None:
        return ResultOutcome()
    kind = effort_kind(log.session_type, log.note)
    if kind is None:
        return ResultOutcome()
    effort = Effort(log.distance_m, log.minutes * 60.0, kind)
    return await record_efforts(
        uow, runner, [effort], log.day, log.source, log.id, today=today, now=now
    )


@dataclass(frozen=True, slots=True)
class RunToRecord:
    """What `record_log` needs to know about a stored run log."""

    id: int | None
    day: date
    minutes: float | None
    distance_m: float | None
    note: str
    as_planned: bool
    session_type: str | None
    source: str


async def undo_result(
    uow: UnitOfWork, runner: Runner, log_id: int, *, today: date, now: datetime
) -> list[str]:
    """Before a log is taken back: put back the mile time (and a goal it cleared) the log's
    result replaced, unless a later result has changed the mile since. Reply lines; when there
    are any, the caller regenerates the plan once the log is gone."""
    change = await fitness_change_of_log(uow, runner.id, log_id)
    if change is None or runner.mile_time_s is None:
        return []
    if abs(runner.mile_time_s - change.mile_after) > SAME_TIME_S:
        return []  # a later result set the mile since: that one stands
    runner.mile_time_s = change.mile_before
    if runner.goal_s is None and change.goal_before is not None:
        runner.goal_s = change.goal_before
    runner.updated_at = now
    if change.mile_before is None:
        return ["Your mile time is cleared again: sessions go by effort until you log one."]
    paces = compute_paces(athlete_for(runner, today))
    vdot = f" (VDOT {paces.vdot:g})" if paces.vdot is not None else ""
    return [f"Your mile is back to {clock(change.mile_before)}{vdot}, and your paces "
            "with it."]
