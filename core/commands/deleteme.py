"""/deleteme: erase everything Pacer stores about a runner, after an explicit confirmation.

`/deleteme` stores a pending confirmation in `runner.conversation`
(`{"flow": "deleteme", "expires": <ISO UTC>}`, valid ten minutes) and offers two buttons,
`/deleteme confirm` and `/deleteme cancel`. Deleting the runner row removes every row that
belongs to them: the schema's foreign keys cascade (identities, logs, sleep, plans, skips,
streak state, challenge memberships, outbox) and challenge authorship is set to null. Club
posts still pending in the outbox that name the runner (standings, results) are deleted too.

A runner who types an answer instead of pressing a button reaches `answer_deleteme` through
the guided-conversation handler.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.commands.base import Context
from core.messages import Choice, Reply
from core.storage.club_posts import delete_pending_club_posts_naming

FLOW = "deleteme"
CONFIRM_WINDOW = timedelta(minutes=10)
YES = frozenset({"yes", "y", "confirm", "delete", "yes, delete everything", "yes delete"})
NO = frozenset({"no", "n", "cancel", "stop", "keep", "no thanks"})

CHOICES = ((Choice("Yes, delete everything", "/deleteme confirm"),
            Choice("Cancel", "/deleteme cancel")),)

QUESTION = (
    "<b>Delete everything?</b> This erases your profile, plan, runs, sleep, streak and "
    "challenge memberships on every platform, and cannot be undone. "
    "Want a copy first? Send /export.\n"
    "Confirm within 10 minutes."
)
GOODBYE = (
    "Done: everything Pacer stored about you has been deleted. Thank you for running with "
    "me — if you ever want to start again, just send /start."
)
CANCELLED = "Cancelled — nothing was deleted."


def pending(conversation: dict[str, Any] | None, now: datetime) -> bool | None:
    """True: a valid confirmation is pending; False: one expired; None: none was asked."""
    if not conversation or conversation.get("flow") != FLOW:
        return None
    try:
        expires = datetime.fromisoformat(str(conversation["expires"]))
    except (KeyError, ValueError):
        return False
    return expires.tzinfo is not None and now <= expires


async def handle(ctx: Context) -> Reply:
    """`/deleteme` asks; `/deleteme confirm` deletes (if asked within the window); `cancel`."""
    answer = ctx.request.text.strip().lower()
    if answer == "confirm":
        return await _confirm(ctx)
    if answer == "cancel":
        return _cancel(ctx)
    return _ask(ctx)


async def answer_deleteme(ctx: Context) -> Reply:
    """A typed answer while a deletion is pending (called by the guided-conversation handler).

    "yes" / "confirm" deletes, "no" / "cancel" cancels; anything else asks again. After the
    window has passed, the request is dropped and nothing is deleted.
    """
    state = pending(ctx.runner.conversation, ctx.now)
    if not state:
        _close(ctx)
        return Reply("That delete request has expired, so nothing was deleted. "
                     "Send /deleteme to start again.")
    answer = " ".join(ctx.request.text.strip().lower().split()).rstrip(".!")
    if answer in YES:
        return await _confirm(ctx)
    if answer in NO:
        return _cancel(ctx)
    return Reply("Please choose: delete everything, or cancel?", choices=CHOICES)


def _ask(ctx: Context, preface: str = "") -> Reply:
    previous = ctx.runner.conversation
    state: dict[str, Any] = {"flow": FLOW, "expires": (ctx.now + CONFIRM_WINDOW).isoformat()}
    if previous and previous.get("flow") != FLOW:
        state["previous"] = previous  # an onboarding step in progress resumes after a cancel
    elif previous and "previous" in previous:
        state["previous"] = previous["previous"]
    ctx.runner.conversation = state  # a new dict: a change inside one is not saved
    text = f"{preface}\n\n{QUESTION}" if preface else QUESTION
    return Reply(text, choices=CHOICES)


async def _confirm(ctx: Context) -> Reply:
    state = pending(ctx.runner.conversation, ctx.now)
    if state is None:
        return _ask(ctx, "To be sure it's what you want, please confirm once more.")
    if state is False:
        return _ask(ctx, "That confirmation expired (it lasts 10 minutes).")
    # Club posts still waiting to go out must not carry the name of someone who left.
    await delete_pending_club_posts_naming(ctx.uow, [ctx.runner.display_name or ""])
    await ctx.uow.runners.delete(ctx.runner.id)
    return Reply(GOODBYE)


def _cancel(ctx: Context) -> Reply:
    if pending(ctx.runner.conversation, ctx.now) is None:
        return Reply("There is no delete request to cancel — your data is safe.")
    _close(ctx)
    return Reply(CANCELLED)


def _close(ctx: Context) -> None:
    conversation = ctx.runner.conversation or {}
    previous = conversation.get("previous") if conversation.get("flow") == FLOW else conversation
    ctx.runner.conversation = previous or None
