"""Plans as text: one session for `/today`, a week for `/week` (reply markup, see
`core.messages`), and a whole plan as plain text for `pacer plan`."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date

from core.text import WEEKDAYS, clock, format_date, format_minutes, format_pace, format_pace_range
from core.training.laps import lap_time
from core.training.levels import MILE_M, Level, Units
from core.training.model import Paces, Plan, PlanDay

EASY_EFFORT = "conversational (RPE 3–4/10)"
DANIELS_MIN_VDOT = 30.0  # Daniels' pace tables start here; below it, quality runs by effort
BEGINNER_EFFORT = (
    "Run by effort: conversational — you can talk in full sentences (RPE 3–4/10). No speed "
    "work: if you're gasping, slow down or walk."
)


def session_text(day: PlanDay, paces: Paces, units: Units) -> str:
    """What `/today` shows: the session, its paces in the runner's units, and its tip."""
    e = _esc
    lines = [f"<b>{format_date(day.date)} · {e(day.title)}</b>"]
    if day.type != "rest":
        facts = [format_minutes(day.minutes), day.intensity]
        if day.key:
            facts.append("key session")
        lines.append(" · ".join(facts))
    lines.append(e(day.description))
    lines.extend(f"• {e(step)}" for step in day.steps)
    pace_line = pace_summary(day, paces, units)
    if pace_line:
        lines.append(f"Paces: {e(pace_line)}")
    if day.tip:
        lines.append(f"<i>Tip: {e(day.tip)}</i>")
    if day.note:
        lines.append(f"Note: {e(day.note)}")
    return "\n".join(lines)


def pace_summary(day: PlanDay, paces: Paces, units: Units) -> str | None:
    """The paces a session needs, or the efforts when no time is known."""
    kind = day.type
    easy = format_pace_range(*paces.easy, units) if paces.easy else EASY_EFFORT
    by_effort = paces.vdot is None or paces.vdot < DANIELS_MIN_VDOT
    if kind in ("easy", "long", "shakeout"):
        text = f"easy {easy}"
        if day.strides is not None:
            strides = format_pace(paces.repetition, units) if paces.repetition else "RPE 8/10"
            text += f" · strides quick but relaxed (about {strides})"
        return text
    fast = {
        "intervals": ("fast reps", paces.interval, "RPE 8/10"),
        "vo2max": ("reps", paces.interval, "3–5 km race effort, RPE 8/10"),
        "threshold": ("threshold", paces.threshold, "current 10k effort, RPE 7/10"),
    }
    if kind in fast:
        label, value, effort = fast[kind]
        rep_pace = day.reps[0].pace_s_per_km if day.reps else None
        value = rep_pace or value  # the session's own pace: it may be a step faster
        main = format_pace(value, units) if value and not by_effort else effort
        return f"{label} {main} · warm-up and jogs easy {easy}"
    if kind == "fartlek":
        return f"surges by feel (RPE 7–9/10) · the rest easy {easy}"
    if kind in ("mile_pace", "race"):
        goal = None if paces.goal_mile_400 is None else paces.goal_mile_400 * MILE_M / 400
        if goal is None:
            return "goal mile effort (RPE 9/10)" if kind == "mile_pace" else None
        per_km = goal * 1000 / MILE_M
        return (
            f"goal mile pace {clock(lap_time(goal), tenths=True)} per 400 m "
            f"({format_pace(per_km, units)}, mile {clock(goal)})"
        )
    return None


def week_text(days: Sequence[PlanDay], done: Mapping[date, float], units: Units) -> str:
    """What `/week` shows: each day, whether it's done, and the week's running time.

    The week is counted in time, so `units` changes nothing today; it is part of the
    contract so distances can be shown without changing callers.
    """
    if not days:
        return "No plan for this week yet."
    first, last = format_date(days[0].date), format_date(days[-1].date)
    lines = [f"<b>Week {days[0].week} · {first} – {last}</b>"]
    planned = logged = hard = 0
    for day in days:
        minutes = done.get(day.date, 0.0)
        mark = "–" if day.type == "rest" else "✓" if minutes > 0 else "○"
        what = _esc(day.title)
        if day.type != "rest":
            what += f" ({format_minutes(day.minutes)})"
        if day.key:
            what += " · key"
        if day.note:
            what += f" — {_esc(day.note)}"
        lines.append(f"{mark} {format_date(day.date)}: {what}")
        planned += day.run_minutes
        hard += day.hard_minutes
        logged += round(minutes)
    if planned:
        easy_share = 100 * (planned - hard) // planned
        lines.append(
            f"Running: {format_minutes(planned)} planned, {easy_share}% easy · logged "
            f"{format_minutes(logged)}"
        )
    return "\n".join(lines)


