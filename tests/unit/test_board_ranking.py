"""Ranking a board: ties share a rank, who got there first leads a tie, "—" ranks last."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.clubs.ranking import (
    Entry,
    Metric,
    board_slice,
    format_figure,
    format_goal,
    progress_bar,
    rank,
    share_percent,
)

T0 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def labels(entries: list[Entry]) -> list[tuple[str, str]]:
    return [(s.label, s.entry.name) for s in rank(entries)]


def test_higher_figures_rank_first() -> None:
    board = labels([Entry(1, "Ann", 5000.0), Entry(2, "Bob", 12000.0), Entry(3, "Cat", 800.0)])
    assert board == [("1", "Bob"), ("2", "Ann"), ("3", "Cat")]


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    board = labels([
        Entry(1, "Ann", 10.0), Entry(2, "Bob", 7.0), Entry(3, "Cat", 7.0),
        Entry(4, "Dan", 7.0), Entry(5, "Eve", 3.0),
    ])
    assert board == [("1", "Ann"), ("=2", "Bob"), ("=2", "Cat"), ("=2", "Dan"), ("5", "Eve")]


def test_within_a_tie_whoever_got_there_first_is_listed_first() -> None:
    board = labels([
        Entry(1, "Ann", 7.0, reached_at=at(30)),
        Entry(2, "Bob", 7.0, reached_at=at(2)),
        Entry(3, "Cat", 7.0, reached_at=at(10)),
    ])
    assert board == [("=1", "Bob"), ("=1", "Cat"), ("=1", "Ann")]


def test_ties_without_a_time_are_ordered_by_name_case_insensitively() -> None:
    board = labels([Entry(1, "bob", 4.0), Entry(2, "Ann", 4.0), Entry(3, "Émile", 4.0),
                    Entry(4, "carl", 4.0)])
    assert [name for _, name in board] == ["Ann", "bob", "carl", "Émile"]


def test_members_without_a_figure_rank_last_together() -> None:
    board = labels([Entry(1, "Ann", None), Entry(2, "Bob", 0.0), Entry(3, "Cat", None),
                    Entry(4, "Dan", 55.5)])
    assert board == [("1", "Dan"), ("2", "Bob"), ("=3", "Ann"), ("=3", "Cat")]


def test_a_lone_figure_is_not_a_tie() -> None:
    [only] = rank([Entry(1, "Ann", 3.0)])
    assert (only.rank, only.tied, only.label) == (1, False, "1")


def test_the_viewer_outside_the_top_gets_their_own_line() -> None:
    standings = rank([Entry(i, f"R{i:02d}", float(100 - i)) for i in range(1, 58)])
    shown = board_slice(standings, viewer_id=23, top=10)
    assert [s.entry.runner_id for s in shown.top] == list(range(1, 11))
    assert shown.you is not None and (shown.you.rank, shown.total) == (23, 57)


def test_the_viewer_inside_the_top_gets_no_extra_line() -> None:
    standings = rank([Entry(i, f"R{i}", float(i)) for i in range(1, 20)])
    assert board_slice(standings, viewer_id=19).you is None
    assert board_slice(standings, viewer_id=None).you is None
    assert board_slice(standings, viewer_id=999).you is None  # not a member


@pytest.mark.parametrize(
    ("metric", "value", "units", "shown"),
    [
        (Metric.DISTANCE, 12_400.0, "km", "12.4 km"),
        (Metric.DISTANCE, 12_400.0, "mi", "7.7 mi"),
        (Metric.TIME, 185.0, "km", "3 h 5 min"),
        (Metric.TIME, 59.6, "km", "1 h"),
        (Metric.SESSIONS, 1.0, "km", "1 session"),
        (Metric.SESSIONS, 12.0, "km", "12 sessions"),
        (Metric.STREAK, 1.0, "km", "1 day"),
        (Metric.STREAK, 5.0, "km", "5 days"),
        (Metric.ADHERENCE, 85.7, "km", "86%"),
        (Metric.ADHERENCE, None, "km", "—"),
    ],
)
def test_figures_read_in_the_metric_unit(
    metric: Metric, value: float | None, units: str, shown: str
) -> None:
    assert format_figure(metric, value, units) == shown


def test_goals_read_as_an_admin_wrote_them() -> None:
    assert format_goal(Metric.DISTANCE, 500_000.0, "km") == "500 km"
    assert format_goal(Metric.DISTANCE, 160_934.4, "mi") == "100 mi"
    assert format_goal(Metric.TIME, 1200.0) == "20 h"
    assert format_goal(Metric.ADHERENCE, 80.0) == "80%"


def test_progress_bar_and_share() -> None:
    assert progress_bar(312.4, 500.0) == "▓▓▓▓▓▓░░░░"
    assert share_percent(312.4, 500.0) == 62
    assert progress_bar(600.0, 500.0) == "▓" * 10
    assert progress_bar(0.0, 0.0) == "░" * 10
    assert share_percent(499.99, 500.0) == 99  # 100 % only once really there


entries = st.lists(
    st.builds(
        Entry,
        runner_id=st.integers(1, 10_000),
        name=st.text(min_size=1, max_size=8),
        value=st.one_of(st.none(), st.integers(0, 5).map(float)),
        reached_at=st.one_of(st.none(), st.integers(0, 100).map(at)),
    ),
    max_size=30,
    unique_by=lambda e: e.runner_id,
)


@given(entries)
def test_ranks_are_competition_ranks(board: list[Entry]) -> None:
    standings = rank(board)
    assert sorted(s.entry.runner_id for s in standings) == sorted(e.runner_id for e in board)
    for position, standing in enumerate(standings, 1):
        better = [s for s in standings if s.entry.value is not None and (
            standing.entry.value is None or s.entry.value > standing.entry.value)]
        assert standing.rank == len(better) + 1 <= position
        same = [s for s in standings if s.entry.value == standing.entry.value]
        assert standing.tied == (len(same) > 1)
