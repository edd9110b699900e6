"""Training guardrails on what was logged: pure checks, shown after `/done` when they fire.

Three rules from the training guide, judged on logged runs in the runner's local days:
- the 10% rule: this calendar week's running time more than 10% above last week's (only when
  last week had at least `VOLUME_FLOOR_MINUTES`, so a first week back is not nagged);
- 80/20: less than `EASY_SHARE_FLOOR` of this week's running time easy, once there are at least
  `EASY_SHARE_MIN_RUNS` runs with a known duration;
- a rest day: a run logged on each of the last seven days.
Runs logged without a duration add nothing to the time totals (only what is known is summed).

Not spammy: a kind of warning is shown once per calendar week — with the log that first makes it
true. Earlier logs of the same week are replayed in the order they were made, so no state needs
storing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from core.stats import LoggedRun
from core.text import format_minutes
from core.units import monday_of

VOLUME_LIMIT = 1.10
VOLUME_FLOOR_MINUTES = 30.0
EASY_SHARE_FLOOR = 0.70
EASY_SHARE_MIN_RUNS = 3
RUN_DAYS_WITHOUT_REST = 7


class Kind(StrEnum):
    VOLUME = "volume"
    EASY_SHARE = "easy_share"
    NO_REST = "no_rest"


@dataclass(frozen=True)
class Guardrail:
    """A guardrail that fired, with the friendly text the runner reads (reply markup)."""

    kind: Kind
    text: str


def check(runs: Sequence[LoggedRun], day: date) -> list[Guardrail]:
    """Every guardrail that holds on `day`, over `runs` (later days than `day` are ignored)."""
    known = [r for r in runs if r.day <= day]
    monday = monday_of(day)
    this_week = [r for r in known if monday <= r.day]
    last_week = [r for r in known if monday - timedelta(days=7) <= r.day < monday]
    warnings = []
    volume = _volume(_minutes(this_week), _minutes(last_week))
    if volume is not None:
        warnings.append(volume)
    easy_share = _easy_share(this_week)
    if easy_share is not None:
        warnings.append(easy_share)
    if _no_rest(known, day):
        warnings.append(
            Guardrail(
                Kind.NO_REST,
                f"⚠️ That's {RUN_DAYS_WITHOUT_REST} days of running in a row. Take a full rest "
                "day next — rest is when your body adapts and gets faster.",
            )
        )
    return warnings


def new_warnings(runs_in_order: Sequence[LoggedRun]) -> list[Guardrail]:
    """The guardrails the last run of `runs_in_order` (ordered by when they were logged) triggers
    that no earlier run logged for the same calendar week already triggered."""
    if not runs_in_order:
        return []
    latest = runs_in_order[-1]
    week = monday_of(latest.day)
    current = check(runs_in_order, latest.day)
    fired = {w.kind for w in current}
    for index, earlier in enumerate(runs_in_order[:-1]):
        if fired and monday_of(earlier.day) == week:
            fired -= {w.kind for w in check(runs_in_order[: index + 1], earlier.day)}
    return [w for w in current if w.kind in fired]


def _minutes(runs: Sequence[LoggedRun]) -> float:
    return sum(r.minutes for r in runs if r.minutes is not None)


def _volume(this_week: float, last_week: float) -> Guardrail | None:
    if last_week < VOLUME_FLOOR_MINUTES or this_week <= last_week * VOLUME_LIMIT:
        return None
    return Guardrail(
        Kind.VOLUME,
        f"⚠️ This week's running time ({format_minutes(this_week)}) is more than 10% above last "
        f"week's ({format_minutes(last_week)}). Build up gradually: keep the rest of the week "
        "short and easy.",
    )


def _easy_share(this_week: Sequence[LoggedRun]) -> Guardrail | None:
    timed = [r for r in this_week if r.minutes is not None and r.minutes > 0]
    total = _minutes(timed)
    if len(timed) < EASY_SHARE_MIN_RUNS or total <= 0:
        return None
    share = _minutes([r for r in timed if not r.hard]) / total
    if share >= EASY_SHARE_FLOOR:
        return None
    return Guardrail(
        Kind.EASY_SHARE,
        f"⚠️ Only {share:.0%} of this week's running was easy. Aim for about 80% easy (the "
        "80/20 rule): keep your next runs conversational.",
    )


def _no_rest(runs: Sequence[LoggedRun], day: date) -> bool:
    days = {r.day for r in runs}
    return all(day - timedelta(days=i) in days for i in range(RUN_DAYS_WITHOUT_REST))

