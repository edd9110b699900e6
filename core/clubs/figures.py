"""Each member's figure for a challenge: the counting rules, for any number of members.

The rows are read by `core.storage.challenge_figures` (the rules in SQL); this module keeps
the parts on or after each member's real join day and turns them into figures.

What counts for a member:
- only their own runs (`run_logs.runner_id`), for local days from the day they joined (their own
  local date when they joined) through the challenge's last day (`ends_on`, inclusive);
- never a run an admin removed from the challenge (`challenge_exclusions`); duplicates (same
  day, minutes and distance) once. Implausible runs (world-record paces, over 24 h or 250 km)
  are refused by `/done` and never stored.

The join day is the member's local date at `joined_at`, but SQL has no portable time-zone
arithmetic. It is always the UTC date of `joined_at` (U) give or take a day, so the queries
return each figure split three ways — days before U, U itself, days after U — and Python adds
the parts that lie on or after the real join day. Exact, with no per-member query.

Metrics (see `core.clubs.ranking.Metric` for units):
- distance, time: sums (runs without a distance, or without a time, add nothing);
- sessions: local days with at least one run. These three are `run_totals`: computed for one
  member whenever their runs change, stored in `challenge_totals` (`core.clubs.totals`),
  and read from there by the boards;
- adherence: planned run days (run_minutes > 0) done / planned run days due, from the join day
  to `ends_on`. A day is due once it is done or once it is over on the club's calendar (the
  challenge's time zone); today is pending until then. No planned run due yet: no figure ("—").
- streak: the runner's current streak as `/streak` shows it (cached in `streak_states` by every
  log, brought up to today with the rest days since), counting at most the days since joining;
  0 once a planned run was missed. It comes from the runner's whole log book, so an admin's
  removal of a run does not change it (cheap: no per-day work for thousands of members).
  Adherence and streak depend on the plan and on the date: `plan_figures` computes them for
  any number of members as of an instant, and `core.clubs.totals` stores them too, for
  the challenges ranked by them (so they may lag by up to an hour for members who did not
  log; see there). `live_entries` is the same computation, unstored.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from core.clubs.ranking import Entry, Metric
from core.storage import challenge_figures as stored
from core.storage.challenge_figures import SplitRow, Window
from core.storage.club_values import StoredChallenge
from core.storage.unit_of_work import UnitOfWork

# Figures are compared exactly after this rounding (it removes float noise from SQL sums).
PRECISION = {Metric.DISTANCE: 0, Metric.TIME: 2, Metric.SESSIONS: 0, Metric.STREAK: 0,
             Metric.ADHERENCE: 1}


@dataclass(frozen=True)
class Scope:
    """The challenge being measured, and the day the club's calendar is on."""

    challenge_id: int
    metric: Metric
    first_day: date  # no member's runs count before this (the day before it started, in UTC)
    ends_on: date
    club_today: date  # today in the challenge's time zone


@dataclass(frozen=True)
class RunTotals:
    """A member's counted runs in one challenge (what `challenge_totals` stores)."""

    runner_id: int
    distance_m: float  # metres, to the metre
    minutes: float  # to the hundredth
    sessions: int  # local days with a counted run
    runs: int  # counted runs, a duplicate once
    last_counted_at: datetime | None  # when the last run adding to the metric was logged

    def figure(self, metric: Metric) -> float:
        """The figure a board of `metric` ranks by (runs for the boards computed live)."""
        return {Metric.DISTANCE: self.distance_m, Metric.TIME: self.minutes,
                Metric.SESSIONS: float(self.sessions)}.get(metric, float(self.runs))


# The metrics that depend on the plan and the date as well as on the runs.
PLANNED = (Metric.STREAK, Metric.ADHERENCE)


