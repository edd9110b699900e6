"""The training engine: levels, paces (VDOT, Riegel), sessions, plan generation, race week.

Everything here is pure and framework-free; `build_plan` is the entry point, the render
functions turn a plan into chat text, JSON and iCalendar.
"""

from core.training.athlete import Athlete, History, PlanError, validate_athlete
from core.training.laps import lap_splits
from core.training.levels import Level, Units
from core.training.model import Paces, Plan, PlanDay, Rep, Strides
from core.training.paces import compute_paces, estimated_mile_s, riegel, vdot
from core.training.planner import build_plan
from core.training.race_week import race_warmup_timeline, race_week_checklist
from core.training.render_ics import plan_to_ics
from core.training.render_json import plan_to_dict
from core.training.render_text import plan_to_text, session_text, week_text
from core.training.timefmt import parse_mmss

__all__ = [
    "Athlete",
    "History",
    "Level",
    "Paces",
    "Plan",
    "PlanDay",
    "PlanError",
    "Rep",
    "Strides",
    "Units",
    "build_plan",
    "compute_paces",
    "estimated_mile_s",
    "lap_splits",
    "parse_mmss",
    "plan_to_dict",
    "plan_to_ics",
    "plan_to_text",
    "race_warmup_timeline",
    "race_week_checklist",
    "riegel",
    "session_text",
    "validate_athlete",
    "vdot",
    "week_text",
]
