"""/start and /settings: set a runner up, in one line or as a guided conversation.

A guided conversation lives in `runner.conversation` as
`{"flow": "start" | "settings", "step": <setting key>, "answers": {<field>: <value>},
"asked_at": <ISO UTC>}`. Each plain-text message while it is open is the answer to the current
step (`handle_answer`); any command closes it, and it expires (see `core.open_question`).
Nothing is applied to the runner until the last answer is in, so "cancel" leaves no trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.clock import local_today
from core.clubs.totals import refresh_runner
from core.commands.base import Context, UserError
from core.commands.today import today_reply
from core.goals import goal_advice
from core.grammar import suggest_timezones
from core.messages import Choice, Reply, esc
from core.open_question import asked
from core.planning import replan
from core.profile import (
    PLAN_FIELDS,
    SETTINGS,
    Profile,
    ProfileError,
    apply_profile,
    changes_from_json,
    changes_to_json,
    check_profile,
    describe_changes,
    describe_profile,
    format_setting,
    parse_settings,
    parse_value,
    profile_of,
    setting_for,
)
from core.schedule.due import DayFacts, PushKind, PushProfile, due_pushes
from core.schedule.outbox import record_shown
from core.training.athlete import MIN_TRAINING_DAYS

PRIVATELY = "Let's do this privately — message me directly."
# Without these a one-line /start cannot build a plan; everything else has a sensible default.
REQUIRED = ("level", "days", "tz")
START_STEPS = ("level", "mile", "goal", "days", "time", "tz", "units")
BEGINNER_SKIPS = frozenset({"mile", "goal"})  # a first mile is about finishing, not a time
CANCEL_WORDS = frozenset({"cancel", "stop", "quit", "exit", "abort", "/cancel"})
REDO_WORDS = frozenset({"redo", "again", "restart", "over"})
CANCEL = Choice("Cancel", "cancel")


@dataclass(frozen=True)
class Question:
    """What a guided step asks, with answer buttons that send plain answers back."""

    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()


def _row(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(label, answer) for label, answer in pairs)


QUESTIONS: dict[str, Question] = {
    "level": Question(
        "What are you training for?\n"
        "• <b>First mile</b>: run a mile without stopping\n"
        "• <b>Faster mile</b>: you can run a mile and want to get quicker\n"
        "• <b>Personal record</b>: you race and want a new best",
        (_row(("First mile", "beginner"), ("Faster mile", "improving")),
         _row(("Personal record", "competitive"),)),
    ),
    "mile": Question(
        "What is your current mile time? Type it as M:SS, e.g. <code>8:30</code>.",
        (_row(("I don't know", "skip"),),),
    ),
    "goal": Question(
        "What mile time are you aiming for? e.g. <code>7:45</code>",
        (_row(("No goal time yet", "skip"),),),
    ),
    "days": Question(
        "How many days a week can you train? Tap a number, or list the days, e.g. "
        "<code>mon,wed,sat</code>. Three is a great start.",
        # Buttons from the fewest days a plan is built on (fewer typed are refused, saying
        # why); button n means n days, so typing a number and pressing its button agree.
        (tuple(Choice(str(n), str(n)) for n in range(MIN_TRAINING_DAYS, 8)),),
    ),
    "time": Question(
        "When should I send you the day's session? Your local time, e.g. <code>06:30</code>.",
        (_row(("06:00", "06:00"), ("07:00", "07:00"), ("18:00", "18:00")),),
    ),
    "tz": Question(
        "Which time zone are you in? Type your city or zone, e.g. <code>Berlin</code> or "
        "<code>America/New_York</code>.",
    ),
    "units": Question(
        "Kilometres or miles?", (_row(("Kilometres", "km"), ("Miles", "mi")),)
    ),
    "race": Question(
        "When is your race? e.g. <code>2026-12-12</code> or <code>sat</code> "
        "(<code>off</code> clears it).",
        (_row(("No race", "off"),),),
    ),
    "start": Question(
        "What time does your race start? e.g. <code>09:30</code>", (_row(("Not sure", "skip"),),)
    ),
    "quiet": Question(
        "Quiet mode: only the daily session and race-week messages — no nudges, no recaps.",
        (_row(("On", "on"), ("Off", "off")),),
    ),
    "nudges": Question(
        "Evening nudge when the day's session isn't logged yet?",
        (_row(("On", "on"), ("Off", "off")),),
    ),
}


# --- /start ------------------------------------------------------------------------------------


async def handle_start(ctx: Context) -> Reply | Sequence[Reply]:
    """`/start` guided, or `/start key=value ...` in one line."""
    if ctx.request.in_group:
        return Reply(PRIVATELY)
    text = ctx.request.text.strip()
    if text.lower() in REDO_WORDS:
        return _begin_start(ctx, {})
    if not text:
        return _all_set(ctx) if ctx.runner.onboarded else _begin_start(ctx, {})
    changes = _parse(ctx, text)
    # An onboarded runner restarts their plan with these changes on top of their settings.
    base = profile_of(ctx.runner) if ctx.runner.onboarded else _fresh_profile(ctx)
    profile = base.updated(changes)
    _check(ctx, profile, changes)
    given = {SETTINGS[key].field for key in REQUIRED}
    if ctx.runner.onboarded or given <= changes.keys():
        return await _finish_start(ctx, profile)
    return _begin_start(ctx, changes)


def _all_set(ctx: Context) -> Reply:
    return Reply(
        f"You're all set, {esc(ctx.runner.display_name or 'runner')} — your plan is running. "
        "Change anything with /settings (e.g. <code>/settings time=06:30</code>), or start over.",
        choices=(
            (Choice("Today's session", "/today"), Choice("Change a setting", "/settings")),
            (Choice("Start over", "/start redo"),),
        ),
    )


def _fresh_profile(ctx: Context) -> Profile:
    """The base a (re)started setup builds on: defaults, keeping switches and a race."""
    current = profile_of(ctx.runner)
    return Profile(
        quiet=current.quiet, nudges=current.nudges,
        race_date=current.race_date, race_start=current.race_start,
    )


def _begin_start(ctx: Context, answers: Mapping[str, Any]) -> Reply:
    step = _next_start_step(answers)
    assert step is not None  # REQUIRED keys are missing, so a step is left
    ctx.runner.conversation = _conversation(ctx, "start", step, answers)
    intro = "Let's set up your mile plan: a few quick questions (type <i>cancel</i> to stop)."
    if answers:
        intro += "\n" + "\n".join(_answer_lines(answers))
    return _ask(step, intro)


def _next_start_step(answers: Mapping[str, Any]) -> str | None:
    for key in START_STEPS:
        if key in BEGINNER_SKIPS and answers.get("level") == "beginner":
            continue
        if SETTINGS[key].field not in answers:
            return key
    return None


async def _finish_start(ctx: Context, profile: Profile) -> Reply:
    runner = ctx.runner
    if "tz" in apply_profile(runner, profile):
        await refresh_runner(ctx.uow, runner.id, ctx.now)  # challenge join days move with it
    runner.onboarded = True
    runner.conversation = None
    runner.updated_at = ctx.now
    today = ctx.today  # in the (possibly new) time zone
    runner.plan_start = today
    await replan(ctx.uow, runner, today, ctx.now)
    name = esc(runner.display_name or "runner")
    summary = [f"<b>Welcome to Pacer, {name}!</b> Here is your setup:"]
    summary += describe_profile(profile)[:4]
    if profile.mile_time_s is not None or profile.goal_s is not None:
        summary.append(
            f"Mile: now {format_setting('mile_time_s', profile.mile_time_s)}, "
            f"goal {format_setting('goal_s', profile.goal_s)}"
        )
    if profile.race_date is not None:
        summary.append(f"Race: {format_setting('race_date', profile.race_date)}")
    advice = goal_advice(profile.mile_time_s, profile.goal_s, profile.race_date, today)
    if advice:
        summary.append(advice)
    summary.append("Change any of it later with /settings.")
    today_part = await today_reply(ctx)
    await _session_shown(ctx)
    text = "\n".join(summary) + "\n\n" + today_part.text
    return Reply(text, choices=today_part.choices)


async def _session_shown(ctx: Context) -> None:
    """The welcome shows today's session: when its reminder time has already passed, the
    scheduler's push would only say it again."""
    runner, now = ctx.runner, ctx.now
    profile = PushProfile(runner.id, runner.tz, runner.reminder_time)
    pushes = [p for p in due_pushes(profile, DayFacts(), now, SESSION) if not p.is_stale(now)]
    await record_shown(ctx.uow, pushes, platform=ctx.request.platform.value,
                       chat_id=ctx.request.chat_id, now=now)