@dataclass(frozen=True)
class PlanFigures:
    """A member's adherence and streak figures in one challenge, as of an instant. Only the
    one the challenge ranks by is computed; the other stays 0."""

    runner_id: int
    done: int = 0  # planned run days done
    due: int = 0  # planned run days due
    streak: int = 0

    @property
    def adherence(self) -> float | None:
        """Percent of the due planned runs done; None before one is due."""
        if self.due <= 0:
            return None
        return round(100.0 * self.done / self.due, PRECISION[Metric.ADHERENCE])

    def figure(self, metric: Metric) -> float | None:
        """The figure a board of `metric` (streak or adherence) ranks by."""
        return float(self.streak) if metric is Metric.STREAK else self.adherence


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` (UTC if unknown), cached: boards convert thousands of instants."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def join_day(joined_at: datetime, tz: str) -> date:
    """The member's local date when they joined: their runs count from this day."""
    return joined_at.astimezone(zone(tz)).date()


def scope_of(challenge: StoredChallenge, now: datetime) -> Scope:
    """What a board of `challenge` measures at `now`."""
    today = min(now.astimezone(zone(challenge.tz)).date(),
                challenge.ends_on + timedelta(days=1))
    first_day = challenge.starts_at.date() - timedelta(days=1)
    return Scope(challenge.id, Metric(challenge.metric), first_day, challenge.ends_on, today)


async def run_totals(
    uow: UnitOfWork, scope: Scope, runner_ids: Collection[int] | None = None
) -> list[RunTotals]:
    """The counted runs of every member (or only of `runner_ids`), in one query. Members
    without a counted run get zeros."""
    rows = await stored.run_total_parts(uow, scope.metric, _window(scope), runner_ids)
    return [_run_totals(row, scope.metric) for row in rows]


async def plan_figures(
    uow: UnitOfWork, scope: Scope, now: datetime, runner_ids: Collection[int] | None = None
) -> list[PlanFigures]:
    """The adherence or streak (`scope.metric`) of every member, or only of `runner_ids`, as
    of `now`, in one query. The one computation of these figures: boards, refreshes and
    rebuilds all use it."""
    if scope.metric is Metric.STREAK:
        return await _streaks(uow, scope, now, runner_ids)
    if scope.metric is not Metric.ADHERENCE:
        raise ValueError(f"{scope.metric} is counted by run_totals")
    rows = await stored.adherence_parts(uow, _window(scope), scope.club_today, runner_ids)
    return [_adherence(row) for row in rows]


async def live_entries(uow: UnitOfWork, scope: Scope, now: datetime) -> list[Entry]:
    """Every member's adherence or streak (unranked) computed now, without the stored rows."""
    names = await stored.member_names(uow, scope.challenge_id)
    return [Entry(f.runner_id, names[f.runner_id], f.figure(scope.metric))
            for f in await plan_figures(uow, scope, now)]


# --- from split parts to figures ------------------------------------------------------------


def _window(scope: Scope) -> Window:
    return Window(scope.challenge_id, scope.first_day, scope.ends_on)


def _shift(joined_at: datetime, tz: str) -> int:
    """The member's join day minus U: -1, 0 or 1 (joined_at comes back in UTC)."""
    return (join_day(joined_at, tz) - joined_at.date()).days


def _counted(shift: int, total: Any, before: Any, on: Any) -> float:
    # shift -1: joined on U - 1 (local), everything counts; 0: not U - 1; 1: neither.
    value = float(total or 0)
    if shift >= 0:
        value -= float(before or 0)
    if shift >= 1:
        value -= float(on or 0)
    return value


def _run_totals(row: SplitRow, metric: Metric) -> RunTotals:
    runner_id, tz, joined_at, parts = row
    shift = _shift(joined_at, tz)
    distance, minutes, runs, days = (_counted(shift, *parts[i:i + 3]) for i in (0, 3, 6, 9))
    after, on, before = parts[12:15]
    reached = [after, *([on] if shift <= 0 else []), *([before] if shift < 0 else [])]
    totals = RunTotals(
        runner_id=runner_id,
        distance_m=round(distance, PRECISION[Metric.DISTANCE]),
        minutes=round(minutes, PRECISION[Metric.TIME]),
        sessions=round(days),
        runs=round(runs),
        last_counted_at=max((at for at in reached if at is not None), default=None),
    )
    if not totals.figure(metric):  # nothing reached yet: no time (so ties order by name)
        totals = replace(totals, last_counted_at=None)
    return totals


def _adherence(row: SplitRow) -> PlanFigures:
    runner_id, tz, joined_at, parts = row
    shift = _shift(joined_at, tz)
    done, due = _counted(shift, *parts[0:3]), _counted(shift, *parts[3:6])
    return PlanFigures(runner_id, done=round(done), due=round(due))


# --- streak ---------------------------------------------------------------------------------


async def _streaks(uow: UnitOfWork, scope: Scope, now: datetime,
                   runner_ids: Collection[int] | None) -> list[PlanFigures]:
    """The cached streak brought up to today: the cache is refreshed by every log, so after
    its day only rest days (which extend a streak) or missed runs (which break it) can have
    passed. Each member's today is one of three dates around the UTC date; the rest days up
    to each are counted, and Python picks the member's own. Planned days after the latest of
    those todays cannot matter yet and are never read."""
    utc_today = now.astimezone(UTC).date()
    todays = [utc_today + timedelta(days=shift) for shift in (-1, 0, 1)]
    figures = []
    for runner_id, tz, joined_at, current, as_of, open_day, rests in await stored.streak_rows(
        uow, scope.challenge_id, todays, runner_ids
    ):
        today = now.astimezone(zone(tz)).date()
        value = 0
        if current and as_of is not None and (open_day is None or open_day >= today):
            rest = int(rests[todays.index(today)] or 0) if today in todays else 0
            since_join = (today - join_day(joined_at, tz)).days + 1
            value = max(0, min(int(current) + rest, since_join))
        figures.append(PlanFigures(runner_id, streak=value))
    return figures
