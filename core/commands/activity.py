"""`/import`: log a run from an activity file (GPX, FIT, TCX) sent with the message.

Telegram sends a document, Discord an attachment (in DMs or on `/done`), the console
`/import PATH`: each adapter hands the file over as `Request.upload`. `/import keep N` and
`/import mine N` answer the question asked when a file matches a run logged by hand.
"""

from __future__ import annotations

from core.activity.errors import ActivityError
from core.activity.read import read_activity
from core.activity.unpack import MAX_FILE_BYTES, too_big
from core.activity_log import keep, log_activity, parse_choice
from core.commands.base import Context, UserError
from core.messages import Platform, Reply, esc

NOTE_LIMIT = 300
HOW = (
    "Send me the activity file from your watch or running app — GPX, FIT or TCX — and I'll "
    "log the run with its splits and best efforts."
)


async def handle(ctx: Context) -> Reply | list[Reply]:
    """A file: read it and log the run. Else the answer to a match question, or how to."""
    upload = ctx.request.upload
    if upload is None:
        choice = parse_choice(ctx.request.text)
        if choice is None:
            raise UserError(_how(ctx))
        action, activity_id = choice
        return await keep(ctx, activity_id, file=action == "keep")
    if upload.size > MAX_FILE_BYTES or len(upload.content) > MAX_FILE_BYTES:
        raise UserError(esc(str(too_big(max(upload.size, len(upload.content))))))
    try:
        activity = read_activity(upload.filename, upload.content, now=ctx.now,
                                 units=ctx.runner.units)
    except ActivityError as err:
        raise UserError(esc(str(err))) from err
    # On the console the text is the file's path; elsewhere it is the runner's caption.
    console = ctx.request.platform is Platform.CONSOLE
    note = "" if console else " ".join(ctx.request.text.split())[:NOTE_LIMIT]
    return await log_activity(ctx, activity, note)


def _how(ctx: Context) -> str:
    text = ctx.request.text.strip()
    if ctx.request.platform is not Platform.CONSOLE:
        return HOW
    if text:
        return (f"I can't open {esc(text)} — check the path (it is read on this computer) "
                "and try again.")
    return "Tell me which file: /import PATH (a GPX, FIT or TCX file)."
