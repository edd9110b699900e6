"""`parse_duration` and `parse_distance`."""

from __future__ import annotations

import pytest

from core.grammar import GrammarError, parse_distance, parse_duration

MILE = 1609.344


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("25min", 1500),
        ("25 minutes", 1500),
        ("25m", 1500),
        ("1h", 3600),
        ("1h10", 4200),
        ("1h 10m", 4200),
        ("1h10m5s", 4205),
        ("1 hour 10 minutes", 4200),
        ("45:30", 2730),
        ("1:05:00", 3900),
        ("1:10h", 4200),
        ("28:30.5", 1710.5),
        ("1.5h", 5400),
        ("1,5 h", 5400),
        ("90s", 90),
        ("  25min  ", 1500),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text", ["", "25", "5k", "25:75", "1h 60m", "0min", "-5min", "25min 30min", "fast", "1:2:3:4"]
)
def test_bad_durations(text: str) -> None:
    with pytest.raises(GrammarError) as caught:
        parse_duration(text)
    assert "Try" in str(caught.value)


def test_a_bare_number_asks_for_a_unit() -> None:
    with pytest.raises(GrammarError, match="25min"):
        parse_duration("25")


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5k", 5000),
        ("5 km", 5000),
        ("3.2km", 3200),
        ("3,2 km", 3200),
        ("2mi", 2 * MILE),
        ("2 miles", 2 * MILE),
        ("1 mile", MILE),
        ("1600m", 1600),
        ("400 m", 400),
        ("1,600 m", 1600),
        ("marathon", 42195),
        ("Half Marathon", 21097.5),
    ],
)
def test_distances(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


def test_a_bare_distance_uses_the_runners_units() -> None:
    assert parse_distance("5") == 5000
    assert parse_distance("5", units="km") == 5000
    assert parse_distance("2", units="mi") == pytest.approx(2 * MILE)


@pytest.mark.parametrize("text", ["", "0k", "-5k", "25min", "5 slices", "5k 10k", "far"])
def test_bad_distances(text: str) -> None:
    with pytest.raises(GrammarError) as caught:
        parse_distance(text)
    assert "Try" in str(caught.value)


def test_unknown_units_setting_is_refused() -> None:
    with pytest.raises(GrammarError):
        parse_distance("5", units="furlongs")
