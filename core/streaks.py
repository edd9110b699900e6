"""Fair streaks, computed from the plan, the logs and the skips: pure, no storage, no clock.

The rules, all in the runner's local days:
- A day is *kept* when every planned run was done (a log exists for it), or when nothing asked
  for a run (a planned rest, active-recovery or strength day). Extra runs count as done. A
  streak starts with a run: rest days extend a streak, they never start one.
- The current streak is the run of kept days ending today or yesterday. Today is *pending* until
  the runner's day ends: it neither breaks the streak nor, until it is done, extends it.
- A missed or skipped planned run breaks the streak. A missed day can be repaired by a log for
  that day created within `BACKFILL_WINDOW` (48 elapsed hours) after the day's local end; a later
  backfill still counts for statistics, never for the streak.
- Days before the plan started do not count. A day after the plan started that has no stored plan
  row and no log (the plan ran out, e.g. after a race) is *unplanned*: it neither counts nor
  breaks.
- Weekly consistency counts calendar weeks (Monday to Sunday) in which every planned run was done;
  the current week counts as soon as it is complete, and an unfinished current week never breaks
  the run of weeks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from core.units import monday_of

BACKFILL_WINDOW = timedelta(hours=48)
Carry = tuple[int, int]  # (the run of kept days going on, the best run so far)


class Status(StrEnum):
    """What a local day means for the streak."""

    DONE = "done"  # a run was logged in time (planned or extra)
    REST = "rest"  # nothing asked for a run: kept
    MISSED = "missed"  # a planned run without a (timely) log: breaks
    SKIPPED = "skipped"  # a planned run the runner skipped: breaks
    PENDING = "pending"  # today, not yet done: neither breaks nor extends
    UNPLANNED = "unplanned"  # no plan row and no log: neither breaks nor extends


KEPT = frozenset({Status.DONE, Status.REST})
BROKEN = frozenset({Status.MISSED, Status.SKIPPED})


class PlannedDay(NamedTuple):
    """One stored plan day: does it ask for a logged run, and what it is called."""

    day: date
    requires_run: bool
    label: str = ""  # the session type, e.g. "easy" or "rest"


class LogRecord(NamedTuple):
    """One logged run: its local day, when it was logged (aware), and its minutes if known."""

    day: date
    logged_at: datetime
    minutes: float | None = None


class DayResult(NamedTuple):
    """The verdict on one local day, with what the runner needs to understand it."""

    day: date
    status: Status
    planned: PlannedDay | None
    minutes: float = 0.0  # known minutes of the logs that count for the streak
    late_log: bool = False  # a log exists but arrived after the backfill window
    repair_deadline: datetime | None = None  # for a missed day still repairable: until when


@dataclass(frozen=True)
class StreakReport:
    """Current and best streak, weekly consistency, and the per-day explanation."""

    today: date
    current: int
    best: int
    days: tuple[DayResult, ...]  # from the plan start (or the window start) to today
    # Mondays of the weeks with a planned run still to come (after today).
    runs_to_come: frozenset[date] = frozenset()
    carry: Carry = (0, 0)  # (run, best) at the end of the day before the first one judged

    @cached_property
    def _week_counts(self) -> tuple[int, int]:  # only /streak shows them: computed on demand
        return _weeks(self.days, self.runs_to_come)

    @property
    def weeks_in_a_row(self) -> int:
        """Calendar weeks in a row, up to this one, in which every planned run was done."""
        return self._week_counts[0]

    @property
    def weeks_total(self) -> int:
        """Calendar weeks in which every planned run was done."""
        return self._week_counts[1]

    def settled_at(self, day: date) -> Carry:
        """(run, best) at the end of `day` (within the report): a later report judging only
        the days after it starts from these."""
        index = (day - self.days[0].day).days if self.days else -1
        if not 0 <= index < len(self.days):
            raise ValueError(f"{day} is not within the report")
        return _streaks(self.days[: index + 1], self.carry)

    def recent(self, count: int = 10) -> tuple[DayResult, ...]:
        """The last `count` days, oldest first."""
        return self.days[-count:] if count > 0 else ()

    def on(self, day: date) -> DayResult | None:
        """The verdict on one day, if it lies within the report."""
        if not self.days:
            return None
        index = (day - self.days[0].day).days
        return self.days[index] if 0 <= index < len(self.days) else None


def day_end(day: date, tz: str) -> datetime:
    """The instant a local day ends (the next local midnight), in UTC.

    DST days are simply shorter or longer; a midnight that does not exist (a few zones switch at
    00:00) resolves to the wall time `zoneinfo` picks, which is the instant the day ended.
    """
    local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


@lru_cache(maxsize=4096)  # every streak judges each log against it
def backfill_deadline(day: date, tz: str) -> datetime:
    """The last instant a log for `day` may be created and still count for the streak.

    48 elapsed hours (arithmetic in UTC): across a DST change the local deadline is an hour
    earlier or later than the wall clock would suggest.
    """
    return day_end(day, tz) + BACKFILL_WINDOW


def counts_for_streak(log: LogRecord, tz: str) -> bool:
    """Whether a log arrived in time: on the day itself or within the backfill window."""
    return log.logged_at <= backfill_deadline(log.day, tz)


def compute_streak(
    planned: Iterable[PlannedDay],
    logs: Iterable[LogRecord],
    skipped: Iterable[date],
    *,
    plan_start: date | None,
    now: datetime,
    tz: str,
    first_day: date | None = None,
    carry: Carry = (0, 0),
) -> StreakReport:
    """Judge every day from the plan start to today and derive the streak figures.

    `planned` may reach past today (into the rest of the current week): weekly consistency needs
    to know whether runs are still to come. `first_day` limits how far back days are judged:
    `carry` is then the (run, best) at the end of the day before it (`StreakReport.settled_at`
    of an earlier report), else the streak is cut at the window start. Weekly consistency
    counts only the weeks within the window.
    """
    today = now.astimezone(ZoneInfo(tz)).date()
    if plan_start is None or plan_start > today:
        return StreakReport(today, 0, 0, ())
    start = max(plan_start, first_day) if first_day is not None else plan_start
    plan = {p.day: p for p in planned if p.day >= start}
    timely: dict[date, float] = {}
    late: set[date] = set()
    for log in logs:
        if not start <= log.day <= today:
            continue
        if counts_for_streak(log, tz):
            timely[log.day] = timely.get(log.day, 0.0) + (log.minutes or 0.0)
        else:
            late.add(log.day)
    skips = {d for d in skipped if start <= d <= today}
    days = tuple(
        _judge(d, plan.get(d), timely, late, skips, today, now, tz)
        for d in _dates(start, today)
    )
    current, best = _streaks(days, carry)
    runs_to_come = frozenset(monday_of(d) for d, p in plan.items() if d > today and p.requires_run)
    return StreakReport(today, current, best, days, runs_to_come, carry)


def _dates(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _judge(
    day: date,
    planned: PlannedDay | None,
    timely: dict[date, float],
    late: set[date],
    skips: set[date],
    today: date,
    now: datetime,
    tz: str,
) -> DayResult:
    if day in timely:
        return DayResult(day, Status.DONE, planned, timely[day])
    if planned is None:
        return DayResult(day, Status.UNPLANNED, None, late_log=day in late)
    if not planned.requires_run:
        return DayResult(day, Status.REST, planned, late_log=day in late)
    if day in skips:
        return DayResult(day, Status.SKIPPED, planned, late_log=day in late)
    if day == today:
        return DayResult(day, Status.PENDING, planned)
    deadline = backfill_deadline(day, tz)
    repairable = deadline if now <= deadline else None
    return DayResult(day, Status.MISSED, planned, late_log=day in late, repair_deadline=repairable)


def _streaks(days: Sequence[DayResult], carry: Carry = (0, 0)) -> Carry:
    """(current, best): runs of kept days; pending and unplanned days are passed over.

    A rest day keeps a streak alive but does not start one: a streak begins with a run.
    """
    run, best = carry
    for result in days:
        if result.status is Status.DONE or (result.status is Status.REST and run > 0):
            run += 1
            best = max(best, run)
        elif result.status in BROKEN:
            run = 0
    return run, best


def _weeks(days: Sequence[DayResult], runs_to_come: frozenset[date]) -> tuple[int, int]:
    """(weeks in a row, weeks in total) in which every planned run was done."""
    verdicts: dict[date, list[DayResult]] = {}
    for result in days:
        verdicts.setdefault(monday_of(result.day), []).append(result)
    outcomes = [  # True complete, False broken, None neither (yet)
        _week_outcome(verdicts[monday], monday in runs_to_come) for monday in sorted(verdicts)
    ]
    total = sum(1 for o in outcomes if o)
    in_a_row = 0
    for outcome in reversed(outcomes):
        if outcome is False:
            break
        if outcome:
            in_a_row += 1
    return in_a_row, total


def _week_outcome(week: Sequence[DayResult], still_to_come: bool) -> bool | None:
    if any(r.status in BROKEN for r in week):
        return False
    required = [r for r in week if r.planned is not None and r.planned.requires_run]
    if not required or still_to_come or any(r.status is Status.PENDING for r in week):
        return None
    return all(r.status is Status.DONE for r in required)

