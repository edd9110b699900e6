"""World-record limits and the small pieces under the parsers."""

from __future__ import annotations

import pytest

from core.grammar.errors import GrammarError
from core.grammar.lexer import tokenize
from core.grammar.plausibility import WORLD_RECORDS, check_speed, fastest_seconds
from core.grammar.text import to_number
from core.text import format_seconds


@pytest.mark.parametrize(("metres", "seconds"), WORLD_RECORDS)
def test_the_table_entries_are_exact(metres: float, seconds: float) -> None:
    assert fastest_seconds(metres) == pytest.approx(seconds)


def test_interpolation_is_log_log_and_monotonic() -> None:
    # Halfway between 5 km and 10 km in log distance is halfway in log time.
    midpoint = fastest_seconds((5000 * 10000) ** 0.5)
    assert midpoint == pytest.approx((755.36 * 1571.0) ** 0.5)
    distances = [100, 400, 600, 1000, 2000, 5000, 15000, 30000, 42195, 100000, 250000]
    times = [fastest_seconds(d) for d in distances]
    assert times == sorted(times)


def test_short_distances_use_the_400m_speed() -> None:
    assert fastest_seconds(200) == pytest.approx(43.03 / 2)


def test_speed_check_refuses_only_beating_the_record() -> None:
    check_speed(5000, 755.36)  # equal to the record is allowed
    with pytest.raises(GrammarError, match="world record"):
        check_speed(5000, 755.0)


def test_numbers_and_formatting() -> None:
    assert to_number("3,2") == 3.2
    assert format_seconds(1710) == "28:30"
    assert format_seconds(3900) == "1:05:00"
    assert format_seconds(43.03) == "43.03 s"
    with pytest.raises(GrammarError):
        to_number("9" * 400)


def test_tokens_keep_their_place_in_the_text() -> None:
    tokens = tokenize("Yesterday: 5k, 28:30")
    assert [(t.kind, t.text) for t in tokens] == [
        ("word", "Yesterday"),
        ("other", ":"),
        ("number", "5"),
        ("word", "k"),
        ("other", ","),
        ("clock", "28:30"),
    ]
    assert [t.spaced for t in tokens] == [True, False, True, False, False, True]
    assert all("Yesterday: 5k, 28:30"[t.start : t.end] == t.text for t in tokens)
