"""Training statistics: weekly volume, the easy/hard split and sleep, from plain values.

Pure functions over small value types, so `/stats`, the chart and tests share one arithmetic.
Weeks are calendar weeks (Monday to Sunday) of the runner's local dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.units import monday_of

MIN_WEEKS = 4
MAX_WEEKS = 8
EASY_TARGET = 0.80  # the 80/20 rule: about 80% of running time at an easy effort
SLEEP_TARGET_HOURS = 7.0
SLEEP_WINDOW_DAYS = 7


@dataclass(frozen=True)
class LoggedRun:
    """One logged run, as far as statistics and the guardrails care."""

    day: date
    minutes: float | None
    distance_m: float | None = None
    hard: bool = False


@dataclass(frozen=True)
class WeekStats:
    """One calendar week: what was logged, against what was planned."""

    monday: date
    easy_minutes: float
    hard_minutes: float
    distance_m: float
    runs: int  # every log that week
    planned_runs: int
    sleep_average: float | None  # mean of that week's logged nights, None when none
    sessions_done: int = 0  # planned run days with a log (`count_runs`)

    @property
    def extra_runs(self) -> int:
        return self.runs - self.sessions_done

    @property
    def minutes(self) -> float:
        return self.easy_minutes + self.hard_minutes


@dataclass(frozen=True)
class RunCount:
    """A week's runs, counted the same way by /week and /stats: the planned sessions done (a
    planned run day with at least one log) and the extra runs (every other log: a second run
    that day, a run on a rest day)."""

    sessions: int
    extra: int


def count_runs(log_days: Iterable[date], planned_run_days: Iterable[date]) -> RunCount:
    """Count `log_days` (one entry per log) against the days a run was planned."""
    days = list(log_days)
    done = set(days) & set(planned_run_days)
    return RunCount(len(done), len(days) - len(done))


def runs_against_plan(count: RunCount, planned: int) -> str:
    """`2 of 3 runs`, `2 of 3 runs + 1 extra`: how /week and /stats show the count."""
    text = f"{count.sessions} of {planned} runs"
    return text + (f" + {count.extra} extra" if count.extra else "")


@dataclass(frozen=True)
class Split:
    """Logged running time by effort."""

    easy_minutes: float
    hard_minutes: float

    @property
    def total(self) -> float:
        return self.easy_minutes + self.hard_minutes

    @property
    def easy_share(self) -> float | None:
        """Fraction of the time that was easy; None when no time was logged."""
        return self.easy_minutes / self.total if self.total > 0 else None


@dataclass(frozen=True)
class SleepSummary:
    """The last few nights: how many were logged, their mean, and how many fell short."""

    nights: int
    average: float | None
    short_nights: int


@dataclass(frozen=True)
class StatsReport:
    """Everything `/stats` shows."""

    weeks: tuple[WeekStats, ...]  # the chart's frame: at least MIN_WEEKS
    split: Split
    sleep: SleepSummary
    started: date | None = None  # the runner's first activity

    @property
    def active_weeks(self) -> tuple[WeekStats, ...]:
        """The weeks since the runner started (a new runner's frame begins before that)."""
        if self.started is None:
            return self.weeks
        first = monday_of(self.started)
        return tuple(w for w in self.weeks if w.monday >= first) or self.weeks[-1:]


def week_mondays(
    today: date, first_activity: date | None, min_weeks: int = MIN_WEEKS,
    max_weeks: int = MAX_WEEKS,
) -> list[date]:
    """The Mondays of the weeks to show, oldest first, ending with the current week.

    As many weeks as the runner has been active, but at least `min_weeks` (a short history
    still reads as a trend) and at most `max_weeks`.
    """
    current = monday_of(today)
    active = 1 if first_activity is None else (current - monday_of(first_activity)).days // 7 + 1
    count = max(min_weeks, min(max_weeks, active))
    return [current - timedelta(weeks=count - 1 - i) for i in range(count)]


def easy_hard_split(runs: Iterable[LoggedRun]) -> Split:
    """Sum logged minutes by effort; runs logged without a duration add nothing."""
    easy = hard = 0.0
    for run in runs:
        if run.minutes is None:
            continue
        if run.hard:
            hard += run.minutes
        else:
            easy += run.minutes
    return Split(easy, hard)


def sleep_summary(
    sleep: Mapping[date, float], today: date, days: int = SLEEP_WINDOW_DAYS,
    target: float = SLEEP_TARGET_HOURS,
) -> SleepSummary:
    """The `days` mornings ending today: logged nights, their mean, nights under `target`."""
    first = today - timedelta(days=days - 1)
    hours = [h for d, h in sleep.items() if first <= d <= today]
    if not hours:
        return SleepSummary(0, None, 0)
    return SleepSummary(len(hours), sum(hours) / len(hours), sum(1 for h in hours if h < target))


def weekly_stats(
    mondays: Sequence[date],
    runs: Iterable[LoggedRun],
    planned_run_days: Iterable[date],
    sleep: Mapping[date, float],
) -> list[WeekStats]:
    """One `WeekStats` per given Monday; data outside those weeks is ignored."""
    index = {m: i for i, m in enumerate(mondays)}
    easy = [0.0] * len(mondays)
    hard = [0.0] * len(mondays)
    distance = [0.0] * len(mondays)
    count = [0] * len(mondays)
    planned = [0] * len(mondays)
    log_days: list[list[date]] = [[] for _ in mondays]
    run_days: list[list[date]] = [[] for _ in mondays]
    nights: list[list[float]] = [[] for _ in mondays]
    for run in runs:
        i = index.get(monday_of(run.day))
        if i is None:
            continue
        count[i] += 1
        log_days[i].append(run.day)
        if run.minutes is not None:
            if run.hard:
                hard[i] += run.minutes
            else:
                easy[i] += run.minutes
        if run.distance_m is not None:
            distance[i] += run.distance_m
    for day in planned_run_days:
        i = index.get(monday_of(day))
        if i is not None:
            planned[i] += 1
            run_days[i].append(day)
    for day, hours in sleep.items():
        i = index.get(monday_of(day))
        if i is not None:
            nights[i].append(hours)
    return [
        WeekStats(
            monday=m, easy_minutes=easy[i], hard_minutes=hard[i], distance_m=distance[i],
            runs=count[i], planned_runs=planned[i],
            sleep_average=sum(nights[i]) / len(nights[i]) if nights[i] else None,
            sessions_done=count_runs(log_days[i], run_days[i]).sessions,
        )
        for i, m in enumerate(mondays)
    ]


def build_report(
    today: date,
    runs: Sequence[LoggedRun],
    planned_run_days: Iterable[date],
    sleep: Mapping[date, float],
    first_activity: date | None = None,
) -> StatsReport:
    """The `/stats` figures: the weekly table and the split over the same weeks, and sleep.

    `first_activity` (the plan start, or the first log) decides how many weeks are shown.
    """
    mondays = week_mondays(today, first_activity)
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    in_window = [r for r in runs if first <= r.day <= last]
    weeks = weekly_stats(mondays, in_window, planned_run_days, sleep)
    return StatsReport(tuple(weeks), easy_hard_split(in_window), sleep_summary(sleep, today),
                       first_activity)
