"""Plan generation: `build_plan` turns a runner's inputs (and history) into dated sessions.

Pure and deterministic: the same inputs always give the same plan. Weeks are calendar weeks
(Mon–Sun); week 1 holds `start`. Load grows one step per week that was completed — judged from
the history for weeks before `today`, assumed for the current and later weeks — so the app
replans as history arrives. A partial first week is a lead-in and never earns a step.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from core.training.adaptation import (
    adapt,
    finale_waits,
    note_week,
    return_rung,
    set_note,
    step_after_layoff,
    week_completed,
)
from core.training.athlete import Athlete, History, PlanError, check_structure
from core.training.comeback import Comebacks
from core.training.draft import Draft
from core.training.layout import EASY, HARD_ROLES, week_layout
from core.training.levels import Level
from core.training.model import Plan
from core.training.paces import compute_paces, goal_vdot, progressed, slowed
from core.training.passes import (
    add_first_mile,
    add_time_trial,
    assign_keys,
    beginner_bridge_ready,
    bridge_note,
    ensure_weekly_rest,
    first_day,
    vary_tips,
)
from core.training.progression import progression
from core.training.session import Session
from core.training.taper import apply_taper
from core.training.weeks import VDOT_MAX_GAIN, vdot_gain, week_sessions
from core.units import monday_of

MAX_PLAN_DAYS = 3 * 366
LONG_GROWTH = 1.10  # the long run grows at most 10% on the last two weeks' (the seed guide)
LIGHT_WEEK_NOTE = (
    "A lighter week: about a quarter less, so the last three weeks sink in — every fourth "
    "week is one (Daniels). Enjoy the extra freshness."
)
SPECIFIC_WEEKS = 4  # competitive: mile-specific key sessions in the last four weeks to a race


def build_plan(athlete: Athlete, start: date, days: int, history: History | None = None,
               today: date | None = None, finale: bool = True) -> Plan:
    """A plan of `days` consecutive days from `start`, ending early on race day.

    With `history` and `today`, past weeks gate progression and the current week adapts to
    missed sessions and poor sleep. Without a race, a plan of four weeks or more ends with a
    mile time trial; `finale=False` leaves it out, for a rolling horizon whose last day is not
    the end of the runner's training (a beginner's then gets the first continuous mile the
    week after the bridge is ready: `passes.add_first_mile`). Raises `PlanError` for inputs
    no plan can be built from.
    """
    check_structure(athlete)
    if not 1 <= days <= MAX_PLAN_DAYS:
        raise PlanError(f"A plan covers 1 to {MAX_PLAN_DAYS} days.")
    end = start + timedelta(days=days - 1)
    race = athlete.race_date
    if race is not None and race < start:
        race = None  # a race before the plan has no bearing on it
    if race is not None and race < end:
        end = race
    layout = week_layout(athlete.level, athlete.training_days)
    draft = Draft(athlete, compute_paces(athlete), layout, start)
    _lay_out_weeks(draft, end, race, history, today)
    first_day(draft)
    ensure_weekly_rest(draft)
    if race is not None:
        apply_taper(draft, race)
        ensure_weekly_rest(draft)  # race day may have taken the rest day of its week
        if athlete.level is Level.BEGINNER and race <= end:
            _bridge_note_on_race(draft, race)
    if finale and (race is None or race > end):
        _finale(draft, history, today)
    elif not finale and race is None:
        add_first_mile(draft)
    assign_keys(draft)
    vary_tips(draft)
    if history is not None and today is not None:
        adapt(draft, history, today)
    # the paces in effect at the plan's end: after time off, the slower ones (comeback.py)
    return Plan(athlete, slowed(draft.paces, draft.pace_factor), draft.days())


def _finale(draft: Draft, history: History | None, today: date | None) -> None:
    """The closing mile time trial, unless the runner is only now coming back to running: then
    the finale week stays as laid out, and its last run says why the test waits
    (`adaptation.finale_waits`)."""
    why = finale_waits(draft, history, today)
    if why is None:
        add_time_trial(draft)
        return
    last = next(i for i in range(len(draft) - 1, -1, -1) if draft.sessions[i].is_run)
    set_note(draft, last, why)  # on the day the time trial would have been


def _bridge_note_on_race(draft: Draft, race: date) -> None:
    """A beginner whose bridge has not reached about three quarters of a mile runs what is
    comfortable and walks the rest: the race day says so."""
    i = draft.index_of(race)
    if i is None:
        return
    ready, longest, mile_s = beginner_bridge_ready(draft, i)
    if not ready:
        draft.notes[i] = bridge_note(longest, mile_s).replace(
            "today run as far as you comfortably can, then walk",
            "run as far as you comfortably can, then walk and jog to the finish — that is a "
            "fine first race",
        )


def _lay_out_weeks(draft: Draft, end: date, race: date | None, history: History | None,
                   today: date | None) -> None:
    athlete, start = draft.athlete, draft.start
    level = athlete.level
    runs = len(draft.layout.run_days)
    ladder = progression(level, runs)
    total_days = (end - start).days + 1
    monday = monday_of(start)
    step, week = 0, 1
    shown_gain = 0.0
    longs: list[int] = []  # each week's long run, for its 10% rule
    target = goal_vdot(athlete)
    current = draft.paces.vdot
    max_gain = 0.0 if current is None else float(VDOT_MAX_GAIN)
    if target is not None and current is not None:
        max_gain = max(0.0, min(max_gain, target - current))
    comebacks = None  # a trained runner's returns from time off (only history can hold one)
    if level is not Level.BEGINNER and history is not None and today is not None:
        comebacks = Comebacks(draft, ladder, history, today)
    while monday <= end:
        if comebacks is not None:  # a graded return after time off, else the ladder
            rung = comebacks.rung(step, week, monday)
        else:  # a beginner after time off: back to the last finished stage
            before = ladder[min(step, len(ladder) - 1)]
            step, why = step_after_layoff(draft, ladder, step, week, monday, history, today)
            rung = ladder[min(step, len(ladder) - 1)]
            if why is not None:
                rung = return_rung(level, rung, before)
        specific = None
        if race is not None and level is Level.COMPETITIVE:
            weeks_out = (race - monday).days // 7
            if 0 <= weeks_out < SPECIFIC_WEEKS:
                specific = SPECIFIC_WEEKS - 1 - weeks_out
        gain = min(vdot_gain(rung.quality), max_gain)
        paces = progressed(draft.paces, gain) if gain else draft.paces
        paces = slowed(paces, draft.pace_factor)  # after time off (comeback.py)
        # a return rebuilds a long run already carried: its rung keeps it within that one
        returning = comebacks is not None and comebacks.returning
        cap = None if not longs or returning else math.floor(max(longs[-2:]) * LONG_GROWTH)
        sessions = week_sessions(level, paces, draft.layout, rung, week, specific, cap)
        long_day = draft.layout.long_day
        longs.append(0 if long_day is None else sessions[long_day].run_minutes)
        offset = (monday - start).days
        first = len(draft)
        roles = draft.layout.roles if rung.hard_cap is None else _easy_roles(
            draft.layout.roles, sessions)
        draft.add_week(week, sessions, roles, max(0, -offset), min(7, total_days - offset))
        hard_at = next((i for i in range(first, len(draft)) if draft.sessions[i].is_hard), None)
        if gain > shown_gain and hard_at is not None and specific is None:
            shown_gain = gain
            draft.notes[hard_at] = (
                f"Your fitness has grown with the weeks of training: from this week the quality "
                f"sessions use paces of VDOT {paces.vdot:.1f} (Daniels: move up one VDOT after "
                "4–6 good weeks). Easy runs stay easy."
            )
        # the note once: a lighter week repeated (a beginner's, not yet done) needs no second
        if rung.light and specific is None and len(draft) - first == 7 and not draft.light.get(
            week - 1
        ):
            run_at = next((i for i in range(first, len(draft)) if draft.sessions[i].is_run), None)
            if run_at is not None and draft.notes[run_at] is None:
                draft.notes[run_at] = LIGHT_WEEK_NOTE
        draft.targets[week] = sum(x.run_minutes for x in sessions)
        draft.light[week] = rung.light
        if comebacks is not None:
            why = comebacks.note(draft.targets[week], hard_at is not None)
        if why is not None:
            note_week(draft, week, why)
        sunday = monday + timedelta(days=6)
        # A runner's lighter week always moves on (repeating it would only make the next step
        # steeper); a beginner's repeats its stage, so it is earned like any other. During a
        # return the step waits (`Comebacks.moves_on`).
        if monday >= start and sunday <= end:
            moves = (rung.light and level is not Level.BEGINNER) or _earned(
                draft, week, monday, history, today)
            if comebacks is not None:
                moves = comebacks.moves_on(moves)
            step += moves
        monday += timedelta(days=7)
        week += 1


def _easy_roles(roles: tuple[str, ...], sessions: list[Session]) -> tuple[str, ...]:
    """A week's roles with the hard days that hold an easy run as easy days (a return week)."""
    return tuple(EASY if role in HARD_ROLES and not sessions[d].is_hard else role
                 for d, role in enumerate(roles))


def _earned(draft: Draft, week: int, monday: date, history: History | None, today: date | None
            ) -> bool:
    """Whether a full week moves the runner up a step: assumed unless it is over and the
    history shows it was not completed (`adaptation.week_completed`)."""
    if history is None or today is None or monday + timedelta(days=6) >= today:
        return True
    return week_completed(draft, week, history)
