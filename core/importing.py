"""`pacer import`: a runner's history from files — activity files (GPX, FIT, TCX), Pacer's
own export (JSON or CSV) and Strava's bulk-export `activities.csv`.

Everything goes in one unit of work, oldest first. Re-importing adds nothing: an activity is
known by its start time (`activity_summaries`), an exported log by its day, time, distance
and note. A file Pacer will not read is reported with its reason and changes nothing; the
others are imported. Afterwards the plan is regenerated, the streak recomputed and challenge
totals recounted once (a challenge counts only runs on or after the member's join day, as
for any log), and the best efforts of every activity file go to the personal bests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.activity.errors import ActivityError
from core.activity.history import HistoryRun, is_history_name, read_history
from core.activity.read import read_activity
from core.activity.summary import Activity
from core.activity_log import local_day, new_activity, similar
from core.clubs.totals import RUN_METRICS, refresh_runner, runner_challenges
from core.logbook import NewLog, add_log, logs_on, refresh_streak
from core.planning import replan
from core.results import Effort, record_efforts
from core.storage.activities import NewActivity, activity_starting, add_activity, log_keys
from core.storage.runners import Runner
from core.storage.unit_of_work import UnitOfWork
from core.text import plural


@dataclass
class ImportReport:
    """What an import did, for the summary it prints."""

    logged: int = 0
    known: int = 0  # already in the log: re-imported, or logged by hand that day
    skipped: Counter[str] = field(default_factory=Counter)  # "ride": 2
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    best_lines: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Imported {plural(self.logged, 'run')}."]
        if self.known:
            out.append(f"Already in your log: {plural(self.known, 'run')} (nothing added twice).")
        if self.skipped:
            kinds = ", ".join(plural(n, kind) for kind, n in sorted(self.skipped.items()))
            out.append(f"Skipped {kinds}: Pacer logs runs only.")
        out += self.best_lines
        out += [f"Not imported: {name} — {reason}" for name, reason in self.refused]
        return out


@dataclass(frozen=True)
class _Item:
    """One run to import, from any kind of file."""

    day: date
    started_at: datetime | None
    minutes: float | None
    distance_m: float | None
    note: str
    intensity: str
    as_planned: bool
    session_type: str | None
    summary: NewActivity | None
    activity: Activity | None


async def import_files(
    uow: UnitOfWork, runner: Runner, files: Sequence[tuple[str, bytes]], now: datetime,
    source: str = "import",
) -> ImportReport:
    """Import `files` (name, bytes) for `runner` (module docstring)."""
    report = ImportReport()
    tz = runner.tz
    items: list[_Item] = []
    for name, data in files:
        try:
            items += _items(name, data, now, runner.units, tz, report)
        except ActivityError as err:
            report.refused.append((name, str(err)))
    items.sort(key=lambda i: (i.day, i.started_at or now))
    keys = await log_keys(uow, runner.id)
    challenges = await runner_challenges(uow, runner.id)
    today = now.astimezone(ZoneInfo(tz)).date()
    for item in items:
        if await _known(uow, runner, item, keys):
            report.known += 1
            continue
        new = NewLog(item.day, item.minutes, item.distance_m, item.note, item.as_planned,
                     item.intensity, item.session_type, source)
        log = await add_log(uow, runner.id, new, now, challenges=[])
        keys.add(_key(item))
        report.logged += 1
        if item.summary is not None:
            await add_activity(uow, runner.id, item.summary, now, run_log_id=log.id)
        if item.activity is not None and item.activity.efforts:
            efforts = [Effort(e.distance_m, e.seconds, "best_effort")
                       for e in item.activity.efforts]
            outcome = await record_efforts(uow, runner, efforts, item.day,
                                           item.activity.file_format, log.id,
                                           today=today, now=now)
            report.best_lines += [line for line in outcome.lines if line]
    if report.logged:
        await refresh_runner(uow, runner.id, now, metrics=RUN_METRICS, within=challenges)
        await replan(uow, runner, today, now)
        await refresh_streak(uow, runner, now)
    return report


def _items(name: str, data: bytes, now: datetime, units: str, tz: str,
           report: ImportReport) -> list[_Item]:
    if is_history_name(name):
        history = read_history(name, data)
        report.skipped.update(history.skipped)
        return [_history_item(run, tz) for run in history.runs]
    activity = read_activity(name, data, now=now, units=units)
    day = local_day(activity, tz)
    return [_Item(day, activity.started_at.replace(microsecond=0),
                  round(activity.moving_s / 60, 2), round(activity.distance_m, 1), "", "easy",
                  False, None, new_activity(activity, day, "import"), activity)]


def _history_item(run: HistoryRun, tz: str) -> _Item:
    if run.started_at is None:
        assert run.day is not None  # Pacer's export: a local day
        return _Item(run.day, None, run.minutes, run.distance_m, run.note, run.intensity,
                     run.as_planned, run.session_type, None, None)
    day = run.started_at.astimezone(ZoneInfo(tz)).date()
    distance = run.distance_m or None
    summary = None
    if distance is not None and run.minutes is not None:
        summary = NewActivity(
            started_at=run.started_at, local_date=day, file_format="strava",
            distance_m=round(distance, 1), elapsed_s=run.elapsed_s or run.minutes * 60,
            moving_s=run.minutes * 60, elevation_gain_m=run.elevation_gain_m,
            avg_heart_rate=run.avg_heart_rate, split_unit="km", splits=[], best_efforts=[],
            source="import",
        )
    return _Item(day, run.started_at, run.minutes, distance, run.note, "easy", False, None,
                 summary, None)


async def _known(uow: UnitOfWork, runner: Runner, item: _Item,
                 keys: set[tuple[date, float | None, float | None, str]]) -> bool:
    """Already in the log: the same activity (start time), the same exported log, or — for
    an activity file — a run logged by hand that day with a similar distance and time."""
    if item.started_at is not None and await activity_starting(
        uow, runner.id, item.started_at
    ) is not None:
        return True
    if _key(item) in keys:
        return True
    if item.activity is not None:
        return any(similar(log, item.activity) for log in await logs_on(uow, runner.id,
                                                                          item.day))
    return False


def _key(item: _Item) -> tuple[date, float | None, float | None, str]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return item.day, rounded(item.minutes), rounded(item.distance_m), item.note

