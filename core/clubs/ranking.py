"""Leaderboards, pure: metrics and their units, ranking with ties, and how figures read.

Ranking rules (the same for every metric):
- Higher is better. A member without a figure (`value is None`: adherence with no planned
  session yet) ranks after everyone with one.
- Equal figures share a rank, shown as "=3"; the next rank skips ("=3, =3, 5"). Figures are
  compared as computed (to the metre, the hundredth of a minute, the 0.1 % of adherence), not
  as displayed: two members who both show "12.4 km" may still be 3rd and 4th.
- Within a tie, whoever got there first is listed first (the member whose last counted run was
  logged earliest), then by name, case-insensitively.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from core.text import format_distance, format_minutes, format_total_distance, plural

TOP = 10
BAR_CELLS = 10
_NEVER = datetime.max.replace(tzinfo=UTC)  # sorts after every real instant


class Metric(StrEnum):
    """What a challenge ranks by, and the unit its figures are stored in."""

    DISTANCE = "distance"  # metres
    TIME = "time"  # minutes
    SESSIONS = "sessions"  # local days with a run
    STREAK = "streak"  # days
    ADHERENCE = "adherence"  # percent of one's own planned runs done

    @property
    def additive(self) -> bool:
        """Whether members' figures add up to a team total ("together to 500 km")."""
        return self in (Metric.DISTANCE, Metric.TIME, Metric.SESSIONS)

    @property
    def blurb(self) -> str:
        return METRIC_BLURBS[self]


METRIC_BLURBS = {
    Metric.DISTANCE: "distance run",
    Metric.TIME: "time spent running",
    Metric.SESSIONS: "days with a run",
    Metric.STREAK: "current streak",
    Metric.ADHERENCE: "share of your own planned runs done — fair across levels",
}
METRICS = tuple(m.value for m in Metric)


@dataclass(frozen=True)
class Entry:
    """One member's figure on a board."""

    runner_id: int
    name: str
    value: float | None
    reached_at: datetime | None = None  # when the figure was reached (tie order)


@dataclass(frozen=True)
class Standing:
    """A ranked entry: `rank` is shared by ties (`tied` is then True)."""

    entry: Entry
    rank: int
    tied: bool

    @property
    def label(self) -> str:
        return f"={self.rank}" if self.tied else str(self.rank)


def rank(entries: Iterable[Entry]) -> list[Standing]:
    """Every entry, best first, with competition ranks ("1, 2, =3, =3, 5")."""
    keyed = sorted(((_score(e), e) for e in entries), key=lambda pair: _order(*pair))
    sizes = Counter(score for score, _ in keyed)
    standings: list[Standing] = []
    previous: tuple[int, float] | None = None
    current = 0
    for position, (score, entry) in enumerate(keyed, 1):
        if score != previous:
            current, previous = position, score
        standings.append(Standing(entry, current, sizes[score] > 1))
    return standings


def _score(entry: Entry) -> tuple[int, float]:
    # (0, -value) sorts higher figures first; members without a figure come last, together.
    return (1, 0.0) if entry.value is None else (0, -entry.value)


def _order(score: tuple[int, float], entry: Entry
           ) -> tuple[tuple[int, float], bool, datetime, str, int]:
    reached = entry.reached_at
    return (score, reached is None, reached or _NEVER, entry.name.casefold(), entry.runner_id)


@dataclass(frozen=True)
class BoardSlice:
    """What a board shows: the top, the viewer's own line when they are below it, and what is
    known about every member — how many they are, their figures added up, how many reached
    the personal goal, and how many share first place with a figure."""

    top: tuple[Standing, ...]
    you: Standing | None
    total: int
    team_total: float = 0.0
    goal_reached: int = 0
    leaders: int = 0


def board_slice(
    standings: Sequence[Standing], viewer_id: int | None, top: int = TOP,
    goal: float | None = None,
) -> BoardSlice:
    """The top `top` standings, plus the viewer's standing when it is not among them."""
    head = tuple(standings[:top])
    you = None
    if viewer_id is not None and all(s.entry.runner_id != viewer_id for s in head):
        you = next((s for s in standings if s.entry.runner_id == viewer_id), None)
    return BoardSlice(
        head, you, len(standings),
        team_total=sum(s.entry.value or 0.0 for s in standings),
        goal_reached=0 if goal is None else sum(
            1 for s in standings if s.entry.value is not None and s.entry.value >= goal),
        leaders=sum(1 for s in standings if s.rank == 1 and s.entry.value),
    )


def format_figure(metric: Metric, value: float | None, units: str = "km") -> str:
    """A figure as a runner reads it: "12.4 km", "3 h 5 min", "12 sessions", "5 days", "86%"."""
    if value is None:
        return "—"
    if metric is Metric.DISTANCE:
        return format_total_distance(value, units)
    if metric is Metric.TIME:
        return format_minutes(value)
    if metric is Metric.ADHERENCE:
        return f"{value:.0f}%"
    return plural(round(value), "session" if metric is Metric.SESSIONS else "day")


def format_goal(metric: Metric, value: float, units: str = "km") -> str:
    """A goal as an admin would write it: "500 km" rather than "500.0 km", "20 h"."""
    if metric is Metric.DISTANCE:
        return format_distance(value, units, decimals=1)
    return format_figure(metric, value, units)


def progress_bar(done: float, goal: float, cells: int = BAR_CELLS) -> str:
    """`▓▓▓▓▓▓░░░░` for 62 %: a text bar that reads the same on every platform."""
    share = 0.0 if goal <= 0 else min(max(done / goal, 0.0), 1.0)
    filled = int(share * cells + 1e-9)
    return "▓" * filled + "░" * (cells - filled)


def share_percent(done: float, goal: float) -> int:
    """Whole percent of a goal reached (rounded down, so 100 % means really there)."""
    return 0 if goal <= 0 else int(done / goal * 100 + 1e-9)
