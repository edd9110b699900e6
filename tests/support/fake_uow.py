"""An in-memory unit of work with the real one's repository interfaces (cosmicpython's
FakeUnitOfWork), for unit tests of command handlers and the dispatcher without a database.

`FakeStore` is the "database": plain values in dicts. Each `FakeUnitOfWork` works on a copy
taken when its block opens; the copy replaces the store when the block ends without an error
(`committed`), and is thrown away on an error or `rollback()` (`rolled_back`). Runners are
handed out as plain `Runner` values, as the real repository hands them out: a change is
stored only by `save` (which counts the writes it makes in `FakeUnitOfWork.saves`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from types import TracebackType
from typing import Any, NamedTuple

from core.storage.errors import Conflict
from core.storage.identities import PrivateChat
from core.storage.logbook import LogbookWindow, PlannedRow, StoredLog, StoredSkip, StreakRow
from core.storage.plans import Activity, DayDone, NewPlan, StoredDay
from core.storage.processed_updates import REDELIVERY_WINDOW
from core.storage.run_logs import DayMinutes, LogChange, RunEffort
from core.storage.runners import RUNNER_FIELDS, Reach, Runner
from core.storage.skips import SkipLine
from core.storage.streaks import StreakFigures


class FakeLog(NamedTuple):
    id: int
    runner_id: int
    local_date: date
    logged_at: datetime
    minutes: float | None
    distance_m: float | None = None
    note: str = ""
    as_planned: bool = False
    intensity: str | None = None
    session_type: str | None = None


@dataclass
class FakeData:
    """Every table the fakes know, as plain values."""

    runners: dict[int, dict[str, Any]] = field(default_factory=dict)
    identities: dict[tuple[str, str], tuple[int, Reach]] = field(default_factory=dict)
    plans: list[NewPlan] = field(default_factory=list)
    planned: dict[tuple[int, date], dict[str, Any]] = field(default_factory=dict)
    logs: dict[int, FakeLog] = field(default_factory=dict)
    sleep: dict[tuple[int, date], tuple[float, datetime]] = field(default_factory=dict)
    skips: dict[tuple[int, date], tuple[str, datetime, int]] = field(default_factory=dict)
    updates: dict[tuple[str, str], datetime] = field(default_factory=dict)
    streaks: dict[int, StreakFigures] = field(default_factory=dict)
    streak_rows: dict[int, StreakRow] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add_runner(self, **values: Any) -> int:
        """A stored runner (every column given or defaulted as the database would)."""
        defaults: dict[str, Any] = {
            "display_name": "", "level": "beginner", "training_days": "0,2,5",
            "mile_time_s": None, "goal_s": None, "race_date": None, "race_start": None,
            "tz": "UTC", "units": "km", "reminder_time": "07:00", "quiet": False,
            "nudges": True, "onboarded": False, "plan_start": None, "conversation": None,
        }
        runner_id = self.new_id()
        row = {**defaults, **values, "id": runner_id}
        self.runners[runner_id] = {k: row.get(k) for k in RUNNER_FIELDS}
        return runner_id

    def add_identity(self, runner_id: int, platform: str, external_id: str,
                     chat_id: str | None, last_seen_at: datetime) -> None:
        reach = Reach(self.new_id(), last_seen_at, chat_id, True, None)
        self.identities[(platform, external_id)] = (runner_id, reach)

    def add_log(self, runner_id: int, local_date: date, logged_at: datetime,
                minutes: float | None, **more: Any) -> int:
        log_id = self.new_id()
        self.logs[log_id] = FakeLog(log_id, runner_id, local_date, logged_at, minutes,
                                         **more)
        return log_id


def plan_rows(data: FakeData, runner_id: int) -> list[dict[str, Any]]:
    """The runner's stored plan days as column values, by date."""
    return sorted((row for (r, _), row in data.planned.items() if r == runner_id),
                  key=lambda row: row["date"])


