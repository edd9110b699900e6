"""/pr: the runner's personal bests per distance, their current mile and VDOT, and what next."""

from __future__ import annotations

from core.commands.base import Context
from core.goals import counter_proposal, realistic_goal, weeks_available
from core.messages import Reply
from core.planning import athlete_for, upcoming_race
from core.race_distances import DISTANCES, distance_label
from core.storage.personal_bests import current_bests
from core.text import clock, format_date
from core.training import compute_paces

KIND_WORDS = {"race": "race", "time_trial": "time trial", "best_effort": "best effort"}
NONE_YET = (
    "No personal bests yet. Log a race or a time trial with its distance and time and I'll "
    "keep them here: <code>/done 1mi 8:40 race</code> (on a time-trial day, just "
    "<code>/done 1mi 8:40</code>)."
)


async def handle(ctx: Context) -> Reply:
    """`/pr`: bests in distance order, each with its date and where it came from."""
    runner, today = ctx.runner, ctx.today
    bests = await current_bests(ctx.uow, runner.id)
    lines = ["🏆 <b>Personal bests</b>"]
    for key in DISTANCES:
        best = bests.get(key)
        if best is None:
            continue
        tenths = best.seconds < 600 and best.seconds % 1 > 0
        lines.append(
            f"{distance_label(key).capitalize()}: {clock(best.seconds, tenths=tenths)} · "
            f"{format_date(best.local_date, year=True)} · {KIND_WORDS.get(best.kind, best.kind)}"
            f" ({best.source})"
        )
    if len(lines) == 1:
        lines = [NONE_YET]
    mile = runner.mile_time_s
    if mile is not None:
        paces = compute_paces(athlete_for(runner, today))
        vdot = f", VDOT {paces.vdot:g}" if paces.vdot is not None else ""
        lines.append(f"\nCurrent mile: {clock(mile)}{vdot} — your paces come from it.")
        weeks = weeks_available(today, upcoming_race(runner, today))
        if runner.goal_s is None:
            goal = realistic_goal(mile, weeks)
            lines.append(
                f"👉 Next goal: {clock(goal)} in {round(weeks)} weeks — "
                f"<code>/settings goal={clock(goal)}</code>"
            )
        else:
            lines.append(f"Goal: {clock(runner.goal_s)} "
                         f"({clock(max(0.0, mile - runner.goal_s))} to go).")
            proposal = counter_proposal(mile, runner.goal_s, weeks)
            if proposal:
                lines.append(proposal)
    return Reply("\n".join(lines))
