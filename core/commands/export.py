"""/export: the runner's data as JSON and CSV, and their plan as a calendar file."""

from __future__ import annotations

from core.commands.base import Context
from core.exporting import collect, file_stem, logs_csv, plan_ics, to_json
from core.messages import Attachment, Reply
from core.text import plural


async def handle(ctx: Context) -> Reply:
    runner = ctx.runner
    document = await collect(ctx.uow, runner, ctx.now)
    stem = file_stem(runner.display_name)
    files = [
        Attachment(f"pacer-{stem}.json", to_json(document).encode(), "application/json"),
        Attachment(f"pacer-{stem}.csv", logs_csv(document).encode(), "text/csv"),
    ]
    sessions = await ctx.uow.plans.all_days(runner.id)
    if sessions:
        ics = plan_ics(sessions, runner.tz, runner.reminder_time, ctx.now, runner.race_start,
                       uid_prefix=f"pacer-{runner.id}")
        files.append(Attachment("pacer-plan.ics", ics, "text/calendar"))
    logs, nights = len(document["logs"]), len(document["sleep"])
    lines = [
        "<b>Your Pacer data</b>",
        f"• pacer-{stem}.json — your settings, {plural(logs, 'run')}, "
        f"{plural(nights, 'night')} of sleep and your streak",
        f"• pacer-{stem}.csv — your runs, for a spreadsheet",
    ]
    if sessions:
        lines.append("• pacer-plan.ics — your plan: import it into your calendar app")
    else:
        lines.append("No plan yet, so no calendar file: send /start to get one.")
    lines.append("To erase everything Pacer stores about you: /deleteme")
    return Reply("\n".join(lines), attachments=tuple(files), private=True)