class FakeStore:
    """The committed state, shared by the units of work a factory makes."""

    def __init__(self) -> None:
        self.data = FakeData()

    def add_runner(self, **values: Any) -> int:
        return self.data.add_runner(**values)

    def add_identity(self, runner_id: int, platform: str, external_id: str,
                     chat_id: str | None, last_seen_at: datetime) -> None:
        self.data.add_identity(runner_id, platform, external_id, chat_id, last_seen_at)

    def add_log(self, runner_id: int, local_date: date, logged_at: datetime,
                minutes: float | None, **more: Any) -> int:
        return self.data.add_log(runner_id, local_date, logged_at, minutes, **more)


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _data(self) -> FakeData:
        return self._uow.data


class FakeRunnerRepository(_Repository):
    async def find(
        self, platform: str, external_id: str, *, lock: bool = False
    ) -> tuple[Runner, Reach] | None:
        found = self._data.identities.get((platform, external_id))
        if found is None:
            return None
        runner_id, reach = found
        return self._runner(runner_id), copy.copy(reach)

    async def add(self, display_name: str, platform: str, external_id: str,
                  chat_id: str | None, now: datetime) -> Runner:
        runner_id = self._data.add_runner(display_name=display_name, created_at=now,
                                          updated_at=now)
        self._data.add_identity(runner_id, platform, external_id, chat_id, now)
        return self._runner(runner_id)

    async def save(self, runner: Runner, stored: Runner) -> bool:
        row = self._data.runners.get(stored.id)
        if runner == stored:
            return False
        self._uow.saves += 1
        if row is not None:  # a runner deleted meanwhile stays deleted
            row.update({name: copy.deepcopy(getattr(runner, name)) for name in RUNNER_FIELDS
                        if getattr(runner, name) != getattr(stored, name)})
        return True

    async def delete(self, runner_id: int) -> None:
        data = self._data
        data.runners.pop(runner_id, None)
        data.identities = {k: v for k, v in data.identities.items() if v[0] != runner_id}
        data.logs = {k: g for k, g in data.logs.items() if g.runner_id != runner_id}
        data.planned = {k: v for k, v in data.planned.items() if k[0] != runner_id}
        data.sleep = {k: v for k, v in data.sleep.items() if k[0] != runner_id}
        data.skips = {k: v for k, v in data.skips.items() if k[0] != runner_id}
        data.streaks.pop(runner_id, None)

    def _runner(self, runner_id: int) -> Runner:
        return Runner(**copy.deepcopy(self._data.runners[runner_id]))

    async def update_reach(self, reach: Reach, changes: dict[str, Any]) -> None:
        for key, (runner_id, stored) in self._data.identities.items():
            if stored.id == reach.id:
                self._data.identities[key] = (runner_id, Reach(**{**vars(stored), **changes}))


class FakeUpdateRepository(_Repository):
    async def record(self, platform: str, update_id: str, now: datetime) -> bool:
        seen = self._data.updates.get((platform, update_id))
        if seen is not None and seen >= now - REDELIVERY_WINDOW:
            return False
        self._data.updates[(platform, update_id)] = now
        return True

    async def seen(self, platform: str, update_id: str) -> bool:
        return (platform, update_id) in self._data.updates