def plan_to_text(plan: Plan) -> str:
    """The whole plan as plain text (for the terminal)."""
    athlete, paces = plan.athlete, plan.paces
    units = athlete.units
    days_text = ", ".join(WEEKDAYS[d] for d in athlete.training_days)
    lines = [f"Pacer plan · {athlete.level.value} · training days: {days_text}"]
    if plan.days:
        lines[0] += f" · {plan.days[0].date.isoformat()} to {plan.days[-1].date.isoformat()}"
    lines.append(paces_text(paces, units, athlete.level))
    weeks: dict[int, list[PlanDay]] = {}
    for day in plan.days:
        weeks.setdefault(day.week, []).append(day)
    for number, week in weeks.items():
        run = sum(d.run_minutes for d in week)
        hard = sum(d.hard_minutes for d in week)
        share = f", {100 * (run - hard) // run}% easy" if run else ""
        lines.append("")
        if athlete.level is Level.BEGINNER:
            feet = sum(d.minutes - d.strength_minutes for d in week if d.run_minutes)
            lines.append(f"Week {number}: {format_minutes(feet)} on your feet, "
                         f"{format_minutes(run)} of it running{share}")
        else:
            lines.append(f"Week {number}: {format_minutes(run)} of running{share}")
        for day in week:
            head = f"  {format_date(day.date):<10}  {day.title}"
            if day.type != "rest":
                head += f" · {format_minutes(day.minutes)} · {day.intensity}"
            if day.key:
                head += " · KEY"
            lines.append(head)
            lines.extend(f"      {step}" for step in day.steps)
            pace = pace_summary(day, paces, units)
            if pace and athlete.level is not Level.BEGINNER:
                lines.append(f"      Pace: {pace}")
            if day.note:
                lines.append(f"      Note: {day.note}")
            lines.append(f"      Tip: {day.tip}")
    return "\n".join(lines)


def paces_text(paces: Paces, units: Units, level: Level | None = None) -> str:
    """One line with the runner's paces, or how to run by effort: always for beginners (the
    seed guide: don't get hung up on speed), and for quality work below Daniels' tables."""
    if level is Level.BEGINNER:
        return BEGINNER_EFFORT
    if paces.vdot is not None and paces.vdot < DANIELS_MIN_VDOT and paces.easy is not None:
        return (
            f"Paces: easy {format_pace_range(*paces.easy, units)} · faster work by effort (your "
            "mile is below Daniels' pace tables): threshold = comfortably hard (RPE 7/10), "
            "intervals = hard (RPE 8/10)"
            + (f" · goal mile pace {clock(paces.goal_mile_400, tenths=True)} per 400 m"
               if paces.goal_mile_400 is not None else "")
        )
    if paces.easy is None or paces.threshold is None or paces.interval is None:
        text = (
            "No time given, so run by effort: easy = conversational (RPE 3–4/10), threshold = "
            "comfortably hard (RPE 7/10), intervals = hard (RPE 8/10)"
        )
    else:
        text = (
            f"Paces: easy {format_pace_range(*paces.easy, units)} · threshold "
            f"{format_pace(paces.threshold, units)} · interval "
            f"{format_pace(paces.interval, units)}"
        )
        if paces.repetition is not None:
            text += f" · repetition {format_pace(paces.repetition, units)}"
        if paces.vdot is not None:
            text += f" · VDOT {paces.vdot:.1f}"
    if paces.goal_mile_400 is not None:
        text += f" · goal mile pace {clock(paces.goal_mile_400, tenths=True)} per 400 m"
    return text


def _esc(text: str) -> str:
    return html.escape(text, quote=False)