SESSION: tuple[PushKind] = ("session",)


# --- /settings ---------------------------------------------------------------------------------


SETTINGS_MENU = (
    (Choice("Reminder time", "/settings time"), Choice("Time zone", "/settings tz")),
    (Choice("Training days", "/settings days"), Choice("Level", "/settings level")),
    (Choice("Mile time", "/settings mile"), Choice("Goal", "/settings goal")),
    (Choice("Units", "/settings units"), Choice("Race", "/settings race")),
)


async def handle_settings(ctx: Context) -> Reply | Sequence[Reply]:
    """`/settings` shows them with buttons; `/settings key=value ...` changes them at once."""
    if ctx.request.in_group:
        return Reply(PRIVATELY)
    if not ctx.runner.onboarded:
        return Reply(
            "Let's set you up first: send /start. You can give settings there too, e.g. "
            "<code>/start level=beginner days=3 tz=Europe/Berlin</code>."
        )
    text = ctx.request.text.strip()
    if not text:
        return _settings_summary(ctx)
    if "=" not in text and ":" not in text and len(text.split()) == 1:
        setting = setting_for(text)
        if setting is not None:
            ctx.runner.conversation = _conversation(ctx, "settings", setting.key, {})
            return _ask(setting.key, f"Changing your {setting.label}.")
    return await _apply_settings(ctx, _parse(ctx, text))