class FakePlanRepository(_Repository):
    async def activity(self, runner_id: int, since: date, until: date) -> Activity:
        by_day: dict[date, list[FakeLog]] = {}
        for log in self._logs(runner_id, since, until):
            by_day.setdefault(log.local_date, []).append(log)
        done = [
            DayDone(day, sum(g.minutes or 0 for g in logs), len(logs),
                    sum(g.distance_m or 0 for g in logs if g.minutes is None))
            for day, logs in by_day.items()
        ]
        skipped = frozenset(d for (r, d) in self._data.skips if r == runner_id
                            and since <= d <= until)
        sleep = {d: h for (r, d), (h, _) in self._data.sleep.items() if r == runner_id
                 and since <= d <= until}
        return Activity(done, skipped, sleep)

    async def mile_result(self, runner_id: int) -> tuple[date, float] | None:
        return None  # results are recorded through the database only (core.results)

    async def replace_from(self, today: date, plan: NewPlan) -> None:
        self._data.plans.append(plan)
        plan_id = len(self._data.plans)
        for key in [k for k in self._data.planned if k[0] == plan.runner_id and k[1] >= today]:
            del self._data.planned[key]
        for day in plan.days:
            self._data.planned[(plan.runner_id, day.date)] = {
                **vars(copy.deepcopy(day)), "id": self._data.new_id(),
                "runner_id": plan.runner_id, "plan_id": plan_id,
            }

    async def last_day(self, runner_id: int) -> date | None:
        return max((d for r, d in self._data.planned if r == runner_id), default=None)

    async def day(self, runner_id: int, day: date) -> StoredDay | None:
        row = self._data.planned.get((runner_id, day))
        return None if row is None else _stored_day(row)

    async def between(self, runner_id: int, first: date, last: date) -> list[StoredDay]:
        return [_stored_day(row) for row in self._rows(runner_id)
                if first <= row["date"] <= last]

    async def next_run(self, runner_id: int, after: date) -> StoredDay | None:
        found = [row for row in self._rows(runner_id)
                 if row["date"] > after and row["run_minutes"] > 0]
        return _stored_day(found[0]) if found else None

    async def run_days_between(self, runner_id: int, first: date, last: date) -> list[date]:
        return [row["date"] for row in self._rows(runner_id)
                if first <= row["date"] <= last and row["run_minutes"] > 0]

    async def all_days(self, runner_id: int) -> list[StoredDay]:
        return [_stored_day(row) for row in self._rows(runner_id)]

    def _rows(self, runner_id: int) -> list[dict[str, Any]]:
        return plan_rows(self._data, runner_id)

    def _logs(self, runner_id: int, first: date, last: date) -> Iterator[FakeLog]:
        return (g for g in self._data.logs.values()
                if g.runner_id == runner_id and first <= g.local_date <= last)


def stored_log(log: FakeLog) -> StoredLog:
    """The log as the repositories return it."""
    return StoredLog(log.id, log.local_date, log.logged_at, log.minutes, log.distance_m,
                     log.note, log.as_planned, log.intensity or "easy", log.session_type)


def _stored_day(row: dict[str, Any]) -> StoredDay:
    """The day a stored row holds, as the repository returns it (its own copy of `detail`)."""
    return StoredDay(**{name: copy.deepcopy(row[name]) for name in _DAY_FIELDS})


_DAY_FIELDS = tuple(f.name for f in fields(StoredDay))


class FakeLogRepository(_Repository):
    def _between(self, runner_id: int, first: date, last: date) -> list[FakeLog]:
        return sorted((g for g in self._data.logs.values()
                       if g.runner_id == runner_id and first <= g.local_date <= last),
                      key=lambda g: (g.local_date, g.id))

    async def minutes_between(self, runner_id: int, first: date, last: date) -> list[DayMinutes]:
        return [DayMinutes(g.local_date, g.minutes) for g in self._between(runner_id, first, last)]

    async def first_day(self, runner_id: int) -> date | None:
        return min((g.local_date for g in self._data.logs.values() if g.runner_id == runner_id),
                   default=None)

    async def efforts_between(self, runner_id: int, first: date, last: date) -> list[RunEffort]:
        return [RunEffort(g.local_date, g.minutes, g.distance_m, g.intensity)
                for g in self._between(runner_id, first, last)]

    async def recent(self, runner_id: int, first: date, last: date) -> list[StoredLog]:
        logs = sorted(self._between(runner_id, first, last),
                      key=lambda g: (g.local_date, g.logged_at, g.id), reverse=True)
        return [stored_log(g) for g in logs]

    async def remove(self, runner_id: int, log_id: int) -> bool:
        log = self._data.logs.get(log_id)
        if log is None or log.runner_id != runner_id:
            return False
        del self._data.logs[log_id]
        return True

    async def change(self, runner_id: int, log_id: int, change: LogChange) -> bool:
        log = self._data.logs.get(log_id)
        if log is None or log.runner_id != runner_id:
            return False
        self._data.logs[log_id] = log._replace(**change._asdict())
        return True


