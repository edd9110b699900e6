"""`pacer plan`: print a training plan (text, JSON or iCalendar) without storing anything."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, time
from typing import Any

from bot.cli_history import load_history, recent_race
from core.grammar.errors import GrammarError
from core.grammar.training_days import SPREADS, parse_training_days
from core.training import (
    Athlete,
    Level,
    PlanError,
    build_plan,
    parse_mmss,
    plan_to_dict,
    plan_to_ics,
    plan_to_text,
    validate_athlete,
)

DEFAULT_DAYS = {Level.BEGINNER: 3, Level.IMPROVING: 4, Level.COMPETITIVE: 5}
DEFAULT_WEEKS = 8
DEFAULT_BEGINNER_WEEKS = 12  # the run/walk bridge to a continuous mile takes about this long
MIN_DAYS = 3
MAX_WEEKS = 52


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `plan` subcommand."""
    p = subparsers.add_parser(
        "plan", help="print a training plan without storing anything",
        description="Print a mile training plan from the training guide.",
    )
    p.add_argument("--level", required=True, choices=[lv.value for lv in Level])
    p.add_argument("--days", type=_days, default=None,
                   help="training days as in chat's /start days=: a count 3-7 (Pacer spreads "
                        "them) or day names such as mon,wed,sat or mon-fri "
                        "(default: 3/4/5 by level)")
    p.add_argument("--weeks", type=_weeks, default=None,
                   help=f"weeks to plan, 1-{MAX_WEEKS} (default {DEFAULT_WEEKS}, "
                        f"{DEFAULT_BEGINNER_WEEKS} for beginners, or to the race)")
    p.add_argument("--start", type=_date, default=None,
                   help="first day, YYYY-MM-DD (default today)")
    p.add_argument("--mile-time", type=_mmss, default=None, help="current mile time, M:SS")
    p.add_argument("--goal", type=_mmss, default=None, help="goal mile time, M:SS")
    p.add_argument("--race-date", type=_date, default=None, help="race day, YYYY-MM-DD")
    p.add_argument("--race-start", type=_clock, default=None, help="race start time, HH:MM")
    p.add_argument("--units", choices=("km", "mi"), default="km")
    p.add_argument("--recent", type=recent_race, default=None,
                   help="a recent race instead of --mile-time, e.g. 5k=24:30 (Daniels VDOT)")
    p.add_argument("--history", default=None, metavar="FILE",
                   help="the JSON `pacer export` writes: print the plan adapted to it")
    p.add_argument("--today", type=_date, default=None,
                   help="the day --history is judged on, YYYY-MM-DD (default today)")
    p.add_argument("--format", choices=("text", "json", "ics"), default="text")
    p.add_argument("--tz", default="UTC", help="time zone for --format ics (default UTC)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, today: date | None = None) -> int:
    """Build the plan and print it; bad input is one line on stderr and exit code 2.

    `today` (default: the local date) is what "in the past" is judged against.
    """
    today = getattr(args, "today", None) or today or date.today()
    try:
        level = Level(args.level)
        days = args.days or SPREADS[DEFAULT_DAYS[level]]
        recent = getattr(args, "recent", None)
        if recent is not None and args.mile_time is not None:
            raise PlanError("Give --mile-time or --recent, not both.")
        athlete = Athlete(
            level=level, training_days=days, mile_time_s=args.mile_time,
            goal_s=args.goal, race_date=args.race_date, race_start=args.race_start,
            units=args.units, recent_race=recent,
        )
        loaded = load_history(args.history) if getattr(args, "history", None) else None
        start = args.start or (loaded.plan_start if loaded else None) or today
        validate_athlete(athlete, today)
        if athlete.race_date is not None and athlete.race_date < start:
            raise PlanError("The race date is before the plan's first day.")
        weeks = args.weeks
        if weeks is None and level is Level.BEGINNER and athlete.race_date is None:
            weeks = DEFAULT_BEGINNER_WEEKS
        horizon = _horizon(weeks, start, athlete.race_date)
        if loaded is not None:
            horizon = max(horizon, (today - start).days + 7 * DEFAULT_WEEKS)  # past and ahead
            if athlete.race_date is not None:
                horizon = min(horizon, (athlete.race_date - start).days + 1)
            plan = build_plan(athlete, start, horizon, loaded.history, today)
        else:
            plan = build_plan(athlete, start, horizon)
        if args.format == "json":
            print(json.dumps(plan_to_dict(plan), indent=2))
        elif args.format == "ics":
            sys.stdout.flush()
            sys.stdout.buffer.write(plan_to_ics(plan, tz=args.tz))
            sys.stdout.buffer.flush()
        else:
            print(plan_to_text(plan))
    except (PlanError, ValueError, KeyError) as err:
        print(f"pacer plan: error: {_message(err)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`pacer plan | head`): not an error. Point stdout at devnull so
        # the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _horizon(weeks: int | None, start: date, race: date | None) -> int:
    """Days to plan: the weeks asked for, else up to the race (within a year), else 8 weeks."""
    if weeks is not None:
        return weeks * 7
    if race is not None:
        return min(MAX_WEEKS * 7, max(DEFAULT_WEEKS * 7, (race - start).days + 1))
    return DEFAULT_WEEKS * 7


def _message(err: Exception) -> str:
    text = str(err.args[0]) if err.args else str(err)
    return text.splitlines()[0] if text else "invalid input"


def _mmss(text: str) -> float:
    try:
        return parse_mmss(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 7:30") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-05-10") from None


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time of day like 09:30") from None


def _bounded(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number from {low} to {high}")
    return value


def _days(text: str) -> tuple[int, ...]:
    """The same reading as chat's `/start days=` (`core.grammar.training_days`)."""
    try:
        days = parse_training_days(text)
    except GrammarError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if len(days) < MIN_DAYS:
        raise argparse.ArgumentTypeError(
            f"pick at least {MIN_DAYS} training days a week: the plans in the guide start at "
            "three sessions a week"
        )
    return days


def _weeks(text: str) -> int:
    return _bounded(text, 1, MAX_WEEKS, "weeks")


__all__ = ["register", "run"]