def _settings_summary(ctx: Context) -> Reply:
    profile = profile_of(ctx.runner)
    lines = ["<b>Your settings</b>", *describe_profile(profile), ""]
    lines.append(
        "Tap one to change it, or in one line: <code>/settings time=06:30 units=mi</code>"
    )
    quiet = "off" if profile.quiet else "on"
    nudges = "off" if profile.nudges else "on"
    toggles = (
        Choice(f"Quiet mode {quiet}", f"/settings quiet={quiet}"),
        Choice(f"Nudges {nudges}", f"/settings nudges={nudges}"),
    )
    return Reply("\n".join(lines), choices=(*SETTINGS_MENU, toggles))


async def _apply_settings(ctx: Context, changes: Mapping[str, Any]) -> Reply:
    runner = ctx.runner
    before = profile_of(runner)
    after = before.updated(changes)
    _check(ctx, after, changes)
    changed = apply_profile(runner, after)
    if not changed:
        return Reply("Nothing changed — those are already your settings. See them with /settings.")
    runner.updated_at = ctx.now
    lines = ["<b>Settings updated</b>", *describe_changes(before, after, changed)]
    if "quiet" in changed and after.quiet:
        lines.append("Quiet mode: only the daily session and race-week messages from now on.")
    if "tz" in changed:
        await refresh_runner(ctx.uow, runner.id, ctx.now)  # challenge join days move with it
    if PLAN_FIELDS.intersection(changed):
        await replan(ctx.uow, runner, ctx.today, ctx.now)
        lines.append("Your plan is updated from today on: see /today and /week.")
    if {"mile_time_s", "goal_s", "race_date"}.intersection(changed):
        advice = goal_advice(after.mile_time_s, after.goal_s, after.race_date, ctx.today)
        if advice:
            lines.append(advice)
    return Reply("\n".join(lines))