class FakeSleepRepository(_Repository):
    async def night(self, runner_id: int, morning: date) -> float | None:
        found = self._data.sleep.get((runner_id, morning))
        return None if found is None else found[0]

    async def record(self, runner_id: int, morning: date, hours: float,
                     logged_at: datetime) -> float | None:
        previous = await self.night(runner_id, morning)
        self._data.sleep[(runner_id, morning)] = (hours, logged_at)
        return previous

    async def hours_between(self, runner_id: int, first: date, last: date) -> list[float]:
        return list((await self.nights_between(runner_id, first, last)).values())

    async def nights_between(self, runner_id: int, first: date, last: date) -> dict[date, float]:
        return {d: h for (r, d), (h, _) in sorted(self._data.sleep.items())
                if r == runner_id and first <= d <= last}


class FakeSkipRepository(_Repository):
    async def add(self, runner_id: int, day: date, reason: str, created_at: datetime) -> None:
        if (runner_id, day) in self._data.skips:
            raise Conflict("INSERT INTO skips", {}, Exception("UNIQUE constraint failed"))
        self._data.skips[(runner_id, day)] = (reason, created_at, self._data.new_id())

    async def on(self, runner_id: int, day: date) -> SkipLine | None:
        found = self._data.skips.get((runner_id, day))
        return None if found is None else SkipLine(day, found[0])

    async def between(self, runner_id: int, first: date, last: date) -> list[SkipLine]:
        return [SkipLine(d, reason) for (r, d), (reason, *_) in sorted(self._data.skips.items())
                if r == runner_id and first <= d <= last]


class FakeLogbookRepository(_Repository):
    async def add_log(self, values: dict[str, Any]) -> int:
        more = {k: values[k] for k in ("distance_m", "note", "as_planned", "intensity",
                                       "session_type")}
        return self._data.add_log(values["runner_id"], values["local_date"],
                                  values["logged_at"], values["minutes"], **more)

    async def logs(self, runner_id: int, first: date, last: date) -> list[StoredLog]:
        logs = sorted((g for g in self._data.logs.values()
                       if g.runner_id == runner_id and first <= g.local_date <= last),
                      key=lambda g: (g.logged_at, g.id))
        return [stored_log(g) for g in logs]

    async def last_log(self, runner_id: int) -> StoredLog | None:
        logs = [g for g in self._data.logs.values() if g.runner_id == runner_id]
        return stored_log(max(logs, key=lambda g: (g.logged_at, g.id))) if logs else None

    def _skips(self, runner_id: int, first: date, last: date) -> list[StoredSkip]:
        return [StoredSkip(skip_id, d) for (r, d), (reason, _, skip_id)
                in sorted(self._data.skips.items()) if r == runner_id and first <= d <= last]

    async def window(
        self, runner_id: int, first: date, last: date, plan_first: date, plan_last: date,
        challenge_status: str,
    ) -> LogbookWindow:
        planned = [PlannedRow(row["date"], row["type"], row["title"], row["minutes"],
                              row["run_minutes"], row["intensity"])
                   for row in plan_rows(self._data, runner_id)
                   if plan_first <= row["date"] <= plan_last]
        return LogbookWindow(await self.logs(runner_id, first, last),
                             self._skips(runner_id, first, last),
                             sorted(planned, key=lambda p: p.date),
                             [])  # clubs are not faked: the runner is in no challenge

    async def log_fingerprint(self, runner_id: int, first: date, last: date) -> tuple[int, int]:
        ids = [g.id for g in self._data.logs.values()
               if g.runner_id == runner_id and first <= g.local_date <= last]
        return len(ids), sum(ids)

    async def delete_skip(self, skip_id: int) -> None:
        self._data.skips = {k: v for k, v in self._data.skips.items() if v[2] != skip_id}

    async def streak(self, runner_id: int) -> StreakRow | None:
        return self._data.streak_rows.get(runner_id)

    async def write_streak(self, figures: dict[str, Any], *, new: bool) -> None:
        runner_id = figures["runner_id"]
        if new == (runner_id in self._data.streak_rows):
            raise Conflict("streak_states", {}, Exception("insert/update mismatch"))
        row = StreakRow(figures["current"], figures["best"], figures["as_of"],
                        figures["checkpoint"])
        self._data.streak_rows[runner_id] = row
        self._data.streaks[runner_id] = StreakFigures(row.current, row.best)


