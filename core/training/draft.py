"""A plan while it is being built: day-indexed lists the planning passes rework in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.training.athlete import Athlete
from core.training.layout import WeekLayout
from core.training.model import Paces, PlanDay
from core.training.session import Session


@dataclass
class Draft:
    """Day `i` is `start + i`; `roles` are layout roles or the finales (`race`, `time_trial`)."""

    athlete: Athlete
    paces: Paces
    layout: WeekLayout
    start: date
    sessions: list[Session] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    weeks: list[int] = field(default_factory=list)
    notes: list[str | None] = field(default_factory=list)
    keys: list[bool] = field(default_factory=list)
    targets: dict[int, int] = field(default_factory=dict)  # week -> planned running minutes
    light: dict[int, bool] = field(default_factory=dict)  # week -> a lighter week of a block
    # week -> (k, n): week k of a trained runner's n-week return from time off (comeback.py)
    returning: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Daniels' FVDOT-1 from a return after time off on (`detraining`, `comeback.Comebacks`)
    pace_factor: float = 1.0
    spans: list[range] = field(default_factory=list)  # week n's day indices are spans[n - 1]

    def __len__(self) -> int:
        return len(self.sessions)

    def date_of(self, i: int) -> date:
        return self.start + timedelta(days=i)

    def index_of(self, day: date) -> int | None:
        i = (day - self.start).days
        return i if 0 <= i < len(self.sessions) else None

    def week_indices(self, week: int) -> range:
        """Indices of a calendar week's days that lie inside the plan."""
        return self.spans[week - 1]

    def add_week(self, week: int, sessions: list[Session], roles: tuple[str, ...], first: int,
                 last: int) -> None:
        """Append weekdays `first`..`last - 1` of a laid-out week."""
        begin = len(self.sessions)
        self.sessions.extend(sessions[first:last])
        self.roles.extend(roles[first:last])
        self.weeks.extend([week] * (last - first))
        self.notes.extend([None] * (last - first))
        self.spans.append(range(begin, len(self.sessions)))

    def is_hard(self, i: int) -> bool:
        return 0 <= i < len(self.sessions) and self.sessions[i].is_hard

    def is_run(self, i: int) -> bool:
        return 0 <= i < len(self.sessions) and self.sessions[i].is_run

    def days(self) -> tuple[PlanDay, ...]:
        """The finished plan days (this loop runs for every day of every plan: keep it lean)."""
        out = []
        day, one = self.start, timedelta(days=1)
        build = PlanDay.from_fields
        for session, week, key, note in zip(
            self.sessions, self.weeks, self.keys, self.notes, strict=True
        ):
            out.append(build(
                {"date": day, "week": week, **session.day_fields, "key": key, "note": note}
            ))
            day += one
        return tuple(out)