# --- guided answers ----------------------------------------------------------------------------


async def handle_answer(ctx: Context) -> Reply | Sequence[Reply]:
    """Plain text while a conversation is open: the answer to the current question."""
    if ctx.request.in_group:
        return []  # group chatter is never an answer to a private question
    conversation = dict(ctx.runner.conversation or {})
    flow = conversation.get("flow")
    if flow == "deleteme":
        return await _answer_deleteme(ctx)
    step = str(conversation.get("step", ""))
    if flow not in ("start", "settings") or step not in SETTINGS:
        ctx.runner.conversation = None
        return Reply("I answer commands. Send /help to see them, or /today for today's session.")
    text = ctx.request.text.strip()
    if text.lower() in CANCEL_WORDS:
        ctx.runner.conversation = None
        hint = "" if ctx.runner.onboarded else " Send /start whenever you're ready."
        return Reply("Cancelled — nothing was changed." + hint)
    answers = changes_from_json(conversation.get("answers") or {})
    setting = SETTINGS[step]
    base = _fresh_profile(ctx) if flow == "start" else profile_of(ctx.runner)
    try:
        today = local_today(ctx.clock, answers.get("tz", base.tz))
        answers[setting.field] = parse_value(setting, text, today, answer=True)
        profile = base.updated(answers)
        check_profile(profile, local_today(ctx.clock, profile.tz), answers.keys())
    except ProfileError as err:
        ctx.runner.conversation = asked(conversation, ctx.now)  # asked again: a fresh half hour
        return _ask(step, f"Hmm, that didn't work: {err}", suggestions=_suggestions(step, text))
    if flow == "settings":
        ctx.runner.conversation = None
        return await _apply_settings(ctx, {setting.field: answers[setting.field]})
    following = _next_start_step(answers)
    if following is None:
        return await _finish_start(ctx, profile)
    ctx.runner.conversation = _conversation(ctx, "start", following, answers)
    shown = format_setting(setting.field, answers[setting.field])
    done = f"✓ {setting.label.capitalize()}: {shown}"
    return _ask(following, done)


async def _answer_deleteme(ctx: Context) -> Reply:
    """A typed answer to /deleteme's confirmation belongs to that command's module."""
    from core.commands.deleteme import answer_deleteme  # lazy, like every command module

    return await answer_deleteme(ctx)


# --- helpers -----------------------------------------------------------------------------------


def _parse(ctx: Context, text: str) -> dict[str, Any]:
    try:
        return parse_settings(text, ctx.runner.tz, lambda tz: local_today(ctx.clock, tz))
    except ProfileError as err:
        raise UserError(str(err)) from err


def _check(ctx: Context, profile: Profile, changes: Mapping[str, Any]) -> None:
    try:
        check_profile(profile, local_today(ctx.clock, profile.tz), changes.keys())
    except ProfileError as err:
        raise UserError(str(err)) from err


def _conversation(
    ctx: Context, flow: str, step: str, answers: Mapping[str, Any]
) -> dict[str, Any]:
    # Always a new dict: the JSON column does not notice in-place changes.
    return asked({"flow": flow, "step": step, "answers": changes_to_json(answers)}, ctx.now)


def _answer_lines(answers: Mapping[str, Any]) -> list[str]:
    return [
        f"✓ {s.label.capitalize()}: {format_setting(s.field, answers[s.field])}"
        for s in SETTINGS.values()
        if s.field in answers
    ]


def _suggestions(step: str, text: str) -> tuple[Choice, ...]:
    if step != "tz":
        return ()
    return tuple(Choice(name, name) for name in suggest_timezones(text, limit=3))


def _ask(step: str, prefix: str = "", suggestions: tuple[Choice, ...] = ()) -> Reply:
    question = QUESTIONS[step]
    rows = (suggestions,) if suggestions else ()
    text = f"{prefix}\n\n{question.text}" if prefix else question.text
    return Reply(text, choices=(*rows, *question.choices, (CANCEL,)))