class FakeStreakRepository(_Repository):
    async def figures(self, runner_id: int) -> StreakFigures | None:
        return self._data.streaks.get(runner_id)


class FakeIdentityRepository(_Repository):
    async def mark_unreachable(self, platform: str, external_id: str, reason: str) -> bool:
        found = self._data.identities.get((platform, external_id))
        if found is None:
            return False
        runner_id, reach = found
        self._data.identities[(platform, external_id)] = (
            runner_id, Reach(**{**vars(reach), "reachable": False,
                                "unreachable_reason": reason[:200]}))
        return True

    async def note_reason(self, platform: str, external_id: str, reason: str) -> None:
        found = self._data.identities.get((platform, external_id))
        if found is not None:
            runner_id, reach = found
            self._data.identities[(platform, external_id)] = (
                runner_id, Reach(**{**vars(reach), "unreachable_reason": reason[:200]}))

    async def private_chat(self, platform: str, chat_id: str) -> PrivateChat | None:
        found = [(reach.last_seen_at, runner_id, external_id)
                 for (p, external_id), (runner_id, reach) in self._data.identities.items()
                 if p == platform and reach.chat_id == chat_id]
        if not found:
            return None
        _, runner_id, external_id = max(found)
        return PrivateChat(runner_id, external_id)

    async def club_channel(self, runner_id: int, platform: str) -> str | None:
        return None  # the fake store holds no clubs


class FakeUnitOfWork:
    """`async with uow:` works on a copy of the store; commits it back unless it failed."""

    def __init__(self, store: FakeStore, *, readonly: bool = False) -> None:
        self.store = store
        self.readonly = readonly
        self.committed = False
        self.rolled_back = False
        self.data = FakeData()
        self.saves = 0  # runners written by `runners.save`
        self.runners = FakeRunnerRepository(self)
        self.updates = FakeUpdateRepository(self)
        self.plans = FakePlanRepository(self)
        self.logs = FakeLogRepository(self)
        self.sleep = FakeSleepRepository(self)
        self.skips = FakeSkipRepository(self)
        self.streaks = FakeStreakRepository(self)
        self.logbook = FakeLogbookRepository(self)
        self.identities = FakeIdentityRepository(self)

    dialect = "fake"

    async def rollback(self) -> None:
        """Drop everything written so far; the unit of work goes on from the store's state."""
        self.rolled_back = True
        self._start()

    def _start(self) -> None:
        self.data = copy.deepcopy(self.store.data)

    async def __aenter__(self) -> FakeUnitOfWork:
        self._start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None or self.readonly:
            self.rolled_back = exc_type is not None or self.rolled_back
            return
        self.store.data = self.data
        self.committed = True


class FakeUnitOfWorkFactory:
    """Makes fake units of work on one store; remembers them for assertions."""

    def __init__(self, store: FakeStore | None = None) -> None:
        self.store = store or FakeStore()
        self.made: list[FakeUnitOfWork] = []

    def __call__(self, *, readonly: bool = False) -> FakeUnitOfWork:
        uow = FakeUnitOfWork(self.store, readonly=readonly)
        self.made.append(uow)
        return uow
