"""Plan generation: `build_plan` turns a runner's inputs (and history) into dated sessions.

Pure and deterministic: the same inputs always give the same plan. Weeks are calendar weeks
(Mon–Sun); week 1 holds `start`. Load grows one step per week that was completed — judged from
the history for weeks before `today`, assumed for the current and later weeks — so the app
replans as history arrives. A partial first week is a lead-in and never earns a step.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.training.adaptation import adapt, note_week, step_after_layoff, week_completed
from core.training.athlete import Athlete, History, PlanError, check_structure
from core.training.draft import Draft
from core.training.layout import week_layout
from core.training.levels import Level
from core.training.model import Plan
from core.training.paces import compute_paces
from core.training.passes import add_time_trial, assign_keys, ensure_weekly_rest
from core.training.progression import progression
from core.training.taper import apply_taper
from core.training.weeks import week_sessions

MAX_PLAN_DAYS = 3 * 366
SPECIFIC_WEEKS = 4  # competitive: mile-specific key sessions in the last four weeks to a race


def build_plan(athlete: Athlete, start: date, days: int, history: History | None = None,
               today: date | None = None) -> Plan:
    """A plan of `days` consecutive days from `start`, ending early on race day.

    With `history` and `today`, past weeks gate progression and the current week adapts to
    missed sessions and poor sleep. Raises `PlanError` for inputs no plan can be built from.
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
    ensure_weekly_rest(draft)
    if race is not None:
        apply_taper(draft, race)
        ensure_weekly_rest(draft)  # race day may have taken the rest day of its week
    if athlete.level is Level.BEGINNER and (race is None or race > end):
        add_time_trial(draft)
    assign_keys(draft)
    if history is not None and today is not None:
        adapt(draft, history, today)
    return Plan(athlete, draft.paces, draft.days())


def _lay_out_weeks(draft: Draft, end: date, race: date | None, history: History | None,
                   today: date | None) -> None:
    athlete, start = draft.athlete, draft.start
    level = athlete.level
    runs = len(draft.layout.run_days)
    ladder = progression(level, runs)
    total_days = (end - start).days + 1
    monday = start - timedelta(days=start.weekday())
    step, week = 0, 1
    while monday <= end:
        step, why = step_after_layoff(draft, ladder, step, week, monday, history, today)
        rung = ladder[min(step, len(ladder) - 1)]
        specific = None
        if race is not None and level is Level.COMPETITIVE:
            weeks_out = (race - monday).days // 7
            if 0 <= weeks_out < SPECIFIC_WEEKS:
                specific = SPECIFIC_WEEKS - 1 - weeks_out
        sessions = week_sessions(level, draft.paces, draft.layout, rung, step, week, specific)
        offset = (monday - start).days
        draft.add_week(week, sessions, draft.layout.roles, max(0, -offset),
                       min(7, total_days - offset))
        draft.targets[week] = rung.total
        if why is not None:
            note_week(draft, week, why)
        sunday = monday + timedelta(days=6)
        if monday >= start and sunday <= end and _earned(draft, week, monday, history, today):
            step += 1
        monday += timedelta(days=7)
        week += 1


def _earned(draft: Draft, week: int, monday: date, history: History | None, today: date | None
            ) -> bool:
    """Whether a full week moves the runner up a step: assumed unless it is over and the
    history shows it was not completed (`adaptation.week_completed`)."""
    if history is None or today is None or monday + timedelta(days=6) >= today:
        return True
    return week_completed(draft, week, history)
