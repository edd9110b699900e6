"""Guardrails on logged weeks: the 10% rule, 80/20, a rest day — and not repeating themselves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.guardrails import Kind, check, new_warnings
from core.stats import LoggedRun

MON = date(2026, 11, 9)  # a Monday; the week before starts on 2 Nov
LAST_MON = MON - timedelta(days=7)


def run(offset: int, minutes: float | None = 30, hard: bool = False) -> LoggedRun:
    """A run `offset` days after this week's Monday (negative: last week)."""
    return LoggedRun(MON + timedelta(days=offset), minutes, hard=hard)


def kinds(runs: list[LoggedRun], day: date) -> set[Kind]:
    return {w.kind for w in check(runs, day)}


LAST_WEEK_60 = [run(-7, 30), run(-5, 30)]  # 60 minutes last week

VOLUME_CASES = [
    ("within 10%", [*LAST_WEEK_60, run(0, 30), run(2, 36)], set()),  # 66 min = exactly +10%
    ("over 10%", [*LAST_WEEK_60, run(0, 30), run(2, 37)], {Kind.VOLUME}),
    ("small previous week is not judged", [run(-7, 25), run(0, 60)], set()),
    ("previous week exactly 30 min is judged", [run(-7, 30), run(0, 34)], {Kind.VOLUME}),
    ("no previous week", [run(0, 90)], set()),
    ("distance-only runs add no time", [*LAST_WEEK_60, run(0, 60), run(1, None)], set()),
]


@pytest.mark.parametrize(("name", "runs", "expected"), VOLUME_CASES,
                         ids=[c[0] for c in VOLUME_CASES])
def test_ten_percent_rule(name: str, runs: list[LoggedRun], expected: set[Kind]) -> None:
    day = max(r.day for r in runs)
    assert kinds(runs, day) & {Kind.VOLUME} == expected


EASY_CASES = [
    ("two runs are too few to judge", [run(0, 30, True), run(1, 30, True)], set()),
    ("one easy of three", [run(0, 30), run(2, 30, True), run(4, 30, True)], {Kind.EASY_SHARE}),
    ("mostly easy", [run(0, 60), run(2, 60), run(4, 20, True)], set()),  # 86% easy
    ("69% easy", [run(0, 40), run(2, 29), run(4, 31, True)], {Kind.EASY_SHARE}),
    ("70% easy is fine", [run(0, 40), run(2, 30), run(4, 30, True)], set()),
    ("runs without time do not count", [run(0, None), run(2, 30, True), run(4, 30)], set()),
]


@pytest.mark.parametrize(("name", "runs", "expected"), EASY_CASES,
                         ids=[c[0] for c in EASY_CASES])
def test_eighty_twenty(name: str, runs: list[LoggedRun], expected: set[Kind]) -> None:
    day = max(r.day for r in runs)
    assert kinds(runs, day) & {Kind.EASY_SHARE} == expected


def test_seven_days_running_without_rest() -> None:
    streak = [run(d, 20) for d in range(-3, 4)]  # Fri last week .. Thu
    assert Kind.NO_REST in kinds(streak, MON + timedelta(days=3))
    assert Kind.NO_REST not in kinds(streak[1:], MON + timedelta(days=3))
    # Two runs on one day do not make up for a day off.
    doubled = [*streak[:2], run(0, 10), *streak[3:]]  # Sunday off, Monday twice
    assert Kind.NO_REST not in kinds(doubled, MON + timedelta(days=3))


def test_later_days_are_ignored() -> None:
    runs = [*LAST_WEEK_60, run(0, 30), run(5, 90)]
    assert kinds(runs, MON) == set()


def test_warning_texts_are_friendly_and_specific() -> None:
    runs = [*LAST_WEEK_60, run(0, 40, True), run(1, 40, True), run(2, 10)]
    texts = {w.kind: w.text for w in check(runs, MON + timedelta(days=2))}
    assert texts[Kind.VOLUME] == (
        "⚠️ This week's running time (1 h 30 min) is more than 10% above last week's (1 h). "
        "Build up gradually: keep the rest of the week short and easy."
    )
    assert "11%" in texts[Kind.EASY_SHARE] and "80/20" in texts[Kind.EASY_SHARE]


def test_a_warning_fires_once_a_week() -> None:
    log = [*LAST_WEEK_60, run(0, 40), run(1, 40)]  # 80 min > 66: fires with the 2nd run
    assert [w.kind for w in new_warnings(log[:3])] == []
    assert [w.kind for w in new_warnings(log)] == [Kind.VOLUME]
    more = [*log, run(2, 20)]
    assert new_warnings(more) == []  # already said this week


def test_a_new_week_may_warn_again() -> None:
    log = [*LAST_WEEK_60, run(0, 40), run(1, 40), run(7, 40), run(8, 60)]
    # next week: 100 min against this week's 80 -> over 10% again, first time that week
    assert [w.kind for w in new_warnings(log)] == [Kind.VOLUME]


def test_backfill_for_an_earlier_week_is_judged_in_its_own_week() -> None:
    # A run for last Sunday logged after this week's runs: judged against the week before it.
    earlier = [LoggedRun(LAST_MON - timedelta(days=7), 30), LoggedRun(LAST_MON, 20)]
    log = [*earlier, run(0, 20), LoggedRun(LAST_MON + timedelta(days=6), 30)]
    assert [w.kind for w in new_warnings(log)] == [Kind.VOLUME]  # 50 min vs 30 min


def test_new_warnings_of_nothing() -> None:
    assert new_warnings([]) == []
